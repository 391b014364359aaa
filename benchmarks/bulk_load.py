"""Bulk loading end to end, side by side in one run: ``load-xml`` and ``baseline`` (parse, gate,
tag, store) against Biopython's ``Entrez.read`` parse alone, in records per CPU-second, peak RSS and
warehouse bytes per stored record (each measurement in a fresh interpreter); then ``baseline`` on
Dask: peak RSS and CPU-seconds of each process (the CLI parent, each worker) and of the whole tree
at 20k, 100k (and 1M) records, and 1 vs 2 workers over 16 NCBI-sized files (400k records); then a
projection for PubMed's whole baseline (~1,300 files, ~36M records) on 2 cores and on a 32-core
Dask cluster, from the measured per-record costs.

usage: python benchmarks/bulk_load.py [--big] [--only-dask | --only-ceiling] [--cache DIR]
    --big           adds the 1,000,000-record set (40 files of 25,000, as NCBI ships ~30,000 a file)
    --only-dask     skips the side-by-side table (the ceiling, Dask runs and projection only)
    --only-ceiling  only the machine's own ceiling: the workers' per-file work in one plain process,
                    then in two at once (what any engine could get from 2 workers here)

Inputs (in a scratch folder, reused across runs; never in the repository):
- real: every file in ``../shared/data``;
- generated N: ``ivig_lit.emulator.generate`` records, 1% not off-topic (a real MEDLINE file has
  ~0.1% in scope), in files of at most 25,000 records;
- generated mix: the generator's own mix (~40% in scope); all in scope: its in-scope records only.

Wall time on a shared machine depends on the other load, so every Dask line says how loaded the
machine was (``uptime``) and how many CPU-seconds each process used; run it at a quiet moment.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BASELINE_FILES = 1300
BASELINE_RECORDS = 36_000_000
FILE_RECORDS = 25_000  # records per generated file
IN_SCOPE = 0.01  # share of generated records that are not off-topic
BIG = (1_000_000,)  # with --big
DASK_RECORDS = 400_000  # 16 files of FILE_RECORDS: the first 16 files of the 1M set
CLOSING = (
    r"baseline: ([\d,]+) records, ([\d,]+) kept in ([\d.]+) s; "
    r"CPU-s: this process ([\d.]+) \(writer ([\d.]+)\), workers (.*)"
)
sys.path.insert(0, str(ROOT / "benchmarks"))


def generated(cache: Path, n: int, in_scope: float | None = IN_SCOPE) -> list[Path]:
    """``n`` generated records in files of at most FILE_RECORDS, written once per cache folder."""
    from generate_corpus import write_files

    folder = cache / f"generated-{n}-{in_scope}"
    files = -(-n // FILE_RECORDS)
    if not (folder / ".done").exists():
        write_files(n, folder, files, seed=1, in_scope=in_scope, jobs=2)
        (folder / ".done").touch()
    return sorted(folder.glob("*.xml.gz"))


def all_in_scope(cache: Path, n: int) -> list[Path]:
    """``n`` records, every one in scope: the generator's in-scope records, with fresh PMIDs."""
    import gzip

    from ivig_lit.gate import Gate
    from ivig_lit.parse import parse_article_xml
    from ivig_lit.registry import load_registry

    out = cache / f"inscope{n}.xml.gz"
    if not out.exists():
        text = gzip.decompress(generated(cache, 3000, None)[0].read_bytes()).decode()
        header = text[: text.index("<PubmedArticleSet>")]
        gate = Gate(load_registry())
        blocks = [b for b in re.findall(r"<PubmedArticle>.*?</PubmedArticle>", text, flags=re.S)]
        blocks = [b for b in blocks if gate.is_in_scope(parse_article_xml(b))]
        with gzip.open(out, "wt", compresslevel=1) as f:
            f.write(header + "<PubmedArticleSet>\n")
            for i in range(n):
                pmid = f'<PMID Version="1">{60_000_000 + i}</PMID>'
                f.write(re.sub(r'<PMID Version="1">\d+</PMID>', pmid, blocks[i % len(blocks)], count=1) + "\n")
            f.write("</PubmedArticleSet>\n")
    return [out]


