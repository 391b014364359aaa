"""The relevance gate of bulk ingestion: a baseline file is mostly off-topic, so each parsed record
is checked against the registry's own PubMed queries (evaluated locally by ``ivig_lit.query``) before
anything is tagged or stored. A record passes when some condition's search would return it.

Exact evaluation (``Node.evaluate`` on a ``RecordIndex``) runs regular expressions over the whole
abstract for every term of a query; nearly all of that can be skipped. Every term of every query
is filed once, at compile time, under one *key* a matching record must hold: a word of the term
(its longest whole word), a MeSH name, or a word prefix. A record's words and MeSH names are read
once; the keys it holds pick its *candidate* terms (a few set intersections, not a test per term),
and every other term is false without a look. A candidate is decided as cheaply as is exact: a
MeSH name or a lone word by set membership, anything else (phrases, truncation, [ti], [majr], [pt],
dates) by ``Node.evaluate`` after its words are checked, so the answer is always the exact one and
the record's index is built only if some term needs it. Queries are flattened to n-ary AND/OR
that stop as soon as their answer is known (an OR at its first true candidate, cheapest first).

Before any of that, ``Gate.screen`` rules most off-topic records out from their raw XML, unparsed
(``ivig_lit.prefilter``): ``iter_articles(path, screen=gate.screen)`` yields those as ``SKIPPED``."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache, reduce

from ivig_lit.parse.models import Article
from ivig_lit.prefilter import RawFilter, derive_clauses
from ivig_lit.query import Node, RecordFields, normalize_text, parse_query, tokenize
from ivig_lit.query.mesh import descendants
from ivig_lit.query.pubmed import BoolOp, Term
from ivig_lit.query.record import RecordIndex
from ivig_lit.registry import Registry

_MESH_FIELDS = ("mh", "majr", "nm")
_TEXT_FIELDS = ("tiab", "ti", "ab", "tw", "all")
_WORD = re.compile(r"[^\W_]+")  # ``ivig_lit.query.tokenize``'s words, for ASCII text
# Cost classes, cheapest first: the order an OR tries its candidates in.
_BY_SET, _BY_WORDS, _BY_INDEX = 0, 1, 2


@lru_cache(maxsize=1 << 16)
def _mesh_name(name: str) -> str:
    """A MeSH name as queries compare it (the vocabulary is small, and recurs across records)."""
    return normalize_text(name)


class _Seen:
    """One record as the gate reads it: its words and MeSH names, the candidate terms they pick,
    each term's answer once decided, and the exact index, built on demand."""

    def __init__(self, article: Article, keys: _Keys) -> None:
        self.article = article
        text_words: set[str] = set()
        for text in (article.title, *(s.text for s in article.abstract), *article.keywords):
            # ASCII text tokenizes the same without Unicode folding, which is most of the cost.
            text_words.update(_WORD.findall(text.lower()) if text.isascii() else tokenize(text))
        self.text_words = text_words  # [tiab]: title, abstract and keywords
        self.mesh = {
            _mesh_name(m) for m in (*article.mesh_descriptors, *(c.name for c in article.supplementary_concepts))
        }
        self.words = text_words.union(*(m.split() for m in self.mesh))  # [tw] and [all] search MeSH too
        self.candidates = keys.candidates(self)
        self.answers: dict[int, bool] = {}

    def has_prefix(self, prefix: str) -> bool:
        """Some word starts with ``prefix`` (a binary search, not a scan)."""
        at = bisect_left(self._sorted_words, prefix)
        return at < len(self._sorted_words) and self._sorted_words[at].startswith(prefix)

    @cached_property
    def _sorted_words(self) -> list[str]:
        return sorted(self.words)

    @cached_property
    def index(self) -> RecordIndex:
        return RecordIndex(RecordFields.of_article(self.article))


@dataclass(frozen=True, slots=True)
class _TermTest:
    """One term: its key (``kind``: word, mesh, prefix or always) and its exact answer for a record."""

    kind: str
    keys: tuple[str, ...]
    cost: int
    holds: Callable[[_Seen], bool]


def _term_test(node: Term | Node) -> _TermTest:
    """The key of a term and a test exactly equal to ``bool(node.evaluate(index))``."""

    def exact(s: _Seen) -> bool:
        return bool(node.evaluate(s.index))

    if not isinstance(node, Term):
        return _TermTest("always", (), _BY_INDEX, exact)  # date ranges
    truncated = node.text.endswith("*")
    body = node.text.removesuffix("*")
    if node.field in _MESH_FIELDS:
        name = normalize_text(body)
        if truncated:
            return _TermTest("always", (), _BY_INDEX, exact)
        names = descendants(name) if node.explode and node.field != "nm" else frozenset({name})
        if node.field == "majr":  # major topics are not in the record's names: checked on the index
            return _TermTest("mesh", tuple(sorted(names)), _BY_INDEX, lambda s: bool(names & s.mesh) and exact(s))
        return _TermTest("mesh", tuple(sorted(names)), _BY_SET, lambda s: not names.isdisjoint(s.mesh))
    if node.field not in _TEXT_FIELDS:
        return _TermTest("always", (), _BY_INDEX, exact)  # pt, la, pmid
    words = tokenize(body)
    whole, last = (words[:-1], words[-1]) if truncated else (words, None)
    if not whole:  # one truncated word
        return _TermTest("prefix", (last,), _BY_INDEX, lambda s: s.has_prefix(last) and exact(s))
    key = max(whole, key=len)
    if last is None and len(whole) == 1 and node.field in ("tiab", "tw", "all"):
        # One whole word: in the text (or, for [tw]/[all], the MeSH words too) exactly when it is a token there.
        tokens = "text_words" if node.field == "tiab" else "words"
        return _TermTest("word", (key,), _BY_SET, lambda s: key in getattr(s, tokens))
    need = frozenset(whole)
    return _TermTest(
        "word",
        (key,),
        _BY_WORDS,
        lambda s: need <= s.words and (last is None or last in s.words or s.has_prefix(last)) and exact(s),
    )


