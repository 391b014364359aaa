"""When and how long to retry an E-utilities request: the one place retry policy lives.

Everything is a named constant or a small function so the decision can be tested as a table and
the sleep replaced in tests. The client wraps each request in ``retrying(...)``.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_EXCEPTIONS: tuple[type[BaseException], ...] = (
    requests.ConnectionError,  # refused, reset, dropped mid-response
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,  # body cut short
    requests.exceptions.ContentDecodingError,
)
BACKOFF_BASE = 0.5  # seconds before the second try
BACKOFF_MAX = 30.0  # cap for computed back-off
RETRY_AFTER_MAX = 120.0  # cap for a server's Retry-After
JITTER = 0.25  # +-25% of the computed back-off


class RetryableStatus(Exception):
    """An HTTP answer worth retrying (429/5xx, or a 200 whose body was cut short)."""

    def __init__(self, status: int, retry_after: float | None, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.retry_after = retry_after
        self.detail = detail


def is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, (RetryableStatus, *RETRY_EXCEPTIONS))


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError):
            return None
        seconds = when - (time.time() if now is None else now)
    return min(max(seconds, 0.0), RETRY_AFTER_MAX)


def backoff_seconds(attempt: int, rand: Callable[[], float] = random.random) -> float:
    """Capped exponential back-off with jitter for the wait after try number ``attempt`` (1-based)."""
    base = min(BACKOFF_BASE * 2 ** (attempt - 1), BACKOFF_MAX)
    return base * (1 - JITTER + 2 * JITTER * rand())


def wait_seconds(state: RetryCallState) -> float:
    """Retry-After when the server gave one (never less than our own back-off), else back-off."""
    exc = state.outcome.exception() if state.outcome else None
    computed = backoff_seconds(state.attempt_number)
    if isinstance(exc, RetryableStatus) and exc.retry_after is not None:
        return max(exc.retry_after, computed if exc.retry_after == 0 else 0.0)
    return computed


def retrying(
    max_tries: int,
    sleep: Callable[[float], None] = time.sleep,
    before_sleep: Callable[[RetryCallState], None] | None = None,
) -> Retrying:
    """A tenacity controller for one request; re-raises the last error when tries run out."""
    return Retrying(
        retry=retry_if_exception(is_retryable),
        stop=stop_after_attempt(max_tries),
        wait=wait_seconds,
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
