"""A request-rate limiter shared by every thread and task of a process.

NCBI allows 3 requests/s per client (10 with an API key) across everything the client does, so
limiters are process-wide singletons per rate (``shared_limiter``), not per client object. It is a
spacing limiter (one slot every 1.2/rate s, no bursts): NCBI counts any sliding second, so a
token bucket's burst, or spacing of exactly 1/rate with network jitter, meets a 429.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import cache

MARGIN = 1.2  # NCBI counts requests in a sliding second: spacing 20% wider absorbs network jitter


class RateLimiter:
    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.interval = MARGIN / per_second
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot = 0.0

    def acquire(self) -> float:
        """Block until this caller's slot; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self.interval
        wait = slot - now
        if wait > 0:
            self._sleep(wait)
        return wait


@cache
def shared_limiter(per_second: float) -> RateLimiter:
    """The process-wide limiter for a rate (one per rate: keyed and keyless clients differ)."""
    return RateLimiter(per_second)
