"""IVIG focus, comparator, participants and age group, on sentences written for these tests."""

from __future__ import annotations

import pytest

from ivig_lit.tag import tag_article
from ivig_lit.tag.intervention import parse_number

FOCUS_CASES = [
    pytest.param("Intravenous immunoglobulin in CIDP", "", True, "title:", id="ivig-in-title"),
    pytest.param(
        "Subcutaneous immunoglobulin in MMN",
        "Intravenous immunoglobulin (IVIg) is standard. We switched 20 patients receiving IVIg to SCIg.",
        False,
        "title names another treatment",
        id="scig-study-naming-ivig-in-background",
    ),
    pytest.param(
        "Rituximab for anti-MAG neuropathy",
        "IVIG has limited benefit. We treated 15 patients with rituximab.",
        False,
        "title names another treatment",
        id="rituximab-study",
    ),
    pytest.param(
        "Eculizumab in refractory myasthenia gravis",
        "Patients previously treated with IVIG were randomized to eculizumab or placebo.",
        False,
        "title names another treatment",
        id="eculizumab-study-with-prior-ivig",
    ),
    pytest.param(
        "Plasma exchange in myasthenia gravis",
        "We randomized 60 patients to plasma exchange versus IVIG.",
        True,
        "ivig arm",
        id="ivig-as-comparator-arm",
    ),
    pytest.param(
        "Plasma exchange in myasthenic crisis",
        "Plasma exchange was compared retrospectively with IVIG in 50 crises.",
        True,
        "ivig arm",
        id="ivig-as-a-retrospective-comparator",
    ),
    pytest.param(
        "Outcome of Guillain-Barre syndrome",
        "We followed 100 patients; 80 were treated with IVIG and 20 with supportive care.",
        True,
        "text:body:",
        id="treated-with-ivig-in-own-sentences",
    ),
    pytest.param(
        "Outcome of Guillain-Barre syndrome",
        [
            ("BACKGROUND", "IVIG is the standard treatment."),
            ("METHODS", "We measured nerve conduction in 30 patients."),
        ],
        False,
        "ivig only in background",
        id="ivig-only-in-background",
    ),
    pytest.param(
        "Subcutaneous versus intravenous immunoglobulin in CIDP",
        "",
        True,
        "title:",
        id="scig-versus-ivig",
    ),
]


@pytest.mark.parametrize(("title", "abstract", "expected", "evidence"), FOCUS_CASES)
def test_ivig_focus_with_evidence(make, registry, title, abstract, expected, evidence):
    tags = tag_article(make(title, abstract), registry)
    assert tags.ivig_focus is expected
    assert evidence in tags.ivig_evidence


COMPARATOR_CASES = [
    pytest.param("Patients were randomly assigned to IVIG or placebo.", "placebo", id="placebo"),
    pytest.param("We compared IVIG with plasma exchange in 50 patients.", "plasma_exchange", id="plasma-exchange"),
    pytest.param("This crossover trial compared oral prednisolone with IVIG.", "corticosteroids", id="steroids"),
    pytest.param("Patients were randomized to subcutaneous immunoglobulin or IVIG.", "scig", id="scig"),
    pytest.param("We compared IVIG with supportive care only.", "other", id="supportive-care"),
]


@pytest.mark.parametrize(("abstract", "expected"), COMPARATOR_CASES)
def test_comparator_is_read_from_comparison_sentences(make, registry, abstract, expected):
    assert tag_article(make("Intravenous immunoglobulin in neuropathy", abstract), registry).comparator == expected


PARTICIPANT_CASES = [
    pytest.param("Fifty-one patients with weakness were randomized.", 51, id="number-words"),
    pytest.param("One hundred seventy-three adult patients were enrolled.", 173, id="hundreds"),
    pytest.param("Twenty-four of the thirty-two randomized patients completed the study.", 32, id="of-ends-a-count"),
    pytest.param("Between 2015 and 2019, nineteen patients underwent treatment.", 19, id="a-year-is-not-a-count"),
    pytest.param("We enrolled 1,204 participants.", 1204, id="thousands-separator"),
]


@pytest.mark.parametrize(("abstract", "expected"), PARTICIPANT_CASES)
def test_number_of_participants(make, registry, abstract, expected):
    assert tag_article(make("IVIG in neuropathy", abstract), registry).n_participants == expected


AGE_CASES = [
    pytest.param("We treated 20 children with acute neuropathy.", "children", id="children"),
    pytest.param("We treated 20 adults with acute neuropathy.", "adults", id="adults"),
    pytest.param("We treated 20 patients aged 12 to 70 years.", "mixed", id="age-range-across-18"),
    pytest.param("We report a 6-year-old boy with weakness.", "children", id="stated-age"),
]


@pytest.mark.parametrize(("abstract", "expected"), AGE_CASES)
def test_age_group(make, registry, abstract, expected):
    assert tag_article(make("IVIG in neuropathy", abstract), registry).age_group == expected


