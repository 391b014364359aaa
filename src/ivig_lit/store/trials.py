"""Trials in the warehouse: each study's latest record, a status-history row per change, the
conditions it maps to, and the articles that cite its NCT number. Callers group the writes with
``warehouse.transaction`` so the ClinicalTrials.gov watermark moves only with the studies it covers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from ivig_lit.fetch.ctgov import Study, StudyDate
from ivig_lit.parse.models import hash_json
from ivig_lit.store.queries import load_query
from ivig_lit.tag.models import ConditionMatch


@dataclass
class TrialLoad:
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # the record changed (any field)
    status_changes: list[str] = field(default_factory=list)  # a status-history row was added
    unchanged: list[str] = field(default_factory=list)


def upsert_trials(
    con: duckdb.DuckDBPyConnection,
    studies: Iterable[Study],
    conditions: dict[str, tuple[ConditionMatch, ...]],
    run_id: str | None,
    now: dt.datetime,
) -> TrialLoad:
    """Insert new studies, update changed ones, and append status history where the status, stop
    reason, results or completion date moved; ``conditions`` replaces each study's condition rows."""
    latest = {s.nct_id: s for s in studies}
    result = TrialLoad()
    if not latest:
        return result
    ids = list(latest)
    stored = dict(con.execute(load_query("trial_stored_hashes"), [ids]).fetchall())
    last_state = {row[0]: tuple(row[1:]) for row in con.execute(load_query("trial_last_states"), [ids]).fetchall()}
    for nct, study in latest.items():
        record = json.dumps(study.record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        content_hash = hash_json(record)
        if stored.get(nct) == content_hash:
            result.unchanged.append(nct)
            continue
        (result.changed if nct in stored else result.new).append(nct)
        con.execute(load_query("trial_upsert"), _row(study, record, content_hash, run_id, now))
        state = (study.overall_status, study.why_stopped, study.has_results, _day(study.completion))
        if last_state.get(nct) != state:
            result.status_changes.append(nct)
            con.execute(
                load_query("trial_insert_history"),
                [nct, now.isoformat(), _day(study.last_update_posted), *state, run_id],
            )
    touched = result.new + result.changed
    if touched:
        con.execute("DELETE FROM trial_conditions WHERE nct_id IN (SELECT unnest(CAST(? AS VARCHAR[])))", [touched])
        rows = {(nct, m.condition_id, m.source): m.evidence for nct in touched for m in conditions.get(nct, ())}
        if rows:
            con.executemany(
                "INSERT INTO trial_conditions VALUES (?, ?, ?, ?)", [(*key, ev) for key, ev in rows.items()]
            )
    return result


def link_articles(con: duckdb.DuckDBPyConnection) -> int:
    """Re-derive every trial-article link from the stored records (NCT numbers in a DataBankList,
    title, abstract or keywords); returns how many links exist."""
    con.execute("DELETE FROM trial_article_links")
    con.execute(load_query("trial_link_articles"))
    return con.execute("SELECT count(*) FROM trial_article_links").fetchone()[0]


def _row(study: Study, record: str, content_hash: str, run_id: str | None, now: dt.datetime) -> dict[str, object]:
    return {
        "nct_id": study.nct_id,
        "brief_title": study.brief_title,
        "official_title": study.official_title,
        "overall_status": study.overall_status,
        "why_stopped": study.why_stopped,
        "study_type": study.study_type,
        "allocation": study.allocation,
        "phases": list(study.phases),
        "enrollment": study.enrollment,
        "enrollment_type": study.enrollment_type,
        "conditions": list(study.conditions),
        "interventions": list(study.interventions),
        "start_date": _day(study.start),
        "primary_completion_date": _day(study.primary_completion),
        "completion_date": _day(study.completion),
        "completion_type": study.completion.kind if study.completion else None,
        "first_posted": _day(study.first_posted),
        "last_update_posted": _day(study.last_update_posted),
        "results_first_posted": _day(study.results_first_posted),
        "has_results": study.has_results,
        "record": record,
        "content_hash": content_hash,
        "now": now.isoformat(),
        "run_id": run_id,
    }


def _day(value: StudyDate | None) -> dt.date | None:
    return value.date if value else None
