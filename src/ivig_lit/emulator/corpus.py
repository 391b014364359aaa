"""PubMed XML loaded into an in-memory search index, with the dates the emulator replays by.

Every record *version* in the input files is one document. Dates per document:

* **crdt** (create date) = ``PubMedPubDate[@PubStatus="pubmed"]``, else ``"entrez"``, else
  ``DateCreated`` (MEDLINE baseline files), else the publication date;
* **edat** (Entrez date) = ``PubStatus="entrez"``, else crdt. For records added late NCBI resets
  EDAT to the publication date, so edat may be years before crdt;
* **mdat** (modification date) = ``DateRevised``, else crdt;
* **pdat** (publication date) = the journal (or book) ``PubDate``; a ``MedlineDate`` ("1998 Dec-1999
  Jan", "2001 Spring") counts as its first year and month.

Replay rule (:meth:`Corpus.visible_docs`): on day ``today`` a PMID exists once its crdt <= today, and
the version served is the latest whose mdat <= today (the earliest one if all were revised later).
"""

from __future__ import annotations

import array
import bisect
import datetime as dt
import gzip
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO

from lxml import etree

from ivig_lit.parse import parse_full_date, parse_pub_date
from ivig_lit.query.text import normalize_text, phrase_pattern

log = logging.getLogger(__name__)

_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "MedlineCitation")
_LANGUAGE_NAMES = {
    "english": "eng", "german": "ger", "french": "fre", "japanese": "jpn", "spanish": "spa",
    "italian": "ita", "chinese": "chi", "russian": "rus", "portuguese": "por", "dutch": "dut",
}  # fmt: skip
_SEP = " | "  # never produced by normalize_text, so phrases cannot match across it


@dataclass(frozen=True, slots=True)
class Document:
    """One version of one record: what the index knows about it plus its XML, served as is."""

    pmid: str
    crdt: dt.date
    edat: dt.date
    mdat: dt.date
    pdat: dt.date
    xml: bytes


@dataclass(slots=True)
class _Texts:
    ti: str
    ab: str
    kw: str
    mh: str


