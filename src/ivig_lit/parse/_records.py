"""One PubMed record element -> Article, in one pass over each level's children.

This is the parser's hot path: no XPath and no find() per field, values that repeat across records
(dates, MeSH headings, publication types, chemicals) built once and shared, and the per-article records
built with ``fast_constructor``. Where an element may repeat, the choice matches the reading the tests
pin: the first PMID, PubDate and ArticleIdList, the last of the single-valued children, every item of
every list. Anything malformed raises ``ValueError`` with the reason the quarantine records.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ivig_lit.parse._dates import parse_full_date, parse_pub_date
from ivig_lit.parse._memo import remember
from ivig_lit.parse._text import inner_xml, optional_text, text_of
from ivig_lit.parse.models import (
    AbstractSection,
    Article,
    Author,
    Chemical,
    CommentCorrection,
    MeshHeading,
    MeshQualifier,
    PublicationType,
    SupplementaryConcept,
    fast_constructor,
)

_NCT = re.compile(r"NCT\d{8}")
_CITATION_LISTS = frozenset(
    ("MeshHeadingList", "CommentsCorrectionsList", "ChemicalList", "KeywordList", "SupplMeshList")
)
# Values that repeat across records are built once and shared (all frozen); see _memo.
_PUBLICATION_TYPES: dict[tuple[str, str | None], PublicationType] = {}
_MESH_HEADINGS: dict[tuple[Any, ...], MeshHeading] = {}
_CHEMICALS: dict[tuple[str, str | None, str | None], Chemical] = {}
# The records built per article (dozens) skip the frozen __init__; see fast_constructor.
_new_article = fast_constructor(Article)
_new_author = fast_constructor(Author)
_new_section = fast_constructor(AbstractSection)
_new_comment = fast_constructor(CommentCorrection)


def is_pmid(text: str) -> bool:
    """A PMID is a positive whole number written in ASCII digits ("12345", never "PMC12345" or "0")."""
    return text.isdigit() and text.isascii() and text.strip("0") != ""


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


def journal_article(elem: etree._Element) -> Article:
    """A PubmedArticle or a bare MedlineCitation."""
    bare = elem.tag == "MedlineCitation"  # old MEDLINE sets: PubmedData, if any, is inside the citation
    citation = elem if bare else None
    data = None
    if not bare:
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
        elif tag == "PubmedData" and bare and data is None:
            data = child
    if article is None:
        raise ValueError("<MedlineCitation> has no <Article>")
    pmid_text, version = _pmid_fields(pmid)

    title = abstract = author_list = journal = None
    languages: list[str] = []
    publication_types: list[PublicationType] = []
    article_date: dt.date | None = None
    electronic_seen = False
    doi: str | None = None
    trial_ids: tuple[str, ...] = ()
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
        elif tag == "DataBankList":
            trial_ids = _trial_ids(child)

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
        trial_ids=trial_ids,
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


def book_article(elem: etree._Element) -> Article:
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


def _trial_ids(databank_list: etree._Element) -> tuple[str, ...]:
    """The ClinicalTrials.gov accession numbers of a DataBankList, upper-cased and without repeats;
    other banks (GenBank, ISRCTN...) name nothing the trials watch can look up."""
    ids: dict[str, None] = {}
    for bank in databank_list.iterfind("DataBank"):
        if (bank.findtext("DataBankName") or "").strip().lower() == "clinicaltrials.gov":
            for number in bank.iterfind("AccessionNumberList/AccessionNumber"):
                nct = "".join((number.text or "").split()).upper()
                if _NCT.fullmatch(nct):
                    ids[nct] = None
    return tuple(ids)


def _texts(elems: Iterator[etree._Element]) -> tuple[str, ...]:
    return tuple(text for text in (text_of(e) for e in elems) if text)
