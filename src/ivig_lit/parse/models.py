"""Frozen records the parser yields and every later stage reads.

They mirror the PubMed DTD closely enough that nothing the tagger or the warehouse needs is lost,
and are plain data (tuples, not lists) so they hash, compare and serialise deterministically.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson

from ivig_lit.hashing import text_hash

_T = TypeVar("_T")

# Reference types in CommentsCorrections that mean "this article was retracted" / "this is the notice".
RETRACTED_BY = "RetractionIn"
RETRACTION_OF = "RetractionOf"
ERRATUM_IN = "ErratumIn"
ERRATUM_FOR = "ErratumFor"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A PubMed date that may lack month/day (``MedlineDate`` "1998 Dec-1999 Jan" keeps its raw text)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    raw: str | None = None

    def to_date(self) -> dt.date | None:
        """Earliest calendar date the partial date can mean (month/day default to 1)."""
        if self.year is None:
            return None
        return dt.date(self.year, self.month or 1, self.day or 1)


@dataclass(frozen=True, slots=True)
class AbstractSection:
    label: str | None
    category: str | None  # NlmCategory: BACKGROUND, OBJECTIVE, METHODS, RESULTS, CONCLUSIONS, UNASSIGNED
    text: str


@dataclass(frozen=True, slots=True)
class Author:
    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    collective_name: str | None = None
    affiliations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PublicationType:
    name: str
    ui: str | None = None


@dataclass(frozen=True, slots=True)
class MeshQualifier:
    name: str
    ui: str | None = None
    major: bool = False


@dataclass(frozen=True, slots=True)
class MeshHeading:
    descriptor: str
    ui: str | None = None
    major: bool = False
    qualifiers: tuple[MeshQualifier, ...] = ()


@dataclass(frozen=True, slots=True)
class Chemical:
    name: str
    ui: str | None = None
    registry_number: str | None = None


@dataclass(frozen=True, slots=True)
class SupplementaryConcept:
    name: str
    ui: str | None = None
    type: str | None = None  # Disease, Protocol, Organism


@dataclass(frozen=True, slots=True)
class CommentCorrection:
    ref_type: str  # RetractionIn, RetractionOf, ErratumIn, ErratumFor, UpdateIn, CommentIn, ...
    pmid: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One PubMed record (``PubmedArticle``, ``PubmedBookArticle`` or a bare ``MedlineCitation``)."""

    pmid: str
    version: int = 1
    title: str = ""  # markup removed, text kept (<i>, <sup>, MathML...)
    title_raw: str = ""  # inner XML of ArticleTitle/BookTitle as published
    abstract: tuple[AbstractSection, ...] = ()
    journal: str | None = None
    journal_iso: str | None = None
    pub_date: PartialDate = field(default_factory=PartialDate)
    article_date: dt.date | None = None  # electronic publication date
    history: tuple[tuple[str, dt.date], ...] = ()  # (PubStatus, date): entrez, pubmed, medline, received...
    date_completed: dt.date | None = None
    date_revised: dt.date | None = None
    doi: str | None = None
    pmc: str | None = None
    authors: tuple[Author, ...] = ()
    languages: tuple[str, ...] = ()
    publication_types: tuple[PublicationType, ...] = ()
    mesh: tuple[MeshHeading, ...] = ()
    supplementary_concepts: tuple[SupplementaryConcept, ...] = ()
    keywords: tuple[str, ...] = ()
    trial_ids: tuple[str, ...] = ()  # NCT numbers the DataBankList files under ClinicalTrials.gov
    chemicals: tuple[Chemical, ...] = ()
    comments_corrections: tuple[CommentCorrection, ...] = ()
    citation_status: str | None = None  # MEDLINE, In-Process, In-Data-Review, PubMed-not-MEDLINE, Publisher
    publication_status: str | None = None  # ppublish, epublish, aheadofprint
    is_book: bool = False

    @property
    def abstract_text(self) -> str:
        """The abstract as one string, section labels kept ("METHODS: ...")."""
        return " ".join(f"{s.label}: {s.text}" if s.label else s.text for s in self.abstract)

    @property
    def publication_type_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.publication_types)

    @property
    def mesh_descriptors(self) -> tuple[str, ...]:
        return tuple(m.descriptor for m in self.mesh)

    def history_date(self, status: str) -> dt.date | None:
        """Date of a history event (``entrez``, ``pubmed``, ``medline``...), if recorded."""
        return next((d for s, d in self.history if s == status), None)

    @property
    def entrez_date(self) -> dt.date | None:
        return self.history_date("entrez") or self.history_date("pubmed")

    @property
    def is_retracted(self) -> bool:
        """PubMed links a retraction notice to it, or indexing marked it 'Retracted Publication'."""
        return any(c.ref_type == RETRACTED_BY for c in self.comments_corrections) or (
            "Retracted Publication" in self.publication_type_names
        )

    @property
    def is_retraction_notice(self) -> bool:
        return any(c.ref_type == RETRACTION_OF for c in self.comments_corrections) or (
            "Retraction of Publication" in self.publication_type_names
        )

    @property
    def is_erratum_notice(self) -> bool:
        return any(c.ref_type == ERRATUM_FOR for c in self.comments_corrections) or (
            "Published Erratum" in self.publication_type_names
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings); the warehouse stores it as the record's body.

        ``trial_ids`` came after records were first stored: left out when empty, it leaves the hash
        of every record without one as it was, so re-reading old records reports no revision."""
        data = _jsonable(self)
        if not self.trial_ids:
            del data["trial_ids"]
        return data

    def canonical_json(self) -> str:
        """The record as compact, key-sorted JSON: what the warehouse stores and the hash covers.

        orjson writes the bytes ``json.dumps(sort_keys=True, ensure_ascii=False, separators=(",",
        ":"))`` wrote when the stored hashes were made, about 4x faster; the standard library takes
        what orjson refuses (a lone surrogate, an integer past 64 bits)."""
        data = self.to_dict()
        try:
            return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
        except orjson.JSONEncodeError:
            return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Inverse of ``to_dict``: rebuilds a record from the warehouse's JSON (used to re-tag)."""
        d = dict(data)
        d["pub_date"] = PartialDate(**d.get("pub_date") or {})
        d["abstract"] = tuple(AbstractSection(**s) for s in d.get("abstract") or ())
        d["authors"] = tuple(
            Author(**{**a, "affiliations": tuple(a.get("affiliations") or ())}) for a in d.get("authors") or ()
        )
        d["publication_types"] = tuple(PublicationType(**p) for p in d.get("publication_types") or ())
        d["mesh"] = tuple(
            MeshHeading(**{**m, "qualifiers": tuple(MeshQualifier(**q) for q in m.get("qualifiers") or ())})
            for m in d.get("mesh") or ()
        )
        d["supplementary_concepts"] = tuple(SupplementaryConcept(**c) for c in d.get("supplementary_concepts") or ())
        d["chemicals"] = tuple(Chemical(**c) for c in d.get("chemicals") or ())
        d["comments_corrections"] = tuple(CommentCorrection(**c) for c in d.get("comments_corrections") or ())
        d["history"] = tuple((status, dt.date.fromisoformat(day)) for status, day in d.get("history") or ())
        for key in ("article_date", "date_completed", "date_revised"):
            d[key] = dt.date.fromisoformat(d[key]) if d.get(key) else None
        for key in ("languages", "keywords", "trial_ids"):
            d[key] = tuple(d.get(key) or ())
        return cls(**d)

    def content_hash(self) -> str:
        """Stable hash of everything PubMed can revise; equal hashes mean an unchanged record."""
        return hash_json(self.canonical_json())


