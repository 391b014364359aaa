"""Date windows and their split past the ESearch cap."""

from __future__ import annotations

import datetime as dt

import pytest

from ivig_lit.fetch.windows import DateWindow


def test_window_renders_as_a_pubmed_date_range_term() -> None:
    w = DateWindow("crdt", dt.date(2026, 11, 1), dt.date(2026, 11, 25))
    assert w.term() == '("2026/11/01"[crdt] : "2026/11/25"[crdt])'


@pytest.mark.parametrize("days", [2, 3, 10, 365, 46000])
def test_split_halves_cover_the_window_exactly_without_overlap(days: int) -> None:
    w = DateWindow("mdat", dt.date(1900, 1, 1), dt.date(1900, 1, 1) + dt.timedelta(days=days - 1))
    a, b = w.split()
    assert (a.start, b.end) == (w.start, w.end)
    assert b.start == a.end + dt.timedelta(days=1)
    assert abs(a.days - b.days) <= 1


def test_window_ending_before_it_starts_is_rejected() -> None:
    with pytest.raises(ValueError, match="ends"):
        DateWindow("crdt", dt.date(2026, 2, 1), dt.date(2026, 1, 1))


def test_unknown_date_field_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown date field"):
        DateWindow("xdat", dt.date(2026, 1, 1), dt.date(2026, 1, 1))
