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
_GZIP_MAGIC = b"\x1f\x8b"
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
        raise MalformedRecordError(f"Not a PubMed record: {exc}", file=source_name) from exc
    if elem.tag not in ARTICLE_TAGS:
        raise MalformedRecordError(
            f"Not a PubMed record: root is <{elem.tag}>, expected one of {', '.join(ARTICLE_TAGS)}",
            file=source_name,
        )
    record = _build_record(elem, source_name)
    if isinstance(record, RecordError):
        raise MalformedRecordError(record.reason, pmid=record.pmid, file=source_name)
    assert isinstance(record, Article)
    return record


def _name_of(source: Source) -> str:
    if isinstance(source, str | Path):
        return Path(source).name
    if isinstance(source, bytes):
        return "<bytes>"
    return str(getattr(source, "name", "<stream>"))


@contextmanager
def _open_source(source: Source) -> Iterator[IO[bytes]]:
    if isinstance(source, bytes):
        yield gzip.GzipFile(fileobj=io.BytesIO(source)) if source[:2] == _GZIP_MAGIC else io.BytesIO(source)
    elif isinstance(source, str | Path):
        with open(source, "rb") as raw:
            if raw.read(2) == _GZIP_MAGIC:
                raw.seek(0)
                with gzip.GzipFile(fileobj=raw) as unzipped:
                    yield unzipped
            else:
                raw.seek(0)
                yield raw
    else:
        yield source


def _iter_records(stream: IO[bytes], name: str) -> Iterator[Record]:
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
            yield _build_record(elem, name)
            elem.clear(keep_tail=True)
            while elem.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        at = exc.lineno or line
        raise MalformedFileError(f"{name}: the XML breaks at line {at}: {exc.msg}", file=name, line=at) from exc
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise MalformedFileError(
            f"{name}: the gzip stream breaks after line {line}: {exc}", file=name, line=line
        ) from exc
    if not root_checked:
        _check_root(events.root.tag, name, events.root.sourceline)


def _check_root(tag: str, name: str, line: int | None) -> None:
    if tag not in ROOT_TAGS:
        raise MalformedFileError(
            f"{name}: root element <{tag}> is not a PubMed document; expected one of {', '.join(ROOT_TAGS)}",
            file=name,
            line=line,
        )


def _build_record(elem: etree._Element, name: str | None) -> Record:
    """One record, or a RecordError: a single bad record must never stop a 30,000-record file."""
    if elem.tag == "DeleteCitation":
        return DeleteCitation(tuple(text_of(pmid) for pmid in elem.iterfind("PMID")))
    try:
        return _build_article(elem)
    except Exception as exc:  # quarantine anything a malformed record can trigger
        pmid = elem.findtext(_PMID_PATHS[elem.tag])
        reason = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
        logger.warning("Skipping record %s in %s at line %s: %s", pmid, name, elem.sourceline, reason)
        return RecordError(pmid.strip() if pmid else None, reason, name, elem.sourceline)


def _build_article(elem: etree._Element) -> Article:
    if elem.tag == "PubmedBookArticle":
        document = _required(elem, "BookDocument")
        fields = _book_fields(document)
        fields.update(_pubmed_data_fields(elem.find("PubmedBookData"), document.find("ArticleIdList")))
    else:
        citation = elem if elem.tag == "MedlineCitation" else _required(elem, "MedlineCitation")
        fields = _citation_fields(citation)
        data = _pubmed_data_fields(elem.find("PubmedData"), None)
        data["doi"] = data["doi"] or fields["doi"]  # ArticleIdList first, ELocationID as the fallback
        fields.update(data)
    return Article(**fields)


def _required(elem: etree._Element, path: str) -> etree._Element:
    found = elem.find(path)
    if found is None:
        raise ValueError(f"<{elem.tag}> has no <{path}>")
    return found


def _pmid_fields(owner: etree._Element) -> dict[str, Any]:
    pmid = owner.find("PMID")
    text = optional_text(pmid)
    if pmid is None or text is None:
        raise ValueError("record has no PMID")
    version = pmid.get("Version", "1")
    if not version.isdigit():
        raise ValueError(f"PMID {text} has a non-numeric Version {version!r}")
    return {"pmid": text, "version": int(version)}


def _citation_fields(citation: etree._Element) -> dict[str, Any]:
    """Everything a MedlineCitation holds (PubmedArticle and the old MedlineCitationSet alike)."""
    parts = _children(citation)
    article = parts.get("Article")
    if article is None:
        raise ValueError("<MedlineCitation> has no <Article>")
    article_parts = _children(article)
    journal = _children(article_parts.get("Journal"))
    issue = journal.get("JournalIssue")
    title = article_parts.get("ArticleTitle")
    return {
        **_pmid_fields(citation),
        "title": text_of(title) if title is not None else "",
        "title_raw": inner_xml(title) if title is not None else "",
        "abstract": _abstract(article_parts.get("Abstract")),
        "journal": optional_text(journal.get("Title")),
        "journal_iso": optional_text(journal.get("ISOAbbreviation")),
        "pub_date": parse_pub_date(issue.find("PubDate") if issue is not None else None),
        "article_date": _electronic_date(article),
        "date_completed": parse_full_date(parts.get("DateCompleted")),
        "date_revised": parse_full_date(parts.get("DateRevised")),
        "doi": next((text_of(e) for e in article.iterfind("ELocationID[@EIdType='doi']") if text_of(e)), None),
        "authors": _authors(article_parts.get("AuthorList")),
        "languages": _texts(article.iterfind("Language")),
        "publication_types": _publication_types(article.iterfind("PublicationTypeList/PublicationType")),
        "mesh": tuple(_mesh_heading(h) for h in citation.iterfind("MeshHeadingList/MeshHeading")),
        "supplementary_concepts": tuple(
            SupplementaryConcept(text_of(s), s.get("UI"), s.get("Type"))
            for s in citation.iterfind("SupplMeshList/SupplMeshName")
        ),
        "keywords": _texts(citation.iterfind("KeywordList/Keyword")),
        "chemicals": tuple(_chemical(c) for c in citation.iterfind("ChemicalList/Chemical")),
        "comments_corrections": tuple(
            _comment_correction(c) for c in citation.iterfind("CommentsCorrectionsList/CommentsCorrections")
        ),
        "citation_status": citation.get("Status"),
    }


