"""Schedules are declared once (flows/deployments.py) and mirrored in prefect.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml

from ivig_lit.config import Settings
from ivig_lit.flows.deployments import NIGHTLY_CRON, WEEKLY_CRON, deployments

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
        "nightly": (NIGHTLY_CRON, "flows/nightly.py:nightly", 1),
        "weekly-digest": (WEEKLY_CRON, "flows/weekly_digest.py:weekly_digest", 1),
    }
