"""Every field our parser and Bio.Entrez both read must agree on every real file in ../shared/data.

Biopython validates against DTDs: it ships many, and downloads any it lacks. The network is blocked
here; a file whose DTD Biopython lacks is read with the newest shipped DTD of the same family copied
under the missing name (the 2016 MEDLINE DTD differs from 2015 in no element these tests compare).
Biopython keeps inline markup in its strings (``escape=True`` makes them well-formed XML), so every
Biopython string is compared by its text, whitespace-normalised, as ours is.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gzip
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from Bio import Entrez
from Bio.Entrez import Parser
from lxml import etree

from ivig_lit.parse import iter_articles
from ivig_lit.parse.models import Article, DeleteCitation

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FILES = sorted(p.name for p in SHARED_DATA.glob("*.xml*")) if SHARED_DATA.is_dir() else []
BIOPYTHON_DTDS = Path(Parser.DataHandler.global_dtd_dir)
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}


def _no_network(url: object, *args: object, **kwargs: object) -> None:
    raise OSError(f"test blocked Biopython from fetching {url}")


@pytest.fixture(scope="module")
def entrez_dtd_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Offline Biopython: a fresh, empty DTD cache and no urlopen."""
    patch = pytest.MonkeyPatch()
    patch.setattr(Parser, "urlopen", _no_network)
    previous = Parser.DataHandler.directory
    Parser.DataHandler.directory = str(tmp_path_factory.mktemp("biopython"))
    yield Path(Parser.DataHandler.local_dtd_dir)
    Parser.DataHandler.directory = previous
    patch.undo()


def open_binary(path: Path) -> Any:
    return gzip.open(path) if path.suffix == ".gz" else path.open("rb")


def provide_dtd(path: Path, cache: Path) -> None:
    """Put a stand-in in the cache for a DTD Biopython does not ship, or skip the file."""
    with open_binary(path) as stream:
        match = re.search(rb'"[^"]*?([\w.-]+\.dtd)"', stream.read(2048))
    if match is None:
        pytest.skip(f"{path.name} names no DTD, so Biopython cannot read it")
    name = match[1].decode()
    if (BIOPYTHON_DTDS / name).exists() or (cache / name).exists():
        return
    family = name.rsplit("_", 1)[0]
    older = sorted(p for p in BIOPYTHON_DTDS.glob(f"{family}_*.dtd") if p.name < name)
    if not older:
        pytest.skip(f"Biopython ships no {name} nor an older {family} DTD; reading would need the network")
    shutil.copy(older[-1], cache / name)


@pytest.fixture(scope="module")
def read_both(entrez_dtd_cache: Path) -> Callable[[str], tuple[list[Any], list[Any], list[str], list[str]]]:
    """file name -> (Biopython records, our articles, Biopython deleted PMIDs, our deleted PMIDs), cached."""
    cache: dict[str, tuple[list[Any], list[Any], list[str], list[str]]] = {}

    def read(name: str) -> tuple[list[Any], list[Any], list[str], list[str]]:
        if name not in cache:
            path = SHARED_DATA / name
            provide_dtd(path, entrez_dtd_cache)
            with open_binary(path) as stream:
                theirs = Entrez.read(stream, validate=False, escape=True)
            bio_records = [*theirs.get("PubmedArticle", []), *theirs.get("MedlineCitation", [])]
            ours = list(iter_articles(path))
            cache[name] = (
                bio_records,
                [r for r in ours if isinstance(r, Article)],
                [str(p) for p in theirs.get("DeleteCitation", [])],
                [p for r in ours if isinstance(r, DeleteCitation) for p in r.pmids],
            )
        return cache[name]

    return read


def text(value: Any) -> str | None:
    """A Biopython string (escaped XML with its inline markup) as plain, whitespace-normalised text."""
    if value is None:
        return None
    root = etree.fromstring(f"<x>{value}</x>".encode())
    return " ".join("".join(root.itertext()).split()) or None


def full_date(parts: Any) -> dt.date | None:
    return dt.date(int(parts["Year"]), int(parts["Month"]), int(parts["Day"])) if parts else None


def month(value: str | None) -> int | None:
    if value is None:
        return None
    return int(value) if value.isdigit() else MONTHS.get(value[:3].lower())


def citation(record: Any) -> Any:
    return record.get("MedlineCitation", record)


def journal(record: Any) -> Any:
    return citation(record)["Article"]["Journal"]


def pub_date(record: Any) -> tuple[Any, ...]:
    parts = journal(record)["JournalIssue"]["PubDate"]
    if "MedlineDate" in parts:
        return (text(parts["MedlineDate"]),)
    raw = " ".join(parts[k] for k in ("Year", "Month", "Day", "Season") if k in parts)
    return raw, int(parts["Year"]), month(parts.get("Month"))


def our_pub_date_for(record: Any, article: Article) -> tuple[Any, ...]:
    if "MedlineDate" in journal(record)["JournalIssue"]["PubDate"]:
        return (article.pub_date.raw,)
    return article.pub_date.raw, article.pub_date.year, article.pub_date.month


def article_id(record: Any, kind: str) -> str | None:
    ids = record.get("PubmedData", {}).get("ArticleIdList", [])
    return next((str(i) for i in ids if i.attributes.get("IdType") == kind), None)


def doi(record: Any) -> str | None:
    locations = citation(record)["Article"].get("ELocationID", [])
    elocation = next((str(e) for e in locations if e.attributes.get("EIdType") == "doi"), None)
    return article_id(record, "doi") or elocation


