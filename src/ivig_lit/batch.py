"""Loading one batch of parsed records: upsert, tag what changed, quarantine what could not be read
or tagged. Shared by the nightly run, ``load-xml`` and ``retag``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import duckdb

from ivig_lit.assess import classify_direction
from ivig_lit.errors import IvigLitError
from ivig_lit.parse.models import Article, DeleteCitation, RecordError
from ivig_lit.registry import Registry
from ivig_lit.store import warehouse as wh
from ivig_lit.tag import tag_article

log = logging.getLogger(__name__)
LOAD_BATCH = 1000  # articles per load transaction
Pretagged = Mapping[str, tuple[frozenset[str], wh.Tagged]]  # PMID -> (query hits it was tagged with, tags)


def load_batch(
    con: duckdb.DuckDBPyConnection,
    registry: Registry,
    batch: list[Article | RecordError | DeleteCitation],
    run_id: str,
    now: dt.datetime,
    counts: wh.RunCounts,
    source: str,
    pretagged: Pretagged | None = None,
) -> None:
    """Load one batch and tag what is new or changed (inside the caller's transaction); tags a
    worker computed in parallel (``pretagged``) are used where they fit the record now current."""
    articles = [i for i in batch if isinstance(i, Article)]
    errors = [i for i in batch if isinstance(i, RecordError)]
    deleted = [p for i in batch if isinstance(i, DeleteCitation) for p in i.pmids]
    result = wh.upsert_articles(con, articles, run_id, now)
    counts.add(result)
    file_date = max((a.date_revised for a in articles if a.date_revised), default=None)  # a deletion's date
    counts.deleted += wh.mark_deleted(con, deleted, now, file_date, run_id)
    latest = result.current
    hits = wh.query_hits_for(con, list(latest))
    tagged, tag_errors = tag_articles(latest.values(), registry, hits, source, result.hashes, pretagged)
    wh.save_tags(con, [t for t in tagged if t.pmid in result.new], "new", run_id, now)
    wh.save_tags(con, [t for t in tagged if t.pmid in result.revised], "revised", run_id, now)
    wh.quarantine(con, "parse", errors, run_id, now)
    wh.quarantine(con, "tag", tag_errors, run_id, now)
    counts.quarantined += len(errors) + len(tag_errors)


def tag_articles(
    articles: Iterable[Article],
    registry: Registry,
    hits: dict[str, frozenset[str]],
    source: str,
    hashes: dict[str, str] | None = None,
    pretagged: Pretagged | None = None,
) -> tuple[list[wh.Tagged], list[RecordError]]:
    """Tag each article; one that breaks a rule is quarantined, the rest go on. A ``pretagged``
    answer is reused only for the same content and the same query hits (tagging is pure)."""
    tagged, errors = [], []
    for a in articles:
        try:
            content_hash = hashes[a.pmid] if hashes else a.content_hash()
            a_hits = hits.get(a.pmid, frozenset())
            done = pretagged.get(a.pmid) if pretagged else None
            if done and done[0] == a_hits and done[1].content_hash == content_hash:
                tagged.append(done[1])
                continue
            tags = tag_article(a, registry, a_hits)
            tagged.append(wh.Tagged(a.pmid, content_hash, tags, classify_direction(a, tags.design)))
        except Exception as e:  # a tagging bug must not lose the night's other records
            log.exception("tagging PMID %s failed", a.pmid)
            errors.append(RecordError(a.pmid, f"tagging failed: {type(e).__name__}: {e}", source))
    return tagged, errors


def iter_batches(items: Iterator[Any], size: int = LOAD_BATCH) -> Iterator[list[Any]]:
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
