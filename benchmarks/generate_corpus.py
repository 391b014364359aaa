"""Benchmark the demo-corpus generator: write N invented PubMed records and report the speed.

.venv/bin/python benchmarks/generate_corpus.py 1000000 /tmp/pubmed_1m.xml.gz [--seed 1] [--scenario | --registry FILE]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ivig_lit.emulator.generate import generate_corpus
from ivig_lit.registry import load_registry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("records", type=int, help="number of records to write")
    parser.add_argument("out", type=Path, help="output path (.xml or .xml.gz)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", action="store_true", help="the demo scenario plus N background records")
    parser.add_argument("--registry", type=Path, help="papers about this registry's conditions (not with --scenario)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    registry = load_registry(args.registry) if args.registry else None
    written = generate_corpus(args.records, args.seed, args.out, scenario=args.scenario, registry=registry)
    elapsed = time.perf_counter() - start
    size = args.out.stat().st_size
    print(f"records:   {written:,}")
    print(f"seconds:   {elapsed:.2f}")
    print(f"records/s: {written / elapsed:,.0f}")
    print(f"size:      {size / 1e6:.1f} MB ({size / written:,.0f} bytes/record)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