def _children(elem: etree._Element | None) -> dict[str, etree._Element]:
    """Children by tag, for the ones that occur once: one pass beats a find() per field."""
    return {child.tag: child for child in elem} if elem is not None else {}


def _book_fields(document: etree._Element) -> dict[str, Any]:
    """A BookDocument: a chapter (ArticleTitle) or a whole book (BookTitle); the book is the journal."""
    book_title = document.find("Book/BookTitle")
    title = document.find("ArticleTitle")
    if title is None:
        title = book_title
    return {
        **_pmid_fields(document),
        "title": text_of(title) if title is not None else "",
        "title_raw": inner_xml(title) if title is not None else "",
        "abstract": _abstract(document.find("Abstract")),
        "journal": optional_text(book_title),
        "pub_date": parse_pub_date(document.find("Book/PubDate")),
        "date_revised": parse_full_date(document.find("DateRevised")),
        "authors": tuple(
            author
            for author_list in document.iterfind("AuthorList")
            if author_list.get("Type", "authors") == "authors"
            for author in _authors(author_list)
        ),
        "languages": _texts(document.iterfind("Language")),
        "publication_types": _publication_types(document.iterfind("PublicationType")),
        "keywords": _texts(document.iterfind("KeywordList/Keyword")),
        "is_book": True,
    }


def _pubmed_data_fields(data: etree._Element | None, extra_ids: etree._Element | None) -> dict[str, Any]:
    """History, publication status and article ids (DOI, PMC) from PubmedData/PubmedBookData."""
    ids: dict[str, str] = {}
    for id_list in (data.find("ArticleIdList") if data is not None else None, extra_ids):
        for article_id in id_list.iterfind("ArticleId") if id_list is not None else ():
            value = text_of(article_id)
            if value:
                ids.setdefault(article_id.get("IdType", "pubmed"), value)
    history = []
    for event in data.iterfind("History/PubMedPubDate") if data is not None else ():
        date = parse_full_date(event)
        if date is not None:
            history.append((event.get("PubStatus", ""), date))
    return {
        "doi": ids.get("doi"),
        "pmc": ids.get("pmc"),
        "history": tuple(history),
        "publication_status": optional_text(data.find("PublicationStatus")) if data is not None else None,
    }


def _abstract(abstract: etree._Element | None) -> tuple[AbstractSection, ...]:
    if abstract is None:
        return ()
    return tuple(
        AbstractSection(section.get("Label"), section.get("NlmCategory"), text_of(section))
        for section in abstract.iterfind("AbstractText")
    )


def _electronic_date(article: etree._Element) -> dt.date | None:
    for article_date in article.iterfind("ArticleDate"):
        if article_date.get("DateType", "Electronic") == "Electronic":
            return parse_full_date(article_date)
    return None


def _authors(author_list: etree._Element | None) -> tuple[Author, ...]:
    if author_list is None:
        return ()
    return tuple(_author(author) for author in author_list.iterfind("Author"))


def _author(author: etree._Element) -> Author:
    """One pass over the children: a baseline record can list hundreds of authors."""
    names: dict[str, str | None] = {}
    affiliations: list[str] = []
    for child in author:
        if child.tag == "AffiliationInfo":
            affiliations.extend(text_of(a) for a in child.iterfind("Affiliation"))
        elif isinstance(child.tag, str):
            names[child.tag] = optional_text(child)
    return Author(
        last_name=names.get("LastName"),
        fore_name=names.get("ForeName"),
        initials=names.get("Initials"),
        collective_name=names.get("CollectiveName"),
        affiliations=tuple(a for a in affiliations if a),
    )


def _publication_types(elems: Iterator[etree._Element]) -> tuple[PublicationType, ...]:
    return tuple(PublicationType(text_of(p), p.get("UI")) for p in elems)


def _mesh_heading(heading: etree._Element) -> MeshHeading:
    descriptor = _required(heading, "DescriptorName")
    return MeshHeading(
        text_of(descriptor),
        descriptor.get("UI"),
        descriptor.get("MajorTopicYN") == "Y",
        tuple(
            MeshQualifier(text_of(q), q.get("UI"), q.get("MajorTopicYN") == "Y")
            for q in heading.iterfind("QualifierName")
        ),
    )


def _comment_correction(comment: etree._Element) -> CommentCorrection:
    parts = _children(comment)
    return CommentCorrection(
        comment.get("RefType", ""), optional_text(parts.get("PMID")), optional_text(parts.get("RefSource"))
    )


def _chemical(chemical: etree._Element) -> Chemical:
    substance = _required(chemical, "NameOfSubstance")
    return Chemical(text_of(substance), substance.get("UI"), optional_text(chemical.find("RegistryNumber")))


def _texts(elems: Iterator[etree._Element]) -> tuple[str, ...]:
    return tuple(text for text in (text_of(e) for e in elems) if text)
