"""Revisions only move forward: whatever order PubMed files are loaded in, the warehouse ends the same.
An older record never replaces a newer one (it is kept in history and counted stale), a retraction
holds, and a deletion stands until a record revised after it arrives."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from ivig_lit.config import Settings
from ivig_lit.ingest import load_xml
from ivig_lit.registry import Registry, load_registry
from ivig_lit.runs import RunSummary
from tests.cases.records import Rec, record_xml
from tests.reliability.conftest import query_state

D = dt.date
RCT = Rec(
    pmid=90100001,
    title="Intravenous immunoglobulin versus placebo in chronic inflammatory demyelinating polyneuropathy: "
    "a randomised, double-blind, placebo-controlled trial",
    abstract="In this randomised, double-blind, placebo-controlled trial, 117 patients with chronic inflammatory "
    "demyelinating polyneuropathy received IVIG or placebo. Conclusions: IVIG improved disability compared "
    "with placebo.",
    created=D(2025, 6, 1),
    publication_types=("Journal Article", "Randomized Controlled Trial"),
)
COHORT = Rec(pmid=90100002, title="IVIG in CIDP: a retrospective cohort of 40 patients", created=D(2025, 6, 1))
SERIES = Rec(pmid=90100003, title="IVIG in CIDP: a case series", created=D(2025, 6, 1))
WITHDRAWN = Rec(pmid=90100004, title="IVIG in CIDP: a duplicate report", created=D(2025, 6, 1))
RETRACTED = ("Journal Article", "Randomized Controlled Trial", "Retracted Publication")

# Three update files, oldest first. File 2 retracts the trial and withdraws two PMIDs; file 3 revises
# one of them again after its withdrawal (so it returns) and revises the series.
FILES = {
    "jan.xml": ([replace(r, revised=D(2026, 1, 10)) for r in (RCT, COHORT, SERIES, WITHDRAWN)], []),
    "mar.xml": ([replace(RCT, revised=D(2026, 3, 1), publication_types=RETRACTED)], [2, 4]),
    "may.xml": (
        [
            replace(COHORT, revised=D(2026, 5, 1), abstract="Updated: 40 patients given IVIG."),
            replace(SERIES, revised=D(2026, 5, 1), title="IVIG in CIDP: a case series (corrected)"),
        ],
        [],
    ),
}


def _write(directory: Path, name: str) -> Path:
    records, withdrawn = FILES[name]
    deletion = "".join(f'<PMID Version="1">{90100000 + n}</PMID>' for n in withdrawn)
    body = "\n".join(record_xml(r) for r in records)
    text = f'<?xml version="1.0" ?>\n<PubmedArticleSet>\n{body}\n'
    text += f"<DeleteCitation>{deletion}</DeleteCitation>\n" if deletion else ""
    path = directory / name
    path.write_text(text + "</PubmedArticleSet>\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("updates")
    return {name: _write(directory, name) for name in FILES}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(None)


def _load(warehouse: Path, paths: list[Path], registry: Registry, day: int = 1) -> RunSummary:
    settings = Settings.from_env({}, warehouse=warehouse)
    return load_xml(paths, settings, registry, now=dt.datetime(2026, 6, day, 3))


STATE = {
    "articles": "SELECT pmid, title, is_retracted, design, direction FROM v_article ORDER BY pmid",
    "withdrawn": "SELECT pmid FROM articles WHERE deleted_at IS NOT NULL ORDER BY pmid",
    "current": "SELECT pmid, content_hash, date_revised FROM articles ORDER BY pmid",
    "history": "SELECT pmid, content_hash FROM article_versions ORDER BY ALL",
    "conditions": "SELECT pmid, condition_id, source FROM article_conditions ORDER BY ALL",
    "tags": "SELECT pmid, design, ivig_focus, content_hash FROM article_tags ORDER BY pmid",
    "status": "SELECT condition_id, status, n_articles, n_rct FROM v_condition_status ORDER BY condition_id",
}


def _state(warehouse: Path) -> dict[str, list[tuple]]:
    return query_state(warehouse, STATE)


@pytest.fixture(scope="module")
def in_order(files: dict[str, Path], registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> dict:
    warehouse = tmp_path_factory.mktemp("in-order") / "w.duckdb"
    for day, name in enumerate(FILES, 1):
        _load(warehouse, [files[name]], registry, day)
    return _state(warehouse)


def test_in_date_order_the_newest_revisions_are_current(in_order: dict) -> None:
    assert [row[0] for row in in_order["withdrawn"]] == ["90100004"]
    titles = {pmid: (title, retracted) for pmid, title, retracted, *_ in in_order["articles"]}
    assert titles == {
        "90100001": (RCT.title, True),
        "90100002": (COHORT.title, False),
        "90100003": ("IVIG in CIDP: a case series (corrected)", False),
    }


@pytest.mark.parametrize("order", list(itertools.permutations(FILES)), ids="-".join)
def test_every_load_order_ends_in_the_same_warehouse(
    order: tuple[str, ...], files: dict[str, Path], registry: Registry, in_order: dict, tmp_path: Path
) -> None:
    warehouse = tmp_path / "w.duckdb"
    for day, name in enumerate(order, 1):
        _load(warehouse, [files[name]], registry, day)
    assert _state(warehouse) == in_order


def test_an_older_file_after_a_retraction_leaves_it_retracted_and_counts_stale(
    files: dict[str, Path], registry: Registry, tmp_path: Path
) -> None:
    warehouse = tmp_path / "w.duckdb"
    _load(warehouse, [files["mar.xml"]], registry, 1)
    summary = _load(warehouse, [files["jan.xml"]], registry, 2)
    assert (summary.counts.stale, summary.counts.new) == (1, 3)
    state = _state(warehouse)
    assert ("90100001", RCT.title, True) == state["articles"][0][:3]
    assert len([h for h in state["history"] if h[0] == "90100001"]) == 2  # the older record is history


def test_a_file_with_two_revisions_keeps_the_newer_whatever_their_order(registry: Registry, tmp_path: Path) -> None:
    newer = replace(SERIES, revised=D(2026, 5, 1), title="IVIG in CIDP: newer")
    older = replace(SERIES, revised=D(2026, 1, 10), title="IVIG in CIDP: older")
    path = tmp_path / "both.xml"
    path.write_text(f"<PubmedArticleSet>{record_xml(newer)}{record_xml(older)}</PubmedArticleSet>", encoding="utf-8")
    summary = _load(tmp_path / "w.duckdb", [path], registry)
    assert (summary.counts.new, summary.counts.stale) == (1, 1)
    assert _state(tmp_path / "w.duckdb")["articles"][0][1] == "IVIG in CIDP: newer"


def test_the_stale_count_is_kept_in_v_run(files: dict[str, Path], registry: Registry, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    _load(warehouse, [files["may.xml"]], registry, 1)
    _load(warehouse, [files["jan.xml"]], registry, 2)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT n_stale FROM v_run ORDER BY started_at").fetchall() == [(0,), (2,)]
    finally:
        con.close()
