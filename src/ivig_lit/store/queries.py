"""Named SQL queries: the text lives in ``warehouse/queries/<name>.sql``, never in Python strings."""

from __future__ import annotations

from functools import cache

from ivig_lit.config import REPO_ROOT

SQL_DIR = REPO_ROOT / "warehouse"


@cache
def load_query(name: str) -> str:
    """The SQL of ``warehouse/queries/<name>.sql``."""
    return (SQL_DIR / "queries" / f"{name}.sql").read_text(encoding="utf-8")
