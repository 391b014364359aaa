"""assess stage: direction of trials and meta-analyses, evidence status per condition, and its history."""

from ivig_lit.assess.direction import DIRECTION_DESIGNS, classify_direction
from ivig_lit.assess.history import REASONS, Addition, Snapshot, StatusChange, assess_changes
from ivig_lit.assess.status import RULES, RULES_VERSION, ConditionStatus, Rule, compute_status

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