class Corpus:
    """An index over PubMed records; thread-safe for reading once built."""

    def __init__(self, elements: Iterable[etree._Element] = ()) -> None:
        self.docs: list[Document] = []
        self._texts: list[_Texts] = []
        self._postings: dict[str, dict[str, array.array]] = {"ti": {}, "tiab": {}, "mhw": {}}
        self._vocab: dict[str, list[str]] = {}
        self._values: dict[str, dict[str, set[int]]] = {"mh": {}, "majr": {}, "pt": {}, "la": {}, "pmid": {}}
        self._value_keys: dict[str, list[str]] = {}
        self._dates: dict[str, tuple[list[int], list[int]]] = {}
        self._versions: dict[str, list[int]] = {}
        self._visible_cache: dict[dt.date, frozenset[int]] = {}
        self._lock = threading.Lock()
        for element in elements:
            self._add(element)
        self._freeze()

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> Corpus:
        """Load PubMed XML files (``.xml`` or ``.xml.gz``; PubmedArticleSet or MedlineCitationSet)."""
        paths = [Path(p) for p in paths]
        corpus = cls(e for p in paths for e in _iter_records(p))
        log.info("loaded %d record versions (%d PMIDs) from %d file(s)", len(corpus), corpus.n_pmids, len(paths))
        return corpus

    @classmethod
    def demo(cls) -> Corpus:
        """The bundled demo corpus (``ivig_lit/data/demo_corpus.xml.gz``)."""
        return cls.from_files([Path(str(resources.files("ivig_lit") / "data" / "demo_corpus.xml.gz"))])

    def _add(self, el: etree._Element) -> None:
        doc_id = len(self.docs)
        is_book = el.tag == "PubmedBookArticle"
        cit = el if el.tag == "MedlineCitation" else el.find("BookDocument" if is_book else "MedlineCitation")
        pmid = (cit.findtext("PMID") or "").strip() if cit is not None else ""
        if not pmid:
            log.warning("skipping a %s without PMID", el.tag)
            return
        history = {
            d.get("PubStatus"): parse_full_date(d)
            for d in el.iterfind(
                "PubmedBookData/History/PubMedPubDate" if is_book else "PubmedData/History/PubMedPubDate"
            )
        }
        art = cit.find("Book" if is_book else "Article")
        pub_el = art.find("PubDate" if is_book else "Journal/JournalIssue/PubDate") if art is not None else None
        pub = parse_pub_date(pub_el).to_date()
        created = parse_full_date(cit.find("DateCreated"))
        revised = parse_full_date(cit.find("DateRevised"))
        crdt = history.get("pubmed") or history.get("entrez") or created or pub or revised
        if crdt is None:
            log.warning("skipping PMID %s: it has no date at all", pmid)
            return
        doc = Document(
            pmid=pmid,
            crdt=crdt,
            edat=history.get("entrez") or crdt,
            mdat=revised or crdt,
            pdat=pub or crdt,
            xml=_article_xml(el),
        )
        holder = cit if is_book or art is None else art  # where ArticleTitle and Abstract live
        title_el = holder.find("ArticleTitle")
        if title_el is None and is_book:
            title_el = cit.find("Book/BookTitle")
        texts = _Texts(
            ti=_norm(title_el),
            ab=" ".join(normalize_text("".join(a.itertext())) for a in holder.iterfind("Abstract/AbstractText")),
            kw=_SEP.join(normalize_text("".join(k.itertext())) for k in cit.iterfind("KeywordList/Keyword")),
            mh="",
        )
        mesh_names = []
        for heading in cit.iterfind("MeshHeadingList/MeshHeading"):
            name = _norm(heading.find("DescriptorName"))
            major = any(x.get("MajorTopicYN") == "Y" for x in heading)
            mesh_names.append(name)
            self._values["mh"].setdefault(name, set()).add(doc_id)
            if major:
                self._values["majr"].setdefault(name, set()).add(doc_id)
        for concept in cit.iterfind("SupplMeshList/SupplMeshName"):
            name = _norm(concept)
            mesh_names.append(name)
            self._values["mh"].setdefault(name, set()).add(doc_id)
        texts.mh = _SEP.join(mesh_names)
        for pt in cit.iterfind(".//PublicationType"):
            self._values["pt"].setdefault(_norm(pt), set()).add(doc_id)
        for lang in cit.iterfind(".//Language"):
            self._values["la"].setdefault(_norm(lang), set()).add(doc_id)
        self._values["pmid"].setdefault(pmid, set()).add(doc_id)
        for name, text in (("ti", texts.ti), ("tiab", f"{texts.ti} {texts.ab} {texts.kw}"), ("mhw", texts.mh)):
            postings = self._postings[name]
            for token in set(text.split()) - {"|"}:
                postings.setdefault(token, array.array("i")).append(doc_id)
        self.docs.append(doc)
        self._texts.append(texts)
        self._versions.setdefault(pmid, []).append(doc_id)

    def _freeze(self) -> None:
        self._vocab = {name: sorted(p) for name, p in self._postings.items()}
        self._value_keys = {name: sorted(v) for name, v in self._values.items()}
        for field in ("crdt", "edat", "mdat", "pdat"):
            pairs = sorted((getattr(d, field).toordinal(), i) for i, d in enumerate(self.docs))
            self._dates[field] = ([p[0] for p in pairs], [p[1] for p in pairs])
        for versions in self._versions.values():
            versions.sort(key=lambda i: (self.docs[i].mdat, i))

    # -- size -----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.docs)

    @property
    def n_pmids(self) -> int:
        return len(self._versions)

    # -- replay ---------------------------------------------------------------------------------
    def visible_docs(self, today: dt.date) -> frozenset[int]:
        """The one version per PMID served on ``today`` (see the module docstring); cached per day."""
        with self._lock:
            cached = self._visible_cache.get(today)
        if cached is not None:
            return cached
        chosen = []
        for versions in self._versions.values():
            if min(self.docs[v].crdt for v in versions) > today:
                continue
            current = versions[0]
            for v in versions[1:]:
                if self.docs[v].mdat <= today:
                    current = v
            chosen.append(current)
        visible = frozenset(chosen)
        with self._lock:
            self._visible_cache[today] = visible
        return visible

    def lookup(self, pmid: str, today: dt.date) -> Document | None:
        """The version of ``pmid`` served on ``today``, or None if it does not exist yet (or at all)."""
        visible = self.visible_docs(today)
        for doc_id in reversed(self._versions.get(pmid, [])):
            if doc_id in visible:
                return self.docs[doc_id]
        return None

    def sort_key(self, doc_id: int, by: str = "edat") -> tuple[dt.date, int]:
        """PubMed's default order is most recent Entrez date first, then the higher PMID."""
        doc = self.docs[doc_id]
        return (doc.pdat if by == "pdat" else doc.edat, int(doc.pmid) if doc.pmid.isdigit() else 0)

    # -- SearchIndex protocol ---------------------------------------------------------------------
    def all_docs(self) -> set[int]:
        return set(range(len(self.docs)))

    def _token_docs(self, posting: str, token: str, truncated: bool) -> set[int]:
        postings = self._postings[posting]
        if not truncated:
            return set(postings.get(token, ()))
        vocab = self._vocab[posting]
        out: set[int] = set()
        for key in vocab[bisect.bisect_left(vocab, token) :]:
            if not key.startswith(token):
                break
            out.update(postings[key])
        return out

    def _phrase_docs(self, posting: str, tokens: list[str], truncated: bool, text_of, verify: bool) -> set[int]:
        candidates: set[int] | None = None
        for token in sorted(tokens[:-1], key=lambda t: len(self._postings[posting].get(t, ()))):
            docs = self._token_docs(posting, token, False)
            candidates = docs if candidates is None else candidates & docs
            if not candidates:
                return set()
        last = self._token_docs(posting, tokens[-1], truncated)
        candidates = last if candidates is None else candidates & last
        if len(tokens) == 1 and not verify:
            return candidates
        pattern = phrase_pattern(tokens, truncated)
        return {d for d in candidates if pattern.search(text_of(d))}

    def text_docs(self, field: str, tokens: list[str], truncated: bool) -> set[int]:
        texts = self._texts
        if field == "ti":
            return self._phrase_docs("ti", tokens, truncated, lambda d: texts[d].ti, False)
        if field == "ab":
            return self._phrase_docs("tiab", tokens, truncated, lambda d: texts[d].ab, True)
        tiab = self._phrase_docs(
            "tiab", tokens, truncated, lambda d: f"{texts[d].ti}{_SEP}{texts[d].ab}{_SEP}{texts[d].kw}", False
        )
        if field == "tiab":
            return tiab
        return tiab | self._phrase_docs("mhw", tokens, truncated, lambda d: texts[d].mh, False)

    def mesh_docs(self, name: str, major: bool, truncated: bool) -> set[int]:
        return self.value_docs("majr" if major else "mh", name, truncated)

    def value_docs(self, field: str, value: str, truncated: bool) -> set[int]:
        if field == "la":
            value = _LANGUAGE_NAMES.get(value, value)
        values = self._values[field]
        if not truncated:
            return set(values.get(value, ()))
        keys = self._value_keys[field]
        out: set[int] = set()
        for key in keys[bisect.bisect_left(keys, value) :]:
            if not key.startswith(value):
                break
            out |= values[key]
        return out

    def date_docs(self, field: str, start: dt.date, end: dt.date) -> set[int]:
        ordinals, doc_ids = self._dates[field]
        lo = bisect.bisect_left(ordinals, start.toordinal())
        hi = bisect.bisect_right(ordinals, end.toordinal())
        return set(doc_ids[lo:hi])


def _article_xml(el: etree._Element) -> bytes:
    """The record as EFetch returns it: a bare MedlineCitation (baseline files) gets wrapped."""
    xml = etree.tostring(el, encoding="utf-8", xml_declaration=False)
    return b"<PubmedArticle>" + xml + b"</PubmedArticle>" if el.tag == "MedlineCitation" else xml


def _norm(el: etree._Element | None) -> str:
    return normalize_text("".join(el.itertext())) if el is not None else ""


def _open(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def _iter_records(path: Path) -> Iterator[etree._Element]:
    """Top-level records of a file, streamed (a MedlineCitation inside a PubmedArticle is not one)."""
    with _open(path) as fh:
        context = etree.iterparse(fh, events=("end",), tag=_RECORD_TAGS, load_dtd=False, resolve_entities=False)
        for _, el in context:
            parent = el.getparent()
            if el.tag == "MedlineCitation" and parent is not None and parent.tag == "PubmedArticle":
                continue
            yield el
            if parent is not None and parent.getparent() is None:
                el.clear()
                while el.getprevious() is not None:
                    del parent[0]
