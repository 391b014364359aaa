"""What tagging produces for one article. Every decision carries its evidence (the rule or signal
that decided it) so a reader can see why an article was called an RCT or tied to a condition."""

from __future__ import annotations

from dataclasses import dataclass

DESIGNS = (
    "meta_analysis",
    "systematic_review",
    "rct",
    "controlled_trial",
    "single_arm_trial",
    "cohort",
    "case_control",
    "case_series",
    "case_report",
    "review",
    "guideline",
    "preclinical",
    "other",
)
DESIGN_LABELS = {
    "meta_analysis": "Meta-analyses",
    "systematic_review": "Systematic reviews",
    "rct": "Randomised controlled trials",
    "controlled_trial": "Controlled trials",
    "single_arm_trial": "Single-arm trials",
    "cohort": "Cohort studies",
    "case_control": "Case-control studies",
    "case_series": "Case series",
    "case_report": "Case reports",
    "review": "Reviews",
    "guideline": "Guidelines",
    "preclinical": "Preclinical studies",
    "other": "Other",
}
assert list(DESIGN_LABELS) == list(DESIGNS), "every design needs a label"


def design_set(*ids: str) -> frozenset[str]:
    """Design ids checked against ``DESIGNS``: every module that groups designs spells them through
    this, so a misspelt or retired id fails at import instead of silently matching nothing."""
    unknown = sorted(set(ids) - set(DESIGNS))
    if unknown:
        raise ValueError(f"unknown design ids {unknown}; designs are {', '.join(DESIGNS)}")
    return frozenset(ids)


COMPARATORS = ("placebo", "plasma_exchange", "corticosteroids", "scig", "other")
AGE_GROUPS = ("children", "adults", "mixed")
DIRECTIONS = ("favours_ivig", "no_benefit", "inconclusive", "unknown")


@dataclass(frozen=True, slots=True)
class ConditionMatch:
    condition_id: str
    source: str  # query | mesh | supplementary | text | group
    evidence: str  # e.g. "mh:Guillain-Barre Syndrome", "text:title:guillain-barre"
    confidence: float = 1.0  # 0..1, from the strength and agreement of the signals behind the match


@dataclass(frozen=True, slots=True)
class Tags:
    design: str
    design_evidence: str  # e.g. "pt:Randomized Controlled Trial", "text:methods:randomized double-blind"
    ivig_focus: bool
    ivig_evidence: str
    conditions: tuple[ConditionMatch, ...]
    tagger_version: str
    comparator: str | None = None
    n_participants: int | None = None
    age_group: str | None = None
    design_confidence: float = 1.0  # 0..1, from the strength and agreement of the design signals
    ivig_confidence: float = 1.0  # 0..1, likewise for the IVIG-focus decision
    review_reasons: tuple[str, ...] = ()  # why a curator should look (conflicting or weak signals, no abstract)

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)

    @property
    def condition_ids(self) -> tuple[str, ...]:
        """Distinct condition ids, in first-match order."""
        return tuple(dict.fromkeys(m.condition_id for m in self.conditions))


@dataclass(frozen=True, slots=True)
class Direction:
    """Which way a trial or meta-analysis came out, read from its conclusions."""

    direction: str  # one of DIRECTIONS
    evidence: str  # e.g. "conclusions:superior to placebo"
