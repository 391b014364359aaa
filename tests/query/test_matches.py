"""One PubMed query against one parsed record: what a relevance gate for bulk ingestion asks."""

from __future__ import annotations

import datetime as dt

import pytest

from ivig_lit.parse.models import AbstractSection, Article, MeshHeading, PublicationType, SupplementaryConcept
from ivig_lit.query import QuerySyntaxError, RecordFields, matches, parse_query

ARTICLE = Article(
    pmid="42",
    title="Immune globulin in Miller Fisher syndrome",
    abstract=(AbstractSection("METHODS", "METHODS", "A randomized, controlled trial of IVIg in 20 adults."),),
    publication_types=(PublicationType("Journal Article"), PublicationType("Randomized Controlled Trial")),
    mesh=(MeshHeading("Miller Fisher Syndrome", major=True), MeshHeading("Immunoglobulins, Intravenous")),
    supplementary_concepts=(SupplementaryConcept("Anti-GQ1b antibody"),),
    languages=("eng",),
    history=(("entrez", dt.date(2024, 5, 2)), ("pubmed", dt.date(2024, 5, 2))),
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("randomized controlled trial[pt]", True),
        ('"randomized controlled trial"[pt]', True),
        ("controlled clinical trial[pt]", False),
        ("randomized controlled trial[ti]", False),
        ("randomized controlled[tiab]", True),
        ('"immunoglobulins"[mh]', True),
        ('"immunoglobulins"[mh:noexp]', False),
        ('"guillain-barre syndrome"[mh]', True),
        ('"guillain-barre syndrome"[mh:noexp]', False),
        ('"polyradiculoneuropathy"[mh]', True),
        ('"guillain-barre syndrome"[majr]', True),
        ('"immunoglobulins"[majr]', False),
        ('"anti-gq1b antibody"[nm]', True),
        ("ivig[tiab] AND fisher[ti]", True),
        ("ivig[ti]", False),
        ("english[la]", True),
        ("42[pmid]", True),
        ("2024/05/01:2024/05/31[crdt]", True),
        ("2023[edat]", False),
    ],
)
def test_a_query_matches_a_parsed_article_as_pubmed_would(query: str, expected: bool) -> None:
    assert matches(query, ARTICLE) is expected


def test_a_parsed_query_can_be_reused_across_records() -> None:
    node = parse_query("ivig[tiab]")
    assert matches(node, RecordFields(title="IVIg for CIDP")) and not matches(node, RecordFields(title="Rituximab"))


def test_a_query_outside_the_supported_syntax_is_an_error_not_a_miss() -> None:
    with pytest.raises(QuerySyntaxError, match=r"unsupported field tag \[au\]"):
        matches("smith[au]", ARTICLE)


def test_noexp_is_only_a_mesh_modifier() -> None:
    with pytest.raises(QuerySyntaxError, match="unsupported field tag"):
        parse_query("ivig[tiab:noexp]")
