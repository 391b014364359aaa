"""NCT numbers from PubMed's DataBankList: read by the parser into ``Article.trial_ids`` and linked to
the trials they name, beside the NCT numbers an article's own text cites. The records are ours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import pytest

from ivig_lit.parse.models import Article
from ivig_lit.parse.pubmed_xml import parse_article_xml
from ivig_lit.store import trials as trial_store
from ivig_lit.store import warehouse as wh

NOW = dt.datetime(2026, 11, 12, 2)
ABSTRACT = "In this randomised trial, 118 adults with CIDP stable on IVIG continued IVIG or switched to placebo."


def record(pmid: str, *banks: tuple[str, tuple[str, ...]], abstract: str = ABSTRACT) -> str:
    """A minimal PubmedArticle whose DataBankList holds ``(bank name, accession numbers)`` pairs."""
    listed = "".join(
        f"<DataBank><DataBankName>{name}</DataBankName><AccessionNumberList>"
        + "".join(f"<AccessionNumber>{n}</AccessionNumber>" for n in numbers)
        + "</AccessionNumberList></DataBank>"
        for name, numbers in banks
    )
    databanks = f'<DataBankList CompleteYN="Y">{listed}</DataBankList>' if banks else ""
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE"><PMID Version="1">{pmid}</PMID><Article>'
        "<Journal><Title>Journal of Examples</Title></Journal>"
        "<ArticleTitle>IVIG maintenance in CIDP: a randomised withdrawal trial</ArticleTitle>"
        f"<Abstract><AbstractText>{abstract}</AbstractText></Abstract>{databanks}"
        "</Article></MedlineCitation></PubmedArticle>"
    )


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    con = wh.connect(":memory:")
    yield con
    con.close()


def link(con: duckdb.DuckDBPyConnection, *articles: Article) -> list[tuple]:
    wh.upsert_articles(con, list(articles), None, NOW)
    trial_store.link_articles(con)
    return con.execute("SELECT nct_id, pmid, source FROM trial_article_links ORDER BY ALL").fetchall()


def test_the_parser_reads_clinicaltrials_gov_accession_numbers_into_trial_ids() -> None:
    article = parse_article_xml(record("90000501", ("ClinicalTrials.gov", ("NCT09000101", "nct09000102"))))
    assert article.trial_ids == ("NCT09000101", "NCT09000102")


def test_accession_numbers_of_other_databanks_are_not_trial_ids() -> None:
    article = parse_article_xml(record("90000502", ("ISRCTN", ("ISRCTN12345678",)), ("GenBank", ("AB123456",))))
    assert article.trial_ids == ()


def test_a_record_without_a_databank_serialises_and_hashes_as_before() -> None:
    article = parse_article_xml(record("90000503"))
    assert "trial_ids" not in article.to_dict()
    assert Article.from_dict(article.to_dict()) == article


def test_trial_ids_survive_the_warehouse_round_trip() -> None:
    article = parse_article_xml(record("90000504", ("ClinicalTrials.gov", ("NCT09000101",))))
    assert Article.from_dict(article.to_dict()).trial_ids == ("NCT09000101",)


def test_a_trial_only_the_databank_list_names_is_linked_from_it(con: duckdb.DuckDBPyConnection) -> None:
    article = parse_article_xml(record("90000505", ("ClinicalTrials.gov", ("NCT09000101",))))
    assert "NCT09000101" not in article.title + article.abstract_text
    assert link(con, article) == [("NCT09000101", "90000505", "databank")]


def test_a_non_clinicaltrials_gov_databank_links_nothing(con: duckdb.DuckDBPyConnection) -> None:
    article = parse_article_xml(record("90000506", ("ISRCTN", ("NCT09000101",))))
    assert link(con, article) == []


def test_an_nct_number_in_the_abstract_links_as_text_even_when_the_databank_lists_it_too(
    con: duckdb.DuckDBPyConnection,
) -> None:
    cited = ABSTRACT + " ClinicalTrials.gov NCT09000101."
    both = parse_article_xml(record("90000507", ("ClinicalTrials.gov", ("NCT09000101",)), abstract=cited))
    text_only = parse_article_xml(record("90000508", abstract=cited))
    assert link(con, both, text_only) == [
        ("NCT09000101", "90000507", "text"),
        ("NCT09000101", "90000508", "text"),
    ]


def test_an_nct_number_elsewhere_in_the_record_is_not_a_link(con: duckdb.DuckDBPyConnection) -> None:
    article = Article(pmid="90000509", title="IVIG in CIDP", journal="NCT09000101 Letters")
    assert link(con, article) == []
