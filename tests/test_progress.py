"""Long tasks report progress: a bar on a terminal, log lines elsewhere."""

from __future__ import annotations

import logging

from ivig_lit.progress import Progress


def test_known_total_logs_every_tenth_when_not_on_a_terminal(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="ivig_lit.progress"), Progress("Fetching", total=100) as bar:
        for _ in range(10):
            bar.advance(10)
    assert [r.getMessage() for r in caplog.records][:2] == ["Fetching: 10/100 (10%)", "Fetching: 20/100 (20%)"]
    assert len(caplog.records) == 10


def test_unknown_total_logs_a_running_count(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="ivig_lit.progress"), Progress("Records", None, log_every=1000) as bar:
        for _ in range(5):
            bar.advance(600)
    assert [r.getMessage() for r in caplog.records] == ["Records: 1200", "Records: 2400", "Records: 3000"]


def test_disabled_progress_says_nothing(caplog) -> None:
    with caplog.at_level(logging.INFO), Progress("Quiet", total=5, enabled=False) as bar:
        bar.advance(5)
    assert caplog.records == []