class _Keys:
    """Every term of every query, filed under its key; ``candidates`` gives a record's terms."""

    def __init__(self, tests: list[_TermTest]) -> None:
        self.tests = tests
        self.by_word: dict[str, list[int]] = {}
        self.by_mesh: dict[str, list[int]] = {}
        self.prefixes: list[tuple[int, str]] = []
        self.always: list[int] = []
        for tid, t in enumerate(tests):
            if t.kind == "word":
                self.by_word.setdefault(t.keys[0], []).append(tid)
            elif t.kind == "mesh":
                for name in t.keys:
                    self.by_mesh.setdefault(name, []).append(tid)
            elif t.kind == "prefix":
                self.prefixes.append((tid, t.keys[0]))
            else:
                self.always.append(tid)

    def candidates(self, seen: _Seen) -> set[int]:
        """Terms whose key the record holds: every term that can be true for it."""
        by_word, by_mesh = self.by_word, self.by_mesh
        out = set(self.always)
        out.update(
            *(by_word[w] for w in by_word.keys() & seen.words), *(by_mesh[m] for m in by_mesh.keys() & seen.mesh)
        )
        out.update(tid for tid, prefix in self.prefixes if seen.has_prefix(prefix))
        return out


Test = Callable[[_Seen], bool]


class _Compiler:
    """Query trees to n-ary Boolean tests over the shared term list."""

    def __init__(self) -> None:
        self.tests: list[_TermTest] = []
        self._ids: dict[Node, int] = {}

    def term(self, node: Node) -> int:
        """The id of a term (one test per distinct term across all queries)."""
        if node not in self._ids:
            self._ids[node] = len(self.tests)
            self.tests.append(_term_test(node))
        return self._ids[node]

    def compile(self, node: Node) -> Test:
        """Exactly ``bool(node.evaluate(index))`` for one record."""
        if isinstance(node, BoolOp) and node.op == "NOT":
            left, right = self.compile(node.left), self.compile(node.right)
            return lambda s: left(s) and not right(s)
        if not isinstance(node, BoolOp):
            return self._any([self.term(node)], [])
        operands = _flatten(node, node.op)
        terms = [self.term(n) for n in operands if not isinstance(n, BoolOp)]
        subs = [self.compile(n) for n in operands if isinstance(n, BoolOp)]
        return self._any(terms, subs) if node.op == "OR" else self._all(terms, subs)

    def _any(self, terms: list[int], subs: list[Test]) -> Test:
        """OR: the candidate terms, cheapest first, then the sub-queries; the first true one decides."""
        mine = frozenset(terms)
        cost = {t: self.tests[t].cost for t in terms}
        tests = self.tests

        def test(s: _Seen) -> bool:
            hits = mine & s.candidates
            if hits:
                for t in sorted(hits, key=cost.__getitem__) if len(hits) > 1 else hits:
                    if _answer(s, t, tests):
                        return True
            return any(sub(s) for sub in subs)

        return test

    def _all(self, terms: list[int], subs: list[Test]) -> Test:
        """AND: every term must be a candidate, and true; then every sub-query."""
        mine = frozenset(terms)
        order = sorted(terms, key=lambda t: self.tests[t].cost)
        tests = self.tests
        return lambda s: mine <= s.candidates and all(_answer(s, t, tests) for t in order) and all(f(s) for f in subs)


def _answer(seen: _Seen, tid: int, tests: list[_TermTest]) -> bool:
    """A candidate term's exact answer, decided once per record (terms recur across queries)."""
    answers = seen.answers
    if tid not in answers:
        answers[tid] = tests[tid].holds(seen)
    return answers[tid]


def _flatten(node: Node, op: str) -> list[Node]:
    """The operands of a chain of one operator ((a OR b) OR c -> a, b, c)."""
    if isinstance(node, BoolOp) and node.op == op:
        return _flatten(node.left, op) + _flatten(node.right, op)
    return [node]


class Gate:
    """The registry's queries, compiled once per run. Every condition query is ``(condition) AND
    (IVIG block)``, so the IVIG block is evaluated first and once: most records stop there."""

    def __init__(self, registry: Registry) -> None:
        ivig = parse_query(registry.ivig_query)
        conditions = {c.id: parse_query(c.query) for c in registry.conditions}
        compiler = _Compiler()
        self._ivig = compiler.compile(ivig)
        self._conditions = {cid: compiler.compile(node) for cid, node in conditions.items()}
        self._keys = _Keys(compiler.tests)
        any_condition = reduce(lambda a, b: BoolOp("OR", a, b), conditions.values())
        clauses = derive_clauses(BoolOp("AND", ivig, any_condition))
        self.raw_filter = RawFilter(*clauses) if clauses else None

    @property
    def screen(self) -> Callable[[bytes], bool] | None:
        """For ``iter_articles``: False for a record's raw XML that no condition query can match
        (None when the queries give no sound needles, so every record is parsed)."""
        return self.raw_filter.may_match if self.raw_filter is not None else None

    def conditions_of(self, article: Article) -> frozenset[str]:
        """The conditions whose full query (``Registry.search_query``) would return ``article``."""
        seen = _Seen(article, self._keys)
        if not self._ivig(seen):
            return frozenset()
        return frozenset(cid for cid, matches in self._conditions.items() if matches(seen))

    def is_in_scope(self, article: Article) -> bool:
        """Would any tracked condition's PubMed search find this record?"""
        return bool(self.conditions_of(article))
