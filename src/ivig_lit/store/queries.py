"""Named SQL queries: the text lives in ``warehouse/queries/<name>.sql``, never in Python strings.

The top-level ``warehouse/`` directory is installed as the package data ``ivig_lit.sql`` (see
setup.py), so the SQL is read through ``importlib.resources`` from a checkout and a wheel alike."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from ivig_lit.errors import ConfigError

SQL_DIR: Traversable = files("ivig_lit.sql")


@cache
def load_query(name: str) -> str:
    """The SQL of ``warehouse/queries/<name>.sql``."""
    path = SQL_DIR / "queries" / f"{name}.sql"
    if not path.is_file():
        raise ConfigError(f"no named query {name!r}: {path} is missing from the installed ivig_lit.sql package data")
    return path.read_text(encoding="utf-8")
