"""The nightly run: plan each condition's date windows from its watermarks, search, fetch what is
new or revised once, load it in batches, record evidence status, and advance the watermarks with
the data. Flows may pass ``search_all`` to run the per-condition searches as mapped tasks, and
``sync_trials`` to run the ClinicalTrials.gov step as a task of its own."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ivig_lit.batch import iter_batches, load_batch
from ivig_lit.config import Settings
from ivig_lit.errors import TrialSyncError
from ivig_lit.fetch.eutils import EutilsClient, FetchReport
from ivig_lit.fetch.windows import DateWindow
from ivig_lit.hashing import text_hash
from ivig_lit.parse.models import Article
from ivig_lit.progress import Progress
from ivig_lit.registry import Registry, load_registry
from ivig_lit.runs import Run, RunSummary, checkpoint, recorded
from ivig_lit.stage import iter_stage, remove_stage, stage_path, write_stage
from ivig_lit.store import warehouse as wh
from ivig_lit.trials import TrialSync, sync_run_trials

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConditionPlan:
    """The searches one condition needs tonight: new records (crdt) and revised ones (mdat)."""

    condition_id: str
    query: str
    new: DateWindow
    revised: DateWindow | None


@dataclass
class ConditionHits:
    condition_id: str
    new: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    requests: int = 0
    retries: int = 0


SearchAll = Callable[[Settings, list[ConditionPlan]], list[ConditionHits]]
SyncTrials = Callable[[Run, list[str] | None], TrialSync]


def plan_nightly(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    registry: Registry,
    today: dt.date,
    since: dt.date | None = None,
    until: dt.date | None = None,
    conditions: list[str] | None = None,
) -> list[ConditionPlan]:
    """Windows per condition, ending at ``until`` or today.

    New records (crdt) are searched from the watermark less ``overlap_days``, since records can
    appear with a create date a little in the past; revisions (mdat) from the watermark day itself,
    so a record is not fetched again night after night for the overlap. ``since`` overrides both.
    A condition without a watermark is backfilled from ``settings.backfill_start``; it needs no
    revision search, since everything it has is new.
    """
    marks = wh.get_watermarks(con)
    end = until or today
    overlap = dt.timedelta(days=settings.overlap_days)
    backfill = dt.datetime.strptime(settings.backfill_start, "%Y/%m/%d").date()
    plans = []
    for c in registry.select(conditions):
        new_mark, rev_mark = marks.get((c.id, "crdt")), marks.get((c.id, "mdat"))
        new_start = since or (new_mark - overlap if new_mark else backfill)
        rev_start = since or rev_mark
        plans.append(
            ConditionPlan(
                condition_id=c.id,
                query=registry.search_query(c.id),
                new=DateWindow("crdt", min(new_start, end), end),
                revised=DateWindow("mdat", min(rev_start, end), end) if rev_start else None,
            )
        )
    return plans


def search_condition(client: EutilsClient, plan: ConditionPlan) -> ConditionHits:
    """PMIDs of one condition's new and revised records (the unit a flow maps over)."""
    before_requests, before_retries = client.stats.requests, client.stats.retries
    hits = ConditionHits(plan.condition_id, new=client.search_pmids(plan.query, plan.new))
    if plan.revised:
        hits.revised = client.search_pmids(plan.query, plan.revised)
    hits.requests = client.stats.requests - before_requests
    hits.retries = client.stats.retries - before_retries
    log.debug("%s: %d new, %d revised", plan.condition_id, len(hits.new), len(hits.revised))
    return hits


def search_sequentially(settings: Settings, plans: list[ConditionPlan]) -> list[ConditionHits]:
    client = EutilsClient.from_settings(settings)
    return [search_condition(client, p) for p in plans]


