"""Composes the stages: search -> fetch -> parse -> tag -> load -> assess. Flows and the CLI call
these functions; nothing here knows about Prefect. Flows may pass ``search_all`` to run the
per-condition searches as mapped tasks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ivig_lit.assess import classify_direction, record_status
from ivig_lit.config import Settings
from ivig_lit.errors import IvigLitError, MalformedFileError
from ivig_lit.fetch.eutils import EutilsClient, FetchReport
from ivig_lit.fetch.windows import DateWindow
from ivig_lit.parse import iter_articles
from ivig_lit.parse.models import Article, DeleteCitation, RecordError
from ivig_lit.progress import Progress
from ivig_lit.registry import Registry, load_registry
from ivig_lit.store import warehouse as wh
from ivig_lit.tag import TAGGER_VERSION, tag_article
from ivig_lit.trials import TrialSync, sync_trials

log = logging.getLogger(__name__)
LOAD_BATCH = 1000  # articles per load transaction


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


@dataclass
class RunSummary:
    """What a run did, for the CLI, the flow's logs and the tests."""

    run_id: str | None
    flow: str
    warehouse: Path
    counts: wh.RunCounts
    status: str = "completed"
    per_condition: dict[str, int] = field(default_factory=dict)  # PMIDs found per condition
    status_changes: list[Any] = field(default_factory=list)
    retag_changes: dict[str, int] = field(default_factory=dict)  # "rct -> cohort": n
    dry_run: bool = False
    failed_files: list[str] = field(default_factory=list)
    trials: TrialSync | None = None  # what the ClinicalTrials.gov step did (nightly runs)


SearchAll = Callable[[Settings, list[ConditionPlan]], list[ConditionHits]]


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


class _Clock:
    """Run timestamps on the run's own time line: the logical ``now`` (simulated in a replay) plus
    the wall time elapsed since, so durations in ``v_run`` are real either way."""

    def __init__(self, now: dt.datetime) -> None:
        self.start = now
        self._t0 = time.monotonic()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self._t0)


@contextmanager
def _writing(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, opened for writing by this process alone (other writers wait on the lock)."""
    with wh.writer_lock(settings.warehouse):
        con = wh.connect(settings.warehouse)
        try:
            yield con
        finally:
            con.close()


@dataclass
class _Run:
    """A run being recorded in ``_ivig_runs``: what every flow's bookkeeping shares."""

    con: duckdb.DuckDBPyConnection
    registry: Registry
    run_id: str
    now: dt.datetime
    clock: _Clock
    counts: wh.RunCounts = field(default_factory=wh.RunCounts)

    def finish(self, status: str = "completed", error: str | None = None) -> list[Any]:
        """Record evidence status and close the run; call inside the transaction that commits the
        run's last data (and, for a nightly run, its watermarks)."""
        changes = record_status(self.con, self.registry, self.run_id, self.now)
        wh.finish_run(self.con, self.run_id, self.counts, status, self.clock.now(), error)
        return changes


@contextmanager
def _recorded(
    con: duckdb.DuckDBPyConnection,
    registry: Registry,
    flow: str,
    params: dict[str, Any],
    window: tuple[dt.date | None, dt.date | None],
    now: dt.datetime,
) -> Iterator[_Run]:
    """Open a run record (committed at once, so a crash leaves a trace) and mark it failed if the
    body raises; the data of batches committed before the failure stays."""
    with wh.transaction(con):
        wh.sync_conditions(con, registry, now)
        run = _Run(con, registry, wh.start_run(con, flow, params, window, now), now, _Clock(now))
    try:
        yield run
    except BaseException as e:
        message = e.user_message if isinstance(e, IvigLitError) else f"{type(e).__name__}: {e}"
        try:
            wh.finish_run(con, run.run_id, run.counts, "failed", run.clock.now(), message)
        except duckdb.Error:
            log.exception("could not record the failure of run %s", run.run_id)
        raise


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
    progress: bool = False,
) -> RunSummary:
    """One nightly run: search every condition, fetch what is new or revised once, tag, load,
    record evidence status, and advance watermarks with the data. ``until`` (a bounded backfill)
    leaves watermarks alone."""
    registry = registry or load_registry(settings.registry)
    now = now or dt.datetime.now()
    today = now.date()
    if dry_run:
        return _dry_run(settings, registry, today, since, until, conditions, search_all)
    params = {"since": since, "until": until, "conditions": conditions, "today": today}
    with _writing(settings) as con:
        plans = plan_nightly(con, settings, registry, today, since, until, conditions)
        window = (min(p.new.start for p in plans), until or today)
        with _recorded(con, registry, "nightly", params, window, now) as run:
            summary = _load_hits(run, settings, search_all(settings, plans), progress)
            if until is None:  # the ClinicalTrials.gov watch is incremental only; it commits per condition
                summary.trials = sync_trials(con, settings, registry, run.run_id, now, conditions)
            with wh.transaction(con):
                if until is None:
                    for plan in plans:
                        wh.set_watermark(con, plan.condition_id, "crdt", plan.new.end, run.run_id, now)
                        wh.set_watermark(con, plan.condition_id, "mdat", plan.new.end, run.run_id, now)
                summary.status_changes = run.finish()
    return summary


