"""Query results as an aligned table, CSV or JSON from plain rows, laid out as pandas prints them
(right-aligned columns, blank for NULL), so ``status`` and ``sql`` print without importing pandas."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
from collections.abc import Sequence
from typing import Any


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table") -> str:
    """``rows`` under ``columns`` as an aligned table, CSV or JSON (one array of objects)."""
    if fmt == "csv":
        return _csv(columns, rows)
    if fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        return json.dumps(records, default=_json_value, ensure_ascii=False)
    if not rows:
        return "(no rows)"
    cells = [[str(c) for c in columns]] + [[""] * len(columns) for _ in rows]
    for j in range(len(columns)):
        values = [row[j] for row in rows]
        dates_only = _all_midnight(values)
        for i, value in enumerate(values, start=1):
            cells[i][j] = _cell(value.date() if dates_only and value is not None else value)
    widths = [max(len(line[j]) for line in cells) for j in range(len(columns))]
    return "\n".join(" ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) for line in cells)


def _csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().rstrip("\n")


def _all_midnight(values: list[Any]) -> bool:
    """DuckDB timestamps that are all midnight are dates in all but type: show them as dates."""
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, dt.datetime) and v.time() == dt.time() for v in present)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.6g}"
        return text if any(c in text for c in ".eni") else text + ".0"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_cell(v) for v in value) + "]"
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return str(value)
