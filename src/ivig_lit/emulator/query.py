"""The emulator's query language is the shared :mod:`ivig_lit.query`; this name stays importable
for the corpus generator's tests."""

from ivig_lit.query.pubmed import QuerySyntaxError, evaluate, parse_query

__all__ = ["QuerySyntaxError", "evaluate", "parse_query"]