def measure_here(kind: str, paths: list[Path], db: Path) -> dict[str, Any]:
    """Run in the subprocess: one load (or parse) of ``paths``; records, CPU seconds, peak RSS.
    Imports happen before the clock starts; a run's fixed costs (migrations, status) are counted."""
    if kind == "prepare":
        return prepare_here(paths, db)
    if kind == "biopython":  # each side imports only its own modules, so RSS is its own
        from parse_speed import count_biopython, offline_biopython, provide_dtd
    else:
        from ivig_lit.baseline import load_baseline
        from ivig_lit.config import Settings
        from ivig_lit.ingest import load_xml

    started = time.process_time()
    if kind == "biopython":
        offline_biopython()
        records = kept = stored = 0
        for p in paths:
            provide_dtd(p)
            records += count_biopython(p)
    else:
        load = load_xml if kind == "load-xml" else load_baseline
        summary = load(paths, Settings.from_env({}, warehouse=db))
        kept = summary.counts.fetched
        records, stored = kept + summary.out_of_scope, summary.counts.new
    cpu = time.process_time() - started
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
    hwm = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM"))
    rss = int(hwm.split()[1]) / 1024
    return {"records": records, "kept": kept, "stored": stored, "cpu": cpu, "rss": rss}


def prepare_here(paths: list[Path], spill: Path) -> dict[str, Any]:
    """Run in the subprocess: a Dask worker's work on ``paths`` (parse, gate, tag, spill: the
    library's ``prepare_files``) with no Dask and no Prefect; CPU-s and the wall clock's span."""
    from ivig_lit.baseline import FileJob, prepare_files
    from ivig_lit.registry import load_registry

    registry = load_registry()
    started, cpu = time.time(), time.process_time()
    done = prepare_files([FileJob(str(p), str(spill), registry, False) for p in paths])
    return {
        "records": sum(d.records for d in done),
        "cpu": time.process_time() - cpu,
        "start": started,
        "end": time.time(),
    }


def ceiling(paths: list[Path], work: Path) -> dict[str, Any]:
    """The machine's own ceiling for 2 workers: the workers' per-file work in one plain process over
    every file, then in two at once over half the files each (no Dask, no Prefect, no writer)."""

    def run(chunks: list[list[Path]]) -> list[dict[str, Any]]:
        procs = [
            subprocess.Popen([sys.executable, __file__, "--measure", "prepare", str(work), *map(str, chunk)],
                             stdout=subprocess.PIPE, text=True)
            for chunk in chunks
        ]  # fmt: skip
        return [json.loads(p.communicate()[0].splitlines()[-1]) for p in procs]

    print(f"\nthe machine's ceiling: the workers' work (prepare_files) on {len(paths)} files, no Dask or Prefect")
    uptime = load()
    [one] = run([paths])
    between = load()
    two = run([paths[0::2], paths[1::2]])
    wall_one, wall_two = one["end"] - one["start"], max(r["end"] for r in two) - min(r["start"] for r in two)
    cpu_two = [r["cpu"] for r in two]
    print(
        f"  one process : wall {wall_one:6.1f} s, CPU-s {one['cpu']:.1f}; load {uptime} -> {between}\n"
        f"  two at once : wall {wall_two:6.1f} s, CPU-s {' + '.join(f'{c:.1f}' for c in cpu_two)} "
        f"= {sum(cpu_two):.1f} ({sum(cpu_two) / one['cpu'] - 1:+.0%} for the same work); load {between} -> {load()}\n"
        f"  speed-up: {wall_one / wall_two:.2f}x in wall time; from CPU-s, what 2 idle cores allow: "
        f"{one['cpu'] / max(cpu_two):.2f}x (on a loaded machine both runs share the cores with others, "
        "so only an idle run shows what two busy cores cost each other)"
    )
    return {"one": one, "two": two, "wall_one": wall_one, "wall_two": wall_two}


