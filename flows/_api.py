"""One Prefect API per process tree. Without ``PREFECT_API_URL`` Prefect starts a temporary API
inside every process that needs one, so a served run's subprocess got its own and lost the
deployment's concurrency slot. Here the serving process starts one, bound to 127.0.0.1, and hands
its URL to every run it starts through the environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import (
    PREFECT_API_AUTH_STRING,
    PREFECT_API_URL,
    PREFECT_SERVER_API_AUTH_STRING,
    temporary_settings,
)

from ivig_lit.errors import PrefectUnavailableError

STARTUP_TIMEOUT = 120  # seconds; a loaded 2-core machine needs ~15


@contextmanager
def prefect_api() -> Iterator[str]:
    """Yield the API URL in use: ``PREFECT_API_URL`` when configured, else a temporary local API."""
    configured = PREFECT_API_URL.value()
    if configured:
        yield configured
        return
    server = SubprocessASGIServer()
    try:
        server.start(timeout=STARTUP_TIMEOUT)
    except RuntimeError as e:
        raise PrefectUnavailableError(f"the local Prefect API did not start: {e}") from e
    updates = {PREFECT_API_URL: server.api_url}
    server_auth = PREFECT_SERVER_API_AUTH_STRING.value()
    if server_auth and not PREFECT_API_AUTH_STRING.value():  # this process tree is the server's own client
        updates[PREFECT_API_AUTH_STRING] = server_auth
    saved = {name: os.environ.get(name.name) for name in updates}
    os.environ.update({s.name: str(v) for s, v in updates.items()})  # inherited by the runs' subprocesses
    try:
        with temporary_settings(updates=updates):
            yield server.api_url
    finally:
        for s, old in saved.items():
            if old is None:
                os.environ.pop(s.name, None)
            else:
                os.environ[s.name] = old
        server.stop()


def describe_api(url: str) -> str:
    """One line for the operator: where the API is and whether it asks for a password."""
    auth = "basic auth on" if PREFECT_SERVER_API_AUTH_STRING.value() else "no auth"
    if url.startswith("http://127.0.0.1:"):
        return f"Prefect API: {url} (temporary, bound to 127.0.0.1 only; {auth})"
    return f"Prefect API: {url} (from PREFECT_API_URL)"
