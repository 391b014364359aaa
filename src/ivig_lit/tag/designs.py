"""Study design from publication types, MeSH and text, with the signal that decided it and how sure
the tagger is.

Text comes first in the sense that matters: a record on the night it appears has no MeSH and only
"Journal Article", so the text rules alone must be right. They answer an epidemiologist's questions
in order (see ``rules/designs.toml``): a study at all? humans? primary research or a synthesis? who
assigned the treatment, at random? how many patients? The title is read first, because authors
state their design there. Publication types, once indexing adds them, settle the designs they name
unambiguously, and the text refines them where indexers and authors disagree in known ways (a
"Review" that pools data is a meta-analysis; "Case Reports" of five patients are a case series).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from ivig_lit.parse.models import Article
from ivig_lit.tag._text import BACKGROUND, Matcher, MatcherSet, Sentence, compile_any, load_rules
from ivig_lit.tag.intervention import count_cases, count_participants
from ivig_lit.tag.models import DESIGNS, design_set

# Designs whose subject is other studies: the whole abstract, background included, is their content.
SECONDARY_DESIGNS = design_set("meta_analysis", "systematic_review", "review", "guideline")
STRENGTHS = ("statement", "method", "cue")
COUNTED = ("", "cases", "series", "small_group")
# Review reasons: short, stable strings a curator can filter on.
NO_ABSTRACT = "no abstract"
WEAK = "design: weak signal"


@dataclass(frozen=True, slots=True)
class TextRule:
    id: str
    design: str
    strength: str
    pattern: Matcher
    sections: frozenset[str]
    own_work: bool
    counted: str
    unless: Matcher | None
    not_in_sentence: Matcher | None
    requires: Matcher | None
    title_only: str | None
    primary: bool | str  # True: needs an own study; "findings": own findings are enough
    without_abstract: bool


@dataclass(frozen=True, slots=True)
class DesignRules:
    text: tuple[TextRule, ...]
    text_patterns: MatcherSet  # which text rules can fire in a record, in one step
    primary: Matcher
    first_person: Matcher
    findings: Matcher
    review_labels: Matcher
    own_findings: Matcher
    humans: Matcher
    clinical_group: Matcher
    pooled: Matcher
    not_pooled: Matcher
    decisive_pts: dict[str, str]
    weak_pts: dict[str, str]
    mesh: dict[str, str]
    laboratory_mesh: tuple[str, ...]
    max_case_report: int
    single_patient: Matcher
    max_case_series: int
    confidence: dict[str, float]


@cache
def design_rules() -> DesignRules:
    """The rules in ``rules/designs.toml``, compiled once and checked against DESIGNS."""
    data = load_rules("designs")
    text = tuple(_text_rule(r) for r in data["text"])
    pts = data["publication_types"]
    rules = DesignRules(
        text=text,
        text_patterns=MatcherSet([r.pattern for r in text]),
        primary=compile_any(data["primary"]["patterns"]),
        first_person=compile_any(data["first_person"]["patterns"]),
        findings=compile_any(data["primary_findings"]["patterns"]),
        review_labels=compile_any(data["review_labels"]["patterns"]),
        own_findings=compile_any(data["laboratory"]["own_findings"]),
        humans=compile_any(data["laboratory"]["humans"]),
        clinical_group=compile_any(data["clinical_group"]["patterns"]),
        pooled=compile_any(data["pooling"]["pooled"]),
        not_pooled=compile_any(data["pooling"]["not_pooled"]),
        decisive_pts=dict(pts["decisive"]),
        weak_pts=dict(pts["needs_text"]),
        mesh=dict(data["mesh"]),
        laboratory_mesh=tuple(data["laboratory_mesh"]["descriptors"]),
        max_case_report=data["series"]["max_case_report"],
        single_patient=compile_any(data["series"]["single_patient"]),
        max_case_series=data["series"]["max_case_series"],
        confidence=dict(data["confidence"]),
    )
    used = {r.design for r in text} | {r.title_only for r in text if r.title_only}
    used |= set(rules.decisive_pts.values()) | set(rules.mesh.values()) | {d for d in rules.weak_pts.values() if d}
    if unknown := used - set(DESIGNS):
        raise ValueError(f"designs.toml names unknown designs: {sorted(unknown)}")
    return rules


def _text_rule(r: dict) -> TextRule:
    if r["strength"] not in STRENGTHS or r.get("counted", "") not in COUNTED:
        raise ValueError(f"designs.toml rule {r['id']!r}: strength must be one of {STRENGTHS}, counted of {COUNTED}")
    return TextRule(
        r["id"],
        r["design"],
        r["strength"],
        compile_any(r["patterns"]),
        frozenset(r["sections"]),
        r["own_work"],
        r.get("counted", ""),
        compile_any(r["unless"]) if r.get("unless") else None,
        compile_any(r["not_in_sentence"]) if r.get("not_in_sentence") else None,
        compile_any(r["requires"]) if r.get("requires") else None,
        r.get("title_only"),
        r.get("primary", False),
        r.get("without_abstract", False),
    )


@dataclass(frozen=True, slots=True)
class Finding:
    design: str
    evidence: str
    rule: str  # the text rule's id, "count" for a design read from the number of patients
    strength: str  # statement, method, cue or count
    in_title: bool = False


@dataclass(frozen=True, slots=True)
class DesignCall:
    """One design per article, the evidence that decided it, how sure, and why a curator should look."""

    design: str
    evidence: str
    confidence: float
    review_reasons: tuple[str, ...] = ()


def is_own(s: Sentence) -> bool:
    """Is the sentence about this study? The shared sentence roles call a sentence that names a
    database or the literature other people's work; "using a national database, we identified 900
    patients" is the authors' own doing all the same."""
    return s.own_work or _first_person(s.text)


