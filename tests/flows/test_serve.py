"""``ivig-lit serve`` end to end, as an operator runs it against a Prefect server (the session's):
it registers both deployments with their cron schedules in IVIG_LIT_TIMEZONE, Prefect's scheduler
creates runs at the next cron times, and serve runs them (a scheduled nightly moved to now) and a
triggered weekly digest to completion against the emulator, in subprocesses that use the same API."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from prefect.deployments import run_deployment
from prefect.settings import (
    PREFECT_API_AUTH_STRING,
    PREFECT_API_URL,
    PREFECT_SERVER_API_AUTH_STRING,
    temporary_settings,
)

from ivig_lit.cli import main
from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.flows._api import prefect_api
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

ZONE = "Asia/Tokyo"  # not the default, and not the worker test's: each path reads its own setting
RCT = Rec(
    pmid=71000001,
    title="Intravenous immunoglobulin for multifocal motor neuropathy: a randomised crossover trial",
    abstract="In this randomised, double-blind, placebo-controlled crossover trial, 44 patients with multifocal "
    "motor neuropathy received IVIG or placebo. Conclusions: IVIG improved strength compared with placebo.",
    created=dt.date(2026, 11, 17),
)


@pytest.fixture(scope="module")
def served(prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Process, Path]]:
    """A running ``ivig-lit serve`` and its warehouse; its deployments are deleted afterwards."""
    tmp = tmp_path_factory.mktemp("serve")
    corpus = Corpus.from_files([write_corpus(tmp / "c.xml", [RCT])])
    warehouse = tmp / "ivig.duckdb"
    with Emulator(corpus, today=dt.date(2026, 11, 24)) as emu:
        env = prefect_server.env(
            IVIG_LIT_BASE_URL=emu.base_url, IVIG_LIT_RATE_LIMIT="500", IVIG_LIT_TIMEZONE=ZONE,
            XDG_DATA_HOME=str(tmp / "data"),
        )  # fmt: skip
        serve = Process([sys.executable, "-m", "ivig_lit", "serve", "--warehouse", str(warehouse)], env, cwd=tmp)
        try:
            serve.await_line("being served and polling")  # Prefect registered both deployments
            yield serve, warehouse
        finally:
            serve.stop()
            delete_deployments("nightly/nightly", "weekly-digest/weekly-digest")


def test_serve_uses_the_configured_prefect_api(served: tuple[Process, Path], prefect_server: PrefectServer) -> None:
    serve, _ = served
    assert f"Prefect API: {prefect_server.api_url} (from PREFECT_API_URL)\n" in serve.lines


def test_served_schedules_get_runs_at_the_next_cron_times_in_the_configured_zone(served: tuple[Process, Path]) -> None:
    for name, at, weekly in [("nightly/nightly", dt.time(2), False), ("weekly-digest/weekly-digest", dt.time(6), True)]:
        deployment = read_deployment(name)
        assert [s.schedule.timezone for s in deployment.schedules] == [ZONE]
        runs = await_scheduled_runs(deployment)
        assert [r.expected_start_time for r in runs] == cron_times(deployment.created, ZONE, at, 3, weekly=weekly)


def test_a_scheduled_nightly_run_fires_and_loads_the_warehouse(served: tuple[Process, Path]) -> None:
    _, warehouse = served
    (first, *_) = await_scheduled_runs(read_deployment("nightly/nightly"))
    fire_now(first)
    run = await_final_state(first.id)
    assert run.state.is_completed(), f"{run.state.type}: {run.state.message}"
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT pmid FROM v_article").fetchall() == [("71000001",)]
    con.close()


def test_a_triggered_weekly_digest_run_completes_and_writes_the_digest(served: tuple[Process, Path]) -> None:
    _, warehouse = served
    run = run_deployment(
        "weekly-digest/weekly-digest", parameters={"week": "2026-W47"}, timeout=600, poll_interval=2, as_subflow=False
    )
    assert run.state.is_completed(), f"{run.state.type}: {run.state.message}"
    digests = warehouse.parent / "data" / "ivig-lit" / "digests"
    assert sorted(p.name for p in digests.glob("digest-2026-W47.*")) == ["digest-2026-W47.html", "digest-2026-W47.md"]


class _ServerThatMustNotStart:
    def __init__(self) -> None:
        raise AssertionError("serve started a Prefect API before checking its time zone")


def test_serve_refuses_an_unknown_time_zone_before_starting_an_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ivig_lit.flows._api.ScheduledServer", _ServerThatMustNotStart)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        result = CliRunner().invoke(main, ["serve"], env={"IVIG_LIT_TIMEZONE": "Europe/Atlantis"})
    assert result.exit_code == 1
    assert "IVIG_LIT_TIMEZONE 'Europe/Atlantis' is not an IANA time zone" in result.output


class _LocalServer:
    """Stands in for ``prefect server start``, which the session harness starts for real."""

    api_url = "http://127.0.0.1:4242/api"

    def start(self, timeout: int | None = None) -> None:
        pass

    def stop(self) -> None:
        pass


def test_without_an_api_serve_starts_one_on_localhost_and_hands_it_and_its_password_to_its_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("ivig_lit.flows._api.ScheduledServer", _LocalServer)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_API_AUTH_STRING", raising=False)
    said: list[str] = []
    unset = {PREFECT_API_URL, PREFECT_API_AUTH_STRING}
    with (
        temporary_settings(updates={PREFECT_SERVER_API_AUTH_STRING: PASSWORD}, restore_defaults=unset),
        prefect_api(said.append, scheduler=True),
    ):
        inherited = (os.environ["PREFECT_API_URL"], os.environ["PREFECT_API_AUTH_STRING"])
    assert said == [f"Prefect API: {_LocalServer.api_url} (temporary, bound to 127.0.0.1 only; basic auth on)"]
    assert inherited == (_LocalServer.api_url, PASSWORD)
    assert "PREFECT_API_URL" not in os.environ  # restored once the API stops
