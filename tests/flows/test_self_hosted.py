"""The self-hosted path, as the README tells an operator: a Prefect server (the session's real
``prefect server start``), the ``ivig-lit`` process work pool, ``prefect deploy --all`` from the
checkout's prefect.yaml with IVIG_LIT_TIMEZONE set, and ``prefect worker start --pool ivig-lit``
in an unrelated directory. Prefect's scheduler creates runs at the next cron times in that zone;
the worker runs a triggered nightly (against the emulator) and a scheduled weekly digest moved to now."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.deployments import run_deployment
from prefect.workers.process import ProcessWorker

from ivig_lit.emulator import Corpus, Emulator
from tests.cases.records import Rec, write_corpus
from tests.flows.conftest import PASSWORD, PrefectServer
from tests.flows.harness import (
    Process,
    await_final_state,
    await_scheduled_runs,
    cron_times,
    delete_deployments,
    fire_now,
    read_deployment,
)

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ZONE = "Europe/Berlin"  # not the default America/New_York: the deployments must carry this one
POOL = "ivig-lit"
COHORT = Rec(
    pmid=73000001,
    title="IVIG in Guillain-Barre syndrome: a retrospective cohort",
    abstract="We retrospectively reviewed 52 consecutive patients with Guillain-Barre syndrome treated with IVIG.",
    created=dt.date(2026, 11, 18),
)


def _create_process_pool() -> None:
    """What ``prefect work-pool create ivig-lit --type process`` does, without a CLI start-up."""

    async def create() -> None:
        async with get_client() as client:
            template = ProcessWorker.get_default_base_job_template()
            await client.create_work_pool(WorkPoolCreate(name=POOL, type="process", base_job_template=template))

    asyncio.run(create())


@pytest.fixture(scope="module")
def worker(prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Process, Path]]:
    """A worker on the ivig-lit pool after ``prefect deploy --all``, and the data directory of its
    runs (warehouse, digests); the deployments are deleted afterwards."""
    tmp = tmp_path_factory.mktemp("self-hosted")
    elsewhere = tmp / "elsewhere"  # no checkout, no prefect.yaml: the worker imports the installed package
    elsewhere.mkdir()
    corpus = Corpus.from_files([write_corpus(tmp / "c.xml", [COHORT])])
    _create_process_pool()
    deploy = subprocess.run(
        [sys.executable, "-m", "prefect", "--no-prompt", "deploy", "--all"],
        cwd=REPO, env=prefect_server.env(IVIG_LIT_TIMEZONE=ZONE), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    with Emulator(corpus, today=dt.date(2026, 11, 24)) as emu:
        env = prefect_server.env(
            IVIG_LIT_BASE_URL=emu.base_url, IVIG_LIT_RATE_LIMIT="500", IVIG_LIT_WAREHOUSE=str(tmp / "ivig.duckdb"),
            XDG_DATA_HOME=str(tmp / "data"),
        )  # fmt: skip
        process = Process([sys.executable, "-m", "prefect", "worker", "start", "--pool", POOL], env, cwd=elsewhere)
        try:
            yield process, tmp
        finally:
            process.stop()
            delete_deployments("nightly/nightly", "weekly-digest/weekly-digest")


def test_the_prefect_server_refuses_requests_without_the_password(prefect_server: PrefectServer) -> None:
    url = f"{prefect_server.api_url}/deployments/filter"
    # httpx's default 5 s timed out once on a 2-core machine at load 20, with a worker and serve busy
    assert httpx.post(url, json={}, timeout=120).status_code == 401
    assert httpx.post(url, json={}, auth=tuple(PASSWORD.split(":")), timeout=120).status_code == 200


def test_deployed_schedules_get_runs_at_the_next_cron_times_in_the_configured_zone(
    worker: tuple[Process, Path],
) -> None:
    for name, at, weekly in [("nightly/nightly", dt.time(2), False), ("weekly-digest/weekly-digest", dt.time(6), True)]:
        deployment = read_deployment(name)
        assert (deployment.work_pool_name, [s.schedule.timezone for s in deployment.schedules]) == (POOL, [ZONE])
        runs = await_scheduled_runs(deployment)
        assert [r.expected_start_time for r in runs] == cron_times(deployment.created, ZONE, at, 3, weekly=weekly)


def test_a_triggered_nightly_run_completes_on_the_worker_and_loads_the_warehouse(worker: tuple[Process, Path]) -> None:
    _, data = worker
    run = run_deployment("nightly/nightly", timeout=600, poll_interval=2, as_subflow=False)
    assert run.state.is_completed(), f"{run.state.type}: {run.state.message}"
    con = duckdb.connect(str(data / "ivig.duckdb"), read_only=True)
    assert con.execute("SELECT pmid FROM v_article").fetchall() == [("73000001",)]
    con.close()


def test_a_scheduled_weekly_digest_run_fires_on_the_worker_and_writes_the_digest(worker: tuple[Process, Path]) -> None:
    _, data = worker
    (first, *_) = await_scheduled_runs(read_deployment("weekly-digest/weekly-digest"))
    fire_now(first)
    run = await_final_state(first.id)
    assert run.state.is_completed(), f"{run.state.type}: {run.state.message}"
    written = sorted(p.suffix for p in (data / "data" / "ivig-lit" / "digests").glob("digest-*"))
    assert written == [".html", ".md"]
