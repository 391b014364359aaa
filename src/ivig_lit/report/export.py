"""Exports for reference managers and spreadsheets: RIS (Zotero, EndNote, Mendeley), CSL-JSON
(Zotero, pandoc/citeproc), CSV and Parquet. Every record carries what ivig-lit found (design,
conditions, N, comparator, direction) as keywords and a note, so a screening library keeps it."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from ivig_lit.errors import InvalidArgumentError
from ivig_lit.store import warehouse as wh
from ivig_lit.store.export import ExportFilter, read_export_rows, write_parquet
from ivig_lit.tag.models import DESIGNS

FORMATS = ("ris", "csl-json", "csv", "parquet")
TEXT_FORMATS = ("ris", "csl-json", "csv")
FLAT_COLUMNS = (
    "pmid", "title", "authors", "journal", "journal_iso", "pub_year", "doi", "pmc", "design", "ivig_focus",
    "conditions", "n_participants", "comparator", "direction", "is_retracted", "entrez_date", "pubmed_url",
)  # fmt: skip


def export_articles(warehouse: Path, fmt: str, where: ExportFilter, out: Path | None) -> tuple[int, str | None]:
    """Export the matching articles to ``out`` (returns how many and None) or as text (how many and
    the text, for stdout)."""
    unknown = sorted(set(where.designs or ()) - set(DESIGNS))
    if unknown:
        raise InvalidArgumentError(f"unknown design(s) {', '.join(unknown)}; known: {', '.join(DESIGNS)}")
    if fmt == "parquet" and out is None:
        raise InvalidArgumentError("Parquet is binary: name a file with --out")
    con = wh.connect(warehouse, read_only=True)
    try:
        rows = read_export_rows(con, where)
    finally:
        con.close()
    if out is None:
        return len(rows), render_export(rows, fmt)
    write_export(rows, fmt, out)
    return len(rows), None


def render_export(rows: list[dict[str, Any]], fmt: str) -> str:
    """The rows (from ``store.export.read_export_rows``) as RIS, CSL-JSON or CSV text."""
    records = [_record(row) for row in rows]
    if fmt == "ris":
        return "".join(to_ris(r) for r in records)
    if fmt == "csl-json":
        return json.dumps([to_csl(r) for r in records], ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        flat_frame(records).to_csv(buffer, index=False)
        return buffer.getvalue()
    raise ValueError(f"not a text format: {fmt}")


def write_export(rows: list[dict[str, Any]], fmt: str, path: Path) -> None:
    """Write the rows to ``path`` in ``fmt`` (Parquet is binary, so files only)."""
    if fmt == "parquet":
        write_parquet(flat_frame([_record(row) for row in rows]), path)
    else:
        path.write_text(render_export(rows, fmt), encoding="utf-8")


def flat_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per article, lists joined with "; " (the CSV and Parquet shape)."""
    rows = [
        {
            **{k: r[k] for k in FLAT_COLUMNS if k in r},
            "authors": "; ".join(_author_text(a) for a in r["authors"]),
            "conditions": "; ".join(r["conditions"]),
        }
        for r in records
    ]
    return pd.DataFrame(rows, columns=list(FLAT_COLUMNS)).astype({"n_participants": "Int64", "pub_year": "Int64"})


def to_ris(r: dict[str, Any]) -> str:
    """One RIS record (tags as Zotero's importer reads them)."""
    lines = [("TY", "JOUR"), ("TI", r["title"])]
    lines += [("AU", _author_ris(a)) for a in r["authors"]]
    if r["pub_year"]:
        lines.append(("PY", str(r["pub_year"])))
        lines.append(("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(r["date_parts"])) + "/"))
    lines += [("T2", r["journal"]), ("J2", r["journal_iso"]), ("AB", r["abstract"]), ("DO", r["doi"])]
    lines += [("AN", f"PMID:{r['pmid']}"), ("UR", r["pubmed_url"])]
    if r["pmc"]:
        lines.append(("L2", f"https://pmc.ncbi.nlm.nih.gov/articles/{r['pmc']}/"))
    lines += [("KW", k) for k in r["keywords"]] + [("KW", k) for k in _tags(r)]
    lines += [("N1", _note(r)), ("DB", "PubMed")]
    return "".join(f"{tag}  - {_one_line(value)}\n" for tag, value in lines if value) + "ER  - \n\n"


def to_csl(r: dict[str, Any]) -> dict[str, Any]:
    """One CSL-JSON item."""
    item: dict[str, Any] = {
        "id": f"pmid:{r['pmid']}",
        "type": "article-journal",
        "title": r["title"],
        "author": [_author_csl(a) for a in r["authors"]],
        "container-title": r["journal"],
        "container-title-short": r["journal_iso"],
        "PMID": r["pmid"],
        "URL": r["pubmed_url"],
        "keyword": ", ".join([*r["keywords"], *_tags(r)]),
        "note": _note(r),
    }
    if r["date_parts"]:
        item["issued"] = {"date-parts": [r["date_parts"]]}
    optional = {"DOI": r["doi"], "PMCID": r["pmc"], "abstract": r["abstract"]}
    item |= {k: v for k, v in optional.items() if v}
    return {k: v for k, v in item.items() if v not in (None, "", [])}


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """A query row made ready to format: authors parsed, NULL lists empty, date parts and links added."""
    r = dict(row)
    r["authors"] = json.loads(r["authors_json"]) if r.get("authors_json") else []
    for key in ("keywords", "conditions", "publication_types"):
        r[key] = list(r[key] or [])
    parts = [r["pub_year"], r["pub_month"], r["pub_day"]]
    r["date_parts"] = parts[: parts.index(None)] if None in parts else parts
    r["pubmed_url"] = f"https://pubmed.ncbi.nlm.nih.gov/{r['pmid']}/"
    return r


def _tags(r: dict[str, Any]) -> list[str]:
    """ivig-lit's findings as keywords a reference manager can filter on."""
    tags = [f"ivig-lit:design:{r['design']}"] + [f"ivig-lit:condition:{c}" for c in r["conditions"]]
    if r["direction"]:
        tags.append(f"ivig-lit:direction:{r['direction']}")
    if r["is_retracted"]:
        tags.append("ivig-lit:retracted")
    return tags


def _note(r: dict[str, Any]) -> str:
    parts = [f"ivig-lit design: {r['design']}"]
    if r["n_participants"]:
        parts.append(f"N={r['n_participants']}")
    if r["comparator"]:
        parts.append(f"comparator: {r['comparator']}")
    if r["direction"]:
        parts.append(f"direction: {r['direction'].replace('_', ' ')}")
    if r["is_retracted"]:
        parts.append("RETRACTED")
    return "; ".join(parts)


def _author_text(a: dict[str, Any]) -> str:
    if a.get("collective_name"):
        return a["collective_name"]
    return " ".join(p for p in (a.get("last_name"), a.get("initials")) if p)


def _author_ris(a: dict[str, Any]) -> str:
    if a.get("collective_name"):
        return a["collective_name"]
    return ", ".join(p for p in (a.get("last_name"), a.get("fore_name")) if p)


def _author_csl(a: dict[str, Any]) -> dict[str, str]:
    if a.get("collective_name"):
        return {"literal": a["collective_name"]}
    return {k: v for k, v in (("family", a.get("last_name")), ("given", a.get("fore_name"))) if v}


def _one_line(value: Any) -> str:
    """RIS values may not span lines."""
    return " ".join(str(value).split())
