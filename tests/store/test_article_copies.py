"""v_article reads `articles` alone: each row keeps a copy of its tags, the curators' newest word and
whether a retraction notice names it (migration 0012). The writes that change those tables keep the
copies right, so the view always says what the joins of the tables say (`JOINED`, the view as it
was written before 0012)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ivig_lit.config import Settings
from ivig_lit.curate import curate
from ivig_lit.ingest import load_xml
from ivig_lit.parse.models import Article, CommentCorrection, PartialDate
from ivig_lit.retag import retag
from ivig_lit.store import warehouse
from ivig_lit.store.curation import Curation
from ivig_lit.store.migrate import list_migrations, migrate
from tests.cases.records import CASE, COHORT, write_corpus
from tests.cases.registries import evidence_only_registry

NOW = dt.datetime(2026, 11, 20, 6, 0)
LATER = NOW + dt.timedelta(days=1)
JOINED = """
WITH cur AS (
    SELECT pmid,
        arg_max(value, curation_id) FILTER (WHERE tag = 'design')      AS design,
        arg_max(value, curation_id) FILTER (WHERE tag = 'ivig_focus')  AS ivig_focus,
        arg_max(value, curation_id) FILTER (WHERE tag = 'direction')   AS direction,
        arg_max(curator, curation_id) AS curated_by, max(curated_at) AS curated_at,
        arg_max(note, curation_id) AS curation_note
    FROM curations GROUP BY pmid
),
rn AS (SELECT DISTINCT ref_pmid AS pmid FROM article_links WHERE ref_type = 'RetractionOf')
SELECT a.pmid, a.title, a.journal, a.pub_year, a.pub_date, coalesce(cur.design, t.design, 'other'),
    t.design_evidence, t.design_confidence, coalesce(cur.ivig_focus = 'yes', t.ivig_focus, false), t.ivig_evidence,
    t.ivig_confidence, t.review_reasons IS NOT NULL AND cur.pmid IS NULL, t.review_reasons, t.comparator,
    t.n_participants, t.age_group, coalesce(cur.direction, t.direction), t.direction_evidence,
    a.is_retracted OR rn.pmid IS NOT NULL, a.is_retraction_notice, a.is_erratum_notice, a.citation_status,
    a.publication_types, a.doi, a.pmc, a.entrez_date, a.first_seen, a.last_revised, t.tagger_version,
    CASE WHEN cur.design IS NOT NULL THEN 'curator' ELSE 'tagger' END,
    CASE WHEN cur.ivig_focus IS NOT NULL THEN 'curator' ELSE 'tagger' END,
    CASE WHEN cur.direction IS NOT NULL THEN 'curator' ELSE 'tagger' END,
    t.design, cur.curated_by, cur.curated_at, cur.curation_note
