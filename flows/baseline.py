"""Prefect flow ``baseline``: files are parsed and gated as Prefect tasks on Dask (a local cluster
by default, an existing scheduler by ``dask_address``); ``ivig_lit.baseline.load_baseline`` is the
one writer that appends their results in file order."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from itertools import islice

import dask
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect_dask import DaskTaskRunner

from ivig_lit import baseline as baseline_run
from ivig_lit.flows._settings import resolve
from ivig_lit.runs import RunSummary


@task(cache_policy=NO_CACHE, persist_result=False)
def prepare_files(jobs: list[baseline_run.FileJob]) -> list[baseline_run.PreparedFile]:
    return baseline_run.prepare_files(jobs)


def _map_on_dask(
    fn: Callable[[list[baseline_run.FileJob]], list[baseline_run.PreparedFile]],
    groups: list[list[baseline_run.FileJob]],
) -> Iterator[list[baseline_run.PreparedFile]]:
    """Keep a few tasks per Dask thread in flight and hand results back in file order, dropping each
    future once read, so the parent and the scheduler hold a window of tasks, not the whole run."""
    client = FlowRunContext.get().task_runner.client
    window = 2 * sum(w["nthreads"] for w in client.scheduler_info(n_workers=-1)["workers"].values())
    todo, running = iter(groups), deque()
    running.extend(prepare_files.submit(g) for g in islice(todo, max(window, 2)))
    while running:
        result = running.popleft().result()
        running.extend(prepare_files.submit(g) for g in islice(todo, 1))
        yield result


# A local cluster shares the machine with the work: Dask's own monitors (system every 0.5 s, each
# worker's memory every 0.1 s), each worker's profiler (a stack sample of the running task every
# 10 ms, taking the GIL from it), every event loop's health tick (every 20 ms in the scheduler, each
# nanny and each worker) and the active memory manager (every 2 s; results here are small and never
# replicated) would take CPU from the workers: idle, they cost the parent 1.38 CPU-s per 40 s and each
# worker 0.73; with these settings 0.31 and 0.14. Files are streamed, memory is flat.
QUIET_LOCAL_CLUSTER = {
    "distributed.admin.system-monitor.interval": "10s",
    "distributed.admin.system-monitor.disk": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.scheduler.active-memory-manager.start": False,
    "distributed.worker.memory.monitor-interval": "5s",
    "distributed.worker.profile.enabled": False,
}


def _runner(dask_address: str | None, workers: int) -> DaskTaskRunner:
    if dask_address:
        return DaskTaskRunner(address=dask_address)
    dask.config.set(QUIET_LOCAL_CLUSTER)  # inherited by the local cluster's worker processes
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})


def baseline_flow(dask_address: str | None = None, workers: int = 2) -> Callable[..., RunSummary]:
    """The ``baseline`` flow bound to a Dask task runner (built per call: the address is a parameter)."""

    @flow(name="baseline", log_prints=True, task_runner=_runner(dask_address, workers))
    def baseline(
        paths: list[str], warehouse: str | None = None, keep_all: bool = False, progress: bool = False
    ) -> RunSummary:
        """Load PubMed baseline and update files in name order, skipping those already loaded."""
        settings = resolve(warehouse)
        return baseline_run.load_baseline(paths, settings, map_files=_map_on_dask, keep_all=keep_all, progress=progress)

    return baseline
