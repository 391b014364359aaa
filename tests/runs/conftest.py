"""Fixtures of the run tests: the support corpus behind a real emulator, settings for a fresh
warehouse file per test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivig_lit.config import Settings
from ivig_lit.emulator import Corpus, Emulator
from tests.cases.records import write_corpus
from tests.runs.support import RECORDS

D = dt.date


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus.from_files([write_corpus(tmp_path_factory.mktemp("pipeline") / "c.xml", RECORDS)])


@pytest.fixture
def emu(corpus: Corpus) -> Iterator[Emulator]:
    with Emulator(corpus, today=D(2026, 11, 12)) as e:
        yield e


@pytest.fixture
def settings(tmp_path: Path, emu: Emulator) -> Settings:
    return Settings.from_env(
        {}, warehouse=tmp_path / "w.duckdb", base_url=emu.base_url, rate_limit=1000.0, max_tries=2, batch_size=10
    )
