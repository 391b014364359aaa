"""The DuckDB warehouse: connect (migrating on the way), load articles, tags and hits idempotently,
keep runs and watermarks. Callers group writes with ``transaction`` so a watermark moves only with
the data it describes."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ivig_lit.parse.models import RETRACTION_OF, Article, RecordError, hash_json
from ivig_lit.registry import Registry

# Connections are opened through this module too (``wh.connect``, ``wh.transaction``...): re-exported.
from ivig_lit.store.connection import connect as connect
from ivig_lit.store.connection import open_reader as open_reader
from ivig_lit.store.connection import open_writer as open_writer
from ivig_lit.store.connection import run_read
from ivig_lit.store.connection import transaction as transaction
from ivig_lit.store.connection import try_writer_lock as try_writer_lock
from ivig_lit.store.connection import writer_lock as writer_lock
from ivig_lit.store.queries import load_query
from ivig_lit.tag.models import Direction, Tags

log = logging.getLogger(__name__)


@dataclass
class LoadResult:
    new: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # older than the stored revision: history only
    hashes: dict[str, str] = field(default_factory=dict)  # content hash of each PMID's current record
    current: dict[str, Article] = field(default_factory=dict)  # the record now current, per changed PMID

    @property
    def changed(self) -> list[str]:
        return self.new + self.revised


def _revision(date_revised: dt.date | None, version: int) -> tuple[dt.date, int]:
    """How new a record is: PubMed's DateRevised, then the PMID version (no date counts as oldest)."""
    return (date_revised or dt.date.min, version)


def upsert_articles(
    con: duckdb.DuckDBPyConnection, articles: Iterable[Article], run_id: str | None, now: dt.datetime
) -> LoadResult:
    """Load records so revisions only move forward, whatever order files arrive in.

    A record becomes current only if it is at least as new as the stored one (DateRevised, then
    version, then arrival: on a tie the later load wins); an older one is kept in
    ``article_versions`` and counted stale. A withdrawn PMID stays withdrawn until a record revised
    after the deletion's date arrives.
    """
    result = LoadResult()
    newest: dict[str, Article] = {}
    older: list[Article] = []  # superseded within the batch
    for a in articles:
        held = newest.get(a.pmid)
        if held is not None and _revision(a.date_revised, a.version) < _revision(held.date_revised, held.version):
            older.append(a)
            continue
        if held is not None:
            older.append(held)
        newest[a.pmid] = a
    if not newest:
        return result
    bodies = {pmid: a.canonical_json() for pmid, a in newest.items()}
    hashes = {pmid: hash_json(body) for pmid, body in bodies.items()}
    stored = {row[0]: row[1:] for row in con.execute(load_query("article_revisions"), [list(newest)]).fetchall()}
    rows, revised, versions = [], [], {}
    current_hash = {}  # the content each PMID's article row holds after this batch
    for pmid, article in newest.items():
        content_hash, date_revised, version, deleted_at, deleted_on = stored[pmid]
        current_hash[pmid] = content_hash
        if content_hash == hashes[pmid]:
            result.unchanged.append(pmid)
            continue
        row = _article_row(article, bodies[pmid], hashes[pmid], run_id, now)
        if content_hash is not None and _revision(article.date_revised, article.version) < _revision(
            date_revised, version
        ):
            result.stale.append(pmid)
            versions.setdefault((pmid, hashes[pmid]), row)
            continue
        (result.revised if content_hash is not None else result.new).append(pmid)
        withdrawn = deleted_on is not None and (article.date_revised is None or article.date_revised <= deleted_on)
        row["deleted_at"] = (deleted_at or now).isoformat() if withdrawn else None
        (rows if content_hash is None else revised).append(row)
        versions[pmid, hashes[pmid]] = {**row, "record": None}  # its JSON lives in articles.record
        current_hash[pmid] = hashes[pmid]
        result.hashes[pmid] = hashes[pmid]
        result.current[pmid] = article
    for a in older:
        body = a.canonical_json()
        content_hash = hash_json(body)
        if content_hash != hashes[a.pmid]:
            result.stale.append(a.pmid)
            if content_hash != current_hash[a.pmid]:
                versions.setdefault((a.pmid, content_hash), _article_row(a, body, content_hash, run_id, now))
    _load_frames(con, rows, revised, list(versions.values()))
    _load_links(con, result.current, result.revised)
    return result


