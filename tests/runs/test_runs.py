"""Run bookkeeping: one writer at a time, and run durations in real time."""

from __future__ import annotations

import pytest

from ivig_lit.config import Settings
from ivig_lit.errors import WarehouseLockedError
from ivig_lit.store import warehouse as wh
from tests.runs.support import D, query, run


def test_two_writers_never_write_at_once(settings: Settings) -> None:
    with (
        wh.writer_lock(settings.warehouse),
        pytest.raises(WarehouseLockedError),
        wh.writer_lock(settings.warehouse, timeout=0.2),
    ):
        pass


def test_run_duration_is_real_time_even_in_a_replayed_past(settings: Settings) -> None:
    run(settings, D(2026, 11, 12))
    ((seconds,),) = query(settings, "SELECT seconds FROM v_run")
    assert 0 < seconds < 60
