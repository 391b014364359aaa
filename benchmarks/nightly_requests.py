"""E-utilities requests, wall time and time asleep in the rate limiter per nightly run, before and
after the frugal nightly, on the bundled demo corpus behind the emulator (which answers 429 past
NCBI's 3 requests/s, as NCBI does), through the plain pipeline at NCBI's keyless rate.

Scenarios: a first backfill (empty warehouse), normal nights (a day's new and revised records) and
a quiet night (the same night run again: nothing new). Strategies:

- before: one ESearch per condition and window (two per condition a night) and the previous
  spacing limiter (one request every 1.2/3 s), reproduced here for the comparison;
- after: one union ESearch per shared window, conditions placed locally, the sliding-window
  limiter (sleeps only past 3 requests in 1.2 s), history-server paging past the threshold.

ClinicalTrials.gov requests (the trials step, 0.8/s) are printed apart: they are not E-utilities.

usage: python benchmarks/nightly_requests.py [--nights 2] [--history-threshold 3000]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ivig_lit.config import Settings
from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.fetch import eutils
from ivig_lit.fetch.limiter import MARGIN, RateLimiter, shared_limiter
from ivig_lit.nightly import run_nightly

START = dt.date(2026, 10, 19)  # the demo corpus's first replayed day
NCBI_RATE = 3.0


class SpacingLimiter(RateLimiter):
    """The limiter as it was before: every request one slot after the last, bursts or not."""

    def __init__(self, per_second: float) -> None:
        super().__init__(per_second)
        self._next = 0.0
        self._spacing = MARGIN / per_second
        self._guard = threading.Lock()

    def acquire(self) -> float:
        with self._guard:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self._spacing
        wait = slot - now
        self.stats.acquired += 1
        if wait > 0:
            self.stats.waits += 1
            self.stats.waited += wait
            time.sleep(wait)
        return wait


@contextmanager
def limiter_of(strategy: str) -> Iterator[RateLimiter]:
    """The E-utilities limiter every client of this process uses for the strategy."""
    limiter = SpacingLimiter(NCBI_RATE) if strategy == "before" else shared_limiter(NCBI_RATE)
    original = eutils.shared_limiter
    eutils.shared_limiter = lambda rate: limiter  # type: ignore[assignment]
    try:
        yield limiter
    finally:
        eutils.shared_limiter = original  # type: ignore[assignment]


def scenarios(nights: int) -> list[tuple[str, dt.date]]:
    """(label, the day the emulator replays) in run order."""
    runs = [("first backfill", START - dt.timedelta(days=1))]
    runs += [(f"normal night {START + dt.timedelta(days=i)}", START + dt.timedelta(days=i)) for i in range(nights)]
    return [*runs, ("quiet night (rerun)", runs[-1][1])]


def run_strategy(strategy: str, nights: int, history_threshold: int) -> list[str]:
    rows = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        Emulator(Corpus.demo(), today=START, rate_limit=True) as emu,
        limiter_of(strategy) as limiter,
    ):
        settings = Settings.from_env(
            {},
            warehouse=Path(tmp) / "w.duckdb",
            base_url=emu.base_url,
            union_search=strategy == "after",
            history_threshold=history_threshold if strategy == "after" else 10**9,
        )
        for label, day in scenarios(nights):
            emu.today = day
            emu.reset()
            before = dataclasses.replace(limiter.stats)
            started = time.perf_counter()
            summary = run_nightly(settings, now=dt.datetime.combine(day + dt.timedelta(days=1), dt.time(2)))
            wall = time.perf_counter() - started
            c = summary.counts
            search = len(emu.requests.filter(endpoint="esearch"))
            fetched = emu.requests.filter(endpoint="efetch")
            by_history = sum(1 for r in fetched if "webenv" in {k.lower() for k in r.params})
            refused = len(emu.requests.filter(status=429))
            slept = limiter.stats.waited - before.waited
            trials = len(emu.requests.filter(endpoint="studies"))
            rows.append(
                f"{strategy:<7} {label:<30} {c.requests:>8} {search:>7} {len(fetched):>6} {by_history:>8} "
                f"{refused:>4} {c.new:>5} {c.revised:>7} {wall:>7.1f} {slept:>7.1f} {trials:>7}"
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nights", type=int, default=2, help="normal nights replayed after the backfill")
    parser.add_argument("--history-threshold", type=int, default=Settings().history_threshold)
    args = parser.parse_args()
    print(f"{'':<7} {'run':<30} {'requests':>8} {'esearch':>7} {'efetch':>6} {'history':>8} {'429':>4} {'new':>5} "
          f"{'revised':>7} {'wall s':>7} {'sleep s':>7} {'trials':>7}")  # fmt: skip
    for strategy in ("before", "after"):
        print("\n".join(run_strategy(strategy, args.nights, args.history_threshold)), flush=True)


if __name__ == "__main__":
    main()
