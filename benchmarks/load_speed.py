"""End-to-end ``load-xml`` (parse, gate, tag, store) beside Biopython's ``Entrez.read`` parse alone, in
records per CPU-second, each measured in a fresh interpreter (``bulk_load.measure``), on:

- all in scope: N records every one of which the gate keeps (the generator's IVIG articles, fresh PMIDs);
- off-topic MEDLINE: the real MEDLINE file in ``../shared/data`` tiled to N records (fresh PMIDs);

then where the in-scope load's CPU goes: CPU-seconds (all threads, ``time.process_time``) inside the
gate (``Gate.conditions_of``), tagging (``tag_articles``: tags and direction), each store step and the
warehouse's per-batch open/close, and the rest (parsing, run start and finish), in a fresh process.

``--before SRC`` adds the same measures for another checkout (its ``src`` first on the path and its
``warehouse`` SQL as ``ivig_lit.sql``, e.g. ``git archive <commit> | tar -x -C /tmp/before``): before
and after side by side in one run, on the same machine load.

``--into WAREHOUSE`` makes the split load into a copy of that warehouse (``cli_latency.py``'s 1M
articles, say), where a store step that reads the whole warehouse shows.

usage: python benchmarks/load_speed.py [--records N] [--cache DIR] [--no-split | --only-split]
       [--before SRC] [--into WAREHOUSE]
"""

from __future__ import annotations

import argparse
import collections
import functools
import gzip
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MEDLINE = ROOT.parent / "shared" / "data" / "medline16n0902.xml.gz"
sys.path.insert(0, str(ROOT / "benchmarks"))


def tile_medline(n: int, out: Path) -> Path | None:
    """The real MEDLINE file's citations repeated to ``n`` records, each with a fresh PMID."""
    if not MEDLINE.exists():
        return None
    if not out.exists():
        text = gzip.decompress(MEDLINE.read_bytes()).decode()
        head = text[: text.index("<MedlineCitationSet>")]
        blocks = re.findall(r"<MedlineCitation .*?</MedlineCitation>", text, flags=re.S)
        with gzip.open(out, "wt", compresslevel=1) as f:
            f.write(head + "<MedlineCitationSet>\n")
            for i in range(n):
                pmid = f'<PMID Version="1">{70_000_000 + i}</PMID>'
                f.write(re.sub(r'<PMID Version="1">\d+</PMID>', pmid, blocks[i % len(blocks)], count=1) + "\n")
            f.write("</MedlineCitationSet>\n")
    return out