def _load_hits(run: _Run, settings: Settings, hits: list[ConditionHits], progress: bool) -> RunSummary:
    """Union PMIDs across conditions so each article is fetched once; skip ones already stored
    unless a revision search found them; fetch, tag and load in committed batches."""
    con, registry, run_id, now, counts = run.con, run.registry, run.run_id, run.now, run.counts
    by_pmid: dict[str, set[str]] = {}
    revised: set[str] = set()
    for h in hits:
        for pmid in h.new + h.revised:
            by_pmid.setdefault(pmid, set()).add(h.condition_id)
        revised.update(h.revised)
        counts.requests += h.requests
        counts.retries += h.retries
    known = _known(con, list(by_pmid))
    to_fetch = [p for p in by_pmid if p not in known or p in revised]
    counts.searched = len(by_pmid)
    counts.unchanged += len(by_pmid) - len(to_fetch)
    query_hashes = {c.id: _hash(registry.search_query(c.id)) for c in registry.conditions}
    with wh.transaction(con):
        wh.record_query_hits(con, {p: by_pmid[p] for p in known}, query_hashes, run_id, now)
    client = EutilsClient.from_settings(settings)
    report = FetchReport()
    with Progress("Fetching PubMed records", total=len(to_fetch), enabled=progress) as bar:
        items = client.iter_articles(to_fetch, report, on_batch=bar.advance)
        for batch in _chunks(items, LOAD_BATCH):
            fetched = {i.pmid: by_pmid.get(i.pmid, set()) for i in batch if isinstance(i, Article)}
            with wh.transaction(con):
                wh.record_query_hits(con, fetched, query_hashes, run_id, now)  # first: the tagger reads them
                _load_batch(con, registry, batch, run_id, now, counts, "nightly")
    counts.fetched = report.returned
    counts.missing = report.missing
    counts.requests += client.stats.requests
    counts.retries += client.stats.retries
    per_condition = {h.condition_id: len(set(h.new) | set(h.revised)) for h in hits}
    return RunSummary(run_id, "nightly", settings.warehouse, counts, per_condition=per_condition)


