"""Wall time of the quick commands on large warehouses: what a user waits for.

usage: python benchmarks/cli_latency.py [--base 20000] [--sizes 100000,1000000] [--repeat 5] [--cache DIR]

Builds each warehouse once and caches it under ``--cache`` (default: ``ivig-lit-cli-latency`` in the
temp directory): ``--base`` generated records (``ivig_lit.emulator`` generator, our own text) loaded
with ``ivig-lit load-xml --keep-all``, then copied with SQL (``fixtures/replicate_articles.sql``) into
each size's number of distinct PMIDs, JSON records and all, dates spread over the decades, PMIDs
growing with the Entrez date as in PubMed. Each
size's file is keyed by the schema version of the ivig-lit that runs this script, so running it
with an older checkout's interpreter (``/path/to/old/.venv/bin/python benchmarks/cli_latency.py``)
measures that version on its own schema: the before and after of a change.

The grown warehouse then records its evidence status as a nightly run would after loading, so
``status`` and the digest show a status for every condition.

Then runs ``ivig-lit --help``, ``status``, ``sql "SELECT count(*) FROM v_article"`` and ``digest
--week`` twice: the busiest week of the base records (most new articles) and the week of the recorded
status (statuses, per-year charts and review queue beside it), in fresh processes, and prints the
median and minimum wall time and the median CPU time of ``--repeat`` runs after one untimed warm-up,
which heavy modules each imports, and the load average before each size. Beside each command, its
start-up: the CPU time of a fresh interpreter that only imports what the command imports (the
modules ``-X importtime`` lists); and for each size, what opening the file costs: the CPU time of
``duckdb.connect`` read-only (as the commands open it) and one trivial query, over that of
importing DuckDB alone, both the minimum of ``--repeat`` fresh processes.
Bytecode is cached in the cache directory even where ``PYTHONDONTWRITEBYTECODE`` is set (as in our
sandbox, where uv installs without .pyc files): otherwise every run recompiles its imports, which no
installed copy does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("pandas", "lxml", "prefect", "matplotlib", "rich", "jinja2", "ivig_lit.tag.tagger")
REPLICATE = Path(__file__).parent / "fixtures" / "replicate_articles.sql"


def build_base(path: Path, records: int) -> None:
    """``records`` generated articles, every one kept, loaded the way a user would."""
    from ivig_lit.emulator.generate import generate_corpus

    with tempfile.TemporaryDirectory(prefix="ivig-lit-cli-latency-") as scratch:
        corpus = Path(scratch) / "corpus.xml.gz"
        start = time.perf_counter()
        generate_corpus(records, 1, corpus, scenario=False)
        print(f"(generated {records:,} records in {time.perf_counter() - start:.0f} s)", file=sys.stderr)
        start = time.perf_counter()
        partial = path.with_name(path.name + ".partial")
        command = [sys.executable, "-m", "ivig_lit", "-q", "load-xml", "--keep-all", "--warehouse", str(partial)]
        subprocess.run([*command, str(corpus)], check=True, stdout=subprocess.DEVNULL)
        partial.rename(path)
        print(f"(loaded them in {time.perf_counter() - start:.0f} s)", file=sys.stderr)


def build_size(base: Path, path: Path, size: int) -> None:
    """A copy of ``base`` migrated to this ivig-lit's schema and grown to ``size`` articles."""
    from ivig_lit.config import Settings
    from ivig_lit.registry import load_registry
    from ivig_lit.store.status import record_status
    from ivig_lit.store.warehouse import connect

    start = time.perf_counter()
    partial = path.with_name(path.name + ".partial")
    shutil.copyfile(base, partial)
    con = connect(partial)  # migrates an older base to this version's schema
    try:
        (stored,) = con.execute("SELECT count(*) FROM articles").fetchone()
        copies = max(round(size / stored), 1)
        con.execute("CREATE TEMP TABLE copies AS SELECT range AS k FROM range(?)", [copies])
        con.execute(REPLICATE.read_text())
        (n,) = con.execute("SELECT count(*) FROM articles").fetchone()
        record_status(con, load_registry(Settings.from_env().registry), "cli-latency-grown", dt.datetime.now())
        con.execute("CHECKPOINT")
    finally:
        con.close()
    partial.rename(path)
    print(f"(grew {stored:,} articles to {n:,} in {time.perf_counter() - start:.0f} s)", file=sys.stderr)


