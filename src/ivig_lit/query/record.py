"""A PubMed query applied to one parsed record, as ESearch would decide it: the emulator and a
later relevance gate for bulk ingestion share one evaluator, so "would PubMed return this record
for this query?" has one answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ivig_lit.parse.models import Article
from ivig_lit.query.pubmed import Node, parse_query
from ivig_lit.query.text import normalize_text, phrase_pattern

_SEP = " | "  # never produced by normalize_text, so phrases cannot match across it
_LANGUAGE_NAMES = {
    "english": "eng", "german": "ger", "french": "fre", "japanese": "jpn", "spanish": "spa",
    "italian": "ita", "chinese": "chi", "russian": "rus", "portuguese": "por", "dutch": "dut",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RecordFields:
    """What a query can see of one record (raw text; normalized on use)."""

    pmid: str = ""
    title: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()  # descriptors and supplementary concepts
    major_mesh: tuple[str, ...] = ()
    publication_types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    dates: tuple[tuple[str, dt.date], ...] = ()  # (crdt|edat|mdat|pdat, date)

    @classmethod
    def of_article(cls, article: Article) -> RecordFields:
        """The searchable fields of a parsed record (dates as the emulator's corpus derives them)."""
        created = article.history_date("pubmed") or article.history_date("entrez")
        pub = article.pub_date
        pdat = dt.date(pub.year, pub.month or 1, pub.day or 1) if pub.year else None
        dates = {"crdt": created, "edat": article.history_date("entrez") or created, "pdat": pdat or created}
        dates["mdat"] = article.date_revised or created
        return cls(
            pmid=article.pmid,
            title=article.title,
            abstract=" ".join(s.text for s in article.abstract),
            keywords=article.keywords,
            mesh=(*article.mesh_descriptors, *(c.name for c in article.supplementary_concepts)),
            major_mesh=tuple(m.descriptor for m in article.mesh if m.major or any(q.major for q in m.qualifiers)),
            publication_types=article.publication_type_names,
            languages=article.languages,
            dates=tuple((k, v) for k, v in dates.items() if v is not None),
        )


class RecordIndex:
    """The ``SearchIndex`` of a single record (document 0)."""

    def __init__(self, fields: RecordFields) -> None:
        self.ti = normalize_text(fields.title)
        self.ab = normalize_text(fields.abstract)
        self.kw = _SEP.join(normalize_text(k) for k in fields.keywords)
        self.mesh = {normalize_text(m) for m in fields.mesh}
        self.mh = _SEP.join(sorted(self.mesh))
        self.values = {
            "mh": self.mesh,
            "majr": {normalize_text(m) for m in fields.major_mesh},
            "pt": {normalize_text(p) for p in fields.publication_types},
            "la": {normalize_text(x) for x in fields.languages},
            "pmid": {fields.pmid},
        }
        self.dates = dict(fields.dates)

    def all_docs(self) -> set[int]:
        return {0}

    def text_docs(self, field: str, tokens: list[str], truncated: bool) -> set[int]:
        texts = {
            "ti": [self.ti],
            "ab": [self.ab],
            "tiab": [self.ti, self.ab, self.kw],
            "tw": [self.ti, self.ab, self.kw, self.mh],
            "all": [self.ti, self.ab, self.kw, self.mh],
        }[field]
        pattern = phrase_pattern(tokens, truncated)
        return {0} if any(pattern.search(t) for t in texts) else set()

    def mesh_docs(self, name: str, major: bool, truncated: bool) -> set[int]:
        return self.value_docs("majr" if major else "mh", name, truncated)

    def value_docs(self, field: str, value: str, truncated: bool) -> set[int]:
        if field == "la":
            value = _LANGUAGE_NAMES.get(value, value)
        values = self.values[field]
        hit = any(v.startswith(value) for v in values) if truncated else value in values
        return {0} if hit else set()

    def date_docs(self, field: str, start: dt.date, end: dt.date) -> set[int]:
        day = self.dates.get(field)
        return {0} if day is not None and start <= day <= end else set()


def matches(query: str | Node, record: RecordFields | Article) -> bool:
    """Would PubMed return ``record`` for ``query``? (A parsed query can be reused across records.)"""
    node = parse_query(query) if isinstance(query, str) else query
    fields = RecordFields.of_article(record) if isinstance(record, Article) else record
    return bool(node.evaluate(RecordIndex(fields)))
