"""Versioned schema: ordered migrations applied once each, atomically; views re-created."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ivig_lit.errors import MigrationError, SchemaVersionError
from ivig_lit.store.migrate import Migration, list_migrations, migrate, schema_version

PUBLIC_VIEWS = {"v_article", "v_article_condition", "v_run", "v_condition_status", "v_status_change"}


def test_a_new_warehouse_gets_every_migration_once(fresh_db: duckdb.DuckDBPyConnection) -> None:
    versions = [r[0] for r in fresh_db.execute("SELECT version FROM _ivig_migrations ORDER BY 1").fetchall()]
    assert versions == [m.version for m in list_migrations()]


def test_migrating_again_applies_nothing(fresh_db: duckdb.DuckDBPyConnection) -> None:
    assert migrate(fresh_db) == []


def test_public_views_exist_after_migrating(fresh_db: duckdb.DuckDBPyConnection) -> None:
    views = {r[0] for r in fresh_db.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert views >= PUBLIC_VIEWS


def test_a_failing_migration_rolls_back_and_names_itself(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    good = Migration(1, "create_thing", "CREATE TABLE thing (x INTEGER);")
    bad = Migration(2, "break_things", "CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;")
    with pytest.raises(MigrationError, match="0002_break_things failed and was rolled back"):
        migrate(con, [good, bad], views=[])
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "thing" in tables and "half" not in tables
    assert schema_version(con) == 1


def test_a_rerun_after_a_fix_applies_the_rest_once(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = [Migration(1, "create_a", "CREATE TABLE a (x INTEGER);")]
    migrate(con, first, views=[])
    assert migrate(con, [*first, Migration(2, "create_b", "CREATE TABLE b (x INTEGER);")], views=[]) == [2]
    assert schema_version(con) == 2


def test_a_warehouse_from_a_newer_version_is_refused(fresh_db: duckdb.DuckDBPyConnection) -> None:
    fresh_db.execute("INSERT INTO _ivig_migrations (version, name, checksum) VALUES (9999, 'future', 'x')")
    with pytest.raises(SchemaVersionError, match="schema version 9999"):
        migrate(fresh_db)


def test_migration_files_follow_the_naming_rule() -> None:
    for m in list_migrations():
        assert m.name.split("_")[0] in {"create", "add", "alter", "drop", "rename", "backfill"}


def test_a_missing_migrations_directory_is_an_error_not_an_empty_schema(tmp_path: Path) -> None:
    with pytest.raises(MigrationError, match=r"no migrations directory at .*installed without its SQL"):
        list_migrations(tmp_path / "migrations")


def test_an_empty_migrations_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MigrationError, match="no migrations in"):
        list_migrations(tmp_path)


def test_the_sql_is_read_from_the_installed_package() -> None:
    from importlib.resources import files

    assert list_migrations()[0].name == "create_core"
    assert (files("ivig_lit.sql") / "queries" / "status_current.sql").is_file()


def test_opening_a_current_warehouse_recreates_no_view(fresh_db: duckdb.DuckDBPyConnection) -> None:
    fresh_db.execute("CREATE OR REPLACE VIEW v_run AS SELECT 'untouched' AS marker")
    assert migrate(fresh_db) == []
    assert fresh_db.execute("SELECT * FROM v_run").fetchall() == [("untouched",)]


def test_a_view_whose_file_changed_is_recreated_and_the_others_are_not(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    first, second = tmp_path / "v_first.sql", tmp_path / "v_second.sql"
    first.write_text("CREATE OR REPLACE VIEW v_first AS SELECT 1 AS x")
    second.write_text("CREATE OR REPLACE VIEW v_second AS SELECT 1 AS x")
    migrate(con, [Migration(1, "create_a", "CREATE TABLE a (x INTEGER);")], views=[first, second])
    con.execute("CREATE OR REPLACE VIEW v_first AS SELECT 'untouched' AS x")
    second.write_text("CREATE OR REPLACE VIEW v_second AS SELECT 2 AS x")
    migrate(con, [Migration(1, "create_a", "CREATE TABLE a (x INTEGER);")], views=[first, second])
    assert con.execute("SELECT * FROM v_first, v_second").fetchall() == [("untouched", 2)]


def test_a_new_migration_recreates_every_view(fresh_db: duckdb.DuckDBPyConnection) -> None:
    fresh_db.execute("CREATE OR REPLACE VIEW v_run AS SELECT 'stale' AS marker")
    latest = max(m.version for m in list_migrations())
    migrate(fresh_db, [*list_migrations(), Migration(latest + 1, "create_extra", "CREATE TABLE extra (x INTEGER);")])
    assert "run_id" in [d[0] for d in fresh_db.execute("SELECT * FROM v_run").description]
