"""One Prefect API per process tree. Without ``PREFECT_API_URL`` Prefect starts a temporary API
inside every process that needs one, so a served run's subprocess got its own and lost the
deployment's concurrency slot. Here the serving process starts one, bound to 127.0.0.1, and hands
its URL to every run it starts through the environment."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import (
    PREFECT_API_AUTH_STRING,
    PREFECT_API_URL,
    PREFECT_SERVER_API_AUTH_STRING,
    temporary_settings,
)

from ivig_lit.errors import PrefectUnavailableError

STARTUP_TIMEOUT = 120  # seconds; Prefect allows 20, which a loaded 2-core machine exceeds


@contextmanager
def prefect_api(say: Callable[[str], None] | None = None) -> Iterator[str]:
    """Yield the API URL in use: ``PREFECT_API_URL`` when configured, else a temporary local API;
    ``say`` hears one line about which it is."""
    say = say or (lambda line: None)
    configured = PREFECT_API_URL.value()
    if configured:
        say(f"Prefect API: {configured} (from PREFECT_API_URL)")
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
    auth = "basic auth on" if server_auth else "no auth: see the README to set a password"
    say(f"Prefect API: {server.api_url} (temporary, bound to 127.0.0.1 only; {auth})")
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
