"""The evidence-status rule set: the one place that turns a condition's articles into a status.

A status summarises the tagged, IVIG-focused, non-retracted research articles of a condition (or of
a group of conditions: the union of its members' articles). Rules are tried in order and the first
whose predicate holds decides; each names the PMIDs it counted, so a change record can say which
articles caused it. Changing any rule, its order or a threshold means bumping ``RULES_VERSION``:
history then records the change as a rule upgrade rather than as new evidence.

"Trials" are RCTs (``rct``); "syntheses" are meta-analyses and systematic reviews. Only trials and
syntheses with a direction of ``favours_ivig`` or ``no_benefit`` are read as positive or negative;
``inconclusive`` ones make results mixed only when nothing clearer exists, and ``unknown`` ones
(conclusions not readable) count as no better than observational evidence.

"Established efficacy" asks what the AAN 2012 / AANEM 2023 classifications ask: two or more
concordant positive RCTs, or a meta-analysis pooling two or more RCTs. A meta-analysis's verdict
decides only when it pools at least two RCTs (the count its abstract states, else at least two RCTs
on record for the condition): one trial plus a meta-analysis of that same trial is one trial. A
systematic review without pooling never decides. A group (inflammatory myopathies) is assessed on
the articles about the group as such (two or more members, or the group alone), never by pooling
one member's positive trials with another's negative ones; its members' statuses are listed beside it.

The baseline is a consensus class (AAN 2012 / AANEM 2023): a judgement over the trials and case
series its panel read, many of them older than the warehouse's window. So evidence on record revises
it only when that evidence would earn a class on its own terms (a *decisive* rule: two or more
concordant RCTs, or a meta-analysis pooling two or more); a single trial, trials that disagree or
are inconclusive, and observational studies are recorded as additions and leave the class standing
(rule ``consensus_holds``). A baseline that records nothing beyond case reports is simply filled in
by whatever the evidence shows. Groups have no baseline: their evidence alone decides.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ivig_lit.registry import STATUS_IDS, Baseline, Registry
from ivig_lit.tag.models import design_set

RULES_VERSION = "2026.3"

TRIAL_DESIGNS = design_set("rct")
SYNTHESIS_DESIGNS = design_set("meta_analysis", "systematic_review")
META_ANALYSIS = design_set("meta_analysis")
OBSERVATIONAL_DESIGNS = design_set("controlled_trial", "single_arm_trial", "cohort", "case_control")
CASE_DESIGNS = design_set("case_series", "case_report")
EVIDENCE_DESIGNS = TRIAL_DESIGNS | SYNTHESIS_DESIGNS | OBSERVATIONAL_DESIGNS | CASE_DESIGNS


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One article as the rules see it."""

    pmid: str
    design: str
    direction: str | None = None
    date: dt.date | None = None
    tagger_version: str | None = None
    title: str = ""
    pooled_rcts: int | None = None  # meta-analyses: RCTs pooled, as the abstract states (None: not stated)


@dataclass(frozen=True)
class Evidence:
    """A condition's articles, pre-sorted into the piles the rules count (newest first)."""

    items: tuple[EvidenceItem, ...]

    def of(self, designs: frozenset[str], direction: str | None = None) -> list[EvidenceItem]:
        return [i for i in self.items if i.design in designs and (direction is None or i.direction == direction)]

    @property
    def latest_synthesis_verdict(self) -> EvidenceItem | None:
        """The newest meta-analysis pooling two or more RCTs that came out one way or the other."""
        verdicts = [
            i for i in self.of(META_ANALYSIS)
            if i.direction in ("favours_ivig", "no_benefit") and self.pools_several_rcts(i)
        ]  # fmt: skip
        return verdicts[0] if verdicts else None

    def pools_several_rcts(self, item: EvidenceItem) -> bool:
        """Whether a meta-analysis pools two or more RCTs: as its abstract says, else as the record
        shows (fewer than two RCTs on record for the condition means it cannot have pooled two)."""
        if item.pooled_rcts is not None:
            return item.pooled_rcts >= 2
        return len(self.of(TRIAL_DESIGNS)) >= 2

    @property
    def positive_trials(self) -> list[EvidenceItem]:
        return self.of(TRIAL_DESIGNS, "favours_ivig")

    @property
    def negative_trials(self) -> list[EvidenceItem]:
        return self.of(TRIAL_DESIGNS, "no_benefit")


def make_evidence(items: list[EvidenceItem]) -> Evidence:
    """Evidence from articles in any order (newest first; undated last; PMID breaks ties)."""
    ordered = sorted(items, key=lambda i: (i.date or dt.date.min, i.pmid), reverse=True)
    return Evidence(tuple(i for i in ordered if i.design in EVIDENCE_DESIGNS))


