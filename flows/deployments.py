"""Schedules, declared once: nightly at 02:00 and the digest on Mondays at 06:00, in
``IVIG_LIT_TIMEZONE``. ``ivig-lit serve`` serves both in one long-running process against one
Prefect API; ``prefect deploy`` uses the mirror in prefect.yaml."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prefect import serve
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron

from ivig_lit.config import Settings
from ivig_lit.errors import ConfigError
from ivig_lit.flows._api import prefect_api
from ivig_lit.flows.nightly import nightly
from ivig_lit.flows.weekly_digest import weekly_digest

NIGHTLY_CRON = "0 2 * * *"
WEEKLY_CRON = "0 6 * * 1"


def schedule_timezone(settings: Settings) -> str:
    """The schedules' time zone, refused at start-up when it is not an IANA name."""
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"IVIG_LIT_TIMEZONE {settings.timezone!r} is not an IANA time zone such as America/New_York"
        ) from None
    return settings.timezone


def deploy_settings() -> dict[str, str]:
    """Build step of prefect.yaml: ``prefect deploy`` takes the time zone from IVIG_LIT_TIMEZONE, as serve does."""
    return {"timezone": schedule_timezone(Settings.from_env())}


def deployments(settings: Settings) -> list[RunnerDeployment]:
    """Both deployments; they write to ``settings.warehouse`` (the API key stays in the environment)."""
    timezone = schedule_timezone(settings)
    parameters = {"warehouse": str(settings.warehouse)}
    return [
        nightly.to_deployment(
            name="nightly",
            parameters=parameters,
            schedules=[Cron(NIGHTLY_CRON, timezone=timezone)],
            entrypoint_type=EntrypointType.MODULE_PATH,  # found in the installed package from any directory
            concurrency_limit=1,  # two nightly runs never overlap (the warehouse lock also guards this)
            tags=["ivig-lit"],
        ),
        weekly_digest.to_deployment(
            name="weekly-digest",
            parameters={**parameters, "out_dir": str(settings.digest_dir)},
            schedules=[Cron(WEEKLY_CRON, timezone=timezone)],
            entrypoint_type=EntrypointType.MODULE_PATH,
            concurrency_limit=1,
            tags=["ivig-lit"],
        ),
    ]


def serve_all(settings: Settings, say: Callable[[str], None] = print) -> None:
    """Serve both deployments until interrupted; every run they start uses this process's API,
    which runs Prefect's scheduler (the cron schedules create runs only where a scheduler runs)."""
    served = deployments(settings)  # a bad time zone is refused before any API starts
    with prefect_api(say, scheduler=True):
        say(f"serving nightly ({NIGHTLY_CRON}) and weekly-digest ({WEEKLY_CRON}) in {settings.timezone}")
        serve(*served)
