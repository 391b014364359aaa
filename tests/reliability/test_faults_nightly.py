"""A nightly backfill through a fault-injecting proxy ends with the warehouse a fault-free run makes.

The proxy (stdlib, 127.0.0.1) sits between the real client and the emulator and breaks answers the
way networks and NCBI do: 429 with Retry-After, 5xx, connection resets, bodies cut short (a lying
Content-Length, or a complete 200 whose XML stops) and slow answers, some past the client's
timeout (held until the client gives up: an event, not a sleep racing its clock). Faults are
spread over the requests in a fixed cycle, so no request meets more of them in a row than the
client's tries allow and every scenario is reproducible.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ivig_lit.config import Settings
from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.emulator.faults import await_hangup
from ivig_lit.fetch.eutils import EutilsClient
from ivig_lit.nightly import run_nightly
from ivig_lit.registry import Registry, load_registry
from ivig_lit.runs import RunSummary
from tests.cases.records import write_corpus
from tests.conftest import TODAY, SleepRecorder, small_records
from tests.reliability.conftest import query_state

pytestmark = pytest.mark.slow
TIMEOUT = 2.0  # the client's per-request timeout in these runs (seconds), far above any ordinary answer
SLOW = 0.1  # a slow answer that still arrives in time
RETRY_AFTER = 7  # seconds the proxy asks a rate-limited client to wait


@dataclass
class FaultProxy:
    """Forwards to ``upstream``, breaking the n-th request (counting from 1) when ``every`` divides n,
    with the next fault of ``cycle``."""

    upstream: str
    cycle: list[str]
    every: int = 2
    injected: list[str] = field(default_factory=list)
    requests: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = False  # close() waits for answers still on their way
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{urlsplit(self.upstream).path}"

    def next_fault(self) -> str | None:
        with self._lock:
            self.requests += 1
            if not self.cycle or self.requests % self.every:
                return None
            fault = self.cycle[len(self.injected) % len(self.cycle)]
            self.injected.append(fault)
            return fault

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    upstream = urlsplit(proxy.upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fault = proxy.next_fault()
            if fault == "reset":  # RST instead of an answer
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            if fault in ("429", "500", "502", "503", "504"):
                self._answer(int(fault), b'{"error":"injected by the fault proxy"}', "application/json", fault)
                return
            if fault == "too_slow":  # no answer until the client's timeout has fired and it hung up
                await_hangup(self.connection)
                self.close_connection = True
                return
            if fault == "slow":
                time.sleep(SLOW)
            status, payload, content_type = self._forward(body)
            self._answer(status, payload, content_type, fault)

        def _forward(self, body: bytes) -> tuple[int, bytes, str]:
            con = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
            try:
                headers = {"Content-Type": self.headers.get("Content-Type", ""), "Content-Length": str(len(body))}
                con.request("POST", self.path, body, headers)
                reply = con.getresponse()
                return reply.status, reply.read(), reply.getheader("Content-Type", "text/xml")
            finally:
                con.close()

        def _answer(self, status: int, payload: bytes, content_type: str, fault: str | None) -> None:
            sent = payload[: len(payload) // 2] if fault in ("truncate", "cut") else payload
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload) if fault == "truncate" else len(sent)))
            if fault == "429":
                self.send_header("Retry-After", str(RETRY_AFTER))
            self.send_header("Connection", "close")  # one request per connection: no thread idles on keep-alive
            self.close_connection = True
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(sent)
                self.wfile.flush()

    return Handler


SCENARIOS: dict[str, tuple[list[str], int]] = {  # name: (fault cycle, break every n-th request)
    "429 with Retry-After": (["429"], 2),
    "503 on every request in turn": (["503"], 2),
    "500, 502, 504": (["500", "502", "504"], 2),
    "connection resets": (["reset"], 2),
    "truncated bodies": (["truncate"], 2),
    "XML cut short in a complete 200": (["cut"], 2),
    "slow answers": (["slow"], 1),
    "answers slower than the timeout": (["too_slow"], 3),
    "everything mixed": (["429", "reset", "503", "truncate", "cut", "too_slow", "502", "slow"], 2),
}
NOW = dt.datetime.combine(TODAY, dt.time(3))
STATE = {
    "v_article": "SELECT * FROM v_article ORDER BY pmid",
    "article_conditions": "SELECT * FROM article_conditions ORDER BY ALL",
    "watermarks": "SELECT condition_id, kind, watermark FROM _ivig_watermarks ORDER BY ALL",
}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(None)


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch, no_sleep: SleepRecorder) -> SleepRecorder:
    """The pipeline builds its own client: record its back-off waits instead of sleeping them."""
    monkeypatch.setitem(EutilsClient.__init__.__kwdefaults__, "sleep", no_sleep)
    return no_sleep


def _backfill(base_url: str, warehouse: Path, registry: Registry, trials_from: str) -> RunSummary:
    """A first nightly run; its ClinicalTrials.gov step (not under test here) asks ``trials_from``
    directly, the proxy only forwarding E-utilities POSTs."""
    settings = Settings.from_env(
        {}, warehouse=warehouse, base_url=base_url, rate_limit=1000.0, batch_size=10, timeout=TIMEOUT, max_tries=4,
        ctgov_base_url=trials_from,
    )  # fmt: skip
    return run_nightly(settings, registry, now=NOW)


def _state(warehouse: Path) -> dict[str, list[tuple]]:
    return query_state(warehouse, STATE)


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """An emulator of this module's own, behind every proxy: the session's emulator is reset by
    other tests."""
    corpus = Corpus.from_files([write_corpus(tmp_path_factory.mktemp("corpus") / "small.xml", small_records())])
    with Emulator(corpus, today=TODAY) as emu:
        yield emu


@pytest.fixture(scope="module")
def fault_free(upstream: Emulator, registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> dict:
    warehouse = tmp_path_factory.mktemp("fault-free") / "w.duckdb"
    summary = _backfill(upstream.base_url, warehouse, registry, upstream.ctgov_base_url)
    assert summary.counts.retries == 0
    return _state(warehouse)


@pytest.fixture
def proxy_for(upstream: Emulator) -> Iterator[type[FaultProxy]]:
    made: list[FaultProxy] = []

    def make(cycle: list[str], every: int) -> FaultProxy:
        made.append(FaultProxy(upstream.base_url, cycle, every))
        return made[-1]

    yield make  # type: ignore[misc]
    for p in made:
        p.close()


def test_the_fault_free_run_loads_the_corpus(fault_free: dict) -> None:
    assert len(fault_free["v_article"]) == 60  # the 60 CIDP records; the off-topic ones are not loaded
    assert fault_free["watermarks"] and fault_free["article_conditions"]


@pytest.mark.parametrize(("cycle", "every"), SCENARIOS.values(), ids=SCENARIOS.keys())
def test_a_backfill_through_faults_ends_like_a_fault_free_one(
    cycle: list[str], every: int, fault_free: dict, proxy_for, quick_retries, registry: Registry, tmp_path: Path,
    upstream: Emulator,
) -> None:  # fmt: skip
    proxy = proxy_for(cycle, every)
    summary = _backfill(proxy.base_url, tmp_path / "w.duckdb", registry, upstream.ctgov_base_url)
    assert proxy.injected, "the scenario injected no fault"
    assert summary.status == "completed" and summary.counts.missing == []
    assert summary.counts.retries == sum(f != "slow" for f in proxy.injected)  # one retry per broken answer
    assert _state(tmp_path / "w.duckdb") == fault_free


def test_retry_after_is_honoured_in_a_nightly_run(
    proxy_for, quick_retries, registry: Registry, tmp_path, upstream
) -> None:
    proxy = proxy_for(["429"], 2)
    _backfill(proxy.base_url, tmp_path / "w.duckdb", registry, upstream.ctgov_base_url)
    assert quick_retries.waits.count(RETRY_AFTER) == len(proxy.injected) > 0
