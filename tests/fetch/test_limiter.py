"""The process-wide rate limiter: NCBI's 3 (or 10) requests per second, across threads."""

from __future__ import annotations

import threading

import pytest

from ivig_lit.fetch.limiter import RateLimiter, shared_limiter


class FakeClock:
    """A clock that stands still unless a test moves it; sleeping is free."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        pass


def test_calls_are_spaced_a_little_wider_than_the_nominal_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3.0, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(4)]
    assert waits == pytest.approx([0.0, 1.2 / 3, 2.4 / 3, 3.6 / 3])


def test_no_wait_once_the_interval_has_passed() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10.0, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now += 0.5
    assert limiter.acquire() == 0.0


def test_threads_share_one_schedule() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3.0, clock=clock, sleep=clock.sleep)
    waits: list[float] = []
    threads = [threading.Thread(target=lambda: waits.append(limiter.acquire())) for _ in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(round(w, 6) for w in waits) == [round(i * 1.2 / 3, 6) for i in range(9)]


def test_one_limiter_per_rate_per_process() -> None:
    assert shared_limiter(3.0) is shared_limiter(3.0)
    assert shared_limiter(3.0) is not shared_limiter(10.0)
