"""Requests and seconds per nightly run: a backfill, then replayed nights, on the bundled demo
corpus behind the emulator, through the plain pipeline (no Prefect overhead).

usage: python benchmarks/nightly_requests.py [--nights 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from ivig_lit.config import Settings
from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.nightly import run_nightly

START = dt.date(2026, 10, 19)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nights", type=int, default=7)
    args = parser.parse_args()
    corpus = Corpus.demo()
    with tempfile.TemporaryDirectory() as tmp, Emulator(corpus, today=START - dt.timedelta(days=1)) as emu:
        settings = Settings.from_env({}, warehouse=Path(tmp) / "w.duckdb", base_url=emu.base_url, rate_limit=1000.0)
        print(f"{'run':<12} {'requests':>8} {'esearch':>8} {'efetch':>7} {'new':>5} {'revised':>7} {'seconds':>8} "
              f"{'at 3 req/s':>10}")  # fmt: skip
        for night in range(args.nights + 1):
            day = START + dt.timedelta(days=night - 1)
            emu.today = day
            emu.reset()
            started = time.perf_counter()
            summary = run_nightly(settings, now=dt.datetime.combine(day + dt.timedelta(days=1), dt.time(2)))
            secs = time.perf_counter() - started
            c = summary.counts
            label = "backfill" if night == 0 else str(day)
            search = len(emu.requests.filter(endpoint="esearch"))
            fetch = len(emu.requests.filter(endpoint="efetch"))
            print(f"{label:<12} {c.requests:>8} {search:>8} {fetch:>7} {c.new:>5} {c.revised:>7} {secs:>8.2f} "
                  f"{c.requests / 3:>9.1f}s")  # fmt: skip


if __name__ == "__main__":
    main()