@lru_cache(maxsize=4096)
def _first_person(text: str) -> bool:
    return design_rules().first_person.search(text) is not None


def reports_own_study(sentences: tuple[Sentence, ...]) -> bool:
    """Does the abstract report a study of its own (participants enrolled, "we treated", "this
    trial"), as opposed to discussing other people's studies?"""
    if any(s.section in ("methods", "results") for s in sentences):
        return True
    primary = design_rules().primary
    return any(
        is_own(s) and s.section not in ("title", BACKGROUND) and primary.search(s.text) is not None for s in sentences
    )


def text_design(sentences: tuple[Sentence, ...]) -> Finding | None:
    """The design the text states: a statement or method in the title first, then the first rule
    (in precedence order) that fires anywhere in the study's own sentences, then the patient count."""
    rules = design_rules()
    # Only rules whose pattern can match some sentence of the record can fire: the others are skipped.
    live = rules.text_patterns.live([s.text for s in sentences])
    text_rules = tuple(r for k, r in enumerate(rules.text) if k in live)
    title = tuple(s for s in sentences if s.section == "title")
    has_abstract = any(s.section not in ("title", "keywords") for s in sentences)
    stated = tuple(r for r in text_rules if r.strength != "cue")
    if found := _first_rule(stated, title, sentences, has_abstract=has_abstract):
        return found
    own_study = reports_own_study(sentences) or not has_abstract
    findings = own_study or any(
        is_own(s) and s.section not in ("title", BACKGROUND) and rules.findings.search(s.text) for s in sentences
    )
    for rule in text_rules:
        # A primary design word in an abstract that reports no study of its own counts only in the title.
        ok = not rule.primary or own_study or (rule.primary == "findings" and findings)
        scope = sentences if ok else title
        if found := _first_rule((rule,), scope, sentences, has_abstract=has_abstract):
            return found
    return _from_counts(sentences) if own_study else None


def _first_rule(
    rules: tuple[TextRule, ...], scope: tuple[Sentence, ...], sentences: tuple[Sentence, ...], *, has_abstract: bool
) -> Finding | None:
    """The first rule that fires in ``scope`` (rule order first, then sentence order)."""
    for rule in rules:
        if rule.without_abstract and has_abstract:
            continue
        for s in scope:
            if s.section not in rule.sections or (rule.own_work and not is_own(s)):
                continue
            if not (m := rule.pattern.search(s.text)):
                continue
            if rule.not_in_sentence and rule.not_in_sentence.search(s.text):
                continue
            if rule.unless and any(rule.unless.search(x.text) for x in sentences if x.is_study):
                break
            if rule.requires and not any(rule.requires.search(x.text) for x in sentences):
                break
            evidence = f"text:{s.section}:{m.group(0).lower()}"
            in_title = s.section == "title"
            design = rule.title_only if rule.title_only and not has_abstract else rule.design
            if rule.counted and (n := _count(m.group(0), sentences)) is not None:
                design = _by_count(n, rule.counted, rule.design)
                evidence = evidence if design == rule.design else f"{evidence}; n={n}"
            design, evidence = _refine(design, evidence, sentences)
            return Finding(design, evidence, rule.id, rule.strength, in_title)
    return None


