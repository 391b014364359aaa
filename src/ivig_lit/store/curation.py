"""Curator overrides: read them from the command line or a CSV/TSV file, validate every one, and
append them to ``curations``.

Overrides live in their own append-only table, never in ``article_tags``: the views apply the
newest one per tag over the tagger's output, so ``retag`` and tagger upgrades cannot erase them and
the log keeps who said what, when and why. A bulk file is all or nothing: every bad line is named
and nothing is stored when any line is bad.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ivig_lit.errors import CurationError
from ivig_lit.registry import Registry
from ivig_lit.store.queries import load_query
from ivig_lit.tag.models import DESIGNS, DIRECTIONS

FILE_COLUMNS = ("pmid", "design", "ivig", "direction", "add_conditions", "remove_conditions", "confirm", "note",
                "curator")  # fmt: skip
_PMID = re.compile(r"^[1-9][0-9]{0,9}$")
_YES = {"yes": "yes", "y": "yes", "true": "yes", "1": "yes", "no": "no", "n": "no", "false": "no", "0": "no"}
_LIST_SPLIT = re.compile(r"[;,\s]+")


@dataclass(frozen=True, slots=True)
class Curation:
    """One curator's word on one article: corrections, or a bare confirmation of its tags."""

    pmid: str
    curator: str
    design: str | None = None
    ivig_focus: bool | None = None
    direction: str | None = None
    add_conditions: tuple[str, ...] = ()
    remove_conditions: tuple[str, ...] = ()
    confirm: bool = False
    note: str | None = None
    origin: str = "cli"  # 'cli' or 'FILE:LINE'

    def rows(self) -> list[tuple[str, str | None, str | None]]:
        """(tag, condition_id, value) rows this curation stores; a bare confirmation stores one."""
        out: list[tuple[str, str | None, str | None]] = []
        if self.design:
            out.append(("design", None, self.design))
        if self.ivig_focus is not None:
            out.append(("ivig_focus", None, "yes" if self.ivig_focus else "no"))
        if self.direction:
            out.append(("direction", None, self.direction))
        out += [("condition", c, "yes") for c in self.add_conditions]
        out += [("condition", c, "no") for c in self.remove_conditions]
        return out or [("confirm", None, None)]


def validate_curation(c: Curation, registry: Registry) -> list[str]:
    """Every problem with ``c`` as a message; empty when it can be stored."""
    problems = []
    if not _PMID.match(c.pmid):
        problems.append(f"PMID must be a positive number, got {c.pmid!r}")
    if c.design is not None and c.design not in DESIGNS:
        problems.append(f"unknown design {c.design!r} (known: {', '.join(DESIGNS)})")
    if c.direction is not None and c.direction not in DIRECTIONS:
        problems.append(f"unknown direction {c.direction!r} (known: {', '.join(DIRECTIONS)})")
    known = set(registry.ids) | set(registry.groups)
    for cid in c.add_conditions + c.remove_conditions:
        if cid not in known:
            problems.append(f"unknown condition {cid!r} (see `ivig-lit conditions`)")
    if both := set(c.add_conditions) & set(c.remove_conditions):
        problems.append(f"condition {sorted(both)[0]!r} is both added and removed")
    if not c.curator.strip():
        problems.append("curator name is empty")
    has_change = c.design or c.ivig_focus is not None or c.direction or c.add_conditions or c.remove_conditions
    if not (has_change or c.confirm):
        problems.append("nothing to do: give a correction (design, ivig, direction, conditions) or confirm")
    return problems


def parse_yes_no(raw: str, what: str) -> bool | None:
    """'yes'/'no' (and y/n, true/false, 1/0) as a bool; '' as None."""
    raw = raw.strip().lower()
    if not raw:
        return None
    if raw not in _YES:
        raise ValueError(f"{what} must be yes or no, got {raw!r}")
    return _YES[raw] == "yes"


