"""A raw pre-filter in front of the relevance gate: most records of a baseline file are off-topic,
and ruling one out from its raw XML costs a fraction of parsing it.

From a query's tree we derive *needles*, words a record must contain one of for the query to
match it: a term gives one (a phrase its longest word, a truncated word its prefix, an exploded
MeSH heading every descriptor of its sub-tree, a publication type its name), OR the union of its
children, AND the smaller of its children's sets, NOT its positive side. A term we cannot reason
about (a date, a language, a word with no ASCII letters) gives "no filter", and so does any OR
above it. Any word of a phrase would do, so a phrase whose longest word is common ("immune globulin
treatment") takes a word another phrase needs anyway ("globulin") instead of adding one.

A query whose top is an AND (every search is "(conditions) AND (IVIG block)") gives one needle set
per operand (``derive_clauses``), and a record must hold a needle of each: a common word that one
block needs (a review's "treatment") costs a parse only in records that hold a word of the other.

A record's raw XML is read as the gate reads text: lower-cased, every non-alphanumeric character a
word break (tags and attributes only add words), each non-ASCII character folded as
``ivig_lit.query.tokenize`` folds it. A needle is looked for as a whole word (a prefix needle as a
word start) with one Aho-Corasick pass. A record whose raw text may read differently once parsed
(inline markup such as "IV<i>Ig</i>", comments, CDATA, character references, bytes that are not
UTF-8) is kept for the gate to decide, so the pre-filter never drops one the gate would keep.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from ivig_lit.query.mesh import descendants
from ivig_lit.query.pubmed import BoolOp, Node, Term
from ivig_lit.query.text import normalize_text, tokenize

_MESH_FIELDS = ("mh", "majr", "nm")
_TEXT_FIELDS = ("tiab", "ti", "ab", "tw", "all")
# ASCII letters lower-cased, digits kept, every other ASCII byte a word break; bytes >= 0x80 kept
# for the fold (a run of them is always whole UTF-8 characters).
_WORD_BREAKS = bytes(
    c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 or c >= 128 else 32 for c in range(256)
)
# Where raw bytes and the parsed text part ways: inline markup (PubMed's b i u sup sub mml:* and
# DispFormula; "IV<i>Ig</i>" is one word to the gate), comments, CDATA, processing instructions and
# character references. Two patterns, each with a literal first byte, scan far faster than one.
_MARKUP = re.compile(rb"<(?:[a-z!?]|DispFormula)")
_CHARACTER_REFERENCE = re.compile(rb"&#")
_FOLD_ERRORS = "ivig-lit-fold"
# Elements whose text no query field reads (authors and affiliations, comments and corrections,
# PubmedData's history, ids and references): about half of a record's bytes, left unscanned.
_UNREAD = tuple(
    (b"<" + name, b"</" + name + b">") for name in (b"AuthorList", b"CommentsCorrectionsList", b"PubmedData")
)


@dataclass(frozen=True, slots=True, order=True)
class Needle:
    """One lower-case ASCII word a record must contain; ``prefix``: any word starting with it."""

    word: str
    prefix: bool = False

    @property
    def pattern(self) -> str:
        """How it is searched in the record's word-broken text: framed by word breaks."""
        return f" {self.word}" if self.prefix else f" {self.word} "

    def covers(self, other: Needle) -> bool:
        """Every word ``other`` finds, this finds too."""
        if self.prefix:
            return other.word.startswith(self.word)
        return not other.prefix and other.word == self.word


Needles = frozenset[Needle]
# One phrase's words, any of which a matching record contains; the preferred (longest) first.
Requirement = tuple[Needle, ...]


def derive_needles(node: Node) -> Needles | None:
    """Words a record must contain (one of them) to match ``node``; None when no such set is sound."""
    requirements = derive_requirements(node)
    return None if requirements is None else choose_needles(requirements)


def derive_clauses(node: Node) -> list[Needles]:
    """One needle set per operand of the top AND chain (NOT: its positive side): a matching record
    holds a needle of each. Operands that give no sound set are left out; an empty list is no filter."""
    if isinstance(node, BoolOp) and node.op in ("AND", "NOT"):
        left = derive_clauses(node.left)
        return left if node.op == "NOT" else left + derive_clauses(node.right)
    needles = derive_needles(node)
    return [needles] if needles else []


def derive_requirements(node: Node) -> frozenset[Requirement] | None:
    """The phrases a record must contain one of to match ``node``; None when there is no such set."""
    if isinstance(node, BoolOp):
        left = derive_requirements(node.left)
        if node.op == "NOT":
            return left  # a record in (A NOT B) is in A
        right = derive_requirements(node.right)
        if node.op == "OR":
            return None if left is None or right is None else left | right
        if left is None or right is None:
            return left if right is None else right
        return min(left, right, key=len)  # AND: the smaller set, the rarer hit
    if isinstance(node, Term):
        return _term_requirements(node)
    return None  # date ranges


