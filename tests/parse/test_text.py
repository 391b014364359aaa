"""Element text as the records keep it: markup dropped, every whitespace run one space, no space at
either end, whichever way the text is checked or normalised."""

from __future__ import annotations

import pytest
from lxml import etree

from ivig_lit.parse._text import text_of

TEXTS = [
    "plain",
    "two  spaces",
    " leading and trailing ",
    "tab\there",
    "line\nbreak",
    "carriage\r\nreturn",
    "   \n\t  ",
    "  many   runs  \n\n  of  \t spaces  ",
    "non-breaking\u00a0space and thin\u2009space",
    "Ümlaut  with   runs",
    "long ascii " * 20 + " end",
]


@pytest.mark.parametrize("text", TEXTS)
def test_text_of_collapses_whitespace_as_splitting_into_words_would(text: str) -> None:
    elem = etree.fromstring(f"<AbstractText>{text}</AbstractText>".encode())
    assert text_of(elem) == " ".join(elem.text.split())


def test_text_of_keeps_the_text_of_inline_markup() -> None:
    elem = etree.fromstring(b"<ArticleTitle>Effect of <i>IVIG</i>\n on  CIDP </ArticleTitle>")
    assert text_of(elem) == "Effect of IVIG on CIDP"
