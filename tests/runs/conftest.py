"""Fixtures of the run tests: the support corpus behind a real emulator, settings for a fresh
warehouse file per test, and the warehouse of a first run made once per module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivig_lit.config import Settings
from ivig_lit.emulator import Corpus, Emulator
from tests.cases.records import write_corpus
from tests.runs.support import RECORDS, run

D = dt.date


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus.from_files([write_corpus(tmp_path_factory.mktemp("pipeline") / "c.xml", RECORDS)])


@pytest.fixture
def emu(corpus: Corpus) -> Iterator[Emulator]:
    with Emulator(corpus, today=D(2026, 11, 12)) as e:
        yield e


def settings_for(warehouse: Path, emu: Emulator) -> Settings:
    return Settings.from_env(
        {}, warehouse=warehouse, base_url=emu.base_url, rate_limit=1000.0, max_tries=2, batch_size=10
    )


@pytest.fixture
def settings(tmp_path: Path, emu: Emulator) -> Settings:
    return settings_for(tmp_path / "w.duckdb", emu)


@pytest.fixture(scope="module")
def backfilled(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse a first nightly run on 2026-11-12 leaves, made once per module (~1.3 CPU-s):
    tests that start from it change a copy (``tests.conftest.copy_warehouse``)."""
    with Emulator(corpus, today=D(2026, 11, 12)) as emu:
        settings = settings_for(tmp_path_factory.mktemp("backfilled") / "w.duckdb", emu)
        run(settings, D(2026, 11, 12))
    return settings.warehouse
