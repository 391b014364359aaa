"""Schedules, declared once: nightly at 02:00 and the digest on Mondays at 06:00, in
``IVIG_LIT_TIMEZONE``. ``ivig-lit serve`` (or ``python -m flows.deployments``) serves both in one
long-running process; ``prefect deploy`` uses the mirror in prefect.yaml."""

from __future__ import annotations

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.nightly import nightly
from flows.weekly_digest import weekly_digest
from ivig_lit.config import Settings

NIGHTLY_CRON = "0 2 * * *"
WEEKLY_CRON = "0 6 * * 1"


def deployments(settings: Settings) -> list[RunnerDeployment]:
    """Both deployments; they write to ``settings.warehouse`` (the API key stays in the environment)."""
    parameters = {"warehouse": str(settings.warehouse)}
    return [
        nightly.to_deployment(
            name="nightly",
            parameters=parameters,
            schedules=[Cron(NIGHTLY_CRON, timezone=settings.timezone)],
            concurrency_limit=1,  # two nightly runs never overlap (the warehouse lock also guards this)
            tags=["ivig-lit"],
        ),
        weekly_digest.to_deployment(
            name="weekly-digest",
            parameters={**parameters, "out_dir": str(settings.digest_dir)},
            schedules=[Cron(WEEKLY_CRON, timezone=settings.timezone)],
            concurrency_limit=1,
            tags=["ivig-lit"],
        ),
    ]


def serve_all(settings: Settings) -> None:
    serve(*deployments(settings))


if __name__ == "__main__":
    serve_all(Settings.from_env())
