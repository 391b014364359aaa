"""Condition matching, on sentences written for these tests."""

from __future__ import annotations

import pytest

from ivig_lit.tag import tag_article

CASES = [
    pytest.param("Immune globulin in Guillain–Barré syndrome", "", {"gbs"}, id="title-with-accent-and-en-dash"),
    pytest.param(
        "Treatment of acute neuropathy",
        "We treated 20 patients with GBS and areflexic weakness.",
        {"gbs"},
        id="ambiguous-gbs-with-context-words",
    ),
    pytest.param(
        "Immune globulin in neonatal sepsis",
        "Group B streptococci (GBS) cause neonatal sepsis. We gave 30 infants with GBS infection immune globulin.",
        set(),
        id="gbs-defined-as-group-b-streptococcus",
    ),
    pytest.param(
        "Dosing of a new drug",
        "Each patient received 500 MG daily; we measured serum levels in 40 volunteers.",
        set(),
        id="mg-without-myasthenia-context",
    ),
    pytest.param(
        "Auditory processing in psychosis",
        "Mismatch negativity (MMN) was reduced in 20 patients compared with controls.",
        set(),
        id="mmn-defined-as-mismatch-negativity",
    ),
    pytest.param(
        "Long-term treatment of MMN",
        "We followed 15 patients with multifocal motor neuropathy and conduction block.",
        {"mmn"},
        id="mmn-with-its-full-name",
    ),
    pytest.param(
        "Skin disease",
        "We reviewed 50 patients with type 2 DM and foot ulcers.",
        set(),
        id="dm-as-diabetes",
    ),
    pytest.param(
        "Small fibre neuropathy after infection",
        "The disease resembles Guillain-Barre syndrome. We studied 12 patients with small fibre neuropathy.",
        {"sensory_neuropathy"},
        id="differential-diagnosis-is-a-passing-mention",
    ),
    pytest.param(
        "Immune globulin in myositis",
        "We included 20 adults with dermatomyositis; patients with inclusion body myositis were excluded.",
        {"dermatomyositis"},
        id="exclusion-criterion-is-a-passing-mention",
    ),
    pytest.param(
        "The pharyngeal-cervical-brachial variant of Guillain-Barre syndrome",
        "",
        {"gbs_variant"},
        id="variant-of-gbs-is-the-variant",
    ),
    pytest.param(
        "Autoimmune neuropathies",
        [
            ("BACKGROUND", "Chronic inflammatory demyelinating polyneuropathy is common."),
            ("METHODS", "We studied sensory neuronopathy in 10 patients."),
        ],
        {"sensory_neuropathy"},
        id="background-mention-alone-does-not-count",
    ),
    pytest.param(
        "Immune globulin in Sjögren syndrome with sensory neuronopathy",
        "",
        {"sjogren", "sensory_neuropathy"},
        id="several-conditions",
    ),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), CASES)
def test_conditions_from_title_and_abstract(make, registry, title, abstract, expected):
    tags = tag_article(make(title, abstract), registry)
    tracked = set(tags.condition_ids) - set(registry.groups)
    assert tracked == expected, tags.conditions


def test_mesh_descriptor_matches_without_any_text(make, registry):
    tags = tag_article(make("A study", "", mesh=("Myasthenia Gravis",)), registry)
    assert [(m.condition_id, m.source, m.evidence) for m in tags.conditions] == [
        ("myasthenia_gravis", "mesh", "mh:Myasthenia Gravis")
    ]


def test_inflammatory_myopathy_group_is_derived_from_its_members(make, registry):
    tags = tag_article(make("Immune globulin in polymyositis and dermatomyositis", ""), registry)
    group = [m for m in tags.conditions if m.source == "group"]
    assert [(m.condition_id, m.evidence) for m in group] == [
        ("inflammatory_myopathy", "member:dermatomyositis,polymyositis")
    ]


def test_query_hit_is_confirmed_by_a_background_mention(make, registry):
    article = make(
        "Autoimmune neuropathies", [("BACKGROUND", "CIDP is common."), ("METHODS", "We studied 10 patients.")]
    )
    assert "cidp" not in tag_article(article, registry).condition_ids
    tags = tag_article(article, registry, frozenset({"cidp"}))
    assert [(m.source, m.evidence) for m in tags.conditions] == [("query", "query+text:background:cidp")]


def test_query_hit_alone_counts_only_when_nothing_can_contradict_it(make, registry):
    bare = make("A controlled study", "")
    assert tag_article(bare, registry, frozenset({"anti_mag"})).condition_ids == ("anti_mag",)
    with_abstract = make("A controlled study", "We studied 10 patients with CIDP.")
    assert "anti_mag" not in tag_article(with_abstract, registry, frozenset({"anti_mag"})).condition_ids
