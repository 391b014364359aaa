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
        "Second IVIG dose in GBS",
        "Patients with a poor prognosis on the modified Erasmus GBS Outcome Score (mEGOS) were randomised.",
        {"gbs"},
        id="ambiguous-gbs-with-its-prognostic-score",
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
        "Immune globulin in an acute neuropathy",
        "We randomised 80 adults. Immune globulin, like plasma exchange, hastened recovery in Guillain-Barre syndrome.",
        {"gbs"},
        id="a-treatment-compared-with-another-in-the-condition-is-about-the-condition",
    ),
    pytest.param(
        "Immune globulin in a chronic neuropathy",
        "We treated 30 adults with CIDP with immune globulin. Unlike in multifocal motor neuropathy, few responded.",
        {"cidp"},
        id="a-condition-compared-with-the-articles-own-is-a-passing-mention",
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
    pytest.param(
        "Neuropathy in microscopic polyangiitis treated with immune globulin",
        "",
        {"vasculitic_neuropathy"},
        id="microscopic-polyangiitis-neuropathy-is-vasculitic",
    ),
    pytest.param(
        "IVIG for residual neuropathy in EGPA",
        "We treated 8 patients with eosinophilic granulomatosis with polyangiitis and neuropathy.",
        {"vasculitic_neuropathy"},
        id="egpa-neuropathy-is-vasculitic",
    ),
    pytest.param(
        "Autoimmune autonomic ganglionopathy treated with IVIG",
        "A woman with orthostatic hypotension and ganglionic acetylcholine receptor antibodies improved.",
        set(),
        id="autonomic-ganglionopathy-is-not-sensory-neuropathy",
    ),
    pytest.param(
        "IgM paraproteinaemic neuropathy: immunotherapy",
        "",
        {"anti_mag"},
        id="igm-paraproteinaemic-neuropathy-is-anti-mag",
    ),
    pytest.param(
        "Intravenous immunoglobulin in idiopathic inflammatory myopathies",
        "We treated 12 adults with refractory disease.",
        {"dermatomyositis", "polymyositis"},
        id="idiopathic-inflammatory-myopathy-wording-files-the-group-members",
    ),
    pytest.param(
        "Intravenous immunoglobulin in idiopathic inflammatory myopathies",
        "We included patients with DM (n = 9) and immune-mediated necrotizing myopathy (n = 6).",
        {"dermatomyositis", "necrotizing_myopathy"},
        id="itemised-members-override-group-wording",
    ),
    pytest.param(
        "Safety of outpatient immune globulin infusions in neuromuscular diseases",
        "We reviewed adverse events in 300 patients with neuromuscular diseases receiving IVIG.",
        set(),
        id="neuromuscular-diseases-safety-study-names-no-condition",
    ),
]


EXCLUSION_CASES = [
    pytest.param("Patients with CIDP were included and patients with diabetes were excluded.", {"cidp"},
                 id="included-then-another-group-excluded"),
    pytest.param("After excluding 3 patients with diabetes, 40 patients with CIDP were enrolled.", {"cidp"},
                 id="an-exclusion-clause-before-the-population"),
    pytest.param("Of 60 patients with GBS, 12 were excluded because of missing data.", {"gbs"},
                 id="some-of-the-population-excluded"),
    pytest.param("We included patients with CIDP, and those with MMN were excluded.", {"cidp"},
                 id="only-the-phrase-next-to-excluded-is-excluded"),
    pytest.param("We studied 40 patients with neuropathy; patients with CIDP or MMN were excluded.", set(),
                 id="a-coordinated-exclusion"),
    pytest.param("We studied 40 patients with neuropathy; we excluded patients with diabetes, vasculitis, or CIDP.",
                 set(), id="an-excluded-list"),
    pytest.param("We studied 20 adults with myositis. Patients with dermatomyositis and prior use of steroids were "
                 "excluded.", set(), id="an-exclusion-with-a-second-criterion"),
    pytest.param("We excluded patients with diabetes, and 40 patients with CIDP were treated.", {"cidp"},
                 id="a-new-clause-after-the-exclusion"),
    pytest.param("We excluded 10 patients, leaving 40 with CIDP who were treated.", {"cidp"},
                 id="the-population-left-after-the-exclusion"),
    pytest.param("We studied 40 patients with neuropathy. Exclusion criteria were vasculitis or CIDP.", set(),
                 id="a-listed-exclusion-criterion"),
]  # fmt: skip


def test_a_study_of_first_line_treatment_counts_its_condition(make, registry):
    tags = tag_article(
        make("Immune globulin dosing", "We studied IVIG as first-line treatment for CIDP in 30."), registry
    )
    assert tags.condition_ids == ("cidp",), tags.conditions


def test_a_treatments_standing_indications_in_an_aside_are_passing_mentions(make, registry):
    abstract = "We treated 30 patients with small fibre neuropathy with IVIG, first-line for GBS and CIDP."
    tags = tag_article(make("Immune globulin dosing", abstract), registry)
    assert tags.condition_ids == ("sensory_neuropathy",), tags.conditions


