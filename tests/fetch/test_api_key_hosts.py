"""The NCBI API key goes to NCBI (or a host the user listed in IVIG_LIT_KEY_HOSTS) and nowhere else:
the emulator records what it receives, so these tests see what actually left the process."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ivig_lit.config import Settings
from ivig_lit.emulator import Emulator
from ivig_lit.errors import EutilsHTTPError
from ivig_lit.fetch.eutils import EutilsClient, _may_receive_key
from ivig_lit.fetch.limiter import RateLimiter
from ivig_lit.nightly import run_nightly
from ivig_lit.registry import load_registry

SECRET = "k3y-that-must-stay-home-0123456789"
CIDP = '"chronic inflammatory demyelinating polyneuropathy"[tiab] AND ivig[tiab]'


def _keyed(emulator: Emulator, no_sleep, key_hosts: tuple[str, ...] = ()) -> EutilsClient:
    return EutilsClient(
        emulator.base_url, api_key=SECRET, key_hosts=key_hosts, limiter=RateLimiter(1000.0), sleep=no_sleep
    )


def test_the_loopback_emulator_never_gets_the_key_unless_listed(emulator: Emulator, no_sleep) -> None:
    _keyed(emulator, no_sleep).esearch(CIDP)
    assert "api_key" not in emulator.requests[0].params


def test_a_listed_host_gets_the_key(emulator: Emulator, no_sleep) -> None:
    _keyed(emulator, no_sleep, key_hosts=("127.0.0.1",)).esearch(CIDP)
    assert emulator.requests[0].params["api_key"] == "***"  # sent; the emulator redacts its own log


def test_dropping_the_key_warns_naming_the_host_never_the_key(emulator: Emulator, no_sleep, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="ivig_lit.fetch.eutils"):
        _keyed(emulator, no_sleep)
    host = emulator.base_url.split("/")[2]
    assert f"not sending the NCBI API key to {host}" in caplog.text
    assert SECRET not in caplog.text


@pytest.mark.parametrize(
    ("base_url", "key_hosts", "allowed"),
    [
        ("https://eutils.ncbi.nlm.nih.gov/entrez/eutils/", (), True),
        ("https://EUTILS.NCBI.NLM.NIH.GOV/entrez/eutils/", (), True),
        ("http://eutils.ncbi.nlm.nih.gov/entrez/eutils/", (), False),  # never in clear text
        ("https://eutils.ncbi.nlm.nih.gov.evil.example/entrez/eutils/", (), False),
        ("https://evil.example/eutils.ncbi.nlm.nih.gov/", (), False),
        ("https://user@evil.example/", (), False),
        ("https://mirror.example.org/eutils/", ("mirror.example.org",), True),
        ("https://mirror.example.org:8443/eutils/", (" Mirror.Example.org ",), True),
        ("http://127.0.0.1:8080/", (), False),
        ("http://localhost:8080/", ("127.0.0.1",), False),
    ],
)
def test_which_hosts_may_receive_the_key(base_url: str, key_hosts: tuple[str, ...], allowed: bool) -> None:
    assert _may_receive_key(base_url, key_hosts) is allowed


def test_a_runs_base_url_cannot_redirect_the_key(emulator: Emulator, tmp_path: Path) -> None:
    """A nightly run whose base_url (a flow parameter) points elsewhere fetches without the key."""
    env = {"IVIG_LIT_NCBI_API_KEY": SECRET}
    settings = Settings.from_env(env, warehouse=tmp_path / "w.duckdb", base_url=emulator.base_url, rate_limit=1000.0)
    registry = load_registry(None)
    run_nightly(settings, registry, now=dt.datetime(2026, 11, 25, 3), conditions=["cidp"])
    assert len(emulator.requests) >= 2
    assert not [r for r in emulator.requests if "api_key" in r.params]


def test_key_hosts_are_read_from_the_environment() -> None:
    settings = Settings.from_env({"IVIG_LIT_KEY_HOSTS": "mirror.example.org, 127.0.0.1"})
    assert settings.key_hosts == ("mirror.example.org", "127.0.0.1")


class _Redirector(BaseHTTPRequestHandler):
    """Answers every POST with a 307 to ``target``, which keeps the method and the form."""

    target = ""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(307)
        self.send_header("Location", self.target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_redirect_is_not_followed_so_the_key_cannot_travel_with_it(emulator: Emulator, no_sleep) -> None:
    handler = type("ToEmulator", (_Redirector,), {"target": emulator.base_url + "esearch.fcgi"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        listed = EutilsClient(
            f"http://localhost:{server.server_address[1]}/",
            api_key=SECRET,
            key_hosts=("localhost",),
            limiter=RateLimiter(1000.0),
            sleep=no_sleep,
        )
        with pytest.raises(EutilsHTTPError, match=r"redirected \(HTTP 307\) to 127\.0\.0\.1:\d+; redirects are not"):
            listed.esearch(CIDP)
    finally:
        server.shutdown()
        server.server_close()
    assert len(emulator.requests) == 0
