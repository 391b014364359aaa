"""Text of PubMed elements that may carry inline markup (<i>, <sup>, MathML...).

Reading only ``elem.text`` stops at the first child element and silently truncates titles such as
"Effect of <i>IVIG</i> on CIDP"; every text here is the concatenation of all descendant text.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

_LONG = 64  # from this length, proving a non-ASCII text already normal beats re-joining its words


def text_of(elem: etree._Element) -> str:
    """All descendant text, markup dropped, whitespace runs collapsed to one space."""
    if len(elem):
        return " ".join("".join(elem.itertext()).split())
    text = elem.text  # no markup: the common, fast case
    if not text:
        return ""
    if text.isascii():
        # XML admits no ASCII whitespace but tab, newline, carriage return and space: four fast scans
        # prove most texts already normal, cheaper than re-joining their words
        if "\n" in text or "\t" in text or "\r" in text or "  " in text:
            return _normal_ascii(text)
        if text[0] == " " or text[-1] == " ":
            return text.strip(" ")
        return text
    if len(text) > _LONG and text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text  # isprintable() is False for every Unicode whitespace but " "
    return " ".join(text.split())


def _normal_ascii(text: str) -> str:
    """``" ".join(text.split())`` for ASCII text, without splitting it into words: replacing tab,
    newline and carriage return and collapsing runs of spaces says the same, and on a long abstract
    with a few line breaks it is several times cheaper than making a string of every word."""
    if "\n" in text or "\t" in text or "\r" in text:
        text = text.replace("\n", " ").replace("\t", " ").replace("\r", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    if text[0] == " " or text[-1] == " ":
        text = text.strip(" ")
    return text


def optional_text(elem: etree._Element | None) -> str | None:
    """``text_of`` for an optional element; absent or blank gives None."""
    if elem is None:
        return None
    return text_of(elem) or None


def inner_xml(elem: etree._Element) -> str:
    """The element's content as published: escaped text and child elements, without its own tag."""
    head = escape(elem.text or "")
    if len(elem) == 0:
        return head
    return head + "".join(etree.tostring(child, encoding="unicode", with_tail=True) for child in elem)