def _load_frames(
    con: duckdb.DuckDBPyConnection,
    rows: list[dict[str, Any]],
    revised: list[dict[str, Any]],
    versions: list[dict[str, Any]],
) -> None:
    """Write current rows (articles) and every distinct content (article_versions), each JSON once:
    articles new to the warehouse are plain inserts; a revision first moves the JSON it replaces
    from ``articles`` into its history row, and the history row of a current revision holds no JSON."""
    if rows:
        with _frames(con, incoming=pd.DataFrame(rows)):
            con.execute(load_query("insert_articles"))
    if revised:  # only a batch holding a revision pays for the conflict handling and the history move
        with _frames(con, incoming=pd.DataFrame(revised)):
            con.execute(load_query("supersede_articles"))
            con.execute(load_query("insert_articles") + load_query("upsert_articles"))
    if versions:
        with _frames(con, incoming_versions=pd.DataFrame(versions)):
            con.execute(load_query("insert_article_versions"))


def _load_links(con: duckdb.DuckDBPyConnection, current: dict[str, Article], revised: list[str]) -> None:
    """The CommentsCorrections of the records now current replace their stored ones (only revisions
    have any), written from the parsed records; then the retraction flags of the articles this can
    change: those the batch's notices name, the batch's own, and those a revised notice named."""
    if not current:
        return
    unnamed: list[str] = []
    if revised:
        with _frames(con, incoming=pd.DataFrame({"pmid": revised})):
            dropped = con.execute(load_query("drop_article_links")).fetchall()
        unnamed = [ref for kind, ref in dropped if kind == RETRACTION_OF and ref is not None]
    links = [(pmid, c.ref_type, c.pmid, c.source) for pmid, a in current.items() for c in a.comments_corrections]
    if links:
        with _frames(con, incoming_links=pd.DataFrame(links, columns=["pmid", "ref_type", "ref_pmid", "ref_source"])):
            con.execute(load_query("insert_article_links"))
    if unnamed:
        con.execute(load_query("unflag_retracted_articles"), {"pmids": unnamed})
    named = [ref for _, kind, ref, _ in links if kind == RETRACTION_OF and ref is not None]
    con.execute(load_query("flag_retracted_articles"), {"named": named, "pmids": list(current)})


