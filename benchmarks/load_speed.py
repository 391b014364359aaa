"""End-to-end `load-xml` speed: generate N records with the demo generator (our own text), then
parse, tag and load them into a fresh warehouse; prints records/s, peak RSS and bytes on disk per
stored record (the whole warehouse file after its last checkpoint, divided by the articles stored).

usage: python benchmarks/load_speed.py [N]   (default 20,000; the generator goes to 1,000,000)
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from ivig_lit.config import Settings
from ivig_lit.emulator.generate import generate_corpus
from ivig_lit.ingest import load_xml


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.xml.gz"
        started = time.perf_counter()
        generate_corpus(n, seed=7, out_path=corpus, scenario=False)
        print(
            f"generated {n:,} records in {time.perf_counter() - started:.1f} s ({corpus.stat().st_size / 1e6:.1f} MB)"
        )
        settings = Settings.from_env({}, warehouse=Path(tmp) / "w.duckdb")
        started = time.perf_counter()
        summary = load_xml([corpus], settings)
        secs = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size = settings.warehouse.stat().st_size
        per = size / max(summary.counts.new, 1)
        print(f"loaded {summary.counts.fetched:,} records ({summary.counts.new:,} new) in {secs:.1f} s = "
              f"{summary.counts.fetched / secs:,.0f} records/s; peak RSS {peak:,.0f} MiB; "
              f"warehouse {size / 1e6:.0f} MB = {per:,.0f} bytes per stored record")  # fmt: skip


if __name__ == "__main__":
    main()
