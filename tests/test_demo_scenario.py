"""The demo's five-week replay tells the story it promises: text-tagged trials change statuses the
day they appear, a meta-analysis establishes efficacy, a retraction takes support away, and the
Monday digests report it. Runs the demo's own replay loop on the plain pipeline (no Prefect), on
the scenario's key nights only (``make demo`` replays every night): the skipped nights' articles
arrive with the next run's lag window, so the story must come out the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from flows.demo import REPLAY_START, replay
from ivig_lit.config import Settings
from ivig_lit.emulator.generate import SCENARIO_EVENTS
from ivig_lit.nightly import run_nightly
from ivig_lit.weekly import run_digest

pytestmark = pytest.mark.slow
DAYS = 35
SUNDAYS = {REPLAY_START + dt.timedelta(days=d) for d in range(6, DAYS, 7)}  # their nights end in a Monday digest
TRIAL_ARTICLE_DAY = dt.date(2026, 11, 12)  # 99000401, the article citing the demo trial NCT09000101
NIGHTS = {e.date for e in SCENARIO_EVENTS} | SUNDAYS | {TRIAL_ARTICLE_DAY}


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    tmp = tmp_path_factory.mktemp("demo")
    settings = Settings.from_env({}, warehouse=tmp / "demo.duckdb", digest_dir=tmp / "digests")

    def nightly(now, warehouse, base_url, rate_limit):
        run_settings = Settings.from_env({}, warehouse=Path(warehouse), base_url=base_url, rate_limit=rate_limit)
        return run_nightly(run_settings, now=now)

    def digest(week, warehouse, out_dir, today):
        result = run_digest(Settings.from_env({}, warehouse=Path(warehouse), digest_dir=Path(out_dir)),
                                     week=week, today=today)  # fmt: skip
        return {kind: str(path) for kind, path in result.paths.items()}

    return settings.warehouse, replay(settings, DAYS, run_nightly=nightly, run_digest=digest, nights=NIGHTS)


def test_the_replay_changes_exactly_the_statuses_its_scenario_plans(replayed) -> None:
    con = duckdb.connect(str(replayed[0]), read_only=True)
    changes = con.execute(
        "SELECT CAST(changed_at AS DATE), condition_id, old_status, new_status, reason FROM v_status_change "
        "WHERE old_status IS NOT NULL ORDER BY changed_at, condition_id"
    ).fetchall()
    con.close()
    assert changes == [
        (dt.date(2026, 11, 12), "diabetic_amyotrophy", "observational_only", "established_efficacy", "new_trial"),
    ]


def test_a_single_new_trial_is_recorded_beside_a_consensus_it_does_not_overturn(replayed) -> None:
    con = duckdb.connect(str(replayed[0]), read_only=True)
    added = con.execute(
        "SELECT CAST(added_at AS DATE), condition_id, pmid, design, status FROM notable_additions "
        "WHERE pmid IN ('99000103', '99000101') ORDER BY added_at"
    ).fetchall()
    con.close()
    assert added == [
        (dt.date(2026, 10, 22), "vasculitic_neuropathy", "99000103", "rct", "observational_only"),
        (dt.date(2026, 10, 29), "diabetic_amyotrophy", "99000101", "rct", "observational_only"),
    ]


def test_the_text_tagged_trial_is_confirmed_by_indexing_ten_days_later(replayed) -> None:
    con = duckdb.connect(str(replayed[0]), read_only=True)
    history = con.execute(
        "SELECT design, design_evidence, reason FROM article_tag_history WHERE pmid = '99000103' ORDER BY tagged_at"
    ).fetchall()
    con.close()
    assert [(design, reason) for design, _, reason in history] == [("rct", "new"), ("rct", "revised")]
    assert history[0][1].startswith("text:") and history[1][1].startswith("pt:")


def test_a_monday_digest_is_written_for_each_replayed_week(replayed) -> None:
    assert [Path(p).name for p in replayed[1]] == [f"digest-2026-W{w}.html" for w in range(43, 48)]
    w45 = Path(replayed[1][2]).with_suffix(".md").read_text()
    assert "Retraction" in w45 and "98000001" in w45


def test_the_demo_trial_is_registered_completes_posts_results_and_is_published(replayed) -> None:
    con = duckdb.connect(str(replayed[0]), read_only=True)
    life = con.execute(
        "SELECT change, new_status, last_update_posted FROM v_trial_status_change WHERE nct_id = 'NCT09000101' "
        "ORDER BY observed_at"
    ).fetchall()
    links = con.execute("SELECT pmid, source FROM trial_article_links WHERE nct_id = 'NCT09000101'").fetchall()
    con.close()
    assert life == [
        ("first_seen", "ACTIVE_NOT_RECRUITING", dt.date(2026, 3, 2)),
        ("status", "COMPLETED", dt.date(2026, 10, 20)),
        ("results_posted", "COMPLETED", dt.date(2026, 11, 3)),
    ]
    assert links == [("99000401", "text")]
    w46 = Path(replayed[1][3]).with_suffix(".md").read_text()
    assert "**Cited by a new article**" in w46 and "NCT09000101" in w46


def test_every_html_digest_of_the_replay_stays_under_150_kb(replayed) -> None:
    sizes = {Path(p).name: Path(p).stat().st_size for p in replayed[1]}
    assert all(size < 150_000 for size in sizes.values()), sizes


def test_only_the_chosen_nights_run_after_the_backfill(replayed) -> None:
    con = duckdb.connect(str(replayed[0]), read_only=True)
    (nightly_runs,) = con.execute("SELECT count(*) FROM v_run WHERE flow = 'nightly'").fetchone()
    con.close()
    assert nightly_runs == 1 + len(NIGHTS) < 1 + DAYS
