"""Prefect flow ``weekly-digest``: write the digest files, publish it as a markdown artifact, and
e-mail it when SMTP is configured."""

from __future__ import annotations

import datetime as dt

from prefect import flow
from prefect.artifacts import create_markdown_artifact

from ivig_lit.flows._settings import resolve
from ivig_lit.weekly import run_digest


@flow(name="weekly-digest", log_prints=True)
def weekly_digest(
    week: str | None = None,
    send_email: bool = False,
    warehouse: str | None = None,
    out_dir: str | None = None,
    today: dt.date | None = None,
) -> dict[str, str]:
    """Digest of an ISO week (default: the last complete one)."""
    settings = resolve(warehouse, digest_dir=out_dir)
    result = run_digest(settings, week=week, today=today, send=send_email)
    create_markdown_artifact(
        result.markdown, key=f"weekly-digest-{result.week.lower()}", description=f"IVIG evidence digest {result.week}"
    )
    return {kind: str(path) for kind, path in result.paths.items()}
