"""A request-rate limiter shared by every thread and task of a process.

NCBI allows 3 requests/s per client (10 with an API key) across everything the client does, so
limiters are process-wide singletons per rate (``shared_limiter``), not per client object. It is a
sliding-window limiter: a request goes at once unless ``rate`` requests already went in the last
``MARGIN`` seconds, and then waits only until the oldest of them leaves that window. A quiet night's
two or three requests never sleep; a long backfill still averages ``rate / MARGIN`` requests/s.
NCBI counts any sliding second, so the window is 20% wider than a second to absorb network jitter
(requests sent a second apart can arrive closer together).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

MARGIN = 1.2  # NCBI counts requests in a sliding second: a window 20% wider absorbs network jitter


@dataclass
class LimiterStats:
    """What the limiter did: benchmarks and the run report read the sleeping it caused."""

    acquired: int = 0
    waits: int = 0
    waited: float = 0.0  # seconds


class RateLimiter:
    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        # ``burst`` requests per ``window`` seconds: 3 per 1.2 s at 3/s; 1 per 1.5 s at 0.8/s.
        self.burst = max(1, math.floor(per_second))
        self.window = MARGIN * self.burst / per_second
        self.stats = LimiterStats()
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._sent: deque[float] = deque(maxlen=self.burst)  # slots of the last ``burst`` requests

    def acquire(self) -> float:
        """Block until this caller may send; returns the seconds waited (0 while under the rate)."""
        with self._lock:
            now = self._clock()
            full = len(self._sent) == self.burst
            slot = max(now, self._sent[0] + self.window) if full else now
            self._sent.append(slot)
            wait = slot - now
            self.stats.acquired += 1
            if wait > 0:
                self.stats.waits += 1
                self.stats.waited += wait
        if wait > 0:
            self._sleep(wait)
        return wait


@cache
def shared_limiter(per_second: float) -> RateLimiter:
    """The process-wide limiter for a rate (one per rate: keyed and keyless clients differ)."""
    return RateLimiter(per_second)
