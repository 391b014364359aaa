"""Versioned schema: ordered ``warehouse/migrations/NNNN_<verb>_<object>.sql`` files, each applied
once in its own transaction together with its row in ``_ivig_migrations``; then every view in
``warehouse/views`` whose text changed is re-created (its checksum kept in ``_ivig_views``), so the
public SQL surface always matches the code. Opening a current warehouse costs one query."""

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
    """Apply pending migrations, then re-create changed views; returns the versions applied."""
    migrations = list_migrations() if migrations is None else migrations
    views = view_files() if views is None else views
    expected = {path.name: text_hash(path.read_text(encoding="utf-8"), 16) for path in views}
    if _is_current(con, migrations, expected):
        return []
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
    _create_views(con, views, expected, every=bool(done))
    return done


def _is_current(con: duckdb.DuckDBPyConnection, migrations: list[Migration], views: dict[str, str]) -> bool:
    """Is every migration applied unchanged and every view created from its current text? One
    read of the bookkeeping tables, so a writer opening a current warehouse does no DDL."""
    try:
        applied, created = con.execute(
            "SELECT (SELECT map(list(version), list(checksum)) FROM _ivig_migrations), "
            "(SELECT map(list(name), list(checksum)) FROM _ivig_views)"
        ).fetchone()
    except duckdb.CatalogException:  # a new warehouse, or one from before views were tracked
        return False
    return applied == {m.version: m.checksum for m in migrations} and created == views


def _create_views(
    con: duckdb.DuckDBPyConnection, views: list[Traversable], checksums: dict[str, str], *, every: bool
) -> None:
    """(Re-)create the views whose text changed since they were created, or ``every`` one after a
    migration (a view may read a table it rebuilt), recording each one's checksum."""
    con.execute("CREATE TABLE IF NOT EXISTS _ivig_views (name VARCHAR PRIMARY KEY, checksum VARCHAR)")
    con.execute("DELETE FROM _ivig_views WHERE NOT list_contains(?, name)", [list(checksums)])  # files gone
    created = dict(con.execute("SELECT name, checksum FROM _ivig_views").fetchall())
    for path in views:
        if not every and created.get(path.name) == checksums[path.name]:
            continue
        try:
            con.execute(path.read_text(encoding="utf-8"))
        except duckdb.Error as e:
            raise MigrationError(f"view {path.name} failed: {e}", file=str(path)) from e
        con.execute("INSERT OR REPLACE INTO _ivig_views VALUES (?, ?)", [path.name, checksums[path.name]])


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(version), 0) FROM _ivig_migrations").fetchone()[0]
