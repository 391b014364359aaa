"""``python -m ivig_lit.emulator.generate --demo`` regenerates the bundled demo corpus."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ivig_lit.emulator.generate import generate_corpus
from ivig_lit.emulator.generate.specs import DEMO_PATH, DEMO_SEED
from ivig_lit.registry import load_registry


def main(argv: list[str] | None = None) -> int:
    """``python -m ivig_lit.emulator.generate --demo`` regenerates the bundled demo corpus."""
    parser = argparse.ArgumentParser(prog="python -m ivig_lit.emulator.generate", description=main.__doc__)
    parser.add_argument("--demo", action="store_true", help=f"write the scenario demo to {DEMO_PATH}")
    parser.add_argument("--records", type=int, default=None, help="records (background records with --demo)")
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--out", type=Path, help="output .xml or .xml.gz path")
    parser.add_argument("--registry", type=Path, help="write papers about this registry's conditions (not with --demo)")
    args = parser.parse_args(argv)
    out = args.out or (DEMO_PATH if args.demo else None)
    if out is None:
        parser.error("give --out PATH or --demo")
    start = time.perf_counter()
    if args.demo and args.registry:
        parser.error("--demo tells the bundled registry's story; leave out --registry")
    registry = load_registry(args.registry) if args.registry else None
    n = generate_corpus(args.records, args.seed, out, scenario=args.demo, registry=registry)
    elapsed = time.perf_counter() - start
    size = out.stat().st_size / 1e6
    print(f"wrote {n:,} records to {out} ({size:.2f} MB) in {elapsed:.1f} s ({n / elapsed:,.0f} records/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
