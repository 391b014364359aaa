"""The nightly run: plan each condition's date windows from its watermarks, search the conditions
that share windows together (``ivig_lit.searches``), fetch what is new or revised once, place each
record under the conditions that found it, load in batches, record evidence status, and advance the
watermarks with the data. Flows may pass ``search_all`` to run the searches as mapped tasks, and
``sync_trials`` to run the ClinicalTrials.gov step as a task of its own."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from ivig_lit.batch import iter_batches, load_batch
from ivig_lit.config import Settings
from ivig_lit.errors import TrialSyncError
from ivig_lit.fetch.eutils import EutilsClient, FetchReport
from ivig_lit.hashing import text_hash
from ivig_lit.parse.models import Article, RecordError
from ivig_lit.progress import Progress
from ivig_lit.registry import Registry, load_registry
from ivig_lit.runs import Run, RunSummary, checkpoint, recorded
from ivig_lit.searches import (
    ConditionAssigner,
    ConditionPlan,
    SearchAll,
    SearchHits,
    plan_nightly,
    plan_searches,
    search_sequentially,
)
from ivig_lit.stage import iter_stage, remove_stage, stage_path, write_stage
from ivig_lit.store import warehouse as wh
from ivig_lit.trials import TrialSync, sync_run_trials

log = logging.getLogger(__name__)

SyncTrials = Callable[[Run, list[str] | None], TrialSync]


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
        hits = search_all(settings, plan_searches(plans, registry, settings.union_search))
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


def _load_hits(run: Run, settings: Settings, hits: list[SearchHits], progress: bool) -> RunSummary:
    """Union PMIDs across searches so each article is fetched once; skip ones already stored
    unless a revision search found them; fetch all to the stage (placing each under the conditions
    that found it on the way), then load it in committed batches."""
    registry, run_id, now, counts = run.registry, run.run_id, run.now, run.counts
    assigner = ConditionAssigner(registry, hits)
    found = list(dict.fromkeys(p for h in hits for p in h.new_ids + h.revised_ids))
    revised = {p for h in hits for p in h.revised_ids}
    for h in hits:
        counts.requests += h.requests
        counts.retries += h.retries
    with wh.open_reader(settings.warehouse) as con:
        known = wh.known_pmids(con, found)
        to_fetch = [p for p in found if p not in known or p in revised]
        assigner.place_stored(con, known - set(to_fetch))
    counts.searched = len(found)
    counts.unchanged += len(found) - len(to_fetch)
    query_hashes = {c.id: text_hash(registry.search_query(c.id), 16) for c in registry.conditions}
    client = EutilsClient.from_settings(settings)
    report = FetchReport()
    staged = stage_path(settings.warehouse, run_id)
    result_sets = [s for h in hits for s in h.new + h.revised]
    try:
        with Progress("Fetching PubMed records", total=len(to_fetch), enabled=progress) as bar:
            fetched_items = client.iter_found(result_sets, to_fetch, report, on_batch=bar.advance)
            write_stage(staged, _placed(fetched_items, assigner))
        assigner.place_by_search(client)
        counts.requests += client.stats.requests
        counts.retries += client.stats.retries
        checkpoint("after-fetch")
        with run.transaction() as con:
            wh.record_query_hits(con, {p: assigner.conditions(p) for p in known}, query_hashes, run_id, now)
        for batch in iter_batches(iter_stage(staged)):
            fetched = {i.pmid: assigner.conditions(i.pmid) for i in batch if isinstance(i, Article)}
            with run.transaction() as con:
                wh.record_query_hits(con, fetched, query_hashes, run_id, now)  # first: the tagger reads them
                load_batch(con, registry, batch, run_id, now, counts, "nightly")
            checkpoint("after-batch")
    finally:
        remove_stage(staged)
    counts.fetched = report.returned
    counts.missing = report.missing
    return RunSummary(run_id, "nightly", settings.warehouse, counts, per_condition=_per_condition(hits, assigner))


def _placed(items: Iterator[Article | RecordError], assigner: ConditionAssigner) -> Iterator[Article | RecordError]:
    """Pass fetched items through, placing each article of a union search on the way."""
    for item in items:
        if isinstance(item, Article):
            assigner.place(item)
        yield item


def _per_condition(hits: list[SearchHits], assigner: ConditionAssigner) -> dict[str, int]:
    """PMIDs found per searched condition, in registry order (zero included)."""
    out = {cid: 0 for h in hits for cid in h.condition_ids}
    for pmid in assigner.found:
        for cid in assigner.found[pmid]:
            out[cid] += 1
    return out


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
        plans = plan_nightly(con, settings, registry, today, since, until, conditions)
        hits = search_all(settings, plan_searches(plans, registry, settings.union_search))
        return _dry_run_summary(con, settings, hits)
    finally:
        con.close()


def _dry_run_summary(con: duckdb.DuckDBPyConnection, settings: Settings, hits: list[SearchHits]) -> RunSummary:
    """Counts as tonight's run would find them. Per condition only for searches of one condition:
    a union search's records are placed under their conditions when fetched, which a dry run is not."""
    pmids = {p for h in hits for p in h.new_ids + h.revised_ids}
    known = wh.known_pmids(con, list(pmids))
    revised = {p for h in hits for p in h.revised_ids}
    counts = wh.RunCounts(
        searched=len(pmids),
        new=len(pmids - known),
        revised=len(revised & known),
        requests=sum(h.requests for h in hits),
        retries=sum(h.retries for h in hits),
    )
    per_condition = {h.condition_ids[0]: len(set(h.new_ids + h.revised_ids)) for h in hits if len(h.condition_ids) == 1}
    return RunSummary(None, "nightly", settings.warehouse, counts, per_condition=per_condition, dry_run=True)
