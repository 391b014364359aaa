"""Run bookkeeping shared by every writing command: the writer lock, the ``_ivig_runs`` record, the
run's clock, marking a run failed when its body raises and abandoned when its process died, and the
short transactions a run writes in (so readers are never locked out for a whole run)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ivig_lit.config import Settings
from ivig_lit.errors import IvigLitError
from ivig_lit.registry import Registry
from ivig_lit.stage import remove_stage, stage_path
from ivig_lit.store import status as status_store
from ivig_lit.store import warehouse as wh

log = logging.getLogger(__name__)
KILL_AT_ENV = "IVIG_LIT_KILL_AT"


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
    out_of_scope: int = 0  # records the relevance gate left out (bulk loads)
    trials: Any = None  # what the ClinicalTrials.gov step did (nightly runs): ivig_lit.trials.TrialSync


class Clock:
    """Run timestamps on the run's own time line: the logical ``now`` (simulated in a replay) plus
    the wall time elapsed since, so durations in ``v_run`` are real either way."""

    def __init__(self, now: dt.datetime) -> None:
        self.start = now
        self._t0 = time.monotonic()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self._t0)


def checkpoint(name: str) -> None:
    """Fault-injection hook for the reliability tests: when ``IVIG_LIT_KILL_AT`` names this point,
    the process kills itself here with SIGKILL, as a power cut or the OOM killer would."""
    if os.environ.get(KILL_AT_ENV) == name:
        log.warning("%s=%s: killing this process", KILL_AT_ENV, name)
        os.kill(os.getpid(), signal.SIGKILL)


def reap_abandoned(settings: Settings, now: dt.datetime | None = None) -> list[str]:
    """Mark runs whose process is gone as abandoned, when no run is writing right now (commands that
    read runs call this; a run does the same when it starts). Never waits: a live writer means the
    next run will do it."""
    if not Path(settings.warehouse).exists():
        return []
    lock = wh.try_writer_lock(settings.warehouse)
    if lock is None:
        return []
    try:
        try:
            con = wh.open_writer(settings.warehouse, wait=0)
        except IvigLitError:
            return []  # a reader holds the file: leave it for later
        try:
            with wh.transaction(con):
                abandoned = wh.abandon_runs(con, now or dt.datetime.now(), f"pid {os.getpid()}")
        finally:
            con.close()
        _clear_stages(settings, abandoned)
        return abandoned
    finally:
        lock.release()


def _clear_stages(settings: Settings, run_ids: list[str]) -> None:
    """Remove what abandoned runs fetched but never loaded (a re-run fetches it again)."""
    for run_id in run_ids:
        remove_stage(stage_path(settings.warehouse, run_id))


@dataclass
class Run:
    """A run being recorded in ``_ivig_runs``. The run holds the writer lock (other runs wait) for
    its whole life but the warehouse file only inside ``transaction``, so readers get in between."""

    settings: Settings
    registry: Registry
    run_id: str
    now: dt.datetime
    clock: Clock
    counts: wh.RunCounts = field(default_factory=wh.RunCounts)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open the warehouse (waiting for readers to close it), run one transaction that also
        records this run's heartbeat, and close the file again."""
        con = wh.open_writer(self.settings.warehouse)
        try:
            with wh.transaction(con):
                yield con
                wh.heartbeat_run(con, self.run_id, self.clock.now())
        finally:
            con.close()

    def finish(self, con: duckdb.DuckDBPyConnection, status: str = "completed", error: str | None = None) -> list[Any]:
        """Close the run inside the caller's last transaction. Only a completed run records evidence
        status: a failure writes nothing but its own run record."""
        changes = status_store.record_status(con, self.registry, self.run_id, self.now) if status == "completed" else []
        wh.finish_run(con, self.run_id, self.counts, status, self.clock.now(), error)
        return changes


@contextmanager
def recorded(
    settings: Settings,
    registry: Registry,
    flow: str,
    params: dict[str, Any],
    now: dt.datetime,
    window: Callable[[duckdb.DuckDBPyConnection], tuple[dt.date | None, dt.date | None]] | None = None,
) -> Iterator[Run]:
    """Take the writer lock, mark runs left by dead processes abandoned, and open this run's record
    (committed at once, so a crash leaves a trace); mark it failed if the body raises. ``window``
    computes the run's date window from the warehouse in that first transaction."""
    with wh.writer_lock(settings.warehouse):
        con = wh.open_writer(settings.warehouse)
        try:
            with wh.transaction(con):
                abandoned = wh.abandon_runs(con, now, f"pid {os.getpid()}")
                wh.sync_conditions(con, registry, now)
                span = window(con) if window else (None, None)
                run = Run(settings, registry, wh.start_run(con, flow, params, span, now), now, Clock(now))
        finally:
            con.close()
        _clear_stages(settings, abandoned)
        checkpoint("after-start")
        try:
            yield run
        except BaseException as e:
            message = e.user_message if isinstance(e, IvigLitError) else f"{type(e).__name__}: {e}"
            try:
                with run.transaction() as failed:
                    wh.finish_run(failed, run.run_id, run.counts, "failed", run.clock.now(), message)
            except (duckdb.Error, IvigLitError):
                log.exception("could not record the failure of run %s", run.run_id)
            raise