@pytest.mark.parametrize(
    ("text", "value"), [("7", 7), ("twenty two", 22), ("ninety-nine", 99), ("two hundred", 200), ("many", None)]
)
def test_parse_number(text, value):
    assert parse_number(text) == value


NAME_CASES = [
    "Immune globulin in multifocal motor neuropathy",
    "Human immune globulin for chronic neuropathy",
    "Immune globulin IV in dermatomyositis",
    "IGIV in chronic inflammatory neuropathy",
    "Immunoglobulin infusions in stiff person syndrome",
    "High-dose immunoglobulin in Guillain-Barre syndrome",
    "Privigen in chronic neuropathy",
    "Gamunex-C maintenance in CIDP",
    "Octagam 10% in dermatomyositis",
    "Panzyga dosing in CIDP",
    "Kiovig in multifocal motor neuropathy",
    "Gammagard in myasthenia gravis",
    "Intravenous IgG in multifocal motor neuropathy",
    "High-dose intravenous IgG in dermatomyositis",
    "High-dose IgG in Guillain-Barre syndrome",
    "IV IgG in chronic inflammatory demyelinating polyneuropathy",
    "IVIgG in stiff person syndrome",
    "i.v. IgG in myasthenia gravis",
    "Human normal immunoglobulin in multifocal motor neuropathy",
    "High-dose human immunoglobulin in Guillain-Barre syndrome",
    "Immunoglobulin given intravenously in dermatomyositis",
    "Intravenous immunoglobin in chronic inflammatory demyelinating polyneuropathy",
    "Sandoglobuline in Guillain-Barre syndrome",
    "Intragam P in myasthenia gravis",
    "Immunoglobulin dosing in chronic inflammatory demyelinating polyneuropathy",
    "Two doses of 2 g/kg of immunoglobulin in Guillain-Barre syndrome",
]


@pytest.mark.parametrize("title", NAME_CASES)
def test_ivig_is_recognised_by_its_other_names_and_brands(make, registry, title):
    tags = tag_article(make(title, ""), registry)
    assert tags.ivig_focus, tags.ivig_evidence


@pytest.mark.parametrize(
    "title",
    [
        "Hepatitis B immune globulin after liver transplantation",
        "Immunoglobulin G4 antibodies in nodopathy",
        "Serum immunoglobulin levels in myositis",
        "IgG antibodies to ganglioside GM1 in multifocal motor neuropathy",
        "Serum IgG levels in myasthenia gravis",
        "Intravenous IgG antibodies from patients with myasthenia gravis",
        "Xembify in chronic inflammatory demyelinating polyneuropathy",
        "Normal human immunoglobulin levels in children with myositis",
    ],
)
def test_immunoglobulin_that_is_not_ivig_treatment_is_not_ivig(make, registry, title):
    tags = tag_article(make(title, ""), registry)
    assert not tags.ivig_focus, tags.ivig_evidence


@pytest.mark.parametrize(
    ("title", "abstract"),
    [
        (
            "Batoclimab in generalized myasthenia gravis: a randomized trial",
            "We randomized 80 patients to batoclimab or placebo. Rescue therapy with IVIG was permitted.",
        ),
        (
            "ABC-123 in chronic inflammatory demyelinating polyneuropathy",
            "Patients on stable IVIG were randomized to ABC-123 or placebo while IVIG was tapered.",
        ),
        (
            "A new neonatal Fc receptor blocker in myasthenia gravis",
            "Participants were randomly assigned to the drug or placebo; rescue treatment with intravenous "
            "immunoglobulin or plasma exchange was allowed.",
        ),
    ],
)
def test_a_drug_trial_with_ivig_only_as_background_or_rescue_is_not_ivig_focused(make, registry, title, abstract):
    tags = tag_article(make(title, abstract), registry)
    assert not tags.ivig_focus, tags.ivig_evidence


def test_a_review_of_treatment_in_general_weighs_ivig_with_low_confidence(make, registry):
    tags = tag_article(make("Treatment of inclusion body myositis: a review", "Many agents have been tried."), registry)
    assert tags.ivig_focus
    assert "ivig: weak signal" in tags.review_reasons


def test_ivig_named_in_the_title_is_focus_with_high_confidence(make, registry):
    tags = tag_article(make("Intravenous immunoglobulin in CIDP", "We treated 30 patients."), registry)
    assert tags.ivig_confidence >= 0.9


def test_a_trial_whose_aim_names_another_drug_is_not_ivig_focused_even_with_ivig_as_rescue(make, registry):
    abstract = [
        ("OBJECTIVE", "To assess the efficacy of efgartigimod in generalized myasthenia gravis."),
        ("METHODS", "Eighty patients were followed for a year; IVIG was used as rescue in six."),
    ]
    tags = tag_article(make("Long-term outcomes in generalized myasthenia gravis", abstract), registry)
    assert not tags.ivig_focus, tags.ivig_evidence
