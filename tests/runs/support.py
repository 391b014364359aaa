"""Records and helpers shared by the run tests: a small corpus of real-looking PubMed records, a
nightly run on a given day, and table dumps to compare warehouses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from ivig_lit.config import Settings
from ivig_lit.nightly import run_nightly
from ivig_lit.runs import RunSummary
from tests.cases.records import Rec

D = dt.date
CIDP_RCT = Rec(
    pmid=60000001,
    title="Intravenous immunoglobulin versus placebo in chronic inflammatory demyelinating polyneuropathy",
    abstract="In this randomized, double-blind, placebo-controlled trial, 117 patients with CIDP received IVIG or "
    "placebo. IVIG improved disability compared with placebo.",
    created=D(2026, 11, 2),
    status="In-Process",
)
CIDP_RCT_INDEXED = Rec(
    **{**CIDP_RCT.__dict__, "status": "MEDLINE", "revised": D(2026, 11, 20)},
)
RECORDS = [
    Rec(pmid=60000000 + i, title=f"IVIG in Guillain-Barre syndrome: cohort {i}",
        abstract="We retrospectively reviewed 40 patients with Guillain-Barre syndrome treated with IVIG.",
        created=D(2015 + i % 10, 3, 1)) for i in range(2, 30)
] + [
    CIDP_RCT,
    CIDP_RCT_INDEXED.__class__(**{**CIDP_RCT_INDEXED.__dict__, "publication_types": ("Randomized Controlled Trial",),
                                  "mesh": ("Polyradiculoneuropathy, Chronic Inflammatory Demyelinating",)}),
    Rec(pmid=60000100, title="Late-indexed IVIG study in multifocal motor neuropathy",
        abstract="We report 12 patients with multifocal motor neuropathy treated with IVIG.",
        created=D(2026, 11, 10), entrez=D(2019, 6, 1)),
    Rec(pmid=60000200, title="Statins after stroke", abstract="Statins reduce recurrence.", created=D(2026, 11, 3)),
]  # fmt: skip
SECRET = "s3cr3t-ncbi-key-0123456789"


def run(settings: Settings, day: dt.date, **kw) -> RunSummary:
    return run_nightly(settings, now=dt.datetime.combine(day, dt.time(2)), **kw)


def query(settings: Settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def tables(path: Path, skip: set[str]) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    out = {n: sorted(map(repr, con.execute(f"SELECT * FROM {n}").fetchall())) for n in names if n not in skip}
    con.close()
    return out
