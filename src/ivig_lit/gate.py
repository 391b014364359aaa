"""The relevance gate of bulk ingestion: a baseline file is mostly off-topic, so each parsed record
is checked against the registry's own PubMed queries (evaluated locally by ``ivig_lit.query``) before
anything is tagged or stored. A record passes when some condition's search would return it.

Exact evaluation (``Node.evaluate`` on a ``RecordIndex``) runs regular expressions over the whole
abstract for every term; most records are ruled out far more cheaply. Each query is also compiled
to a *screen*: a test on the record's token set that is true whenever the query could match (every
word of a phrase present; MeSH checked exactly; NOT ignores its right side). Only records that pass
the screen are evaluated exactly, so the answer is always the exact one.

Before any of that, ``Gate.screen`` rules most off-topic records out from their raw XML, unparsed
(``ivig_lit.prefilter``): ``iter_articles(path, screen=gate.screen)`` yields those as ``SKIPPED``."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import reduce

from ivig_lit.parse.models import Article
from ivig_lit.prefilter import RawFilter, derive_needles
from ivig_lit.query import Node, RecordFields, normalize_text, parse_query, tokenize
from ivig_lit.query.mesh import descendants
from ivig_lit.query.pubmed import BoolOp, Term
from ivig_lit.query.record import RecordIndex
from ivig_lit.registry import Registry

_MESH_FIELDS = ("mh", "majr", "nm")
_TEXT_FIELDS = ("tiab", "ti", "ab", "tw", "all")
_WORD = re.compile(r"[^\W_]+")  # ``ivig_lit.query.tokenize``'s words, for ASCII text


class _Seen:
    """The words and MeSH names of one record, for screening."""

    def __init__(self, article: Article) -> None:
        self.words = set()
        for text in (article.title, *(s.text for s in article.abstract), *article.keywords):
            # ASCII text tokenizes the same without Unicode folding, which is most of the cost.
            self.words.update(_WORD.findall(text.lower()) if text.isascii() else tokenize(text))
        self.mesh = {
            normalize_text(m) for m in (*article.mesh_descriptors, *(c.name for c in article.supplementary_concepts))
        }
        self.words.update(w for m in self.mesh for w in m.split())  # [tw] and [all] search MeSH too

    def has_phrase(self, words: tuple[str, ...], truncated: bool) -> bool:
        *whole, last = words
        if not all(w in self.words for w in whole):
            return False
        return last in self.words or (truncated and any(w.startswith(last) for w in self.words))


Screen = Callable[[_Seen], bool]


def _screen(node: Node) -> Screen:
    """A test that is true for every record ``node`` matches (and for few others)."""
    if isinstance(node, BoolOp):
        left, right = _screen(node.left), _screen(node.right)
        if node.op == "AND":
            return lambda s: left(s) and right(s)
        if node.op == "OR":
            return lambda s: left(s) or right(s)
        return left  # NOT: a record in (A NOT B) is in A
    if not isinstance(node, Term):
        return lambda s: True  # date ranges: not worth screening
    truncated = node.text.endswith("*")
    body = node.text.removesuffix("*")
    if node.field in _MESH_FIELDS:
        name = normalize_text(body)
        if truncated:
            return lambda s: any(m.startswith(name) for m in s.mesh)
        names = descendants(name) if node.explode and node.field != "nm" else frozenset({name})
        return lambda s: not names.isdisjoint(s.mesh)
    if node.field in _TEXT_FIELDS:
        words = tuple(tokenize(body))
        return (lambda s: s.has_phrase(words, truncated)) if words else (lambda s: True)
    return lambda s: True  # pt, la, pmid: left to the exact evaluation


class Gate:
    """The registry's queries, compiled once per run. Every condition query is ``(condition) AND
    (IVIG block)``, so the IVIG block is evaluated first and once: most records stop there."""

    def __init__(self, registry: Registry) -> None:
        self._ivig = parse_query(registry.ivig_query)
        self._ivig_screen = _screen(self._ivig)
        self._conditions = {c.id: (node := parse_query(c.query), _screen(node)) for c in registry.conditions}
        any_condition = reduce(lambda a, b: BoolOp("OR", a, b), (node for node, _ in self._conditions.values()))
        needles = derive_needles(BoolOp("AND", self._ivig, any_condition))
        self.raw_filter = RawFilter(needles) if needles else None

    @property
    def screen(self) -> Callable[[bytes], bool] | None:
        """For ``iter_articles``: False for a record's raw XML that no condition query can match
        (None when the queries give no sound needles, so every record is parsed)."""
        return self.raw_filter.may_match if self.raw_filter is not None else None

    def conditions_of(self, article: Article) -> frozenset[str]:
        """The conditions whose full query (``Registry.search_query``) would return ``article``."""
        seen = _Seen(article)
        if not self._ivig_screen(seen):
            return frozenset()
        candidates = [(cid, node) for cid, (node, screen) in self._conditions.items() if screen(seen)]
        if not candidates:
            return frozenset()
        index = RecordIndex(RecordFields.of_article(article))
        if not self._ivig.evaluate(index):
            return frozenset()
        return frozenset(cid for cid, node in candidates if node.evaluate(index))

    def is_in_scope(self, article: Article) -> bool:
        """Would any tracked condition's PubMed search find this record?"""
        return bool(self.conditions_of(article))
