"""The PubMed query subset: parsing, Boolean order, fields, truncation, phrases and dates."""

from __future__ import annotations

import datetime as dt

import pytest

from ivig_lit.emulator import Corpus
from ivig_lit.query import QuerySyntaxError, parse_query
from ivig_lit.query.pubmed import BoolOp, DateRange, Term, evaluate
from ivig_lit.query.text import normalize_text
from ivig_lit.registry import load_registry

REGISTRY = load_registry()
XML = """<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">1</PMID>
<DateRevised><Year>2020</Year><Month>03</Month><Day>01</Day></DateRevised>
<Article><Journal><JournalIssue><PubDate><Year>2019</Year><Month>Dec</Month></PubDate></JournalIssue></Journal>
<ArticleTitle>Guillain-Barré syndrome after <i>IVIG</i> infusion.</ArticleTitle>
<Abstract><AbstractText>Intravenous immunoglobulins improved sensory neuropathies in Sjögren's syndrome.</AbstractText>
</Abstract><Language>eng</Language><PublicationTypeList><PublicationType UI="D002363">Case Reports</PublicationType>
</PublicationTypeList></Article>
<MeshHeadingList><MeshHeading><DescriptorName UI="D020275" MajorTopicYN="Y">Guillain-Barre Syndrome</DescriptorName>
</MeshHeading><MeshHeading><DescriptorName UI="D012859" MajorTopicYN="N">Sjogren's Syndrome</DescriptorName>
</MeshHeading></MeshHeadingList></MedlineCitation>
<PubmedData><History><PubMedPubDate PubStatus="entrez"><Year>2020</Year><Month>01</Month><Day>15</Day></PubMedPubDate>
<PubMedPubDate PubStatus="pubmed"><Year>2020</Year><Month>01</Month><Day>15</Day></PubMedPubDate></History></PubmedData>
</PubmedArticle>
<PubmedArticle><MedlineCitation Status="In-Process" Owner="NLM"><PMID Version="1">2</PMID>
<Article><Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue></Journal>
<ArticleTitle>Plasma exchange in myasthenia gravis.</ArticleTitle>
<Abstract><AbstractText>No immunoglobulin was given. Group B streptococcus (GBS) was excluded.</AbstractText></Abstract>
<Language>ger</Language></Article></MedlineCitation>
<PubmedData><History><PubMedPubDate PubStatus="entrez"><Year>1999</Year><Month>01</Month><Day>02</Day></PubMedPubDate>
<PubMedPubDate PubStatus="pubmed"><Year>2021</Year><Month>06</Month><Day>30</Day></PubMedPubDate></History></PubmedData>
</PubmedArticle>
</PubmedArticleSet>"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    path = tmp_path_factory.mktemp("tiny") / "tiny.xml"
    path.write_text(XML, encoding="utf-8")
    return Corpus.from_files([path])


def pmids(corpus: Corpus, term: str) -> set[str]:
    return {corpus.docs[d].pmid for d in evaluate(term, corpus)}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("guillain-barre[tiab]", {"1"}),
        ('"guillain barre"[tiab]', {"1"}),
        ("guillain-barr*[tiab]", {"1"}),
        ("GUILLAIN[ti]", {"1"}),
        ("sjogren*[tiab]", {"1"}),
        ("sjögren[tiab]", {"1"}),
        ('"intravenous immunoglobulin*"[tiab]', {"1"}),
        ('"intravenous immunoglobulin"[tiab]', set()),
        ("ivig[ti]", {"1"}),
        ("ivig[ab]", set()),
        ("neuropath*[ab]", {"1"}),
        ('"guillain-barre syndrome"[mh]', {"1"}),
        ('"sjogren\'s syndrome"[mh]', {"1"}),
        ('"sjogren\'s syndrome"[majr]', set()),
        ('"guillain-barre syndrome"[majr]', {"1"}),
        ("guillain*[mh]", {"1"}),
        ('"guillain barre"[mh:noexp]', set()),
        ('"polyradiculoneuropathy"[mh]', {"1"}),
        ('"polyradiculoneuropathy"[mh:noexp]', set()),
        ('"guillain-barre syndrome"[mh:noexp]', {"1"}),
        ("case reports[pt]", {"1"}),
        ("plasma exchange[ti]", {"2"}),
        ("exchange plasma[ti]", set()),
        ('"case reports"[pt]', {"1"}),
        ("ger[la]", {"2"}),
        ("german[la]", {"2"}),
        ("2[pmid]", {"2"}),
        ("2[uid]", {"2"}),
        ("myasthenia", {"2"}),
        ("syndrome", {"1"}),
        ("gbs", {"2"}),
    ],
)
def test_fields_phrases_and_truncation_match_as_pubmed_does(tiny: Corpus, term: str, expected: set[str]) -> None:
    assert pmids(tiny, term) == expected


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("ivig[ti] OR myasthenia[ti]", {"1", "2"}),
        ("ivig[ti] AND myasthenia[ti]", set()),
        ("syndrome NOT ivig[ti]", set()),
        ("myasthenia[ti] OR ivig[ti] AND plasma[ti]", {"2"}),
        ("myasthenia[ti] OR (ivig[ti] AND plasma[ti])", {"2"}),
        ("ivig[ti] OR (myasthenia[ti] AND plasma[ti])", {"1", "2"}),
        ("ivig[ti] or myasthenia[ti]", {"1", "2"}),
        ("plasma[ti] myasthenia[ti]", {"2"}),
    ],
)
def test_boolean_operators_apply_left_to_right(tiny: Corpus, term: str, expected: set[str]) -> None:
    assert pmids(tiny, term) == expected


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ('"2020/01/01"[crdt] : "2020/01/31"[crdt]', {"1"}),
        ("2020/01/16:2020/02/01[crdt]", set()),
        ("2021[crdt]", {"2"}),
        ("1999/01[edat]", {"2"}),
        ("2020/03/01[mdat]", {"1"}),
        ("2021[mdat]", {"2"}),
        ("1998[dp]", {"2"}),
        ("2019/12[pdat]", {"1"}),
        ("1990:2000[dp]", {"2"}),
    ],
)
def test_date_ranges_use_create_entrez_modification_and_publication_dates(
    tiny: Corpus, term: str, expected: set[str]
) -> None:
    assert pmids(tiny, term) == expected


def test_left_to_right_order_is_visible_in_the_parse_tree() -> None:
    tree = parse_query("a OR b AND c")
    assert isinstance(tree, BoolOp) and tree.op == "AND" and isinstance(tree.left, BoolOp)


def test_colon_range_without_a_date_field_is_rejected() -> None:
    with pytest.raises(QuerySyntaxError, match="date field"):
        parse_query("2020:2021[tiab]")


@pytest.mark.parametrize(
    "term",
    [
        "",
        "(ivig",
        "ivig)",
        "()",
        "ivig AND",
        "NOT ivig",
        "ivig[au]",
        "iv*ig",
        'ivig "unclosed',
        "x[dp]",
        "2020/13[dp]",
        "ivig[tiab",
    ],
)
def test_syntax_outside_the_subset_raises_query_syntax_error(term: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse_query(term).evaluate(Corpus())


def test_text_is_folded_for_case_accents_and_punctuation() -> None:
    assert normalize_text("Guillain-Barré  Syndrome's") == "guillain barre syndrome s"


@pytest.mark.parametrize("condition_id", REGISTRY.ids)
def test_every_registry_query_parses_and_finds_its_condition(condition_id: str, corpus: Corpus) -> None:
    hits = evaluate(REGISTRY.search_query(condition_id), corpus)
    assert hits, f"{condition_id} query found nothing"
    assert all(isinstance(n, Term | DateRange | BoolOp) for n in [parse_query(REGISTRY.get(condition_id).query)])


def test_ivig_query_excludes_off_topic_records(corpus: Corpus) -> None:
    hits = evaluate(REGISTRY.ivig_query, corpus)
    assert 0 < len(hits) < len(corpus) / 2


def test_visible_docs_hide_records_created_after_today(tiny: Corpus) -> None:
    assert {tiny.docs[d].pmid for d in tiny.visible_docs(dt.date(2020, 6, 1))} == {"1"}
