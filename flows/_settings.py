"""Flow parameters -> Settings. Flows take only non-secret parameters (Prefect stores them); the
API key and SMTP password come from the environment of the process that runs the flow."""

from __future__ import annotations

from pathlib import Path

from ivig_lit.config import Settings


def resolve(
    warehouse: str | None = None,
    base_url: str | None = None,
    rate_limit: float | None = None,
    digest_dir: str | None = None,
) -> Settings:
    return Settings.from_env(
        warehouse=warehouse and Path(warehouse),
        base_url=base_url,
        rate_limit=rate_limit,
        digest_dir=digest_dir and Path(digest_dir),
    )
