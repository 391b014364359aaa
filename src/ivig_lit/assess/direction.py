"""Which way a trial or meta-analysis came out for IVIG, read from its conclusions.

The evidence-status rules need to tell "positive RCT" from "negative RCT", and abstracts say it in
their conclusions. The classifier is a small set of cue phrases applied in a fixed order, so every
decision can be explained by the phrase that made it (stored as ``direction_evidence``, like design
tags). Only the conclusions are read: the CONCLUSION(S)/INTERPRETATION/DISCUSSION section of a
structured abstract, else the text after an inline "Conclusion:" / "We conclude", else the closing
sentences. Results sections are full of per-arm numbers that a phrase list cannot weigh.

Decision, in order:

1. Design is not a trial or a meta-analysis/systematic review -> ``None`` (no direction applies).
2. No abstract, or neither title nor conclusions mention immunoglobulin -> ``unknown``.
3. Immunoglobulin compared with immunoglobulin (subcutaneous versus intravenous, or two doses) and
   no placebo named in the conclusions -> ``inconclusive``: such a trial says nothing about IVIG versus no IVIG.
4. A negative cue ("did not show", "no benefit", "not recommended", "failed to", "did not reach the
   primary") -> ``no_benefit``, even beside a positive one: authors who say IVIG failed on the
   primary outcome conclude no benefit, whatever a secondary outcome or a subgroup showed.
5. A positive cue with a partial-result cue ("but not in") -> ``inconclusive``.
6. A positive cue ("effective", "improved", "superior", "as effective as plasma exchange") ->
   ``favours_ivig``; hedges ("uncertain", "trend") do not overturn an explicit positive finding.
7. "No significant difference" is read against the comparator: versus placebo it is negative
   (step 5); versus an active treatment (plasma exchange, steroids) it is equivalence, i.e.
   ``favours_ivig``, unless the text hedges, in which case ``inconclusive``. Without a conclusions
   section it is only ``inconclusive``: a closing results sentence is usually about one outcome,
   and calling a trial negative on it would be the costlier mistake.
8. A hedge alone -> ``inconclusive``; no cue at all -> ``unknown``.
9. Only when the abstract has no conclusions (it is cut short, or never had them) and its closing
   sentences gave no clear direction: a results sentence that names immunoglobulin and placebo and reports a significant
   improvement or response (p < 0.05, or "significant", with no negation in it) -> ``favours_ivig``.
   Per-arm numbers are still not weighed: the sentence must state the comparison and its significance.

Negative cues scope over the rest of their clause, and text in parentheses (statistics, asides)
is skipped. Sentences about combining IVIG with another treatment are ignored when other sentences carry a
cue: they judge the combination, not IVIG.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ivig_lit.parse.models import Article
from ivig_lit.parse.sentences import split_sentences
from ivig_lit.tag._text import Matcher, MatcherSet, compile_any
from ivig_lit.tag.models import Direction, design_set

DIRECTION_DESIGNS = design_set("rct", "controlled_trial", "meta_analysis", "systematic_review")
CLOSING_SENTENCES = 2

_I = re.IGNORECASE
_CONCLUSION_LABEL = re.compile(r"conclu|interpret|discussion|summary|implication|classification of evidence", _I)
# Patterns read over whole abstracts (case-insensitive); compiled on first use as matchers.
_INLINE_MARKER = (
    r"\b(?:conclusions?|interpretation|discussion)\b\s*[:.]?\s+(?=[A-Z])|\bin conclusion,?\s*|\bwe conclud(?:e|ed)\b"
)
_IG = r"\bIV ?Igs?\b|\bIg\b|\bSC-?Ig\b|immun(?:o|e) ?globulin|gamma ?globulin|\bIgG\b|\bSCIG\b|\bIVIG\b"
_PLACEBO = r"placebo|sham|untreated|no (?:specific )?(?:treatment|therapy)|supportive (?:care|treatment)"
_ACTIVE = (
    r"plasma ?exchange|plasmapheresis|\bPLEX\b|\bPE\b|prednis|steroid|immunoadsorption|azathioprine|"
    r"methotrexate|rituximab|cyclophosphamide"
)
_ROUTE_COMPARISON = (
    r"subcutaneous\W+(?:\w+\W+){0,3}?(?:versus|vs\.?|compared)\b|\b(?:versus|vs\.?)\W+(?:\w+\W+){0,2}?subcutaneous|"
    r"\bSC-?Ig\b[^.]{0,40}\b(?:versus|vs\.?|similar to|compared)"
)
_DOSE = re.compile(r"(\d+(?:\.\d+)?)\s*g/kg", _I)
_DOSE_TITLE = re.compile(r"\bdos(?:es|ing)\b|\bdose[- ](?:ranging|finding|comparison|response)\b", _I)
_PARENTHESIS = re.compile(r"\([^()]*\)")
_P_SIGNIFICANT = re.compile(r"\bp\s*(?:<|=|≤|<=)\s*0?\.0[0-4]\d*|\b(?:statistically )?significant(?:ly)?\b", _I)
_GAIN = re.compile(r"\bimprov\w*|\brespon(?:ders?|se rates?|ded)\b|\bbetter\b|\bgreater\b|\bsuperior\b", _I)
_NEGATION = re.compile(r"\b(?:not|no|neither|nor|without|failed)\b", _I)
_COMBINATION = re.compile(r"\bcombin(?:ation|ed)\b", _I)

# Each cue list is tried in order; a matched span is blanked before later lists are tried, so
# "not effective" is read once, as negative, and never again as "effective".
_NO_DIFFERENCE = [
    r"\b(?:did|does|do) not (?:show|find|detect|reveal) (?:any |a )?(?:statistically )?significant differences?\b",
    r"\bno (?:statistically )?significant differences?\b",
    r"\b(?:did|do|does) not differ(?: significantly)?\b",
    r"\bnot (?:statistically )?significant(?:ly different)?\b",
]
_NEGATIVE = [
    r"\b(?:did|does|do|could|can) not (?:show|demonstrate|detect|find|produce|confer|provide|improve|reduce|"
    r"change|alter|prevent|support|benefit)\b",
    r"\b(?:did|does|do) not (?:reach|meet|achieve) (?:its |the |a )?(?:primary|main)\b",
    r"\bno (?:significant |clinically (?:meaningful|relevant|important) |additional |further |evidence of (?:a )?)?"
    r"(?:benefit|beneficial effects?|effect|improvement|efficacy|superiority|advantage)\b",
    r"\b(?:not|un)likely to (?:produce|improve|benefit|be (?:effective|beneficial))\b",
    r"\bnot (?:be )?(?:effective|efficacious|beneficial|recommended|superior|justified|supported)\b",
    r"\bineffective\b",
    r"\bfail(?:ed|s)? to (?:show|demonstrate|improve|reach|meet|detect)\b",
    r"\black of (?:efficacy|effect|benefit)\b",
    r"\bno evidence (?:that|for) (?:\w+ ){0,4}?(?:benefits?|improves?|is (?:effective|beneficial)|works)\b",
]
_EQUIVALENT = [
    r"\b(?:as effective as|equally effective|comparable (?:efficacy|effect|effectiveness)|"
    r"equivalent (?:efficacy|effect)|similar (?:efficacy|effect)|non-?inferior(?:ity)?)\b",
]
_POSITIVE = [
    r"\beffective(?:ness)?\b",
    r"\b(?:efficacious|beneficial)\b",
    r"\bimprove[sd]?\b|\bimprovements?\b",
    r"\bsuperior(?:ity)?\b",
    r"\bin favou?r of\b",
    r"\bsupports? the use\b",
    r"\breduc(?:ed|es|tion)\b",
    r"\bshorten(?:s|ed)?\b|\bhasten(?:s|ed)?\b",
    r"\bshould be considered\b",
    r"\b(?:clinically )?significant (?:effect|benefit)\b",
    r"\b(?:an|a useful|a valuable) (?:alternative|option)\b",
]
_PARTIAL = [r"\bbut not (?:in|with|on|for|at|after)\b", r"\bonly in (?:certain|some|a subgroup)\b"]
_HEDGE = [
    r"\buncertain(?:ty)?\b",
    r"\binconclusive\b",
    r"\btrend\b|\btendency\b",
    r"\binsufficient (?:evidence|data)\b",
    r"\bnot (?:been )?(?:maintained|sustained)\b",
    r"\b(?:mixed|conflicting|controversial|inconsistent)\b",
    r"\bremains? (?:unclear|unknown)\b",
]
# Negation scopes over the rest of its clause: "unlikely to produce significant improvements" must
# not also count "improvements" as positive.
_SCOPED = {"no_difference", "negative"}
_CUES = {
    "no_difference": _NO_DIFFERENCE,
    "negative": _NEGATIVE,
    "equivalent": _EQUIVALENT,
    "positive": _POSITIVE,
    "partial": _PARTIAL,
    "hedge": _HEDGE,
}


@dataclass(frozen=True, slots=True)
class _Matchers:
    inline_marker: Matcher
    ig: Matcher
    placebo: Matcher
    active: Matcher
    route_comparison: Matcher
    cues: dict[str, list[tuple[int, Matcher]]]  # kind -> (index in ``cue_set``, matcher), in order
    cue_set: MatcherSet  # which cues can match a sentence, all at once


@cache
def _matchers() -> _Matchers:
    """The patterns as matchers (tried only where their literal strings occur, found in the tagger's
    one shared pass per text), built on first use so ``ivig-lit status`` never compiles them."""
    cues = [
        (name, compile_any([rf"(?P<cue>{p})" + (r"[^,;:]*" if name in _SCOPED else "")]))
        for name, patterns in _CUES.items()
        for p in patterns
    ]
    by_kind: dict[str, list[tuple[int, Matcher]]] = {name: [] for name in _CUES}
    for k, (name, matcher) in enumerate(cues):
        by_kind[name].append((k, matcher))
    return _Matchers(
        compile_any([_INLINE_MARKER]),
        compile_any([_IG]),
        compile_any([_PLACEBO]),
        compile_any([_ACTIVE]),
        compile_any([_ROUTE_COMPARISON]),
        by_kind,
        MatcherSet([m for _, m in cues]),
    )


def classify_direction(article: Article, design: str) -> Direction | None:
    """Direction of a trial or meta-analysis from its conclusions; ``None`` for other designs."""
    if design not in DIRECTION_DESIGNS:
        return None
    if not article.abstract:
        return Direction("unknown", "no_abstract")
    # The conclusions and the whole abstract are long texts that few matchers read: each finds its
    # own strings in them (``alone``) rather than a pass for every rule's strings.
    m = _matchers()
    where, text = conclusion_text(article)
    if not (m.ig.search(text, alone=True) or m.ig.search(article.title)):
        return Direction("unknown", f"{where}:no mention of immunoglobulin")
    context = f"{article.title} {article.abstract_text}"
    has_placebo = bool(m.placebo.search(context, alone=True))
    if not m.placebo.search(text, alone=True) and _is_ig_comparison(article.title, text):
        return Direction("inconclusive", f"{where}:immunoglobulin compared with immunoglobulin")
    decided = _decide(where, _find_cues(text), has_placebo, bool(m.active.search(context, alone=True)))
    if decided.direction in ("unknown", "inconclusive") and where == "closing" and has_placebo:
        return _from_results(article.abstract_text) or decided
    return decided


def _from_results(abstract: str) -> Direction | None:
    """Step 9: a stated, significant gain for immunoglobulin over placebo in the results."""
    for sentence in split_sentences(abstract):
        if not (_matchers().ig.search(sentence) and _matchers().placebo.search(sentence) and _GAIN.search(sentence)):
            continue
        significance = _P_SIGNIFICANT.search(sentence)
        if significance and not _NEGATION.search(_PARENTHESIS.sub(" ", sentence)):
            return Direction(
                "favours_ivig",
                f"results:{_GAIN.search(sentence).group(0).lower()} versus placebo, {significance.group(0).lower()}",
            )
    return None


def conclusion_text(article: Article) -> tuple[str, str]:
    """(where, text): the conclusions of the abstract, or its closing sentences."""
    sections = [s for s in article.abstract if s.category == "CONCLUSIONS" or _CONCLUSION_LABEL.search(s.label or "")]
    if sections:
        return "conclusions", " ".join(s.text for s in sections)
    text = article.abstract_text
    markers = _matchers().inline_marker.finditer(text, alone=True)
    if markers and len(text) - markers[-1].end() > 20:
        return "conclusions", text[markers[-1].end() :].strip()
    sentences = split_sentences(text)
    return "closing", " ".join(sentences[-CLOSING_SENTENCES:])


def _is_ig_comparison(title: str, conclusions: str) -> bool:
    doses = {float(d) for d in _DOSE.findall(conclusions)}
    return (
        bool(
            _matchers().route_comparison.search(title)
            or _matchers().route_comparison.search(conclusions, alone=True)
            or _DOSE_TITLE.search(title)
        )
        or len(doses) >= 2
    )


def _find_cues(text: str) -> dict[str, list[str]]:
    """Cue kind -> matched phrases, skipping combination sentences when others carry cues."""
    sentences = split_sentences(text)
    per_sentence = [_sentence_cues(s) for s in sentences]
    alone = [c for s, c in zip(sentences, per_sentence, strict=True) if not _COMBINATION.search(s)]
    chosen = alone if any(any(c.values()) for c in alone) else per_sentence
    found: dict[str, list[str]] = {name: [] for name in _CUES}
    for cues in chosen:
        for name, phrases in cues.items():
            found[name].extend(phrases)
    return found


def _sentence_cues(sentence: str) -> dict[str, list[str]]:
    sentence = _PARENTHESIS.sub(" ", sentence)  # statistics and asides, not the finding
    cue_set = _matchers().cue_set
    # Most of the ~35 cues have none of their strings in a sentence: one look finds the few that
    # can match, and a new look follows each blanking (it changes the text).
    live = cue_set.live([sentence])
    found: dict[str, list[str]] = {}
    for name, patterns in _matchers().cues.items():
        found[name] = []
        for k, pattern in patterns:
            if k in live and (matches := pattern.finditer(sentence)):
                found[name] += (m.group("cue").lower() for m in matches)
                sentence = _blank(sentence, matches)
                live = cue_set.live([sentence])
    return found


def _blank(text: str, matches: list[re.Match[str]]) -> str:
    """``text`` with each (non-overlapping) match replaced by as many spaces."""
    pieces, end = [], 0
    for m in matches:
        pieces += (text[end : m.start()], " " * (m.end() - m.start()))
        end = m.end()
    return "".join(pieces) + text[end:]


def _decide(where: str, cues: dict[str, list[str]], has_placebo: bool, has_active: bool) -> Direction:
    def ev(*phrases: str) -> str:
        return f"{where}:" + "; ".join(dict.fromkeys(phrases))

    negative = list(cues["negative"])
    weak_equivalence: list[str] = []
    if cues["no_difference"]:
        if has_placebo or not has_active:
            negative += cues["no_difference"]
        else:
            weak_equivalence = cues["no_difference"]
    positive = cues["equivalent"] + cues["positive"]
    if negative:
        if negative == cues["no_difference"] and (where == "closing" or not (has_placebo or has_active)):
            return Direction("inconclusive", ev(negative[0]))
        return Direction("no_benefit", ev(*negative))
    if positive and cues["partial"]:
        return Direction("inconclusive", ev("partial", positive[0], cues["partial"][0]))
    if positive:
        return Direction("favours_ivig", ev(*positive))
    if weak_equivalence:
        if cues["hedge"]:
            return Direction("inconclusive", ev(weak_equivalence[0], cues["hedge"][0]))
        return Direction("favours_ivig", ev("equivalent to active comparator", weak_equivalence[0]))
    if cues["hedge"]:
        return Direction("inconclusive", ev(*cues["hedge"]))
    return Direction("unknown", f"{where}:no direction cue")


_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
    )
}
_NUMBER = r"\b(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r"|a single)"
_POOLED_RCTS = re.compile(
    _NUMBER + r"\s+(?:(?:were|was|of which|of them|eligible|included|published|small|large|independent)\s+){0,3}"
    r"(?:randomi[sz]ed(?:,? (?:double-blind|placebo-controlled|controlled|clinical))*\s+"
    r"(?:trials?|stud(?:y|ies))|RCTs?)\b",
    _I,
)
_RANDOMISED_ONLY = re.compile(r"\bfor randomi[sz]ed (?:controlled )?trials\b|\bRCTs\b", _I)
_TRIALS = re.compile(_NUMBER + r"\s+(?:\w+\s+)?trials?\b", _I)


def count_pooled_rcts(abstract: str) -> int | None:
    """How many RCTs a meta-analysis says it pooled ("three RCTs", "5 randomised controlled trials",
    "two were randomized controlled trials", or "N trials" when it searched for randomised trials
    only): the largest count stated, None when none is.

    The status rules need it: a meta-analysis of one trial is still one trial.
    """
    found = _POOLED_RCTS.findall(abstract)
    if not found and _RANDOMISED_ONLY.search(abstract):
        found = _TRIALS.findall(abstract)
    counts = [int(n) if n.isdigit() else _NUMBER_WORDS.get(n.lower(), 1) for n in found]
    return max(counts) if counts else None
