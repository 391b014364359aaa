"""Sentences of a title and abstract, each with the section it came from and whether it speaks of
the authors' own work. Every rule reads these, so a "randomized" in the background of an abstract
or in "randomized trials are needed" never decides anything on its own."""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parse
import threading
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache, wraps
from importlib import resources
from typing import Any, TypeVar

import ahocorasick

from ivig_lit.parse.models import Article, fast_constructor
from ivig_lit.parse.sentences import split_sentences

BACKGROUND = "background"
BODY = "body"  # an unstructured abstract after its background sentences
STUDY_SECTIONS = frozenset({"objective", "methods", "results", "conclusions", BODY})

_A = TypeVar("_A")
_R = TypeVar("_R")


def remember_last(fn: Callable[[_A], _R]) -> Callable[[_A], _R]:
    """Keep the last call's answer, its argument recognised by identity: a record's tagging asks
    the same question of the same object several times, and hashing it would cost more."""
    last: tuple[_A, _R] | None = None

    @wraps(fn)
    def wrapper(arg: _A) -> _R:
        nonlocal last
        if last is not None and last[0] is arg:
            return last[1]
        value = fn(arg)
        last = (arg, value)
        return value

    return wrapper


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
    cued: bool = False  # the sentence itself says it is about this study ("we", "this trial", "were enrolled")

    @property
    def is_study(self) -> bool:
        """In the title or in a part of the abstract that reports the study itself."""
        return self.section == "title" or self.section in STUDY_SECTIONS


_new_sentence = fast_constructor(Sentence)  # every record's every sentence: the cheaper constructor


def fold(text: str) -> str:
    """Accents removed and dashes unified, so "Guillain–Barré" matches "guillain-barre"."""
    if text.isascii():  # every character folding changes is outside ASCII
        return text
    text = text.translate(_DASHES)
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


@cache
def load_rules(name: str) -> dict:
    """A rule file from ``tag/rules`` (read once per process)."""
    path = resources.files("ivig_lit.tag") / "rules" / f"{name}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


