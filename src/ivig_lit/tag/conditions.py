"""Which tracked conditions an article is about, from MeSH, supplementary concepts, the title and
abstract, and (as a signal only) which condition queries returned it.

A name in the text counts when the article is about it, not when it is named in passing: in the
title, in the study's own sentences, or repeatedly in the background; never as a differential
diagnosis ("akin to Guillain-Barre syndrome"), an exclusion criterion, or inside the name of a more
specific condition ("variant of Guillain-Barre syndrome"). Ambiguous abbreviations (GBS, MG, DM,
MMN...) count only when the text also names the condition or one of its context words, and never
when the abstract defines them as something else ("group B streptococci (GBS)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ivig_lit.parse.models import Article
from ivig_lit.registry import Condition, Registry
from ivig_lit.tag._text import BACKGROUND, Matcher, Sentence, compile_any, load_rules
from ivig_lit.tag.models import ConditionMatch

_TITLE = 1_000  # a title mention outweighs any count of abstract mentions


@dataclass(frozen=True, slots=True)
class ConditionPatterns:
    id: str
    mesh: frozenset[str]
    supplementary: frozenset[str]
    names: re.Pattern[str]  # synonyms and safe abbreviations
    ambiguous: re.Pattern[str] | None  # ambiguous abbreviations, case-sensitive
    ambiguous_defined: re.Pattern[str] | None  # "long form (ABBR)"
    context: Matcher | None
    passing: Matcher
    subsumed: Matcher | None
    # Cheap substring tests before any regex: first words of synonyms (lower case) and
    # abbreviations (case kept). No trigger in the text means no mention at all.
    word_triggers: tuple[str, ...]
    abbreviation_triggers: tuple[str, ...]


def _phrase(synonym: str) -> str:
    """A registry synonym as a regex: "*" is any word ending; a space or hyphen is either."""
    words = re.split(r"[\s-]+", synonym.strip())
    body = r"[\s-]+".join(re.escape(w).replace(r"\*", r"\w*") for w in words)
    return rf"\b{body}" + ("" if synonym.endswith("*") else r"\b")


def _abbreviation(abbr: str) -> str:
    return rf"\b(?-i:{re.escape(abbr)})s?\b"


def _compile_condition(c: Condition, rules: dict) -> ConditionPatterns:
    safe = [_phrase(s) for s in c.synonyms] + [_abbreviation(a) for a in c.abbreviations]
    names = "(?:" + "|".join(safe or [r"(?!x)x"]) + ")"
    amb = [_abbreviation(a) for a in c.ambiguous_abbreviations]
    amb_names = "(?:" + "|".join(amb) + ")" if amb else None
    subsumed = rules["subsumed"].get(c.id)
    # In a passing context the name's own abbreviation right after it is passing too:
    # "akin to chronic inflammatory demyelinating polyneuropathy (CIDP)".
    named = f"(?:{names}|{amb_names})" if amb_names else names
    named += r"(?:\s*\([^()]{1,20}\))?"
    return ConditionPatterns(
        id=c.id,
        mesh=frozenset(m.casefold() for m in c.mesh),
        supplementary=frozenset(s.casefold() for s in c.supplementary),
        names=re.compile(names, re.IGNORECASE),
        ambiguous=re.compile("|".join(amb), re.IGNORECASE) if amb else None,
        ambiguous_defined=re.compile(rf"\(\s*{amb_names}\s*[),;]") if amb_names else None,
        context=compile_any([_phrase(w) for w in c.context]) if c.context else None,
        passing=compile_any(rules["passing"], name=named),
        subsumed=compile_any(subsumed, name=named) if subsumed else None,
        word_triggers=tuple(sorted({re.split(r"[\s*-]", w.lower())[0] for w in c.synonyms} - {""})),
        abbreviation_triggers=(*c.abbreviations, *c.ambiguous_abbreviations),
    )


@lru_cache(maxsize=8)
def compiled_registry(registry: Registry) -> tuple[ConditionPatterns, ...]:
    """Patterns for every condition of a registry, compiled once per registry."""
    rules = load_rules("conditions")
    return tuple(_compile_condition(c, rules) for c in registry.conditions)


def _defines_otherwise(text: str, patterns: ConditionPatterns, start: int, abbr: str) -> bool:
    """The abbreviation at ``start`` ("(GBS)") is defined just before it as something that is not
    this condition: its letters spell the preceding words (Schwartz-Hearst) and no synonym is there."""
    before = text[max(0, text.rfind("(", 0, start - 1) + 1, start - 120) : start]
    words = before.split()[-(len(abbr) + 3) :]
    long_form = " ".join(words)
    if not long_form or patterns.names.search(long_form) or (patterns.context and patterns.context.search(long_form)):
        return False
    return _spells(abbr, long_form)


def _spells(abbr: str, long_form: str) -> bool:
    """Schwartz-Hearst: each letter of the abbreviation, right to left, found in the long form,
    the first one at the start of a word."""
    short, long = abbr.lower(), long_form.lower()
    li = len(long) - 1
    for si in range(len(short) - 1, -1, -1):
        ch = short[si]
        if not ch.isalnum():
            continue
        while li >= 0 and (long[li] != ch or (si == 0 and li > 0 and long[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return False
        li -= 1
    return True


def _ambiguous_allowed(patterns: ConditionPatterns, full_text: str) -> bool:
    if patterns.ambiguous is None:
        return False
    for m in patterns.ambiguous_defined.finditer(full_text) if patterns.ambiguous_defined else ():
        abbr = m.group(0).strip("( ),;")
        if _defines_otherwise(full_text, patterns, m.start(), abbr.rstrip("s")):
            return False
    return bool(patterns.names.search(full_text) or (patterns.context and patterns.context.search(full_text)))


def _counted(pattern: re.Pattern[str], exclude: list[Matcher | None], text: str) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``text`` that lies outside every exclusion span."""
    matches = list(pattern.finditer(text))
    if not matches:
        return None
    spans = [m.span() for p in exclude if p is not None for m in p.finditer(text)]
    return next((m for m in matches if not any(a <= m.start() and m.end() <= b for a, b in spans)), None)


