"""`ivig-lit export`: what a reference manager or DuckDB reads back is what the warehouse holds."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from click.testing import CliRunner

from ivig_lit.cli import main
from tests.cases.records import Rec, write_corpus

CASES = Path(__file__).resolve().parents[1] / "cases" / "parse"
RECORDS = [
    Rec(pmid=80000001, title="Intravenous immunoglobulin in multifocal motor neuropathy: a randomised trial",
        abstract="In this randomised, double-blind, placebo-controlled trial, 30 patients with multifocal motor "
        "neuropathy received IVIG or placebo. Conclusions: IVIG improved strength compared with placebo."),
    Rec(pmid=80000002, title="IVIG for Guillain-Barre syndrome: a retrospective cohort",
        abstract="We retrospectively reviewed 61 consecutive patients with Guillain-Barre syndrome given IVIG."),
    Rec(pmid=80000003, title="Statins after stroke", abstract="Statins after stroke."),
]  # fmt: skip


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our records plus the parser's full case record (authors, DOI, PMC), loaded by `load-xml`."""
    tmp = tmp_path_factory.mktemp("export")
    xml = write_corpus(tmp / "records.xml", RECORDS)
    path = tmp / "w.duckdb"
    result = CliRunner().invoke(
        main, ["load-xml", "--keep-all", "--warehouse", str(path), str(xml), str(CASES / "full_record.xml")]
    )
    assert result.exit_code == 0, result.output
    return path


def export(warehouse: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["export", "--warehouse", str(warehouse), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_ris_reads_back_with_rispy_record_for_record(warehouse: Path) -> None:
    entries = rispy.loads(export(warehouse, "--format", "ris"))
    assert sorted(e["accession_number"] for e in entries) == [
        "PMID:80000001", "PMID:80000002", "PMID:80000003", "PMID:90000001"
    ]  # fmt: skip
    full = next(e for e in entries if e["accession_number"] == "PMID:90000001")
    con = duckdb.connect(str(warehouse), read_only=True)
    stored = con.execute("SELECT doi, len(record->'$.authors') FROM articles WHERE pmid = '90000001'").fetchone()
    con.close()
    assert (full["doi"], len(full["authors"])) == (stored[0], 3)
    assert full["urls"] == ["https://pubmed.ncbi.nlm.nih.gov/90000001/"]


def test_ris_keeps_the_design_and_trial_facts_as_keywords_and_a_note(warehouse: Path) -> None:
    (rct,) = [e for e in rispy.loads(export(warehouse)) if e["accession_number"] == "PMID:80000001"]
    assert "ivig-lit:design:rct" in rct["keywords"] and "ivig-lit:condition:mmn" in rct["keywords"]
    assert rct["notes"] == ["ivig-lit design: rct; N=30; comparator: placebo; direction: favours ivig"]


def test_csl_json_renders_as_a_bibliography_with_citeproc(warehouse: Path) -> None:
    items = json.loads(export(warehouse, "--format", "csl-json"))
    source = CiteProcJSON(items)
    bibliography = CitationStylesBibliography(
        CitationStylesStyle("harvard-cite-them-right", validate=False), source, formatter.plain
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 4
    assert any("multifocal motor neuropathy" in line for line in rendered)


def test_parquet_reads_back_with_duckdb_as_the_same_rows_as_csv(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "articles.parquet"
    result = CliRunner().invoke(main, ["export", "--warehouse", str(warehouse), "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0 and "exported 4 articles to" in result.stderr
    from_csv = list(csv.DictReader(io.StringIO(export(warehouse, "--format", "csv"))))
    con = duckdb.connect()
    parquet = con.execute(f"SELECT pmid, title, design, conditions FROM '{out}' ORDER BY pmid").fetchall()
    con.close()
    assert parquet == sorted((r["pmid"], r["title"], r["design"], r["conditions"]) for r in from_csv)


@pytest.mark.parametrize(
    ("args", "pmids"),
    [
        (["--design", "rct"], ["80000001"]),
        (["--design", "rct,cohort"], ["80000001", "80000002"]),
        (["--condition", "gbs"], ["80000002"]),
        (["--ivig-only"], ["80000001", "80000002"]),
        (["--since", "2099-01-01"], []),
    ],
)
def test_filters_choose_the_exported_articles(warehouse: Path, args: list[str], pmids: list[str]) -> None:
    rows = csv.DictReader(io.StringIO(export(warehouse, "--format", "csv", *args)))
    assert sorted(r["pmid"] for r in rows if r["pmid"].startswith("8")) == pmids


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "parquet"], "Parquet is binary: name a file with --out"),
        (["--design", "rtc"], "unknown design(s) rtc; known: meta_analysis"),
        (["--condition", "flu"], "unknown condition 'flu'"),
    ],
)
def test_bad_export_arguments_get_a_clear_error(warehouse: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["export", "--warehouse", str(warehouse), *args])
    assert result.exit_code == 1 and message in result.output


def test_real_pubmed_records_survive_the_ris_round_trip(shared_data: Path, tmp_path: Path) -> None:
    files = sorted(str(p) for p in shared_data.glob("pubmed*.xml"))
    path = tmp_path / "real.duckdb"
    assert CliRunner().invoke(main, ["load-xml", "--keep-all", "--warehouse", str(path), *files]).exit_code == 0
    n = duckdb.connect(str(path), read_only=True).execute("SELECT count(*) FROM v_article").fetchone()[0]
    entries = rispy.loads(export(path, "--format", "ris"))
    assert len(entries) == n > 0
    assert all(e["title"] and e["accession_number"].startswith("PMID:") for e in entries)