def measure(kind: str, paths: list[Path], work: Path) -> dict[str, Any]:
    db = work / f"{kind}-{time.monotonic_ns()}.duckdb"
    args = [sys.executable, __file__, "--measure", kind, str(db), *map(str, paths)]
    out = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
    out["db_bytes"] = db.stat().st_size if db.exists() else 0
    db.unlink(missing_ok=True)
    return out


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def others_cpu(exclude: int) -> float:
    """CPU-s so far of this process's other children (the Prefect API server)."""
    import psutil

    return sum(sum(c.cpu_times()[:2]) for c in psutil.Process().children(recursive=True) if c.pid != exclude)


def _role(proc: Any, root: int) -> str:
    """What a process in a ``baseline --dask`` tree is: the CLI (flow, writer, Dask scheduler and
    nannies), a Dask worker (spawned by multiprocessing), or a helper."""
    if proc.pid == root:
        return "parent"
    cmd = " ".join(proc.cmdline())
    if "resource_tracker" in cmd:
        return "tracker"
    return "worker" if "spawn_main" in cmd or "forkserver" in cmd else proc.name()


def _hwm(pid: int) -> float:
    """A process's own peak RSS (VmHWM) in MiB, which catches peaks between samples."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) / 1024


class TreeSampler:
    """Every 0.2 s, in a thread: each process of a tree (Dask workers come and go), its role, peak
    RSS and CPU-seconds so far; and the peak of the tree's summed RSS."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root, self.peak, self._stop = psutil.Process(pid), 0.0, threading.Event()
        self.procs: dict[int, dict[str, Any]] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(0.2):
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0.0
            for p in procs:
                with contextlib.suppress(psutil.Error, OSError, StopIteration):  # a process that just ended
                    seen = self.procs.setdefault(p.pid, {"role": _role(p, self.root.pid), "rss": 0.0, "cpu": 0.0})
                    total += p.memory_info().rss / 2**20
                    seen["rss"] = max(seen["rss"], _hwm(p.pid))
                    seen["cpu"] = sum(p.cpu_times()[:2])
            self.peak = max(self.peak, total)

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join()
        return {"tree": self.peak, "procs": list(self.procs.values())}


def dask_run(paths: list[Path], workers: int, work: Path) -> dict[str, Any]:
    """``ivig-lit baseline --dask --workers N`` on a fresh warehouse, against the benchmark's one
    Prefect API (its start-up is not the run's): wall, the run's own file-phase line, tree CPU-s and
    peak RSS of the CLI process and every process under it (Dask scheduler, nannies, workers)."""
    db = work / f"dask{workers}.duckdb"
    db.unlink(missing_ok=True)
    cli = [str(Path(sys.executable).parent / "ivig-lit"), "baseline", "--warehouse", str(db), "--dask"]
    before, started, uptime = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter(), load()
    api = others_cpu(exclude=-1)
    proc = subprocess.Popen([*cli, "--workers", str(workers), *map(str, paths)], stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    _, err = proc.communicate()
    wall, tree = time.perf_counter() - started, sampler.stop()
    api = others_cpu(exclude=proc.pid) - api
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"baseline --dask failed:\n{err[-3000:]}")
    closing = re.search(CLOSING, err)
    assert closing, err[-3000:]
    per_worker = re.findall(r":\d+ ([\d.]+) \(\d+ files, ([\d.]+) on them\)", closing[6])
    db.unlink(missing_ok=True)
    return {
        "records": int(closing[1].replace(",", "")),
        "wall": wall,
        "files_wall": float(closing[3]),
        "kept": int(closing[2].replace(",", "")),
        "parent_files_cpu": float(closing[4]),  # the parent's CPU-s while the files load
        "writer_cpu": float(closing[5]),
        "worker_cpu": [float(total) for total, _ in per_worker],
        "files_cpu": [float(on_files) for _, on_files in per_worker],
        "tree_cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "api_cpu": api,
        "rss": tree["tree"],
        "procs": tree["procs"],
        "load_before": uptime,
        "load_after": load(),
    }


