"""A PubMed query parser and evaluator for the subset of syntax our registry queries use: the
emulator answers ESearch with it, and :func:`ivig_lit.query.matches` applies it to one parsed record.

Supported (anything else raises :class:`QuerySyntaxError`, so a query we cannot evaluate fails loudly
instead of silently matching the wrong records):

* Boolean ``AND`` / ``OR`` / ``NOT`` (case-insensitive) and parentheses. PubMed evaluates operators
  **left to right with no precedence** (``a OR b AND c`` is ``(a OR b) AND c``); so do we. Two terms
  side by side without an operator are AND-ed, as PubMed does.
* Terms: bare words (``IVIG``), hyphenated words (``guillain-barre`` is the phrase "guillain barre"),
  quoted phrases (``"multifocal motor neuropathy"``) and ``*`` truncation at the end of a word or of
  a quoted phrase (``neuropath*``, ``"intravenous immunoglobulin*"``). Unquoted words right before a
  field tag are one phrase, as in PubMed: ``randomized controlled trial[pt]`` is the publication
  type, not three words.
* Field tags (long names accepted too): ``[tiab]`` title + abstract + author keywords, ``[ti]``,
  ``[ab]``, ``[tw]`` (= ``[tiab]`` + MeSH words), ``[nm]`` (supplementary concept), ``[mh]`` (MeSH
  descriptor or supplementary concept, case-insensitive exact name, **exploded** down the MeSH
  tree as PubMed does by default: ``vasculitis[mh]`` finds "Polyarteritis Nodosa"; the tree is the subset shipped in
  ``query/mesh_tree.toml``), ``[mh:noexp]`` (no explosion), ``[majr]``/``[majr:noexp]`` (major topic),
  ``[pt]``, ``[la]`` (code or English name), ``[pmid]``/``[uid]``, and the date fields ``[crdt]``,
  ``[edat]``, ``[mdat]``, ``[dp]``/``[pdat]``.
* Dates: ``2020[dp]``, ``"2020/01/01"[crdt] : "2020/02/01"[crdt]`` and ``2020/01/01:2020/02/01[crdt]``
  (YYYY, YYYY/MM or YYYY/MM/DD; ranges inclusive; a partial end date means the end of that period).
* Untagged terms search title, abstract, keywords and MeSH words: a rough stand-in for PubMed's
  automatic term mapping, which we do not emulate.

Words match case- and accent-insensitively (sjögren == sjogren) on tokens split at every
non-alphanumeric character, so punctuation and hyphens are interchangeable with spaces.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Protocol

from ivig_lit.errors import IvigLitError, Permanent
from ivig_lit.query.mesh import descendants
from ivig_lit.query.text import normalize_text, tokenize

TEXT_FIELDS = {
    "tiab": "tiab", "title/abstract": "tiab",
    "ti": "ti", "title": "ti",
    "ab": "ab", "abstract": "ab",
    "tw": "tw", "text word": "tw", "textword": "tw",
    "all": "all", "all fields": "all",
}  # fmt: skip
MESH_FIELDS = {
    "mh": "mh", "mesh": "mh", "mesh terms": "mh", "majr": "majr", "mesh major topic": "majr",
    "nm": "nm", "supplementary concept": "nm",
}  # fmt: skip
NOEXP = ":noexp"  # suffix of a MeSH field tag that turns tree explosion off
OTHER_FIELDS = {
    "pt": "pt", "publication type": "pt",
    "la": "la", "language": "la",
    "pmid": "pmid", "uid": "pmid",
}  # fmt: skip
DATE_FIELDS = {
    "crdt": "crdt", "create date": "crdt",
    "edat": "edat", "entrez date": "edat", "entry date": "edat",
    "mdat": "mdat", "modification date": "mdat", "lr": "mdat",
    "dp": "pdat", "pdat": "pdat", "publication date": "pdat",
}  # fmt: skip


class QuerySyntaxError(IvigLitError, Permanent):
    """The term uses syntax outside the supported subset, or is malformed."""


class SearchIndex(Protocol):
    """What a query needs from a corpus; every method returns record (document) numbers."""

    def all_docs(self) -> set[int]: ...
    def text_docs(self, field: str, tokens: list[str], truncated: bool) -> set[int]: ...
    def mesh_docs(self, name: str, major: bool, truncated: bool) -> set[int]: ...
    def value_docs(self, field: str, value: str, truncated: bool) -> set[int]: ...
    def date_docs(self, field: str, start: dt.date, end: dt.date) -> set[int]: ...


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    field: str  # canonical field name: tiab, ti, ab, tw, all, mh, majr, nm, pt, la, pmid
    quoted: bool
    explode: bool = True  # MeSH fields only: include the descendants in the MeSH tree

    @property
    def label(self) -> str:
        """How NCBI echoes the term in translations and phrasesnotfound lists."""
        field = self.field + (NOEXP if self.field in ("mh", "majr") and not self.explode else "")
        return f'"{self.text}"[{field}]' if self.quoted else f"{self.text}[{field}]"

    def evaluate(self, index: SearchIndex) -> set[int]:
        truncated = self.text.endswith("*")
        body = self.text[:-1] if truncated else self.text
        if "*" in body:
            raise QuerySyntaxError(f"truncation '*' is only allowed at the end of a term: {self.text!r}")
        if self.field in ("mh", "majr", "nm"):
            major, name = self.field == "majr", normalize_text(body)
            if truncated or not self.explode or self.field == "nm":
                return index.mesh_docs(name, major, truncated)
            return set().union(*(index.mesh_docs(n, major, False) for n in descendants(name)))
        if self.field in ("pt", "la", "pmid"):
            return index.value_docs(self.field, normalize_text(body), truncated)
        return index.text_docs(self.field, tokenize(body), truncated)

    def leaves(self) -> list[Term]:
        return [self]


@dataclass(frozen=True, slots=True)
class DateRange:
    field: str  # crdt, edat, mdat, pdat
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%Y/%m/%d}:{self.end:%Y/%m/%d}[{self.field}]"

    def evaluate(self, index: SearchIndex) -> set[int]:
        return index.date_docs(self.field, self.start, self.end)

    def leaves(self) -> list[Term]:
        return []


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # AND, OR, NOT
    left: Node
    right: Node

    @property
    def label(self) -> str:
        return f"({self.left.label} {self.op} {self.right.label})"

    def evaluate(self, index: SearchIndex) -> set[int]:
        left = self.left.evaluate(index)
        right = self.right.evaluate(index)
        if self.op == "AND":
            return left & right
        if self.op == "OR":
            return left | right
        return left - right

    def leaves(self) -> list[Term]:
        return self.left.leaves() + self.right.leaves()


Node = Term | DateRange | BoolOp


def parse_date(text: str, *, end: bool) -> dt.date:
    """YYYY, YYYY/MM or YYYY/MM/DD (also '-' or '.' separated) as the first or last day it covers."""
    parts = re.split(r"[/.\-]", text.strip())
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise QuerySyntaxError(f"not a date (YYYY, YYYY/MM or YYYY/MM/DD): {text!r}")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else None
    day = int(parts[2]) if len(parts) > 2 else None
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            if not end:
                return dt.date(year, month, 1)
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(year, month, day)
    except ValueError:
        raise QuerySyntaxError(f"not a valid date: {text!r}") from None


# Tokens: parentheses, a lone ':', a quoted phrase or a bare word, each optionally followed by [field].
_LEX = re.compile(
    r"""\s*(?:
        (?P<paren>[()])
      | (?P<colon>:)
      | "(?P<quoted>[^"]*)"(?:\s*\[(?P<qfield>[^\]]*)\])?
      | (?P<word>[^\s()"\[\]:]+)(?:\s*\[(?P<wfield>[^\]]*)\])?
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # paren, colon, term, op
    text: str
    field: str | None = None
    quoted: bool = False


def _phrases_before_fields(tokens: list[_Token]) -> list[_Token]:
    """Unquoted untagged words right before an unquoted tagged word join it as one phrase
    (``randomized controlled trial[pt]``), as PubMed reads them."""
    out: list[_Token] = []
    for tok in tokens:
        if tok.kind == "term" and tok.field is not None and not tok.quoted:
            words = [tok.text]
            while out and out[-1].kind == "term" and out[-1].field is None and not out[-1].quoted:
                words.insert(0, out.pop().text)
            if len(words) > 1:
                tok = _Token("term", " ".join(words), tok.field, quoted=True)
        out.append(tok)
    return out


def _lex(term: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    term = term.rstrip()
    while pos < len(term):
        m = _LEX.match(term, pos)
        if m is None:  # only trailing whitespace is left
            break
        pos = m.end()
        if m["paren"]:
            tokens.append(_Token("paren", m["paren"]))
        elif m["colon"]:
            tokens.append(_Token("colon", ":"))
        elif m["quoted"] is not None:
            tokens.append(_Token("term", m["quoted"], m["qfield"], quoted=True))
        elif m["word"]:
            word = m["word"]
            if word.upper() in ("AND", "OR", "NOT") and m["wfield"] is None:
                tokens.append(_Token("op", word.upper()))
            else:
                tokens.append(_Token("term", word, m["wfield"]))
        else:
            raise QuerySyntaxError(f"unexpected character {m['bad']!r} at position {m.start('bad')}")
    return _phrases_before_fields(tokens)


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("query ends unexpectedly")
        self.pos += 1
        return tok

    def expression(self) -> Node:
        node = self.operand()
        while (tok := self.peek()) is not None and not (tok.kind == "paren" and tok.text == ")"):
            op = self.take().text if tok.kind == "op" else "AND"
            node = BoolOp(op, node, self.operand())
        return node

    def operand(self) -> Node:
        tok = self.take()
        if tok.kind == "paren" and tok.text == "(":
            if (nxt := self.peek()) is not None and nxt.kind == "paren" and nxt.text == ")":
                raise QuerySyntaxError("empty parentheses")
            node = self.expression()
            close = self.take()
            if close.text != ")":
                raise QuerySyntaxError("missing ')'")
            return node
        if tok.kind != "term":
            raise QuerySyntaxError(f"expected a term, found {tok.text!r}")
        if (nxt := self.peek()) is not None and nxt.kind == "colon":
            self.take()
            end = self.take()
            if end.kind != "term":
                raise QuerySyntaxError("a date range needs a date after ':'")
            return _date_range(tok, end)
        return _term(tok)


def _field_name(raw: str | None) -> str | None:
    return None if raw is None else " ".join(raw.strip().lower().split())


def _term(tok: _Token) -> Node:
    field = _field_name(tok.field) or "all"
    if field in DATE_FIELDS:
        return DateRange(DATE_FIELDS[field], parse_date(tok.text, end=False), parse_date(tok.text, end=True))
    explode = not field.endswith(NOEXP)
    mesh_field = MESH_FIELDS.get(field.removesuffix(NOEXP))
    canonical = TEXT_FIELDS.get(field) or OTHER_FIELDS.get(field) or mesh_field
    if canonical is None or (not explode and mesh_field is None):
        raise QuerySyntaxError(f"unsupported field tag [{tok.field}]")
    if not tokenize(tok.text.rstrip("*")):
        raise QuerySyntaxError(f"term has no searchable words: {tok.text!r}")
    return Term(tok.text.strip(), canonical, tok.quoted, explode)


def _date_range(start: _Token, end: _Token) -> DateRange:
    fields = {_field_name(t.field) for t in (start, end)} - {None}
    if len(fields) != 1 or (field := fields.pop()) not in DATE_FIELDS:
        raise QuerySyntaxError("a range 'a:b' needs one date field tag such as [crdt], [edat], [mdat] or [dp]")
    return DateRange(DATE_FIELDS[field], parse_date(start.text, end=False), parse_date(end.text, end=True))


def parse_query(term: str) -> Node:
    """Parse a PubMed term into a tree; raises QuerySyntaxError outside the supported subset."""
    tokens = _lex(term)
    if not tokens:
        raise QuerySyntaxError("empty term")
    parser = _Parser(tokens)
    node = parser.expression()
    if parser.peek() is not None:
        raise QuerySyntaxError("unbalanced ')'")
    return node


def evaluate(term: str, index: SearchIndex) -> set[int]:
    """Documents of ``index`` that match ``term`` (all versions; visibility is the caller's job)."""
    return parse_query(term).evaluate(index)
