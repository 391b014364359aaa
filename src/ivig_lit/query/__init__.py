"""PubMed's query language, evaluated locally: the emulator answers ESearch with it, and
``matches`` tells whether one parsed record satisfies a query (a relevance gate for bulk
ingestion). Field tags, Boolean order, phrases and MeSH explosion follow PubMed."""

from ivig_lit.query.pubmed import Node, QuerySyntaxError, SearchIndex, evaluate, parse_query
from ivig_lit.query.record import RecordFields, matches
from ivig_lit.query.text import normalize_text, tokenize

__all__ = [
    "Node",
    "QuerySyntaxError",
    "RecordFields",
    "SearchIndex",
    "evaluate",
    "matches",
    "normalize_text",
    "parse_query",
    "tokenize",
]