Hit = tuple[str, ...] | None  # the PMIDs a rule counted, or None when it does not hold


def _hit(items: list[EvidenceItem], holds: bool = True) -> Hit:
    return tuple(i.pmid for i in items) if holds and items else None


def _synthesis(direction: str) -> Callable[[Evidence], Hit]:
    def rule(e: Evidence) -> Hit:
        latest = e.latest_synthesis_verdict
        return _hit([latest]) if latest and latest.direction == direction else None

    return rule


def _several_positive(e: Evidence) -> Hit:
    pos, neg = e.positive_trials, e.negative_trials
    return _hit(pos, len(pos) >= 2 and not neg)


def _mixed(e: Evidence) -> Hit:
    pos, neg = e.positive_trials, e.negative_trials
    return _hit(pos + neg, bool(pos and neg))


def _negative(e: Evidence) -> Hit:
    return _hit(e.negative_trials, len(e.negative_trials) >= 2 and not e.positive_trials)


def _single_negative(e: Evidence) -> Hit:
    return _hit(e.negative_trials, len(e.negative_trials) == 1 and not e.positive_trials)


def _single_positive(e: Evidence) -> Hit:
    return _hit(e.positive_trials, len(e.positive_trials) == 1)


def _inconclusive(e: Evidence) -> Hit:
    return _hit(e.of(TRIAL_DESIGNS | SYNTHESIS_DESIGNS, "inconclusive"))


def _observational(e: Evidence) -> Hit:
    return _hit(e.of(OBSERVATIONAL_DESIGNS | TRIAL_DESIGNS | SYNTHESIS_DESIGNS))


def _cases(e: Evidence) -> Hit:
    return _hit(e.of(CASE_DESIGNS))


def _nothing(e: Evidence) -> Hit:
    return ()  # always holds; names no article


@dataclass(frozen=True, slots=True)
class Rule:
    """A named step of the rule set; ``predicate`` returns the PMIDs it counted, None when unmet."""

    id: str
    status: str
    description: str
    predicate: Callable[[Evidence], Hit] = field(repr=False)
    decisive: bool = False  # strong enough to revise a consensus class


RULES: tuple[Rule, ...] = (
    Rule("synthesis_no_benefit", "no_benefit",
         "The newest meta-analysis pooling two or more RCTs with a verdict finds no benefit.",
         _synthesis("no_benefit"), decisive=True),
    Rule("synthesis_positive", "established_efficacy",
         "The newest meta-analysis pooling two or more RCTs with a verdict favours IVIG.", _synthesis("favours_ivig"),
         decisive=True),
    Rule("several_positive_rcts", "established_efficacy",
         "Two or more concordant RCTs favour IVIG (none finds no benefit).", _several_positive, decisive=True),
    Rule("mixed_rcts", "mixed", "RCTs disagree: some favour IVIG, others find no benefit.", _mixed),
    Rule("negative_rcts", "no_benefit", "Two or more RCTs find no benefit and none favours IVIG.", _negative,
         decisive=True),
    Rule("single_negative_rct", "no_benefit", "Exactly one RCT finds no benefit, none favours IVIG.",
         _single_negative),
    Rule("single_positive_rct", "single_rct_support", "Exactly one RCT favours IVIG, none is negative.",
         _single_positive),
    Rule("inconclusive_trials", "mixed",
         "RCTs or meta-analyses exist but their conclusions are inconclusive.", _inconclusive),
    Rule("observational", "observational_only",
         "Cohort, case-control, non-randomised or single-arm trials, or trials whose conclusions could not "
         "be read.", _observational),
    Rule("case_reports", "case_reports_only", "Case reports and case series only.", _cases),
    Rule("nothing", "no_evidence", "No IVIG-focused article of a counted design.", _nothing),
)  # fmt: skip
assert {r.status for r in RULES} == set(STATUS_IDS), "every status must be reachable"

CONSENSUS_HOLDS = "consensus_holds"
CONSENSUS_DESCRIPTION = (
    "The consensus class (the condition's baseline) stands: no decisive rule holds, and the baseline "
    "records more than case reports."
)
# How much evidence a status rests on; a baseline below observational is filled in by any evidence.
_LEVEL = {"no_evidence": 0, "case_reports_only": 1, "observational_only": 2}


def apply_rules(evidence: Evidence, baseline: Baseline | None = None) -> tuple[Rule, tuple[str, ...]]:
    """The first rule that holds and the PMIDs it counted; against a consensus baseline, a rule
    that is not decisive yields to it (``consensus_holds``, naming no article)."""
    rule, pmids = next((r, hit) for r in RULES if (hit := r.predicate(evidence)) is not None)
    if baseline is None or rule.decisive or rule.status == baseline.grade or _LEVEL.get(baseline.grade, 3) < 2:
        return rule, pmids
    return Rule(CONSENSUS_HOLDS, baseline.grade, CONSENSUS_DESCRIPTION, rule.predicate), ()


