"""Reading articles for export and writing Parquet: the SQL side of ``ivig-lit export``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ivig_lit.store.queries import load_query


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which articles to export; None means no restriction."""

    condition: str | None = None
    designs: tuple[str, ...] | None = None
    since: dt.date | None = None
    ivig_only: bool = False


def read_export_rows(con: duckdb.DuckDBPyConnection, where: ExportFilter) -> list[dict[str, Any]]:
    """The articles matching ``where``, newest first, as plain dicts (dates as dates, lists as lists)."""
    params = {
        "condition": where.condition,
        "designs": list(where.designs) if where.designs else None,
        "since": where.since,
        "ivig_only": where.ivig_only,
    }
    cursor = con.execute(load_query("export_articles"), params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` as one Parquet file, written by DuckDB (no pyarrow needed)."""
    con = duckdb.connect()
    try:
        con.register("export_rows", frame)
        con.execute(f"COPY export_rows TO '{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
    finally:
        con.close()