def _load_batch(
    con: duckdb.DuckDBPyConnection,
    registry: Registry,
    batch: list[Article | RecordError | DeleteCitation],
    run_id: str,
    now: dt.datetime,
    counts: wh.RunCounts,
    source: str,
) -> None:
    """Load one batch and tag what is new or changed (inside the caller's transaction)."""
    articles = [i for i in batch if isinstance(i, Article)]
    errors = [i for i in batch if isinstance(i, RecordError)]
    deleted = [p for i in batch if isinstance(i, DeleteCitation) for p in i.pmids]
    result = wh.upsert_articles(con, articles, run_id, now)
    counts.add(result)
    counts.deleted += wh.mark_deleted(con, deleted, now)
    changed = set(result.changed)
    latest = {a.pmid: a for a in articles if a.pmid in changed}
    hits = wh.query_hits_for(con, list(latest))
    tagged, tag_errors = _tag(latest.values(), registry, hits, source, result.hashes)
    wh.save_tags(con, [t for t in tagged if t.pmid in result.new], "new", run_id, now)
    wh.save_tags(con, [t for t in tagged if t.pmid in result.revised], "revised", run_id, now)
    wh.quarantine(con, "parse", errors, run_id, now)
    wh.quarantine(con, "tag", tag_errors, run_id, now)
    counts.quarantined += len(errors) + len(tag_errors)


def _tag(
    articles: Iterable[Article],
    registry: Registry,
    hits: dict[str, frozenset[str]],
    source: str,
    hashes: dict[str, str] | None = None,
) -> tuple[list[wh.Tagged], list[RecordError]]:
    """Tag each article; one that breaks a rule is quarantined, the rest go on."""
    tagged, errors = [], []
    for a in articles:
        try:
            tags = tag_article(a, registry, hits.get(a.pmid, frozenset()))
            content_hash = hashes[a.pmid] if hashes else a.content_hash()
            tagged.append(wh.Tagged(a.pmid, content_hash, tags, classify_direction(a, tags.design)))
        except Exception as e:  # a tagging bug must not lose the night's other records
            log.exception("tagging PMID %s failed", a.pmid)
            errors.append(RecordError(a.pmid, f"tagging failed: {type(e).__name__}: {e}", source))
    return tagged, errors


def load_xml(
    paths: list[Path],
    settings: Settings,
    registry: Registry | None = None,
    *,
    now: dt.datetime | None = None,
    progress: bool = False,
) -> RunSummary:
    """Ingest local PubMed XML files (baseline/update files, saved EFetch output).

    A file that breaks off keeps the records read before the break; the other files still load,
    and the run ends failed, naming each bad file.
    """
    registry = registry or load_registry(settings.registry)
    now = now or dt.datetime.now()
    missing = [str(p) for p in paths if not Path(p).is_file()]
    if missing:
        raise MalformedFileError(f"no such file: {', '.join(missing)}", file=missing[0])
    failures: list[str] = []
    with (
        _writing(settings) as con,
        _recorded(con, registry, "load-xml", {"files": list(map(str, paths))}, (None, None), now) as run,
    ):
        for i, path in enumerate(paths, 1):
            label = f"Loading {Path(path).name} ({i}/{len(paths)}): records"
            with Progress(label, total=None, enabled=progress) as bar:
                failures += _load_file(run, Path(path), bar)
        status = "failed" if failures else "completed"
        with wh.transaction(con):
            changes = run.finish(status, "; ".join(failures) or None)
    summary = RunSummary(run.run_id, "load-xml", settings.warehouse, run.counts, status=status, status_changes=changes)
    summary.failed_files = failures
    return summary


def _load_file(run: _Run, path: Path, bar: Progress) -> list[str]:
    items = iter_articles(path, source_name=path.name)
    try:
        for batch in _chunks(items, LOAD_BATCH):
            with wh.transaction(run.con):
                run.counts.fetched += sum(isinstance(i, Article) for i in batch)
                _load_batch(run.con, run.registry, batch, run.run_id, run.now, run.counts, path.name)
            bar.advance(len(batch))
    except MalformedFileError as e:
        log.error("%s", e.user_message)
        return [e.user_message]
    return []


