"""The stored JSON of a record, which its content hash covers, stays byte for byte what the standard
library's ``json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` wrote when the
stored hashes were made: a faster serialiser must not make every stored record look revised."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from ivig_lit.parse import iter_articles
from ivig_lit.parse.models import Article, hash_json

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "src" / "ivig_lit" / "data" / "demo_corpus.xml.gz",
    ROOT.parent / "shared" / "data" / "medline16n0902.xml.gz",
    *(p for p in sorted((ROOT / "tests" / "cases" / "parse").glob("*.xml")) if p.name != "truncated.xml"),
]


def _standard(article: Article) -> str:
    return json.dumps(article.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("path", [p for p in SOURCES if p.exists()], ids=lambda p: p.name)
def test_every_records_stored_json_and_hash_are_the_standard_librarys(path: Path) -> None:
    articles = [a for a in iter_articles(path) if isinstance(a, Article)]
    assert articles
    for a in articles:
        assert a.canonical_json() == _standard(a)
        assert a.content_hash() == hash_json(_standard(a))


def test_text_with_control_characters_and_non_ascii_serialises_as_the_standard_library_does() -> None:
    text = "".join(map(chr, range(0x20))) + '"\\/\x7f é \u2028 \U0001f600 \ufeff'
    article = Article(pmid="1", title=text, keywords=(text,))
    assert article.canonical_json() == _standard(article)


def test_a_record_the_fast_serialiser_refuses_is_still_stored() -> None:
    article = dataclasses.replace(Article(pmid="1"), title="lone \ud800 surrogate")
    assert article.canonical_json() == _standard(article)
