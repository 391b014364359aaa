"""The relevance gate of bulk ingestion: a baseline file is mostly off-topic, so each parsed record
is checked against the registry's own PubMed queries (evaluated locally by ``ivig_lit.query``) before
anything is tagged or stored. A record passes when some condition's search would return it."""

from __future__ import annotations

from ivig_lit.parse.models import Article
from ivig_lit.query import RecordFields, parse_query
from ivig_lit.query.record import RecordIndex
from ivig_lit.registry import Registry


class Gate:
    """The registry's queries, compiled once per run. Every condition query is ``(condition) AND
    (IVIG block)``, so the IVIG block is evaluated first and once: most records stop there."""

    def __init__(self, registry: Registry) -> None:
        self._ivig = parse_query(registry.ivig_query)
        self._conditions = {c.id: parse_query(c.query) for c in registry.conditions}

    def conditions_of(self, article: Article) -> frozenset[str]:
        """The conditions whose full query (``Registry.search_query``) would return ``article``."""
        index = RecordIndex(RecordFields.of_article(article))
        if not self._ivig.evaluate(index):
            return frozenset()
        return frozenset(cid for cid, node in self._conditions.items() if node.evaluate(index))

    def is_in_scope(self, article: Article) -> bool:
        """Would any tracked condition's PubMed search find this record?"""
        return bool(self.conditions_of(article))
