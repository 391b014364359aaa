"""Streaming PubMed XML parser: EFetch bodies, baseline/update files and old MEDLINE sets -> records.

A file or a document's bytes is cut into its records' raw bytes (``_chunks``) and each record is
parsed on its own, so a 30,000-record baseline file takes the memory of a few MiB; a document not in
NCBI's regular shape, and a stream, are read with lxml ``iterparse`` instead, clearing each finished
record. Either way ``_records`` turns each record element into an Article, and the DTD is never
loaded or fetched. An optional ``screen`` sees each record's raw bytes first: a record it rejects is
yielded as ``SKIPPED``, never parsed, so its XML is not checked either (the relevance gate's
pre-filter: a malformed off-topic record no longer fails its file). A record that cannot be
built becomes a ``RecordError`` and the stream goes on; a file that breaks (truncated, not XML,
unknown root) raises ``MalformedFileError`` after the records before the break were yielded.
"""

from __future__ import annotations

import gzip
import io
import logging
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from lxml import etree

from ivig_lit.errors import MalformedFileError, MalformedRecordError
from ivig_lit.parse._chunks import IrregularDocument, iter_blocks, iter_chunks, line_at, without_references
from ivig_lit.parse._records import book_article, is_pmid, journal_article
from ivig_lit.parse._text import text_of
from ivig_lit.parse.models import SKIPPED, Article, DeleteCitation, RecordError, Skipped

logger = logging.getLogger(__name__)

Source = str | Path | bytes | IO[bytes]
Record = Article | DeleteCitation | RecordError | Skipped
Screen = Callable[[bytes], bool]
LineOf = Callable[[etree._Element], int | None]

ROOT_TAGS = ("PubmedArticleSet", "PubmedBookArticleSet", "MedlineCitationSet")
ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle", "MedlineCitation")
_RECORD_TAGS = (*ARTICLE_TAGS, "DeleteCitation")
_PMID_PATHS = {
    "PubmedArticle": "MedlineCitation/PMID",
    "PubmedBookArticle": "BookDocument/PMID",
    "MedlineCitation": "PMID",
}
_GZIP_MAGIC = b"\x1f\x8b"
# Safe and offline: no DTD, no entity expansion, no network; huge_tree for very long abstracts.
_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": True,
}


def iter_articles(source: Source, *, source_name: str | None = None, screen: Screen | None = None) -> Iterator[Record]:
    """Yield each record of a PubMed XML document in order, in constant memory.

    ``source`` is a path (gzip is detected from its content, whatever the suffix), the bytes of a
    document (gzip or not) or a binary file object holding uncompressed XML (an EFetch body).
    ``source_name`` labels errors; it defaults to the file name. ``screen`` is given each article's
    raw bytes (never a DeleteCitation's): False yields ``SKIPPED`` instead of parsing it. A file
    object, or a document in an irregular shape, is parsed whole and every article is yielded.
    """
    name = source_name or _name_of(source)
    if isinstance(source, bytes | str | Path):
        yield from _iter_chunked(source, name, screen)
        return
    with _open_source(source) as stream:
        yield from _iter_records(stream, name)


def parse_article_xml(xml: bytes | str, *, source_name: str | None = None) -> Article:
    """Build one Article from the XML of a single PubmedArticle, PubmedBookArticle or MedlineCitation.

    For records stored as XML and re-read later; raises ``MalformedRecordError`` when the text is
    not such a record.
    """
    data = xml.encode() if isinstance(xml, str) else xml
    try:
        elem = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        at = exc.lineno or 1
        raise MalformedRecordError(
            f"Not a PubMed record: the XML breaks at line {at}: {exc.msg}", file=source_name, line=at
        ) from exc
    if elem.tag not in ARTICLE_TAGS:
        raise MalformedRecordError(
            f"Not a PubMed record: root is <{elem.tag}>, expected one of {', '.join(ARTICLE_TAGS)}",
            file=source_name,
            line=elem.sourceline,
        )
    record = _build_record(elem, source_name, _sourceline)
    if isinstance(record, RecordError):
        raise MalformedRecordError(
            f"{record.reason} (line {record.line})", pmid=record.pmid, file=source_name, line=record.line
        )
    return record


def _name_of(source: Source) -> str:
    if isinstance(source, str | Path):
        return Path(source).name
    if isinstance(source, bytes):
        return "<bytes>"
    return str(getattr(source, "name", "<stream>"))


class _CountingReader:
    """A gzip reader that counts the lines it hands out, so a broken stream can name its line.

    ``read1`` hands over what one read decompressed, so the parser still gets the text before a break
    (a buffered ``read`` would drop it when the next read fails).
    """

    def __init__(self, raw: gzip.GzipFile) -> None:
        self._raw = raw
        self.lines = 1

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read1(size)
        self.lines += chunk.count(b"\n")
        return chunk


