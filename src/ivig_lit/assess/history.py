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
from dataclasses import dataclass

from ivig_lit.assess.status import (
    SYNTHESIS_DESIGNS,
    TRIAL_DESIGNS,
    ConditionStatus,
    EvidenceItem,
    Rule,
    apply_rules,
    make_evidence,
)
from ivig_lit.tag.models import design_set

# Most telling first: the primary reason of a change is the first that applies.
REASONS = (
    "initial", "rule_upgrade", "retraction", "curation", "new_trial", "tagger_upgrade", "retag", "new_article"
)  # fmt: skip
NOTABLE_DESIGNS = TRIAL_DESIGNS | SYNTHESIS_DESIGNS | design_set("controlled_trial")


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
class Snapshot:
    status: str
    rule_id: str
    rules_version: str
    contributing: tuple[str, ...]
    evidence: dict[str, list]  # pmid -> [design, direction, tagger_version, date, pooled_rcts]


@dataclass(frozen=True, slots=True)
class Addition:
    """A notable article (trial or synthesis) that joined a condition's evidence without moving it."""

    condition_id: str
    added_at: dt.datetime
    pmid: str
    design: str
    direction: str | None
    status: str
    reason: str


def check_reason_hint(reason_hint: str | None) -> None:
    if reason_hint is not None and reason_hint not in REASONS:
        raise ValueError(f"reason_hint must be one of {', '.join(REASONS)}, got {reason_hint!r}")


def pmids_to_trace(statuses: list[ConditionStatus], previous: dict[str, Snapshot]) -> set[str]:
    """Every PMID in today's or the previous evidence: the ones whose fate a diff may need."""
    pmids = {i.pmid for s in statuses for i in s.evidence.items}
    return pmids | {p for snap in previous.values() for p in snap.evidence}


def assess_changes(
    previous: dict[str, Snapshot],
    statuses: list[ConditionStatus],
    fates: dict[str, tuple],
    run_id: str,
    reason_hint: str | None = None,
    curated: frozenset[str] = frozenset(),
) -> tuple[list[StatusChange], list[Addition]]:
    """Compare today's statuses with the previous snapshots: a change record where a status moved,
    notable additions where it did not. ``fates`` is pmid -> (is_retracted, deleted, first_run_id,
    last tag reason, its tagger, the one before); ``curated`` names the PMIDs a curator changed in
    this run: their moves are caused by curation."""
    check_reason_hint(reason_hint)
    changes, additions = [], []
    for status in statuses:
        before = previous.get(status.condition_id)
        diff = _diff(before, status, fates, run_id, curated)
        if before is None or before.status != status.status:
            changes.append(_change(before, status, diff, reason_hint))
        else:
            additions += _additions(status, diff)
    return changes, additions


def evidence_json(status: ConditionStatus) -> dict[str, list]:
    return {
        i.pmid: [i.design, i.direction, i.tagger_version, i.date.isoformat() if i.date else None, i.pooled_rcts]
        for i in status.evidence.items
    }


def _diff(
    before: Snapshot | None, status: ConditionStatus, fates: dict[str, tuple], run_id: str, curated: frozenset[str]
) -> dict[str, dict]:
    """pmid -> {"reason", "before", "after"} for every article that entered, left or changed."""
    if before is None:
        return {}
    after = evidence_json(status)
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
    before: Snapshot | None, status: ConditionStatus, diff: dict[str, dict], reason_hint: str | None
) -> StatusChange:
    if before is None:
        reasons, pmids = ["initial"], status.contributing_pmids
    else:
        reasons = []
        if before.rules_version != status.rules_version and _rerun(before, status).status != before.status:
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


def _rerun(before: Snapshot, status: ConditionStatus) -> Rule:
    """Today's rules on the previous snapshot's evidence (against today's baseline)."""
    return apply_rules(make_evidence(evidence_items(before.evidence)), status.baseline)[0]


def evidence_items(evidence: dict[str, list]) -> list[EvidenceItem]:
    """Snapshot evidence JSON back into items (snapshots before rules 2026.2 lack the pooled count)."""
    return [
        EvidenceItem(pmid, design, direction, dt.date.fromisoformat(date) if date else None, tagger,
                     pooled_rcts=pooled[0] if pooled else None)
        for pmid, (design, direction, tagger, date, *pooled) in evidence.items()
    ]  # fmt: skip


def _additions(s: ConditionStatus, diff: dict[str, dict]) -> list[Addition]:
    out = []
    for pmid, d in diff.items():
        entered = d["before"] is None or d["before"][0] not in NOTABLE_DESIGNS
        if d["after"] and d["after"][0] in NOTABLE_DESIGNS and entered:
            out.append(Addition(s.condition_id, s.as_of, pmid, d["after"][0], d["after"][1], s.status, d["reason"]))
    return out
