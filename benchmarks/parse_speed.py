"""Parse speed and peak memory of ``iter_articles`` on real PubMed files.

Usage: ``python benchmarks/parse_speed.py [PATH ...]``. Without a path it parses the largest file in
``../shared/data``; every path given that exists is parsed too (e.g. a generated corpus).
Prints records, seconds, records/s and the process's peak RSS after each file.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from ivig_lit.parse import iter_articles

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def measure(path: Path) -> str:
    """One line of results for one file; the records are counted and dropped, as a loader would."""
    start = time.perf_counter()
    records = sum(1 for _ in iter_articles(path))
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    rate = records / seconds if seconds else float("inf")
    return f"{path.name}: {records} records in {seconds:.3f} s = {rate:,.0f} records/s; peak RSS {peak_mib:.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files to parse (default: largest shared file)")
    args = parser.parse_args(argv)
    paths = [p for p in args.paths if p.is_file()]
    missing = [p for p in args.paths if not p.is_file()]
    for path in missing:
        print(f"{path}: not found, skipped", file=sys.stderr)
    if not args.paths:
        if not SHARED_DATA.is_dir():
            print(f"{SHARED_DATA} is absent; give a path", file=sys.stderr)
            return 2
        paths = [max(SHARED_DATA.iterdir(), key=lambda p: p.stat().st_size)]
    for path in paths:
        print(measure(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
