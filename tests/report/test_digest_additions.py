"""A week's notable additions: a bulk load can add thousands in one run, so the digest lists the
first few and counts the rest, and its cost stays that of a readable list."""

from __future__ import annotations

import duckdb

from ivig_lit.report import build_digest, digest, render_html, render_markdown
from tests.report.conftest import TODAY, WEEK


def _add_more(con: duckdb.DuckDBPyConnection, n: int) -> None:
    con.execute(
        "INSERT INTO notable_additions SELECT 'bulk', 'gbs', a.added_at + INTERVAL (i) MINUTE, 'bulk-' || i, 'rct', "
        "'favours_ivig', a.status, 'new_trial' FROM (SELECT * FROM notable_additions LIMIT 1) a, range(?) r(i)",
        [n],
    )


def test_a_week_with_more_additions_than_shown_lists_the_first_and_counts_the_rest(
    known_week: duckdb.DuckDBPyConnection, registry, monkeypatch
) -> None:
    _add_more(known_week, 4)
    monkeypatch.setattr(digest, "ADDITIONS_SHOWN", 2)
    d = build_digest(known_week, registry, WEEK, TODAY)
    assert [a.pmid for a in d.additions] == ["501", "bulk-0"] and d.n_additions == 5
    assert "- … and 3 more (table `notable_additions`)" in render_markdown(d)
    assert "… and 3 more (table <code>notable_additions</code>)" in render_html(d)


def test_a_week_with_few_additions_lists_them_all_and_says_no_more(
    known_week: duckdb.DuckDBPyConnection, registry
) -> None:
    d = build_digest(known_week, registry, WEEK, TODAY)
    assert d.n_additions == len(d.additions) == 1
    assert "more (table" not in render_markdown(d)