@contextmanager
def _open_source(source: Source) -> Iterator[IO[bytes] | _CountingReader]:
    if isinstance(source, bytes):
        packed = source[:2] == _GZIP_MAGIC
        yield _CountingReader(gzip.GzipFile(fileobj=io.BytesIO(source))) if packed else io.BytesIO(source)
    elif isinstance(source, str | Path):
        with open(source, "rb") as raw:
            if raw.read(2) == _GZIP_MAGIC:
                raw.seek(0)
                with gzip.GzipFile(fileobj=raw) as unzipped:
                    yield _CountingReader(unzipped)
            else:
                raw.seek(0)
                yield raw
    else:
        yield source


def _iter_chunked(source: bytes | str | Path, name: str, screen: Screen | None) -> Iterator[Record]:
    """Each record parsed from its own bytes; an irregular document is read again by ``iterparse``,
    from the record after the last one yielded, so the output is the same either way."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    done = 0
    try:
        for tag, chunk, offset in iter_chunks(iter_blocks(source)):
            if tag == b"DeleteCitation":
                items: list[Record] = [*_deletions(etree.fromstring(chunk, parser), name, _line_in(source, offset))]
            elif screen is not None and not screen(chunk):
                items = [SKIPPED]
            else:
                if tag == b"PubmedArticle":
                    chunk = without_references(chunk)
                items = [_build_record(etree.fromstring(chunk, parser), name, _line_in(source, offset))]
            done += 1
            yield from items
    except (IrregularDocument, etree.XMLSyntaxError):
        with _open_source(source) as stream:
            yield from _iter_records(stream, name, skip=done)


def _sourceline(elem: etree._Element) -> int | None:
    return elem.sourceline


def _line_in(source: bytes | str | Path, offset: int) -> LineOf:
    """Line numbers inside a record parsed on its own, counted only when an error needs one."""
    return lambda elem: line_at(source, offset) + (elem.sourceline or 1) - 1


def _iter_records(stream: IO[bytes] | _CountingReader, name: str, skip: int = 0) -> Iterator[Record]:
    """``iterparse`` over the whole document; the first ``skip`` records were read already."""
    events = etree.iterparse(stream, events=("end",), tag=_RECORD_TAGS, **_PARSER_OPTIONS)
    line: int | None = None
    root_checked = False
    try:
        for _, elem in events:
            parent = elem.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # the MedlineCitation inside a PubmedArticle, or a record used as the root
            if not root_checked:
                _check_root(parent.tag, name, parent.sourceline)
                root_checked = True
            line = elem.sourceline
            if skip:
                skip -= 1
            elif elem.tag == "DeleteCitation":
                yield from _deletions(elem, name, _sourceline)
            else:
                yield _build_record(elem, name, _sourceline)
            elem.clear(keep_tail=True)
            while elem.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        # lxml reports line 0 when there is no XML at all (an empty reply)
        at = exc.lineno or line or 1
        reason = "the document is empty" if exc.lineno == 0 and line is None else exc.msg
        raise MalformedFileError(f"{name}: the XML breaks at line {at}: {reason}", file=name, line=at) from exc
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        at = stream.lines if isinstance(stream, _CountingReader) else line or 1
        raise MalformedFileError(f"{name}: the gzip stream breaks at line {at}: {exc}", file=name, line=at) from exc
    if not root_checked:
        _check_root(events.root.tag, name, events.root.sourceline)


def _check_root(tag: str, name: str, line: int | None) -> None:
    if tag not in ROOT_TAGS:
        raise MalformedFileError(
            f"{name}: root element <{tag}> is not a PubMed document; expected one of {', '.join(ROOT_TAGS)}",
            file=name,
            line=line,
        )


def _deletions(elem: etree._Element, name: str, line_of: LineOf) -> Iterator[DeleteCitation | RecordError]:
    """The PMIDs a DeleteCitation withdraws; one that is not a PMID is reported, the others still count."""
    pmids = [text_of(pmid) for pmid in elem.iterfind("PMID")]
    good = tuple(pmid for pmid in pmids if is_pmid(pmid))
    if good or not pmids:
        yield DeleteCitation(good)
    for pmid in pmids:
        if not is_pmid(pmid):
            reason = f"<DeleteCitation> lists PMID {pmid!r}, which is not a positive whole number"
            line = line_of(elem)
            logger.warning("Skipping a deletion in %s at line %s: %s", name, line, reason)
            yield RecordError(pmid or None, reason, name, line)


def _build_record(elem: etree._Element, name: str | None, line_of: LineOf) -> Article | RecordError:
    """One record, or a RecordError: a single bad record must never stop a 30,000-record file."""
    try:
        if elem.tag == "PubmedBookArticle":
            return book_article(elem)
        return journal_article(elem)
    except Exception as exc:  # quarantine anything a malformed record can trigger
        pmid = elem.findtext(_PMID_PATHS[elem.tag])
        reason = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
        line = line_of(elem)
        logger.warning("Skipping record %s in %s at line %s: %s", pmid, name, line, reason)
        return RecordError((pmid.strip() or None) if pmid else None, reason, name, line)