def choose_needles(requirements: Iterable[Requirement]) -> Needles:
    """Each phrase's longest word; then a word is dropped (shortest first) when every phrase that
    chose it has another word some other phrase needs anyway, and covered words are dropped."""
    chosen = {options: options[0] for options in requirements}
    for needle in sorted(set(chosen.values()), key=lambda n: (len(n.word), n)):
        others = set(chosen.values()) - {needle}
        swaps = {}
        for options in (r for r, n in chosen.items() if n == needle):
            swaps[options] = next((k for o in options if (k := _first_cover(o, others))), None)
        if None not in swaps.values():
            chosen.update(swaps)
    kept = set(chosen.values())
    return frozenset(n for n in kept if not any(k != n and k.covers(n) for k in kept))


def _first_cover(needle: Needle, among: set[Needle]) -> Needle | None:
    """The least needle of ``among`` that covers ``needle``: only the word itself or a prefix of it
    can, so those few are looked up instead of testing every needle (the registry gives hundreds)."""
    word = needle.word
    covers = [Needle(word[:i], True) for i in range(1, len(word) + 1)]
    if not needle.prefix:
        covers.append(Needle(word))
    return min((k for k in covers if k in among), default=None)


def _term_requirements(term: Term) -> frozenset[Requirement] | None:
    truncated = term.text.endswith("*")
    body = term.text.removesuffix("*")
    if term.field in _MESH_FIELDS:
        name = normalize_text(body)
        if truncated or not term.explode or term.field == "nm":
            return _requirements([name], truncated)
        return _requirements(sorted(descendants(name)), False)
    if term.field == "pt" or term.field == "pmid":
        return _requirements([normalize_text(body)], truncated)
    if term.field in _TEXT_FIELDS:
        return _requirements([" ".join(tokenize(body))], truncated)
    return None  # languages: the query's name is not the record's code


def _requirements(phrases: list[str], truncated: bool) -> frozenset[Requirement] | None:
    out = set()
    for phrase in phrases:
        words = phrase.split()
        last = len(words) - 1
        options = [(len(w), i, Needle(w, truncated and i == last)) for i, w in enumerate(words) if w.isascii()]
        if not options:
            return None  # no ASCII word to look for
        out.add(tuple(needle for *_, needle in sorted(options, reverse=True)))
    return frozenset(out)


class RawFilter:
    """Decides from a record's raw XML bytes whether it may match; compiled once per run. Each
    argument is a clause, a set of needles: a record may match when it holds a needle of every clause."""

    def __init__(self, *clauses: Iterable[Needle]) -> None:
        self.clauses = tuple(frozenset(c) for c in clauses)
        if not self.clauses or not all(self.clauses):
            raise ValueError("a raw filter needs at least one needle in each clause")
        self.needles = frozenset().union(*self.clauses)
        masks: dict[str, int] = {}
        for bit, clause in enumerate(self.clauses):
            for needle in clause:
                masks[needle.pattern] = masks.get(needle.pattern, 0) | 1 << bit
        self._all = (1 << len(self.clauses)) - 1
        self._automaton = ahocorasick.Automaton()
        for pattern, mask in masks.items():
            self._automaton.add_word(pattern, mask)
        self._automaton.make_automaton()

    def may_match(self, record: bytes) -> bool:
        """False only when the record lacks every needle of some clause, as the gate reads its text."""
        if _MARKUP.search(record) or _CHARACTER_REFERENCE.search(record):
            return True
        text = _without_unread(record).translate(_WORD_BREAKS)
        if not text.isascii():
            try:
                text = text.decode("utf-8").encode("ascii", _FOLD_ERRORS)
            except UnicodeDecodeError:
                return True
        held, everything = 0, self._all
        for _, mask in self._automaton.iter(f" {text.decode('ascii')} "):
            held |= mask
            if held == everything:
                return True
        return False


def _without_unread(record: bytes) -> bytes:
    """The record less the first of each element no query reads (safe: no markup is left to fool us)."""
    for start_tag, end_tag in _UNREAD:
        start = record.find(start_tag)
        if start >= 0 and record[start + len(start_tag) : start + len(start_tag) + 1] in (b" ", b">"):
            end = record.find(end_tag, start)
            if end >= 0:
                record = record[:start] + record[end + len(end_tag) :]
    return record


def _fold_error(exc: UnicodeError) -> tuple[str, int]:
    """Replace a run of non-ASCII characters by its fold (an encode error handler: C speed elsewhere)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return _fold(exc.object[exc.start : exc.end]), exc.end


@lru_cache(maxsize=65_536)
def _fold(run: str) -> str:
    """What ``tokenize`` makes of each character, as word characters and word breaks: case-folded,
    decomposed, combining marks dropped; ASCII letters and digits kept, anything else a break."""
    out = []
    for char in run:
        for part in unicodedata.normalize("NFKD", char.casefold()):
            if unicodedata.combining(part):
                continue
            out.append(part.lower() if part.isascii() and part.isalnum() else " ")
    return "".join(out)


codecs.register_error(_FOLD_ERRORS, _fold_error)
