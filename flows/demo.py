"""The offline demo: the bundled corpus behind a local emulator, replayed day by day through the
real flows (nightly each night, the digest each Monday), so it ends with digests that show real
status changes. Prefect runs without a server (a temporary local API)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Collection
from importlib import resources
from pathlib import Path

import click
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

from ivig_lit.config import Settings
from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.emulator.ctgov import TrialCorpus
from ivig_lit.emulator.generate import SCENARIO_EVENTS
from ivig_lit.flows.nightly import nightly
from ivig_lit.flows.weekly_digest import weekly_digest
from ivig_lit.report.console import format_frame, format_status_change
from ivig_lit.runs import RunSummary
from ivig_lit.store.warehouse import read_query

REPLAY_START = dt.date(2026, 10, 19)  # Monday of ISO week 2026-W43, where the scenario begins
EMULATOR_RATE = 500.0  # requests/s: the local emulator is not NCBI
_DATA = Path(str(resources.files("ivig_lit") / "data"))


def run_demo(settings: Settings, days: int = 35) -> None:
    # Heartbeats tell a Prefect server that a long deployed run is alive; for 36 short in-process
    # runs each one only costs up to a second's wait for the heartbeat thread at exit.
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        replay(settings, days)


def replay(
    settings: Settings,
    days: int,
    run_nightly: Callable[..., RunSummary] = nightly,
    run_digest: Callable[..., dict[str, str]] = weekly_digest,
    nights: Collection[dt.date] | None = None,
) -> list[str]:
    """Replay ``days`` days from REPLAY_START; returns the HTML digests written. The runners are
    the Prefect flows; tests pass the plain pipeline with the same keywords. ``nights`` (default:
    every day) names the days whose nightly run happens: a skipped night's articles arrive with
    the next run's lag window, so a test can replay the scenario's key days only. A Monday digest
    runs after its Sunday night, so a digest week needs that Sunday in ``nights``."""
    started = time.monotonic()
    corpus = Corpus.from_files([_DATA / "demo_corpus.xml.gz", _DATA / "demo_trial_articles.xml"])
    click.echo(f"Demo corpus: {len(corpus)} record versions; replaying {days} days from {REPLAY_START}")
    warehouse, out_dir = str(settings.warehouse), str(settings.digest_dir)
    requests, runs = 0, 1
    # The emulator also serves ClinicalTrials.gov: NCT09000101 completes, posts results, then its article appears.
    with Emulator(corpus, today=REPLAY_START - dt.timedelta(days=1), trials=TrialCorpus.bundled()) as emu:
        common = {"warehouse": warehouse, "base_url": emu.base_url, "rate_limit": EMULATOR_RATE}
        first = run_nightly(now=dt.datetime.combine(REPLAY_START, dt.time(2)), **common)
        requests += first.counts.requests
        click.echo(
            f"{REPLAY_START - dt.timedelta(days=1)}  backfill: {first.counts.new} articles, "
            f"{first.counts.requests} requests"
        )
        digests: list[str] = []
        for offset in range(days):
            day = REPLAY_START + dt.timedelta(days=offset)
            if nights is not None and day not in nights:
                continue
            emu.today = day
            run_at = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(2))
            summary = run_nightly(now=run_at, **common)
            requests += summary.counts.requests
            runs += 1
            events = [e for e in SCENARIO_EVENTS if e.date == day]
            c = summary.counts
            line = f"{day}  new {c.new:>3}  revised {c.revised:>2}  requests {c.requests:>3}"
            click.echo(line + "".join(f"\n            event: {e.description}" for e in events))
            if summary.trials and summary.trials.status_changes:
                click.echo(f"            trials: {summary.trials.status_changes} registered or changed status")
            for change in summary.status_changes:  # dated by the night run that saw it, as in the closing table
                click.echo(f"            STATUS {change.changed_at:%Y-%m-%d} {format_status_change(change)}")
            if run_at.weekday() == 0:  # Monday: digest of the week that just ended
                week = f"{day:%G-W%V}"
                paths = run_digest(week=week, warehouse=warehouse, out_dir=out_dir, today=run_at.date())
                digests.append(paths["html"])
                click.echo(f"            digest {week}: {paths['md']}")
    _print_summary(settings.warehouse, digests, requests, runs, time.monotonic() - started)
    return digests


def _print_summary(warehouse: Path, digests: list[str], requests: int, runs: int, secs: float) -> None:
    click.echo("\nEvidence status now, next to each condition's baseline:")
    click.echo(format_frame(read_query(warehouse, "demo_status", named=True)))
    click.echo("\nStatus changes during the replay:")
    click.echo(format_frame(read_query(warehouse, "demo_changes", named=True)))
    click.echo(f"\nWarehouse: {warehouse}")
    click.echo(f'  try: ivig-lit sql --warehouse {warehouse} "SELECT design, count(*) FROM v_article GROUP BY 1"')
    for path in digests:
        click.echo(f"Digest: {path}")
    click.echo(f"{runs} nightly runs, {len(digests)} digests, {requests} E-utilities requests, {secs:.1f} s")