FROM articles a LEFT JOIN article_tags t USING (pmid) LEFT JOIN cur USING (pmid) LEFT JOIN rn USING (pmid)
WHERE a.deleted_at IS NULL
ORDER BY a.pmid
"""
COHORT_AS_RCT = dataclasses.replace(
    COHORT,
    abstract="In this randomized, double-blind, placebo-controlled trial, 117 patients with CIDP received IVIG or "
    "placebo. IVIG improved disability compared with placebo.",
    publication_types=("Randomized Controlled Trial",),
    revised=dt.date(2025, 6, 1),
)


def view_and_joins(path: Path) -> tuple[list[tuple], list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT * FROM v_article ORDER BY pmid").fetchall(), con.execute(JOINED).fetchall()
    finally:
        con.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings(warehouse=tmp_path / "w.duckdb", registry=evidence_only_registry(tmp_path / "registry.toml"))
    load_xml([write_corpus(tmp_path / "c.xml", [COHORT, CASE])], s, now=NOW)
    return s


def design_of(settings: Settings, pmid: int) -> tuple:
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        query = "SELECT design, design_source, ivig_focus, needs_review FROM v_article WHERE pmid = ?"
        return con.execute(query, [str(pmid)]).fetchone()
    finally:
        con.close()


def test_loaded_articles_read_the_same_through_the_view_as_through_the_joins(settings: Settings) -> None:
    view, joined = view_and_joins(settings.warehouse)
    assert len(view) == 2 and view == joined


def test_an_override_updates_the_article_row(settings: Settings) -> None:
    curate(settings, [Curation(str(COHORT.pmid), "ana", design="rct", ivig_focus=False, note="randomised")], now=LATER)
    assert design_of(settings, COHORT.pmid) == ("rct", "curator", False, False)
    view, joined = view_and_joins(settings.warehouse)
    assert view == joined


def test_a_retag_updates_the_article_row(settings: Settings) -> None:
    con = warehouse.connect(settings.warehouse)
    con.execute("UPDATE article_tags SET design = 'case_report', tagger_version = '0.0.1' WHERE pmid = '70000001'")
    con.execute("UPDATE articles SET tagger_design = 'case_report' WHERE pmid = '70000001'")  # an older tagger's
    con.close()
    retag(settings)
    assert design_of(settings, COHORT.pmid)[:2] == ("cohort", "tagger")
    view, joined = view_and_joins(settings.warehouse)
    assert view == joined


def test_a_revised_record_updates_the_article_row(settings: Settings, tmp_path: Path) -> None:
    assert design_of(settings, COHORT.pmid)[0] == "cohort"
    load_xml([write_corpus(tmp_path / "revised.xml", [COHORT_AS_RCT])], settings, now=LATER)
    assert design_of(settings, COHORT.pmid)[0] == "rct"
    view, joined = view_and_joins(settings.warehouse)
    assert view == joined


def _article(pmid: str, *refs: CommentCorrection, revised: dt.date = dt.date(2026, 1, 1)) -> Article:
    return Article(
        pmid=pmid,
        title=f"Article {pmid}",
        title_raw=f"Article {pmid}",
        pub_date=PartialDate(2026, 1, None, "2026 Jan"),
        history=(("entrez", dt.date(2026, 1, 5)),),
        date_revised=revised,
        comments_corrections=refs,
    )


def _retracted(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT pmid FROM v_article WHERE is_retracted ORDER BY pmid").fetchall()]


def test_a_retraction_notice_marks_the_article_it_names_whichever_arrives_first(
    fresh_db: duckdb.DuckDBPyConnection,
) -> None:
    warehouse.upsert_articles(fresh_db, [_article("1")], "run-1", NOW)
    warehouse.upsert_articles(fresh_db, [_article("2", CommentCorrection("RetractionOf", "1"))], "run-2", NOW)
    assert _retracted(fresh_db) == ["1"]
    warehouse.upsert_articles(fresh_db, [_article("3", CommentCorrection("RetractionOf", "4"))], "run-3", NOW)
    warehouse.upsert_articles(fresh_db, [_article("4")], "run-4", NOW)
    assert _retracted(fresh_db) == ["1", "4"]


def test_a_revised_notice_that_no_longer_names_an_article_unmarks_it_unless_another_does(
    fresh_db: duckdb.DuckDBPyConnection,
) -> None:
    notice = CommentCorrection("RetractionOf", "1")
    articles = [_article("1"), _article("5"), _article("2", notice), _article("3", notice), _article("6", notice)]
    warehouse.upsert_articles(fresh_db, articles, "run-1", NOW)
    later = dt.date(2026, 2, 1)
    revised = [
        _article("2", revised=later),
        _article("3", revised=later),
        _article("6", CommentCorrection("RetractionOf", "5"), revised=later),
    ]
    warehouse.upsert_articles(fresh_db, revised[:1], "run-2", NOW)
    assert _retracted(fresh_db) == ["1"]  # notice 3 and 6 still name it
    warehouse.upsert_articles(fresh_db, revised[1:], "run-3", NOW)
    assert _retracted(fresh_db) == ["5"]


def test_the_migration_fills_the_copies_of_a_warehouse_written_before_it(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    before = [m for m in list_migrations() if m.version < 12]
    migrate(con, before, views=[])
    con.execute(
        "INSERT INTO articles (pmid, pmid_version, content_hash, title, title_raw, is_book, is_retracted, "
        "is_retraction_notice, is_erratum_notice, record, first_seen, last_revised) "
        "SELECT p, 1, 'h', 'T' || p, 'T' || p, false, false, p = '3', false, '{}', ?, ? "
        "FROM unnest(['1', '2', '3']) AS u(p)",
        [NOW, NOW],
    )
    con.execute(
        "INSERT INTO article_tags (pmid, tagger_version, design, design_evidence, ivig_focus, ivig_evidence, "
        "content_hash, tagged_at, review_reasons, n_participants, direction) VALUES "
        "('1', 't1', 'rct', 'pt', true, 'title', 'h', ?, 'weak', 40, 'favours_ivig'), "
        "('2', 't1', 'cohort', 'text', false, 'abstract', 'h', ?, NULL, NULL, NULL)",
        [NOW, NOW],
    )
    con.execute(
        "INSERT INTO curations (pmid, tag, value, curator, note, curated_at, origin) VALUES "
        "('2', 'design', 'case_series', 'ana', 'n=3', ?, 'cli'), ('2', 'ivig_focus', 'yes', 'bo', NULL, ?, 'cli')",
        [NOW, LATER],
    )
    con.execute("INSERT INTO article_links VALUES ('3', 'RetractionOf', '1', NULL)")
    migrate(con)
    view = con.execute("SELECT * FROM v_article ORDER BY pmid").fetchall()
    assert view == con.execute(JOINED).fetchall()
    assert [(r[0], r[5], r[8], r[11], r[18]) for r in view] == [
        ("1", "rct", True, True, True),
        ("2", "case_series", True, False, False),
        ("3", "other", False, False, False),
    ]
    con.close()