def _refine(design: str, evidence: str, sentences: tuple[Sentence, ...]) -> tuple[str, str]:
    """A systematic review that reports pooled estimates is a meta-analysis; one that says it did
    not pool is not, whatever it calls itself."""
    rules = design_rules()
    study = [s for s in sentences if s.section not in ("title", BACKGROUND)]
    if design not in _SYNTHESES:
        return design, evidence
    if any(rules.not_pooled.search(s.text) for s in sentences if s.section != BACKGROUND):
        return "systematic_review", f"{evidence}; not pooled"
    if design == "systematic_review":
        for s in study:
            if m := rules.pooled.search(s.text):
                return "meta_analysis", f"{evidence}; text:{s.section}:{m.group(0).lower()}"
    return design, evidence


def _count(phrase: str, sentences: tuple[Sentence, ...]) -> int | None:
    """How many patients a design phrase is about: the number it names, one for a phrase about one
    patient, else the abstract's participant count."""
    if (n := count_cases(phrase)) is not None:
        return n
    if design_rules().single_patient.search(phrase):
        return 1
    return count_participants(sentences)


def _by_count(n: int, counted: str = "cases", named: str = "cohort") -> str:
    """Case report (1-2), case series, cohort: what a count of patients means for a rule."""
    rules = design_rules()
    if n <= rules.max_case_report:
        return "case_report"
    if counted == "series" or n <= rules.max_case_series:
        return "case_series"
    return "cohort" if counted == "cases" else named


def _from_counts(sentences: tuple[Sentence, ...]) -> Finding | None:
    """An observational study that names no design: the number of patients it describes decides."""
    n = count_participants(sentences)
    return None if n is None else Finding(_by_count(n), f"text:count:n={n}", "count", "count")


def classify_design(article: Article, sentences: tuple[Sentence, ...]) -> DesignCall:
    """One design per article, its evidence and confidence.

    Precedence: a decisive publication type, refined by the text where the text is more specific;
    else a design the text names; else a publication type that needs the text, or MeSH method
    terms; else the number of patients the text describes; else "review" for an abstract that
    reports no study of its own, "other" without an abstract.
    """
    rules = design_rules()
    conf = rules.confidence
    has_abstract = any(s.section not in ("title", "keywords") for s in sentences)
    reasons = () if has_abstract else (NO_ABSTRACT,)
    found = _review_heading(article, text_design(sentences))
    pts = article.publication_type_names
    mesh = set(article.mesh_descriptors)
    if "Animals" in mesh and "Humans" not in mesh and (found is None or found.design not in SECONDARY_DESIGNS):
        agree = found is not None and found.design == "preclinical"
        return DesignCall("preclinical", "mh:Animals (no Humans)", conf["agreement" if agree else "publication_type"])
    decisive = [(pt, rules.decisive_pts[pt]) for pt in rules.decisive_pts if pt in pts]
    if decisive:
        return _combine(*decisive[0], found, reasons)
    weak = next(((pt, d) for pt, d in rules.weak_pts.items() if d and pt in pts), None)
    if found is not None and found.rule != "count" and not (weak and found.strength == "cue"):
        call = DesignCall(found.design, found.evidence, _text_confidence(found), reasons)
        return _cap(call, has_abstract) if weak is None or _compatible(weak[1], found.design) else _agree(call, weak[1])
    if weak is not None:
        # An indexer's "Clinical Trial" outweighs a hint such as "prospective", and says so.
        pt, design = weak
        if found is not None and found.rule != "count" and found.design != design:
            reasons += (f"design: text says {found.design}, indexing says {design}",)
        return _cap(DesignCall(design, f"pt:{pt}", conf["weak_indexing"], reasons), has_abstract)
    for pt, design in rules.weak_pts.items():
        if design and pt in pts:
            return _cap(DesignCall(design, f"pt:{pt}", conf["weak_indexing"], reasons), has_abstract)
    for term, design in [*rules.mesh.items(), *((t, "preclinical") for t in rules.laboratory_mesh)]:
        if term in mesh:
            return _cap(DesignCall(design, f"mh:{term}", conf["weak_indexing"], reasons), has_abstract)
    if found is not None:
        return DesignCall(found.design, found.evidence, conf["count"], (WEAK,))
    own = (s for s in sentences if is_own(s) and s.is_study)
    group = next((m for s in own if (m := rules.clinical_group.search(s.text))), None)
    if group is not None:
        return DesignCall("cohort", f"text:group:{group.group(0).lower()}", conf["count"], (WEAK,))
    if has_abstract and _laboratory_findings(sentences):
        return DesignCall("preclinical", "text:own findings, no human participants", conf["count"], (WEAK,))
    if has_abstract:
        # NLM indexes an article that names no design of its own as a Review.
        evidence = "text:no design stated" if reports_own_study(sentences) else "text:no study of its own reported"
        return DesignCall("review", evidence, conf["no_design_stated"], (WEAK,))
    return DesignCall("other", "text:no design signal", conf["no_signal"], reasons)


