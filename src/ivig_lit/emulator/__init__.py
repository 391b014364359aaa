"""A local PubMed E-utilities emulator and the deterministic demo-corpus generator.

``Emulator`` serves ESearch/EFetch over real HTTP from a ``Corpus`` of PubMed XML, replaying it as of
a settable ``today``, with scripted or random faults from its ``FaultPlan``.
"""

from ivig_lit.emulator.corpus import Corpus, Document
from ivig_lit.emulator.faults import Fault, FaultPlan
from ivig_lit.emulator.server import Emulator, RateLimit, RequestLog, serve_forever
from ivig_lit.query import QuerySyntaxError, parse_query

__all__ = [
    "Corpus",
    "Document",
    "Emulator",
    "Fault",
    "FaultPlan",
    "QuerySyntaxError",
    "RateLimit",
    "RequestLog",
    "parse_query",
    "serve_forever",
]
