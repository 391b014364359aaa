"""``retag``: re-tag every stored article with the current tagger (after a tagger upgrade) and say
what changed; history keeps the old tags, and evidence status is recomputed."""

from __future__ import annotations

import datetime as dt

from ivig_lit.batch import iter_batches, tag_articles
from ivig_lit.config import Settings
from ivig_lit.parse.models import Article
from ivig_lit.progress import Progress
from ivig_lit.registry import Registry, load_registry
from ivig_lit.runs import Run, RunSummary, recorded
from ivig_lit.store import warehouse as wh
from ivig_lit.tag import TAGGER_VERSION


def retag(
    settings: Settings, registry: Registry | None = None, *, now: dt.datetime | None = None, progress: bool = False
) -> RunSummary:
    """Re-tag every live article in batches and count design moves ("rct -> cohort": n)."""
    registry = registry or load_registry(settings.registry)
    now = now or dt.datetime.now()
    params = {"tagger_version": TAGGER_VERSION}
    with recorded(settings, registry, "retag", params, now) as run:
        with run.transaction() as con:
            before = wh.designs_by_pmid(con)
            pmids = wh.live_pmids(con)
        with Progress("Re-tagging articles", total=len(pmids), enabled=progress) as bar:
            for chunk in iter_batches(iter(pmids)):
                _retag_batch(run, chunk)
                bar.advance(len(chunk))
        with run.transaction() as con:
            after = wh.designs_by_pmid(con)
            changes = run.finish(con)
        moves: dict[str, int] = {}
        for pmid, design in after.items():
            if before.get(pmid) != design:
                key = f"{before.get(pmid, 'untagged')} -> {design}"
                moves[key] = moves.get(key, 0) + 1
    return RunSummary(run.run_id, "retag", settings.warehouse, run.counts, status_changes=changes, retag_changes=moves)


def _retag_batch(run: Run, pmids: list[str]) -> None:
    """Re-tag stored records from their JSON, in one transaction per batch."""
    with run.transaction() as con:
        articles = [Article.from_dict(record) for record in wh.stored_records(con, pmids)]
        tagged, errors = tag_articles(articles, run.registry, wh.query_hits_for(con, pmids), "retag")
        run.counts.revised += wh.save_tags(con, tagged, "retag", run.run_id, run.now)
        wh.quarantine(con, "tag", errors, run.run_id, run.now)
    run.counts.quarantined += len(errors)
    run.counts.fetched += len(articles)
