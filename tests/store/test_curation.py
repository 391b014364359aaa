"""Curator overrides against a real warehouse: loaded with the real load-xml, re-tagged with the
real retag, read back through the public views."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ivig_lit.config import Settings
from ivig_lit.curate import curate
from ivig_lit.errors import CurationError
from ivig_lit.ingest import load_xml
from ivig_lit.registry import load_registry
from ivig_lit.retag import retag
from ivig_lit.store.curation import Curation, read_curation_file, read_review_queue
from tests.cases.records import CASE, COHORT, write_corpus
from tests.cases.tags import update_tags
from tests.conftest import copy_warehouse

NOW = dt.datetime(2026, 11, 20, 6, 0)
LATER = NOW + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def loaded_once(evidence_registry: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cohort and the case report loaded with the real load-xml, once for the module."""
    tmp = tmp_path_factory.mktemp("curation")
    settings = Settings(warehouse=tmp / "w.duckdb", registry=evidence_registry)
    load_xml([write_corpus(tmp / "c.xml", [COHORT, CASE])], settings, now=NOW)
    return settings.warehouse


@pytest.fixture
def settings(loaded_once: Path, tmp_path: Path, evidence_registry: Path) -> Settings:
    """Settings on this test's copy of that warehouse."""
    return Settings(warehouse=copy_warehouse(loaded_once, tmp_path / "w.duckdb"), registry=evidence_registry)


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def read(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_an_override_wins_over_the_tagger_and_says_it_comes_from_a_curator(settings):
    note = "randomised"
    curate(settings, [Curation("70000001", "ana", design="rct", direction="favours_ivig", note=note)], now=LATER)
    row = read(settings, "SELECT design, design_source, tagger_design, direction, direction_source, curated_by, "
                         "curation_note FROM v_article WHERE pmid = '70000001'")  # fmt: skip
    assert row == [("rct", "curator", "cohort", "favours_ivig", "curator", "ana", "randomised")]


def test_an_override_survives_retag(settings):
    curate(settings, [Curation("70000001", "ana", design="rct", remove_conditions=("cidp",))], now=LATER)
    retag(settings, now=LATER + dt.timedelta(hours=1))
    assert read(settings, "SELECT design, design_source FROM v_article WHERE pmid = '70000001'") == [("rct", "curator")]
    assert read(settings, "SELECT condition_id FROM v_article_condition WHERE pmid = '70000001'") == []


def test_an_added_condition_is_matched_by_curator(settings):
    curate(settings, [Curation("70000002", "ana", add_conditions=("gbs_variant",))], now=LATER)
    rows = read(settings, "SELECT condition_id, matched_by FROM v_article_condition WHERE pmid = '70000002' ORDER BY 1")
    assert ("gbs_variant", ["curator"]) in rows


def test_a_curation_that_changes_status_is_recorded_with_reason_curation(settings):
    result = curate(settings, [Curation("70000001", "ana", design="rct", direction="favours_ivig")], now=LATER)
    change = next(c for c in result.status_changes if c.condition_id == "cidp")
    assert (change.old_status, change.new_status, change.reason, change.pmids) == (
        "observational_only", "single_rct_support", "curation", ("70000001",))  # fmt: skip
    assert read(settings, "SELECT reason FROM v_status_change WHERE condition_id = 'cidp' AND run_id = ?",
                [result.run_id]) == [("curation",)]  # fmt: skip


def test_a_curation_of_an_article_not_in_the_warehouse_stores_nothing(settings):
    with pytest.raises(CurationError, match=r"not in the warehouse.*PMID 123"):
        curate(settings, [Curation("70000001", "ana", design="rct"), Curation("123", "ana", design="rct")], now=LATER)
    assert read(settings, "SELECT count(*) FROM curations") == [(0,)]


@pytest.mark.parametrize(
    ("curation", "message"),
    [
        (Curation("70000001", "ana", design="rtc"), "unknown design 'rtc'"),
        (Curation("70000001", "ana", direction="positive"), "unknown direction 'positive'"),
        (Curation("70000001", "ana", add_conditions=("cdip",)), "unknown condition 'cdip'"),
        (Curation("70000001", "ana", add_conditions=("gbs",), remove_conditions=("gbs",)), "both added and removed"),
        (Curation("PMID1", "ana", design="rct"), "PMID must be a positive number"),
        (Curation("70000001", "ana"), "nothing to do"),
    ],
)
def test_an_invalid_curation_is_refused_with_a_specific_message(settings, curation, message):
    with pytest.raises(CurationError, match=message):
        curate(settings, [curation], now=LATER)


def test_a_bulk_file_with_a_bad_line_loads_nothing_and_names_the_line(settings, registry, tmp_path):
    path = tmp_path / "overrides.tsv"
    path.write_text("pmid\tdesign\tadd_conditions\tnote\n70000001\trct\tcidp\tok\n70000002\tcase_rpt\t\tbad\n")
    with pytest.raises(CurationError, match=r"overrides.tsv: nothing stored.*\nline 3: unknown design 'case_rpt'"):
        read_curation_file(path, registry, "ana")
    assert read(settings, "SELECT count(*) FROM curations") == [(0,)]


def test_a_bulk_csv_file_loads_every_line_with_its_origin(settings, registry, tmp_path):
    path = tmp_path / "overrides.csv"
    path.write_text('pmid,design,ivig,add_conditions,curator\n70000001,rct,yes,"cidp;mmn",bo\n70000002,,no,,\n')
    curate(settings, read_curation_file(path, registry, "ana"), now=LATER)
    rows = read(settings, "SELECT pmid, tag, condition_id, value, curator, origin FROM curations ORDER BY curation_id")
    assert rows == [
        ("70000001", "design", None, "rct", "bo", "overrides.csv:2"),
        ("70000001", "ivig_focus", None, "yes", "bo", "overrides.csv:2"),
        ("70000001", "condition", "cidp", "yes", "bo", "overrides.csv:2"),
        ("70000001", "condition", "mmn", "yes", "bo", "overrides.csv:2"),
        ("70000002", "ivig_focus", None, "no", "ana", "overrides.csv:3"),
    ]


def test_a_bulk_file_with_an_unknown_column_is_refused_at_line_1(registry, tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("pmid,desing\n1,rct\n")
    with pytest.raises(CurationError, match="line 1: unknown column 'desing'"):
        read_curation_file(path, registry, "ana")


def test_a_confirmation_clears_needs_review(settings):
    con = duckdb.connect(str(settings.warehouse))
    update_tags(con, "review_reasons = 'weak design signal'", "pmid = '70000001'")
    con.close()
    assert read(settings, "SELECT needs_review FROM v_article WHERE pmid = '70000001'") == [(True,)]
    curate(settings, [Curation("70000001", "ana", confirm=True)], now=LATER)
    assert read(settings, "SELECT needs_review, design_source FROM v_article WHERE pmid = '70000001'") == [
        (False, "tagger")
    ]


def test_review_queue_puts_possible_trials_first_and_lower_confidence_first_within_a_class(settings):
    con = duckdb.connect(str(settings.warehouse))
    update_tags(con, "review_reasons = 'why', design_confidence = 0.9")
    update_tags(con, "design = 'rct', design_confidence = 0.6", "pmid = '70000001'")
    queue = [(i.pmid, i.design, i.confidence, i.fix) for i in read_review_queue(con)]
    update_tags(con, "design = 'rct', design_confidence = 0.95", "pmid = '70000002'")
    again = [i.pmid for i in read_review_queue(con)]
    update_tags(con, "design_confidence = 0.5", "pmid = '70000002'")
    both_rct = [i.pmid for i in read_review_queue(con)]
    con.close()
    assert queue == [
        ("70000001", "rct", 0.6, "ivig-lit curate 70000001 --design rct"),
        ("70000002", "case_report", 0.9, "ivig-lit curate 70000002 --design case_report"),
    ]
    assert again == ["70000001", "70000002"] and both_rct == ["70000002", "70000001"]


def test_review_queue_filters_by_condition(settings):
    con = duckdb.connect(str(settings.warehouse))
    update_tags(con, "review_reasons = 'why'")
    pmids = [i.pmid for i in read_review_queue(con, condition="gbs")]
    con.close()
    assert pmids == ["70000002"]
