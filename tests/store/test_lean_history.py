"""Each record's JSON is stored once: the current revision's in ``articles``, every other revision's in
``article_versions``; history still has one row per distinct content, and migrating a warehouse
built at the previous schema keeps every version."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import duckdb

from ivig_lit.parse.models import Article, PartialDate, PublicationType, hash_json
from ivig_lit.store import warehouse
from ivig_lit.store.migrate import list_migrations, migrate, schema_version

NOW = dt.datetime(2026, 11, 25, 2, 0)

# Every stored revision with its JSON, wherever it lives: the current one's is in articles.
HISTORY = """
SELECT v.pmid, v.content_hash, CAST(coalesce(v.record, a.record) AS VARCHAR)
FROM article_versions v
LEFT JOIN articles a ON a.pmid = v.pmid AND a.content_hash = v.content_hash
ORDER BY ALL
"""
# How many copies of JSON the warehouse holds per PMID.
COPIES = """
SELECT pmid, count(*) FROM (
    SELECT pmid FROM articles WHERE record IS NOT NULL
    UNION ALL SELECT pmid FROM article_versions WHERE record IS NOT NULL
) GROUP BY pmid ORDER BY pmid
"""


def _article(title: str = "IVIG in CIDP", revised: dt.date = dt.date(2026, 1, 1), pmid: str = "1") -> Article:
    return Article(
        pmid=pmid,
        title=title,
        title_raw=title,
        pub_date=PartialDate(2020, 3, None, "2020 Mar"),
        publication_types=(PublicationType("Journal Article", "D016428"),),
        history=(("entrez", dt.date(2020, 3, 2)),),
        date_revised=revised,
    )


def _load(con: duckdb.DuckDBPyConnection, *articles: Article) -> warehouse.LoadResult:
    return warehouse.upsert_articles(con, list(articles), "run", NOW)


def _expected(*articles: Article) -> list[tuple[str, str, str]]:
    return sorted((a.pmid, hash_json(a.canonical_json()), a.canonical_json()) for a in articles)


def _json_equal(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, dict]]:
    return [(pmid, h, json.loads(body)) for pmid, h, body in rows]


def test_a_new_article_keeps_its_json_once(fresh_db: duckdb.DuckDBPyConnection) -> None:
    _load(fresh_db, _article())
    assert fresh_db.execute(COPIES).fetchall() == [("1", 1)]
    assert fresh_db.execute("SELECT count(*) FROM article_versions WHERE record IS NULL").fetchone() == (1,)


def test_a_revision_moves_the_replaced_json_into_history(fresh_db: duckdb.DuckDBPyConnection) -> None:
    first, second = _article(), _article("IVIG in CIDP (corrected)", dt.date(2026, 5, 1))
    _load(fresh_db, first)
    _load(fresh_db, second)
    assert fresh_db.execute(COPIES).fetchall() == [("1", 2)]
    assert _json_equal(fresh_db.execute(HISTORY).fetchall()) == _json_equal(_expected(first, second))


def test_a_stale_record_keeps_its_json_in_history_only(fresh_db: duckdb.DuckDBPyConnection) -> None:
    newer, older = _article("corrected", dt.date(2026, 5, 1)), _article()
    _load(fresh_db, newer)
    assert _load(fresh_db, older).stale == ["1"]
    assert fresh_db.execute(COPIES).fetchall() == [("1", 2)]
    assert _json_equal(fresh_db.execute(HISTORY).fetchall()) == _json_equal(_expected(newer, older))


def test_a_record_returning_to_an_earlier_content_is_not_doubled(fresh_db: duckdb.DuckDBPyConnection) -> None:
    a, b = _article("first"), _article("second")  # same DateRevised: the later load wins the tie
    for article in (a, b, a):
        _load(fresh_db, article)
    assert fresh_db.execute("SELECT title FROM articles").fetchall() == [("first",)]
    assert fresh_db.execute(COPIES).fetchall() == [("1", 2)]
    assert _json_equal(fresh_db.execute(HISTORY).fetchall()) == _json_equal(_expected(a, b))


def test_revisions_in_one_batch_store_each_content_once(fresh_db: duckdb.DuckDBPyConnection) -> None:
    old, new = _article(), _article("corrected", dt.date(2026, 5, 1))
    _load(fresh_db, old)
    result = _load(fresh_db, new, old, dataclasses.replace(old))
    assert (result.revised, result.stale) == (["1"], ["1", "1"])
    assert fresh_db.execute(COPIES).fetchall() == [("1", 2)]
    assert _json_equal(fresh_db.execute(HISTORY).fetchall()) == _json_equal(_expected(old, new))


def _previous_schema(path: Path) -> duckdb.DuckDBPyConnection:
    """A warehouse at schema version 8, where article_versions held every revision's JSON."""
    con = duckdb.connect(str(path))
    migrate(con, [m for m in list_migrations() if m.version <= 8], views=[])
    return con


def _insert_v8(con: duckdb.DuckDBPyConnection, current: Article, *history: Article) -> None:
    """Rows as ivig-lit wrote them at schema version 8: the current JSON in both tables."""
    body = current.canonical_json()
    con.execute(
        "INSERT INTO articles (pmid, pmid_version, content_hash, title, title_raw, is_book, is_retracted, "
        "is_retraction_notice, is_erratum_notice, record, first_seen, last_revised, date_revised) "
        "VALUES (?, 1, ?, ?, ?, false, false, false, false, ?, ?, ?, ?)",
        [current.pmid, hash_json(body), current.title, current.title, body, NOW, NOW, current.date_revised],
    )
    for a in (current, *history):
        body = a.canonical_json()
        con.execute(
            "INSERT INTO article_versions VALUES (?, ?, 1, ?, ?, 'run', ?)",
            [a.pmid, hash_json(body), a.date_revised, NOW, body],
        )


def test_migrating_a_warehouse_with_revisions_keeps_every_version_and_drops_the_copy(tmp_path: Path) -> None:
    con = _previous_schema(tmp_path / "v8.duckdb")
    first, second, third = _article("a"), _article("b", dt.date(2026, 3, 1)), _article("c", dt.date(2026, 5, 1))
    other = _article(pmid="2")
    _insert_v8(con, third, first, second)
    _insert_v8(con, other)
    before = _json_equal(
        con.execute("SELECT pmid, content_hash, CAST(record AS VARCHAR) FROM article_versions").fetchall()
    )
    migrate(con)
    assert schema_version(con) == max(m.version for m in list_migrations())
    assert sorted(_json_equal(con.execute(HISTORY).fetchall())) == sorted(before)
    assert con.execute(COPIES).fetchall() == [("1", 3), ("2", 1)]


def test_a_migrated_warehouse_takes_new_revisions_without_doubling(tmp_path: Path) -> None:
    con = _previous_schema(tmp_path / "v8.duckdb")
    old = _article("a")
    _insert_v8(con, old)
    migrate(con)
    newer = _article("b", dt.date(2026, 5, 1))
    assert _load(con, newer).revised == ["1"]
    assert con.execute(COPIES).fetchall() == [("1", 2)]
    assert _json_equal(con.execute(HISTORY).fetchall()) == _json_equal(_expected(old, newer))
