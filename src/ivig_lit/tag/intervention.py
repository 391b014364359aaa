"""Is IVIG a studied intervention or only mentioned? And, where the abstract says: the comparator,
the number of participants and the age group.

An article about subcutaneous immunoglobulin, plasma exchange or rituximab often names IVIG in its
background or in its inclusion criteria ("patients receiving IVIG were switched to..."); that is
not an IVIG study. So the title decides first, mentions that describe the patients rather than the
treatment are set aside, and background sentences never make an article IVIG-focused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ivig_lit.tag._text import BACKGROUND, Matcher, MatcherSet, Sentence, compile_any, load_rules, remember_last
from ivig_lit.tag.models import COMPARATORS

# fmt: off
_UNIT_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
# fmt: on
_UNITS = {w: i for i, w in enumerate(_UNIT_WORDS)}
_TENS = {
    w: 10 * i
    for i, w in enumerate(("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"))
    if w
}
_NUMBER_WORD = "(?:" + "|".join(sorted([*_UNITS, *_TENS, "hundred", "thousand"], key=len, reverse=True)) + ")"
_NUMBER = rf"(\d+(?:,\d{{3}})*(?![\d,])|{_NUMBER_WORD}(?:[\s-]+(?:and[\s-]+)?{_NUMBER_WORD})*)"
# Words that end a count's qualifiers: "24 of 32 patients", "type 3 receptor antibodies in patients".
_NOT_QUALIFIER = r"(?:of|to|and|in|with|from|for|at|on|by)\b"
_COUNT = rf"(?<![\d.,/-])\b{_NUMBER}\s+(?:(?!{_NOT_QUALIFIER})[a-z/-]+\s+)"  # then {min,max} qualifiers
_AGE = r"\b(\d{1,2})[\s-]+(year|month|week|day)s?[\s-]+old\b|\baged (\d{1,2})\s*(?:to|-)\s*(\d{1,3}) (year|month)s?\b"


@dataclass(frozen=True, slots=True)
class InterventionRules:
    ivig: Matcher
    immunoglobulin: Matcher
    scig: Matcher
    descriptor: Matcher
    arm: Matcher
    other_treatments: Matcher
    treatment_in_general: Matcher
    comparison: Matcher
    comparators: tuple[tuple[str, Matcher], ...]
    participants: Matcher
    cases: re.Pattern[str]
    children: Matcher
    adults: Matcher
    age: Matcher
    age_words: MatcherSet  # children, adults, age: which can match a record's sentences, in one step


@cache
def intervention_rules() -> InterventionRules:
    data = load_rules("intervention")
    # "{not_serology}": IgG that names an antibody or a level; filled here because {ivig} carries it too.
    serology = {"not_serology": data["not_serology"]}
    ivig_patterns = [p.replace("{not_serology}", data["not_serology"]) for p in data["ivig"]]
    ivig = "(?:" + "|".join(ivig_patterns) + ")"
    comparators = tuple((k, compile_any(v)) for k, v in data["comparators"].items())
    if unknown := {k for k, _ in comparators} - set(COMPARATORS):
        raise ValueError(f"intervention.toml names unknown comparators: {sorted(unknown)}")
    nouns = data["participants"]["nouns"]
    return InterventionRules(
        ivig=compile_any(ivig_patterns),
        immunoglobulin=compile_any(data["immunoglobulin"], **serology),
        scig=compile_any(data["scig"]),
        descriptor=compile_any(data["ivig_as_descriptor"], ivig=ivig),
        arm=compile_any(data["ivig_as_arm"], ivig=ivig),
        other_treatments=compile_any(data["other_treatments"]),
        treatment_in_general=compile_any(data["treatment_in_general"]),
        comparison=compile_any(data["comparison"]),
        comparators=comparators,
        # A count, up to three qualifiers ("consecutive adult"), then a noun; "of" ends the count
        # ("twenty-four of the thirty-two patients" counts 32).
        # A matcher: tried only where a digit or number word starts, not at every character.
        participants=compile_any([rf"{_COUNT}{{0,3}}{nouns}\b"]),
        # Within a design phrase, reports count too ("two case reports", "report of three cases").
        cases=re.compile(rf"{_COUNT}{{0,2}}({nouns}|reports|case|patient)\b", re.I),
        children=(children := compile_any(data["age"]["children"])),
        adults=(adults := compile_any(data["age"]["adults"])),
        age=(age := compile_any([_AGE])),
        age_words=MatcherSet([children, adults, age]),
    )


IVIG_DESCRIPTOR = "Immunoglobulins, Intravenous"


@dataclass(frozen=True, slots=True)
class Focus:
    """Is IVIG a studied intervention, the evidence, and how sure."""

    is_focus: bool
    evidence: str
    confidence: float


def find_ivig(text: str) -> tuple[re.Match[str], bool] | None:
    """The first mention of IVIG as a treatment (patient descriptors removed) and whether it names
    the intravenous route or a brand (strong) or only immunoglobulin as a treatment (weak, and not
    counted when the sentence is about the subcutaneous route)."""
    rules = intervention_rules()
    text = rules.descriptor.sub(" ", text)
    if m := rules.ivig.search(text):
        return m, True
    if rules.scig.search(text):
        return None
    m = rules.immunoglobulin.search(text)
    return (m, False) if m else None


def ivig_focus(
    sentences: tuple[Sentence, ...], *, secondary: bool = False, mesh: frozenset[str] = frozenset()
) -> Focus:
    """Is IVIG a studied intervention? In a review or guideline (``secondary``) the whole abstract
    is its subject, so background sentences count too. The title decides first: a title that names
    IVIG is about it; a title that names only another treatment is not, unless IVIG is an arm.
    Unnamed in the text, IVIG is still a subject of a synthesis about treating the condition in
    general, and of an article indexed under the IVIG descriptor (how the search found it)."""
    rules = intervention_rules()
    conf = load_rules("intervention")["confidence"]
    title = next((s for s in sentences if s.section == "title"), None)
    study = [s for s in sentences if s.section != "title" and (secondary or s.section != BACKGROUND)]
    # The title, then the stated aim, say what the study is about.
    aims = ([title] if title is not None else []) + [s for s in study if s.section == "objective"][:1]
    for aim in aims:
        where = "title" if aim is title else f"text:{aim.section}"
        if found := find_ivig(aim.text):
            m, strong = found
            return Focus(True, f"{where}:{m.group(0).lower()}", conf["title" if strong else "title_weak"])
        if other := rules.other_treatments.search(aim.text):
            for s in study:
                if m := rules.arm.search(rules.descriptor.sub(" ", s.text)):
                    return Focus(True, f"text:{s.section}:ivig arm: {m.group(0).lower()}", conf["arm"])
            return Focus(False, f"{where} names another treatment: {other.group(0).lower()}", conf["other_treatment"])
    for s in study:
        if found := find_ivig(s.text):
            m, strong = found
            return Focus(True, f"text:{s.section}:{m.group(0).lower()}", conf["text" if strong else "text_weak"])
    if IVIG_DESCRIPTOR in mesh:
        return Focus(True, f"mh:{IVIG_DESCRIPTOR}", conf["indexing"])
    if any(find_ivig(s.text) for s in sentences if s.section == BACKGROUND):
        return Focus(False, "ivig only in background", conf["background"])
    if secondary and title is not None and (m := rules.treatment_in_general.search(title.text)):
        return Focus(True, f"title:synthesis of {m.group(0).lower()}", conf["treatment_in_general"])
    return Focus(False, "ivig not mentioned", conf["not_mentioned"])


def find_comparator(sentences: tuple[Sentence, ...]) -> str | None:
    """What IVIG was compared with, from the study's own comparison sentences (first in
    COMPARATORS order wins: a trial against placebo is placebo-controlled whatever else it names)."""
    rules = intervention_rules()
    candidates = [
        s.text for s in sentences if s.own_work and s.section != BACKGROUND and rules.comparison.search(s.text)
    ]
    for name, pattern in rules.comparators:
        if any(pattern.search(rules.scig.sub(" ", t) if name != "scig" else t) for t in candidates):
            return name
    return None


@remember_last
def count_participants(sentences: tuple[Sentence, ...]) -> int | None:
    """The first participant count in the study's own sentences ("Fifty-one patients with...").
    Design rules and the tagger ask it of the same record up to three times: the last record's
    answer is kept."""
    return _count_participants(sentences)


def _count_participants(sentences: tuple[Sentence, ...]) -> int | None:
    rules = intervention_rules()
    for s in sentences:
        if not (s.own_work and (s.is_study or s.section == "objective")):
            continue
        for m in rules.participants.finditer(s.text):
            n = parse_number(m.group(1))
            if n is not None and 0 < n < 1_000_000:
                return n
    return None


def count_cases(phrase: str) -> int | None:
    """The number of patients a design phrase names ("two case reports", "(5 cases)"), or None."""
    if m := intervention_rules().cases.search(phrase):
        return parse_number(m.group(1))
    return None


def parse_number(text: str) -> int | None:
    """ "173", "1,024", "Fifty-one", "one hundred seventy-three" -> int."""
    text = text.lower().replace(",", "")
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text):
        if word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        else:
            return None
    return total + current


def find_age_group(sentences: tuple[Sentence, ...]) -> str | None:
    """children, adults or mixed, from age words and stated ages in the study's own sentences."""
    rules = intervention_rules()
    read = [s.text for s in sentences if s.section == "title" or (s.own_work and s.is_study)]
    live = rules.age_words.live(read)
    if not live:
        return None
    children, adults, age = (m if k in live else None for k, m in enumerate((rules.children, rules.adults, rules.age)))
    child = adult = False
    for text in read:
        child = child or (children is not None and children.search(text) is not None)
        adult = adult or (adults is not None and adults.search(text) is not None)
        for m in age.finditer(text) if age is not None else ():
            if m.group(1):
                years = int(m.group(1)) if m.group(2).lower() == "year" else 0
                child, adult = child or years < 18, adult or years >= 18
            else:
                low, high = int(m.group(3)), int(m.group(4))
                if m.group(5).lower() == "month":
                    child = True
                else:
                    child, adult = child or low < 18, adult or high >= 18
    if child and adult:
        return "mixed"
    return "children" if child else "adults" if adult else None
