"""Schedules are declared once (flows/deployments.py) and mirrored in prefect.yaml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from prefect.flows import load_flow_from_entrypoint

from ivig_lit.config import Settings
from ivig_lit.errors import ConfigError
from ivig_lit.flows.deployments import NIGHTLY_CRON, WEEKLY_CRON, deploy_settings, deployments

REPO = Path(__file__).resolve().parents[2]


def _schedules(settings: Settings) -> dict[str, tuple[str, str, int | None]]:
    out = {}
    for d in deployments(settings):
        (schedule,) = d.schedules
        limit = d.concurrency_limit if isinstance(d.concurrency_limit, int) else d.concurrency_limit.limit
        out[d.name] = (schedule.schedule.cron, schedule.schedule.timezone, limit)
    return out


def test_nightly_runs_at_two_and_the_digest_on_monday_at_six() -> None:
    assert _schedules(Settings.from_env({})) == {
        "nightly": ("0 2 * * *", "America/New_York", 1),
        "weekly-digest": ("0 6 * * 1", "America/New_York", 1),
    }


def test_the_time_zone_comes_from_settings() -> None:
    zones = {tz for _, tz, _ in _schedules(Settings.from_env({"IVIG_LIT_TIMEZONE": "Europe/Berlin"})).values()}
    assert zones == {"Europe/Berlin"}


def test_prefect_yaml_mirrors_the_python_declaration() -> None:
    spec = yaml.safe_load((REPO / "prefect.yaml").read_text())
    declared = {
        d["name"]: (d["schedules"][0]["cron"], d["entrypoint"], d["concurrency_limit"]) for d in spec["deployments"]
    }
    assert declared == {
        "nightly": (NIGHTLY_CRON, "ivig_lit.flows.nightly:nightly", 1),
        "weekly-digest": (WEEKLY_CRON, "ivig_lit.flows.weekly_digest:weekly_digest", 1),
    }


def test_prefect_yaml_takes_the_time_zone_from_its_build_step_and_pulls_nothing() -> None:
    spec = yaml.safe_load((REPO / "prefect.yaml").read_text())
    assert spec["build"] == [{"ivig_lit.flows.deployments.deploy_settings": {"id": "settings"}}]
    assert spec["pull"] == []
    assert {d["schedules"][0]["timezone"] for d in spec["deployments"]} == {"{{ settings.timezone }}"}


def test_prefect_deploy_reads_the_time_zone_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IVIG_LIT_TIMEZONE", "Europe/Berlin")
    assert deploy_settings() == {"timezone": "Europe/Berlin"}


@pytest.mark.parametrize("zone", ["Europe/Atlantis", "new york", "../../etc/passwd"])
def test_prefect_deploy_refuses_an_unknown_time_zone_with_its_name(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    monkeypatch.setenv("IVIG_LIT_TIMEZONE", zone)
    with pytest.raises(ConfigError, match=f"IVIG_LIT_TIMEZONE {re.escape(repr(zone))} is not an IANA time zone"):
        deploy_settings()


def test_prefect_deploy_without_a_time_zone_uses_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IVIG_LIT_TIMEZONE", raising=False)
    assert deploy_settings() == {"timezone": "America/New_York"}


def test_deployments_run_from_the_installed_package_in_any_directory() -> None:
    assert {d.entrypoint for d in deployments(Settings.from_env({}))} == {
        "ivig_lit.flows.nightly.nightly",
        "ivig_lit.flows.weekly_digest.weekly_digest",
    }


def test_a_worker_finds_each_deployed_flow_in_the_installed_package_from_any_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The code location is the installed package (no pull step, no IVIG_LIT_HOME): Prefect's own
    entrypoint loader finds each prefect.yaml entrypoint outside the checkout."""
    spec = yaml.safe_load((REPO / "prefect.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    assert {d["name"]: load_flow_from_entrypoint(d["entrypoint"]).name for d in spec["deployments"]} == {
        "nightly": "nightly",
        "weekly-digest": "weekly-digest",
    }
