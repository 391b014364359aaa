"""One Prefect API per process tree. Without ``PREFECT_API_URL`` Prefect starts a temporary API
inside every process that needs one, so a served run's subprocess got its own and lost the
deployment's concurrency slot. Here the serving process starts one, bound to 127.0.0.1, and hands
its URL to every run it starts through the environment."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Protocol

import httpx
from prefect.settings import (
    PREFECT_API_AUTH_STRING,
    PREFECT_API_URL,
    PREFECT_SERVER_ANALYTICS_ENABLED,
    PREFECT_SERVER_API_AUTH_STRING,
    get_current_settings,
    load_current_profile,
    temporary_settings,
)

from ivig_lit.errors import PrefectUnavailableError

ANALYTICS = "PREFECT_SERVER_ANALYTICS_ENABLED"  # Prefect's usage telemetry from a server it starts
STARTUP_TIMEOUT = 120  # seconds; Prefect allows 20, which a loaded 2-core machine exceeds
STOP_TIMEOUT = 15  # seconds a server gets to shut down cleanly before it is killed


class _Server(Protocol):
    api_url: str

    def start(self, timeout: int | None = None) -> None: ...

    def stop(self) -> None: ...


class ScheduledServer:
    """``prefect server start`` on a free 127.0.0.1 port. Prefect's own temporary API runs without
    its scheduler service, so the cron schedules of a deployment served against it never create a
    run; this one has the scheduler. ``env`` adds to the server's environment (its PREFECT_HOME)."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port: int = probe.getsockname()[1]
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        current = get_current_settings().to_environment_variables(exclude_unset=True)  # e.g. PREFECT_HOME
        self._env = {ANALYTICS: "false", **os.environ, **current, **(env or {})}  # the user's value wins
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self, timeout: int | None = None) -> None:
        """Start the server and wait until it answers its health check."""
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (open for the server's lifetime; closed in stop)
        cmd = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(self.port)]
        self._process = subprocess.Popen(
            [*cmd, "--no-ui", "--log-level", "WARNING"], stdout=self._log, stderr=subprocess.STDOUT, env=self._env
        )
        timeout = timeout or STARTUP_TIMEOUT
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                code = self._process.returncode
                raise RuntimeError(f"`prefect server start` exited with code {code}: {self._tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.api_url}/health", timeout=5).status_code == 200:
                    return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"`prefect server start` did not answer on {self.api_url} within {timeout} s")

    def stop(self) -> None:
        """Ask the server to stop (SIGTERM); kill it if it has not within STOP_TIMEOUT."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def _tail(self, chars: int = 2000) -> str:
        assert self._log is not None
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-chars:]


def is_analytics_set() -> bool:
    """Whether the user chose Prefect's server analytics (environment or Prefect profile)."""
    return ANALYTICS in os.environ or PREFECT_SERVER_ANALYTICS_ENABLED in load_current_profile().settings


@contextmanager
def analytics_off_unless_set() -> Iterator[None]:
    """Inside: a server started from this process tree sends Prefect no usage telemetry, unless the
    user set ``PREFECT_SERVER_ANALYTICS_ENABLED`` (their value wins); the environment is restored after."""
    if is_analytics_set():
        yield
        return
    os.environ[ANALYTICS] = "false"
    try:
        yield
    finally:
        os.environ.pop(ANALYTICS, None)


@contextmanager
def prefect_api(say: Callable[[str], None] | None = None, scheduler: bool = False) -> Iterator[str]:
    """Yield the API URL in use: ``PREFECT_API_URL`` when configured, else a temporary local API
    (with Prefect's scheduler when ``scheduler``, for served schedules, and without Prefect's
    analytics unless the user asked for them); ``say`` hears one line about which it is."""
    say = say or (lambda line: None)
    configured = PREFECT_API_URL.value()
    if configured:
        say(f"Prefect API: {configured} (from PREFECT_API_URL)")
        yield configured
        return
    with analytics_off_unless_set():
        yield from _temporary_api(say, scheduler)


def _temporary_api(say: Callable[[str], None], scheduler: bool) -> Iterator[str]:
    from prefect.server.api.server import SubprocessASGIServer  # the server's app: 74 MiB, only when started

    server: _Server = ScheduledServer() if scheduler else SubprocessASGIServer()
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