def side_by_side(sets: dict[str, list[Path]], work: Path) -> dict[str, dict[str, Any]]:
    print("records per CPU-second, peak RSS | end to end vs Biopython Entrez.read parse alone")
    rows = {}
    for label, paths in sets.items():
        row = {k: measure(k, paths, work) for k in ("biopython", "load-xml", "baseline")}
        rate = {k: r["records"] / r["cpu"] for k, r in row.items()}
        base = row["baseline"]
        print(f"{label}: {len(paths)} files, {base['records']:,} records, {base['kept']:,} kept")
        for k, r in row.items():
            ratio = rate[k] / rate["biopython"]
            print(f"  {k:9} {rate[k]:9,.0f} rec/CPU-s  {r['rss']:6,.0f} MiB  {ratio:5.2f}x biopython")
        if base["stored"]:
            print(
                f"  warehouse {base['db_bytes'] / 2**20:,.1f} MiB: {base['db_bytes'] / base['stored']:,.0f} bytes per "
                f"stored record, {base['db_bytes'] / base['records']:,.0f} per record read"
            )
        rows[label] = row
    return rows


def dask_memory(sets: dict[str, list[Path]], work: Path) -> None:
    """Peak RSS per process as the input grows: it must stay flat (< 300 MiB each)."""
    print("\nbaseline on Dask, 2 workers: peak RSS and CPU-s per process as the input grows")
    for label, paths in sets.items():
        print(f"  {label}, {len(paths)} files: {describe(dask_run(paths, 2, work))}")


def dask_comparison(paths: list[Path], work: Path) -> dict[int, dict[str, Any]]:
    print(f"\nbaseline on Dask, 1 vs 2 workers, {len(paths)} generated files of {FILE_RECORDS:,} records")
    runs = {}
    for workers in (1, 2):
        r = runs[workers] = dask_run(paths, workers, work)
        print(f"  {workers} worker{'s' if workers > 1 else ' '}: {describe(r)}")
    one, two = runs[1], runs[2]
    print(
        f"  speed-up 2 vs 1 worker: {one['files_wall'] / two['files_wall']:.2f}x over the files, "
        f"{one['wall'] / two['wall']:.2f}x including start-up (Dask cluster, worker imports); "
        f"from CPU-s alone, on an idle 2-core machine: {idle_wall(one) / idle_wall(two):.2f}x, "
        f"{steady_wall(one) / steady_wall(two):.2f}x once the workers have started (what many files see)"
    )
    return runs


def describe(r: dict[str, Any]) -> str:
    """One Dask run: wall, CPU-seconds and peak RSS per process (the target is per process), the
    tree's peak RSS, and how loaded the machine was."""
    workers = [p for p in r["procs"] if p["role"] == "worker"]
    others = sum(p["cpu"] for p in r["procs"] if p["role"] not in ("parent", "worker"))
    parent = r["tree_cpu"] - sum(p["cpu"] for p in r["procs"] if p["role"] != "parent")
    parent_rss = max((p["rss"] for p in r["procs"] if p["role"] == "parent"), default=0.0)
    cpus, on_files = " + ".join(f"{p['cpu']:.1f}" for p in workers), " + ".join(f"{c:.1f}" for c in r["files_cpu"])
    rss = " + ".join(f"{p['rss']:,.0f}" for p in workers)
    return (
        f"wall {r['wall']:6.1f} s, files {r['files_wall']:6.1f} s ({r['records'] / r['files_wall']:,.0f} rec/s); "
        f"CPU-s: parent {parent:.1f} (while the files load {r['parent_files_cpu']:.1f}, writer {r['writer_cpu']:.1f}), "
        f"workers "
        f"{cpus} (on the files alone {on_files}), "
        f"others {others:.1f}, Prefect API {r['api_cpu']:.1f}; peak RSS MiB: parent {parent_rss:,.0f}, workers "
        f"{rss}, tree {r['rss']:,.0f}; "
        f"load {r['load_before']} -> {r['load_after']}"
    )


