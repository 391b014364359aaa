"""Reading a document record by record from its raw bytes gives exactly what ``iterparse`` gives, and
anything outside NCBI's regular shape is read by ``iterparse`` from the first record not yet yielded."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from ivig_lit.parse import iter_articles
from ivig_lit.parse._chunks import iter_chunks, without_references
from ivig_lit.parse.models import SKIPPED, Article, DeleteCitation

CASES = Path(__file__).resolve().parents[1] / "cases" / "parse"
DEMO = Path(__file__).resolve().parents[2] / "src" / "ivig_lit" / "data" / "demo_corpus.xml.gz"
OWN_FILES = [*sorted(p for p in CASES.glob("*.xml") if p.name != "truncated.xml"), DEMO]


def record(pmid: int, title: str = "Plasma exchange for myasthenia") -> str:
    return (
        f"<PubmedArticle><MedlineCitation><PMID Version='1'>{pmid}</PMID><Article>"
        f"<ArticleTitle>{title}</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
    )


def document(*parts: str) -> bytes:
    return ("<?xml version='1.0'?>\n<PubmedArticleSet>\n" + "".join(parts) + "</PubmedArticleSet>\n").encode()


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda p: p.name)
def test_reading_record_bytes_gives_what_iterparse_gives(path: Path) -> None:
    with gzip.open(path) if path.suffix == ".gz" else path.open("rb") as stream:  # a stream: iterparse
        expected = list(iter_articles(stream, source_name=path.name))
    assert list(iter_articles(path)) == expected


def test_a_record_error_names_its_line_in_the_whole_file() -> None:
    (error,) = [r for r in iter_articles(document(record(1), "\n\n", record(0))) if not isinstance(r, Article)]
    assert error.line == 6  # the XML declaration, the root, record 1, two blank lines


def test_a_screen_that_rejects_a_record_yields_skipped_and_never_parses_it() -> None:
    seen: list[bytes] = []
    items = list(iter_articles(document(record(1), record(2)), screen=lambda raw: seen.append(raw) or b">2<" in raw))
    assert items[0] is SKIPPED
    assert isinstance(items[1], Article) and items[1].pmid == "2"
    assert seen[0].startswith(b"<PubmedArticle>") and seen[0].endswith(b"</PubmedArticle>")


def test_a_screen_never_sees_a_delete_citation() -> None:
    deletion = "<DeleteCitation><PMID Version='1'>7</PMID></DeleteCitation>\n"
    items = list(iter_articles(document(record(1), deletion), screen=lambda raw: False))
    assert items == [SKIPPED, DeleteCitation(("7",))]


def test_a_document_that_turns_irregular_midway_is_read_on_by_iterparse_from_the_next_record() -> None:
    xml = document(record(1), "<!-- a comment between records -->\n", record(2), record(3))
    items = list(iter_articles(xml, screen=lambda raw: False))
    assert items[0] is SKIPPED  # read from its bytes and screened
    assert [a.pmid for a in items[1:]] == ["2", "3"]  # iterparse: parsed, every one


@pytest.mark.parametrize(
    "prolog",
    [
        "<?xml version='1.0' encoding='ISO-8859-1'?>\n<PubmedArticleSet>\n",
        "<?xml version='1.0'?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY x 'y'>]>\n<PubmedArticleSet>\n",
    ],
    ids=["latin-1", "internal-subset"],
)
def test_an_irregular_prolog_is_read_whole_by_iterparse(prolog: str) -> None:
    xml = (prolog + record(1) + "</PubmedArticleSet>\n").encode("latin-1")
    (article,) = iter_articles(xml, screen=lambda raw: False)
    assert isinstance(article, Article) and article.title == "Plasma exchange for myasthenia"


def test_a_record_using_a_namespace_declared_on_the_root_is_read_by_iterparse() -> None:
    xml = document(record(1, "A <mml:math><mml:mi>k</mml:mi></mml:math> constant")).replace(
        b"<PubmedArticleSet>", b"<PubmedArticleSet xmlns:mml='http://www.w3.org/1998/Math/MathML'>"
    )
    (article,) = iter_articles(xml)
    assert article.title == "A k constant"


@pytest.mark.parametrize("block_size", [1, 7, 64, 1000])
def test_records_are_cut_the_same_wherever_the_blocks_of_a_stream_end(block_size: int) -> None:
    xml = document(*(record(n, "x" * 37 * n) for n in range(1, 40)))
    whole = list(iter_chunks([xml]))
    assert [tag for tag, _, _ in whole] == [b"PubmedArticle"] * 39
    assert list(iter_chunks(xml[i : i + block_size] for i in range(0, len(xml), block_size))) == whole
    assert all(xml[offset:].startswith(raw) for _, raw, offset in whole)


def test_reference_lists_are_cut_from_a_record_before_it_is_parsed() -> None:
    references = "<ReferenceList><Reference><Citation>A</Citation></Reference></ReferenceList>"
    nested = f"<ReferenceList><Title>Cited</Title>{references}</ReferenceList>"
    chunk = f"<PubmedArticle><PubmedData><History/>{references}\n{nested}</PubmedData></PubmedArticle>".encode()
    assert without_references(chunk) == b"<PubmedArticle><PubmedData><History/></PubmedData></PubmedArticle>"


@pytest.mark.parametrize("chunk", [b"<PubmedArticle/>", b"<PubmedArticle><ReferenceList/></PubmedArticle>"])
def test_a_record_without_a_closed_reference_list_is_parsed_as_it_is(chunk: bytes) -> None:
    assert without_references(chunk) is chunk


def test_a_record_reads_the_same_with_its_references_cut() -> None:
    cited = "<ReferenceList><Reference><Citation>Cited <i>work</i></Citation></Reference></ReferenceList>"
    article = record(5).replace("</MedlineCitation>", f"</MedlineCitation><PubmedData>{cited}</PubmedData>")
    assert list(iter_articles(document(article))) == list(iter_articles(io.BytesIO(document(article))))