@contextmanager
def _frames(con: duckdb.DuckDBPyConnection, **frames: pd.DataFrame) -> Iterator[None]:
    """DataFrames visible to the SQL inside under their names, and gone after: the named queries
    read a batch from them (DuckDB inserts a frame at once; ``executemany`` goes row by row)."""
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def _article_row(a: Article, body: str, content_hash: str, run_id: str | None, now: dt.datetime) -> dict[str, Any]:
    return {
        "pmid": a.pmid,
        "pmid_version": a.version,
        "content_hash": content_hash,
        "title": a.title,
        "title_raw": a.title_raw,
        "abstract": a.abstract_text or None,
        "journal": a.journal,
        "journal_iso": a.journal_iso,
        "pub_year": a.pub_date.year,
        "pub_month": a.pub_date.month,
        "pub_day": a.pub_date.day,
        "pub_date_raw": a.pub_date.raw,
        "pub_date": _iso(a.pub_date.to_date()),
        "article_date": _iso(a.article_date),
        "entrez_date": _iso(a.entrez_date),
        "date_revised": _iso(a.date_revised),
        "doi": a.doi,
        "pmc": a.pmc,
        "citation_status": a.citation_status,
        "is_book": a.is_book,
        "is_retracted": a.is_retracted,
        "is_retraction_notice": a.is_retraction_notice,
        "is_erratum_notice": a.is_erratum_notice,
        "record": body,
        "now": now.isoformat(),
        "run_id": run_id,
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def mark_deleted(
    con: duckdb.DuckDBPyConnection,
    pmids: Iterable[str],
    now: dt.datetime,
    as_of: dt.date | None = None,
    run_id: str | None = None,
) -> int:
    """Withdraw citations (DeleteCitation) as of ``as_of``, the date of the file or notice (default:
    today). They stay stored, flagged, out of the views; an article revised after that date is left
    alone, and the deletion is remembered so an older file loaded later cannot bring a PMID back.
    Returns how many stored articles it took out of the views."""
    pmids = list(dict.fromkeys(pmids))
    if not pmids:
        return 0
    params = [now.isoformat(), pmids, as_of or now.date()]
    con.execute(load_query("insert_deletions"), [*params, run_id])
    return con.execute(load_query("flag_deleted"), params).fetchone()[0]


def record_query_hits(
    con: duckdb.DuckDBPyConnection,
    hits: dict[str, set[str]],
    query_hashes: dict[str, str],
    run_id: str | None,
    now: dt.datetime,
) -> None:
    """Remember which condition query returned which PMID (first time only)."""
    rows = [(pmid, cid, query_hashes[cid]) for pmid, cids in hits.items() for cid in sorted(cids)]
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=["pmid", "condition_id", "query_hash"])
    with _frames(con, hits=frame):
        con.execute(load_query("insert_query_hits"), {"now": now.isoformat(), "run_id": run_id})


def query_hits_for(con: duckdb.DuckDBPyConnection, pmids: list[str]) -> dict[str, frozenset[str]]:
    """Every condition whose query has ever returned each PMID."""
    out: dict[str, set[str]] = {}
    for pmid, cid in con.execute(load_query("query_hits"), {"pmids": pmids}).fetchall():
        out.setdefault(pmid, set()).add(cid)
    return {p: frozenset(c) for p, c in out.items()}


def known_pmids(con: duckdb.DuckDBPyConnection, pmids: list[str]) -> set[str]:
    """The PMIDs among ``pmids`` already stored."""
    return {r[0] for r in con.execute(load_query("known_pmids"), {"pmids": pmids}).fetchall()}


