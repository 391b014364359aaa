"""The nightly flow runs the ClinicalTrials.gov step as a task of its own: a registry outage fails
that task alone, and the flow run still completes the PubMed part (a real Prefect run, real HTTP)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.emulator.ctgov import TrialCorpus
from ivig_lit.flows.nightly import nightly
from tests.cases.records import Rec, write_corpus

pytestmark = pytest.mark.usefixtures("prefect_server")

NIGHT = dt.datetime(2026, 11, 26, 2)
RCT = Rec(
    pmid=70000101,
    title="Intravenous immunoglobulin for chronic inflammatory demyelinating polyneuropathy: a randomised trial",
    abstract="In this randomised, double-blind trial, 60 patients with CIDP received IVIG or placebo.",
    created=dt.date(2026, 11, 20),
)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    corpus = Corpus.from_files([write_corpus(tmp_path_factory.mktemp("trials-flow") / "c.xml", [RCT])])
    with Emulator(corpus, today=NIGHT.date(), trials=TrialCorpus.bundled()) as emu:
        yield emu


def run(emulator: Emulator, warehouse: Path):
    return nightly(
        warehouse=str(warehouse), base_url=emulator.base_url, rate_limit=1000.0, conditions=["cidp"], now=NIGHT,
        return_state=True,
    )  # fmt: skip


def task_states(flow_run_id: str, expected: int, polls: int = 60) -> dict[str, str]:
    """Task-run name prefix -> state name, read once ``expected`` task runs have reached the API."""

    async def read() -> list:
        async with get_client() as client:
            return await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))

    for _ in range(polls):
        runs = asyncio.run(read())
        if len(runs) >= expected and all(r.state.is_final() for r in runs):
            break
        asyncio.run(asyncio.sleep(0.5))
    return {r.name.rsplit("-", 1)[0]: r.state.name for r in runs}


def test_a_healthy_night_runs_the_trials_step_as_its_own_completed_task(emulator, tmp_path) -> None:
    emulator.faults.clear()
    state = run(emulator, tmp_path / "w.duckdb")
    assert state.is_completed(), state.message
    assert task_states(str(state.state_details.flow_run_id), 2) == {
        "search_plan": "Completed",
        "sync_trials": "Completed",
    }
    assert state.result().trials.new > 0


def test_a_registry_outage_fails_the_trials_task_alone(emulator, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("IVIG_LIT_MAX_TRIES", "2")
    emulator.faults.clear()
    emulator.faults.set_rate(503, 1.0, endpoint="studies")
    state = run(emulator, tmp_path / "w.duckdb")
    emulator.faults.clear()
    assert state.is_completed(), state.message
    assert task_states(str(state.state_details.flow_run_id), 2) == {
        "search_plan": "Completed",
        "sync_trials": "Failed",
    }
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT pmid FROM v_article").fetchall() == [("70000101",)]
        status, error, ctgov_requests = con.execute("SELECT status, error, ctgov_requests FROM v_run").fetchone()
    finally:
        con.close()
    assert status == "completed" and error.startswith("ClinicalTrials.gov watch stopped at cidp: ")
    assert ctgov_requests == 2
