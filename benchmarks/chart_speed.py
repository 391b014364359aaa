"""Seconds to render one digest chart (42 years x 3 designs) to inline SVG; the digest draws one
per condition with new studies. Moved here from a timed test assertion: speed is measured, not asserted.

Usage: ``python benchmarks/chart_speed.py [REPEATS]`` (default 5); prints the first and the median render.
"""

from __future__ import annotations

import statistics
import sys
import time

from ivig_lit.report.charts import render_per_year_chart

PER_YEAR = {y: {"rct": y % 3, "cohort": y % 5, "case_report": 2} for y in range(1985, 2027)}


def render_seconds() -> float:
    start = time.perf_counter()
    render_per_year_chart("Guillain-Barré syndrome", PER_YEAR)
    return time.perf_counter() - start


def main(repeats: int) -> None:
    times = [render_seconds() for _ in range(repeats)]
    first, median = times[0], statistics.median(times)
    print(f"chart render: first {first * 1000:.2f} ms, median {median * 1000:.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