def idle_wall(r: dict[str, Any]) -> float:
    """The wall a run's CPU-seconds need on 2 idle cores: each worker is serial; the writer, the
    parent, Dask's own processes and the Prefect API take the cores the workers leave."""
    total = r["tree_cpu"] + r["api_cpu"]
    return max(max(r["worker_cpu"]), total / 2, total - sum(r["worker_cpu"]))


def steady_wall(r: dict[str, Any]) -> float:
    """Like ``idle_wall`` for the files alone, as on a long run where the workers' start-up (imports,
    compiling the rules) no longer counts: each worker's CPU on its files, the parent's while they
    load and the Prefect API's share 2 idle cores."""
    total = sum(r["files_cpu"]) + r["parent_files_cpu"] + r["api_cpu"]
    return max(max(r["files_cpu"]), total / 2, r["parent_files_cpu"])


def projection(r: dict[str, Any]) -> None:
    """Whole baseline from the 2-worker run's costs per record read: the workers' CPU on their files
    spreads over the cores; the parent's while files load (the one writer, Dask's and Prefect's
    bookkeeping) does not, so on many cores it is the bound. The generated files are 1% in scope,
    10x real MEDLINE, and each kept record is also tagged and stored: the costs are upper bounds."""
    n = r["records"]
    worker, parent, api = sum(r["files_cpu"]) / n, r["parent_files_cpu"] / n, r["api_cpu"] / n
    startup = (sum(r["worker_cpu"]) - sum(r["files_cpu"])) / len(r["worker_cpu"])  # imports, compiled rules
    print(
        f"\nprojection, {BASELINE_FILES:,} files ({BASELINE_RECORDS:,} records) from the 2-worker run's CPU per record "
        f"read ({r['kept'] / n:.1%} kept): workers on files {worker * 1e6:.0f} us, parent {parent * 1e6:.0f} us "
        f"(writer {r['writer_cpu'] / n * 1e6:.0f} us), Prefect API {api * 1e6:.0f} us; {startup:.1f} CPU-s per worker "
        "to start"
    )
    for cores in (2, 32):
        total = BASELINE_RECORDS * (worker + parent + api) + cores * startup
        serial = BASELINE_RECORDS * parent
        bound = "the parent (one writer)" if serial > total / cores else "CPU"
        print(f"  {cores:2} cores: {max(total / cores, serial) / 3600:5.1f} h (bound by {bound})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", action="store_true", help="also 1,000,000 generated records (40 files)")
    parser.add_argument("--only-dask", action="store_true", help="only the Dask runs and the projection")
    parser.add_argument("--only-ceiling", action="store_true", help="only the machine's ceiling for 2 workers")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ivig-lit-bulk-load")
    parser.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, db, *paths = args.measure
        print(json.dumps(measure_here(kind, [Path(p) for p in paths], Path(db))))
        return
    args.cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bulk-load-"))
    print(f"machine: {os.cpu_count()} cores, load average {load()} at start")
    if not (args.only_dask or args.only_ceiling):
        sets = {"real ../shared/data (all files)": sorted(p for p in SHARED.iterdir() if p.is_file())}
        for n in (20_000, 100_000, *BIG[: args.big]):
            sets[f"generated {n:,} (1% not off-topic)"] = generated(args.cache, n)
        sets["generated 20,000 (the generator's mix, ~40% in scope)"] = generated(args.cache, 20_000, None)
        sets["all in scope 5,000"] = all_in_scope(args.cache, 5_000)
        side_by_side(sets, work)
    comparison = generated(args.cache, DASK_RECORDS)
    ceiling(comparison, work)
    if args.only_ceiling:
        return
    from ivig_lit.flows._api import prefect_api

    growing = {f"generated {n:,}": generated(args.cache, n) for n in (20_000, 100_000, *BIG[: args.big])}
    with prefect_api():
        dask_memory(growing, work)
        runs = dask_comparison(comparison, work)
    projection(runs[2])
    print(f"load average at the end {load()}")


if __name__ == "__main__":
    main()
