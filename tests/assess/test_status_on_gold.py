"""Evidence status over the real labelled dev set (../shared/gold, skipped when absent): the
conditions whose status matches the consensus grade today keep matching."""

from __future__ import annotations

import pytest

from ivig_lit.assess.evaluate import status_on_gold
from ivig_lit.registry import load_registry

MATCHING = ("mmn", "cidp", "gbs", "gbs_variant", "myasthenia_gravis", "stiff_person", "polymyositis",
            "inclusion_body_myositis", "necrotizing_myopathy", "anti_mag", "diabetic_amyotrophy",
            "sensory_neuropathy", "vasculitic_neuropathy", "sjogren")  # fmt: skip


@pytest.fixture(scope="module")
def statuses(gold_dev, tmp_path_factory):
    found = status_on_gold(gold_dev, tmp_path_factory.mktemp("gold-status"), load_registry())
    return {s.condition_id: s for s in found}


@pytest.mark.parametrize("condition_id", MATCHING)
def test_status_matches_the_consensus_grade(statuses, condition_id):
    s = statuses[condition_id]
    assert s.status == s.baseline.grade, f"{condition_id}: {s.status} ({s.rule_id}) vs consensus {s.baseline.grade}"


def test_inclusion_body_myositis_is_not_called_established(statuses):
    assert statuses["inclusion_body_myositis"].status != "established_efficacy"


def test_the_myopathy_group_is_not_averaged_into_mixed_and_shows_its_members(statuses):
    group = statuses["inflammatory_myopathy"]
    assert group.status != "mixed"
    assert [m for m, _ in group.member_statuses] == list(group.members)
