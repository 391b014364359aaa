"""The command line: exact output where users read it, clear errors where they get it wrong."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from ivig_lit.cli import main
from tests.cases.records import Rec, write_corpus
from tests.cases.tags import update_tags
from tests.conftest import copy_warehouse

RECORDS = [
    Rec(pmid=80000001, title="Intravenous immunoglobulin in multifocal motor neuropathy: a randomised trial",
        abstract="In this randomised, double-blind, placebo-controlled trial, 30 patients with multifocal motor "
        "neuropathy received IVIG or placebo. Conclusions: IVIG improved strength compared with placebo.",
        created=dt.date(2025, 3, 1)),
    Rec(pmid=80000002, title="IVIG for Guillain-Barre syndrome: a retrospective cohort",
        abstract="We retrospectively reviewed 61 consecutive patients with Guillain-Barre syndrome given IVIG.",
        created=dt.date(2024, 6, 1)),
]  # fmt: skip


@pytest.fixture
def runner(evidence_registry: Path) -> CliRunner:
    """The CLI with a registry whose baselines say nothing, so these tests see the evidence move statuses."""
    return CliRunner(env={"IVIG_LIT_REGISTRY": str(evidence_registry)})


@pytest.fixture(scope="module")
def loaded_once(evidence_registry: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse loaded through `ivig-lit load-xml`, once for the module."""
    tmp = tmp_path_factory.mktemp("loaded")
    warehouse = tmp / "w.duckdb"
    runner = CliRunner(env={"IVIG_LIT_REGISTRY": str(evidence_registry)})
    result = runner.invoke(
        main, ["load-xml", "--warehouse", str(warehouse), str(write_corpus(tmp / "two.xml", RECORDS))]
    )
    assert result.exit_code == 0, result.output
    return warehouse


@pytest.fixture
def loaded(loaded_once: Path, tmp_path: Path) -> Path:
    """This test's copy of that warehouse, beside the XML it was loaded from."""
    write_corpus(tmp_path / "two.xml", RECORDS)
    return copy_warehouse(loaded_once, tmp_path / "w.duckdb")


def test_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    for name in (
        "nightly",
        "load-xml",
        "sql",
        "conditions",
        "status",
        "digest",
        "retag",
        "emulator",
        "demo",
        "serve",
        "curate",
        "review",
    ):
        assert f"  {name} " in result.stdout


def test_load_xml_prints_what_it_read(loaded: Path, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["load-xml", "--warehouse", str(loaded), str(tmp_path / "two.xml")])
    lines = result.stdout.splitlines()
    assert lines[1] == "  read 2 records | new 0 | revised 0 | unchanged 2 | deleted 0 | quarantined 0"
    assert lines[-1] == f"Warehouse: {loaded}"


def test_sql_prints_an_aligned_table(loaded: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["sql", "--warehouse", str(loaded), "SELECT pmid, design FROM v_article ORDER BY 1"])
    assert result.stdout == "    pmid design\n80000001    rct\n80000002 cohort\n"


def test_a_command_names_its_warehouse_on_stderr(loaded: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["sql", "--warehouse", str(loaded), "SELECT 1 AS x"])
    assert result.stderr == f"warehouse: {loaded}\n"


def test_the_default_warehouse_is_in_the_user_data_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["status"], env={"XDG_DATA_HOME": str(tmp_path), "IVIG_LIT_WAREHOUSE": ""})
    assert result.stderr.splitlines()[0] == f"warehouse: {tmp_path / 'ivig-lit' / 'ivig.duckdb'}"


def test_sql_prints_csv(loaded: Path, runner: CliRunner) -> None:
    query = "SELECT pmid, condition_id FROM v_article_condition ORDER BY 1"
    result = runner.invoke(main, ["sql", "--warehouse", str(loaded), "--format", "csv", query])
    assert result.stdout == "pmid,condition_id\n80000001,mmn\n80000002,gbs\n"


