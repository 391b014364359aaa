"""Study design from publication types, MeSH and text, with the signal that decided it.

Text comes first in the sense that matters: a record on the night it appears has no MeSH and only
"Journal Article", so the text rules alone must be right. Publication types, once indexing adds
them, settle the designs they name unambiguously (Meta-Analysis, Randomized Controlled Trial,
Case Reports...), and the text refines them where indexers and authors disagree in known ways (a
"Review" that pools data is a meta-analysis; "Case Reports" of five patients are a case series).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ivig_lit.parse.models import Article
from ivig_lit.tag._text import Matcher, Sentence, compile_any, load_rules
from ivig_lit.tag.intervention import count_participants
from ivig_lit.tag.models import DESIGNS, design_set

_POOLED = re.compile(
    r"\b(pooled|weighted mean difference|standardi[sz]ed mean difference|mean difference|risk ratio|relative risk|"
    r"odds ratio|hazard ratio|random[\s-]effects?|fixed[\s-]effects?|heterogeneity|forest plot)\b|"
    r"\((rr|md|or|wmd)\b",
    re.IGNORECASE,
)
# Human participants: an "animal" sentence in a study that also has these is translational, not preclinical.
_HUMANS = re.compile(
    r"\b(patients?|participants?|subjects|children|adults|volunteers|cases|women|men)\b", re.IGNORECASE
)
# Designs whose subject is other studies: the whole abstract, background included, is their content.
SECONDARY_DESIGNS = design_set("meta_analysis", "systematic_review", "review", "guideline")


@dataclass(frozen=True, slots=True)
class TextRule:
    id: str
    design: str
    pattern: Matcher
    sections: frozenset[str]
    own_work: bool
    counted: bool


@dataclass(frozen=True, slots=True)
class DesignRules:
    text: tuple[TextRule, ...]
    decisive_pts: dict[str, str]
    weak_pts: dict[str, str]
    mesh: dict[str, str]
    max_case_report: int
    max_case_series: int


@cache
def design_rules() -> DesignRules:
    """The rules in ``rules/designs.toml``, compiled once and checked against DESIGNS."""
    data = load_rules("designs")
    text = tuple(
        TextRule(
            r["id"],
            r["design"],
            compile_any(r["patterns"]),
            frozenset(r["sections"]),
            r["own_work"],
            r.get("counted", False),
        )
        for r in data["text"]
    )
    pts = data["publication_types"]
    rules = DesignRules(
        text=text,
        decisive_pts=dict(pts["decisive"]),
        weak_pts=dict(pts["needs_text"]),
        mesh=dict(data["mesh"]),
        max_case_report=data["series"]["max_case_report"],
        max_case_series=data["series"]["max_case_series"],
    )
    used = {r.design for r in text} | set(rules.decisive_pts.values()) | set(rules.mesh.values())
    used |= {d for d in rules.weak_pts.values() if d}
    if unknown := used - set(DESIGNS):
        raise ValueError(f"designs.toml names unknown designs: {sorted(unknown)}")
    return rules


@dataclass(frozen=True, slots=True)
class Finding:
    design: str
    evidence: str
    rule: str  # the text rule's id, "count" for a design read from the number of patients


def text_design(sentences: tuple[Sentence, ...]) -> Finding | None:
    """The first text rule (in precedence order) that fires, or None."""
    rules = design_rules()
    for rule in rules.text:
        for s in sentences:
            if s.section not in rule.sections or (rule.own_work and not s.own_work):
                continue
            if m := rule.pattern.search(s.text):
                if rule.design == "preclinical" and any(_HUMANS.search(x.text) for x in sentences if x.is_study):
                    break
                evidence = f"text:{s.section}:{m.group(0).lower()}"
                if rule.counted:
                    n = count_participants((Sentence(s.section, m.group(0), True),)) or count_participants(sentences)
                    if n is not None:
                        return Finding(_by_count(n), f"{evidence}; n={n}", rule.id)
                return Finding(*_refine(rule.design, evidence, sentences), rule.id)
    return _from_counts(sentences)


def _refine(design: str, evidence: str, sentences: tuple[Sentence, ...]) -> tuple[str, str]:
    """A systematic review that reports pooled estimates is a meta-analysis."""
    if design == "systematic_review":
        for s in sentences:
            if s.section not in ("title", "background") and (m := _POOLED.search(s.text)):
                return "meta_analysis", f"{evidence}; text:{s.section}:{m.group(0).lower()}"
    return design, evidence


def _by_count(n: int) -> str:
    rules = design_rules()
    if n <= rules.max_case_report:
        return "case_report"
    return "case_series" if n <= rules.max_case_series else "cohort"


def _from_counts(sentences: tuple[Sentence, ...]) -> Finding | None:
    """An observational study that names no design: the number of patients it describes decides."""
    n = count_participants(sentences)
    return None if n is None else Finding(_by_count(n), f"text:count:n={n}", "count")


def classify_design(article: Article, sentences: tuple[Sentence, ...]) -> tuple[str, str]:
    """One design per article and the evidence that decided it.

    Precedence: a decisive publication type, refined by the text where the text is more specific;
    else a design the text names; else a publication type that needs the text, or MeSH method
    terms; else the number of patients the text describes; else
    "review" for an abstract that reports no study of its own, "other" without an abstract.
    """
    rules = design_rules()
    from_text = text_design(sentences)
    pts = article.publication_type_names
    mesh = set(article.mesh_descriptors)
    if "Animals" in mesh and "Humans" not in mesh and (from_text is None or from_text.design not in SECONDARY_DESIGNS):
        return "preclinical", "mh:Animals (no Humans)"
    decisive = [(pt, rules.decisive_pts[pt]) for pt in rules.decisive_pts if pt in pts]
    if decisive:
        pt, design = decisive[0]
        return _combine(pt, design, from_text)
    if from_text is not None and from_text.rule != "count":
        return from_text.design, from_text.evidence
    for pt, design in rules.weak_pts.items():
        if design and pt in pts:
            return design, f"pt:{pt}"
    for term, design in rules.mesh.items():
        if term in mesh:
            return design, f"mh:{term}"
    if from_text is not None:
        return from_text.design, from_text.evidence
    if any(s.section != "title" for s in sentences):
        return "review", "text:no study design stated"
    return "other", "text:no design signal"


def _combine(pt: str, design: str, found: Finding | None) -> tuple[str, str]:
    """A decisive publication type, except where the text says something more specific."""
    evidence = f"pt:{pt}"
    if found is None:
        return design, evidence
    overrides = {
        "review": {"meta_analysis", "systematic_review", "guideline", "case_report", "case_series"},
        "systematic_review": {"meta_analysis"},
        "case_report": {"case_series"},
    }
    if found.rule == "protocol" or found.design in overrides.get(design, ()):
        return found.design, f"{found.evidence} (over {evidence})"
    return design, evidence
