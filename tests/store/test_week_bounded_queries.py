"""The digest's week-bounded queries read conditions from the tables for the week's articles only;
they must still apply v_article_condition's rules (a curator's newest 'yes' adds a condition, 'no'
removes it) and so agree with the same question asked through the public views."""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import pytest

from ivig_lit.parse.models import Article, PartialDate, PublicationType
from ivig_lit.store import warehouse
from ivig_lit.store.queries import load_query

NOW = dt.datetime(2026, 11, 25, 2, 0)
WEEK = {"start": dt.date(2026, 11, 16), "end": dt.date(2026, 11, 22)}
# digest_new_articles asked through the views, as it was written before it was bounded.
NEW_ARTICLES_BY_VIEWS = """
SELECT ac.condition_id, a.pmid, a.title, a.journal, a.entrez_date, a.pub_date, a.design, a.direction, a.doi,
       a.n_participants, a.comparator, a.pmc
FROM v_article_condition ac JOIN v_article a USING (pmid)
WHERE a.entrez_date BETWEEN $start AND $end AND a.ivig_focus AND NOT a.is_retraction_notice
  AND NOT a.is_erratum_notice
ORDER BY ac.condition_id, a.entrez_date DESC, a.pmid
"""
CONDITIONS_BY_VIEWS = """
SELECT a.pmid, list(ac.condition_id ORDER BY ac.condition_id)
FROM v_article a JOIN v_article_condition ac USING (pmid)
WHERE a.needs_review AND a.entrez_date BETWEEN $start AND $end
GROUP BY a.pmid ORDER BY a.pmid
"""


def _article(pmid: str, entered: dt.date) -> Article:
    return Article(
        pmid=pmid,
        title=f"IVIG study {pmid}",
        title_raw=f"IVIG study {pmid}",
        pub_date=PartialDate(2026, 11, None, "2026 Nov"),
        publication_types=(PublicationType("Journal Article", "D016428"),),
        history=(("entrez", entered),),
    )


@pytest.fixture
def db(fresh_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Five articles in the week and one before it, tagged, with conditions and curator overrides."""
    in_week, before = dt.date(2026, 11, 18), dt.date(2026, 11, 2)
    articles = [_article(str(p), in_week) for p in range(1, 6)] + [_article("9", before)]
    warehouse.upsert_articles(fresh_db, [dataclasses.replace(a) for a in articles], "run-1", NOW)
    for a in articles:
        fresh_db.execute(
            "INSERT INTO article_tags (pmid, tagger_version, design, design_evidence, ivig_focus, ivig_evidence, "
            "content_hash, tagged_at, review_reasons) VALUES (?, 't1', 'rct', 'pt', ?, 'title', 'h', ?, ?)",
            [a.pmid, a.pmid != "5", NOW, "low confidence" if a.pmid in ("1", "2", "5", "9") else None],
        )
    conditions = [("1", "cidp", "text"), ("1", "cidp", "mesh"), ("1", "gbs", "text"), ("2", "gbs", "query"),
                  ("3", "mmn", "text"), ("5", "cidp", "text"), ("9", "cidp", "text")]  # fmt: skip
    fresh_db.executemany(
        "INSERT INTO article_conditions (pmid, condition_id, source, evidence) VALUES (?, ?, ?, 'e')", conditions
    )
    curations = [("1", "gbs", "no"), ("3", "mmn", "no"), ("3", "mmn", "yes"), ("4", "myasthenia_gravis", "yes"),
                 ("2", "cidp", "yes"), ("2", "cidp", "no")]  # fmt: skip
    fresh_db.executemany(
        "INSERT INTO curations (pmid, tag, condition_id, value, curator, curated_at, origin) "
        "VALUES (?, 'condition', ?, ?, 'ana', ?, 'cli')",
        [(*c, NOW) for c in curations],
    )
    fresh_db.execute(load_query("refresh_article_tags"), {"pmids": [a.pmid for a in articles]})
    fresh_db.execute(load_query("refresh_article_curations"), {"pmids": [a.pmid for a in articles]})
    return fresh_db


def test_the_weeks_new_articles_follow_condition_curations_as_the_views_do(db: duckdb.DuckDBPyConnection) -> None:
    bounded = db.execute(load_query("digest_new_articles"), WEEK).fetchall()
    assert bounded == db.execute(NEW_ARTICLES_BY_VIEWS, WEEK).fetchall()
    assert [(r[0], r[1]) for r in bounded] == [("cidp", "1"), ("gbs", "2"), ("mmn", "3"), ("myasthenia_gravis", "4")]


def test_the_weeks_review_queue_lists_the_conditions_the_views_give(db: duckdb.DuckDBPyConnection) -> None:
    params = {**WEEK, "limit": 20, "condition": None}
    queue = {r[0]: r[3] for r in db.execute(load_query("review_queue"), params).fetchall()}
    assert sorted(queue.items()) == [(p, c) for p, c in db.execute(CONDITIONS_BY_VIEWS, WEEK).fetchall()]
    assert queue == {"5": ["cidp"]}  # curated articles need no review; 9 is outside the week