def test_sql_prints_json(loaded: Path, runner: CliRunner) -> None:
    query = "SELECT pmid, ivig_focus FROM v_article ORDER BY 1"
    result = runner.invoke(main, ["sql", "--warehouse", str(loaded), "--format", "json", query])
    assert json.loads(result.stdout) == [
        {"pmid": "80000001", "ivig_focus": True},
        {"pmid": "80000002", "ivig_focus": True},
    ]


def test_sql_refuses_to_write(loaded: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["sql", "--warehouse", str(loaded), "DROP TABLE articles"])
    assert result.exit_code == 1
    assert "read-only" in result.output


def test_status_prints_each_condition_next_to_its_baseline(loaded: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["status", "--warehouse", str(loaded), "--format", "csv"])
    rows = {line.split(",")[0]: line.split(",")[1:3] for line in result.stdout.splitlines()[1:]}
    assert rows["mmn"] == ["single_rct_support", "no_evidence"]
    assert rows["gbs"] == ["observational_only", "no_evidence"]
    assert rows["sjogren"] == ["no_evidence", "no_evidence"]
    assert list(rows)[-1] == "inflammatory_myopathy"


def test_status_keeps_the_bundled_consensus_against_one_new_trial(tmp_path: Path) -> None:
    bundled = CliRunner()
    warehouse = tmp_path / "bundled.duckdb"
    bundled.invoke(main, ["load-xml", "--warehouse", str(warehouse), str(write_corpus(tmp_path / "t.xml", RECORDS))])
    result = bundled.invoke(main, ["status", "--warehouse", str(warehouse), "--format", "csv"])
    rows = {line.split(",")[0]: line.split(",")[1:4] for line in result.stdout.splitlines()[1:]}
    assert rows["mmn"] == ["established_efficacy", "established_efficacy", ""]


def test_status_marks_each_condition_whose_status_differs_from_its_baseline(loaded: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["status", "--warehouse", str(loaded), "--format", "csv"])
    changed = {line.split(",")[0]: line.split(",")[3] for line in result.stdout.splitlines()[1:]}
    assert changed["mmn"] == "*" and changed["inflammatory_myopathy"] == ""


def test_status_history_of_an_unknown_condition_names_the_known_ones(loaded: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["status", "--warehouse", str(loaded), "--history", "mnn"])
    assert result.exit_code == 1
    assert "unknown condition 'mnn'; known: mmn, cidp" in result.output


def test_status_history_shows_the_timeline(loaded: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["status", "--warehouse", str(loaded), "--history", "mmn", "--format", "csv"])
    assert result.stdout.splitlines()[1].split(",")[1:4] == ["(none)", "single_rct_support", "initial"]


def test_conditions_lists_the_registry(runner: CliRunner) -> None:
    lines = runner.invoke(main, ["conditions"]).output.splitlines()
    assert lines[0].split() == ["id", "group", "label", "baseline"]
    assert lines[1].split()[0] == "mmn" and len([line for line in lines if line.strip()]) == 17


def test_an_invalid_registry_is_refused_with_its_problem(tmp_path: Path, runner: CliRunner) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[ivig]\nquery = "ivig"\n[[condition]]\nid = "x"\nlabel = "X"\nquery = ""\n')
    result = runner.invoke(main, ["conditions", "--registry", str(bad)])
    assert result.exit_code == 1
    assert "missing keys: baseline" in result.output


