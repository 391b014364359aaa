"""Prefect flow ``nightly``: each search plan (the conditions that share tonight's date windows,
searched with one union query) runs as a mapped task, and the ClinicalTrials.gov step as a task of
its own; the rest is ``ivig_lit.nightly.run_nightly``. Retries of single requests live in the
clients; a search task is re-run whole only on a transient failure that outlasted them. A failed
trials task fails alone: the run reports it and still completes the PubMed part."""

from __future__ import annotations

import datetime as dt

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.states import State
from prefect.utilities.annotations import unmapped

from ivig_lit import nightly as nightly_run
from ivig_lit import searches, trials
from ivig_lit.config import Settings
from ivig_lit.errors import Transient
from ivig_lit.fetch.eutils import EutilsClient
from ivig_lit.flows._settings import resolve
from ivig_lit.runs import Run


def _is_transient(task: object, task_run: object, state: State) -> bool:
    """Re-run a whole search task only when the failure was transient (rate limit, outage)."""
    return isinstance(state.result(raise_on_failure=False), Transient)


@task(retries=2, retry_delay_seconds=60, retry_condition_fn=_is_transient, cache_policy=NO_CACHE)
def search_plan(settings: Settings, plan: searches.SearchPlan) -> searches.SearchHits:
    return searches.search_plan(EutilsClient.from_settings(settings), plan)


# No whole-task retries: the next night resumes each condition from its watermark anyway.
@task(cache_policy=NO_CACHE)
def sync_trials(run: Run, conditions: list[str] | None) -> trials.TrialSync:
    return trials.sync_run_trials(run, conditions)


def _search_mapped(settings: Settings, plans: list[searches.SearchPlan]) -> list[searches.SearchHits]:
    return [f.result() for f in search_plan.map(unmapped(settings), plans)]


@flow(name="nightly", log_prints=True)
def nightly(
    since: dt.date | None = None,
    until: dt.date | None = None,
    conditions: list[str] | None = None,
    dry_run: bool = False,
    warehouse: str | None = None,
    base_url: str | None = None,
    rate_limit: float | None = None,
    now: dt.datetime | None = None,
) -> nightly_run.RunSummary:
    """Fetch, tag and load new and revised PubMed records for every tracked condition."""
    settings = resolve(warehouse, base_url, rate_limit)
    return nightly_run.run_nightly(
        settings,
        now=now,
        since=since,
        until=until,
        conditions=conditions,
        dry_run=dry_run,
        search_all=_search_mapped,
        sync_trials=sync_trials,
    )
