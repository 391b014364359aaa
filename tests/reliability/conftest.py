"""Reliability fixtures: the run-test corpus behind a real emulator, a nightly run in a separate
process (so it can be killed with SIGKILL at a named point), and warehouse dumps that ignore what
differs by design between runs (run ids, timestamps, one row per run)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ivig_lit.config import Settings
from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.nightly import run_nightly
from ivig_lit.runs import KILL_AT_ENV
from tests.cases.records import write_corpus
from tests.runs.support import RECORDS

DAY = dt.date(2026, 11, 12)
NOW = dt.datetime.combine(DAY, dt.time(2))
PER_RUN = {"_ivig_runs", "_ivig_migrations"}  # one row per run or per install, by design


def query_state(warehouse: Path, queries: dict[str, str]) -> dict[str, list[tuple]]:
    """Each named query's rows, read from ``warehouse`` on a read-only connection."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        con.close()


def is_volatile(column: str) -> bool:
    """Columns that name a run or a wall-clock moment; everything else must match a fault-free run."""
    return "run_id" in column or column.endswith("_at")


CHILD = """
import datetime as dt, sys
from pathlib import Path
from ivig_lit.config import Settings
from ivig_lit.nightly import run_nightly
settings = Settings.from_env({}, warehouse=Path(sys.argv[1]), base_url=sys.argv[2], rate_limit=1000.0,
                             batch_size=10, max_tries=2)
run_nightly(settings, now=dt.datetime.fromisoformat(sys.argv[3]))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus.from_files([write_corpus(tmp_path_factory.mktemp("reliability") / "c.xml", RECORDS)])


@pytest.fixture
def emu(corpus: Corpus) -> Iterator[Emulator]:
    with Emulator(corpus, today=DAY) as e:
        yield e


def settings_for(path: Path, emu: Emulator) -> Settings:
    return Settings.from_env({}, warehouse=path, base_url=emu.base_url, rate_limit=1000.0, batch_size=10, max_tries=2)


@pytest.fixture
def settings(tmp_path: Path, emu: Emulator) -> Settings:
    return settings_for(tmp_path / "w.duckdb", emu)


@pytest.fixture(scope="module")
def clean_dump(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    """The warehouse a fault-free nightly run leaves."""
    with Emulator(corpus, today=DAY) as emu:
        settings = settings_for(tmp_path_factory.mktemp("clean") / "w.duckdb", emu)
        run_nightly(settings, now=NOW)
    return dump(settings.warehouse)


def start_nightly(settings: Settings, kill_at: str | None = None, now: dt.datetime = NOW) -> subprocess.Popen:
    """A nightly run in its own process; ``kill_at`` names the checkpoint where it SIGKILLs itself."""
    env = {k: v for k, v in os.environ.items() if k != KILL_AT_ENV and not k.startswith("IVIG_LIT_")}
    if kill_at:
        env[KILL_AT_ENV] = kill_at
    args = [sys.executable, "-c", CHILD, str(settings.warehouse), settings.base_url, now.isoformat()]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def dump(path: Path, skip: set[str] = PER_RUN) -> dict[str, list]:
    """Every table's rows (sorted), without the columns that name a run or a moment."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall():
            if name in skip:
                continue
            cols = [c for (c,) in con.execute(f"SELECT column_name FROM duckdb_columns() WHERE table_name = '{name}'")
                    .fetchall() if not is_volatile(c)]  # fmt: skip
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {name}").fetchall()
            out[name] = sorted(map(repr, rows))
        return out
    finally:
        con.close()


def runs(path: Path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT flow, status, abandoned_at IS NOT NULL FROM v_run ORDER BY started_at").fetchall()
    finally:
        con.close()
