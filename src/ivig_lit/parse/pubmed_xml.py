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
from ivig_lit.parse._chunks import IrregularDocument, iter_blocks, iter_chunks, line_at
from ivig_lit.parse._records import book_article, is_pmid, journal_article
from ivig_lit.parse._text import text_of
from ivig_lit.parse.models import SKIPPED, Article, DeleteCitation, RecordError, Skipped

logger = logging.getLogger(__name__)

Source = str | Path | bytes | IO[bytes]
Record = Article | DeleteCitation | RecordError | Skipped
Screen = Callable[[bytes], bool]
LineOf = Callable[[etree._Element], int | None]
Chunk = tuple[bytes, bytes, int]  # a record's tag, its bytes, its byte offset in the document

ROOT_TAGS = ("PubmedArticleSet", "PubmedBookArticleSet", "MedlineCitationSet")
ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle", "MedlineCitation")
_RECORD_TAGS = (*ARTICLE_TAGS, "DeleteCitation")
_PMID_PATHS = {
    "PubmedArticle": "MedlineCitation/PMID",
    "PubmedBookArticle": "BookDocument/PMID",
    "MedlineCitation": "PMID",
}
_GZIP_MAGIC = b"\x1f\x8b"
_BATCH_BYTES = 1 << 18  # of records' XML per parse: about 40 MEDLINE records, a MiB or two of tree
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
    """Records parsed from their own bytes, a batch at a time; an irregular document is read again by
    ``iterparse``, from the record after the last one yielded, so the output is the same either way."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    done = 0
    try:
        for batch in _iter_batches(iter_chunks(iter_blocks(source))):
            for records in _read_batch(batch, source, name, screen, parser):
                done += 1
                yield from records
    except (IrregularDocument, etree.XMLSyntaxError):
        with _open_source(source) as stream:
            yield from _iter_records(stream, name, skip=done)


def _iter_batches(chunks: Iterator[Chunk]) -> Iterator[list[Chunk]]:
    """Consecutive records of about ``_BATCH_BYTES``; those cut before the document turns irregular
    still come out as a batch, then the irregularity is raised."""
    batch: list[Chunk] = []
    size = 0
    try:
        for chunk in chunks:
            batch.append(chunk)
            size += len(chunk[1])
            if size >= _BATCH_BYTES:
                yield batch
                batch, size = [], 0
    except IrregularDocument:
        yield batch
        raise
    yield batch


def _read_batch(
    batch: list[Chunk], source: bytes | str | Path, name: str, screen: Screen | None, parser: etree.XMLParser
) -> Iterator[list[Record]]:
    """What each record of the batch gives, in order. The articles the screen keeps are parsed as one
    document (a parse per record costs a third more); if that fails, one by one, so the first bad
    record raises ``XMLSyntaxError`` after the ones before it were given."""
    keep = [tag != b"DeleteCitation" and (screen is None or screen(raw)) for tag, raw, _ in batch]
    articles = [raw for (_, raw, _), kept in zip(batch, keep, strict=True) if kept]
    elements: Iterator[etree._Element] | None = None
    if articles:
        try:
            root = etree.fromstring(b"<batch>" + b"".join(articles) + b"</batch>", parser)
        except etree.XMLSyntaxError:
            root = None
        if root is not None and len(root) == len(articles):  # a count that differs: records cut wrongly
            elements = iter(root)
    for (tag, raw, offset), kept in zip(batch, keep, strict=True):
        line_of = _line_in(source, offset)
        if tag == b"DeleteCitation":
            yield [*_deletions(etree.fromstring(raw, parser), name, line_of)]
        elif not kept:
            yield [SKIPPED]
        else:
            elem = next(elements) if elements is not None else etree.fromstring(raw, parser)
            yield [_build_record(elem, name, line_of)]


def _sourceline(elem: etree._Element) -> int | None:
    return elem.sourceline


def _line_in(source: bytes | str | Path, offset: int) -> LineOf:
    """The line a record read from its bytes starts on, counted only when an error needs it."""
    return lambda _elem: line_at(source, offset)


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
