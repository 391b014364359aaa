"""The nightly run end to end on plain functions: real client, emulator over HTTP, real DuckDB
file. (One real Prefect flow run lives in tests/flows.)"""

from __future__ import annotations

import pytest

from ivig_lit.config import Settings
from ivig_lit.emulator import Emulator
from ivig_lit.errors import EutilsUnavailableError
from tests.conftest import copy_warehouse
from tests.runs.support import SECRET, D, query, run, tables


@pytest.fixture
def after_first_run(settings: Settings, backfilled) -> Settings:
    """``settings`` on a copy of the module's first run on 2026-11-12, as if this test had made it."""
    copy_warehouse(backfilled, settings.warehouse)
    return settings


def test_first_run_backfills_every_condition_and_records_the_run(settings: Settings) -> None:
    summary = run(settings, D(2026, 11, 12))
    assert summary.counts.new == 30 and summary.counts.missing == []
    assert summary.per_condition["gbs"] == 28 and summary.per_condition["cidp"] == 1
    assert query(settings, "SELECT flow, status, n_new, n_missing FROM v_run") == [("nightly", "completed", 30, 0)]
    marks = query(settings, "SELECT DISTINCT kind, watermark FROM _ivig_watermarks ORDER BY 1")
    assert marks == [("crdt", D(2026, 11, 12)), ("ctgov", D(2026, 11, 12)), ("mdat", D(2026, 11, 12))]


def test_off_topic_records_are_not_loaded(after_first_run: Settings) -> None:
    assert query(after_first_run, "SELECT count(*) FROM articles WHERE pmid = '60000200'") == [(0,)]


def test_a_record_added_late_is_found_by_its_create_date(settings: Settings, emu: Emulator) -> None:
    emu.today = D(2026, 11, 5)
    run(settings, D(2026, 11, 5))
    emu.today = D(2026, 11, 12)
    summary = run(settings, D(2026, 11, 12))
    assert summary.counts.new == 1
    late = "SELECT entrez_date, CAST(first_seen AS DATE) FROM articles WHERE pmid = '60000100'"
    assert query(settings, late) == [(D(2019, 6, 1), D(2026, 11, 12))]


def test_rerunning_the_same_window_leaves_every_table_identical(after_first_run: Settings) -> None:
    settings = after_first_run
    per_run = {"_ivig_runs", "condition_status_snapshots"}  # one row per run, by design
    before = tables(settings.warehouse, per_run)
    again = run(settings, D(2026, 11, 12), since=D(1990, 1, 1))
    assert (again.counts.new, again.counts.revised) == (0, 0)
    assert tables(settings.warehouse, per_run) == before


def test_watermark_does_not_advance_when_the_fetch_fails(settings: Settings, emu: Emulator) -> None:
    emu.faults.set_rate(503, 1.0, endpoint="efetch")
    with pytest.raises(EutilsUnavailableError):
        run(settings, D(2026, 11, 12))
    assert query(settings, "SELECT status, n_new FROM v_run") == [("failed", 0)]
    assert "EFetch" in query(settings, "SELECT error FROM v_run")[0][0]
    assert query(settings, "SELECT count(*) FROM _ivig_watermarks") == [(0,)]


def test_a_rerun_after_a_failure_ends_where_a_clean_run_would(settings: Settings, emu: Emulator, tmp_path) -> None:
    emu.faults.script([503, 503], endpoint="efetch")  # the first batch outlasts max_tries=2
    with pytest.raises(EutilsUnavailableError):
        run(settings, D(2026, 11, 12))
    emu.faults.clear()
    run(settings, D(2026, 11, 12))
    clean = Settings.from_env({}, warehouse=tmp_path / "clean.duckdb", base_url=emu.base_url, rate_limit=1000.0)
    run(clean, D(2026, 11, 12))
    skip = {"_ivig_runs", "_ivig_migrations", "condition_status_snapshots", "status_changes", "notable_additions",
            "_ivig_watermarks",
            "article_query_hits", "article_tag_history", "article_versions", "articles", "article_tags"}  # fmt: skip
    assert tables(settings.warehouse, skip) == tables(clean.warehouse, skip)
    same = "SELECT pmid, content_hash FROM articles ORDER BY 1"
    assert query(settings, same) == query(clean, same)
    tags = "SELECT pmid, design, ivig_focus FROM article_tags ORDER BY 1"
    assert query(settings, tags) == query(clean, tags)