def retag(
    settings: Settings, registry: Registry | None = None, *, now: dt.datetime | None = None, progress: bool = False
) -> RunSummary:
    """Re-tag every stored article with the current tagger (after a tagger upgrade) and say what
    changed; history keeps the old tags, and evidence status is recomputed."""
    registry = registry or load_registry(settings.registry)
    now = now or dt.datetime.now()
    params = {"tagger_version": TAGGER_VERSION}
    with _writing(settings) as con, _recorded(con, registry, "retag", params, (None, None), now) as run:
        before = dict(con.execute("SELECT pmid, design FROM article_tags").fetchall())
        live = con.execute("SELECT pmid FROM articles WHERE deleted_at IS NULL ORDER BY pmid").fetchall()
        pmids = [r[0] for r in live]
        with Progress("Re-tagging articles", total=len(pmids), enabled=progress) as bar:
            for chunk in _chunks(iter(pmids), LOAD_BATCH):
                _retag_batch(run, chunk)
                bar.advance(len(chunk))
        after = dict(con.execute("SELECT pmid, design FROM article_tags").fetchall())
        moves: dict[str, int] = {}
        for pmid, design in after.items():
            if before.get(pmid) != design:
                key = f"{before.get(pmid, 'untagged')} -> {design}"
                moves[key] = moves.get(key, 0) + 1
        with wh.transaction(con):
            changes = run.finish()
    return RunSummary(run.run_id, "retag", settings.warehouse, run.counts, status_changes=changes, retag_changes=moves)


def _retag_batch(run: _Run, pmids: list[str]) -> None:
    """Re-tag stored records from their JSON, in one transaction per batch."""
    con = run.con
    records = con.execute(
        "SELECT record FROM articles WHERE pmid IN (SELECT unnest(CAST(? AS VARCHAR[])))", [pmids]
    ).fetchall()
    articles = [Article.from_dict(_json(r[0])) for r in records]
    tagged, errors = _tag(articles, run.registry, wh.query_hits_for(con, pmids), "retag")
    with wh.transaction(con):
        run.counts.revised += wh.save_tags(con, tagged, "retag", run.run_id, run.now)
        wh.quarantine(con, "tag", errors, run.run_id, run.now)
    run.counts.quarantined += len(errors)
    run.counts.fetched += len(articles)


@dataclass
class DigestResult:
    week: str
    markdown: str
    paths: dict[str, Path]
    sent_to: tuple[str, ...] = ()


def run_digest(
    settings: Settings,
    registry: Registry | None = None,
    *,
    week: str | None = None,
    today: dt.date | None = None,
    send: bool = False,
) -> DigestResult:
    """Build the digest of an ISO week (default: the last complete one), write Markdown and HTML,
    and e-mail it when asked and SMTP is configured."""
    from ivig_lit.report import build_digest, render_markdown, send_digest, write_digest

    registry = registry or load_registry(settings.registry)
    con = wh.connect(settings.warehouse, read_only=True)
    try:
        digest = build_digest(con, registry, week, today or dt.date.today())
    finally:
        con.close()
    paths = write_digest(digest, settings.digest_dir)
    sent: tuple[str, ...] = ()
    if send:
        send_digest(digest, settings)
        sent = settings.digest_to
    return DigestResult(digest.week, render_markdown(digest), paths, sent)


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
    con = wh.connect(settings.warehouse, read_only=True) if exists else wh.connect(":memory:")
    try:
        hits = search_all(settings, plan_nightly(con, settings, registry, today, since, until, conditions))
        return _dry_run_summary(con, settings, hits)
    finally:
        con.close()


def _dry_run_summary(con: duckdb.DuckDBPyConnection, settings: Settings, hits: list[ConditionHits]) -> RunSummary:
    pmids = {p for h in hits for p in h.new + h.revised}
    known = _known(con, list(pmids))
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


def _known(con: duckdb.DuckDBPyConnection, pmids: list[str]) -> set[str]:
    rows = con.execute(
        "SELECT pmid FROM articles WHERE pmid IN (SELECT unnest(CAST(? AS VARCHAR[])))", [pmids]
    ).fetchall()
    return {r[0] for r in rows}


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    """Batches of ``size``; when the source fails part-way (a file breaks off, a fetch gives up),
    the records read before the failure are still handed over, then the error is raised."""
    batch: list[Any] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) == size:
                yield batch
                batch = []
    except IvigLitError:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else value
