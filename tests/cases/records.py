"""Write small PubMed XML corpora for tests: our own minimal records with chosen dates and text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Rec:
    pmid: int
    title: str = "Intravenous immunoglobulin in chronic inflammatory demyelinating polyneuropathy"
    abstract: str = "We treated patients with IVIG and report outcomes."
    created: dt.date = dt.date(2020, 1, 15)
    entrez: dt.date | None = None  # None: the create date (NCBI resets it for records added late)
    revised: dt.date | None = None
    publication_types: tuple[str, ...] = ("Journal Article",)
    mesh: tuple[str, ...] = field(default_factory=tuple)
    status: str = "MEDLINE"


PUBMED = ' PubStatus="pubmed"'
ENTREZ = ' PubStatus="entrez"'


def _date(tag: str, d: dt.date, attrs: str = "") -> str:
    return f"<{tag}{attrs}><Year>{d.year}</Year><Month>{d.month:02d}</Month><Day>{d.day:02d}</Day></{tag}>"


def record_xml(r: Rec) -> str:
    revised = r.revised or r.created
    pts = "".join(f'<PublicationType UI="D0">{escape(p)}</PublicationType>' for p in r.publication_types)
    mesh = "".join(
        f'<MeshHeading><DescriptorName UI="D0" MajorTopicYN="N">{escape(m)}</DescriptorName></MeshHeading>'
        for m in r.mesh
    )
    mesh_list = f"<MeshHeadingList>{mesh}</MeshHeadingList>" if mesh else ""
    return (
        f'<PubmedArticle><MedlineCitation Status="{r.status}" Owner="NLM"><PMID Version="1">{r.pmid}</PMID>'
        f"{_date('DateRevised', revised)}"
        f'<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Internet"><PubDate><Year>{r.created.year}'
        f"</Year></PubDate></JournalIssue><Title>Journal of Test Neurology</Title>"
        f"<ISOAbbreviation>J Test Neurol</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{escape(r.title)}</ArticleTitle>"
        f"<Abstract><AbstractText>{escape(r.abstract)}</AbstractText></Abstract>"
        f"<Language>eng</Language><PublicationTypeList>{pts}</PublicationTypeList></Article>"
        f"{mesh_list}</MedlineCitation>"
        f"<PubmedData><History>{_date('PubMedPubDate', r.created, PUBMED)}"
        f"{_date('PubMedPubDate', r.entrez or r.created, ENTREZ)}</History>"
        f"<PublicationStatus>ppublish</PublicationStatus>"
        f'<ArticleIdList><ArticleId IdType="pubmed">{r.pmid}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>'
    )


def write_corpus(path: Path, records: Iterable[Rec]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" ?>\n<PubmedArticleSet>\n')
        for r in records:
            out.write(record_xml(r) + "\n")
        out.write("</PubmedArticleSet>\n")
    return path


# Two small tagged articles the store tests share: a CIDP cohort and a GBS case report.
COHORT = Rec(
    pmid=70000001,
    title="IVIG in chronic inflammatory demyelinating polyneuropathy",
    abstract="We followed 40 patients with CIDP treated with IVIG. IVIG improved disability.",
    created=dt.date(2025, 3, 1),
)
CASE = Rec(
    pmid=70000002,
    title="IVIG in Guillain-Barre syndrome: a case report",
    abstract="We describe one patient with Guillain-Barre syndrome treated with IVIG.",
    created=dt.date(2025, 4, 1),
)
