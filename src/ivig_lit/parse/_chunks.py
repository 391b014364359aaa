"""The raw bytes of each top-level record of a PubMed document, found without parsing XML.

Building each record with one ``etree.fromstring`` of its own bytes is cheaper than ``iterparse``
events over the whole document, and a relevance pre-filter can look at a record's bytes before any
of it is parsed. Only the regular shape NCBI publishes is read this way: a UTF-8 document, an
optional XML declaration, comments and a DOCTYPE without an internal subset, a PubMed root, and records
separated by whitespace only. Anything else (another encoding, comments between records, a
truncated or corrupt gzip stream, a record that never closes) raises ``IrregularDocument``, and the
caller reads the document with ``iterparse`` instead, which accepts or rejects it exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from isal import isal_zlib

_GZIP_MAGIC = b"\x1f\x8b"
_BLOCK = 1 << 17  # bytes of XML per block (and of gzip per read): memory stays well under 1 MiB
_PROLOG_LIMIT = 1 << 16  # a prolog longer than this is not NCBI's
_PROLOG = re.compile(
    rb"(?:\xef\xbb\xbf)?[ \t\r\n]*(?P<decl><\?xml[ \t\r\n][^>]*?\?>)?[ \t\r\n]*"
    rb"(?:(?:<!DOCTYPE[ \t\r\n][^\[>]*>|<!--(?:(?!-->).)*-->)[ \t\r\n]*)*"
    rb"<(?P<root>PubmedArticleSet|PubmedBookArticleSet|MedlineCitationSet)(?P<attributes>[ \t\r\n][^>]*)?>",
    re.DOTALL,
)
_ENCODING = re.compile(rb"""encoding[ \t\r\n]*=[ \t\r\n]*["']([^"']*)["']""")
_RECORD_START = re.compile(rb"<(PubmedArticle|PubmedBookArticle|MedlineCitation|DeleteCitation)[ \t\r\n>]")
_SPACE = re.compile(rb"[ \t\r\n]*")
_LOOKAHEAD = 64  # bytes enough to recognise the next start tag or the root's end tag
_REFERENCES_OPEN = b"<ReferenceList"
_REFERENCES_CLOSE = b"</ReferenceList>"


class IrregularDocument(Exception):
    """The document is not in the regular shape; read it with ``iterparse`` instead."""


Source = str | Path | bytes


def iter_blocks(source: Source) -> Iterator[bytes]:
    """The document's bytes in large blocks, gunzipped if they are gzip (by content, not suffix)."""
    if isinstance(source, bytes):
        raw: Iterator[bytes] = (source[i : i + _BLOCK] for i in range(0, len(source), _BLOCK))
        packed = source[:2] == _GZIP_MAGIC
        yield from _gunzip(raw) if packed else raw
        return
    with open(source, "rb") as file:
        packed = file.read(2) == _GZIP_MAGIC
        file.seek(0)
        blocks = iter(lambda: file.read(_BLOCK), b"")
        yield from _gunzip(blocks) if packed else blocks


def _gunzip(blocks: Iterator[bytes]) -> Iterator[bytes]:
    """Gzip members one after another (as ``gzip`` reads them); a break is irregular. ISA-L inflates
    the same bytes two to three times faster than zlib, a tenth of a MEDLINE record's parse time."""
    inflate = isal_zlib.decompressobj(wbits=31)
    try:
        for block in blocks:
            while block:
                yield inflate.decompress(block, _BLOCK)
                block = inflate.unconsumed_tail
                if inflate.eof:
                    block = inflate.unused_data
                    if block:
                        inflate = isal_zlib.decompressobj(wbits=31)
        yield inflate.flush()
    except isal_zlib.error as exc:
        raise IrregularDocument(f"gzip: {exc}") from exc
    if not inflate.eof:
        raise IrregularDocument("gzip stream ends early")


def iter_chunks(blocks: Iterator[bytes]) -> Iterator[tuple[bytes, bytes, int]]:
    """Each top-level record as (tag, its bytes, its byte offset in the document)."""
    blocks = iter(blocks)
    buf = b""
    for block in blocks:
        buf += block
        if (prolog := _PROLOG.match(buf)) is not None or len(buf) > _PROLOG_LIMIT:
            break
    else:
        prolog = _PROLOG.match(buf)
    if prolog is None or prolog.group(0).endswith(b"/>"):
        raise IrregularDocument("no PubMed root element where NCBI puts it")
    encoding = _ENCODING.search(prolog["decl"] or b"")
    if encoding is not None and encoding[1].lower() not in (b"utf-8", b"utf8"):
        raise IrregularDocument(f"encoding {encoding[1]!r}")
    root_end = b"</" + prolog["root"] + b">"
    base, pos = 0, prolog.end()  # base: document offset of buf[0]
    while True:
        start = _SPACE.match(buf, pos).end()
        record = _RECORD_START.match(buf, start)
        if record is None:
            if buf.startswith(root_end, start):
                rest = buf[start + len(root_end) :] + b"".join(blocks)
                if rest.strip(b" \t\r\n"):
                    raise IrregularDocument("content after the root element")
                return
            if len(buf) - start < _LOOKAHEAD and (block := next(blocks, None)) is not None:
                buf, base, pos = buf[start:] + block, base + start, 0
                continue
            raise IrregularDocument(f"unexpected content at byte {base + start}")
        close = b"</" + record[1] + b">"
        end = buf.find(close, record.end())
        if end < 0:  # the record goes on in the next blocks
            buf, end = _read_to(close, buf[start:], blocks, base + start)
            base, start = base + start, 0
        pos = end + len(close)
        yield record[1], buf[start:pos], base + start


def _read_to(close: bytes, head: bytes, blocks: Iterator[bytes], offset: int) -> tuple[bytes, int]:
    """``head`` extended block by block until ``close`` appears, and where it starts (each block is
    searched once, so a record of many blocks costs no more than its size)."""
    pieces, window = [head], head[-len(close) :]
    while (block := next(blocks, None)) is not None:
        pieces.append(block)
        window += block
        if (hit := window.find(close)) >= 0:
            buf = b"".join(pieces)
            return buf, len(buf) - len(window) + hit
        window = window[-len(close) :]
    raise IrregularDocument(f"the record at byte {offset} never closes")


def without_references(chunk: bytes) -> bytes:
    """A PubmedArticle's bytes without its cited-reference lists, which no field reads.

    The DTD puts every ReferenceList last in PubmedData, so everything from the first one's start tag
    to the last one's end tag is reference lists: cut once, libxml2 never builds the dozens of
    citations a current record carries (half its bytes or more). A record without one is returned
    as it is; the record's own start line, which errors report, does not move."""
    start = chunk.find(_REFERENCES_OPEN)
    if start < 0:
        return chunk
    end = chunk.rfind(_REFERENCES_CLOSE)
    if end < start:
        return chunk
    return chunk[:start] + chunk[end + len(_REFERENCES_CLOSE) :]


def line_at(source: Source, offset: int) -> int:
    """The line number of a byte offset in the document (counted again: only errors need it)."""
    newlines = 0
    for block in iter_blocks(source):
        if offset <= len(block):
            return newlines + block.count(b"\n", 0, offset) + 1
        newlines += block.count(b"\n")
        offset -= len(block)
    return newlines + 1
