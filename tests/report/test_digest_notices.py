"""A week's retraction and erratum notices: a bulk load can bring hundreds in one week, so the digest
lists the first few and counts the rest."""

from __future__ import annotations

import datetime as dt

import duckdb

from ivig_lit.report import build_digest, digest, render_html, render_markdown
from tests.assess.warehouse_builder import WarehouseBuilder
from tests.report.conftest import TODAY, WEEK


def _more_errata(wh: WarehouseBuilder, n: int) -> None:
    for i in range(n):
        pmid = str(700 + i)
        wh.article(pmid, "other", None, (), title=f"Erratum {pmid}", erratum_notice=True,
                   entrez_date=dt.date(2026, 11, 18), corrects=("ErratumFor", "101"), run_id="run-week")  # fmt: skip


def test_a_week_with_more_notices_than_shown_lists_the_first_and_counts_the_rest(
    known_week: duckdb.DuckDBPyConnection, wh: WarehouseBuilder, registry, monkeypatch
) -> None:
    _more_errata(wh, 2)
    monkeypatch.setattr(digest, "NOTICES_SHOWN", 2)
    d = build_digest(known_week, registry, WEEK, TODAY)
    assert [n.pmid for n in d.notices] == ["601", "700"] and d.n_notices == 5
    markdown = render_markdown(d)
    assert "5 retraction/erratum notices" in markdown
    assert "- … and 3 more (view `v_article`)" in markdown
    assert "… and 3 more (view <code>v_article</code>)" in render_html(d)


def test_a_week_with_few_notices_lists_them_all_and_says_no_more(
    known_week: duckdb.DuckDBPyConnection, registry
) -> None:
    d = build_digest(known_week, registry, WEEK, TODAY)
    assert d.n_notices == len(d.notices) == 3
    assert "more (view" not in render_markdown(d)
