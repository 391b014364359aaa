"""Parse stage: PubMed XML -> frozen Article records."""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> module; loaded on first use, so importing ``ivig_lit.parse.models`` (as the
# warehouse does) does not import lxml.
_EXPORTS = {
    "iter_articles": "ivig_lit.parse.pubmed_xml",
    "parse_article_xml": "ivig_lit.parse.pubmed_xml",
    "parse_full_date": "ivig_lit.parse._dates",
    "parse_pub_date": "ivig_lit.parse._dates",
}

__all__ = ["iter_articles", "parse_article_xml", "parse_full_date", "parse_pub_date"]


def __getattr__(name: str) -> Any:
    if module := _EXPORTS.get(name):
        return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
