"""iter_articles on small invented files in tests/cases/parse: one behaviour per test."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import io
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from ivig_lit.errors import MalformedFileError, MalformedRecordError
from ivig_lit.parse import iter_articles, parse_article_xml
from ivig_lit.parse.models import (
    AbstractSection,
    Article,
    Author,
    Chemical,
    CommentCorrection,
    DeleteCitation,
    MeshHeading,
    MeshQualifier,
    PartialDate,
    PublicationType,
    RecordError,
    SupplementaryConcept,
)

CASES = Path(__file__).resolve().parents[1] / "cases" / "parse"


def parse(name: str) -> list[Article | DeleteCitation | RecordError]:
    return list(iter_articles(CASES / name))


def articles(name: str) -> dict[str, Article]:
    return {r.pmid: r for r in parse(name) if isinstance(r, Article)}


@pytest.fixture(scope="module")
def full_record() -> Article:
    (record,) = parse("full_record.xml")
    assert isinstance(record, Article)
    return record


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("pmid", "90000001"),
        ("version", 2),
        (
            "title",
            "Maintenance immunoglobulin in chronic inflammatory demyelinating polyneuropathy: a randomised trial.",
        ),
        ("abstract", (AbstractSection(None, None, "Patients received immunoglobulin every three weeks."),)),
        ("journal", "Journal of invented neuroimmunology"),
        ("journal_iso", "J Invent Neuroimmunol"),
        ("pub_date", PartialDate(2024, 3, 7, "2024 Mar 07")),
        ("article_date", dt.date(2024, 2, 20)),
        ("date_completed", dt.date(2024, 3, 15)),
        ("date_revised", dt.date(2024, 11, 2)),
        ("doi", "10.0000/elocation.only"),
        ("pmc", "PMC0000001"),
        ("languages", ("eng", "fre")),
        ("keywords", ("CIDP", "maintenance therapy")),
        ("citation_status", "MEDLINE"),
        ("publication_status", "ppublish"),
        ("is_book", False),
        (
            "publication_types",
            (PublicationType("Randomized Controlled Trial", "D016449"), PublicationType("Journal Article", "D016428")),
        ),
        (
            "chemicals",
            (
                Chemical("Immunoglobulins, Intravenous", "D016756", "0"),
                Chemical("Prednisone", "D011241", "9PHQ9Y1OLM"),
            ),
        ),
        ("supplementary_concepts", (SupplementaryConcept("Invented neuropathy, type 2", "C000001", "Disease"),)),
        (
            "comments_corrections",
            (CommentCorrection("CommentIn", "90000099", "J Invent Neuroimmunol. 2024;12(3):111."),),
        ),
        (
            "history",
            (
                ("received", dt.date(2023, 9, 1)),
                ("accepted", dt.date(2024, 1, 10)),
                ("pubmed", dt.date(2024, 2, 21)),
                ("medline", dt.date(2024, 3, 16)),
                ("entrez", dt.date(2024, 2, 20)),
            ),
        ),
    ],
)
def test_every_field_of_a_full_record_is_read(full_record: Article, field: str, expected: object) -> None:
    assert getattr(full_record, field) == expected


def test_authors_keep_names_collective_names_and_every_affiliation(full_record: Article) -> None:
    assert full_record.authors == (
        Author(
            "Nordqvist",
            "Astrid M",
            "AM",
            None,
            (
                "Department of Neurology, Invented University Hospital.",
                "Centre for Imaginary Neuromuscular Disease.",
            ),
        ),
        Author("Okafor", "Chidi", "C"),
        Author(collective_name="Invented CIDP Trial Group"),
    )


def test_mesh_headings_keep_descriptor_and_qualifier_ui_and_major_flags(full_record: Article) -> None:
    assert full_record.mesh == (
        MeshHeading(
            "Polyradiculoneuropathy, Chronic Inflammatory Demyelinating",
            "D020277",
            True,
            (MeshQualifier("drug therapy", "Q000188", False),),
        ),
        MeshHeading(
            "Immunoglobulins, Intravenous",
            "D016756",
            False,
            (
                MeshQualifier("administration & dosage", "Q000008", False),
                MeshQualifier("therapeutic use", "Q000627", True),
            ),
        ),
        MeshHeading("Humans", "D006801", False),
    )


def test_doi_of_a_cited_reference_is_never_taken_for_the_article(full_record: Article) -> None:
    assert full_record.doi != "10.0000/cited.reference"


def test_structured_abstract_keeps_labels_categories_and_order() -> None:
    (record,) = articles("structured_abstract.xml").values()
    assert [(s.label, s.category) for s in record.abstract] == [
        ("BACKGROUND", "BACKGROUND"),
        ("AIMS", "OBJECTIVE"),
        ("PATIENTS AND METHODS", "METHODS"),
        ("FINDINGS", "RESULTS"),
        ("INTERPRETATION", "CONCLUSIONS"),
        ("TRIAL REGISTRATION", "UNASSIGNED"),
    ]


def test_structured_abstract_text_collapses_whitespace_and_ignores_other_abstracts() -> None:
    (record,) = articles("structured_abstract.xml").values()
    assert record.abstract[2].text == "Sixty invented patients were randomised."
    assert "Résumé" not in record.abstract_text


@pytest.mark.parametrize(
    ("pmid", "expected"),
    [
        ("90000021", PartialDate(1998, 12, None, "1998 Dec-1999 Jan")),
        ("90000022", PartialDate(2001, None, None, "2001 Spring")),
        ("90000023", PartialDate(2000, None, None, "2000-2001")),
        ("90000024", PartialDate(2015, 10, None, "2015 Oct-Dec")),
        ("90000025", PartialDate(1999, 12, 12, "1999 Dec 12-15")),
        ("90000026", PartialDate(2001, None, None, "2001 Spring")),
        ("90000027", PartialDate(2019, 6, None, "2019 06")),
        ("90000028", PartialDate(2020, 2, None, "2020 Feb 30")),
        ("90000029", PartialDate(2021, 9, 9, "2021 September 9")),
        ("90000030", PartialDate(None, None, None, "20X1 Jan")),
    ],
)
def test_publication_dates_are_normalised_and_keep_their_raw_text(pmid: str, expected: PartialDate) -> None:
    assert articles("pub_dates.xml")[pmid].pub_date == expected


def test_a_bad_date_in_an_optional_field_becomes_none_without_failing_the_record() -> None:
    record = articles("pub_dates.xml")["90000030"]
    assert (record.article_date, record.date_completed) == (None, None)


def test_book_chapter_reads_chapter_title_book_as_journal_and_only_chapter_authors() -> None:
    chapter = articles("book_article.xml")["90000040"]
    assert (chapter.is_book, chapter.title, chapter.journal, chapter.authors) == (
        True,
        "Multifocal Motor Neuropathy",
        "InventedReviews®",
        (Author("Chapterwright", "Cas", "C"),),
    )


def test_book_chapter_reads_abstract_dates_history_and_types() -> None:
    chapter = articles("book_article.xml")["90000040"]
    assert chapter.abstract_text == (
        "CLINICAL CHARACTERISTICS: Asymmetric weakness without sensory loss. "
        "MANAGEMENT: Intravenous immunoglobulin is first-line treatment."
    )
    assert (chapter.pub_date, chapter.date_revised, chapter.entrez_date, chapter.publication_type_names) == (
        PartialDate(1993, None, None, "1993"),
        dt.date(2024, 5, 30),
        dt.date(2010, 4, 1),
        ("Review",),
    )


def test_whole_book_takes_the_book_title_and_its_doi() -> None:
    book = articles("book_article.xml")["90000041"]
    assert (book.title, book.doi, book.pub_date.month) == (
        "Handbook of Invented Immunotherapy",
        "10.0000/invented.book",
        7,
    )


def test_delete_citation_yields_the_withdrawn_pmids_after_the_records() -> None:
    records = parse("delete_citation.xml")
    assert [type(r) for r in records] == [Article, DeleteCitation]
    assert records[1] == DeleteCitation(("90000051", "90000052", "90000053"))


def test_in_process_record_has_no_mesh_and_its_status() -> None:
    record = articles("notices.xml")["90000060"]
    assert (record.citation_status, record.mesh, record.publication_status) == ("In-Process", (), "epublish")


@pytest.mark.parametrize(
    ("pmid", "retracted", "retraction_notice", "erratum_notice"),
    [
        ("90000061", True, False, False),
        ("90000062", False, True, False),
        ("90000063", False, False, True),
    ],
)
def test_retractions_and_errata_are_recognised_from_comments_corrections(
    pmid: str, retracted: bool, retraction_notice: bool, erratum_notice: bool
) -> None:
    record = articles("notices.xml")[pmid]
    assert (record.is_retracted, record.is_retraction_notice, record.is_erratum_notice) == (
        retracted,
        retraction_notice,
        erratum_notice,
    )


def test_retracted_record_links_its_notice_and_its_erratum() -> None:
    record = articles("notices.xml")["90000061"]
    assert [(c.ref_type, c.pmid) for c in record.comments_corrections] == [
        ("RetractionIn", "90000062"),
        ("ErratumIn", "90000063"),
    ]


def test_title_markup_is_dropped_but_all_its_text_kept() -> None:
    (record,) = articles("markup.xml").values()
    assert record.title == "Effect of IVIG on anti-MAG titres, IgM 109 and CD4+ cells with Kd < 5 & more"


def test_title_raw_keeps_the_inner_xml_as_published() -> None:
    (record,) = articles("markup.xml").values()
    assert record.title_raw.startswith("Effect of <i>IVIG</i> on <b>anti-MAG</b> titres, <u>IgM</u> 10<sup>9</sup>")
    assert "<mml:mi>K</mml:mi>" in record.title_raw
    assert record.title_raw.endswith("&lt; 5 &amp; more")


def test_abstract_markup_is_dropped_but_the_text_after_it_kept() -> None:
    (record,) = articles("markup.xml").values()
    assert record.abstract == (
        AbstractSection(
            "RESULTS",
            "RESULTS",
            "Titres fell in most patients (p < 0.05; n = 12; 106 cells; CO2; χ2 test) "
            "and the text after the markup is kept.",
        ),
    )


def test_non_english_title_stays_bracketed_and_the_vernacular_title_is_ignored() -> None:
    (record,) = articles("non_english.xml").values()
    assert (record.title, record.languages) == ("[Intravenous immunoglobulins in stiff-person syndrome].", ("ger",))


def test_medline_citation_set_yields_bare_citations_and_deletions() -> None:
    records = parse("medline_citation_set.xml")
    assert [getattr(r, "pmid", None) for r in records] == ["90000110", "90000111", None]
    assert records[2] == DeleteCitation(("90000112",))


def test_medline_citation_set_takes_the_doi_from_elocation_id() -> None:
    assert articles("medline_citation_set.xml")["90000110"].doi == "10.0000/old.layout"


def test_gzip_path_is_read_like_the_plain_file(tmp_path: Path) -> None:
    packed = tmp_path / "full_record.xml.gz"
    packed.write_bytes(gzip.compress((CASES / "full_record.xml").read_bytes()))
    assert list(iter_articles(packed)) == parse("full_record.xml")


@pytest.mark.parametrize("packed", [False, True], ids=["plain", "gzip"])
def test_bytes_input_is_read_like_the_file(packed: bool) -> None:
    data = (CASES / "notices.xml").read_bytes()
    assert list(iter_articles(gzip.compress(data) if packed else data)) == parse("notices.xml")


def test_binary_stream_input_is_read_like_the_file() -> None:
    stream = io.BytesIO((CASES / "notices.xml").read_bytes())
    assert list(iter_articles(stream)) == parse("notices.xml")


def test_truncated_file_yields_the_records_before_the_break_then_raises() -> None:
    stream = iter_articles(CASES / "truncated.xml")
    assert [next(stream).pmid, next(stream).pmid] == ["90000100", "90000101"]
    with pytest.raises(MalformedFileError, match=r"truncated\.xml.*line 12") as raised:
        next(stream)
    assert raised.value.fields == {"file": "truncated.xml", "line": 12}


def test_truncated_gzip_stream_raises_malformed_file_error() -> None:
    data = gzip.compress((CASES / "notices.xml").read_bytes())
    with pytest.raises(MalformedFileError, match="<bytes>"):
        list(iter_articles(data[: len(data) // 2]))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "breaks at line"),
        (b"Service unavailable, try again later", "breaks at line 1"),
        (b'{"error": "API rate limit exceeded"}', "breaks at line 1"),
        (b"<eSearchResult><Count>0</Count></eSearchResult>", "root element <eSearchResult>.*PubmedArticleSet"),
        (b"<Other><PubmedArticle><MedlineCitation/></PubmedArticle></Other>", "root element <Other>"),
    ],
    ids=["empty", "text", "json", "unknown-root", "unknown-root-with-records"],
)
def test_a_file_that_is_not_pubmed_xml_raises_malformed_file_error(data: bytes, message: str) -> None:
    with pytest.raises(MalformedFileError, match=message):
        list(iter_articles(data, source_name="reply"))


def test_a_record_without_pmid_is_reported_and_the_stream_goes_on() -> None:
    records = parse("missing_pmid.xml")
    assert [type(r) for r in records] == [Article, RecordError, Article]
    assert records[1] == RecordError(None, "record has no PMID", "missing_pmid.xml", 7)


def test_source_name_labels_record_errors() -> None:
    data = (CASES / "missing_pmid.xml").read_bytes()
    errors = [r for r in iter_articles(data, source_name="efetch") if isinstance(r, RecordError)]
    assert [e.source for e in errors] == ["efetch"]


def test_entities_are_never_expanded_so_no_local_file_or_url_is_read() -> None:
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY secret SYSTEM "file:///etc/hostname">'
        b'<!ENTITY inner "expanded">]><PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>90000130</PMID>'
        b"<Article><ArticleTitle>A &secret; B &inner; C</ArticleTitle></Article></MedlineCitation>"
        b"</PubmedArticle></PubmedArticleSet>"
    )
    (record,) = iter_articles(xml)
    assert record.title == "A &secret; B &inner; C"


def test_empty_article_set_yields_nothing() -> None:
    assert list(iter_articles(b"<PubmedArticleSet></PubmedArticleSet>")) == []


def test_parse_article_xml_reads_one_record() -> None:
    xml = b"<PubmedArticle><MedlineCitation Status='MEDLINE'><PMID Version='1'>90000120</PMID><Article>"
    xml += b"<ArticleTitle>One <i>record</i>.</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    record = parse_article_xml(xml)
    assert (record.pmid, record.title, record.title_raw) == ("90000120", "One record.", "One <i>record</i>.")


@pytest.mark.parametrize(
    "xml",
    [
        "<PubmedArticleSet/>",
        "<PubmedArticle><MedlineCitation><Article/></MedlineCitation></PubmedArticle>",
        "<PubmedArticle><MedlineCitation>",
    ],
    ids=["not-a-record", "no-pmid", "not-xml"],
)
def test_parse_article_xml_rejects_what_is_not_one_record(xml: str) -> None:
    with pytest.raises(MalformedRecordError):
        parse_article_xml(xml)


def test_content_hash_is_stable_across_two_parses() -> None:
    assert parse("full_record.xml")[0].content_hash() == parse("full_record.xml")[0].content_hash()


def test_content_hash_changes_when_a_mesh_heading_is_added() -> None:
    xml = (CASES / "full_record.xml").read_text()
    extra = '<MeshHeading><DescriptorName UI="D000368" MajorTopicYN="N">Aged</DescriptorName></MeshHeading>'
    revised = xml.replace("</MeshHeadingList>", extra + "</MeshHeadingList>").encode()
    (before,), (after,) = parse("full_record.xml"), list(iter_articles(revised))
    assert dataclasses.replace(after, mesh=before.mesh) == before
    assert after.content_hash() != before.content_hash()


TEMPLATE = (
    "<PubmedArticle><MedlineCitation Status='MEDLINE' Owner='NLM'><PMID Version='1'>{pmid}</PMID>"
    "<Article><Journal><JournalIssue><PubDate><Year>2020</Year><Month>Jan</Month></PubDate></JournalIssue>"
    "<Title>Invented Neurology</Title></Journal><ArticleTitle>Record {pmid} on <i>IVIG</i>.</ArticleTitle>"
    "<Abstract><AbstractText Label='RESULTS'>{filler}</AbstractText></Abstract>"
    "<AuthorList><Author><LastName>Doe</LastName><ForeName>Jan</ForeName><Initials>J</Initials></Author>"
    "</AuthorList><Language>eng</Language></Article></MedlineCitation>"
    "<PubmedData><History><PubMedPubDate PubStatus='entrez'><Year>2020</Year><Month>1</Month><Day>2</Day>"
    "</PubMedPubDate></History><PublicationStatus>ppublish</PublicationStatus></PubmedData></PubmedArticle>\n"
)


def write_big_file(path: Path, records: int) -> Path:
    """A generated PubmedArticleSet; ~0.5 kB per record, so 50,000 records make ~25 MB of XML."""
    filler = "Immunoglobulin was given to invented patients and nothing else happened. " * 3
    with path.open("w") as out:
        out.write("<?xml version='1.0'?>\n<PubmedArticleSet>\n")
        for pmid in range(10_000_000, 10_000_000 + records):
            out.write(TEMPLATE.format(pmid=pmid, filler=filler))
        out.write("</PubmedArticleSet>\n")
    return path


def test_streaming_keeps_python_memory_flat(tmp_path: Path) -> None:
    """tracemalloc sees Python objects only and slows parsing ~10x, so 5,000 records are enough here."""
    path = write_big_file(tmp_path / "big.xml", 5_000)
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_articles(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 5_000
    assert peak < 1_000_000  # bytes; holding every record would take over 10 MB


PEAK_RSS = (
    "import resource, sys\n"
    "from ivig_lit.parse import iter_articles\n"
    "count = sum(1 for _ in iter_articles(sys.argv[1]))\n"
    "print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
)


def peak_rss_kib(path: Path) -> tuple[int, int]:
    out = subprocess.run([sys.executable, "-c", PEAK_RSS, str(path)], capture_output=True, text=True, check=True)
    count, peak = out.stdout.split()
    return int(count), int(peak)


def test_streaming_clears_the_xml_tree_as_it_goes(tmp_path: Path) -> None:
    """libxml2's tree is invisible to tracemalloc, so compare whole-process peaks: 100 vs 50,000 records."""
    small_count, small_peak = peak_rss_kib(write_big_file(tmp_path / "small.xml", 100))
    big_count, big_peak = peak_rss_kib(write_big_file(tmp_path / "big.xml", 50_000))
    assert (small_count, big_count) == (100, 50_000)
    assert big_peak - small_peak < 20 * 1024  # KiB; an uncleared 25 MB file costs well over 100 MiB