@dataclass(frozen=True)
class ConditionStatus:
    """A condition's (or group's) status with what a reader needs to judge it."""

    condition_id: str
    label: str
    status: str
    rule_id: str
    rules_version: str
    as_of: dt.datetime
    design_counts: Mapping[str, int]
    direction_counts: Mapping[str, Mapping[str, int]]  # design -> direction -> n (trials, syntheses)
    contributing_pmids: tuple[str, ...]
    evidence: Evidence
    baseline: Baseline | None
    latest_rct: EvidenceItem | None = None
    latest_meta_analysis: EvidenceItem | None = None
    members: tuple[str, ...] = ()  # for a group: its conditions
    member_statuses: tuple[tuple[str, str], ...] = ()  # for a group: (member, its status)

    @property
    def is_group(self) -> bool:
        return bool(self.members)

    @property
    def n_articles(self) -> int:
        return sum(self.design_counts.values())

    @property
    def differs_from_baseline(self) -> bool:
        return self.baseline is not None and self.baseline.grade != self.status


def compute_status(rows: Iterable[tuple], registry: Registry, as_of: dt.datetime) -> list[ConditionStatus]:
    """Status of every registry condition, then every group, from evidence rows
    (condition_id, pmid, design, direction, date, tagger_version, title[, abstract]) as of ``as_of``;
    a meta-analysis's abstract says how many RCTs it pooled."""
    by_condition: dict[str, dict[str, tuple]] = {}
    for condition_id, pmid, *rest in rows:
        by_condition.setdefault(condition_id, {})[pmid] = (pmid, *rest)
    out = [_status(c.id, c.label, by_condition.get(c.id, {}), as_of, c.baseline) for c in registry.conditions]
    status_of = {s.condition_id: s.status for s in out}
    for group, members in registry.groups.items():
        label = f"{group.replace('_', ' ').capitalize()} (group)"
        rows = _group_rows(by_condition, group, members)
        member_statuses = tuple((m, status_of[m]) for m in members)
        out.append(_status(group, label, rows, as_of, None, members, member_statuses))
    return out


def _group_rows(by_condition: dict[str, dict[str, tuple]], group: str, members: tuple[str, ...]) -> dict[str, tuple]:
    """A group's own evidence: articles about two or more of its members, or about the group alone.
    An article about one member speaks for that member only (IVIG helps dermatomyositis and not
    inclusion body myositis; pooling them would call both "mixed")."""
    n_members: Counter = Counter(pmid for m in members for pmid in by_condition.get(m, {}))
    rows = {p: r for p, r in by_condition.get(group, {}).items() if n_members[p] != 1}
    for m in members:
        rows.update({p: r for p, r in by_condition.get(m, {}).items() if n_members[p] >= 2})
    return rows


def _status(
    condition_id: str,
    label: str,
    rows: dict[str, tuple],
    as_of: dt.datetime,
    baseline: Baseline | None,
    members: tuple[str, ...] = (),
    member_statuses: tuple[tuple[str, str], ...] = (),
) -> ConditionStatus:
    # Here, not at the top: the digest reads stored statuses through this module's types without
    # importing the direction rules' sentence splitter and text matchers.
    from ivig_lit.assess.direction import count_pooled_rcts

    items = [
        EvidenceItem(pmid, design, direction, date, tagger, title or "",
                     count_pooled_rcts(abstract[0]) if design == "meta_analysis" and abstract and abstract[0] else None)
        for pmid, design, direction, date, tagger, title, *abstract in rows.values()
    ]  # fmt: skip
    evidence = make_evidence(items)
    rule, pmids = apply_rules(evidence, baseline)
    directions: dict[str, Counter] = {}
    for i in evidence.of(TRIAL_DESIGNS | SYNTHESIS_DESIGNS | {"controlled_trial"}):
        directions.setdefault(i.design, Counter())[i.direction or "unknown"] += 1
    return ConditionStatus(
        condition_id=condition_id,
        label=label,
        status=rule.status,
        rule_id=rule.id,
        rules_version=RULES_VERSION,
        as_of=as_of,
        design_counts=dict(sorted(Counter(i.design for i in items).items())),
        direction_counts={d: dict(c) for d, c in sorted(directions.items())},
        contributing_pmids=pmids,
        evidence=evidence,
        baseline=baseline,
        latest_rct=next(iter(evidence.of(TRIAL_DESIGNS)), None),
        latest_meta_analysis=next(iter(evidence.of(design_set("meta_analysis"))), None),
        members=members,
        member_statuses=member_statuses,
    )
