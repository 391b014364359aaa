"""Loading is idempotent, keeps revisions, and watermarks only move forward."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ivig_lit.errors import QueryError
from ivig_lit.parse.models import Article, CommentCorrection, MeshHeading, PartialDate, PublicationType
from ivig_lit.store import warehouse

NOW = dt.datetime(2026, 11, 25, 2, 0)


def _article(pmid: str = "1", **changes) -> Article:
    base = Article(
        pmid=pmid,
        title="IVIG in CIDP",
        title_raw="IVIG in <i>CIDP</i>",
        pub_date=PartialDate(2020, 3, None, "2020 Mar"),
        publication_types=(PublicationType("Journal Article", "D016428"),),
        history=(("entrez", dt.date(2020, 3, 2)),),
    )
    return dataclasses.replace(base, **changes)


def test_new_article_is_inserted_with_its_first_version(fresh_db: duckdb.DuckDBPyConnection) -> None:
    result = warehouse.upsert_articles(fresh_db, [_article()], "run-1", NOW)
    assert result.new == ["1"]
    assert fresh_db.execute("SELECT pmid, title, pub_year FROM articles").fetchall() == [("1", "IVIG in CIDP", 2020)]
    assert fresh_db.execute("SELECT count(*) FROM article_versions").fetchone() == (1,)


def test_loading_the_same_record_twice_changes_nothing(fresh_db: duckdb.DuckDBPyConnection) -> None:
    warehouse.upsert_articles(fresh_db, [_article()], "run-1", NOW)
    before = fresh_db.execute("SELECT * FROM articles").fetchall()
    result = warehouse.upsert_articles(fresh_db, [_article()], "run-2", NOW + dt.timedelta(days=1))
    assert result.unchanged == ["1"] and result.changed == []
    assert fresh_db.execute("SELECT * FROM articles").fetchall() == before


def test_a_revision_updates_the_article_and_keeps_both_versions(fresh_db: duckdb.DuckDBPyConnection) -> None:
    warehouse.upsert_articles(fresh_db, [_article()], "run-1", NOW)
    indexed = _article(
        mesh=(MeshHeading("Polyradiculoneuropathy, Chronic Inflammatory Demyelinating", "D020277"),),
        publication_types=(PublicationType("Randomized Controlled Trial", "D016449"),),
    )
    later = NOW + dt.timedelta(days=40)
    assert warehouse.upsert_articles(fresh_db, [indexed], "run-2", later).revised == ["1"]
    row = fresh_db.execute("SELECT publication_types, first_seen, last_revised FROM articles").fetchone()
    assert row == (["Randomized Controlled Trial"], NOW, later)
    assert fresh_db.execute("SELECT count(*) FROM article_versions WHERE pmid = '1'").fetchone() == (2,)


def test_a_retraction_notice_marks_its_target_retracted_in_v_article(fresh_db: duckdb.DuckDBPyConnection) -> None:
    notice = _article("2", title="Retraction", comments_corrections=(CommentCorrection("RetractionOf", "1"),))
    warehouse.upsert_articles(fresh_db, [_article(), notice], "run-1", NOW)
    assert fresh_db.execute("SELECT pmid, is_retracted FROM v_article ORDER BY pmid").fetchall() == [
        ("1", True),
        ("2", False),
    ]


def test_deleted_citations_leave_the_views_but_stay_stored(fresh_db: duckdb.DuckDBPyConnection) -> None:
    warehouse.upsert_articles(fresh_db, [_article()], "run-1", NOW)
    assert warehouse.mark_deleted(fresh_db, ["1", "999"], NOW) == 1
    assert fresh_db.execute("SELECT count(*) FROM v_article").fetchone() == (0,)
    assert fresh_db.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_an_older_revision_is_kept_as_history_and_counted_stale(fresh_db: duckdb.DuckDBPyConnection) -> None:
    newer = _article(title="IVIG in CIDP (corrected)", date_revised=dt.date(2026, 5, 1))
    warehouse.upsert_articles(fresh_db, [newer], "run-1", NOW)
    result = warehouse.upsert_articles(fresh_db, [_article(date_revised=dt.date(2026, 1, 1))], "run-2", NOW)
    assert (result.stale, result.changed) == (["1"], [])
    assert fresh_db.execute("SELECT title FROM articles").fetchall() == [("IVIG in CIDP (corrected)",)]
    assert fresh_db.execute("SELECT count(*) FROM article_versions").fetchone() == (2,)


def test_on_the_same_revision_date_a_higher_version_wins(fresh_db: duckdb.DuckDBPyConnection) -> None:
    day = dt.date(2026, 5, 1)
    warehouse.upsert_articles(fresh_db, [_article(title="v2", version=2, date_revised=day)], "run-1", NOW)
    assert warehouse.upsert_articles(fresh_db, [_article(title="v1", date_revised=day)], "run-2", NOW).stale == ["1"]
    assert fresh_db.execute("SELECT title, pmid_version FROM articles").fetchall() == [("v2", 2)]


def test_on_a_tie_the_later_arrival_wins(fresh_db: duckdb.DuckDBPyConnection) -> None:
    day = dt.date(2026, 5, 1)
    warehouse.upsert_articles(fresh_db, [_article(title="first", date_revised=day)], "run-1", NOW)
    assert warehouse.upsert_articles(fresh_db, [_article(title="second", date_revised=day)], "run-2", NOW).revised
    assert fresh_db.execute("SELECT title FROM articles").fetchall() == [("second",)]


def test_a_deletion_older_than_the_stored_revision_leaves_it_live(fresh_db: duckdb.DuckDBPyConnection) -> None:
    warehouse.upsert_articles(fresh_db, [_article(date_revised=dt.date(2026, 5, 1))], "run-1", NOW)
    assert warehouse.mark_deleted(fresh_db, ["1"], NOW, dt.date(2026, 3, 1)) == 0
    assert fresh_db.execute("SELECT count(*) FROM v_article").fetchone() == (1,)


def test_a_deletion_before_any_record_keeps_an_older_record_out_of_the_views(
    fresh_db: duckdb.DuckDBPyConnection,
) -> None:
    warehouse.mark_deleted(fresh_db, ["1"], NOW, dt.date(2026, 3, 1))
    warehouse.upsert_articles(fresh_db, [_article(date_revised=dt.date(2026, 1, 1))], "run-2", NOW)
    assert fresh_db.execute("SELECT count(*) FROM v_article").fetchone() == (0,)
    assert fresh_db.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_a_revision_newer_than_the_deletion_brings_the_article_back(fresh_db: duckdb.DuckDBPyConnection) -> None:
    warehouse.upsert_articles(fresh_db, [_article(date_revised=dt.date(2026, 1, 1))], "run-1", NOW)
    warehouse.mark_deleted(fresh_db, ["1"], NOW, dt.date(2026, 3, 1))
    revived = _article(title="IVIG in CIDP (reinstated)", date_revised=dt.date(2026, 4, 1))
    assert warehouse.upsert_articles(fresh_db, [revived], "run-2", NOW).revised == ["1"]
    assert fresh_db.execute("SELECT title FROM v_article").fetchall() == [("IVIG in CIDP (reinstated)",)]


def test_watermark_never_moves_back(fresh_db: duckdb.DuckDBPyConnection) -> None:
    warehouse.set_watermark(fresh_db, "cidp", "crdt", dt.date(2026, 11, 20), "r1", NOW)
    warehouse.set_watermark(fresh_db, "cidp", "crdt", dt.date(2026, 11, 1), "r2", NOW)
    assert warehouse.get_watermarks(fresh_db) == {("cidp", "crdt"): dt.date(2026, 11, 20)}


def test_a_rolled_back_transaction_leaves_no_trace(fresh_db: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(RuntimeError), warehouse.transaction(fresh_db):
        warehouse.upsert_articles(fresh_db, [_article()], "run-1", NOW)
        warehouse.set_watermark(fresh_db, "cidp", "crdt", dt.date(2026, 11, 20), "r1", NOW)
        raise RuntimeError("crash between stages")
    assert fresh_db.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    assert warehouse.get_watermarks(fresh_db) == {}


def test_read_query_refuses_to_write(fresh_db: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    fresh_db.close()
    with pytest.raises(QueryError, match="read-only"):
        warehouse.read_query(db_path, "DELETE FROM articles")


def test_read_query_on_a_missing_warehouse_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="run `ivig-lit nightly`"):
        warehouse.read_query(tmp_path / "none.duckdb", "SELECT 1")