def _review_heading(article: Article, found: Finding | None) -> Finding | None:
    """A review by its abstract's headings, unless its text names a synthesis design."""
    if found is not None and found.design in SECONDARY_DESIGNS:
        return found
    labels = design_rules().review_labels
    label = next((p.label for p in article.abstract if p.label and labels.search(p.label.strip().lower())), None)
    return found if label is None else Finding("review", f"label:{label.lower()}", "review_labels", "statement")


def _laboratory_findings(sentences: tuple[Sentence, ...]) -> bool:
    """Findings of the authors' own, and no human participant anywhere in the study's sentences."""
    rules = design_rules()
    study = [s for s in sentences if s.section not in ("title", BACKGROUND)]
    if any(rules.humans.search(s.text) for s in study):
        return False
    return any(rules.own_findings.search(s.text) for s in study)


def _text_confidence(found: Finding) -> float:
    conf = design_rules().confidence
    if found.in_title and found.strength != "cue":
        return conf["title_statement"]
    return conf[found.strength]


def _cap(call: DesignCall, has_abstract: bool) -> DesignCall:
    """A title alone is thin evidence; a weak one is worth a curator's look."""
    conf = design_rules().confidence
    confidence = call.confidence if has_abstract else min(call.confidence, conf["no_abstract_cap"])
    reasons = call.review_reasons
    if confidence < conf["review_below"] and WEAK not in reasons:
        reasons += (WEAK,)
    return DesignCall(call.design, call.evidence, confidence, reasons)


_TRIALS = design_set("rct", "controlled_trial", "single_arm_trial")


def _compatible(indexed: str, text: str) -> bool:
    """NLM's "Clinical Trial" (and its phases) is the parent of every trial design, not a rival."""
    return indexed == text or (indexed in _TRIALS and text in _TRIALS)


def _agree(call: DesignCall, weak: str) -> DesignCall:
    """A publication type that needs the text (Clinical Trial, Observational Study) and disagrees
    with it: keep the text, which is more specific, and say so."""
    reason = f"design: text says {call.design}, indexing says {weak}"
    return DesignCall(call.design, call.evidence, design_rules().confidence["conflict"], (*call.review_reasons, reason))


_SYNTHESES = design_set("systematic_review", "meta_analysis")
# A decisive publication type gives way where the text is more specific in a way indexers are known
# to miss (a pooled "Review" is a meta-analysis; "Case Reports" of five patients are a series).
_OVERRIDES = {
    "review": {"meta_analysis", "systematic_review", "guideline", "case_report", "case_series"},
    "systematic_review": {"meta_analysis"},
    "case_report": {"case_series"},
}


def _combine(pt: str, design: str, found: Finding | None, reasons: tuple[str, ...]) -> DesignCall:
    """A decisive publication type, except where the text says something more specific."""
    conf = design_rules().confidence
    evidence = f"pt:{pt}"
    if found is None:
        return DesignCall(design, evidence, conf["publication_type"], reasons)
    if found.rule == "protocol" or found.design in _OVERRIDES.get(design, ()):
        return DesignCall(found.design, f"{found.evidence} (over {evidence})", conf["statement"], reasons)
    if found.design == design:
        return DesignCall(design, f"{evidence}; {found.evidence}", conf["agreement"], reasons)
    reason = f"design: text says {found.design}, indexing says {design}"
    return DesignCall(design, evidence, conf["conflict"], (*reasons, reason))
