"""Versioned schema: ordered ``warehouse/migrations/NNNN_<verb>_<object>.sql`` files, each applied
once in its own transaction together with its row in ``_ivig_migrations``; then every view in
``warehouse/views`` is re-created, so the public SQL surface always matches the code."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib.resources.abc import Traversable

import duckdb

from ivig_lit.errors import MigrationError, SchemaVersionError
from ivig_lit.hashing import text_hash
from ivig_lit.store.queries import SQL_DIR

log = logging.getLogger(__name__)
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return text_hash(self.sql, 16)


def list_migrations(directory: Traversable = SQL_DIR / "migrations") -> list[Migration]:
    """Every migration in ``directory``, in order; a missing or empty directory is an installation
    fault and an error (an empty list would silently leave the warehouse without tables)."""
    if not directory.is_dir():
        raise MigrationError(f"no migrations directory at {directory}: ivig-lit is installed without its SQL")
    found = []
    for path in _sql_files(directory):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"migration file name {path.name!r} is not NNNN_<verb>_<object>.sql", file=str(path))
        found.append(Migration(int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migrations share a version number in {directory}")
    if not found:
        raise MigrationError(f"no migrations in {directory}: ivig-lit is installed without its SQL")
    return found


def view_files(directory: Traversable = SQL_DIR / "views") -> list[Traversable]:
    if not directory.is_dir():
        raise MigrationError(f"no views directory at {directory}: ivig-lit is installed without its SQL")
    return _sql_files(directory)


def _sql_files(directory: Traversable) -> list[Traversable]:
    return sorted((p for p in directory.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)


def migrate(
    con: duckdb.DuckDBPyConnection,
    migrations: list[Migration] | None = None,
    views: list[Traversable] | None = None,
) -> list[int]:
    """Apply pending migrations, then re-create views; returns the versions applied."""
    migrations = list_migrations() if migrations is None else migrations
    con.execute(
        "CREATE TABLE IF NOT EXISTS _ivig_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR, checksum VARCHAR, applied_at TIMESTAMP DEFAULT now())"
    )
    applied = {v: c for v, c in con.execute("SELECT version, checksum FROM _ivig_migrations").fetchall()}
    latest = max((m.version for m in migrations), default=0)
    if applied and max(applied) > latest:
        raise SchemaVersionError(
            f"the warehouse is at schema version {max(applied)}, newer than this ivig-lit knows ({latest}); "
            "upgrade ivig-lit"
        )
    done = []
    for m in migrations:
        if m.version in applied:
            if applied[m.version] != m.checksum:
                log.warning("migration %04d_%s changed after it was applied", m.version, m.name)
            continue
        con.begin()
        try:
            con.execute(m.sql)
            con.execute(
                "INSERT INTO _ivig_migrations (version, name, checksum) VALUES (?, ?, ?)",
                [m.version, m.name, m.checksum],
            )
            con.commit()
        except duckdb.Error as e:
            con.rollback()
            raise MigrationError(f"migration {m.version:04d}_{m.name} failed and was rolled back: {e}") from e
        log.info("applied migration %04d_%s", m.version, m.name)
        done.append(m.version)
    for path in views if views is not None else view_files():
        try:
            con.execute(path.read_text(encoding="utf-8"))
        except duckdb.Error as e:
            raise MigrationError(f"view {path.name} failed: {e}", file=str(path)) from e
    return done


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(version), 0) FROM _ivig_migrations").fetchone()[0]
