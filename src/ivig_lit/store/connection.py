"""Opening the warehouse: read-only connections locked down for user SQL, writable ones migrated
first, the writer lock, short transactions, and read-only queries. Kept apart from the loaders
(``warehouse``) so the quick commands (``status``, ``sql``, ``digest``) import nothing heavier than
DuckDB: no pandas, no parser, no tagger."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

from ivig_lit.errors import QueryError, WarehouseLockedError
from ivig_lit.store.migrate import migrate
from ivig_lit.store.queries import load_query

if TYPE_CHECKING:
    from filelock import FileLock

log = logging.getLogger(__name__)
T = TypeVar("T")


# A connection for reading only: it cannot write, attach, detach, install or load extensions, or
# touch any file but the warehouse (no COPY TO, read_csv, glob, EXPORT DATABASE), and the lock stops
# SET/RESET/PRAGMA from lifting any of it. DuckDB enforces this, so there is no statement list to outwit.
READ_ONLY_CONFIG: dict[str, str | bool] = {
    "access_mode": "READ_ONLY",
    "enable_external_access": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writable connection is migrated to the current schema first, a
    read-only one is locked down (``READ_ONLY_CONFIG``) so user SQL can only read it."""
    path = Path(path)
    if read_only:
        if not path.exists():
            raise QueryError(f"no warehouse at {path}; run `ivig-lit nightly` or `ivig-lit load-xml` first")
        try:
            return duckdb.connect(str(path), config=READ_ONLY_CONFIG)
        except duckdb.IOException as e:
            raise WarehouseLockedError(f"cannot read {path} while another process writes it: {e}") from e
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as e:
        raise WarehouseLockedError(f"cannot open {path} for writing (is another ivig-lit run using it?): {e}") from e
    migrate(con)
    return con


@contextmanager
def writer_lock(path: Path | str, timeout: float = 600.0) -> Iterator[None]:
    """Serialise writers of one warehouse across processes: two nightly runs never write at once."""
    from filelock import FileLock, Timeout  # writers only: readers never take the lock

    lock = FileLock(str(Path(path)) + ".lock")
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise WarehouseLockedError(f"another ivig-lit run has held {path} for over {timeout:.0f}s") from None
    try:
        yield
    finally:
        lock.release()


READ_WAIT_SECONDS = 120.0  # how long a reader waits for a load transaction to end
WRITE_WAIT_SECONDS = 600.0  # how long a writer waits for readers (a BI tool, `ivig-lit sql`) to close
_RETRY_EVERY = 0.2


def open_reader(path: Path | str, wait: float = READ_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """A read-only connection, waiting up to ``wait`` seconds while a run commits a load (a writer
    holds the file only for short transactions), instead of failing at once."""
    return _retry_open(lambda: connect(path, read_only=True), wait, f"waiting for a run to finish writing {path}")


def open_writer(path: Path | str, wait: float = WRITE_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """A writable connection, waiting up to ``wait`` seconds for readers of the file to close."""
    return _retry_open(lambda: connect(path), wait, f"waiting for readers of {path} to close it")


def _retry_open(open_: Any, wait: float, message: str) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            return open_()
        except WarehouseLockedError as e:
            if time.monotonic() >= deadline:
                raise WarehouseLockedError(f"{e.user_message} (waited {wait:.0f}s)") from None
            if not told:
                log.warning("%s (up to %.0fs)", message, wait)
                told = True
            time.sleep(_RETRY_EVERY)


def try_writer_lock(path: Path | str) -> FileLock | None:
    """The writer lock if no run holds it right now (for housekeeping that must not wait)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(Path(path)) + ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return None
    return lock


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


@dataclass(frozen=True, slots=True)
class Rows:
    """A query's result as plain Python values: what the CLI prints without building a DataFrame."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def read_rows(path: Path | str, sql: str, params: list[Any] | None = None, *, named: bool = False) -> Rows:
    """Run a read-only query (SQL text, or a named query from ``warehouse/queries``).

    The connection is locked down (``READ_ONLY_CONFIG``), so a query that tries to write, attach,
    read or write files, load extensions or change settings fails instead.
    """
    return run_read(path, sql, params, named, lambda cur: Rows([d[0] for d in cur.description], cur.fetchall()))


def run_read(
    path: Path | str,
    sql: str,
    params: list[Any] | None,
    named: bool,
    fetch: Callable[[duckdb.DuckDBPyConnection], T],
) -> T:
    """Open a reader, run ``sql`` and ``fetch`` its result, turning DuckDB errors into ``QueryError``."""
    text = load_query(sql) if named else sql
    con = open_reader(path)
    try:
        return fetch(con.execute(text, params or []))
    except duckdb.Error as e:
        if _is_refusal(e):
            raise QueryError(f"refused: queries are read-only and reach nothing but the warehouse ({e})") from None
        raise QueryError(f"query failed: {e}") from None
    finally:
        con.close()


def _is_refusal(e: duckdb.Error) -> bool:
    """Did the lock-down stop the query (rather than the query being wrong)?"""
    text = str(e)
    return isinstance(e, duckdb.PermissionException) or "read-only" in text or "configuration has been locked" in text
