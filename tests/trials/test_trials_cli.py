"""`ivig-lit trials` after a nightly run that watched ClinicalTrials.gov through the emulator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivig_lit import nightly
from ivig_lit.cli import main
from ivig_lit.config import Settings
from ivig_lit.emulator import Emulator


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, module_trials_emulator: Emulator) -> Path:
    """Built once for the module: every test only reads it."""
    settings = Settings.from_env(
        {}, warehouse=tmp_path_factory.mktemp("trials") / "w.duckdb", base_url=module_trials_emulator.base_url,
        rate_limit=1000.0,
    )  # fmt: skip
    summary = nightly.run_nightly(settings, now=dt.datetime(2026, 11, 26, 2))
    assert summary.trials is not None and summary.trials.new == 9
    return settings.warehouse


def trials(warehouse: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["trials", "--warehouse", str(warehouse), *args])
    assert result.exit_code == 0, result.output
    return result.stdout  # stderr names the warehouse


def test_the_nightly_run_reaches_the_emulators_trials_beside_its_e_utilities(module_trials_emulator, warehouse) -> None:
    assert {r.endpoint for r in module_trials_emulator.requests} == {"esearch", "efetch", "studies"}


def test_trials_lists_ongoing_randomised_trials_per_condition(warehouse: Path) -> None:
    lines = trials(warehouse, "--format", "csv").splitlines()
    assert lines[0] == "condition,nct_id,status,phase,enrollment,primary_completion,title"
    assert [tuple(line.split(",")[:5]) for line in lines[1:]] == [
        ("cidp", "NCT09000110", "RECRUITING", "PHASE3", "150"),
        ("dermatomyositis", "NCT09000106", "ACTIVE_NOT_RECRUITING", "PHASE3", "96"),
        ("inflammatory_myopathy", "NCT09000106", "ACTIVE_NOT_RECRUITING", "PHASE3", "96"),
        ("mmn", "NCT09000104", "RECRUITING", "PHASE3", "40"),
        ("stiff_person", "NCT09000105", "NOT_YET_RECRUITING", "PHASE2", "24"),
    ]


def test_trials_overdue_lists_completed_trials_nothing_in_pubmed_cites(warehouse: Path) -> None:
    out = trials(warehouse, "--overdue", "--today", "2026-11-26", "--condition", "gbs", "--format", "csv")
    assert out.splitlines() == [
        "nct_id,conditions,completed,results_posted,title",
        "NCT09000102,gbs,2023-06-30,False,Second IVIG Dose in Guillain-Barré Syndrome With Poor Prognosis",
    ]


def test_trials_for_an_unknown_condition_is_a_clear_error(warehouse: Path) -> None:
    result = CliRunner().invoke(main, ["trials", "--warehouse", str(warehouse), "--condition", "flu"])
    assert result.exit_code == 1 and "unknown condition 'flu'" in result.output


def test_status_counts_each_conditions_ongoing_randomised_trials(warehouse: Path) -> None:
    result = CliRunner().invoke(main, ["status", "--warehouse", str(warehouse), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    column = lines[0].split(",").index("ongoing_rcts")
    ongoing = {line.split(",")[0]: line.split(",")[column] for line in lines[1:]}
    assert {cid: n for cid, n in ongoing.items() if n != "0"} == {
        "cidp": "1", "dermatomyositis": "1", "inflammatory_myopathy": "1", "mmn": "1", "stiff_person": "1"
    }  # fmt: skip