def digest_weeks(path: Path) -> tuple[str, str]:
    """The ISO week with the most articles entered (the longest list of new articles) and the week
    of the newest recorded status (every status, chart and review item beside it)."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        query = "SELECT strftime(entrez_date, '%G-W%V') AS week FROM articles GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        (busiest,) = con.execute(query).fetchone()
        (recorded,) = con.execute("SELECT strftime(max(as_of), '%G-W%V') FROM condition_status_snapshots").fetchone()
        return busiest, recorded
    finally:
        con.close()


def timed(args: list[str], env: dict[str, str], python: tuple[str, ...] = ("-m", "ivig_lit")) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, every thread) of one command (or, with ``python=("-c",
    code)``, one script) in a fresh process: on a shared machine the wall time counts the waits for
    a core, the CPU time only the work."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *python, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def imported(args: list[str], env: dict[str, str]) -> tuple[list[str], set[str]]:
    """The modules a command imports (``-X importtime``): those it imports itself, in order (which
    import the rest), and every one."""
    command = [sys.executable, "-X", "importtime", "-m", "ivig_lit", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    names = [line.rsplit("|", 1)[-1] for line in done.stderr.splitlines() if line.startswith("import time:")]
    names = names[1:]  # the first is the header
    return [n.strip() for n in names if not n.startswith("  ")], {n.strip() for n in names}


def cpu_of(code: str, env: dict[str, str], repeat: int) -> float:
    """The least CPU time of ``repeat`` fresh interpreters running ``code``: on a shared machine the
    minimum is the work, the rest is other processes' cache misses."""
    return min(timed([], env, ("-c", code))[1] for _ in range(repeat))


def open_cost(path: Path, env: dict[str, str], repeat: int) -> tuple[float, float]:
    """(CPU-s of importing DuckDB, extra CPU-s of a read-only open of ``path`` and one query)."""
    bare = cpu_of("import duckdb", env, repeat)
    code = (
        "import duckdb\nfrom ivig_lit.store.connection import READ_ONLY_CONFIG\n"
        f"con = duckdb.connect({str(path)!r}, config=READ_ONLY_CONFIG)\ncon.execute('SELECT 1').fetchall()\n"
        "con.close()"
    )
    with_store = cpu_of("import duckdb\nfrom ivig_lit.store.connection import READ_ONLY_CONFIG", env, repeat)
    return bare, cpu_of(code, env, repeat) - with_store


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=int, default=20_000, help="generated records loaded with load-xml")
    ap.add_argument("--sizes", default="100000,1000000", help="comma-separated warehouse sizes (articles)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per command")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ivig-lit-cli-latency")
    args = ap.parse_args(argv)
    from ivig_lit.store.connection import connect
    from ivig_lit.store.migrate import list_migrations

    schema = max(m.version for m in list_migrations())
    args.cache.mkdir(parents=True, exist_ok=True)
    base = args.cache / f"base-{args.base}.duckdb"
    if not base.exists():
        build_base(base, args.base)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(args.cache / "pycache")
    print(f"ivig-lit at schema version {schema} ({sys.executable})")
    print(f"{'articles':>9} {'command':<40} {'median s':>9} {'min s':>7} {'cpu s':>6} {'start-up':>8}  heavy imports")
    for size in (int(s) for s in args.sizes.split(",")):
        warehouse = args.cache / f"warehouse-{size}-schema{schema}.duckdb"
        if not warehouse.exists():
            build_size(base, warehouse, size)
        connect(warehouse).close()  # views changed since the file was cached are re-created, as a nightly would
        busiest, recorded = digest_weeks(warehouse)
        at = ["--warehouse", str(warehouse)]
        out = ["--out", str(args.cache / "digests")]
        commands = {
            "--help": ["--help"],
            "status": ["status", *at],
            'sql "SELECT count(*) FROM v_article"': ["sql", *at, "SELECT count(*) FROM v_article"],
            f"digest --week {busiest} (busiest)": ["digest", *at, "--week", busiest, *out],
            f"digest --week {recorded} (status week)": ["digest", *at, "--week", recorded, *out],
        }
        print(f"(load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
        for name, command in commands.items():
            timed(command, env)  # compiles and caches bytecode, warms the file cache
            walls, cpus = zip(*(timed(command, env) for _ in range(args.repeat)), strict=True)
            top, every = imported(command, env)
            startup = cpu_of("import " + ", ".join(top), env, args.repeat)
            heavy = ", ".join(m for m in HEAVY if m in every) or "none"
            print(
                f"{size:>9,} {name:<40} {statistics.median(walls):>9.3f} {min(walls):>7.3f} "
                f"{statistics.median(cpus):>6.2f} {startup:>8.2f}  {heavy}"
            )
        bare, opening = open_cost(warehouse, env, args.repeat)
        size_mb = warehouse.stat().st_size / 2**20
        print(
            f"{size:>9,} (import duckdb alone {bare:.3f} CPU-s; read-only open of the {size_mb:,.0f} MiB file "
            f"and one query {opening:+.3f} CPU-s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