def text_matches(patterns: ConditionPatterns, sentences: tuple[Sentence, ...], full_text: str) -> tuple[int, str]:
    """(sentences about the study that name the condition, evidence of the first); a title mention
    counts as many as it takes. Background mentions give evidence but no count."""
    use_amb = _ambiguous_allowed(patterns, full_text)
    excluded = [patterns.passing, patterns.subsumed]
    count, evidence = 0, ""
    for s in sentences:
        found = _counted(patterns.names, excluded, s.text)
        if found is None and use_amb:
            found = _counted(patterns.ambiguous, excluded, s.text)
        if found is None:
            continue
        if s.section == "title":
            return _TITLE, f"text:title:{found.group(0).lower()}"
        if s.section not in (BACKGROUND, "other"):
            count += 1
        if not evidence or (count == 1 and evidence.startswith("text:background")):
            evidence = f"text:{s.section}:{found.group(0).lower()}"
    return count, evidence


def match_conditions(
    article: Article, registry: Registry, sentences: tuple[Sentence, ...], query_hits: frozenset[str]
) -> tuple[ConditionMatch, ...]:
    """Every way each tracked condition matched, then the groups their members imply."""
    min_mentions = load_rules("conditions")["salience"]["min_mentions"]
    mesh = {m.casefold(): m for m in article.mesh_descriptors}
    supp = {s.name.casefold(): s.name for s in article.supplementary_concepts}
    full_text = " ".join(s.text for s in sentences)
    low_text = full_text.lower()
    has_abstract = any(s.section != "title" for s in sentences)
    out: list[ConditionMatch] = []
    for p in compiled_registry(registry):
        found: list[ConditionMatch] = []
        found += [ConditionMatch(p.id, "mesh", f"mh:{mesh[m]}") for m in sorted(p.mesh & mesh.keys())]
        found += [ConditionMatch(p.id, "supplementary", f"nm:{supp[s]}") for s in sorted(p.supplementary & supp.keys())]
        count, evidence = 0, ""
        if any(t in low_text for t in p.word_triggers) or any(a in full_text for a in p.abbreviation_triggers):
            count, evidence = text_matches(p, sentences, full_text)
        if count >= min_mentions:
            found.append(ConditionMatch(p.id, "text", evidence))
        if p.id in query_hits:
            if found or evidence:
                found.append(ConditionMatch(p.id, "query", f"query+{evidence}" if evidence else "query+mesh"))
            elif not has_abstract and not mesh:
                found.append(ConditionMatch(p.id, "query", "query:no abstract or MeSH to confirm"))
        out += found
    matched = {m.condition_id for m in out}
    for group, members in registry.groups.items():
        if hit := [m for m in members if m in matched]:
            out.append(ConditionMatch(group, "group", "member:" + ",".join(hit)))
    return tuple(out)