def test_a_pmid_efetch_never_returns_is_recorded_in_the_run(settings: Settings, emu: Emulator) -> None:
    emu.faults.drop_pmids(["60000005"])
    summary = run(settings, D(2026, 11, 12))
    assert summary.counts.missing == ["60000005"]
    assert query(settings, "SELECT n_missing, missing_pmids FROM v_run") == [(1, ["60000005"])]


def test_a_bounded_backfill_leaves_watermarks_alone(settings: Settings) -> None:
    run(settings, D(2026, 11, 12), since=D(2015, 1, 1), until=D(2019, 12, 31))
    assert query(settings, "SELECT count(*) FROM _ivig_watermarks") == [(0,)]
    assert query(settings, "SELECT min(pub_year), max(pub_year) FROM articles") == [(2015, 2019)]


def test_dry_run_searches_but_writes_nothing(settings: Settings) -> None:
    summary = run(settings, D(2026, 11, 12), dry_run=True)
    assert summary.dry_run and summary.counts.new == 30
    assert list(settings.warehouse.parent.iterdir()) == []


def test_dry_run_on_an_existing_warehouse_counts_only_what_is_new(settings: Settings, emu: Emulator) -> None:
    run(settings, D(2026, 11, 5))
    before = tables(settings.warehouse, set())
    emu.today = D(2026, 11, 12)
    summary = run(settings, D(2026, 11, 12), dry_run=True)
    assert summary.counts.new == 1  # the record added late
    assert tables(settings.warehouse, set()) == before


def test_only_the_named_conditions_are_searched(settings: Settings, emu: Emulator) -> None:
    summary = run(settings, D(2026, 11, 12), conditions=["cidp"])
    assert list(summary.per_condition) == ["cidp"]
    assert len(emu.requests.filter(endpoint="esearch")) == 1


def test_the_api_key_never_reaches_the_warehouse(settings: Settings, emu: Emulator) -> None:
    keyed = Settings.from_env({"IVIG_LIT_NCBI_API_KEY": SECRET}, warehouse=settings.warehouse, base_url=emu.base_url,
                              rate_limit=1000.0, key_hosts=("127.0.0.1",))  # fmt: skip
    run(keyed, D(2026, 11, 12))
    assert emu.requests[0].params["api_key"] == "***"  # it was sent (and the emulator redacts its own log)
    for rows in tables(settings.warehouse, set()).values():
        assert SECRET not in "".join(rows)
    assert SECRET.encode() not in settings.warehouse.read_bytes()


def test_a_quiet_night_fetches_nothing_already_stored(after_first_run: Settings, emu: Emulator) -> None:
    settings = after_first_run
    emu.today = D(2026, 11, 13)
    summary = run(settings, D(2026, 11, 13))
    assert emu.requests.filter(endpoint="efetch") == []
    assert (summary.counts.new, summary.counts.revised, summary.counts.fetched) == (0, 0, 0)


def test_tonights_query_hits_reach_the_tagger(after_first_run: Settings) -> None:
    matched = query(after_first_run, "SELECT matched_by FROM v_article_condition WHERE pmid = '60000001'")
    assert matched == [(["query", "text"],)]


def test_a_revised_record_is_refetched_retagged_and_both_versions_kept(
    after_first_run: Settings, emu: Emulator
) -> None:
    settings = after_first_run
    emu.today = D(2026, 11, 21)
    summary = run(settings, D(2026, 11, 21))
    assert summary.counts.revised == 1
    assert query(settings, "SELECT count(*) FROM article_versions WHERE pmid = '60000001'") == [(2,)]
    history = query(settings, "SELECT reason FROM article_tag_history WHERE pmid = '60000001' ORDER BY tagged_at")
    assert history[0] == ("new",)
    assert query(settings, "SELECT citation_status FROM articles WHERE pmid = '60000001'") == [("MEDLINE",)]
