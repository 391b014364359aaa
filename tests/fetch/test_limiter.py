"""The process-wide rate limiter: NCBI's 3 (or 10) requests per second, across threads, and no
sleeping while a caller stays under the rate."""

from __future__ import annotations

import threading
import time

import pytest

from ivig_lit.emulator import Emulator, RateLimit
from ivig_lit.fetch.eutils import EutilsClient
from ivig_lit.fetch.limiter import RateLimiter, shared_limiter

CIDP = '"chronic inflammatory demyelinating polyneuropathy"[tiab] AND ivig[tiab]'


class FakeClock:
    """A clock that stands still unless a test moves it; sleeping is free."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        pass


@pytest.mark.parametrize(("rate", "burst"), [(3.0, 3), (10.0, 10)])
def test_requests_up_to_the_rate_go_at_once(rate: float, burst: int) -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate, clock=clock, sleep=clock.sleep)
    assert [limiter.acquire() for _ in range(burst)] == [0.0] * burst
    assert (limiter.stats.acquired, limiter.stats.waits, limiter.stats.waited) == (burst, 0, 0.0)


def test_the_request_past_the_rate_waits_until_the_oldest_leaves_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3.0, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(7)]
    assert waits == pytest.approx([0.0, 0.0, 0.0, 1.2, 1.2, 1.2, 2.4])
    assert limiter.stats.waits == 4 and limiter.stats.waited == pytest.approx(6.0)


def test_time_spent_working_between_requests_is_not_slept_again() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3.0, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limiter.acquire()
    clock.now += 1.0  # parsing and loading took a second
    assert limiter.acquire() == pytest.approx(0.2)


def test_a_rate_below_one_per_second_spaces_single_requests() -> None:
    clock = FakeClock()
    limiter = RateLimiter(0.8, clock=clock, sleep=clock.sleep)
    assert [limiter.acquire() for _ in range(3)] == pytest.approx([0.0, 1.5, 3.0])


def test_threads_share_one_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3.0, clock=clock, sleep=clock.sleep)
    waits: list[float] = []
    threads = [threading.Thread(target=lambda: waits.append(limiter.acquire())) for _ in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(round(w, 6) for w in waits) == [0.0] * 3 + [1.2] * 3 + [2.4] * 3


def test_one_limiter_per_rate_per_process() -> None:
    assert shared_limiter(3.0) is shared_limiter(3.0)
    assert shared_limiter(3.0) is not shared_limiter(10.0)


def test_requests_under_ncbis_rate_never_sleep(emulator: Emulator) -> None:
    emulator.rate_limit = RateLimit()  # the emulator answers 429 past 3 requests/s, as NCBI does
    waits: list[float] = []
    limiter = RateLimiter(3.0, sleep=waits.append)
    try:
        client = EutilsClient(emulator.base_url, limiter=limiter, max_tries=1)
        for _ in range(3):
            client.esearch(CIDP)
    finally:
        emulator.rate_limit = None
    assert waits == [] and (limiter.stats.acquired, limiter.stats.waits) == (3, 0)
    assert [r.status for r in emulator.requests] == [200, 200, 200]


def test_a_request_past_ncbis_rate_waits_instead_of_meeting_a_429(emulator: Emulator) -> None:
    emulator.rate_limit = RateLimit()
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    try:
        client = EutilsClient(emulator.base_url, limiter=RateLimiter(3.0, sleep=sleep), max_tries=1)
        for _ in range(4):
            client.esearch(CIDP)
    finally:
        emulator.rate_limit = None
    assert len(waits) == 1 and 0 < waits[0] <= 1.2
    assert [r.status for r in emulator.requests] == [200, 200, 200, 200]
