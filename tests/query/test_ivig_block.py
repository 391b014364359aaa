"""The registry's IVIG block finds IVIG written as a treatment, however authors write it, and not
the immunoglobulin G of serology, passive-transfer or laboratory papers."""

from __future__ import annotations

import pytest

from ivig_lit.query import RecordFields, matches
from ivig_lit.registry import load_registry

IVIG_BLOCK = load_registry().ivig_query


@pytest.mark.parametrize(
    "sentence",
    [
        "Patients received high-dose immunoglobulin for five days.",
        "Human immune globulin 2 g/kg was infused over two days.",
        "Immune globulin intravenous (human) 10% was started.",
        "IgG administration was started on the second day.",
        "Monthly IgG infusions were continued for a year.",
        "Treatment with immunoglobulin was followed by recovery.",
        "A second course of immunoglobulin was given at week six.",
        "Ig therapy improved strength in refractory disease.",
        "High-dose intravenous IgG was compared with prednisolone.",
        "Weakness improved after gammaglobulin therapy.",
        "Patients were switched to Panzyga.",
        "IGIV 10% was well tolerated.",
        "IV Ig was given after plasma exchange.",
        "IVIGs were given in two courses.",
        "Intravenous immune serum globulin was infused monthly.",
        "Immunoglobulin intravenously was the first treatment.",
        "Pooled human immunoglobulin was the first treatment.",
        "Polyvalent immunoglobulin improved strength.",
        "Plasma-derived immunoglobulin products were compared.",
        "Kenketsu Venilon-I was the product used.",
        "Response to immunoglobulin predicted the outcome.",
    ],
)
def test_ivig_block_finds_ivig_written_as_a_treatment(sentence: str) -> None:
    assert matches(IVIG_BLOCK, RecordFields(title="A case", abstract=sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "Serum IgG levels were measured before and after surgery.",
        "Anti-GM1 IgG antibodies were found in 40% of patients.",
        "Purified IgG from a patient was injected into rats (passive transfer).",
        "Immunoglobulin G4-related disease involved the orbit.",
        "An IgM paraprotein and immunoglobulin G subclasses were quantified.",
        "Immunoglobulin deposits were seen on muscle biopsy.",
        "Polyclonal IgG rose after the infection.",
        "Immunoglobulin in serum was measured by nephelometry.",
    ],
)
def test_ivig_block_ignores_immunoglobulin_g_in_serology_and_laboratory_work(sentence: str) -> None:
    assert not matches(IVIG_BLOCK, RecordFields(title="A case", abstract=sentence))


def test_ivig_block_leaves_subcutaneous_immunoglobulin_alone_to_the_tagger_as_another_treatment() -> None:
    assert not matches(
        IVIG_BLOCK, RecordFields(title="A case", abstract="Subcutaneous immunoglobulin was self-infused weekly.")
    )


def test_ivig_block_finds_a_title_whose_subject_is_immunoglobulin() -> None:
    assert matches(
        IVIG_BLOCK, RecordFields(title="Immunoglobulin in multifocal motor neuropathy", abstract="A review.")
    )
