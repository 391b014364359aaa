"""Installed from a wheel, ivig-lit runs from any directory: the wheel is built from this checkout
(offline, with the venv's setuptools), installed into a fresh venv that borrows this venv's
dependencies, and its own ``ivig-lit`` serves the emulator and runs nightly, status, sql and digest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__", "*.duckdb*", ".*_cache", "out")
DEMO_EVE = "2026-10-18"  # the bundled corpus as of the day before the demo's replay


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the checkout (an in-tree build would leave build/ behind)."""
    tmp = tmp_path_factory.mktemp("wheel")
    shutil.copytree(REPO, tmp / "src", ignore=IGNORE)
    cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-build-isolation", "--no-deps", "--no-index"]
    subprocess.run([*cmd, "-w", str(tmp / "dist"), str(tmp / "src")], check=True, capture_output=True)
    (built,) = (tmp / "dist").glob("ivig_lit-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``bin/`` of a fresh venv with the wheel installed; dependencies come from this venv's
    site-packages through a plain path line (not its .pth files, so the editable ivig-lit stays out)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    where = "import site; print(site.getsitepackages()[0])"
    site = Path(subprocess.check_output([venv / "bin" / "python", "-c", where], text=True).strip())
    (site / "borrowed_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet"]
    subprocess.run([*install, "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    return venv / "bin"


@pytest.fixture(scope="module")
def env(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a user with the installed package and an emulator on the bundled corpus."""
    home = tmp_path_factory.mktemp("home")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("IVIG_LIT_", "PYTHON"))}
    base.update({"XDG_DATA_HOME": str(home / "data"), "PYTHONUNBUFFERED": "1", "PREFECT_HOME": str(home / "prefect")})
    emulator = subprocess.Popen(
        [installed / "ivig-lit", "emulator", "--port", "0", "--today", DEMO_EVE],
        stdout=subprocess.PIPE, text=True, env=base, cwd=home,
    )  # fmt: skip
    try:
        line = emulator.stdout.readline()
        assert line.startswith("E-utilities emulator: http://127.0.0.1:"), line
        base_url = line.split()[2]
        yield {**base, "IVIG_LIT_BASE_URL": base_url, "IVIG_LIT_RATE_LIMIT": "500", "HOME": str(home)}
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)


def _run(installed: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``ivig-lit`` from a directory that has nothing of the checkout in it."""
    elsewhere = Path(env["HOME"]) / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    result = subprocess.run([installed / "ivig-lit", *args], env=env, cwd=elsewhere, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


def test_the_wheel_ships_the_sql_and_the_flows_but_no_top_level_flows_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "ivig_lit/sql/migrations/0001_create_core.sql" in names and "ivig_lit/sql/views/v_article.sql" in names
    assert "ivig_lit/flows/nightly.py" in names and "ivig_lit/tag/registry/conditions.toml" in names
    assert {n.split("/")[0] for n in names} == {"ivig_lit", wheel.name.split("-py3")[0] + ".dist-info"}


def test_the_wheel_ships_every_file_of_the_package_and_every_sql_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    source = {
        f"ivig_lit/{p.relative_to(REPO / 'src' / 'ivig_lit')}"
        for p in (REPO / "src" / "ivig_lit").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    sql = {f"ivig_lit/sql/{p.relative_to(REPO / 'warehouse')}" for p in (REPO / "warehouse").rglob("*.sql")}
    assert source | sql <= names, sorted((source | sql) - names)


def test_the_installed_package_runs_nightly_status_sql_and_digest_from_any_directory(
    installed: Path, env: dict[str, str]
) -> None:
    warehouse = Path(env["XDG_DATA_HOME"]) / "ivig-lit" / "ivig.duckdb"
    nightly = _run(installed, env, "nightly")
    assert f"Warehouse: {warehouse}" in nightly.stdout and warehouse.is_file()
    status = _run(installed, env, "status", "--format", "csv")
    assert status.stderr == f"warehouse: {warehouse}\n" and "diabetic_amyotrophy" in status.stdout
    count = _run(installed, env, "sql", "--format", "csv", "SELECT count(*) > 0 AS loaded FROM v_article")
    assert count.stdout == "loaded\nTrue\n"
    digest = _run(installed, env, "digest", "--week", "2026-W42")
    assert f"md: {warehouse.parent / 'digests' / 'digest-2026-W42.md'}" in digest.stdout
