"""Status history: a snapshot per condition after each recorded run, and a change record saying why
whenever a status moved.

Causes are derived, not guessed: the previous snapshot stores the evidence its rules read (PMID,
design, direction, tagger version), so comparing it with today's evidence names the PMIDs that
entered, left or were re-tagged, and ``article_tag_history`` tells a new article from a re-tagged
one. A rules-version bump is checked by re-running today's rules on yesterday's evidence: if that
alone changes the status, the rule upgrade is a cause.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb

from ivig_lit.assess.status import (
    SYNTHESIS_DESIGNS,
    TRIAL_DESIGNS,
    ConditionStatus,
    EvidenceItem,
    Rule,
    apply_rules,
    compute_status,
    make_evidence,
)
from ivig_lit.registry import Registry
from ivig_lit.store.queries import load_query

# Most telling first: the primary reason of a change is the first that applies.
REASONS = (
    "initial", "rule_upgrade", "retraction", "curation", "new_trial", "tagger_upgrade", "retag", "new_article"
)  # fmt: skip
NOTABLE_DESIGNS = TRIAL_DESIGNS | SYNTHESIS_DESIGNS | {"controlled_trial"}


@dataclass(frozen=True, slots=True)
class StatusChange:
    condition_id: str
    changed_at: dt.datetime
    old_status: str | None
    new_status: str
    old_rule_id: str | None
    rule_id: str
    old_rules_version: str | None
    rules_version: str
    reason: str
    reasons: tuple[str, ...]
    pmids: tuple[str, ...]
    detail: dict[str, dict]  # pmid -> {"reason", "before", "after"}


@dataclass(frozen=True, slots=True)
class _Snapshot:
    status: str
    rule_id: str
    rules_version: str
    contributing: tuple[str, ...]
    evidence: dict[str, list]  # pmid -> [design, direction, tagger_version, date, pooled_rcts]


def record_status(
    con: duckdb.DuckDBPyConnection,
    registry: Registry,
    run_id: str,
    as_of: dt.datetime,
    reason_hint: str | None = None,
    curated: frozenset[str] = frozenset(),
) -> list[StatusChange]:
    """Write this run's snapshots, change records and notable additions on ``con`` (no commit).

    Re-recording the same run replaces its rows, so a retried run leaves one set. ``reason_hint``
    (one of ``REASONS``) names the cause when the evidence shows none, e.g. a retag run's caller.
    ``curated`` names the PMIDs a curator changed in this run: their moves are caused by curation.
    """
    if reason_hint is not None and reason_hint not in REASONS:
        raise ValueError(f"reason_hint must be one of {', '.join(REASONS)}, got {reason_hint!r}")
    for name in ("status_delete_run_snapshots", "status_delete_run_changes", "status_delete_run_additions"):
        con.execute(load_query(name), {"run_id": run_id})
    previous = _previous_snapshots(con, run_id, as_of)
    statuses = compute_status(con, registry, as_of)
    fates = _fates(con, statuses, previous)
    changes = []
    for status in statuses:
        _insert_snapshot(con, run_id, as_of, status)
        before = previous.get(status.condition_id)
        diff = _diff(before, status, fates, run_id, curated)
        if before is None or before.status != status.status:
            change = _change(before, status, diff, reason_hint)
            _insert_change(con, run_id, change)
            changes.append(change)
        else:
            _insert_additions(con, run_id, as_of, status, diff)
    return changes


def _previous_snapshots(con: duckdb.DuckDBPyConnection, run_id: str, as_of: dt.datetime) -> dict[str, _Snapshot]:
    rows = con.execute(load_query("status_previous_snapshots"), {"run_id": run_id, "as_of": as_of}).fetchall()
    return {
        cid: _Snapshot(status, rule_id, version, tuple(pmids), json.loads(evidence))
        for cid, status, rule_id, version, pmids, evidence in rows
    }


def _evidence_json(status: ConditionStatus) -> dict[str, list]:
    return {
        i.pmid: [i.design, i.direction, i.tagger_version, i.date.isoformat() if i.date else None, i.pooled_rcts]
        for i in status.evidence.items
    }


def _fates(
    con: duckdb.DuckDBPyConnection, statuses: list[ConditionStatus], previous: dict[str, _Snapshot]
) -> dict[str, tuple]:
    """pmid -> (is_retracted, deleted, first_run_id, last tag reason, its tagger, the one before)."""
    pmids = {i.pmid for s in statuses for i in s.evidence.items}
    pmids |= {p for snap in previous.values() for p in snap.evidence}
    if not pmids:
        return {}
    rows = con.execute(load_query("status_article_fates"), {"pmids": sorted(pmids)}).fetchall()
    return {row[0]: row[1:] for row in rows}


def _diff(
    before: _Snapshot | None, status: ConditionStatus, fates: dict[str, tuple], run_id: str, curated: frozenset[str]
) -> dict[str, dict]:
    """pmid -> {"reason", "before", "after"} for every article that entered, left or changed."""
    if before is None:
        return {}
    after = _evidence_json(status)
    out: dict[str, dict] = {}
    for pmid in sorted(before.evidence.keys() | after.keys()):
        old, new = before.evidence.get(pmid), after.get(pmid)
        if old and new and old[:2] == new[:2]:
            continue
        retracted, deleted, first_run, tag_reason, tagger, prior_tagger = fates.get(pmid, (False, False, None, None,
                                                                                         None, None))  # fmt: skip
        if pmid in curated:
            reason = "curation"
        elif new is None:
            reason = "retraction" if retracted or deleted else "retag"
        elif old is not None:
            reason = "tagger_upgrade" if old[2] != new[2] else "retag"
        elif tag_reason == "new" or (tag_reason is None and first_run == run_id):
            reason = "new_trial" if new[0] in NOTABLE_DESIGNS else "new_article"
        else:
            reason = "tagger_upgrade" if prior_tagger and prior_tagger != tagger else "retag"
        out[pmid] = {"reason": reason, "before": old, "after": new}
    return out


def _change(
    before: _Snapshot | None, status: ConditionStatus, diff: dict[str, dict], reason_hint: str | None
) -> StatusChange:
    if before is None:
        reasons, pmids = ["initial"], status.contributing_pmids
    else:
        reasons = []
        if before.rules_version != status.rules_version and _rerun(before).status != before.status:
            reasons.append("rule_upgrade")
        relevant = set(before.contributing) | set(status.contributing_pmids)
        diff = {p: d for p, d in diff.items() if p in relevant} or diff
        reasons += sorted({d["reason"] for d in diff.values()}, key=REASONS.index)
        if not reasons:
            reasons.append(reason_hint or "retag")
        pmids = tuple(diff) or status.contributing_pmids
    return StatusChange(
        condition_id=status.condition_id,
        changed_at=status.as_of,
        old_status=before.status if before else None,
        new_status=status.status,
        old_rule_id=before.rule_id if before else None,
        rule_id=status.rule_id,
        old_rules_version=before.rules_version if before else None,
        rules_version=status.rules_version,
        reason=reasons[0],
        reasons=tuple(reasons),
        pmids=tuple(pmids),
        detail=diff,
    )


def _rerun(before: _Snapshot) -> Rule:
    """Today's rules on the previous snapshot's evidence."""
    items = [
        EvidenceItem(pmid, design, direction, dt.date.fromisoformat(date) if date else None, tagger,
                     pooled_rcts=pooled[0] if pooled else None)
        for pmid, (design, direction, tagger, date, *pooled) in before.evidence.items()
    ]  # fmt: skip
    return apply_rules(make_evidence(items))[0]


def _insert_snapshot(con: duckdb.DuckDBPyConnection, run_id: str, as_of: dt.datetime, s: ConditionStatus) -> None:
    con.execute(
        load_query("status_insert_snapshot"),
        {
            "run_id": run_id,
            "as_of": as_of,
            "condition_id": s.condition_id,
            "label": s.label,
            "is_group": s.is_group,
            "status": s.status,
            "rule_id": s.rule_id,
            "rules_version": s.rules_version,
            "baseline_grade": s.baseline.grade if s.baseline else None,
            "n_articles": s.n_articles,
            "design_counts": json.dumps(s.design_counts),
            "direction_counts": json.dumps(s.direction_counts),
            "contributing_pmids": list(s.contributing_pmids),
            "latest_rct_pmid": s.latest_rct.pmid if s.latest_rct else None,
            "latest_meta_pmid": s.latest_meta_analysis.pmid if s.latest_meta_analysis else None,
            "evidence": json.dumps(_evidence_json(s)),
        },
    )


def _insert_change(con: duckdb.DuckDBPyConnection, run_id: str, c: StatusChange) -> None:
    con.execute(
        load_query("status_insert_change"),
        {
            "run_id": run_id,
            "condition_id": c.condition_id,
            "changed_at": c.changed_at,
            "old_status": c.old_status,
            "new_status": c.new_status,
            "old_rule_id": c.old_rule_id,
            "rule_id": c.rule_id,
            "old_rules_version": c.old_rules_version,
            "rules_version": c.rules_version,
            "reason": c.reason,
            "reasons": list(c.reasons),
            "pmids": list(c.pmids),
            "detail": json.dumps(c.detail),
        },
    )


def _insert_additions(
    con: duckdb.DuckDBPyConnection, run_id: str, as_of: dt.datetime, s: ConditionStatus, diff: dict[str, dict]
) -> None:
    for pmid, d in diff.items():
        entered = d["before"] is None or d["before"][0] not in NOTABLE_DESIGNS
        if d["after"] and d["after"][0] in NOTABLE_DESIGNS and entered:
            con.execute(
                load_query("status_insert_addition"),
                {
                    "run_id": run_id,
                    "condition_id": s.condition_id,
                    "added_at": as_of,
                    "pmid": pmid,
                    "design": d["after"][0],
                    "direction": d["after"][1],
                    "status": s.status,
                    "reason": d["reason"],
                },
            )
