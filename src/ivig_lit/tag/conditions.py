"""Which tracked conditions an article is about, from MeSH, supplementary concepts, the title and
abstract, and (as a signal only) which condition queries returned it.

A name in the text counts when the article is about it, not when it is named in passing: in the
title, in the study's own sentences, or, when neither names a condition, in the background (weakly:
it says which patients a study of any treatment is about); never as a differential
diagnosis ("akin to Guillain-Barre syndrome"), an exclusion criterion, or inside the name of a more
specific condition ("variant of Guillain-Barre syndrome"). Ambiguous abbreviations (GBS, MG, DM,
MMN...) count only when the text also names the condition or one of its context words, and never
when the abstract defines them as something else ("group B streptococci (GBS)").

A synonym that several members of a group share ("idiopathic inflammatory myopathy" for
dermatomyositis and polymyositis) is group wording: it files the article under each of those
members, unless the abstract itemises two or more members by their own names, in which case the
itemisation says which ones were studied.

Every match carries a confidence: indexing (MeSH, supplementary concept) and a title mention are
strong, several study sentences fairly strong, a single one weak, and a match that rests on an
ambiguous abbreviation, on group wording, or on the query alone weaker still.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ivig_lit.parse.models import Article
from ivig_lit.registry import Condition, Registry
from ivig_lit.tag._text import BACKGROUND, LiteralSets, Matcher, Sentence, compile_any, load_rules, remember_last
from ivig_lit.tag.models import ConditionMatch

_TITLE = 1_000  # a title mention outweighs any count of abstract mentions
# Confidence of each kind of evidence (0..1).
_CONFIDENCE = {"mesh": 0.95, "supplementary": 0.95, "title": 0.9, "several": 0.85, "single": 0.7, "background": 0.5}
_AMBIGUOUS_FACTOR = 0.8  # the match rests on an abbreviation with other meanings
_GROUP_WORDING_FACTOR = 0.8  # the match rests on a phrase the group's members share
_QUERY_ONLY = 0.3  # the query returned it and nothing in the record can confirm it


@dataclass(frozen=True, slots=True)
class ConditionPatterns:
    id: str
    mesh: frozenset[str]
    supplementary: frozenset[str]
    names: Matcher  # synonyms and safe abbreviations
    own_names: Matcher | None  # the same without synonyms shared with another group member
    ambiguous: Matcher | None  # ambiguous abbreviations, case-sensitive
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


def _compile_condition(c: Condition, rules: dict, shared: frozenset[str]) -> ConditionPatterns:
    safe = [_phrase(s) for s in c.synonyms] + [_abbreviation(a) for a in c.abbreviations]
    names = "(?:" + "|".join(safe or [r"(?!x)x"]) + ")"
    own = [_phrase(s) for s in c.synonyms if s.casefold() not in shared] + [_abbreviation(a) for a in c.abbreviations]
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
        # One alternation each, as a Matcher: skipped in the many sentences that hold none of its words.
        names=compile_any([names]),
        own_names=compile_any(["|".join(own)]) if shared & {x.casefold() for x in c.synonyms} else None,
        ambiguous=compile_any(["|".join(amb)]) if amb else None,
        ambiguous_defined=re.compile(rf"\(\s*{amb_names}\s*[),;]") if amb_names else None,
        context=compile_any([_phrase(w) for w in c.context]) if c.context else None,
        passing=compile_any(rules["passing"], name=named),
        subsumed=compile_any(subsumed, name=named) if subsumed else None,
        word_triggers=tuple(sorted({re.split(r"[\s*-]", w.lower())[0] for w in c.synonyms} - {""})),
        abbreviation_triggers=(*c.abbreviations, *c.ambiguous_abbreviations),
    )


@dataclass(frozen=True, slots=True)
class CompiledRegistry:
    conditions: tuple[ConditionPatterns, ...]
    groups: dict[str, tuple[str, ...]]  # ``Registry.groups``, computed once
    # Each condition's triggers, case-insensitive, for all conditions at once: those with none in a
    # record are skipped before their exact (case-sensitive) trigger test.
    triggers: LiteralSets


@remember_last
def compiled_registry(registry: Registry) -> CompiledRegistry:
    """Patterns for every condition of a registry, compiled once per registry (recognised by
    identity: hashing a whole registry on every record costs more than some rule sets do)."""
    return _compile_registry(registry)


@lru_cache(maxsize=8)
def _compile_registry(registry: Registry) -> CompiledRegistry:
    rules = load_rules("conditions")
    patterns = tuple(_compile_condition(c, rules, _shared_synonyms(registry, c)) for c in registry.conditions)
    triggers = LiteralSets([[*p.word_triggers, *p.abbreviation_triggers] for p in patterns])
    return CompiledRegistry(patterns, registry.groups, triggers)


def _shared_synonyms(registry: Registry, c: Condition) -> frozenset[str]:
    """Synonyms of ``c`` that another member of its group also lists (group wording)."""
    if not c.group:
        return frozenset()
    others = {s.casefold() for o in registry.conditions if o.group == c.group and o.id != c.id for s in o.synonyms}
    return frozenset(s.casefold() for s in c.synonyms) & others


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


def _ambiguous_allowed(patterns: ConditionPatterns, sentences: tuple[Sentence, ...], full_text: str) -> bool:
    if patterns.ambiguous is None:
        return False
    for m in patterns.ambiguous_defined.finditer(full_text) if patterns.ambiguous_defined else ():
        abbr = m.group(0).strip("( ),;")
        if _defines_otherwise(full_text, patterns, m.start(), abbr.rstrip("s")):
            return False
    return _named_in(patterns.names, sentences, full_text) or (
        patterns.context is not None and _named_in(patterns.context, sentences, full_text)
    )


def _may_be_named(patterns: ConditionPatterns, texts: list[str]) -> bool:
    """Can a sentence name the condition (by a wording or an ambiguous abbreviation)? When none
    can, the record has no text mention of it, whatever else ``_ambiguous_allowed`` would read."""
    return patterns.names.may_match(texts) or (patterns.ambiguous is not None and patterns.ambiguous.may_match(texts))


def _named_in(names: Matcher, sentences: tuple[Sentence, ...], full_text: str) -> bool:
    """Does ``names`` (registry wordings: words, spaces or hyphens, word boundaries) match
    ``full_text``, the sentences joined by spaces? A match inside one sentence is one in the whole
    (the joining space reads as the sentence's edge), so the whole text is read only when no
    sentence holds one, and then by this matcher alone."""
    texts = [s.text for s in sentences]
    if any(names.search(t) for t in texts):
        return True
    return names.may_match(texts, joined=True) and names.search(full_text, alone=True) is not None


def _counted(pattern: Matcher, exclude: list[Matcher | None], text: str) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``text`` that lies outside every exclusion span."""
    matches = list(pattern.finditer(text))
    if not matches:
        return None
    spans = [m.span() for p in exclude if p is not None for m in p.finditer(text)]
    return next((m for m in matches if not any(a <= m.start() and m.end() <= b for a, b in spans)), None)


@dataclass(frozen=True, slots=True)
class TextHits:
    count: int  # sentences about the study that name the condition (_TITLE for the title)
    evidence: str  # where the first (or first study) mention is
    ambiguous_only: bool  # every counted mention was an ambiguous abbreviation


_NO_HITS = TextHits(0, "", False)


def text_matches(patterns: ConditionPatterns, sentences: tuple[Sentence, ...], use_amb: bool) -> TextHits:
    """Mentions of the condition in sentences about the study; a title mention counts as many as it
    takes. Background mentions give evidence but no count. ``use_amb``: the record allows the
    condition's ambiguous abbreviations (``_ambiguous_allowed``)."""
    excluded = [patterns.passing, patterns.subsumed]
    count, evidence, by_name = 0, "", False
    for s in sentences:
        found = _counted(patterns.names, excluded, s.text)
        named = found is not None
        if found is None and use_amb:
            found = _counted(patterns.ambiguous, excluded, s.text)
        if found is None:
            continue
        if s.section == "title":
            return TextHits(_TITLE, f"text:title:{found.group(0).lower()}", not named)
        if s.section not in (BACKGROUND, "other"):
            count += 1
            by_name = by_name or named
        if not evidence or (count == 1 and evidence.startswith("text:background")):
            evidence = f"text:{s.section}:{found.group(0).lower()}"
    return TextHits(count, evidence, count > 0 and not by_name)


def _names_itself(patterns: ConditionPatterns, sentences: tuple[Sentence, ...], use_amb: bool) -> bool:
    """The condition is named by a wording of its own (not only by group wording) outside passing
    contexts; its ambiguous abbreviation counts where the text allows it ("patients with DM")."""
    if patterns.own_names is None:
        return True
    own = [patterns.own_names]
    if patterns.ambiguous is not None and use_amb:
        own.append(patterns.ambiguous)
    excluded = [patterns.passing, patterns.subsumed]
    return any(_counted(p, excluded, s.text) for p in own for s in sentences)


def _text_confidence(hits: TextHits, group_wording: bool) -> float:
    kind = "title" if hits.count >= _TITLE else "several" if hits.count >= 2 else "single"
    base = _CONFIDENCE[kind]
    if hits.ambiguous_only:
        base *= _AMBIGUOUS_FACTOR
    return round(base * (_GROUP_WORDING_FACTOR if group_wording else 1.0), 3)


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
    found: dict[str, list[ConditionMatch]] = {}
    background_only: dict[str, list[ConditionMatch]] = {}
    group_worded: set[str] = set()
    compiled = compiled_registry(registry)
    texts = [s.text for s in sentences]
    triggered = compiled.triggers.live(texts)
    for k, p in enumerate(compiled.conditions):
        matches = [
            ConditionMatch(p.id, "mesh", f"mh:{mesh[m]}", _CONFIDENCE["mesh"]) for m in sorted(p.mesh & mesh.keys())
        ]
        matches += [
            ConditionMatch(p.id, "supplementary", f"nm:{supp[s]}", _CONFIDENCE["supplementary"])
            for s in sorted(p.supplementary & supp.keys())
        ]
        hits, use_amb = _NO_HITS, False
        if (
            k in triggered
            and (any(t in low_text for t in p.word_triggers) or any(a in full_text for a in p.abbreviation_triggers))
            and _may_be_named(p, texts)
        ):
            # Whether the record allows the ambiguous abbreviations matters only where one can match.
            use_amb = p.ambiguous is not None and p.ambiguous.may_match(texts)
            use_amb = use_amb and _ambiguous_allowed(p, sentences, full_text)
            hits = text_matches(p, sentences, use_amb)
        if hits.count >= min_mentions:
            worded = not _names_itself(p, sentences, use_amb)
            if worded:
                group_worded.add(p.id)
            matches.append(ConditionMatch(p.id, "text", hits.evidence, _text_confidence(hits, worded)))
        elif hits.evidence and p.id not in query_hits and _names_itself(p, sentences, use_amb):
            # Named only in the background, and no IVIG query returned it (a study of another
            # treatment): the background says which patients the study is about, as a query hit
            # confirms for an IVIG study, unless the study names its own (below). Group wording
            # alone is not enough.
            background_only[p.id] = [ConditionMatch(p.id, "text", hits.evidence, _CONFIDENCE["background"])]
        if p.id in query_hits:
            if matches or hits.evidence:
                best = max((m.confidence for m in matches), default=_CONFIDENCE["background"])
                evidence = f"query+{hits.evidence}" if hits.evidence else "query+mesh"
                matches.append(ConditionMatch(p.id, "query", evidence, best))
            elif not has_abstract and not mesh:
                matches.append(ConditionMatch(p.id, "query", "query:no abstract or MeSH to confirm", _QUERY_ONLY))
        if matches:
            found[p.id] = matches
    if not found:
        found = background_only
    _drop_group_wording_when_itemised(compiled.groups, found, group_worded)
    _drop_background_parent_of_a_variant(load_rules("conditions")["variants"], found)
    out = [m for matches in found.values() for m in matches]
    for group, members in compiled.groups.items():
        if hit := [m for m in members if m in found]:
            confidence = max(m.confidence for m in out if m.condition_id in hit)
            out.append(ConditionMatch(group, "group", "member:" + ",".join(hit), confidence))
    return tuple(out)


def _drop_group_wording_when_itemised(
    groups: dict[str, tuple[str, ...]], found: dict[str, list[ConditionMatch]], group_worded: set[str]
) -> None:
    """A member matched only by group wording is dropped when two or more members of its group are
    named by their own wordings: the abstract then says which members it studied."""
    for members in groups.values():
        named = [m for m in members if m in found and m not in group_worded]
        if len(named) < 2:
            continue
        for m in members:
            if m in group_worded and all(x.source in ("text", "query") for x in found[m]):
                del found[m]


def _drop_background_parent_of_a_variant(
    variants: dict[str, list[str]], found: dict[str, list[ConditionMatch]]
) -> None:
    """A wider condition named only in the background is dropped when the article is about one of
    its variants that the registry tracks separately."""
    for parent, narrower in variants.items():
        confirmed_by_background = parent in found and all(
            m.evidence.startswith(("query+text:background:", "text:background:")) for m in found[parent]
        )
        if confirmed_by_background and any(m.source != "query" for v in narrower for m in found.get(v, ())):
            del found[parent]
