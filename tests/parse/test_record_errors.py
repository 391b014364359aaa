"""Parse-level errors name the record's PMID, the reason and the line; the stream goes on after a bad record."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from ivig_lit.errors import MalformedFileError, MalformedRecordError
from ivig_lit.parse import iter_articles, parse_article_xml
from ivig_lit.parse.models import Article, DeleteCitation, RecordError

CASES = Path(__file__).resolve().parents[1] / "cases" / "parse"


def article_set(*pmids: str) -> bytes:
    """A PubmedArticleSet with one small record per PMID text, each on its own line (line 2, 3, ...)."""
    records = "".join(
        f"<PubmedArticle><MedlineCitation Status='MEDLINE'><PMID Version='1'>{pmid}</PMID><Article>"
        f"<ArticleTitle>Record {n}.</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
        for n, pmid in enumerate(pmids)
    )
    return f"<PubmedArticleSet>\n{records}</PubmedArticleSet>\n".encode()


@pytest.mark.parametrize("pmid", ["abc", "PMC1234567", "12a", "0", "١٢٣", "-5"])
def test_a_record_whose_pmid_is_not_a_number_is_quarantined_with_the_reason_and_line(pmid: str) -> None:
    records = list(iter_articles(article_set("90000001", pmid, "90000003"), source_name="efetch"))
    assert [type(r) for r in records] == [Article, RecordError, Article]
    assert records[1] == RecordError(pmid, f"PMID {pmid!r} is not a positive whole number", "efetch", 3)


def test_a_record_whose_pmid_is_empty_is_quarantined_as_having_no_pmid() -> None:
    records = list(iter_articles(article_set("90000001", "  "), source_name="efetch"))
    assert records[1] == RecordError(None, "record has no PMID", "efetch", 3)


def test_a_book_whose_pmid_is_not_a_number_is_quarantined() -> None:
    xml = (
        b"<PubmedBookArticleSet>\n<PubmedBookArticle><BookDocument><PMID Version='1'>NBK1</PMID>"
        b"<Book><BookTitle>Invented book.</BookTitle></Book></BookDocument></PubmedBookArticle>\n"
        b"</PubmedBookArticleSet>"
    )
    (record,) = iter_articles(xml, source_name="books")
    assert record == RecordError("NBK1", "PMID 'NBK1' is not a positive whole number", "books", 2)


def test_a_deletion_that_is_not_a_pmid_is_quarantined_and_the_other_deletions_still_count() -> None:
    xml = b"<PubmedArticleSet>\n<DeleteCitation><PMID>90000001</PMID><PMID>x9</PMID><PMID>90000003</PMID>"
    xml += b"</DeleteCitation>\n</PubmedArticleSet>"
    assert list(iter_articles(xml, source_name="update")) == [
        DeleteCitation(("90000001", "90000003")),
        RecordError("x9", "<DeleteCitation> lists PMID 'x9', which is not a positive whole number", "update", 2),
    ]


def test_parse_article_xml_names_a_bad_pmid_and_its_line() -> None:
    xml = b"\n<PubmedArticle><MedlineCitation><PMID>none</PMID><Article/></MedlineCitation></PubmedArticle>"
    with pytest.raises(MalformedRecordError, match=r"PMID 'none' is not a positive whole number \(line 2\)") as raised:
        parse_article_xml(xml, source_name="stored")
    assert raised.value.fields == {"pmid": "none", "file": "stored", "line": 2}


def test_parse_article_xml_names_the_line_where_the_xml_breaks() -> None:
    with pytest.raises(MalformedRecordError, match="breaks at line 2") as raised:
        parse_article_xml("<PubmedArticle>\n<MedlineCitation>")
    assert raised.value.fields["line"] == 2


def test_an_empty_document_is_named_as_such_at_line_1() -> None:
    with pytest.raises(MalformedFileError, match=r"^reply: the XML breaks at line 1: the document is empty$") as raised:
        list(iter_articles(b"", source_name="reply"))
    assert raised.value.fields == {"file": "reply", "line": 1}


def test_a_broken_gzip_stream_names_the_last_line_it_delivered() -> None:
    data = gzip.compress((CASES / "notices.xml").read_bytes())
    cut = data[: len(data) // 2]
    delivered = zlib.decompressobj(wbits=31).decompress(cut)  # what the reader could still hand to the parser
    line = delivered.count(b"\n") + 1
    with pytest.raises(
        MalformedFileError, match=rf"^notices\.xml\.gz: the gzip stream breaks at line {line}: "
    ) as raised:
        list(iter_articles(cut, source_name="notices.xml.gz"))
    assert raised.value.fields == {"file": "notices.xml.gz", "line": line}


def test_a_gzip_stream_that_breaks_before_any_record_still_names_a_line() -> None:
    with pytest.raises(MalformedFileError, match="breaks at line 1: ") as raised:
        list(iter_articles(b"\x1f\x8b\x08\x00", source_name="reply"))
    assert raised.value.fields["line"] == 1