def read_curation_file(path: Path, registry: Registry, default_curator: str) -> list[Curation]:
    """Curations from a CSV or TSV file with a header row (columns: ``FILE_COLUMNS``; only ``pmid``
    is required). Raises ``CurationError`` naming every bad line; returns nothing partial."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise CurationError(f"cannot read {path}: {e.strerror}", file=str(path)) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CurationError(f"{path}: empty file; the first line must name the columns", file=str(path))
    delimiter = "\t" if "\t" in lines[0] or path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(lines, delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in FILE_COLUMNS]
    if unknown or "pmid" not in header:
        why = f"unknown column {unknown[0]!r}" if unknown else "no 'pmid' column"
        raise CurationError(f"{path}: line 1: {why} (columns: {', '.join(FILE_COLUMNS)})", file=str(path), line=1)
    reader.fieldnames = header
    curations, errors = [], []
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # blank line
        if None in row:
            errors.append(f"line {line}: more fields than the header names")
            continue
        try:
            c = _from_row(row, default_curator, f"{path.name}:{line}")
        except ValueError as e:
            errors.append(f"line {line}: {e}")
            continue
        errors += [f"line {line}: {p}" for p in validate_curation(c, registry)]
        curations.append(c)
    if errors:
        raise CurationError(f"{path}: nothing stored; fix these lines:\n" + "\n".join(errors), file=str(path))
    if not curations:
        raise CurationError(f"{path}: no curations below the header", file=str(path))
    return curations


def _from_row(row: dict[str, str | None], default_curator: str, origin: str) -> Curation:
    def get(key: str) -> str:
        return (row.get(key) or "").strip()

    return Curation(
        pmid=get("pmid"),
        curator=get("curator") or default_curator,
        design=get("design").lower() or None,
        ivig_focus=parse_yes_no(get("ivig"), "ivig"),
        direction=get("direction").lower() or None,
        add_conditions=_split(get("add_conditions")),
        remove_conditions=_split(get("remove_conditions")),
        confirm=bool(parse_yes_no(get("confirm"), "confirm")),
        note=get("note") or None,
        origin=origin,
    )


def _split(raw: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.lower() for p in _LIST_SPLIT.split(raw) if p))


def store_curations(
    con: duckdb.DuckDBPyConnection, curations: Iterable[Curation], run_id: str | None, now: dt.datetime
) -> set[str]:
    """Append the curations (inside the caller's transaction); returns the PMIDs curated.

    Every PMID must already be in the warehouse: an override of an unknown article would wait
    silently for a record that may never come.
    """
    curations = list(curations)
    pmids = sorted({c.pmid for c in curations})
    known = {r[0] for r in con.execute(load_query("curation_known_pmids"), [pmids]).fetchall()}
    if missing := [c for c in curations if c.pmid not in known]:
        where = "; ".join(f"{c.origin}: PMID {c.pmid}" if c.origin != "cli" else f"PMID {c.pmid}" for c in missing)
        raise CurationError(f"not in the warehouse (load it first), nothing stored: {where}", pmid=missing[0].pmid)
    con.executemany(
        load_query("curation_insert"),
        [
            (c.pmid, tag, cid, value, c.curator, c.note, now, c.origin, run_id)
            for c in curations
            for tag, cid, value in c.rows()
        ],
    )
    con.execute(load_query("refresh_article_curations"), {"pmids": pmids})  # v_article's copy
    return set(pmids)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One article whose tags need a curator, with the command that settles it."""

    pmid: str
    design: str
    ivig_focus: bool
    conditions: tuple[str, ...]
    confidence: float
    reasons: str
    fix: str
    title: str


def read_review_queue(
    con: duckdb.DuckDBPyConnection,
    *,
    limit: int = 20,
    condition: str | None = None,
    entered: tuple[dt.date, dt.date] | None = None,
) -> list[ReviewItem]:
    """The review queue, most consequential first; ``entered`` keeps articles whose Entrez date
    falls in that window (the digest's week)."""
    start, end = entered or (None, None)
    params = {"limit": limit, "condition": condition, "start": start, "end": end}
    rows = con.execute(load_query("review_queue"), params).fetchall()
    return [ReviewItem(p, d, f, tuple(c), float(conf), r or "", fix, t) for p, d, f, c, conf, r, fix, t in rows]
