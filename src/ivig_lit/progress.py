"""Progress for long tasks: a live bar on a terminal, periodic log lines elsewhere (CI, Prefect)."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

log = logging.getLogger(__name__)


class Progress:
    """``with Progress("Fetching", total=n, enabled=True) as bar: bar.advance(k)``; with
    ``total=None`` (records in a file of unknown size) it counts instead of measuring. A ``note``
    passed to ``advance`` (running totals, a rate) is shown after the bar and in the log line."""

    def __init__(self, description: str, total: int | None, enabled: bool = True, log_every: int = 10_000) -> None:
        self.description = description
        self.total = total
        self.done = 0
        self._enabled = enabled and total != 0
        self._log_every = log_every
        self._rich: RichProgress | None = None
        self._next_log = 0.1

    def __enter__(self) -> Progress:
        if self._enabled and sys.stderr.isatty():
            self._rich = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.fields[note]}"),
                transient=False,
            )
            self._rich.start()
            self._task = self._rich.add_task(self.description, total=self.total, note="")
        return self

    def advance(self, n: int = 1, note: str = "") -> None:
        before, self.done = self.done, self.done + n
        tail = f"; {note}" if note else ""
        if self._rich:
            self._rich.update(self._task, advance=n, note=note)
        elif not self._enabled:
            return
        elif self.total is None:
            if before // self._log_every != self.done // self._log_every:
                log.info("%s: %d%s", self.description, self.done, tail)
        elif self.done / self.total >= self._next_log:
            pct = 100 * self.done / self.total
            log.info("%s: %d/%d (%.0f%%)%s", self.description, self.done, self.total, pct, tail)
            self._next_log = (int(10 * self.done / self.total) + 1) / 10

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._rich:
            self._rich.stop()
