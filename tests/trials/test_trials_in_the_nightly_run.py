"""The trials step inside a real nightly run (emulator over HTTP, DuckDB file): its requests are part
of the run's cost, and a ClinicalTrials.gov outage is reported without costing the PubMed part."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ivig_lit import nightly
from ivig_lit.config import Settings
from ivig_lit.emulator import Emulator
from ivig_lit.report.console import format_run_summary

NIGHT = dt.datetime(2026, 11, 26, 2)
CONDITIONS = ["cidp", "mmn"]


@pytest.fixture
def settings(tmp_path: Path, trials_emulator: Emulator) -> Settings:
    """Two tries per request, so an outage gives up after one short back-off."""
    return Settings.from_env(
        {}, warehouse=tmp_path / "w.duckdb", base_url=trials_emulator.base_url, rate_limit=1000.0, max_tries=2
    )


def one(settings: Settings, sql: str) -> tuple:
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return con.execute(sql).fetchone()
    finally:
        con.close()


def test_the_run_record_counts_clinicaltrials_gov_requests_beside_e_utilities_ones(settings, trials_emulator) -> None:
    nightly.run_nightly(settings, now=NIGHT, conditions=CONDITIONS)
    sent = [r.endpoint for r in trials_emulator.requests]
    eutils = sum(1 for e in sent if e in ("esearch", "efetch"))
    assert one(settings, "SELECT requests, ctgov_requests, ctgov_retries FROM v_run") == (
        eutils,
        sent.count("studies"),
        0,
    )


@pytest.mark.parametrize("fault", [503, 429, "drop", "truncate", "cut", "error", 400])
def test_a_registry_failure_leaves_the_pubmed_part_of_the_run_completed(settings, trials_emulator, fault) -> None:
    trials_emulator.faults.set_rate(fault, 1.0, endpoint="studies")
    summary = nightly.run_nightly(settings, now=NIGHT, conditions=CONDITIONS)
    assert summary.status == "completed" and summary.counts.new > 0
    status, error = one(settings, "SELECT status, error FROM v_run")
    assert status == "completed"
    assert error.startswith("ClinicalTrials.gov watch stopped at cidp: ")
    assert one(settings, "SELECT count(*) FROM v_article") == (summary.counts.new,)
    assert one(settings, "SELECT count(*) FROM _ivig_watermarks WHERE kind = 'crdt'") == (2,)
    assert one(settings, "SELECT count(*) FROM _ivig_watermarks WHERE kind = 'ctgov'") == (0,)


def test_the_requests_of_a_failed_trials_step_are_still_counted(settings, trials_emulator) -> None:
    trials_emulator.faults.set_rate(503, 1.0, endpoint="studies")
    nightly.run_nightly(settings, now=NIGHT, conditions=CONDITIONS)
    assert one(settings, "SELECT ctgov_requests, ctgov_retries FROM v_run") == (2, 1)


def test_the_run_summary_says_the_trials_step_stopped_and_will_be_retried(settings, trials_emulator) -> None:
    trials_emulator.faults.set_rate(503, 1.0, endpoint="studies")
    printed = format_run_summary(nightly.run_nightly(settings, now=NIGHT, conditions=CONDITIONS))
    assert "  ClinicalTrials.gov studies 0 | new 0 | status changes 0 | linked 0 | requests 2 | retries 1\n" in printed
    assert "  ClinicalTrials.gov watch stopped at cidp: " in printed
    assert printed.split("\n")[0].endswith(": completed")


def test_the_night_after_an_outage_fetches_the_trials_it_missed(settings, trials_emulator) -> None:
    trials_emulator.faults.set_rate(503, 1.0, endpoint="studies")
    nightly.run_nightly(settings, now=NIGHT, conditions=CONDITIONS)
    trials_emulator.faults.clear()
    summary = nightly.run_nightly(settings, now=NIGHT + dt.timedelta(days=1), conditions=CONDITIONS)
    assert summary.trials.error is None and summary.trials.new > 0
    assert one(settings, "SELECT count(*) FROM _ivig_watermarks WHERE kind = 'ctgov'") == (2,)