def authors(record: Any) -> list[tuple[Any, ...]]:
    return [
        (
            text(a.get("LastName")),
            text(a.get("ForeName")),
            text(a.get("Initials")),
            text(a.get("CollectiveName")),
            [text(i["Affiliation"]) for i in a.get("AffiliationInfo", [])],
        )
        for a in citation(record)["Article"].get("AuthorList", [])
    ]


def mesh(record: Any) -> list[tuple[Any, ...]]:
    return [
        (
            text(h["DescriptorName"]),
            h["DescriptorName"].attributes["UI"],
            h["DescriptorName"].attributes["MajorTopicYN"] == "Y",
            [(text(q), q.attributes["UI"], q.attributes["MajorTopicYN"] == "Y") for q in h.get("QualifierName", [])],
        )
        for h in citation(record).get("MeshHeadingList", [])
    ]


# field -> (what Biopython's record says, what our Article says), both as comparable plain values
FIELDS: dict[str, tuple[Callable[[Any], Any], Callable[[Article], Any]]] = {
    "pmid": (lambda r: str(citation(r)["PMID"]), lambda a: a.pmid),
    "version": (lambda r: int(citation(r)["PMID"].attributes.get("Version", 1)), lambda a: a.version),
    "title": (lambda r: text(citation(r)["Article"]["ArticleTitle"]) or "", lambda a: a.title),
    "abstract": (
        lambda r: [
            (s.attributes.get("Label"), s.attributes.get("NlmCategory"), text(s) or "")
            for s in citation(r)["Article"].get("Abstract", {}).get("AbstractText", [])
        ],
        lambda a: [(s.label, s.category, s.text) for s in a.abstract],
    ),
    "journal": (lambda r: text(journal(r).get("Title")), lambda a: a.journal),
    "journal_iso": (lambda r: text(journal(r).get("ISOAbbreviation")), lambda a: a.journal_iso),
    "article_date": (
        lambda r: next(
            (
                full_date(d)
                for d in citation(r)["Article"].get("ArticleDate", [])
                if d.attributes.get("DateType", "Electronic") == "Electronic"
            ),
            None,
        ),
        lambda a: a.article_date,
    ),
    "date_completed": (lambda r: full_date(citation(r).get("DateCompleted")), lambda a: a.date_completed),
    "date_revised": (lambda r: full_date(citation(r).get("DateRevised")), lambda a: a.date_revised),
    "history": (
        lambda r: [(d.attributes["PubStatus"], full_date(d)) for d in r.get("PubmedData", {}).get("History", [])],
        lambda a: list(a.history),
    ),
    "doi": (doi, lambda a: a.doi),
    "pmc": (lambda r: article_id(r, "pmc"), lambda a: a.pmc),
    "authors": (
        authors,
        lambda a: [(u.last_name, u.fore_name, u.initials, u.collective_name, list(u.affiliations)) for u in a.authors],
    ),
    "languages": (lambda r: [str(x) for x in citation(r)["Article"]["Language"]], lambda a: list(a.languages)),
    "publication_types": (
        lambda r: [(text(p), p.attributes.get("UI")) for p in citation(r)["Article"]["PublicationTypeList"]],
        lambda a: [(p.name, p.ui) for p in a.publication_types],
    ),
    "mesh": (
        mesh,
        lambda a: [(m.descriptor, m.ui, m.major, [(q.name, q.ui, q.major) for q in m.qualifiers]) for m in a.mesh],
    ),
    "supplementary_concepts": (
        lambda r: [
            (text(s), s.attributes.get("UI"), s.attributes.get("Type")) for s in citation(r).get("SupplMeshList", [])
        ],
        lambda a: [(s.name, s.ui, s.type) for s in a.supplementary_concepts],
    ),
    "keywords": (
        lambda r: [text(k) for group in citation(r).get("KeywordList", []) for k in group],
        lambda a: list(a.keywords),
    ),
    "chemicals": (
        lambda r: [
            (text(c["NameOfSubstance"]), c["NameOfSubstance"].attributes.get("UI"), text(c.get("RegistryNumber")))
            for c in citation(r).get("ChemicalList", [])
        ],
        lambda a: [(c.name, c.ui, c.registry_number) for c in a.chemicals],
    ),
    "comments_corrections": (
        lambda r: [
            (c.attributes["RefType"], text(c.get("PMID")), text(c.get("RefSource")))
            for c in citation(r).get("CommentsCorrectionsList", [])
        ],
        lambda a: [(c.ref_type, c.pmid, c.source) for c in a.comments_corrections],
    ),
    "citation_status": (lambda r: citation(r).attributes.get("Status"), lambda a: a.citation_status),
    "publication_status": (
        lambda r: text(r.get("PubmedData", {}).get("PublicationStatus")),
        lambda a: a.publication_status,
    ),
}


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("name", FILES)
def test_field_agrees_with_biopython(read_both: Callable[..., Any], name: str, field: str) -> None:
    bio_records, articles, _, _ = read_both(name)
    theirs, ours = FIELDS[field]
    assert [(citation(r)["PMID"], theirs(r)) for r in bio_records] == [(a.pmid, ours(a)) for a in articles]


@pytest.mark.parametrize("name", FILES)
def test_publication_date_agrees_with_biopython(read_both: Callable[..., Any], name: str) -> None:
    """Raw text always; year and month too where Biopython has separate Year/Month elements."""
    bio_records, articles, _, _ = read_both(name)
    assert [pub_date(r) for r in bio_records] == [
        our_pub_date_for(r, a) for r, a in zip(bio_records, articles, strict=True)
    ]


@pytest.mark.parametrize("name", FILES)
def test_deleted_pmids_agree_with_biopython(read_both: Callable[..., Any], name: str) -> None:
    _, _, theirs, ours = read_both(name)
    assert theirs == ours
