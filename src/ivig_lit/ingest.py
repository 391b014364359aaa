"""``load-xml``: ingest local PubMed XML files (baseline/update files, saved EFetch output) as one
recorded run. Records pass the relevance gate first (unless ``keep_all``): off-topic records are
counted, never tagged or stored, and each batch commits on its own so memory stays flat."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ivig_lit.batch import Pretagged, iter_batches, load_batch
from ivig_lit.config import Settings
from ivig_lit.errors import MalformedFileError
from ivig_lit.gate import Gate
from ivig_lit.hashing import text_hash
from ivig_lit.parse import iter_articles
from ivig_lit.parse.models import Article, Skipped
from ivig_lit.progress import Progress
from ivig_lit.registry import Registry, load_registry
from ivig_lit.runs import Run, RunSummary, recorded
from ivig_lit.store import warehouse as wh

log = logging.getLogger(__name__)


@dataclass
class Screened:
    """What the gate saw: records read, records kept, and the conditions whose query finds each
    kept record (stored as query hits, as the nightly search would have recorded them)."""

    records: int = 0
    kept: int = 0
    hits: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def out_of_scope(self) -> int:
        return self.records - self.kept


def iter_in_scope(items: Iterable[object], gate: Gate, screened: Screened, *, keep_all: bool = False) -> Iterator:
    """Pass on every record a tracked condition's search would find (every record with
    ``keep_all``), plus parse errors and DeleteCitations; count the rest, and the records the
    gate's raw screen skipped unparsed."""
    for item in items:
        if isinstance(item, Skipped):
            screened.records += 1
            continue
        if not isinstance(item, Article):
            yield item
            continue
        screened.records += 1
        conditions = gate.conditions_of(item)
        if conditions or keep_all:
            screened.kept += 1
            if conditions:
                screened.hits[item.pmid] = conditions
            yield item


def load_batches(
    run: Run,
    batches: Iterable[list],
    hits: dict[str, frozenset[str]],
    source: str,
    bar: Progress,
    pretagged: Pretagged | None = None,
) -> None:
    """Write each batch in its own transaction (see ``write_batch``)."""
    query_hashes = query_hashes_of(run.registry)
    for batch in batches:
        with run.transaction() as con:
            write_batch(con, run, batch, hits, query_hashes, source, pretagged)
        bar.advance(len(batch))


def query_hashes_of(registry: Registry) -> dict[str, str]:
    """Each condition's query hash, as its query hits record it."""
    return {c.id: text_hash(registry.search_query(c.id), 16) for c in registry.conditions}


def write_batch(
    con: duckdb.DuckDBPyConnection,
    run: Run,
    batch: list,
    hits: dict[str, frozenset[str]],
    query_hashes: dict[str, str],
    source: str,
    pretagged: Pretagged | None = None,
) -> None:
    """One batch inside the caller's transaction: the gate's query hits first (the tagger reads
    them; each is taken out of ``hits``), then articles, tags (``pretagged`` ones where they fit),
    quarantine and deletions."""
    found = {a.pmid: set(hits.pop(a.pmid)) for a in batch if isinstance(a, Article) and a.pmid in hits}
    run.counts.fetched += sum(isinstance(i, Article) for i in batch)
    wh.record_query_hits(con, found, query_hashes, run.run_id, run.now)
    load_batch(con, run.registry, batch, run.run_id, run.now, run.counts, source, pretagged)


def load_xml(
    paths: list[Path],
    settings: Settings,
    registry: Registry | None = None,
    *,
    now: dt.datetime | None = None,
    progress: bool = False,
    keep_all: bool = False,
) -> RunSummary:
    """Ingest local PubMed XML files, keeping the records in scope (all of them with ``keep_all``).

    A file that breaks off keeps the records read before the break; the other files still load,
    and the run ends failed, naming each bad file.
    """
    registry = registry or load_registry(settings.registry)
    now = now or dt.datetime.now()
    missing = [str(p) for p in paths if not Path(p).is_file()]
    if missing:
        raise MalformedFileError(f"no such file: {', '.join(missing)}", file=missing[0])
    gate, screened = Gate(registry), Screened()
    failures: list[str] = []
    params = {"files": list(map(str, paths)), "keep_all": keep_all}
    with recorded(settings, registry, "load-xml", params, now) as run:
        for i, path in enumerate(paths, 1):
            label = f"Loading {Path(path).name} ({i}/{len(paths)}): records kept"
            with Progress(label, total=None, enabled=progress) as bar:
                records = iter_articles(path, source_name=Path(path).name, screen=None if keep_all else gate.screen)
                items = iter_in_scope(records, gate, screened, keep_all=keep_all)
                try:
                    load_batches(run, iter_batches(items), screened.hits, Path(path).name, bar)
                except MalformedFileError as e:
                    log.error("%s", e.user_message)
                    failures.append(e.user_message)
        status = "failed" if failures else "completed"
        with run.transaction() as con:
            changes = run.finish(con, status, "; ".join(failures) or None)
    summary = RunSummary(run.run_id, "load-xml", settings.warehouse, run.counts, status=status, status_changes=changes)
    summary.failed_files = failures
    summary.out_of_scope = screened.out_of_scope
    return summary
