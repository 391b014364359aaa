"""The one Prefect harness: a real ``prefect server start`` (scheduler on, sqlite in a temporary
PREFECT_HOME, 127.0.0.1, password-protected), started once per test process (~15 s idle) and shared
by the in-process flow tests, ``ivig-lit serve`` and the self-hosted worker, which all point
PREFECT_API_URL at it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

from ivig_lit.flows._api import ScheduledServer

PASSWORD = "operator:not-a-real-secret"
STARTUP_TIMEOUT = 300  # seconds: a 2-core machine shared with other builds has needed 75 s


@dataclass(frozen=True)
class PrefectServer:
    api_url: str
    home: Path

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a subprocess that talks to this server: this one's, without any
        PREFECT_* or IVIG_LIT_* setting of the developer's, plus ``extra``."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "IVIG_LIT_"))}
        return env | {
            "PREFECT_API_URL": self.api_url, "PREFECT_API_AUTH_STRING": PASSWORD, "PREFECT_HOME": str(self.home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PYTHONUNBUFFERED": "1", **extra,
        }  # fmt: skip


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectServer]:
    """The session's Prefect server; this process's Prefect client points at it."""
    home = tmp_path_factory.mktemp("prefect-home")
    server = ScheduledServer(env={"PREFECT_HOME": str(home), "PREFECT_SERVER_API_AUTH_STRING": PASSWORD})
    server.start(timeout=STARTUP_TIMEOUT)
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url, PREFECT_API_AUTH_STRING: PASSWORD}):
            yield PrefectServer(server.api_url, home)
    finally:
        server.stop()
