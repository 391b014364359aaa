"""Sentences of a title and abstract, each with the section it came from and whether it speaks of
the authors' own work. Every rule reads these, so a "randomized" in the background of an abstract
or in "randomized trials are needed" never decides anything on its own."""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parse
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ivig_lit.parse.models import Article
from ivig_lit.parse.sentences import split_sentences

BACKGROUND = "background"
BODY = "body"  # an unstructured abstract after its background sentences
STUDY_SECTIONS = frozenset({"objective", "methods", "results", "conclusions", BODY})

_CATEGORIES = {
    "BACKGROUND": BACKGROUND,
    "OBJECTIVE": "objective",
    "METHODS": "methods",
    "RESULTS": "results",
    "CONCLUSIONS": "conclusions",
}
# Labels without an NLM category, by the first word that says what they are.
_LABEL_WORDS = (
    ("background", BACKGROUND),
    ("introduction", BACKGROUND),
    ("context", BACKGROUND),
    ("objective", "objective"),
    ("aim", "objective"),
    ("purpose", "objective"),
    ("method", "methods"),
    ("design", "methods"),
    ("patients", "methods"),
    ("participants", "methods"),
    ("setting", "methods"),
    ("intervention", "methods"),
    ("search", "methods"),
    ("selection", "methods"),
    ("result", "results"),
    ("finding", "results"),
    ("conclusion", "conclusions"),
    ("interpretation", "conclusions"),
)
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"} | {"\u2019": "'", "\u00a0": " "})
_COMBINING = re.compile("[\u0300-\u036f]")


@dataclass(frozen=True, slots=True)
class Sentence:
    section: str  # title, background, objective, methods, results, conclusions, body, keywords, other
    text: str  # accent-folded, case kept
    own_work: bool  # about the authors' own study, not about previous or future work

    @property
    def is_study(self) -> bool:
        """In the title or in a part of the abstract that reports the study itself."""
        return self.section == "title" or self.section in STUDY_SECTIONS


def fold(text: str) -> str:
    """Accents removed and dashes unified, so "Guillain–Barré" matches "guillain-barre"."""
    text = text.translate(_DASHES)
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


@cache
def load_rules(name: str) -> dict:
    """A rule file from ``tag/rules`` (read once per process)."""
    path = resources.files("ivig_lit.tag") / "rules" / f"{name}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


class Matcher:
    """An alternation of rule patterns that skips the regex engine when none of the words its
    alternatives must start with is in the text (a C substring test is ~50x cheaper than a
    regex scan, and most rules match nothing in most abstracts)."""

    __slots__ = ("_always", "_filtered", "_triggers")

    def __init__(self, patterns: list[str]) -> None:
        filtered, always, triggers = [], [], set()
        for p in patterns:
            prefixes = _literal_prefixes(p)
            if prefixes:
                filtered.append(p)
                triggers |= prefixes
            else:
                always.append(p)
        self._filtered = _alternation(filtered)
        self._always = _alternation(always)
        self._triggers = tuple(sorted(triggers))

    def _patterns(self, text: str) -> list[re.Pattern[str]]:
        out = [self._always] if self._always else []
        if self._filtered:
            low = text.lower()
            if any(t in low for t in self._triggers):
                out.append(self._filtered)
        return out

    def search(self, text: str) -> re.Match[str] | None:
        found = [m for p in self._patterns(text) if (m := p.search(text))]
        return min(found, key=lambda m: m.start()) if found else None

    def finditer(self, text: str) -> list[re.Match[str]]:
        return sorted((m for p in self._patterns(text) for m in p.finditer(text)), key=lambda m: m.start())

    def sub(self, repl: str, text: str) -> str:
        for p in self._patterns(text):
            text = p.sub(repl, text)
        return text


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def _literal_prefixes(pattern: str) -> set[str] | None:
    """Lower-case literal words one of which every match of ``pattern`` starts with, or None
    when some match could start otherwise (a character class, an optional group...)."""
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    found = _prefixes(list(parsed))
    return found if found and all(len(f) >= 2 for f in found) else None


def _prefixes(items: list) -> set[str] | None:
    literal = ""
    for op, av in items:
        if op is sre_constants.AT and not literal:
            continue
        if op is sre_constants.LITERAL:
            literal += chr(av).lower()
            continue
        if op is sre_constants.SUBPATTERN:
            rest = _prefixes(list(av[-1]))
        elif op is sre_constants.BRANCH:
            alternatives = [_prefixes(list(a)) for a in av[1]]
            rest = None if any(a is None for a in alternatives) else set().union(*alternatives)  # type: ignore[arg-type]
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1:
            rest = _prefixes(list(av[2]))
        else:
            break
        if rest is None:
            break
        return {literal + r for r in rest}
    return {literal} if literal else None


def compile_any(patterns: list[str] | tuple[str, ...], **subs: str) -> Matcher:
    """Rule patterns (case-insensitive) as one matcher, with ``{name}`` placeholders filled."""
    filled = []
    for p in patterns:
        for key, value in subs.items():
            p = p.replace("{" + key + "}", value)
        filled.append(p)
    return Matcher(filled)


@cache
def _roles() -> tuple[Matcher, Matcher]:
    rules = load_rules("text")
    return compile_any(rules["own_work"]), compile_any(rules["other_work"])


def section_of(label: str | None, category: str | None) -> str:
    """Our section name for a structured-abstract part (NLM category first, then the label)."""
    if category and category.upper() in _CATEGORIES:
        return _CATEGORIES[category.upper()]
    low = (label or "").lower()
    for word, section in _LABEL_WORDS:
        if word in low:
            return section
    return "other"


def article_sentences(article: Article) -> tuple[Sentence, ...]:
    """Title, abstract and keywords as sentences with their roles.

    In a structured abstract the labels give the sections; a background sentence that announces
    the study ("The present study explores...") counts as the objective. In an unstructured one,
    the sentences before the first that speaks of the authors' own work are background.
    """
    own_cue, other_cue = _roles()

    def make(section: str, text: str) -> Sentence:
        is_own = own_cue.search(text) is not None
        if section == BACKGROUND and is_own:
            section = "objective"
        return Sentence(section, text, not other_cue.search(text) or _first_person_methods(text))

    out = [make("title", fold(article.title))] if article.title else []
    structured = any(s.label or s.category for s in article.abstract)
    if structured:
        for part in article.abstract:
            section = section_of(part.label, part.category)
            out += [make(section, s) for s in split_sentences(fold(part.text))]
    else:
        text = fold(" ".join(p.text for p in article.abstract))
        sentences = split_sentences(text)
        first_own = next((i for i, s in enumerate(sentences) if own_cue.search(s)), 0)
        out += [make(BACKGROUND if i < first_own else BODY, s) for i, s in enumerate(sentences)]
    if article.keywords:
        out.append(make("keywords", fold("; ".join(article.keywords))))
    return tuple(out)


_FIRST_PERSON_DID = re.compile(
    r"\b(we|this study|this trial|the present study)\s+(\w+\s+){0,2}"
    r"(conducted|performed|randomi[sz]ed|enrolled|included|report|describe|present|compared|assigned|tested|undertook)\b",
    re.IGNORECASE,
)


def _first_person_methods(text: str) -> bool:
    """ "We performed the first randomized trial" is own work even though "the first" sounds like history."""
    return _FIRST_PERSON_DID.search(text) is not None
