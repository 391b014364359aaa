"""Fault injection for the emulator: the failures a nightly run must survive, on demand.

A :class:`FaultPlan` answers one question per request, "what goes wrong with this one?", from
(in order) a scripted queue for the request's endpoint, the scripted queue for any endpoint, then
random rates. Fault specs, as accepted by :meth:`FaultPlan.script` and :meth:`FaultPlan.set_rate`:

* ``None``: serve normally (a script placeholder);
* an HTTP status (``429``, ``500``, ``502``, ``503``, any 4xx/5xx): answer with it, with an
  NCBI-like body (429 gets the JSON "API rate limit exceeded" body);
* ``"drop"``: close the connection without a response;
* ``"truncate"``: announce the full Content-Length, send half the body, close (IncompleteRead);
* ``"cut"``: a complete HTTP 200 whose XML stops in the middle (well-formed HTTP, broken XML);
* ``"error"``: a complete HTTP 200 whose body is an error payload instead of results;
* ``("slow", seconds)``: sleep, then serve normally;
* ``"hang"``: hold the answer until the client gives up (closes its connection), then close without
  one: a timeout proven by an event, whatever the machine's load, not by a sleep racing the
  client's clock (:func:`await_hangup`).

``retry_after`` (seconds) is sent as a ``Retry-After`` header on injected 429/503s and on rate-limit
429s; None (the default, as NCBI often does) sends none. :meth:`FaultPlan.drop_pmids` makes EFetch
omit PMIDs, always or only when they are requested together with other ids.
"""

from __future__ import annotations

import random
import select
import socket
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

ENDPOINTS = ("esearch", "efetch", "studies")  # studies: ClinicalTrials.gov /api/v2/studies
_KINDS = ("drop", "truncate", "cut", "error", "slow", "hang")
HANG_LIMIT = 120.0  # seconds a "hang" waits for a client that never gives up before closing anyway

FaultSpec = int | str | tuple[str, float] | None


@dataclass(frozen=True, slots=True)
class Fault:
    kind: str  # "status", "drop", "truncate", "cut", "error", "slow", "hang"
    status: int | None = None
    delay: float = 0.0

    @property
    def label(self) -> str:
        """Short name for the request log ("503", "drop", "slow:2.0")."""
        if self.kind == "status":
            return str(self.status)
        return f"slow:{self.delay:g}" if self.kind == "slow" else self.kind


def to_fault(spec: FaultSpec | Fault) -> Fault | None:
    """Normalise a fault spec (see the module docstring); raises ValueError for unknown ones."""
    if spec is None or isinstance(spec, Fault):
        return spec
    if isinstance(spec, int) and 400 <= spec <= 599:
        return Fault("status", status=spec)
    if isinstance(spec, str) and spec.isdigit():
        return to_fault(int(spec))
    if isinstance(spec, str) and spec in _KINDS and spec != "slow":
        return Fault(spec)
    if isinstance(spec, str) and spec == "slow":
        return Fault("slow", delay=1.0)
    if isinstance(spec, tuple) and len(spec) == 2 and spec[0] == "slow":
        return Fault("slow", delay=float(spec[1]))
    raise ValueError(f"unknown fault spec {spec!r}; use None, an HTTP status, {', '.join(_KINDS)} or ('slow', s)")


def await_hangup(conn: socket.socket, limit: float = HANG_LIMIT) -> bool:
    """Block until the client closes or resets ``conn`` (its read timeout fired), discarding
    anything it sends meanwhile; False if it was still there after ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while (left := deadline - time.monotonic()) > 0:
        if select.select([conn], [], [], left)[0]:
            try:
                if not conn.recv(65536):
                    return True
            except OSError:  # reset rather than closed
                return True
    return False


def _check_endpoint(endpoint: str | None) -> str | None:
    if endpoint is not None and endpoint not in ENDPOINTS:
        raise ValueError(f"endpoint must be one of {ENDPOINTS} or None, not {endpoint!r}")
    return endpoint


class FaultPlan:
    """Thread-safe schedule of faults; the emulator asks it once per request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.retry_after: float | None = None
        self.clear()

    def clear(self) -> None:
        """Forget every script, rate and dropped PMID (``retry_after`` too)."""
        with self._lock:
            self._scripts: dict[str | None, deque[Fault | None]] = {None: deque(), **{e: deque() for e in ENDPOINTS}}
            self._rates: list[tuple[Fault, float, str | None]] = []
            self._rng = random.Random(0)
            self._dropped: set[str] = set()
            self._dropped_in_batches: set[str] = set()
            self.retry_after = None

    def script(self, faults: Iterable[FaultSpec | Fault], endpoint: str | None = None) -> FaultPlan:
        """Queue faults consumed one per request (to ``endpoint``'s requests only, if given)."""
        queue = [to_fault(f) for f in faults]
        with self._lock:
            self._scripts[_check_endpoint(endpoint)].extend(queue)
        return self

    def set_rate(
        self, fault: FaultSpec | Fault, rate: float, *, endpoint: str | None = None, seed: int = 0
    ) -> FaultPlan:
        """Inject ``fault`` into a random ``rate`` (0..1) of requests; reseeds the shared generator."""
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        parsed = to_fault(fault)
        if parsed is None:
            raise ValueError("a rate needs a fault, not None")
        with self._lock:
            self._rates.append((parsed, rate, _check_endpoint(endpoint)))
            self._rng = random.Random(seed)
        return self

    def drop_pmids(self, pmids: Iterable[str | int], *, only_in_batches: bool = False) -> FaultPlan:
        """Make EFetch omit these PMIDs: always, or only when asked for with other ids."""
        ids = {str(p) for p in pmids}
        with self._lock:
            (self._dropped_in_batches if only_in_batches else self._dropped).update(ids)
        return self

    def remaining(self, endpoint: str | None = None) -> int:
        """Scripted faults not consumed yet (for ``endpoint``'s queue, or all queues)."""
        with self._lock:
            if endpoint is None:
                return sum(len(q) for q in self._scripts.values())
            return len(self._scripts[_check_endpoint(endpoint)])

    def next_fault(self, endpoint: str) -> Fault | None:
        """The fault for one request to ``endpoint`` (consumes a scripted entry if one applies)."""
        with self._lock:
            for queue in (self._scripts.get(endpoint), self._scripts[None]):
                if queue:
                    return queue.popleft()
            for fault, rate, only in self._rates:
                if (only is None or only == endpoint) and self._rng.random() < rate:
                    return fault
        return None

    def omitted_pmids(self, requested: list[str]) -> set[str]:
        """Which of the requested PMIDs EFetch must leave out of this response."""
        with self._lock:
            omitted = self._dropped & set(requested)
            if len(requested) > 1:
                omitted |= self._dropped_in_batches & set(requested)
        return omitted
