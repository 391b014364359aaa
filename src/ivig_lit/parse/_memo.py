"""Shared, bounded memo tables for the frozen values that repeat across records.

Dates, MeSH headings, publication types and chemicals recur in thousands of records; building each
once and sharing it is safe because every record type is frozen. A table that fills up is emptied, so
memory stays bounded whatever the input.
"""

from __future__ import annotations

from typing import TypeVar

MAX_ENTRIES = 50_000

_K = TypeVar("_K")
_V = TypeVar("_V")


def remember(table: dict[_K, _V], key: _K, value: _V) -> _V:
    """Store ``value`` under ``key`` and return it."""
    if len(table) >= MAX_ENTRIES:
        table.clear()
    table[key] = value
    return value
