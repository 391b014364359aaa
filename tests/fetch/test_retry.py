"""Retry policy as a table of cases: what is retried, how long to wait."""

from __future__ import annotations

import email.utils

import pytest
import requests

from ivig_lit.fetch import retry
from ivig_lit.fetch.retry import RetryableStatus, backoff_seconds, is_retryable, parse_retry_after


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (RetryableStatus(429, None, "rate"), True),
        (RetryableStatus(503, 2.0, "down"), True),
        (requests.ConnectionError("reset"), True),
        (requests.Timeout("slow"), True),
        (requests.exceptions.ChunkedEncodingError("cut"), True),
        (ValueError("bug"), False),
        (KeyError("bug"), False),
    ],
    ids=["429", "503", "connection-reset", "timeout", "truncated-body", "value-error", "key-error"],
)
def test_which_failures_are_retried(exc: BaseException, expected: bool) -> None:
    assert is_retryable(exc) is expected


def test_retry_statuses_are_429_and_the_transient_5xx() -> None:
    assert frozenset({429, 500, 502, 503, 504}) == retry.RETRY_STATUSES


@pytest.mark.parametrize(
    ("header", "expected"),
    [("3", 3.0), ("0", 0.0), (None, None), ("", None), ("soon", None), ("100000", retry.RETRY_AFTER_MAX)],
)
def test_retry_after_seconds_are_read_and_capped(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_retry_after_http_date_is_converted_to_seconds() -> None:
    header = email.utils.formatdate(1_000_030, usegmt=True)
    assert parse_retry_after(header, now=1_000_000) == pytest.approx(30.0)


@pytest.mark.parametrize(
    ("attempt", "low", "high"), [(1, 0.375, 0.625), (2, 0.75, 1.25), (3, 1.5, 2.5), (20, 22.5, 37.5)]
)
def test_backoff_is_exponential_with_jitter_and_capped(attempt: int, low: float, high: float) -> None:
    assert backoff_seconds(attempt, rand=lambda: 0.0) == pytest.approx(low)
    assert backoff_seconds(attempt, rand=lambda: 1.0) == pytest.approx(high)
