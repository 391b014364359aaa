"""``ivig-lit serve`` end to end, as an operator runs it: one process that starts its own Prefect API
(bound to 127.0.0.1, password-protected because PREFECT_SERVER_API_AUTH_STRING is set), serves both
deployments, and runs a triggered nightly and a triggered weekly digest to completion against the
emulator, in subprocesses that use that same API (they used to start a second one and cancel themselves)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

from ivig_lit.emulator import Corpus, Emulator
from tests.cases.records import Rec, write_corpus

pytestmark = pytest.mark.slow

PASSWORD = "operator:not-a-real-secret"
RCT = Rec(
    pmid=71000001,
    title="Intravenous immunoglobulin for multifocal motor neuropathy: a randomised crossover trial",
    abstract="In this randomised, double-blind, placebo-controlled crossover trial, 44 patients with multifocal "
    "motor neuropathy received IVIG or placebo. Conclusions: IVIG improved strength compared with placebo.",
    created=dt.date(2026, 11, 17),
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, list[str]]]:
    """(API URL, warehouse, serve's output so far) of a running ``ivig-lit serve``."""
    tmp = tmp_path_factory.mktemp("serve")
    corpus = Corpus.from_files([write_corpus(tmp / "c.xml", [RCT])])
    warehouse = tmp / "ivig.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "IVIG_LIT_"))}
    with Emulator(corpus, today=dt.date(2026, 11, 24)) as emu:
        env.update({
            "IVIG_LIT_BASE_URL": emu.base_url, "IVIG_LIT_RATE_LIMIT": "500", "PYTHONUNBUFFERED": "1",
            "PREFECT_HOME": str(tmp / "prefect"), "PREFECT_SERVER_API_AUTH_STRING": PASSWORD,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "XDG_DATA_HOME": str(tmp / "data"),
        })  # fmt: skip
        cmd = [sys.executable, "-m", "ivig_lit", "serve", "--warehouse", str(warehouse)]
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp, start_new_session=True
        )  # its own process group, so nothing it started outlives the test
        lines: list[str] = []
        try:
            for line in proc.stdout:
                lines.append(line)
                if line.startswith("Prefect API: "):
                    url = line.split()[2]
                if "being served and polling" in line:  # Prefect registered both deployments
                    break
            else:
                pytest.fail("serve exited:\n" + "".join(lines))
            yield url, warehouse, lines
        finally:
            proc.send_signal(signal.SIGINT)  # like Ctrl-C: serve stops its API on the way out
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=120)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # serve's API and any run it left behind
            proc.wait()


def test_serve_says_its_api_is_bound_to_localhost_with_basic_auth(served: tuple[str, Path, list[str]]) -> None:
    url, _, lines = served
    assert url.startswith("http://127.0.0.1:")
    assert f"Prefect API: {url} (temporary, bound to 127.0.0.1 only; basic auth on)\n" in lines


def test_serve_api_refuses_requests_without_the_password(served: tuple[str, Path, list[str]]) -> None:
    url, _, _ = served
    assert httpx.post(f"{url}/deployments/filter", json={}).status_code == 401
    assert httpx.post(f"{url}/deployments/filter", json={}, auth=tuple(PASSWORD.split(":"))).status_code == 200


def test_a_triggered_nightly_run_completes_and_loads_the_warehouse(served: tuple[str, Path, list[str]]) -> None:
    url, warehouse, _ = served
    with temporary_settings(updates={PREFECT_API_URL: url, PREFECT_API_AUTH_STRING: PASSWORD}):
        run = run_deployment("nightly/nightly", timeout=600, poll_interval=2, as_subflow=False)
    assert run.state.is_completed(), f"{run.state.type}: {run.state.message}"
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT pmid FROM v_article").fetchall() == [("71000001",)]
    con.close()


def test_a_triggered_weekly_digest_run_completes_and_writes_the_digest(served: tuple[str, Path, list[str]]) -> None:
    url, warehouse, _ = served
    with temporary_settings(updates={PREFECT_API_URL: url, PREFECT_API_AUTH_STRING: PASSWORD}):
        run_deployment("nightly/nightly", timeout=600, poll_interval=2, as_subflow=False)  # something to report
        run = run_deployment(
            "weekly-digest/weekly-digest", parameters={"week": "2026-W47"}, timeout=600, poll_interval=2,
            as_subflow=False,
        )  # fmt: skip
    assert run.state.is_completed(), f"{run.state.type}: {run.state.message}"
    digests = warehouse.parent / "data" / "ivig-lit" / "digests"
    assert sorted(p.name for p in digests.glob("digest-2026-W47.*")) == ["digest-2026-W47.html", "digest-2026-W47.md"]