class _Needles:
    """Every literal string any matcher needs, found in one Aho-Corasick pass per text.

    Matchers register their strings when they are built (rule sets load lazily, a registry may come
    later); each registration starts a new generation with a new automaton, so a text's hits are
    never read against an automaton that lacked some matcher's strings. Once every rule set is
    built, a sentence is lower-cased and scanned once, however many matchers read it. A lock keeps
    threads that build rule sets at once (tagging in a thread pool) from racing."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.generation = 0
        self._automaton: ahocorasick.Automaton | None = None
        self._lock = threading.Lock()

    def register(self, needles: set[str]) -> dict[str, int]:
        """Ids for ``needles``, adding the new ones (and starting a new generation)."""
        with self._lock:
            if new := needles - self.ids.keys():
                for needle in sorted(new):
                    self.ids[needle] = len(self.ids)
                self.generation += 1
                self._automaton = None
            return {n: self.ids[n] for n in needles}

    def automaton(self) -> ahocorasick.Automaton:
        """Every registered string (a newer automaton than a caller's generation only adds strings)."""
        if (automaton := self._automaton) is not None:
            return automaton
        with self._lock:
            if self._automaton is None:
                ids: dict[str, list[int | None]] = {}  # string -> [id anywhere, id at a word start]
                for needle, i in self.ids.items():
                    string = needle.removeprefix(AT_WORD)
                    ids.setdefault(string, [None, None])[string != needle] = i
                automaton = ahocorasick.Automaton()
                for string, (anywhere, at_word) in ids.items():
                    automaton.add_word(string, (anywhere, at_word, len(string) - 1))
                automaton.make_automaton()
                self._automaton = automaton
            return self._automaton


# Marks a registered string that counts only where "\b" holds before it (``_occurrences``).
AT_WORD = "\x00"
_NEEDLES = _Needles()
_ASCII = frozenset(map(chr, range(128)))


# Characters outside ASCII that the regex engine matches to an ASCII letter when ignoring case, beyond
# those whose lower or upper case is ASCII (``re._casefix``: dotless i, long s).
_ASCII_EXTRA_CASES = frozenset("\u0131\u017f")


@cache
def _is_screenable(char: str) -> bool:
    """Can no rule string (ASCII, case-insensitive, ``\\d`` for digits) match ``char``? "±", "≥", "β"
    cannot; "K" (Kelvin sign), "İ" or an Arabic-Indic digit can."""
    cases = char.lower() + char.upper() + char.casefold()
    return not (char.isdecimal() or char.isdigit() or char in _ASCII_EXTRA_CASES or any(c.isascii() for c in cases))


def _is_screenable_text(text: str, low: str) -> bool:
    """Do the places of strings in ``low`` (``text`` lower-cased) hold in ``text``, and can no rule
    string match ``text`` anywhere else?"""
    return text.isascii() or (len(low) == len(text) and all(map(_is_screenable, set(text) - _ASCII)))


@lru_cache(maxsize=1024)
def _occurrences(text: str, generation: int) -> dict[int, list[int]] | None:
    """Needle id -> where each of its occurrences in ``text`` (lower-cased) starts, in order; None
    when that cannot be told: lower-casing moves characters, or a character outside ASCII could match
    a rule string. ``generation`` keys the cache only."""
    low = text.lower()
    if not _is_screenable_text(text, low):
        return None
    found: dict[int, list[int]] = {}
    for end, (anywhere, at_word, back) in _NEEDLES.automaton().iter(low):
        # Occurrences of one needle come in order of their end, so their starts are in order too.
        at = end - back
        if anywhere is not None:
            if (starts := found.get(anywhere)) is None:
                found[anywhere] = [at]
            else:
                starts.append(at)
        # At a word start: "\b" holds before ``text[at]`` (a word character on one side only, as
        # ``re`` reads it). Written out here: this loop runs for every hit of every sentence.
        if at_word is not None and (at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")) != (
            text[at].isalnum() or text[at] == "_"
        ):
            if (starts := found.get(at_word)) is None:
                found[at_word] = [at]
            else:
                starts.append(at)
    return found


class _NeedleIndex:
    """Which of several owners (rule families, sets of strings) have one of their needles in some
    texts, answered for all of them at once from the texts' shared passes (``_occurrences``)."""

    __slots__ = ("_always", "_everything", "_ids", "_index")

    def __init__(self, owned: list[Iterable[int] | None]) -> None:
        """``owned[k]``: the needle ids of owner ``k``, or None when its needles cannot tell (always live)."""
        index: dict[int, set[int]] = {}
        for k, ids in enumerate(owned):
            for i in ids or ():
                index.setdefault(i, set()).add(k)
        self._always = frozenset(k for k, ids in enumerate(owned) if ids is None)
        self._index = {i: frozenset(ks) for i, ks in index.items()}
        self._ids = set(self._index)
        self._everything = frozenset(range(len(owned)))

    def live(self, texts: list[str]) -> frozenset[int]:
        """Indices of the owners with a needle in one of ``texts`` (or in them joined by spaces); every
        owner when that cannot be told (text that is not ASCII)."""
        found: set[int] = set()
        for text in texts:
            if (occurrences := _occurrences(text, _NEEDLES.generation)) is None:
                return self._everything
            found.update(occurrences.keys() & self._ids)
        return self._always.union(*(self._index[i] for i in found))


class LiteralSets(_NeedleIndex):
    """Which of several sets of literal strings have a string in some texts (case-insensitive): a
    cheap gate before costlier work. A string without spaces is in the texts joined by spaces exactly
    when it is in one of them, so a record's sentences answer for its whole text."""

    __slots__ = ()

    def __init__(self, sets: list[list[str]]) -> None:
        lows = [{t.lower() for t in strings if t} for strings in sets]
        super().__init__(
            [
                _NEEDLES.register(low).values()
                if all(t.isascii() and not any(c.isspace() for c in t) for t in low)
                else None
                for low in lows
            ]
        )


_MISSES_KEPT = 256  # a few records' sentences per matcher
Candidates = dict[int, list[int] | None]  # rank -> where it can start, or None: anywhere


class Matcher:
    """An alternation of rule patterns that runs only the alternatives that can match a text, and
    only where they can start.

    Most alternatives must start with one of a few literal strings (``_literal_prefixes``), and most
    others must contain one further on ("... review" after a number word): an alternative none of
    whose strings is in the lower-cased text cannot match, so it is not run (most rules match nothing
    in most abstracts), and one that must start with its string is tried only where that string
    occurs (``Pattern.match`` there, not a scan of the rest of the text). The strings of every
    matcher are found together, in one pass per text (``_Needles``). Results are those of the whole
    alternation: the leftmost match, the earlier alternative on a tie (the patterns without a
    starting string come first, as they did when they were a separate alternation). Text where
    lower-casing moves characters, or with a character outside ASCII that could match a rule string
    ("K" for "k"; "±" and "β" cannot), gets the whole alternation: rare, and always right.

    Each pattern is compiled on first use, alone, and the alternations only when a text needs them:
    a process compiles only the rules its records reach, and most alternatives never run."""

    __slots__ = (
        "_alternations",
        "_ids",
        "_misses",
        "_n_always",
        "_one",
        "_owners",
        "_patterns",
        "_ranked",
        "_screened",
        "_spaced",
        "_strings",
        "_unguarded",
    )

    def __init__(self, patterns: list[str]) -> None:
        filtered, always, prefix_needles, inner = [], [], [], []
        for p in patterns:
            parsed = _parse(p)
            if prefixes := _literal_prefixes(parsed):
                filtered.append(p)
                # A pattern that opens with "\b" needs its string where a word starts: "us" in "thus"
                # or "is" in "this" is not a place to try it, and does not make it live.
                at_word = _starts_at_boundary(list(parsed))
                prefix_needles.append({AT_WORD + x for x in prefixes} if at_word else prefixes)
            else:
                always.append(p)
                inner.append(_required_literals(parsed))
        # Rank = place in the old two-part alternation: always-run patterns, then the filtered ones.
        self._patterns = (*always, *filtered)
        self._n_always = len(always)
        self._alternations: list[re.Pattern[str] | None] = [None, None]  # always-run, filtered
        self._ranked: list[re.Pattern[str] | None] = [None] * len(self._patterns)
        needles: dict[str, list[int]] = {}  # needle -> ranks it guards
        for rank, found in enumerate([*inner, *prefix_needles]):
            for needle in found or ():
                needles.setdefault(needle, []).append(rank)
        self._unguarded = tuple(rank for rank, found in enumerate(inner) if not found)
        self._owners: dict[int, tuple[int, ...]] = {}
        self._ids: set[int] | None = None  # a set, not a frozenset: ``keys() & set`` loops over the smaller
        self._strings: tuple[tuple[int, str], ...] = ()
        if needles and all(n.isascii() for n in needles):
            ids = _NEEDLES.register(set(needles))
            self._owners = {ids[n]: tuple(ranks) for n, ranks in needles.items()}
            self._ids = set(self._owners)
            self._strings = tuple((ids[n], n.removeprefix(AT_WORD)) for n in needles)
        # Every alternative needs one of the strings: no string in a text means no match, told at once.
        self._screened = self._ids is not None and not self._unguarded
        self._spaced = any(c.isspace() for n in needles for c in n.removeprefix(AT_WORD))
        self._misses: set[str] = set()  # recent texts ``search`` read in full and found nothing in
        # One alternative that starts with one of its strings (a condition's names, a cue): its
        # places are tried in order, without the bookkeeping that ranks several alternatives need.
        self._one = len(self._patterns) == 1 and not self._n_always and self._ids is not None

    @property
    def _always(self) -> re.Pattern[str] | None:
        """The alternation of the patterns without a starting string (None if there are none)."""
        compiled = self._alternations[0]
        return compiled if compiled is not None else self._compile_alternation(0)

    @property
    def _filtered(self) -> re.Pattern[str] | None:
        """The alternation of the patterns with a starting string (None if there are none)."""
        compiled = self._alternations[1]
        return compiled if compiled is not None else self._compile_alternation(1)

    def _compile_alternation(self, part: int) -> re.Pattern[str] | None:
        n = self._n_always
        patterns = self._patterns[:n] if part == 0 else self._patterns[n:]
        if len(patterns) == 1:  # "(?:p)" either way: one compiled pattern serves both
            compiled = self._alternations[part] = self._rank(0 if part == 0 else n)
        else:
            compiled = self._alternations[part] = _alternation(list(patterns))
        return compiled

    def _rank(self, rank: int) -> re.Pattern[str]:
        """One alternative alone, compiled on first use."""
        if (compiled := self._ranked[rank]) is None:
            compiled = self._ranked[rank] = _alternation([self._patterns[rank]])
        return compiled  # type: ignore[return-value]

    def _occurrences(self, text: str, alone: bool) -> dict[int, list[int]] | None:
        """Where this matcher's strings occur in ``text``: from the shared pass, or (``alone``, for
        a long text that few matchers read) found by this matcher itself, string by string."""
        if self._ids is None:
            return None
        if not alone:
            return _occurrences(text, _NEEDLES.generation)
        low = text.lower()
        if not _is_screenable_text(text, low):
            return None
        found: dict[int, list[int]] = {}
        for i, string in self._strings:
            places, at = [], low.find(string)
            while at >= 0:
                places.append(at)
                at = low.find(string, at + 1)
            if places:
                found[i] = places
        return found

    def _places(self, occurrences: dict[int, list[int]]) -> list[int]:
        """Where the one alternative (``_one``) can start, in order."""
        found = [occurrences[i] for i in occurrences.keys() & self._ids]  # type: ignore[operator]
        return found[0] if len(found) == 1 else sorted({at for places in found for at in places})

    def _cannot_match(self, occurrences: dict[int, list[int]] | None) -> bool:
        """The common case, answered before any other work: none of the strings is in the text."""
        return self._screened and occurrences is not None and occurrences.keys().isdisjoint(self._ids)  # type: ignore[arg-type]

    def _candidates(self, occurrences: dict[int, list[int]] | None) -> Candidates | None:
        """Rank -> the places that alternative can start (None: it needs a search from the start),
        for the alternatives that can match a text with these ``occurrences``; None when that
        cannot be told."""
        if self._ids is None or occurrences is None:
            return None
        candidates: Candidates = dict.fromkeys(self._unguarded)
        keys = occurrences.keys()
        if keys.isdisjoint(self._ids):  # most matchers, for most texts: loops over the smaller side, builds nothing
            return candidates
        for i in keys & self._ids:
            for rank in self._owners[i]:
                if rank < self._n_always:
                    candidates[rank] = None  # it contains the string somewhere, not at its start
                elif (known := candidates.get(rank)) is None:
                    candidates[rank] = occurrences[i]
                else:
                    candidates[rank] = sorted({*known, *occurrences[i]})
        return candidates

    def may_match(self, texts: Iterable[str], *, joined: bool = False) -> bool:
        """Can this matcher match one of ``texts`` (``joined``: the texts joined by spaces)? False
        only when none of its strings is in any of them (from their shared passes), which rules a
        match out: every alternative needs one of its strings, and a string without spaces that is
        in the joined texts is in one of them. A record's rule family is skipped whole this way."""
        if not self._screened or (joined and self._spaced):
            return True
        ids = self._ids
        for text in texts:
            occurrences = _occurrences(text, _NEEDLES.generation)
            if occurrences is None or not occurrences.keys().isdisjoint(ids):  # type: ignore[arg-type]
                return True
        return False

    def search(self, text: str, *, alone: bool = False) -> re.Match[str] | None:
        """The leftmost match, the earlier alternative on a tie: what the whole alternation finds.
        ``alone``: find this matcher's strings itself (a long text that few matchers read)."""
        if self._screened and not alone:  # the common case, in as few calls as can be
            occurrences = _occurrences(text, _NEEDLES.generation)
            if occurrences is not None and occurrences.keys().isdisjoint(self._ids):  # type: ignore[arg-type]
                return None
        else:
            occurrences = self._occurrences(text, alone)
            if self._cannot_match(occurrences):
                return None
        if self._one and occurrences is not None:
            pattern = self._rank(0)
            for at in self._places(occurrences):
                if m := pattern.match(text, at):
                    return m
            return self._remember(text, None)
        candidates = self._candidates(occurrences)
        if candidates is None:
            best = self._always.search(text) if self._n_always else None
            m = self._filtered.search(text) if len(self._patterns) > self._n_always else None  # type: ignore[union-attr]
            return self._remember(text, m if m and (best is None or m.start() < best.start()) else best)
        if not candidates:
            return None
        # An alternative can only beat the best match so far if it can start earlier, or at the
        # same place and earlier in the alternation.
        best, best_key = None, (len(text) + 1, 0)
        order = sorted((0 if at is None else at[0], rank) for rank, at in candidates.items())
        for first, rank in order:
            if (first, rank) > best_key:
                break
            pattern = self._rank(rank)
            if (places := candidates[rank]) is None:
                if (m := pattern.search(text)) and (m.start(), rank) < best_key:
                    best, best_key = m, (m.start(), rank)
                continue
            for at in places:
                if (at, rank) > best_key:
                    break
                if m := pattern.match(text, at):
                    best, best_key = m, (at, rank)
                    break
        return self._remember(text, best)

    def _remember(self, text: str, found: re.Match[str] | None) -> re.Match[str] | None:
        """Note a text ``search`` found nothing in: a rule that searches a record's sentences and
        then lists the matches in each (conditions: named at all, then where) reads it only once."""
        if found is None:
            if len(self._misses) >= _MISSES_KEPT:
                self._misses.clear()
            self._misses.add(text)
        return found

    def finditer(self, text: str, *, alone: bool = False) -> list[re.Match[str]]:
        """Every match, in order of their starts (the always-run and the filtered alternatives each
        give non-overlapping matches). ``alone`` as for ``search``."""
        if self._screened and not alone:  # as in ``search``
            occurrences = _occurrences(text, _NEEDLES.generation)
            if occurrences is not None and occurrences.keys().isdisjoint(self._ids):  # type: ignore[arg-type]
                return []
        else:
            occurrences = self._occurrences(text, alone)
            if self._cannot_match(occurrences):
                return []
        if text in self._misses:
            return []
        if self._one and occurrences is not None:
            pattern, found, end = self._rank(0), [], 0
            for at in self._places(occurrences):
                if at >= end and (m := pattern.match(text, at)):
                    found.append(m)
                    end = m.end()
            return found
        candidates = self._candidates(occurrences)
        if candidates == {}:
            return []
        found = []
        if self._n_always and (candidates is None or any(rank < self._n_always for rank in candidates)):
            found += self._always.finditer(text)  # type: ignore[union-attr]
        if len(self._patterns) > self._n_always:
            if candidates is None:
                found += self._filtered.finditer(text)  # type: ignore[union-attr]
            else:
                found += self._filtered_matches(text, candidates)
        return sorted(found, key=lambda m: m.start())

    def _filtered_matches(self, text: str, candidates: Candidates) -> list[re.Match[str]]:
        """What ``finditer`` of the filtered alternation finds: a match can only start where some
        alternative's starting string does, so only those places are tried, and at each only those
        alternatives, in order (the alternation's choice there), each by its own pattern: the big
        alternation is never compiled, which costs more than a load of a few thousand records reads.
        Its match is the alternative's, as ``search`` gives: same text and span, groups numbered
        within that alternative."""
        at_place: dict[int, list[int]] = {}
        for rank, ats in candidates.items():
            if rank >= self._n_always:
                for at in ats or ():
                    at_place.setdefault(at, []).append(rank)
        found, end = [], 0
        for at in sorted(at_place):
            if at < end:
                continue
            ranks = at_place[at]
            for rank in sorted(ranks) if len(ranks) > 1 else ranks:
                if m := self._rank(rank).match(text, at):
                    found.append(m)
                    end = m.end()  # never empty: every match starts with a string of at least one character
                    break
        return found

    def sub(self, repl: str, text: str) -> str:
        candidates = None if self._n_always else self._candidates(self._occurrences(text, alone=False))
        if candidates is not None:
            # Only the filtered alternation: replace what it finds where it can start.
            pieces, end = [], 0
            for m in self._filtered_matches(text, candidates):
                pieces += (text[end : m.start()], m.expand(repl))
                end = m.end()
            return "".join(pieces) + text[end:] if pieces else text
        if self._n_always:
            text = self._always.sub(repl, text)  # type: ignore[union-attr]
        return self._filtered.sub(repl, text) if len(self._patterns) > self._n_always else text  # type: ignore[union-attr]


class MatcherSet(_NeedleIndex):
    """Which of several matchers can match any of some texts: a rule family none of whose strings is
    in a record is skipped as a whole."""

    __slots__ = ()

    def __init__(self, matchers: list[Matcher] | tuple[Matcher, ...]) -> None:
        # strings not known, or an alternative with none: always live
        super().__init__([None if m._ids is None or m._unguarded else m._owners for m in matchers])


def _parse(pattern: str) -> Any:
    """``pattern`` parsed as the regex engine reads it (case-insensitive), or None if it is invalid."""
    try:
        return sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return None


def _required_literals(parsed: Any) -> set[str] | None:
    """Lower-case strings one of which every match of a pattern (``_parse``d) contains (the most
    selective run of literals anywhere in it), or None when there is no such run of three characters."""
    if parsed is None:
        return None
    items = list(parsed)
    best: tuple[tuple[int, int], set[str]] | None = None
    for i in range(len(items)):
        found = _prefixes(items[i:])
        if found and min(map(len, found)) >= 3:
            score = (min(map(len, found)), -len(found))
            if best is None or score > best[0]:
                best = (score, found)
    return best[1] if best else None


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def _starts_at_boundary(items: list) -> bool:
    """Does every match of a pattern (``_parse``d) start where "\\b" holds (it opens with one, in
    every branch)? False when that cannot be told, which only costs a few needless tries."""
    if not items:
        return False
    op, av = items[0]
    if op is sre_constants.AT:
        return av is sre_constants.AT_BOUNDARY
    if op is sre_constants.SUBPATTERN:
        return _starts_at_boundary(list(av[-1]))
    if op is sre_constants.BRANCH:
        return all(_starts_at_boundary(list(b)) for b in av[1])
    return False


def _literal_prefixes(parsed: Any) -> set[str] | None:
    """Lower-case literal strings one of which every match of a pattern (``_parse``d) starts with (None
    when some match could start otherwise: a wide character class, a repeat of unknown length...).
    Optional pieces and small classes branch ("i\\.?v" starts with "iv" or "i.v"; "\\d" with a digit)."""
    if parsed is None:
        return None
    found = _prefixes(list(parsed))
    return found if found and all(len(f) >= 2 or f.isdigit() for f in found) else None


_PREFIX_LEN = 8  # a longer prefix filters no better and multiplies the branches
_MAX_PREFIXES = 256
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


def _prefixes(items: list) -> set[str] | None:
    """Prefixes of ``items`` (a parsed pattern), following each branch into what comes after it."""
    literal = ""
    for i, (op, av) in enumerate(items):
        if len(literal) >= _PREFIX_LEN:
            break
        if op in _ZERO_WIDTH and not literal:
            continue
        if op is sre_constants.LITERAL:
            literal += chr(av).lower()
            continue
        after = items[i + 1 :]
        if op is sre_constants.SUBPATTERN:
            branches = [list(av[-1]) + after]
        elif op is sre_constants.BRANCH:
            branches = [list(a) + after for a in av[1]]
        elif op is sre_constants.IN and (chars := _class_chars(av)):
            branches = [[(sre_constants.LITERAL, ord(c)), *after] for c in chars]
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1:
            branches = [list(av[2])]  # what follows the first repetition is unknown
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[:2] == (0, 1):
            branches = [list(av[2]) + after, after]
        else:
            break
        rests = [_prefixes(b) for b in branches]
        if any(r is None for r in rests):
            break
        found = {(literal + r)[:_PREFIX_LEN] for r in set().union(*rests)}  # type: ignore[arg-type]
        return found if len(found) <= _MAX_PREFIXES else None
    return {literal} if literal else None


def _class_chars(items: list) -> str | None:
    """The characters of a small class ("[sz]", "\\d"), or None for a wide one."""
    chars = ""
    for op, av in items:
        if op is sre_constants.LITERAL:
            chars += chr(av).lower()
        elif op is sre_constants.CATEGORY and av is sre_constants.CATEGORY_DIGIT:
            chars += "0123456789"
        else:
            return None
    return "".join(dict.fromkeys(chars))


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

    def make(section: str, text: str, is_own: bool | None = None) -> Sentence:
        if is_own is None:
            is_own = own_cue.search(text) is not None
        if section == BACKGROUND and is_own:
            section = "objective"
        return _new_sentence(section, text, not other_cue.search(text) or _first_person_methods(text), is_own)

    out = [make("title", fold(article.title))] if article.title else []
    structured = any(s.label or s.category for s in article.abstract)
    if structured:
        for part in article.abstract:
            section = section_of(part.label, part.category)
            out += [make(section, s) for s in split_sentences(fold(part.text))]
    else:
        text = fold(" ".join(p.text for p in article.abstract))
        sentences = split_sentences(text)
        own = [own_cue.search(s) is not None for s in sentences]
        first_own = own.index(True) if True in own else 0
        out += [make(BACKGROUND if i < first_own else BODY, s, own[i]) for i, s in enumerate(sentences)]
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