def run_nightly(
    settings: Settings,
    registry: Registry | None = None,
    *,
    now: dt.datetime | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    conditions: list[str] | None = None,
    dry_run: bool = False,
    search_all: SearchAll = search_sequentially,
    sync_trials: SyncTrials = sync_run_trials,
    progress: bool = False,
) -> RunSummary:
    """One nightly run: search every condition, fetch what is new or revised once (staged on disk),
    then load, tag, record evidence status and advance watermarks in short transactions, so readers
    wait seconds, not the whole night. ``until`` (a bounded backfill) leaves watermarks alone."""
    registry = registry or load_registry(settings.registry)
    now = now or dt.datetime.now()
    today = now.date()
    if dry_run:
        return _dry_run(settings, registry, today, since, until, conditions, search_all)
    params = {"since": since, "until": until, "conditions": conditions, "today": today}
    plans: list[ConditionPlan] = []

    def window(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
        plans.extend(plan_nightly(con, settings, registry, today, since, until, conditions))
        return min(p.new.start for p in plans), until or today

    with recorded(settings, registry, "nightly", params, now, window) as run:
        hits = search_all(settings, plans)
        checkpoint("after-search")
        summary = _load_hits(run, settings, hits, progress)
        if until is None:  # the ClinicalTrials.gov watch is incremental only; it commits per condition
            summary.trials = _watch_trials(run, conditions, sync_trials)
        checkpoint("before-finish")
        with run.transaction() as con:
            if until is None:
                for plan in plans:
                    wh.set_watermark(con, plan.condition_id, "crdt", plan.new.end, run.run_id, now)
                    wh.set_watermark(con, plan.condition_id, "mdat", plan.new.end, run.run_id, now)
            summary.status_changes = run.finish(con, error=summary.trials.error if summary.trials else None)
    return summary


def _watch_trials(run: Run, conditions: list[str] | None, sync_trials: SyncTrials) -> TrialSync:
    """Run the trials step and count its requests. A ClinicalTrials.gov failure is reported (in the
    summary and the run's ``error``), not fatal: the PubMed part still completes, and the next
    night resumes each condition's trials from its own watermark."""
    try:
        result = sync_trials(run, conditions)
    except TrialSyncError as e:
        log.error("%s (the PubMed part of the run goes on)", e.user_message)
        result = e.sync
    run.counts.ctgov_requests += result.requests
    run.counts.ctgov_retries += result.retries
    return result


def _load_hits(run: Run, settings: Settings, hits: list[ConditionHits], progress: bool) -> RunSummary:
    """Union PMIDs across conditions so each article is fetched once; skip ones already stored
    unless a revision search found them; fetch all to the stage, then load it in committed batches."""
    registry, run_id, now, counts = run.registry, run.run_id, run.now, run.counts
    by_pmid: dict[str, set[str]] = {}
    revised: set[str] = set()
    for h in hits:
        for pmid in h.new + h.revised:
            by_pmid.setdefault(pmid, set()).add(h.condition_id)
        revised.update(h.revised)
        counts.requests += h.requests
        counts.retries += h.retries
    with wh.open_reader(settings.warehouse) as con:
        known = wh.known_pmids(con, list(by_pmid))
    to_fetch = [p for p in by_pmid if p not in known or p in revised]
    counts.searched = len(by_pmid)
    counts.unchanged += len(by_pmid) - len(to_fetch)
    query_hashes = {c.id: text_hash(registry.search_query(c.id), 16) for c in registry.conditions}
    client = EutilsClient.from_settings(settings)
    report = FetchReport()
    staged = stage_path(settings.warehouse, run_id)
    try:
        with Progress("Fetching PubMed records", total=len(to_fetch), enabled=progress) as bar:
            write_stage(staged, client.iter_articles(to_fetch, report, on_batch=bar.advance))
        counts.requests += client.stats.requests
        counts.retries += client.stats.retries
        checkpoint("after-fetch")
        with run.transaction() as con:
            wh.record_query_hits(con, {p: by_pmid[p] for p in known}, query_hashes, run_id, now)
        for batch in iter_batches(iter_stage(staged)):
            fetched = {i.pmid: by_pmid.get(i.pmid, set()) for i in batch if isinstance(i, Article)}
            with run.transaction() as con:
                wh.record_query_hits(con, fetched, query_hashes, run_id, now)  # first: the tagger reads them
                load_batch(con, registry, batch, run_id, now, counts, "nightly")
            checkpoint("after-batch")
    finally:
        remove_stage(staged)
    counts.fetched = report.returned
    counts.missing = report.missing
    per_condition = {h.condition_id: len(set(h.new) | set(h.revised)) for h in hits}
    return RunSummary(run_id, "nightly", settings.warehouse, counts, per_condition=per_condition)


def _dry_run(
    settings: Settings,
    registry: Registry,
    today: dt.date,
    since: dt.date | None,
    until: dt.date | None,
    conditions: list[str] | None,
    search_all: SearchAll,
) -> RunSummary:
    """Search as tonight's run would and report what it would fetch; open nothing for writing."""
    exists = Path(settings.warehouse).exists()
    con = wh.open_reader(settings.warehouse) if exists else wh.connect(":memory:")
    try:
        hits = search_all(settings, plan_nightly(con, settings, registry, today, since, until, conditions))
        return _dry_run_summary(con, settings, hits)
    finally:
        con.close()


def _dry_run_summary(con: duckdb.DuckDBPyConnection, settings: Settings, hits: list[ConditionHits]) -> RunSummary:
    pmids = {p for h in hits for p in h.new + h.revised}
    known = wh.known_pmids(con, list(pmids))
    revised = {p for h in hits for p in h.revised}
    counts = wh.RunCounts(
        searched=len(pmids),
        new=len(pmids - known),
        revised=len(revised & known),
        requests=sum(h.requests for h in hits),
        retries=sum(h.retries for h in hits),
    )
    per_condition = {h.condition_id: len(set(h.new) | set(h.revised)) for h in hits}
    return RunSummary(None, "nightly", settings.warehouse, counts, per_condition=per_condition, dry_run=True)
