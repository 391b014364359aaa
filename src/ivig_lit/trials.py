"""The nightly ClinicalTrials.gov step: for each tracked condition, the IVIG studies registered or
updated since its watermark, mapped to conditions by the tagger's own matching, stored with their
status history, and linked to the PubMed articles that cite them.

Each condition's studies and its ``ctgov`` watermark commit together, in one transaction after the
fetches (the writer is never held during one); a run re-reads
``overlap_days`` behind the watermark, and an upsert by NCT id makes the overlap harmless. When the
registry fails (after the client's retries) the step stops with a :class:`TrialSyncError` that
carries what it did: the conditions stored before stay stored, and the next run resumes each
condition from its own watermark.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb

from ivig_lit.config import Settings
from ivig_lit.errors import IvigLitError, TrialSyncError
from ivig_lit.fetch.ctgov import FETCH_ERRORS, CtgovClient, Study
from ivig_lit.parse.models import Article, RecordError
from ivig_lit.registry import Condition, Registry
from ivig_lit.store import trials as store
from ivig_lit.store import warehouse as wh
from ivig_lit.tag._text import article_sentences
from ivig_lit.tag.conditions import match_conditions
from ivig_lit.tag.models import ConditionMatch

if TYPE_CHECKING:
    from ivig_lit.runs import Run

log = logging.getLogger(__name__)

WATERMARK_KIND = "ctgov"
# Names under which registries list intravenous immunoglobulin as an intervention.
IVIG_INTERVENTIONS = ('"immune globulin"', "immunoglobulin", "IVIG", "IGIV")
INTERVENTION_QUERY = " OR ".join(IVIG_INTERVENTIONS)


@dataclass
class TrialSync:
    """What the trials step did, for the run summary and the tests."""

    studies: int = 0
    new: int = 0
    changed: int = 0
    status_changes: int = 0
    quarantined: int = 0
    links: int = 0
    requests: int = 0
    retries: int = 0
    per_condition: dict[str, int] = field(default_factory=dict)
    error: str | None = None  # why the step stopped early (the registry failed), else None


def condition_query(condition: Condition) -> str:
    """A ``query.cond`` for one condition: its synonyms (wildcards dropped) and safe abbreviations."""
    phrases = [s.rstrip("*").strip() for s in condition.synonyms] + list(condition.abbreviations)
    unique = dict.fromkeys(p for p in phrases if p)
    return " OR ".join(f'"{p}"' if " " in p or "-" in p else p for p in unique)


def map_conditions(study: Study, registry: Registry) -> tuple[ConditionMatch, ...]:
    """The tracked conditions a study is about, by the tagger's matching on its title and listed
    conditions (read like an article's title and keywords)."""
    as_article = Article(pmid=study.nct_id, title=study.brief_title, keywords=study.conditions)
    return match_conditions(as_article, registry, article_sentences(as_article), frozenset())


def sync_trials(
    transaction: Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]],
    settings: Settings,
    registry: Registry,
    run_id: str,
    now: dt.datetime,
    conditions: list[str] | None = None,
    client: CtgovClient | None = None,
) -> TrialSync:
    """Fetch each condition's new and updated IVIG studies and store them (see the module doc).

    ``transaction`` opens one write transaction on the warehouse (``Run.transaction`` in a nightly
    run): the writer is never held while fetching. What was fetched is stored in one transaction at
    the end, each condition's studies with its watermark, so a fetch that fails part-way keeps the
    conditions fetched before it and the next run resumes from their watermarks."""
    client = client or CtgovClient.from_settings(settings)
    with transaction() as con:
        marks = wh.get_watermarks(con)
    overlap = dt.timedelta(days=settings.overlap_days)
    summary = TrialSync()
    before = client.stats.requests, client.stats.retries
    failure: IvigLitError | None = None
    fetched: list[tuple[Condition, list[Study | RecordError]]] = []
    for c in registry.select(conditions):
        mark = marks.get((c.id, WATERMARK_KIND))
        try:
            items = list(
                client.iter_studies(
                    cond=condition_query(c), intr=INTERVENTION_QUERY, updated_since=mark and mark - overlap
                )
            )
        except FETCH_ERRORS as e:
            failure = e
            summary.error = f"ClinicalTrials.gov watch stopped at {c.id}: {e.user_message}"
            break
        fetched.append((c, items))
    with transaction() as con:  # links need only PubMed's side, so they are kept current even then
        for c, items in fetched:
            _store_condition(con, registry, c, items, summary, run_id, now)
        summary.links = store.link_articles(con)
    summary.requests = client.stats.requests - before[0]
    summary.retries = client.stats.retries - before[1]
    if failure is not None:
        raise TrialSyncError(summary.error or "", summary, url=failure.fields.get("url")) from failure
    return summary


def sync_run_trials(run: Run, conditions: list[str] | None = None) -> TrialSync:
    """The trials step of a nightly run (the unit the nightly flow runs as a task of its own)."""
    return sync_trials(run.transaction, run.settings, run.registry, run.run_id, run.now, conditions)


def _store_condition(
    con: duckdb.DuckDBPyConnection,
    registry: Registry,
    condition: Condition,
    items: list[Study | RecordError],
    summary: TrialSync,
    run_id: str,
    now: dt.datetime,
) -> None:
    """One condition's studies, its quarantined records and its watermark, in the caller's transaction."""
    studies = [s for s in items if isinstance(s, Study)]
    errors = [e for e in items if isinstance(e, RecordError)]
    mapped = {s.nct_id: map_conditions(s, registry) for s in studies}
    load = store.upsert_trials(con, studies, mapped, run_id, now)
    wh.quarantine(con, "trials", errors, run_id, now)
    wh.set_watermark(con, condition.id, WATERMARK_KIND, now.date(), run_id, now)
    summary.studies += len(studies)
    summary.new += len(load.new)
    summary.changed += len(load.changed)
    summary.status_changes += len(load.status_changes)
    summary.quarantined += len(errors)
    summary.per_condition[condition.id] = len(studies)
    log.debug("%s: %d studies, %d new, %d changed", condition.id, len(studies), len(load.new), len(load.changed))