def use_checkout(source: Path) -> None:
    """Import ivig-lit from ``source``: its ``src`` first on the path, and its ``warehouse`` and
    ``flows`` as ``ivig_lit.sql`` and ``ivig_lit.flows`` (the editable install maps those two to
    this checkout whatever ``sys.path`` says)."""
    sys.path.insert(0, str(source / "src"))
    for name, folder in (("ivig_lit.sql", "warehouse"), ("ivig_lit.flows", "flows")):
        spec = importlib.util.spec_from_file_location(
            name, source / folder / "__init__.py", submodule_search_locations=[str(source / folder)]
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


def run_here(task: str, source: Path | None, *args: str) -> Any:
    """``task`` (``measure`` or ``split``) in a fresh interpreter, with ivig-lit from ``source``."""
    command = [sys.executable, __file__, f"--{task}-here", *args]
    if source is not None:
        command += ["--source", str(source)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, env={**os.environ})
    return json.loads(done.stdout.splitlines()[-1])


def measure(kind: str, path: Path, work: Path, source: Path | None = None) -> dict[str, Any]:
    """One load (or Biopython parse) of ``path`` in a fresh process (``bulk_load.measure_here``)."""
    db = work / f"{kind}-{time.monotonic_ns()}.duckdb"
    out = run_here("measure", source, kind, str(db), str(path))
    db.unlink(missing_ok=True)
    return out


def side_by_side(sets: dict[str, Path], work: Path, before: Path | None) -> None:
    print("records per CPU-second (fresh process each) | load-xml end to end vs Biopython Entrez.read parse alone")
    for label, path in sets.items():
        bio = measure("biopython", path, work)
        bio_rate = bio["records"] / bio["cpu"]
        runs = {"load-xml": measure("load-xml", path, work)}
        if before is not None:
            runs = {"before": measure("load-xml", path, work, before), **runs}
        cells = " | ".join(
            f"{name} {r['records'] / r['cpu']:>6,.0f} ({r['rss']:,.0f} MiB) {r['records'] / r['cpu'] / bio_rate:.2f}x"
            for name, r in runs.items()
        )
        load = runs["load-xml"]
        print(
            f"  {label:<20} {load['records']:>6,} records, {load['kept']:>6,} kept | {cells} | "
            f"biopython {bio_rate:>6,.0f} ({bio['rss']:,.0f} MiB)"
        )


class StageClock:
    """CPU-seconds spent inside chosen functions, by label (calls nest nowhere here)."""

    def __init__(self) -> None:
        self.spent: collections.Counter[str] = collections.Counter()

    def wrap(self, owner: Any, name: str, label: str) -> None:
        fn: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[label] += time.process_time() - start

        setattr(owner, name, timed)


def split_here(path: Path, into: Path | None) -> dict[str, Any]:
    """Run in the subprocess: one in-scope load (into a copy of ``into`` if given), its CPU split by stage."""
    import shutil

    from ivig_lit import batch
    from ivig_lit.config import Settings
    from ivig_lit.gate import Gate
    from ivig_lit.ingest import load_xml
    from ivig_lit.store import connection
    from ivig_lit.store import status as status_store
    from ivig_lit.store import warehouse as wh

    clock = StageClock()
    clock.wrap(Gate, "conditions_of", "gate")
    clock.wrap(batch, "tag_articles", "tag (tags + direction)")
    for name in ("upsert_articles", "save_tags", "record_query_hits", "query_hits_for"):
        clock.wrap(wh, name, f"store: {name}")
    clock.wrap(connection, "connect", "store: open (migrate)")
    clock.wrap(status_store, "record_status", "assess: record_status (run finish)")
    with tempfile.TemporaryDirectory(dir=into.parent if into else None) as tmp:
        if into is not None:
            shutil.copyfile(into, Path(tmp) / "w.duckdb")
        start = time.process_time()
        summary = load_xml([path], Settings.from_env({}, warehouse=Path(tmp) / "w.duckdb"))
        total = time.process_time() - start
    n = summary.counts.fetched + summary.out_of_scope
    rest = total - sum(clock.spent.values())
    return {"records": n, "total": total, "stages": {**clock.spent, "parse, commit/close, run start+finish": rest}}


def split(path: Path, before: Path | None, into: Path | None) -> None:
    """Where the in-scope load's CPU goes, after (and before) in fresh processes, stage by stage."""
    args = [str(path), *(["--into", str(into)] if into else [])]
    runs = {"after": run_here("split", None, *args)}
    if before is not None:
        runs = {"before": run_here("split", before, *args), **runs}
    where = f"into a copy of {into}" if into else "into a new warehouse"
    print(f"\nwhere the in-scope load's CPU goes, {where} (us per record, share of the load's CPU)")
    print(f"  {'':<38} " + " ".join(f"{name:>16}" for name in runs))
    labels = sorted({k for r in runs.values() for k in r["stages"]}, key=lambda k: -runs["after"]["stages"].get(k, 0))
    for label in labels:
        cells = []
        for r in runs.values():
            spent = r["stages"].get(label)
            share = "" if spent is None else f"{1e6 * spent / r['records']:,.0f} {100 * spent / r['total']:5.1f}%"
            cells.append(share or "-")
        print(f"  {label:<38} " + " ".join(f"{c:>16}" for c in cells))
    totals = " ".join(f"{r['records'] / r['total']:>8,.0f} rec/CPU-s" for r in runs.values())
    print(f"  {'in-process total':<38} {totals}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=5_000, help="records per input file")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ivig-lit-load-speed")
    parser.add_argument("--no-split", action="store_true", help="skip the split by stage")
    parser.add_argument("--before", type=Path, metavar="SRC", help="also measure another checkout's ivig-lit")
    parser.add_argument(
        "--into", type=Path, metavar="WAREHOUSE", help="split: load into a copy of this warehouse (e.g. cli_latency's)"
    )
    parser.add_argument("--only-split", action="store_true", help="skip the side-by-side table")
    parser.add_argument("--measure-here", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--split-here", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.source is not None:
        use_checkout(args.source)
    import bulk_load

    if args.measure_here:
        kind, db, path = args.measure_here
        print(json.dumps(bulk_load.measure_here(kind, [Path(path)], Path(db))))
        return
    if args.split_here:
        print(json.dumps(split_here(args.split_here, args.into)))
        return

    args.cache.mkdir(parents=True, exist_ok=True)
    (in_scope,) = bulk_load.all_in_scope(args.cache, args.records)
    sets = {"all in scope": in_scope}
    if (medline := tile_medline(args.records, args.cache / f"medline{args.records}.xml.gz")) is not None:
        sets["off-topic MEDLINE"] = medline
    if args.before is not None:
        print(f"before: ivig-lit imported from {args.before}/src, its SQL from {args.before}/warehouse")
    if not args.only_split:
        with tempfile.TemporaryDirectory() as work:
            side_by_side(sets, Path(work), args.before)
    if not args.no_split:
        split(in_scope, args.before, args.into)


if __name__ == "__main__":
    main()
