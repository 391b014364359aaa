"""Real Prefect flow runs: the nightly flow maps one search task per search plan and loads the
warehouse; the weekly flow writes the digest and publishes it as a markdown artifact."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.flows.nightly import nightly
from ivig_lit.flows.weekly_digest import weekly_digest
from tests.cases.records import Rec, write_corpus

pytestmark = pytest.mark.usefixtures("prefect_server")

RCT = Rec(
    pmid=70000001,
    title="Intravenous immunoglobulin for multifocal motor neuropathy: a randomised crossover trial",
    abstract="In this randomised, double-blind, placebo-controlled crossover trial, 44 patients with multifocal "
    "motor neuropathy received IVIG or placebo. Conclusions: IVIG improved strength compared with placebo.",
    created=dt.date(2026, 11, 17),
)
COHORT = Rec(
    pmid=70000002,
    title="IVIG in Guillain-Barre syndrome: a retrospective cohort",
    abstract="We retrospectively reviewed 52 consecutive patients with Guillain-Barre syndrome treated with IVIG.",
    created=dt.date(2026, 11, 18),
)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    corpus = Corpus.from_files([write_corpus(tmp_path_factory.mktemp("flows") / "c.xml", [RCT, COHORT])])
    with Emulator(corpus, today=dt.date(2026, 11, 24)) as emu:
        yield emu


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, emulator: Emulator) -> Path:
    """A warehouse filled by one real nightly flow run (shared by the tests below)."""
    path = tmp_path_factory.mktemp("wh") / "ivig.duckdb"
    state = nightly(
        warehouse=str(path), base_url=emulator.base_url, rate_limit=1000.0,
        now=dt.datetime(2026, 11, 24, 2), return_state=True,
    )  # fmt: skip
    assert state.is_completed(), state.message
    path.with_suffix(".state").write_text(str(state.state_details.flow_run_id))
    return path


def _task_runs(flow_run_id: str) -> list:
    async def read() -> list:
        async with get_client() as client:
            return await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))

    return asyncio.run(read())


def test_nightly_flow_loads_the_new_articles(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute("SELECT pmid, design FROM v_article ORDER BY pmid").fetchall()
    con.close()
    assert rows == [("70000001", "rct"), ("70000002", "cohort")]


def _settled_task_runs(flow_run_id: str, expected: int, polls: int = 60) -> list:
    """Task runs reach the API server as events, after the flow returns: read until ``expected``
    have arrived (or the polls run out) instead of racing them."""
    runs = _task_runs(flow_run_id)
    for _ in range(polls):
        if len(runs) >= expected:
            break
        time.sleep(0.5)
        runs = _task_runs(flow_run_id)
    return runs


def test_nightly_flow_searches_every_condition_of_a_first_run_in_one_union_task(warehouse: Path) -> None:
    runs = _settled_task_runs(warehouse.with_suffix(".state").read_text(), expected=2)
    names = sorted(r.name.rsplit("-", 1)[0] for r in runs)
    assert names == ["search_plan", "sync_trials"]  # one union search, then the ClinicalTrials.gov step
    assert all(r.state.is_completed() for r in runs)


def test_weekly_digest_flow_writes_files_and_publishes_an_artifact(warehouse: Path, tmp_path: Path) -> None:
    paths = weekly_digest(week="2026-W47", warehouse=str(warehouse), out_dir=str(tmp_path), today=dt.date(2026, 11, 24))
    assert Path(paths["md"]).name == "digest-2026-W47.md" and Path(paths["html"]).is_file()
    assert "multifocal motor neuropathy" in Path(paths["md"]).read_text().lower()

    async def artifact():
        async with get_client() as client:
            return await client.read_latest_artifacts()

    latest = {a.key: a for a in asyncio.run(artifact())}
    assert "weekly-digest-2026-w47" in latest
    assert "70000001" in latest["weekly-digest-2026-w47"].data