@dataclass(frozen=True, slots=True)
class DeleteCitation:
    """PMIDs a baseline/update file withdraws (``<DeleteCitation>``)."""

    pmids: tuple[str, ...]


def hash_json(text: str) -> str:
    return text_hash(text, 32)


_SCALARS = frozenset({str, int, float, bool, type(None)})  # returned as they are, without a call
_FIELDS: dict[type, tuple[str, ...] | None] = {}  # a slotted dataclass's fields, None for other types


def _fields(cls: type) -> tuple[str, ...] | None:
    if (names := _FIELDS.get(cls, ())) == ():
        slots = getattr(cls, "__slots__", None)
        names = _FIELDS[cls] = tuple(slots) if slots is not None and dataclasses.is_dataclass(cls) else None
    return names


def _jsonable(value: Any) -> Any:
    """Dataclasses (all slotted) to dicts, tuples to lists, dates to ISO strings; a direct walk,
    several times faster than ``dataclasses.asdict`` and its deep copies. Every record is walked
    once per load (its stored JSON and hash), so scalars, most of the values, skip the call."""
    cls = type(value)
    if cls in _SCALARS:
        return value
    if cls is tuple or cls is list:
        return [v if type(v) in _SCALARS else _jsonable(v) for v in value]
    if (names := _fields(cls)) is not None:
        return {name: v if type(v := getattr(value, name)) in _SCALARS else _jsonable(v) for name in names}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class Skipped:
    """An article a pre-filter ruled out from its raw bytes: counted, never parsed (so no PMID)."""


SKIPPED = Skipped()


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record the parser could not read; it is quarantined and the stream goes on."""

    pmid: str | None
    reason: str
    source: str | None = None  # file name or "efetch"
    line: int | None = None


def fast_constructor(cls: type[_T]) -> Callable[..., _T]:
    """A constructor for a frozen slotted dataclass two to three times cheaper than calling the class.

    A frozen ``__init__`` must set each field through ``object.__setattr__``; the parser builds a
    dozen or more records per article, so construction was a large share of its time. This returns a
    non-frozen twin with the same fields, defaults and slot layout, whose ``__init__`` assigns plainly
    and then gives the object the frozen class: what it returns is indistinguishable from ``cls(...)``.
    """
    if not dataclasses.is_dataclass(cls) or "__slots__" not in vars(cls):
        raise TypeError(f"{cls.__name__} is not a slotted dataclass")

    def become_frozen(record: Any) -> None:
        record.__class__ = cls

    return dataclasses.make_dataclass(
        f"_{cls.__name__}Draft",
        [
            (f.name, f.type, field(default=f.default, default_factory=f.default_factory))
            for f in dataclasses.fields(cls)
        ],
        slots=True,
        namespace={"__post_init__": become_frozen},
    )
