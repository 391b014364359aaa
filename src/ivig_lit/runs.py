"""Run bookkeeping shared by every writing command: the writer lock, the ``_ivig_runs`` record, the
run's clock, and marking a run failed when its body raises."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ivig_lit.config import Settings
from ivig_lit.errors import IvigLitError
from ivig_lit.registry import Registry
from ivig_lit.store import status as status_store
from ivig_lit.store import warehouse as wh

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """What a run did, for the CLI, the flow's logs and the tests."""

    run_id: str | None
    flow: str
    warehouse: Path
    counts: wh.RunCounts
    status: str = "completed"
    per_condition: dict[str, int] = field(default_factory=dict)  # PMIDs found per condition
    status_changes: list[Any] = field(default_factory=list)
    retag_changes: dict[str, int] = field(default_factory=dict)  # "rct -> cohort": n
    dry_run: bool = False
    failed_files: list[str] = field(default_factory=list)
    trials: Any = None  # what the ClinicalTrials.gov step did (nightly runs): ivig_lit.trials.TrialSync


class Clock:
    """Run timestamps on the run's own time line: the logical ``now`` (simulated in a replay) plus
    the wall time elapsed since, so durations in ``v_run`` are real either way."""

    def __init__(self, now: dt.datetime) -> None:
        self.start = now
        self._t0 = time.monotonic()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self._t0)


@contextmanager
def writing(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, opened for writing by this process alone (other writers wait on the lock)."""
    with wh.writer_lock(settings.warehouse):
        con = wh.connect(settings.warehouse)
        try:
            yield con
        finally:
            con.close()


@dataclass
class Run:
    """A run being recorded in ``_ivig_runs``: what every flow's bookkeeping shares."""

    con: duckdb.DuckDBPyConnection
    registry: Registry
    run_id: str
    now: dt.datetime
    clock: Clock
    counts: wh.RunCounts = field(default_factory=wh.RunCounts)

    def finish(self, status: str = "completed", error: str | None = None) -> list[Any]:
        """Record evidence status and close the run; call inside the transaction that commits the
        run's last data (and, for a nightly run, its watermarks)."""
        changes = status_store.record_status(self.con, self.registry, self.run_id, self.now)
        wh.finish_run(self.con, self.run_id, self.counts, status, self.clock.now(), error)
        return changes


@contextmanager
def recorded(
    con: duckdb.DuckDBPyConnection,
    registry: Registry,
    flow: str,
    params: dict[str, Any],
    window: tuple[dt.date | None, dt.date | None],
    now: dt.datetime,
) -> Iterator[Run]:
    """Open a run record (committed at once, so a crash leaves a trace) and mark it failed if the
    body raises; the data of batches committed before the failure stays."""
    with wh.transaction(con):
        wh.sync_conditions(con, registry, now)
        run = Run(con, registry, wh.start_run(con, flow, params, window, now), now, Clock(now))
    try:
        yield run
    except BaseException as e:
        message = e.user_message if isinstance(e, IvigLitError) else f"{type(e).__name__}: {e}"
        try:
            wh.finish_run(con, run.run_id, run.counts, "failed", run.clock.now(), message)
        except duckdb.Error:
            log.exception("could not record the failure of run %s", run.run_id)
        raise
