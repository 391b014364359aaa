from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ivig_lit.store import warehouse


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ivig.duckdb"


@pytest.fixture
def fresh_db(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A real DuckDB file with every migration applied."""
    con = warehouse.connect(db_path)
    yield con
    con.close()
