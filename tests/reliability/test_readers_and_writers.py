"""Readers and the nightly share the warehouse: a reader waits for a load transaction instead of
failing, an open reader makes the nightly wait instead of failing, and a failed run writes nothing
but its own run record."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import pytest

from ivig_lit.config import Settings
from ivig_lit.emulator import Emulator
from ivig_lit.errors import EutilsUnavailableError, WarehouseLockedError
from ivig_lit.nightly import run_nightly
from ivig_lit.store import warehouse as wh
from tests.reliability.conftest import DAY, NOW, dump, runs, start_nightly

READ_PAUSE = 0.05  # seconds between a reader's queries: a BI tool's pace, leaving the CPU to the nightly

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
print("open", flush=True)
time.sleep(float(sys.argv[3]))
con.close()
"""


def hold_open(settings: Settings, mode: str, seconds: float) -> subprocess.Popen:
    """Another process (a BI tool, a long ``ivig-lit sql``, a load) holding the warehouse file."""
    args = [sys.executable, "-c", HOLD, str(settings.warehouse), mode, str(seconds)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_a_nightly_waits_for_an_open_reader_instead_of_failing(settings: Settings, emu: Emulator) -> None:
    run_nightly(settings, now=NOW)
    reader = hold_open(settings, "read", 2.0)
    emu.today = DAY + dt.timedelta(days=1)
    summary = run_nightly(settings, now=NOW + dt.timedelta(days=1))
    reader.wait(timeout=30)
    assert summary.status == "completed"
    assert runs(settings.warehouse) == [("nightly", "completed", False)] * 2


def test_a_reader_waits_for_a_write_instead_of_failing(settings: Settings) -> None:
    run_nightly(settings, now=NOW)
    writer = hold_open(settings, "write", 2.0)
    frame = wh.read_query(settings.warehouse, "SELECT count(*) AS n FROM v_article")
    writer.wait(timeout=30)
    assert int(frame["n"][0]) == 30


def test_a_reader_that_outwaits_its_limit_gets_a_clear_error(settings: Settings) -> None:
    run_nightly(settings, now=NOW)
    writer = hold_open(settings, "write", 3.0)
    with pytest.raises(WarehouseLockedError, match=r"cannot read .* while another process writes it.*waited"):
        wh.open_reader(settings.warehouse, wait=0.5)
    writer.wait(timeout=30)


@pytest.mark.slow
def test_readers_keep_reading_while_a_nightly_process_runs(settings: Settings, emu: Emulator) -> None:
    run_nightly(settings, now=NOW)
    emu.today = DAY + dt.timedelta(days=9)  # the CIDP trial's revision arrives: something to load
    child = start_nightly(settings, now=NOW + dt.timedelta(days=9))
    reads = 0
    while child.poll() is None:
        reads += len(wh.read_query(settings.warehouse, "SELECT run_id FROM v_run"))
        time.sleep(READ_PAUSE)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert reads > 0 and runs(settings.warehouse) == [("nightly", "completed", False)] * 2


def test_a_failed_run_writes_nothing_but_its_own_run_record(settings: Settings, emu: Emulator) -> None:
    run_nightly(settings, now=NOW, conditions=["cidp"])
    before = dump(settings.warehouse, skip={"_ivig_runs"})
    emu.faults.set_rate(503, 1.0, endpoint="efetch")
    with pytest.raises(EutilsUnavailableError):
        run_nightly(settings, now=NOW)
    assert dump(settings.warehouse, skip={"_ivig_runs"}) == before
    assert runs(settings.warehouse) == [("nightly", "completed", False), ("nightly", "failed", False)]
