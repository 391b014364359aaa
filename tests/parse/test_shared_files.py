"""Every real PubMed file in ../shared/data parses completely, cleanly and with the right records.

The expected records are found with regular expressions on the raw text, independently of lxml: a
record's own PMID is the one right after its ``<MedlineCitation ...>`` or ``<BookDocument>`` tag,
unlike the PMIDs of cited articles inside CommentsCorrections.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from ivig_lit.parse import iter_articles
from ivig_lit.parse.models import Article, DeleteCitation, RecordError

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FILES = sorted(p.name for p in SHARED_DATA.glob("*.xml*")) if SHARED_DATA.is_dir() else []

RECORD_PMID = re.compile(r"<(?:MedlineCitation|BookDocument)\b[^>]*>\s*<PMID\b[^>]*>\s*(\d+)\s*</PMID>")
DELETE_CITATION = re.compile(r"<DeleteCitation>(.*?)</DeleteCitation>", re.DOTALL)
PMID = re.compile(r"<PMID\b[^>]*>\s*(\d+)\s*</PMID>")


def raw_text(name: str) -> str:
    data = (SHARED_DATA / name).read_bytes()
    return (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode()


@pytest.mark.parametrize("name", FILES)
def test_shared_file_parses_without_record_errors(shared_data: Path, name: str) -> None:
    errors = [r for r in iter_articles(shared_data / name) if isinstance(r, RecordError)]
    assert errors == []


@pytest.mark.parametrize("name", FILES)
def test_shared_file_yields_one_article_per_citation_in_document_order(shared_data: Path, name: str) -> None:
    expected = RECORD_PMID.findall(raw_text(name))
    assert expected, f"{name} holds no records"
    assert [r.pmid for r in iter_articles(shared_data / name) if isinstance(r, Article)] == expected


@pytest.mark.parametrize("name", FILES)
def test_shared_file_yields_every_deleted_pmid(shared_data: Path, name: str) -> None:
    expected = [pmid for block in DELETE_CITATION.findall(raw_text(name)) for pmid in PMID.findall(block)]
    deleted = [p for r in iter_articles(shared_data / name) if isinstance(r, DeleteCitation) for p in r.pmids]
    assert deleted == expected


@pytest.mark.parametrize("name", FILES)
def test_shared_file_titles_keep_the_text_inside_their_markup(shared_data: Path, name: str) -> None:
    """Where a title has inline markup, the parsed title is longer than its first text run."""
    for record in iter_articles(shared_data / name):
        if isinstance(record, Article) and "<" in record.title_raw:
            first_run = record.title_raw.split("<", 1)[0].strip()
            assert len(record.title) > len(first_run), record.pmid
