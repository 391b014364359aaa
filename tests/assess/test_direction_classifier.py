"""Direction classification on our own example sentences (never gold text)."""

from __future__ import annotations

import pytest

from ivig_lit.assess import classify_direction
from ivig_lit.parse.models import AbstractSection, Article


def structured(conclusion: str, title: str = "IVIG in a neuropathy", methods: str = "") -> Article:
    sections = (
        AbstractSection("METHODS", "METHODS", methods or "Patients were randomised to IVIG or placebo."),
        AbstractSection("RESULTS", "RESULTS", "Scores changed in both arms."),
        AbstractSection("CONCLUSIONS", "CONCLUSIONS", conclusion),
    )
    return Article(pmid="1", title=title, abstract=sections)


def unstructured(text: str, title: str = "Immunoglobulin for a neuropathy") -> Article:
    return Article(pmid="1", title=title, abstract=(AbstractSection(None, None, text),))


CONCLUSIONS = [
    ("IVIG was effective and well tolerated in this condition.", "favours_ivig"),
    ("Immunoglobulin improved grip strength compared with placebo.", "favours_ivig"),
    ("IVIg was superior to placebo on the primary end point.", "favours_ivig"),
    ("These findings support the use of IVIG as first-line treatment.", "favours_ivig"),
    ("IVIG did not show a benefit over placebo on disability.", "no_benefit"),
    ("IVIG is unlikely to produce meaningful improvements and is not recommended.", "no_benefit"),
    ("Treatment with IVIG failed to improve the primary outcome.", "no_benefit"),
    ("There was no significant difference between IVIG and placebo.", "no_benefit"),
    ("We found no evidence that immunoglobulin benefits patients with this neuropathy.", "no_benefit"),
    ("IVIG improved fatigue but did not reach the primary end point.", "no_benefit"),
    ("IVIG was not effective on the primary outcome, although grip strength improved in a subgroup.", "no_benefit"),
    ("Disability did not differ significantly between IVIG and placebo; pain scores improved with IVIG.", "no_benefit"),
    (
        "IVIG failed to show a benefit on the primary end point but reduced relapses in a post hoc analysis.",
        "no_benefit",
    ),
    ("IVIG improved strength but not in patients with long disease duration.", "inconclusive"),
    ("The effect of IVIG remains uncertain; larger trials are needed.", "inconclusive"),
    ("There was a trend towards better scores with immunoglobulin.", "inconclusive"),
    ("Patients with IVIG were followed for two years.", "unknown"),
]


@pytest.mark.parametrize(("conclusion", "expected"), CONCLUSIONS)
def test_direction_of_a_structured_conclusion(conclusion, expected):
    assert classify_direction(structured(conclusion), "rct").direction == expected


ACTIVE_COMPARATOR = "Patients were randomised to IVIG or plasma exchange."


@pytest.mark.parametrize(
    ("conclusion", "methods", "expected"),
    [
        ("IVIG was as effective as plasma exchange.", ACTIVE_COMPARATOR, "favours_ivig"),
        ("There was no significant difference between IVIG and plasma exchange.", ACTIVE_COMPARATOR, "favours_ivig"),
        ("No significant difference was found, with a tendency favouring plasma exchange.", ACTIVE_COMPARATOR,
         "inconclusive"),
        ("There was no significant difference between IVIG and placebo.", "Randomised, placebo-controlled.",
         "no_benefit"),
    ],
)  # fmt: skip
def test_no_difference_is_read_against_the_comparator(conclusion, methods, expected):
    assert classify_direction(structured(conclusion, methods=methods), "rct").direction == expected


def test_subcutaneous_versus_intravenous_comparison_is_inconclusive():
    article = structured("Subcutaneous immunoglobulin was as effective as IVIG.",
                         title="Subcutaneous versus intravenous immunoglobulin in a neuropathy",
                         methods="Patients received both routes in random order.")  # fmt: skip
    assert classify_direction(article, "rct").direction == "inconclusive"


def test_two_doses_compared_in_the_conclusions_is_inconclusive():
    article = structured("2 g/kg of IVIG was not superior to 1 g/kg.", methods="Two doses were compared.")
    assert classify_direction(article, "rct").direction == "inconclusive"


def test_unstructured_abstract_is_read_after_an_inline_conclusion_label():
    text = "Forty patients were randomised to IVIG or placebo. Conclusion: IVIG was not effective."
    direction = classify_direction(unstructured(text), "rct")
    assert (direction.direction, direction.evidence) == ("no_benefit", "conclusions:not effective")


def test_unstructured_abstract_without_a_label_is_read_from_its_closing_sentences():
    text = "IVIG was ineffective in an earlier pilot. We randomised sixty patients. IVIG improved walking."
    direction = classify_direction(unstructured(text), "rct")
    assert direction.direction == "favours_ivig"
    assert direction.evidence.startswith("closing:")


def test_we_conclude_starts_the_conclusions():
    text = "A placebo group did worse. We conclude that IVIG is a safe and effective treatment."
    assert classify_direction(unstructured(text), "rct").evidence == "conclusions:effective"


def test_article_without_an_abstract_is_unknown():
    direction = classify_direction(Article(pmid="1", title="IVIG in a neuropathy"), "rct")
    assert (direction.direction, direction.evidence) == ("unknown", "no_abstract")


def test_conclusions_about_another_drug_are_unknown():
    article = structured("Drug X improved strength.", title="Drug X in myasthenia gravis")
    assert classify_direction(article, "rct").direction == "unknown"


def test_sentences_about_a_combination_do_not_judge_ivig_alone():
    text = "IVIG was as effective as plasma exchange. The combination did not confer an added benefit."
    assert classify_direction(structured(text, methods=ACTIVE_COMPARATOR), "rct").direction == "favours_ivig"


def test_statistics_in_parentheses_are_not_read_as_findings():
    text = "IVIG improved disability (differences in secondary outcomes were not significant)."
    assert classify_direction(structured(text), "rct").direction == "favours_ivig"


@pytest.mark.parametrize("design", ["rct", "controlled_trial", "meta_analysis", "systematic_review"])
def test_trials_and_syntheses_get_a_direction(design):
    assert classify_direction(structured("IVIG was effective."), design) is not None


@pytest.mark.parametrize("design", ["cohort", "case_report", "review", "other"])
def test_other_designs_get_no_direction(design):
    assert classify_direction(structured("IVIG was effective."), design) is None


def test_a_cut_abstract_with_a_significant_gain_over_placebo_in_its_results_favours_ivig():
    article = unstructured(
        "Twenty patients were randomised to IVIG or placebo. Grip strength improved with IVIG compared with "
        "placebo (p = 0.01). Ten patients had headache. Nerve conduction was recorded at weeks"
    )
    assert classify_direction(article, "rct").direction == "favours_ivig"


def test_a_results_sentence_without_significance_does_not_decide_a_cut_abstract():
    article = unstructured(
        "Twenty patients were randomised to IVIG or placebo. Grip strength improved with IVIG compared with "
        "placebo. Ten patients had headache. Nerve conduction was recorded at weeks"
    )
    assert classify_direction(article, "rct").direction == "unknown"


def test_a_negated_results_sentence_does_not_favour_ivig():
    article = unstructured(
        "Twenty patients were randomised to IVIG or placebo. Grip strength did not improve significantly with "
        "IVIG compared with placebo (p = 0.01). Ten patients had headache. Nerve conduction was recorded at weeks"
    )
    assert classify_direction(article, "rct").direction != "favours_ivig"
