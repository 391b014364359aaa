"""The nightly trials step against the emulator and a real DuckDB warehouse: status history,
incremental windows behind a watermark, condition mapping, article links, overdue publications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial

import duckdb
import pytest

from ivig_lit.config import Settings
from ivig_lit.emulator import Emulator
from ivig_lit.errors import CtgovUnavailableError, TrialSyncError
from ivig_lit.fetch.ctgov import CtgovClient
from ivig_lit.parse.models import AbstractSection, Article
from ivig_lit.registry import load_registry
from ivig_lit.store import warehouse as wh
from ivig_lit.trials import TrialSync, condition_query, sync_trials

REGISTRY = load_registry()
WATCHED = ["cidp", "gbs", "myasthenia_gravis", "stiff_person", "mmn"]


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    con = wh.connect(":memory:")
    yield con
    con.close()


def nightly(con, emu: Emulator, ctgov: CtgovClient, day: dt.date, conditions=WATCHED) -> TrialSync:
    """One night's trials step, as the nightly runs it (the emulator's today is the day before)."""
    emu.today = day - dt.timedelta(days=1)
    now = dt.datetime.combine(day, dt.time(2))
    with wh.transaction(con):
        wh.sync_conditions(con, REGISTRY, now)
        run_id = wh.start_run(con, "nightly", {}, (None, None), now)
    settings = Settings(base_url="http://127.0.0.1:1/entrez/eutils/", overlap_days=3)
    return sync_trials(partial(wh.transaction, con), settings, REGISTRY, run_id, now, conditions, client=ctgov)


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_a_first_run_loads_every_ivig_study_of_the_watched_conditions(con, trials_emulator, ctgov) -> None:
    summary = nightly(con, trials_emulator, ctgov, dt.date(2026, 10, 19))
    assert summary.new == 6 and summary.quarantined == 0
    assert rows(con, "SELECT nct_id FROM trials ORDER BY 1") == [
        ("NCT09000101",), ("NCT09000102",), ("NCT09000103",), ("NCT09000104",), ("NCT09000109",), ("NCT09000110",)
    ]  # fmt: skip


def test_a_status_change_appends_one_history_row(con, trials_emulator, ctgov) -> None:
    nightly(con, trials_emulator, ctgov, dt.date(2026, 10, 19))
    nightly(con, trials_emulator, ctgov, dt.date(2026, 10, 29))
    changes = rows(
        con,
        "SELECT old_status, new_status, change, why_stopped FROM v_trial_status_change WHERE nct_id = 'NCT09000103'",
    )
    assert changes == [
        (None, "RECRUITING", "first_seen", None),
        ("RECRUITING", "TERMINATED", "status", "Slow enrollment: 14 of 90 participants in 24 months"),
    ]


def test_posted_results_are_a_change_even_when_the_status_stays(con, trials_emulator, ctgov) -> None:
    nightly(con, trials_emulator, ctgov, dt.date(2026, 10, 25))
    nightly(con, trials_emulator, ctgov, dt.date(2026, 11, 5))
    last = rows(
        con,
        "SELECT change, results_posted FROM v_trial_status_change WHERE nct_id = 'NCT09000101' ORDER BY observed_at",
    )
    assert last == [("first_seen", False), ("results_posted", True)]


def test_a_rerun_of_the_same_night_adds_nothing(con, trials_emulator, ctgov) -> None:
    nightly(con, trials_emulator, ctgov, dt.date(2026, 10, 19))
    before = rows(con, "SELECT count(*) FROM trial_status_history")
    again = nightly(con, trials_emulator, ctgov, dt.date(2026, 10, 19))
    assert (again.new, again.changed, again.status_changes) == (0, 0, 0)
    assert rows(con, "SELECT count(*) FROM trial_status_history") == before


def test_later_runs_ask_only_for_updates_since_the_watermark_less_the_overlap(con, trials_emulator, ctgov) -> None:
    nightly(con, trials_emulator, ctgov, dt.date(2026, 10, 19))
    assert rows(con, "SELECT DISTINCT watermark FROM _ivig_watermarks WHERE kind = 'ctgov'") == [
        (dt.date(2026, 10, 19),)
    ]
    trials_emulator.requests.clear()
    nightly(con, trials_emulator, ctgov, dt.date(2026, 10, 20))
    windows = {r.params.get("filter.advanced") for r in trials_emulator.requests}
    assert windows == {"AREA[LastUpdatePostDate]RANGE[2026-10-16,MAX]"}


def test_the_watermark_stays_when_the_registry_is_down(con, trials_emulator, ctgov) -> None:
    trials_emulator.faults.set_rate(503, 1.0, endpoint="studies")
    with pytest.raises(TrialSyncError, match=r"^ClinicalTrials\.gov watch stopped at cidp: ") as stopped:
        nightly(con, trials_emulator, ctgov, dt.date(2026, 10, 19))
    assert isinstance(stopped.value.__cause__, CtgovUnavailableError)
    assert rows(con, "SELECT count(*) FROM _ivig_watermarks WHERE kind = 'ctgov'") == [(0,)]
    assert rows(con, "SELECT count(*) FROM trials") == [(0,)]


def test_conditions_stored_before_the_registry_failed_keep_their_studies_and_watermark(
    con, trials_emulator, ctgov
) -> None:
    night = dt.date(2026, 10, 19)
    scratch = wh.connect(":memory:")  # a first night on another warehouse counts mmn's pages
    nightly(scratch, trials_emulator, ctgov, night, conditions=["mmn"])
    scratch.close()
    mmn_pages = len(trials_emulator.requests)
    trials_emulator.faults.script([None] * mmn_pages + ["error"], endpoint="studies")
    with pytest.raises(TrialSyncError) as stopped:
        nightly(con, trials_emulator, ctgov, night, conditions=["mmn", "cidp"])
    assert stopped.value.sync.per_condition == {"mmn": 1} and stopped.value.sync.requests == mmn_pages + 1
    assert rows(con, "SELECT condition_id FROM _ivig_watermarks WHERE kind = 'ctgov'") == [("mmn",)]
    assert rows(con, "SELECT nct_id FROM trials") == [("NCT09000104",)]


def test_studies_map_to_conditions_by_the_taggers_matching(con, trials_emulator, ctgov) -> None:
    nightly(con, trials_emulator, ctgov, dt.date(2026, 10, 19), conditions=None)
    mapped = dict(rows(con, "SELECT nct_id, condition_ids FROM v_trial"))
    assert mapped["NCT09000110"] == ["cidp"]  # "polyradiculoneuropathy" in its conditions
    assert mapped["NCT09000109"] == ["gbs", "gbs_variant"]  # GBS and Miller Fisher listed
    assert mapped["NCT09000104"] == ["mmn"]


def test_a_condition_query_quotes_phrases_and_drops_wildcards() -> None:
    query = condition_query(REGISTRY.get("cidp"))
    assert query.startswith('"chronic inflammatory demyelinating polyneuropath" OR ')
    assert query.endswith(" OR CIDP") and "*" not in query


def test_an_article_citing_the_nct_number_links_to_the_trial(con, trials_emulator, ctgov) -> None:
    report = Article(
        pmid="90000123",
        title="IVIG maintenance in CIDP: a randomised withdrawal trial",
        abstract=(AbstractSection("TRIAL REGISTRATION", None, "ClinicalTrials.gov nct09000101."),),
    )
    wh.upsert_articles(con, [report], None, dt.datetime(2026, 11, 12))
    summary = nightly(con, trials_emulator, ctgov, dt.date(2026, 11, 12))
    assert summary.links == 1
    assert rows(con, "SELECT nct_id, pmid, source FROM trial_article_links") == [("NCT09000101", "90000123", "text")]
    assert rows(con, "SELECT linked_pmids FROM v_trial WHERE nct_id = 'NCT09000101'") == [(["90000123"],)]


def test_a_completed_trial_without_a_publication_after_a_year_is_overdue(con, trials_emulator, ctgov) -> None:
    nightly(con, trials_emulator, ctgov, dt.date(2026, 11, 12), conditions=None)
    overdue = rows(con, "SELECT nct_id FROM v_trial WHERE is_overdue ORDER BY 1")
    assert overdue == [("NCT09000102",), ("NCT09000107",)]  # NCT09000101 completed only in 2026-09
