"""A nightly run killed with SIGKILL at any point: it does not stay ``running`` for ever, and a
re-run leaves the warehouse exactly as a fault-free run does. Each kill point is killed once per
module (a process start and a run, ~4 CPU-s); tests that change what a kill left work on a copy."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from ivig_lit.cli import main
from ivig_lit.config import Settings
from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.nightly import run_nightly
from ivig_lit.stage import stage_path
from tests.reliability.conftest import DAY, NOW, dump, runs, settings_for, start_nightly

KILL_POINTS = ("after-start", "after-search", "after-fetch", "after-batch", "before-finish")


def kill_nightly(settings: Settings, point: str) -> None:
    child = start_nightly(settings, kill_at=point)
    _, err = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL, err


@pytest.fixture(scope="module")
def killed_at(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The warehouse a nightly killed at ``point`` left (its staging directory beside it), killed
    the first time a test asks for that point; tests that change it use :func:`copy_of`."""
    made: dict[str, Path] = {}

    def get(point: str) -> Path:
        if point not in made:
            with Emulator(corpus, today=DAY) as emu:
                settings = settings_for(tmp_path_factory.mktemp(f"killed-{point}") / "w.duckdb", emu)
                kill_nightly(settings, point)
            made[point] = settings.warehouse
        return made[point]

    return get


def copy_of(warehouse: Path, into: Path) -> Path:
    """The warehouse, its WAL and its staging directory copied into ``into``."""
    shutil.copytree(warehouse.parent, into)
    return into / warehouse.name


@pytest.mark.slow
@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_rerun_after_a_kill_leaves_the_warehouse_a_fault_free_run_leaves(
    killed_at: Callable[[str], Path], emu: Emulator, clean_dump: dict, point: str, tmp_path: Path
) -> None:
    settings = settings_for(copy_of(killed_at(point), tmp_path / "rerun"), emu)
    run_nightly(settings, now=NOW)
    assert dump(settings.warehouse) == clean_dump


def test_a_killed_run_stays_visible_as_running_until_someone_looks(killed_at: Callable[[str], Path]) -> None:
    assert runs(killed_at("after-fetch")) == [("nightly", "running", False)]


@pytest.fixture(scope="module")
def rerun_after_kill(
    corpus: Corpus, killed_at: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A warehouse whose nightly was killed after fetching and then run again: one rerun shared by
    the tests that only read what it left."""
    with Emulator(corpus, today=DAY) as emu:
        settings = settings_for(copy_of(killed_at("after-fetch"), tmp_path_factory.mktemp("rerun") / "w"), emu)
        run_nightly(settings, now=NOW)
    return settings.warehouse


def test_the_next_run_marks_a_killed_run_abandoned(rerun_after_kill: Path) -> None:
    assert runs(rerun_after_kill) == [("nightly", "abandoned", True), ("nightly", "completed", False)]


def test_read_only_commands_leave_a_killed_run_for_the_next_writer_to_mark(
    killed_at: Callable[[str], Path], tmp_path: Path
) -> None:
    warehouse = copy_of(killed_at("after-batch"), tmp_path / "killed")
    for command in (["status"], ["sql", "SELECT count(*) FROM v_run"]):
        result = CliRunner().invoke(main, [*command, "--warehouse", str(warehouse)])
        assert result.exit_code == 0, result.output
    assert runs(warehouse) == [("nightly", "running", False)]


def test_an_abandoned_run_says_which_process_died_and_who_found_it(rerun_after_kill: Path) -> None:
    con = duckdb.connect(str(rerun_after_kill), read_only=True)
    ((error, pid),) = con.execute("SELECT error, pid FROM v_run WHERE status = 'abandoned'").fetchall()
    con.close()
    assert error.startswith(f"abandoned: process {pid} on ") and "found by pid" in error


def test_records_a_killed_run_fetched_are_not_left_on_disk_after_the_rerun(rerun_after_kill: Path) -> None:
    assert not stage_path(rerun_after_kill, "any").parent.exists()