def test_digest_writes_markdown_and_html(loaded: Path, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["digest", "--warehouse", str(loaded), "--week", "2025-W09", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"md: {tmp_path / 'digest-2025-W09.md'}\nhtml: {tmp_path / 'digest-2025-W09.html'}\n"


def test_a_malformed_week_is_refused(loaded: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["digest", "--warehouse", str(loaded), "--week", "2025-13"])
    assert result.exit_code != 0 and "2025-13" in result.output


def test_nightly_dry_run_against_the_emulator_writes_nothing(emulator, runner: CliRunner, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    args = [
        "nightly",
        "--dry-run",
        "--warehouse",
        str(warehouse),
        "--base-url",
        emulator.base_url,
        "--conditions",
        "cidp",
    ]
    result = runner.invoke(main, args, env={"IVIG_LIT_RATE_LIMIT": "1000"})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Dry run (nothing written)"
    assert "cidp" in result.output and not warehouse.exists()


def test_unknown_condition_in_nightly_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["nightly", "--warehouse", str(tmp_path / "w.duckdb"), "--conditions", "gbs,xyz"])
    assert result.exit_code == 1 and "unknown condition 'xyz'" in result.output


def test_load_xml_of_a_missing_file_says_so(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["load-xml", "--warehouse", str(tmp_path / "w.duckdb"), str(tmp_path / "no.xml")])
    assert result.exit_code != 0 and "no.xml" in result.output


def test_retag_summarises_a_warehouse_already_current(loaded: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["retag", "--warehouse", str(loaded)])
    assert result.stdout.splitlines()[1] == "  re-tagged 2 articles | tagging changed for 0 | quarantined 0"


def test_curate_overrides_a_tag_and_prints_the_status_change(loaded: Path, runner: CliRunner) -> None:
    args = ["curate", "--warehouse", str(loaded), "80000002", "--design", "rct", "--direction", "favours_ivig",
            "--curator", "ana", "--note", "randomised per protocol"]  # fmt: skip
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "stored 2 override(s) for 1 article(s) as ana",
        "gbs: observational_only -> single_rct_support (reason: curation; rule: single_positive_rct)",
    ]
    query = "SELECT design, design_source, curated_by FROM v_article WHERE pmid = '80000002'"
    assert runner.invoke(main, ["sql", "--warehouse", str(loaded), "--format", "csv", query]).stdout == (
        "design,design_source,curated_by\nrct,curator,ana\n"
    )


def test_curate_without_pmid_or_file_is_a_usage_error(loaded: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["curate", "--warehouse", str(loaded), "--design", "rct"])
    assert result.exit_code == 2 and "missing PMID" in result.output


def test_curate_file_with_a_bad_line_names_it_and_stores_nothing(
    loaded: Path, runner: CliRunner, tmp_path: Path
) -> None:
    bulk = tmp_path / "overrides.tsv"
    bulk.write_text("pmid\tdesign\tremove_conditions\n80000001\trct\t\n80000002\tcohort\tgbbs\n")
    result = runner.invoke(main, ["curate", "--warehouse", str(loaded), "--file", str(bulk)])
    assert result.exit_code == 1
    assert "line 3: unknown condition 'gbbs'" in result.output
    count = runner.invoke(
        main, ["sql", "--warehouse", str(loaded), "--format", "csv", "SELECT count(*) AS n FROM curations"]
    )
    assert count.stdout == "n\n0\n"


def test_review_lists_tags_awaiting_review_with_the_fix(loaded: Path, runner: CliRunner) -> None:
    con = duckdb.connect(str(loaded))
    update_tags(con, "review_reasons = 'weak design signal', design_confidence = 0.55")
    con.close()
    result = runner.invoke(main, ["review", "--warehouse", str(loaded), "--format", "csv"])
    assert result.stdout.splitlines() == [
        "pmid,design,conditions,confidence,reasons,fix",
        "80000001,rct,mmn,0.55,weak design signal,ivig-lit curate 80000001 --design rct",
        "80000002,cohort,gbs,0.55,weak design signal,ivig-lit curate 80000002 --design cohort",
    ]
    one = runner.invoke(main, ["review", "--warehouse", str(loaded), "--condition", "gbs", "--format", "csv"])
    assert one.stdout.splitlines()[1:] == [
        "80000002,cohort,gbs,0.55,weak design signal,ivig-lit curate 80000002 --design cohort"
    ]


def test_review_of_a_clean_warehouse_says_so(loaded: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["review", "--warehouse", str(loaded)]).stdout == "nothing to review\n"
