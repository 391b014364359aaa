"""Wall time of the quick commands on a warehouse of generated articles: what a user waits for.

usage: python benchmarks/cli_latency.py [--records 100000] [--big] [--warehouse PATH] [--repeat 5] [--digest]

Builds the warehouse once (``ivig_lit.emulator`` generator, then ``ivig-lit load-xml``; 1,000,000 records
with ``--big``) and reuses it when ``--warehouse`` names an existing file. Then runs ``ivig-lit --help``,
``status`` and ``sql "SELECT 1"`` (and ``digest`` with ``--digest``) in fresh processes and prints the
median and minimum wall time of ``--repeat`` runs after one untimed warm-up, and which heavy modules each
imports. Bytecode is cached in a scratch directory even where ``PYTHONDONTWRITEBYTECODE`` is set (as in our
sandbox, where uv installs without .pyc files): otherwise every run recompiles pandas, which no installed
copy does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("pandas", "duckdb", "lxml", "prefect", "matplotlib", "rich", "jinja2", "ivig_lit.tag.tagger")


def build(path: Path, records: int) -> None:
    """A warehouse of ``records`` generated articles, loaded the way a user would."""
    from ivig_lit.emulator.generate import generate_corpus

    with tempfile.TemporaryDirectory(prefix="ivig-lit-cli-latency-") as scratch:
        corpus = Path(scratch) / "corpus.xml.gz"
        start = time.perf_counter()
        generate_corpus(records, 1, corpus, scenario=False)
        print(f"(generated {records:,} records in {time.perf_counter() - start:.0f} s)", file=sys.stderr)
        start = time.perf_counter()
        command = [sys.executable, "-m", "ivig_lit", "-q", "load-xml", "--warehouse", str(path), str(corpus)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        print(f"(loaded them in {time.perf_counter() - start:.0f} s)", file=sys.stderr)


def wall(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ivig_lit", *args], check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def heavy_imports(args: list[str], env: dict[str, str]) -> list[str]:
    """Which of the heavy modules a command imports (``-X importtime``)."""
    command = [sys.executable, "-X", "importtime", "-m", "ivig_lit", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time")}
    return [m for m in HEAVY if m in loaded]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000, help="articles in a warehouse built here")
    ap.add_argument("--big", action="store_true", help="1,000,000 articles")
    ap.add_argument("--warehouse", type=Path, help="reuse (or build, if absent) this warehouse file")
    ap.add_argument("--repeat", type=int, default=5, help="runs per command")
    ap.add_argument("--digest", action="store_true", help="also time `digest` (writes to a scratch directory)")
    args = ap.parse_args(argv)
    records = 1_000_000 if args.big else args.records
    with tempfile.TemporaryDirectory(prefix="ivig-lit-cli-latency-") as scratch:
        warehouse = args.warehouse or Path(scratch) / "warehouse.duckdb"
        if not warehouse.exists():
            build(warehouse, records)
        at = ["--warehouse", str(warehouse)]
        commands = {
            "--help": ["--help"],
            "status": ["status", *at],
            'sql "SELECT 1"': ["sql", *at, "SELECT 1"],
        }
        if args.digest:
            commands["digest"] = ["digest", *at, "--out", scratch]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
        print(f"warehouse: {warehouse} ({warehouse.stat().st_size / 1e6:,.0f} MB)")
        print(f"{'command':<16} {'median s':>9} {'min s':>7}  heavy imports")
        for name, command in commands.items():
            wall(command, env)  # compiles and caches bytecode, warms the file cache
            times = [wall(command, env) for _ in range(args.repeat)]
            heavy = ", ".join(heavy_imports(command, env)) or "none"
            print(f"{name:<16} {statistics.median(times):>9.3f} {min(times):>7.3f}  {heavy}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