def live_pmids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every article not withdrawn, in PMID order."""
    return [r[0] for r in con.execute(load_query("live_pmids")).fetchall()]


def designs_by_pmid(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute(load_query("designs_by_pmid")).fetchall())


def stored_records(con: duckdb.DuckDBPyConnection, pmids: list[str]) -> list[dict[str, Any]]:
    """The stored JSON record of each PMID (the input ``Article.from_dict`` rebuilds)."""
    return [json.loads(r[0]) for r in con.execute(load_query("stored_records"), {"pmids": pmids}).fetchall()]


@dataclass(frozen=True, slots=True)
class Tagged:
    pmid: str
    content_hash: str
    tags: Tags
    direction: Direction | None


_CONDITION_COLUMNS = ("pmid", "condition_id", "source", "evidence", "confidence")


def save_tags(
    con: duckdb.DuckDBPyConnection, tagged: list[Tagged], reason: str, run_id: str | None, now: dt.datetime
) -> int:
    """Store current tags and conditions; append history only where the outcome changed.

    Returns how many articles' tagging changed (design, evidence, focus, direction, conditions or
    tagger version).
    """
    if not tagged:
        return 0
    current = {
        row[0]: row[1:] for row in con.execute(load_query("current_tags"), [[t.pmid for t in tagged]]).fetchall()
    }
    rows, condition_rows = [], []
    n_changed = 0
    for t in tagged:
        tags = t.tags
        direction = t.direction.direction if t.direction else None
        outcome = (
            tags.tagger_version,
            tags.design,
            tags.design_evidence,
            tags.ivig_focus,
            direction,
            sorted(set(tags.condition_ids)),
        )
        changed = current.get(t.pmid) != outcome
        n_changed += changed
        rows.append(
            {
                "pmid": t.pmid,
                "tagger_version": tags.tagger_version,
                "design": tags.design,
                "design_evidence": tags.design_evidence,
                "ivig_focus": tags.ivig_focus,
                "ivig_evidence": tags.ivig_evidence,
                "comparator": tags.comparator,
                "n_participants": tags.n_participants,
                "age_group": tags.age_group,
                "direction": direction,
                "direction_evidence": t.direction.evidence if t.direction else None,
                "design_confidence": tags.design_confidence,
                "ivig_confidence": tags.ivig_confidence,
                "review_reasons": "; ".join(tags.review_reasons) or None,
                "content_hash": t.content_hash,
                "now": now.isoformat(),
                "run_id": run_id,
                "conditions": json.dumps(sorted(set(tags.condition_ids))),
                "reason": reason if t.pmid in current else "new",
                "changed": changed,
                "stored": t.pmid in current,  # has tags already: upserted, its conditions replaced
            }
        )
        condition_rows += [(t.pmid, m.condition_id, m.source, m.evidence, m.confidence) for m in _dedupe(tags)]
    frame = pd.DataFrame(rows).astype({"n_participants": "Int64"})
    # Frames, not ``executemany``: DuckDB inserts those row by row, about 50 times slower.
    matched = pd.DataFrame(condition_rows, columns=list(_CONDITION_COLUMNS)).astype({"confidence": "float64"})
    n_stored = sum(t.pmid in current for t in tagged)
    steps = [
        *(["upsert_tags", "drop_article_conditions"] if n_stored else []),  # only for articles tagged before
        *(["insert_tags"] if n_stored < len(tagged) else []),
        "insert_tag_history",
        "insert_article_conditions",
    ]
    with _frames(con, tagged=frame, matched=matched):
        for name in steps:
            con.execute(load_query(name))
    con.execute(load_query("refresh_article_tags"), {"pmids": [t.pmid for t in tagged]})  # v_article's copy
    return n_changed


def _dedupe(tags: Tags) -> list:
    """One row per (condition, source): the first evidence of each kind is the one kept."""
    seen: dict[tuple[str, str], Any] = {}
    for m in tags.conditions:
        seen.setdefault((m.condition_id, m.source), m)
    return list(seen.values())


def quarantine(
    con: duckdb.DuckDBPyConnection, stage: str, errors: list[RecordError], run_id: str | None, now: dt.datetime
) -> None:
    if errors:
        con.executemany(
            "INSERT INTO _ivig_quarantine VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP))",
            [(e.pmid, stage, e.reason, e.source, e.line, run_id, now.isoformat()) for e in errors],
        )


def sync_conditions(con: duckdb.DuckDBPyConnection, registry: Registry, now: dt.datetime) -> None:
    """Mirror the registry into ``conditions`` (only rows that differ are touched)."""
    frame = pd.DataFrame(
        [
            {
                "condition_id": c.id,
                "label": c.label,
                "group_id": c.group,
                "query": registry.search_query(c.id),
                "baseline_text": c.baseline.text,
                "baseline_grade": c.baseline.grade,
                "baseline_source": c.baseline.source,
                "now": now.isoformat(),
            }
            for c in registry.conditions
        ]
    )
    with _frames(con, registry_rows=frame):
        con.execute(load_query("sync_conditions"))


# -- watermarks ---------------------------------------------------------------------------------------


def get_watermarks(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dt.date]:
    rows = con.execute("SELECT condition_id, kind, watermark FROM _ivig_watermarks").fetchall()
    return {(c, k): w for c, k, w in rows}


def set_watermark(
    con: duckdb.DuckDBPyConnection, condition_id: str, kind: str, watermark: dt.date, run_id: str, now: dt.datetime
) -> None:
    """Advance (never move back) a watermark; call inside the transaction that commits its data."""
    con.execute(
        "INSERT INTO _ivig_watermarks VALUES (?, ?, ?, CAST(? AS TIMESTAMP), ?) "
        "ON CONFLICT (condition_id, kind) DO UPDATE SET watermark = excluded.watermark, "
        "updated_at = excluded.updated_at, run_id = excluded.run_id "
        "WHERE excluded.watermark > _ivig_watermarks.watermark",
        [condition_id, kind, watermark, now.isoformat(), run_id],
    )


# -- runs ---------------------------------------------------------------------------------------------


def start_run(
    con: duckdb.DuckDBPyConnection,
    flow: str,
    parameters: dict[str, Any],
    window: tuple[dt.date | None, dt.date | None],
    now: dt.datetime,
) -> str:
    """Record a run as running, owned by this process (committed at once, so a crash leaves a
    visible trace that a later command can mark abandoned)."""
    run_id = f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    con.execute(
        load_query("start_run"),
        {
            "run_id": run_id,
            "flow": flow,
            "window_start": window[0],
            "window_end": window[1],
            "now": now.isoformat(),
            "parameters": json.dumps(parameters, default=str),
            "pid": os.getpid(),
            "host": socket.gethostname(),
        },
    )
    return run_id


def heartbeat_run(con: duckdb.DuckDBPyConnection, run_id: str, now: dt.datetime) -> None:
    """Note that a running run committed at ``now``."""
    con.execute(load_query("heartbeat_run"), {"run_id": run_id, "now": now.isoformat()})


def abandon_runs(con: duckdb.DuckDBPyConnection, now: dt.datetime, found_by: str) -> list[str]:
    """Mark every ``running`` run abandoned; only for a caller holding the writer lock, since every
    live run holds it for its whole life (so no other run is alive)."""
    rows = con.execute(load_query("abandon_runs"), {"now": now.isoformat(), "found_by": found_by}).fetchall()
    for (run_id,) in rows:
        log.warning("run %s was left running by a process that is gone; marked abandoned", run_id)
    return [r[0] for r in rows]


@dataclass
class RunCounts:
    """What a run did; stored in ``_ivig_runs`` and printed by the CLI."""

    searched: int = 0
    fetched: int = 0
    new: int = 0
    revised: int = 0
    unchanged: int = 0
    stale: int = 0  # records older than the stored revision (kept in history only)
    missing: list[str] = field(default_factory=list)
    quarantined: int = 0
    deleted: int = 0
    requests: int = 0  # E-utilities
    retries: int = 0
    ctgov_requests: int = 0  # ClinicalTrials.gov (nightly runs)
    ctgov_retries: int = 0

    def add(self, result: LoadResult) -> None:
        self.new += len(result.new)
        self.revised += len(result.revised)
        self.unchanged += len(result.unchanged)
        self.stale += len(result.stale)


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    counts: RunCounts,
    status: str,
    now: dt.datetime,
    error: str | None = None,
) -> None:
    con.execute(
        load_query("finish_run"),
        [
            now.isoformat(),
            status,
            counts.searched,
            counts.fetched,
            counts.new,
            counts.revised,
            counts.unchanged,
            counts.stale,
            len(counts.missing),
            counts.missing,
            counts.quarantined,
            counts.deleted,
            counts.requests,
            counts.retries,
            counts.ctgov_requests,
            counts.ctgov_retries,
            error,
            run_id,
        ],
    )


def read_query(path: Path | str, sql: str, params: list[Any] | None = None, *, named: bool = False) -> pd.DataFrame:
    """A read-only query's result as a DataFrame (see ``read_rows`` for the lock-down and errors)."""
    return run_read(path, sql, params, named, lambda cur: cur.df())
