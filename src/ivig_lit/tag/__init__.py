"""Tag stage: study design, conditions and IVIG focus for one article, each with its evidence.

Tagging must work on the night a record appears (no MeSH, publication type "Journal Article"
only), so the title and abstract carry it; indexing, when it arrives, settles what it can.
"""

from __future__ import annotations

from typing import Any

# Bump whenever a rule, a rule file or the registry's matching changes: stored tags carry it, and
# re-tagging compares it.
TAGGER_VERSION = "2026.12.5"

__all__ = ["TAGGER_VERSION", "tag_article"]


def __getattr__(name: str) -> Any:
    """``tag_article`` loads the rules on first use, so a command that only reads the warehouse
    (``ivig-lit status``) never imports them."""
    if name == "tag_article":
        from ivig_lit.tag.tagger import tag_article

        return tag_article
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
