"""assess stage: direction of trials and meta-analyses, evidence status per condition, and its history."""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> module; loaded on first use, so reading stored statuses (``ivig-lit digest``) does
# not import the direction rules, which pull in the parser's sentence splitter and the tagger's text
# matchers.
_EXPORTS = {
    "DIRECTION_DESIGNS": "ivig_lit.assess.direction",
    "classify_direction": "ivig_lit.assess.direction",
    "REASONS": "ivig_lit.assess.history",
    "Addition": "ivig_lit.assess.history",
    "Snapshot": "ivig_lit.assess.history",
    "StatusChange": "ivig_lit.assess.history",
    "assess_changes": "ivig_lit.assess.history",
    "RULES": "ivig_lit.assess.status",
    "RULES_VERSION": "ivig_lit.assess.status",
    "ConditionStatus": "ivig_lit.assess.status",
    "Rule": "ivig_lit.assess.status",
    "compute_status": "ivig_lit.assess.status",
}

__all__ = [
    "DIRECTION_DESIGNS",
    "REASONS",
    "RULES",
    "RULES_VERSION",
    "Addition",
    "ConditionStatus",
    "Rule",
    "Snapshot",
    "StatusChange",
    "assess_changes",
    "classify_direction",
    "compute_status",
]


def __getattr__(name: str) -> Any:
    if module := _EXPORTS.get(name):
        return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
