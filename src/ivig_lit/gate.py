"""The relevance gate of bulk ingestion: a baseline file is mostly off-topic, so each parsed record
is checked against the registry's own PubMed queries (evaluated locally by ``ivig_lit.query``) before
anything is tagged or stored. A record passes when some condition's search would return it.

Exact evaluation (``Node.evaluate`` on a ``RecordIndex``) runs regular expressions over the whole
abstract for every term of a query; nearly all can be skipped. Each term is compiled with a *screen*,
a test on the record's token set that is true whenever the term could match (every word of a phrase
present, a truncated word as a prefix; MeSH names checked exactly), and each query to a Boolean
test that stops as soon as its answer is known (OR at the first match, AND at the first miss). A
term is evaluated exactly only when its screen passes, so the answer is always the exact one, and
the record's index is built only if some term needs it.

Before any of that, ``Gate.screen`` rules most off-topic records out from their raw XML, unparsed
(``ivig_lit.prefilter``): ``iter_articles(path, screen=gate.screen)`` yields those as ``SKIPPED``."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from functools import cached_property, reduce

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
    """The words and MeSH names of one record, for screening; its exact index, built on demand."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.words = set()
        for text in (article.title, *(s.text for s in article.abstract), *article.keywords):
            # ASCII text tokenizes the same without Unicode folding, which is most of the cost.
            self.words.update(_WORD.findall(text.lower()) if text.isascii() else tokenize(text))
        self.mesh = {
            normalize_text(m) for m in (*article.mesh_descriptors, *(c.name for c in article.supplementary_concepts))
        }
        self.words.update(w for m in self.mesh for w in m.split())  # [tw] and [all] search MeSH too

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


Screen = Callable[[_Seen], bool]


def _matcher(node: Node) -> Screen:
    """Exactly ``bool(node.evaluate(index))`` for one record, each term screened before its regex."""
    if isinstance(node, BoolOp):
        left, right = _matcher(node.left), _matcher(node.right)
        if node.op == "AND":
            return lambda s: left(s) and right(s)
        if node.op == "OR":
            return lambda s: left(s) or right(s)
        return lambda s: left(s) and not right(s)
    if isinstance(node, Term):
        screen = _screen(node)
        return lambda s: screen(s) and bool(node.evaluate(s.index))
    return lambda s: bool(node.evaluate(s.index))


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
        words = tokenize(body)
        if not words:
            return lambda s: True
        if not truncated:
            every = frozenset(words)
            return lambda s: every <= s.words
        whole, last = frozenset(words[:-1]), words[-1]
        return lambda s: whole <= s.words and (last in s.words or s.has_prefix(last))
    return lambda s: True  # pt, la, pmid: left to the exact evaluation


class Gate:
    """The registry's queries, compiled once per run. Every condition query is ``(condition) AND
    (IVIG block)``, so the IVIG block is evaluated first and once: most records stop there."""

    def __init__(self, registry: Registry) -> None:
        ivig = parse_query(registry.ivig_query)
        conditions = {c.id: parse_query(c.query) for c in registry.conditions}
        self._ivig = _matcher(ivig)
        self._conditions = {cid: _matcher(node) for cid, node in conditions.items()}
        any_condition = reduce(lambda a, b: BoolOp("OR", a, b), conditions.values())
        needles = derive_needles(BoolOp("AND", ivig, any_condition))
        self.raw_filter = RawFilter(needles) if needles else None

    @property
    def screen(self) -> Callable[[bytes], bool] | None:
        """For ``iter_articles``: False for a record's raw XML that no condition query can match
        (None when the queries give no sound needles, so every record is parsed)."""
        return self.raw_filter.may_match if self.raw_filter is not None else None

    def conditions_of(self, article: Article) -> frozenset[str]:
        """The conditions whose full query (``Registry.search_query``) would return ``article``."""
        seen = _Seen(article)
        if not self._ivig(seen):
            return frozenset()
        return frozenset(cid for cid, matches in self._conditions.items() if matches(seen))

    def is_in_scope(self, article: Article) -> bool:
        """Would any tracked condition's PubMed search find this record?"""
        return bool(self.conditions_of(article))
