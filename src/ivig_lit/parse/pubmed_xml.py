"""Streaming PubMed XML parser: EFetch bodies, baseline/update files and old MEDLINE sets -> records.

Files are read with lxml ``iterparse`` and every finished record is cleared, so a 30,000-record
baseline file takes the memory of one record. The DTD is never loaded or fetched. A record that
cannot be built becomes a ``RecordError`` and the stream goes on; a file that breaks (truncated,
not XML, unknown root) raises ``MalformedFileError`` after the records before the break were yielded.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import logging
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from lxml import etree

from ivig_lit.errors import MalformedFileError, MalformedRecordError
from ivig_lit.parse._dates import parse_full_date, parse_pub_date
from ivig_lit.parse._memo import remember
from ivig_lit.parse._text import inner_xml, optional_text, text_of
from ivig_lit.parse.models import (
    AbstractSection,
    Article,
    Author,
    Chemical,
    CommentCorrection,
    DeleteCitation,
    MeshHeading,
    MeshQualifier,
    PublicationType,
    RecordError,
    SupplementaryConcept,
    fast_constructor,
)

logger = logging.getLogger(__name__)

Source = str | Path | bytes | IO[bytes]
Record = Article | DeleteCitation | RecordError

ROOT_TAGS = ("PubmedArticleSet", "PubmedBookArticleSet", "MedlineCitationSet")
ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle", "MedlineCitation")
_RECORD_TAGS = (*ARTICLE_TAGS, "DeleteCitation")
_PMID_PATHS = {
    "PubmedArticle": "MedlineCitation/PMID",
    "PubmedBookArticle": "BookDocument/PMID",
    "MedlineCitation": "PMID",
}
_CITATION_LISTS = frozenset(
    ("MeshHeadingList", "CommentsCorrectionsList", "ChemicalList", "KeywordList", "SupplMeshList")
)
_GZIP_MAGIC = b"\x1f\x8b"
# Values that repeat across records are built once and shared (all frozen); see _memo.
_PUBLICATION_TYPES: dict[tuple[str, str | None], PublicationType] = {}
_MESH_HEADINGS: dict[tuple[Any, ...], MeshHeading] = {}
_CHEMICALS: dict[tuple[str, str | None, str | None], Chemical] = {}
# The records built per article (dozens) skip the frozen __init__; see fast_constructor.
_new_article = fast_constructor(Article)
_new_author = fast_constructor(Author)
_new_section = fast_constructor(AbstractSection)
_new_comment = fast_constructor(CommentCorrection)
# Safe and offline: no DTD, no entity expansion, no network; huge_tree for very long abstracts.
_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": True,
}


def iter_articles(source: Source, *, source_name: str | None = None) -> Iterator[Record]:
    """Yield each record of a PubMed XML document in order, in constant memory.

    ``source`` is a path (gzip is detected from its content, whatever the suffix), the bytes of a
    document (gzip or not) or a binary file object holding uncompressed XML (an EFetch body).
    ``source_name`` labels errors; it defaults to the file name.
    """
    name = source_name or _name_of(source)
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
    record = _build_record(elem, source_name)
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


def _iter_records(stream: IO[bytes] | _CountingReader, name: str) -> Iterator[Record]:
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
            if elem.tag == "DeleteCitation":
                yield from _deletions(elem, name)
            else:
                yield _build_record(elem, name)
            elem.clear(keep_tail=True)
            while elem.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        # lxml reports line 0 when there is no XML at all (an empty reply)
        at = exc.lineno or line or 1
        reason = "the document is empty" if exc.lineno == 0 and line is None else exc.msg
        raise MalformedFileError(f"{name}: the XML breaks at line {at}: {reason}", file=name, line=at) from exc
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        at = stream.lines if isinstance(stream, _CountingReader) else line
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


def _deletions(elem: etree._Element, name: str) -> Iterator[DeleteCitation | RecordError]:
    """The PMIDs a DeleteCitation withdraws; one that is not a PMID is reported, the others still count."""
    pmids = [text_of(pmid) for pmid in elem.iterfind("PMID")]
    good = tuple(pmid for pmid in pmids if is_pmid(pmid))
    if len(good) == len(pmids):
        yield DeleteCitation(good)
        return
    if good:
        yield DeleteCitation(good)
    for pmid in pmids:
        if not is_pmid(pmid):
            reason = f"<DeleteCitation> lists PMID {pmid!r}, which is not a positive whole number"
            logger.warning("Skipping a deletion in %s at line %s: %s", name, elem.sourceline, reason)
            yield RecordError(pmid or None, reason, name, elem.sourceline)


def is_pmid(text: str) -> bool:
    """A PMID is a positive whole number written in ASCII digits ("12345", never "PMC12345" or "0")."""
    return text.isdigit() and text.isascii() and text.strip("0") != ""


def _build_record(elem: etree._Element, name: str | None) -> Article | RecordError:
    """One record, or a RecordError: a single bad record must never stop a 30,000-record file."""
    try:
        if elem.tag == "PubmedBookArticle":
            return _book_article(elem)
        return _journal_article(elem)
    except Exception as exc:  # quarantine anything a malformed record can trigger
        pmid = elem.findtext(_PMID_PATHS[elem.tag])
        reason = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
        logger.warning("Skipping record %s in %s at line %s: %s", pmid, name, elem.sourceline, reason)
        return RecordError((pmid.strip() or None) if pmid else None, reason, name, elem.sourceline)


def _pmid_fields(pmid: etree._Element | None) -> tuple[str, int]:
    text = optional_text(pmid)
    if pmid is None or text is None:
        raise ValueError("record has no PMID")
    if not is_pmid(text):
        raise ValueError(f"PMID {text!r} is not a positive whole number")
    version = pmid.get("Version", "1")
    if not version.isdigit():
        raise ValueError(f"PMID {text} has a non-numeric Version {version!r}")
    return text, int(version)


def _journal_article(elem: etree._Element) -> Article:
    """A PubmedArticle or a bare MedlineCitation, read in one pass over each level's children.

    Where an element may repeat, the choice matches the DTD reading the tests pin: the first PMID,
    PubDate and ArticleIdList, the last of the single-valued children, every item of every list.
    """
    if elem.tag == "MedlineCitation":
        citation, data = elem, elem.find("PubmedData")
    else:
        citation = data = None
        for child in elem:
            tag = child.tag
            if tag == "MedlineCitation":
                if citation is None:
                    citation = child
            elif tag == "PubmedData" and data is None:
                data = child
        if citation is None:
            raise ValueError("<PubmedArticle> has no <MedlineCitation>")

    pmid = article = completed = revised = None
    lists: list[etree._Element] = []
    for child in citation:
        tag = child.tag
        if tag == "PMID":
            if pmid is None:
                pmid = child
        elif tag == "Article":
            article = child
        elif tag == "DateCompleted":
            completed = child
        elif tag == "DateRevised":
            revised = child
        elif tag in _CITATION_LISTS:
            lists.append(child)
    if article is None:
        raise ValueError("<MedlineCitation> has no <Article>")
    pmid_text, version = _pmid_fields(pmid)

    title = abstract = author_list = journal = None
    languages: list[str] = []
    publication_types: list[PublicationType] = []
    article_date: dt.date | None = None
    electronic_seen = False
    doi: str | None = None
    for child in article:
        tag = child.tag
        if tag == "ArticleTitle":
            title = child
        elif tag == "AuthorList":
            author_list = child
        elif tag == "Abstract":
            abstract = child
        elif tag == "Journal":
            journal = child
        elif tag == "Language":
            text = text_of(child)
            if text:
                languages.append(text)
        elif tag == "PublicationTypeList":
            publication_types.extend([_publication_type(p) for p in child if p.tag == "PublicationType"])
        elif tag == "ArticleDate":
            if not electronic_seen and child.get("DateType", "Electronic") == "Electronic":
                electronic_seen = True
                article_date = parse_full_date(child)
        elif tag == "ELocationID" and doi is None and child.get("EIdType") == "doi":
            doi = text_of(child) or None

    mesh: list[MeshHeading] = []
    concepts: list[SupplementaryConcept] = []
    keywords: list[str] = []
    chemicals: list[Chemical] = []
    comments: list[CommentCorrection] = []
    for child in lists:  # after the PMID and Article checks, so a record's first fault is the one named
        tag = child.tag
        if tag == "MeshHeadingList":
            mesh.extend([_mesh_heading(h) for h in child if h.tag == "MeshHeading"])
        elif tag == "CommentsCorrectionsList":
            comments.extend([_comment_correction(c) for c in child if c.tag == "CommentsCorrections"])
        elif tag == "ChemicalList":
            chemicals.extend([_chemical(c) for c in child if c.tag == "Chemical"])
        elif tag == "KeywordList":
            keywords.extend(text for text in (text_of(k) for k in child if k.tag == "Keyword") if text)
        else:
            concepts.extend([_concept(c) for c in child if c.tag == "SupplMeshName"])

    journal_title = journal_iso = issue = None
    if journal is not None:
        for child in journal:
            tag = child.tag
            if tag == "Title":
                journal_title = child
            elif tag == "ISOAbbreviation":
                journal_iso = child
            elif tag == "JournalIssue":
                issue = child
    ids_doi, pmc, history, publication_status = _pubmed_data(data, None)
    return _new_article(
        pmid=pmid_text,
        version=version,
        title=text_of(title) if title is not None else "",
        title_raw=inner_xml(title) if title is not None else "",
        abstract=_abstract(abstract),
        journal=optional_text(journal_title),
        journal_iso=optional_text(journal_iso),
        pub_date=parse_pub_date(_first(issue, "PubDate")),
        article_date=article_date,
        history=history,
        date_completed=parse_full_date(completed),
        date_revised=parse_full_date(revised),
        doi=ids_doi or doi,  # ArticleIdList first, ELocationID as the fallback
        pmc=pmc,
        authors=_authors(author_list),
        languages=tuple(languages),
        publication_types=tuple(publication_types),
        mesh=tuple(mesh),
        supplementary_concepts=tuple(concepts),
        keywords=tuple(keywords),
        chemicals=tuple(chemicals),
        comments_corrections=tuple(comments),
        citation_status=citation.get("Status"),
        publication_status=publication_status,
    )


def _first(elem: etree._Element | None, tag: str) -> etree._Element | None:
    """``elem.find(tag)`` for a plain tag, without compiling a path."""
    if elem is not None:
        for child in elem:
            if child.tag == tag:
                return child
    return None


def _book_article(elem: etree._Element) -> Article:
    """A BookDocument: a chapter (ArticleTitle) or a whole book (BookTitle); the book is the journal."""
    document = elem.find("BookDocument")
    if document is None:
        raise ValueError("<PubmedBookArticle> has no <BookDocument>")
    pmid, version = _pmid_fields(document.find("PMID"))
    book_title = document.find("Book/BookTitle")
    title = document.find("ArticleTitle")
    if title is None:
        title = book_title
    doi, pmc, history, publication_status = _pubmed_data(elem.find("PubmedBookData"), document.find("ArticleIdList"))
    return Article(
        pmid=pmid,
        version=version,
        title=text_of(title) if title is not None else "",
        title_raw=inner_xml(title) if title is not None else "",
        abstract=_abstract(document.find("Abstract")),
        journal=optional_text(book_title),
        pub_date=parse_pub_date(document.find("Book/PubDate")),
        date_revised=parse_full_date(document.find("DateRevised")),
        authors=tuple(
            author
            for author_list in document.iterfind("AuthorList")
            if author_list.get("Type", "authors") == "authors"
            for author in _authors(author_list)
        ),
        languages=_texts(document.iterfind("Language")),
        publication_types=tuple(_publication_type(p) for p in document.iterfind("PublicationType")),
        keywords=_texts(document.iterfind("KeywordList/Keyword")),
        doi=doi,
        pmc=pmc,
        history=history,
        publication_status=publication_status,
        is_book=True,
    )


def _pubmed_data(
    data: etree._Element | None, extra_ids: etree._Element | None
) -> tuple[str | None, str | None, tuple[tuple[str, dt.date], ...], str | None]:
    """DOI, PMC id, history and publication status from PubmedData/PubmedBookData (+ a book's own ids)."""
    doi = pmc = status = id_list = None
    history: list[tuple[str, dt.date]] = []
    if data is not None:
        for child in data:
            tag = child.tag
            if tag == "History":
                for event in child:
                    if event.tag == "PubMedPubDate":
                        date = parse_full_date(event)
                        if date is not None:
                            history.append((event.get("PubStatus", ""), date))
            elif tag == "ArticleIdList":
                if id_list is None:
                    id_list = child
            elif tag == "PublicationStatus" and status is None:
                status = child
    for ids in (id_list, extra_ids):  # the first non-empty id of each type wins
        for article_id in ids if ids is not None else ():
            if article_id.tag != "ArticleId":
                continue
            kind = article_id.get("IdType")
            if kind == "doi" and doi is None:
                doi = text_of(article_id) or None
            elif kind == "pmc" and pmc is None:
                pmc = text_of(article_id) or None
    return doi, pmc, tuple(history), optional_text(status)


def _abstract(abstract: etree._Element | None) -> tuple[AbstractSection, ...]:
    if abstract is None:
        return ()
    return tuple(
        [
            _new_section(section.get("Label"), section.get("NlmCategory"), text_of(section))
            for section in abstract
            if section.tag == "AbstractText"
        ]
    )


def _authors(author_list: etree._Element | None) -> tuple[Author, ...]:
    if author_list is None:
        return ()
    return tuple([_author(author) for author in author_list if author.tag == "Author"])


def _author(author: etree._Element) -> Author:
    """One pass over the children: a baseline record can list hundreds of authors."""
    last = fore = initials = collective = None
    affiliations: list[str] = []
    for child in author:  # the last of a repeated name part wins
        tag = child.tag
        if tag == "LastName":
            last = text_of(child) or None
        elif tag == "ForeName":
            fore = text_of(child) or None
        elif tag == "Initials":
            initials = text_of(child) or None
        elif tag == "AffiliationInfo":
            for affiliation in child:
                if affiliation.tag == "Affiliation":
                    text = text_of(affiliation)
                    if text:
                        affiliations.append(text)
        elif tag == "CollectiveName":
            collective = text_of(child) or None
    return _new_author(last, fore, initials, collective, tuple(affiliations))


def _publication_type(elem: etree._Element) -> PublicationType:
    key = (text_of(elem), elem.get("UI"))
    try:
        return _PUBLICATION_TYPES[key]
    except KeyError:
        return remember(_PUBLICATION_TYPES, key, PublicationType(*key))


def _mesh_heading(heading: etree._Element) -> MeshHeading:
    descriptor = None
    qualifiers: list[tuple[str, str | None, bool]] = []
    for child in heading:
        tag = child.tag
        if tag == "DescriptorName":
            if descriptor is None:
                descriptor = child
        elif tag == "QualifierName":
            qualifiers.append((text_of(child), child.get("UI"), child.get("MajorTopicYN") == "Y"))
    if descriptor is None:
        raise ValueError("<MeshHeading> has no <DescriptorName>")
    key = (text_of(descriptor), descriptor.get("UI"), descriptor.get("MajorTopicYN") == "Y", *qualifiers)
    try:
        return _MESH_HEADINGS[key]
    except KeyError:
        heading_record = MeshHeading(*key[:3], tuple(MeshQualifier(*q) for q in qualifiers))
        return remember(_MESH_HEADINGS, key, heading_record)


def _comment_correction(comment: etree._Element) -> CommentCorrection:
    pmid = source = None
    for child in comment:
        tag = child.tag
        if tag == "RefSource":
            source = child
        elif tag == "PMID":
            pmid = child
    return _new_comment(comment.get("RefType", ""), optional_text(pmid), optional_text(source))


def _chemical(chemical: etree._Element) -> Chemical:
    substance = registry = None
    for child in chemical:
        tag = child.tag
        if tag == "NameOfSubstance":
            if substance is None:
                substance = child
        elif tag == "RegistryNumber" and registry is None:
            registry = child
    if substance is None:
        raise ValueError("<Chemical> has no <NameOfSubstance>")
    key = (text_of(substance), substance.get("UI"), optional_text(registry))
    try:
        return _CHEMICALS[key]
    except KeyError:
        return remember(_CHEMICALS, key, Chemical(*key))


def _concept(concept: etree._Element) -> SupplementaryConcept:
    return SupplementaryConcept(text_of(concept), concept.get("UI"), concept.get("Type"))


def _texts(elems: Iterator[etree._Element]) -> tuple[str, ...]:
    return tuple(text for text in (text_of(e) for e in elems) if text)
