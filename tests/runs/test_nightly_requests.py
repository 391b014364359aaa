"""What a nightly run asks of E-utilities: one union ESearch per shared date window (sent by POST),
a condition added later backfilled from its own start, history-server paging for large backfills,
and the same articles and conditions as one search per condition would find."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from ivig_lit.config import Settings
from ivig_lit.emulator import Emulator
from tests.runs.support import D, query, run

URL_LIMIT = 8192  # a common web-server request-line limit: a union query must travel in a POST body


def esearch_terms(emu: Emulator) -> list[str]:
    return [r.params["term"] for r in emu.requests.filter(endpoint="esearch")]


def test_a_quiet_night_costs_two_esearch_requests_and_no_efetch(settings: Settings, emu: Emulator) -> None:
    run(settings, D(2026, 11, 12))
    emu.reset()
    emu.today = D(2026, 11, 13)
    summary = run(settings, D(2026, 11, 13))
    assert len(esearch_terms(emu)) == 2 and emu.requests.filter(endpoint="efetch") == []
    assert summary.counts.requests == 2
    assert query(settings, "SELECT requests FROM v_run ORDER BY started_at DESC LIMIT 1") == [(2,)]


def test_a_first_run_searches_every_condition_with_one_union_query_sent_by_post(
    settings: Settings, emu: Emulator
) -> None:
    run(settings, D(2026, 11, 12))
    [search] = emu.requests.filter(endpoint="esearch")
    assert search.method == "POST" and "?" not in search.path
    assert len(urlencode({"term": search.params["term"]})) > URL_LIMIT
    assert '"1900/01/01"[crdt]' in search.params["term"]


def test_a_condition_added_later_is_backfilled_from_its_own_start(settings: Settings, emu: Emulator) -> None:
    run(settings, D(2026, 11, 12), conditions=["cidp"])  # as if the registry had tracked only CIDP
    emu.reset()
    emu.today = D(2026, 11, 13)
    summary = run(settings, D(2026, 11, 13))
    terms = esearch_terms(emu)
    assert len(terms) == 3  # CIDP's new and revised windows, the others' backfill
    assert sum('"2026/11/09"[crdt]' in t for t in terms) == 1 and sum('"1900/01/01"[crdt]' in t for t in terms) == 1
    assert summary.per_condition["gbs"] == 28 and summary.counts.new == 29  # GBS cohorts from 2015 on, MMN
    marks = query(settings, "SELECT DISTINCT condition_id, watermark FROM _ivig_watermarks WHERE kind = 'crdt'")
    assert {m for _, m in marks} == {D(2026, 11, 13)} and len(marks) == 15


def test_the_union_search_loads_what_one_search_per_condition_loads(settings: Settings, emu: Emulator) -> None:
    per_condition = dataclasses.replace(
        settings, warehouse=settings.warehouse.with_name("per.duckdb"), union_search=False
    )
    union = run(settings, D(2026, 11, 12))
    alone = run(per_condition, D(2026, 11, 12))
    assert union.per_condition == alone.per_condition and union.counts.new == alone.counts.new == 30
    for sql in (
        "SELECT pmid, condition_id FROM article_query_hits ORDER BY ALL",
        "SELECT pmid, condition_id, source FROM article_conditions ORDER BY ALL",
        "SELECT pmid, content_hash FROM articles ORDER BY ALL",
    ):
        assert query(settings, sql) == query(per_condition, sql)
    assert union.counts.requests < alone.counts.requests


def test_a_backfill_past_the_history_threshold_pages_through_the_history_server(
    settings: Settings, emu: Emulator
) -> None:
    paged = dataclasses.replace(settings, history_threshold=5, history_batch_size=10)
    summary = run(paged, D(2026, 11, 12))
    fetches = emu.requests.filter(endpoint="efetch")
    assert [(r.params["retstart"], r.params["retmax"]) for r in fetches] == [("0", "10"), ("10", "10"), ("20", "10")]
    assert all(r.params["WebEnv"] == fetches[0].params["WebEnv"] for r in fetches)
    assert summary.counts.new == 30 and summary.counts.missing == []
