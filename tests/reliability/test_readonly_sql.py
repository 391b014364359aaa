"""`ivig-lit sql` only reads the warehouse: every door out (writes, attachments, files, extensions,
settings) is shut by DuckDB's own configuration, and the public views still answer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivig_lit.cli import main
from ivig_lit.errors import QueryError
from ivig_lit.store import warehouse
from ivig_lit.store.migrate import view_files
from tests.cases.records import Rec, write_corpus

RECORDS = [
    Rec(pmid=81000001, title="IVIG in CIDP: a randomised controlled trial", created=dt.date(2025, 3, 1)),
    Rec(pmid=81000002, title="IVIG for Guillain-Barre syndrome: a cohort", created=dt.date(2024, 6, 1)),
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse loaded through `ivig-lit load-xml`, so it has articles, tags and views (shared:
    every test here checks that it is left as it was)."""
    home = tmp_path_factory.mktemp("warehouse")
    xml = write_corpus(home / "two.xml", RECORDS)
    db = home / "w.duckdb"
    result = CliRunner().invoke(main, ["load-xml", "--warehouse", str(db), str(xml)])
    assert result.exit_code == 0, result.output
    return db


def _counts(db: Path) -> tuple[int, int, int]:
    con = warehouse.connect(db)
    try:
        tags = con.execute("SELECT count(*) FROM article_tags").fetchone()[0]
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        views = con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone()[0]
    finally:
        con.close()
    return tags, articles, views


ESCAPES = {
    "attach, use, detach, delete, drop": (
        "ATTACH '{tmp}/x.duckdb' AS m (READ_ONLY false); USE m; DETACH w; "
        "ATTACH '{db}' AS w2 (READ_ONLY false); DELETE FROM w2.article_tags; DROP VIEW w2.v_article"
    ),
    "attach in memory": "ATTACH ':memory:' AS m; USE m",
    "detach the warehouse": "DETACH w",
    "delete": "DELETE FROM article_tags",
    "drop a view": "DROP VIEW v_article",
    "create a table": "CREATE TABLE t AS SELECT 1",
    "a second statement that writes": "SELECT 1; DELETE FROM article_tags",
    "copy out": "COPY article_tags TO '{tmp}/out.csv'",
    "copy a query out": "COPY (SELECT * FROM articles) TO '{tmp}/out.parquet' (FORMAT parquet)",
    "export database": "EXPORT DATABASE '{tmp}/export'",
    "import database": "IMPORT DATABASE '{tmp}'",
    "read_csv": "SELECT * FROM read_csv('/etc/passwd')",
    "read_text": "SELECT * FROM read_text('/etc/hostname')",
    "read_blob": "SELECT * FROM read_blob('/etc/hostname')",
    "glob": "SELECT * FROM glob('/etc/*')",
    "a url": "SELECT * FROM 'https://example.org/x.csv'",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "force install from a path": "FORCE INSTALL '{tmp}/evil.duckdb_extension'",
    "set to re-enable file access": "SET enable_external_access = true",
    "set global": "SET GLOBAL enable_external_access = true",
    "set access mode": "SET access_mode = 'READ_WRITE'",
    "unlock": "SET lock_configuration = false",
    "reset": "RESET enable_external_access",
    "a set after a select": "SELECT 1; SET enable_external_access = true",
    "pragma": "PRAGMA enable_profiling",
    "call": "CALL enable_logging()",
    "a persistent secret": "CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
    "a macro": "CREATE MACRO m(a) AS a",
    "the shell's .read": ".read /etc/passwd",
}


@pytest.mark.parametrize("sql", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_query_that_escapes_the_warehouse_is_refused_and_changes_nothing(
    loaded: Path, tmp_path: Path, sql: str
) -> None:
    before = _counts(loaded)
    with pytest.raises(QueryError):
        warehouse.read_query(loaded, sql.format(tmp=tmp_path, db=loaded))
    assert _counts(loaded) == before
    assert list(tmp_path.iterdir()) == []  # nothing written beside it either


def test_a_refusal_says_queries_are_read_only(loaded: Path) -> None:
    with pytest.raises(QueryError, match="refused: queries are read-only and reach nothing but the warehouse"):
        warehouse.read_query(loaded, "SELECT * FROM read_csv('/etc/passwd')")


def test_a_mistyped_query_is_a_failure_not_a_refusal(loaded: Path) -> None:
    with pytest.raises(QueryError, match=r"^query failed: .*no_such_table"):
        warehouse.read_query(loaded, "SELECT * FROM no_such_table")


@pytest.mark.parametrize("view", [p.stem for p in view_files()])
def test_every_public_view_answers_on_the_locked_connection(loaded: Path, view: str) -> None:
    frame = warehouse.read_query(loaded, f"SELECT * FROM {view}")
    assert len(frame.columns) > 0


def test_the_cli_refuses_the_attach_detach_escape_and_the_tags_stay(loaded: Path, tmp_path: Path) -> None:
    sql = ESCAPES["attach, use, detach, delete, drop"].format(tmp=tmp_path, db=loaded)
    result = CliRunner().invoke(main, ["sql", "--warehouse", str(loaded), sql])
    assert result.exit_code == 1
    assert "refused: queries are read-only" in result.output
    assert _counts(loaded) == (2, 2, len(view_files()))
