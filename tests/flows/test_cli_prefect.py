"""``ivig-lit nightly --prefect`` runs the nightly flow on the configured Prefect API (here the test
harness) and the run is recorded both by Prefect and in the warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from prefect.settings import PREFECT_API_URL, temporary_settings

from ivig_lit.cli import main
from ivig_lit.emulator import Corpus, Emulator
from tests.cases.records import Rec, write_corpus

pytestmark = pytest.mark.usefixtures("prefect_server")

COHORT = Rec(
    pmid=72000001,
    title="IVIG in Guillain-Barre syndrome: a retrospective cohort",
    abstract="We retrospectively reviewed 52 consecutive patients with Guillain-Barre syndrome treated with IVIG.",
    created=dt.date(2026, 11, 18),
)


def test_nightly_with_prefect_runs_the_flow_and_records_the_run(tmp_path: Path) -> None:
    corpus = Corpus.from_files([write_corpus(tmp_path / "c.xml", [COHORT])])
    warehouse = tmp_path / "w.duckdb"
    with Emulator(corpus, today=dt.date(2026, 11, 24)) as emu:
        env = {"IVIG_LIT_WAREHOUSE": str(warehouse), "IVIG_LIT_BASE_URL": emu.base_url, "IVIG_LIT_RATE_LIMIT": "1000"}
        result = CliRunner().invoke(main, ["nightly", "--prefect"], env=env)
    assert result.exit_code == 0, result.output
    assert f"Warehouse: {warehouse}" in result.stdout
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT pmid FROM v_article").fetchall() == [("72000001",)]
    assert con.execute("SELECT status FROM v_run").fetchall() == [("completed",)]
    con.close()


class _ApiThatTimesOut:
    """Prefect's temporary API server as it fails on a loaded machine."""

    def start(self, timeout: float | None = None) -> None:
        raise RuntimeError("Timed out while attempting to connect to ephemeral Prefect API server.")


def test_nightly_with_prefect_still_runs_and_records_the_run_when_no_prefect_api_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("prefect.server.api.server.SubprocessASGIServer", _ApiThatTimesOut)  # imported when started
    corpus = Corpus.from_files([write_corpus(tmp_path / "c.xml", [COHORT])])
    warehouse = tmp_path / "w.duckdb"
    with Emulator(corpus, today=dt.date(2026, 11, 24)) as emu, temporary_settings(restore_defaults={PREFECT_API_URL}):
        env = {"IVIG_LIT_WAREHOUSE": str(warehouse), "IVIG_LIT_BASE_URL": emu.base_url, "IVIG_LIT_RATE_LIMIT": "1000"}
        result = CliRunner().invoke(main, ["nightly", "--prefect"], env=env)
    assert result.exit_code == 0, result.output
    assert "running the same pipeline without Prefect instead" in result.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT pmid FROM v_article").fetchall() == [("72000001",)]
    assert con.execute("SELECT status FROM v_run").fetchall() == [("completed",)]
    con.close()
