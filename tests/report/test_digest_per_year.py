"""The digest's per-year charts read the counts each recorded run keeps with its status snapshots
(a few rows whatever the warehouse's size), and agree with counting the views as of that run."""

from __future__ import annotations

import datetime as dt

import duckdb

from ivig_lit.report import build_digest
from ivig_lit.store.queries import load_query
from tests.report.conftest import AFTER, TODAY, WEEK


def _counted_from_views(con: duckdb.DuckDBPyConnection, end: dt.date) -> dict[str, dict[int, dict[str, int]]]:
    out: dict[str, dict[int, dict[str, int]]] = {}
    for cid, year, design, n in con.execute(load_query("digest_articles_per_year"), {"end": end}).fetchall():
        out.setdefault(cid, {}).setdefault(year, {})[design] = n
    return out


def test_the_per_year_counts_kept_with_a_snapshot_match_the_views_as_of_its_run(known_week, registry) -> None:
    shown = {s.condition_id for s in build_digest(known_week, registry, WEEK, TODAY).statuses if not s.is_group}
    expected = {cid: years for cid, years in _counted_from_views(known_week, AFTER.date()).items() if cid in shown}
    assert build_digest(known_week, registry, WEEK, TODAY).per_year == expected
    assert expected["gbs"][2026] == {"cohort": 1, "meta_analysis": 1}  # the week's own articles are in


def test_snapshots_recorded_before_the_counts_were_kept_are_charted_from_the_views(known_week, registry) -> None:
    known_week.execute("UPDATE condition_status_snapshots SET per_year = NULL")
    digest = build_digest(known_week, registry, WEEK, TODAY)
    assert digest.per_year == _counted_from_views(known_week, digest.end)


def test_a_week_before_any_recorded_status_has_no_per_year_counts(known_week, registry) -> None:
    digest = build_digest(known_week, registry, "2026-W01", TODAY)
    assert digest.statuses == () and digest.per_year == {}


def test_a_warehouse_not_yet_migrated_to_keep_the_counts_is_charted_from_the_views(known_week, registry) -> None:
    known_week.execute("ALTER TABLE condition_status_snapshots DROP COLUMN per_year")  # as before migration 0011
    digest = build_digest(known_week, registry, WEEK, TODAY)
    assert digest.per_year == _counted_from_views(known_week, digest.end)