@pytest.mark.parametrize(("abstract", "expected"), EXCLUSION_CASES)
def test_an_exclusion_removes_the_condition_it_names_and_no_other(make, registry, abstract, expected):
    tags = tag_article(make("Immune globulin in neuropathy", abstract), registry)
    assert set(tags.condition_ids) - set(registry.groups) == expected, tags.conditions


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
    tags = tag_article(article, registry, frozenset({"cidp"}))
    assert [(m.source, m.evidence) for m in tags.conditions] == [("query", "query+text:background:cidp")]


def test_a_background_mention_says_whom_a_study_naming_no_condition_is_about(make, registry):
    article = make(
        "Rituximab in autoimmune neuropathy",
        [("BACKGROUND", "CIDP is common."), ("METHODS", "We gave rituximab to 10 patients.")],
    )
    tags = tag_article(article, registry)
    assert [(m.condition_id, m.source, m.evidence, m.confidence) for m in tags.conditions] == [
        ("cidp", "text", "text:background:cidp", 0.5)
    ]


_GBS_BACKGROUND = (
    "BACKGROUND",
    "Guillain-Barre syndrome (GBS) is the commonest cause of acute flaccid paralysis and has several variants.",
)


@pytest.mark.parametrize(
    "variant",
    ["Miller Fisher syndrome", "acute motor axonal neuropathy", "pharyngeal-cervical-brachial variant",
     "acute pandysautonomia"],
)  # fmt: skip
def test_a_variant_in_the_title_keeps_background_mentions_of_gbs_from_confirming_a_gbs_tag(make, registry, variant):
    article = make(
        f"Intravenous immunoglobulin in {variant}",
        [_GBS_BACKGROUND, ("METHODS", f"We describe a 40-year-old man with {variant} treated with IVIG.")],
    )
    tags = tag_article(article, registry, frozenset({"gbs", "gbs_variant"}))
    assert set(tags.condition_ids) == {"gbs_variant"}, tags.conditions


def test_a_variant_study_that_also_enrols_gbs_keeps_both_tags(make, registry):
    article = make(
        "Intravenous immunoglobulin in Miller Fisher syndrome",
        [_GBS_BACKGROUND, ("METHODS", "We compared 20 patients with Miller Fisher syndrome and 40 with GBS.")],
    )
    tags = tag_article(article, registry, frozenset({"gbs", "gbs_variant"}))
    assert set(tags.condition_ids) == {"gbs", "gbs_variant"}, tags.conditions


def test_background_mentions_still_confirm_gbs_when_no_variant_is_the_subject(make, registry):
    article = make("Plasma exchange and IVIG in acute neuropathy", [_GBS_BACKGROUND, ("METHODS", "We treated 30.")])
    assert tag_article(article, registry, frozenset({"gbs"})).condition_ids == ("gbs",)


def test_query_hit_alone_counts_only_when_nothing_can_contradict_it(make, registry):
    bare = make("A controlled study", "")
    assert tag_article(bare, registry, frozenset({"anti_mag"})).condition_ids == ("anti_mag",)
    with_abstract = make("A controlled study", "We studied 10 patients with CIDP.")
    assert "anti_mag" not in tag_article(with_abstract, registry, frozenset({"anti_mag"})).condition_ids


@pytest.mark.parametrize(
    ("title", "abstract", "mesh", "low", "high"),
    [
        pytest.param("A study", "", ("Myasthenia Gravis",), 0.9, 1.0, id="mesh"),
        pytest.param("IVIG in myasthenia gravis", "", (), 0.85, 0.95, id="title"),
        pytest.param(
            "A study", "We treated 5 patients with myasthenia gravis.", (), 0.6, 0.8, id="single-body-mention"
        ),
        pytest.param(
            "A study", "We treated 5 patients with MG and thymectomy.", (), 0.4, 0.6, id="ambiguous-abbreviation"
        ),
    ],
)
def test_condition_confidence_follows_the_strength_of_the_evidence(make, registry, title, abstract, mesh, low, high):
    tags = tag_article(make(title, abstract, mesh=mesh), registry)
    confidence = max(m.confidence for m in tags.conditions if m.condition_id == "myasthenia_gravis")
    assert low <= confidence <= high, tags.conditions


def test_group_wording_is_less_certain_than_a_members_own_name(make, registry):
    worded = tag_article(make("IVIG in idiopathic inflammatory myopathy", ""), registry)
    named = tag_article(make("IVIG in polymyositis", ""), registry)
    confidence = {t: max(m.confidence for m in x.conditions if m.condition_id == "polymyositis") for t, x in
                  (("worded", worded), ("named", named))}  # fmt: skip
    assert confidence["worded"] < confidence["named"]


def test_a_group_is_as_certain_as_its_surest_member(make, registry):
    tags = tag_article(make("IVIG in dermatomyositis", "", mesh=("Polymyositis",)), registry)
    group = next(m for m in tags.conditions if m.source == "group")
    assert group.confidence == max(m.confidence for m in tags.conditions if m.source != "group")
