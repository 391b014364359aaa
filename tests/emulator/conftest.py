"""One generated corpus and one emulator for the whole emulator test package (built once: fast)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.emulator.generate import generate_corpus

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="session")
def corpus_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "corpus.xml.gz"
    generate_corpus(2000, seed=7, out_path=path, scenario=False)
    return path


@pytest.fixture(scope="session")
def corpus(corpus_path: Path) -> Corpus:
    return Corpus.from_files([corpus_path])


@pytest.fixture(scope="session")
def demo_corpus() -> Corpus:
    return Corpus.demo()


@pytest.fixture(scope="session")
def _server(demo_corpus: Corpus) -> Iterator[Emulator]:
    with Emulator(demo_corpus, today=TODAY) as emu:
        yield emu


@pytest.fixture
def emulator(_server: Emulator) -> Iterator[Emulator]:
    """The demo-corpus emulator, reset (log, faults, history, rate limit, today) for each test."""
    _server.reset()
    _server.today = TODAY
    _server.rate_limit = None
    yield _server
    _server.reset()


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session
