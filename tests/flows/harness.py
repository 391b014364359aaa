"""Driving the scheduling tests: long-running processes (serve, a worker), and through the client
API the runs Prefect's scheduler created for a deployment, the cron times to compare them with,
moving a scheduled run to now, and waiting (polling, generous timeout) for a run to finish."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import Deployment, FlowRun, StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.states import Scheduled

RUN_TIMEOUT = 600.0  # seconds a run may take to be created, picked up or finished on a loaded machine


def read_deployment(name: str) -> Deployment:
    async def read() -> Deployment:
        async with get_client() as client:
            return await client.read_deployment_by_name(name)

    return asyncio.run(read())


def delete_deployments(*names: str) -> None:
    """Leave the shared server without these deployments (and so without their scheduled runs)."""

    async def delete() -> None:
        async with get_client() as client:
            for name in names:
                await client.delete_deployment((await client.read_deployment_by_name(name)).id)

    asyncio.run(delete())


def _scheduled_runs(deployment_id: UUID) -> list[FlowRun]:
    async def read() -> list[FlowRun]:
        async with get_client() as client:
            return await client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
                flow_run_filter=FlowRunFilter(
                    state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
                ),
                sort=FlowRunSort.EXPECTED_START_TIME_ASC,
            )

    return asyncio.run(read())


def await_scheduled_runs(deployment: Deployment, count: int = 3) -> list[FlowRun]:
    """The first ``count`` runs Prefect's scheduler created for ``deployment``, once it has (it
    visits recently changed deployments every few seconds)."""
    deadline = time.monotonic() + RUN_TIMEOUT
    runs = _scheduled_runs(deployment.id)
    while len(runs) < count and time.monotonic() < deadline:
        time.sleep(1)
        runs = _scheduled_runs(deployment.id)
    assert len(runs) >= count, f"the scheduler created {len(runs)} runs of {deployment.name}"
    return runs[:count]


def cron_times(after: dt.datetime, zone: str, at: dt.time, count: int, weekly: bool = False) -> list[dt.datetime]:
    """The next ``count`` wall-clock times ``at`` in ``zone`` after ``after`` (every day, or
    every Monday when ``weekly``), as a cron schedule in that zone fires them."""
    tz = ZoneInfo(zone)
    day = after.astimezone(tz).date()
    times: list[dt.datetime] = []
    while len(times) < count:
        candidate = dt.datetime.combine(day, at, tzinfo=tz)
        if candidate > after and (not weekly or day.weekday() == 0):
            times.append(candidate)
        day += dt.timedelta(days=1)
    return times


def fire_now(run: FlowRun) -> None:
    """Move a scheduled run's time to now, as if its cron time had come."""

    async def move() -> None:
        async with get_client() as client:
            await client.set_flow_run_state(run.id, Scheduled(scheduled_time=dt.datetime.now(dt.UTC)), force=True)

    asyncio.run(move())


def await_final_state(run_id: UUID) -> FlowRun:
    """The run once it is final (completed, failed, crashed or cancelled), polled every second."""

    async def read() -> FlowRun:
        async with get_client() as client:
            return await client.read_flow_run(run_id)

    deadline = time.monotonic() + RUN_TIMEOUT
    run = asyncio.run(read())
    while not (run.state and run.state.is_final()) and time.monotonic() < deadline:
        time.sleep(1)
        run = asyncio.run(read())
    return run


class Process:
    """A long-running command (``ivig-lit serve``, ``prefect worker start``) in its own process
    group, its output read by a thread so it never blocks on a full pipe."""

    def __init__(self, cmd: list[str], env: dict[str, str], cwd: Path) -> None:
        self.lines: list[str] = []
        self._proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=cwd, start_new_session=True
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self.lines.append(line)

    def await_line(self, text: str) -> str:
        """The first output line containing ``text``; fails with the output if the process exits first."""
        deadline = time.monotonic() + RUN_TIMEOUT
        while time.monotonic() < deadline:
            if found := next((line for line in self.lines if text in line), None):
                return found
            if self._proc.poll() is not None:
                self._reader.join(timeout=5)
                raise AssertionError(f"exited with code {self._proc.returncode} before {text!r}:\n{self.output}")
            time.sleep(0.2)
        raise AssertionError(f"no {text!r} within {RUN_TIMEOUT:.0f} s:\n{self.output}")

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def stop(self) -> None:
        """Ctrl-C, then whatever is left of its process group is killed."""
        self._proc.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._proc.wait(timeout=60)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._proc.pid, signal.SIGKILL)  # anything it started that outlived it
        self._proc.wait()
        self._reader.join(timeout=5)
