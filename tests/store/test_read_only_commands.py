"""The quick read-only commands stay quick and out of writers' way: they open the warehouse
read-only, never take the writer lock, and import neither pandas nor Prefect."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ivig_lit.store import warehouse

HEAVY = ("pandas", "prefect", "lxml", "matplotlib")
# Runs one CLI command in a fresh interpreter, then writes which heavy packages it imported.
PROBE = """
import json, sys
from ivig_lit.cli import main
try:
    main(sys.argv[2:], standalone_mode=False)
finally:
    loaded = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.argv[1])))
    sys.stderr.write("HEAVY=" + json.dumps(loaded) + "\\n")
"""


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A migrated, closed warehouse file (no writer lock beside it)."""
    path = tmp_path / "ivig.duckdb"
    warehouse.connect(path).close()
    return path


def _run(*args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY), *args], capture_output=True, text=True, timeout=120
    )
    heavy = next(json.loads(line[6:]) for line in done.stderr.splitlines() if line.startswith("HEAVY="))
    return done, heavy


@pytest.mark.parametrize(
    "command",
    [["status"], ["sql", "SELECT count(*) FROM v_article"], ["status", "--history", "cidp"]],
    ids=["status", "sql", "status-history"],
)
def test_a_read_only_command_imports_neither_pandas_nor_prefect(built: Path, command: list[str]) -> None:
    done, heavy = _run(*command, "--warehouse", str(built))
    assert done.returncode == 0, done.stderr
    assert heavy == []


@pytest.mark.parametrize("command", [["status"], ["sql", "SELECT 1"]], ids=["status", "sql"])
def test_a_read_only_command_never_creates_the_writer_lock(built: Path, command: list[str]) -> None:
    done, _ = _run(*command, "--warehouse", str(built))
    assert done.returncode == 0, done.stderr
    assert not built.with_name(built.name + ".lock").exists()


def test_the_digest_never_creates_the_writer_lock(built: Path, tmp_path: Path) -> None:
    done, heavy = _run("digest", "--week", "2026-W47", "--warehouse", str(built), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert not built.with_name(built.name + ".lock").exists()
    assert heavy == []
