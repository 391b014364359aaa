"""Bulk loading end to end: ``load-xml`` and ``baseline`` against Biopython's ``Entrez.read`` parse
alone, in records per CPU-second and peak RSS (each measurement in a fresh interpreter), then 1 vs 2
Dask workers over several files, bytes on disk per stored record, and a projection for the whole
PubMed baseline (~1,300 files, ~36M records).

usage: python benchmarks/bulk_load.py [--big]      (--big adds the 1,000,000-record file)

Files (written to a scratch folder, never to the repository):
- MEDLINE-shaped: the real ``../shared/data/medline16n0902.xml.gz`` citations tiled to N records with
  fresh PMIDs (all off-topic, as ~99.9% of a real baseline file is);
- generated: ``ivig_lit.emulator.generate`` records (our own text; ~40% in scope);
- all in scope: the in-scope records of the generator only, tiled to N.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BASELINE_FILES = 1300
BASELINE_RECORDS = 36_000_000
sys.path.insert(0, str(ROOT / "benchmarks"))


def _read(path: Path) -> str:
    with gzip.open(path, "rt") if path.suffix == ".gz" else path.open() as f:
        return f.read()


def _blocks(path: Path, tag: str) -> list[str]:
    return re.findall(rf"<{tag}[ >].*?</{tag}>", _read(path), flags=re.S)


def _header(path: Path, root: str) -> str:
    """The XML declaration and DOCTYPE (Biopython needs the DTD name) up to the root element."""
    text = _read(path)
    return text[: text.index(f"<{root}>")]


def tile(blocks: list[str], n: int, out: Path, header: str, root: str, first_pmid: int) -> Path:
    """``n`` records cycling through ``blocks``, each with a fresh PMID (so none is a revision)."""
    with gzip.open(out, "wt", compresslevel=5) as f:
        f.write(f"{header}<{root}>\n")
        for i in range(n):
            f.write(
                re.sub(
                    r"<PMID Version=\"1\">\d+</PMID>",
                    f'<PMID Version="1">{first_pmid + i}</PMID>',
                    blocks[i % len(blocks)],
                    count=1,
                )
            )
            f.write("\n")
        f.write(f"</{root}>\n")
    return out


def in_scope_blocks(work: Path) -> list[str]:
    from ivig_lit.emulator.generate import generate_corpus
    from ivig_lit.gate import Gate
    from ivig_lit.parse import parse_article_xml
    from ivig_lit.registry import load_registry

    generate_corpus(3000, 3, work / "mixed3k.xml.gz", scenario=False)
    gate = Gate(load_registry())
    return [b for b in _blocks(work / "mixed3k.xml.gz", "PubmedArticle") if gate.is_in_scope(parse_article_xml(b))]


def measure_here(kind: str, paths: list[Path], db: Path) -> dict[str, Any]:
    """Run in the subprocess: one load (or parse) of ``paths``; records, CPU seconds, peak RSS.
    Imports happen before the clock starts; a run's fixed costs (migrations, status) are counted."""
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


def measure(kind: str, paths: list[Path], work: Path) -> dict[str, Any]:
    db = work / f"{kind}-{time.monotonic_ns()}.duckdb"
    args = [sys.executable, __file__, "--measure", kind, str(db), *map(str, paths)]
    out = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
    out["bytes_per_stored"] = db.stat().st_size / out["stored"] if out["stored"] and db.exists() else None
    return out


def dask_wall(paths: list[Path], workers: int, work: Path) -> float:
    """Wall seconds of ``ivig-lit baseline --dask --workers N`` (a fresh warehouse)."""
    db = work / f"dask{workers}.duckdb"
    cli = [str(Path(sys.executable).parent / "ivig-lit"), "baseline", "--warehouse", str(db), "--dask"]
    started = time.perf_counter()
    subprocess.run([*cli, "--workers", str(workers), *map(str, paths)], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", action="store_true", help="also a 1,000,000-record MEDLINE-shaped file")
    parser.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, db, *paths = args.measure
        print(json.dumps(measure_here(kind, [Path(p) for p in paths], Path(db))))
        return
    from ivig_lit.emulator.generate import generate_corpus

    work = Path(tempfile.mkdtemp(prefix="bulk-load-"))
    medline = _blocks(SHARED / "medline16n0902.xml.gz", "MedlineCitation")
    mh = _header(SHARED / "medline16n0902.xml.gz", "MedlineCitationSet")
    in_scope = in_scope_blocks(work)
    sets: dict[str, list[Path]] = {"real ../shared/data (all files)": sorted(SHARED.iterdir())}
    for n in (20_000, 100_000, *((1_000_000,) if args.big else ())):
        sets[f"MEDLINE-shaped {n:,}"] = [
            tile(medline, n, work / f"medline{n}.xml.gz", mh, "MedlineCitationSet", 50_000_000)
        ]
    generate_corpus(20_000, 7, work / "generated20k.xml.gz", scenario=False)
    sets["generated 20,000 (~40% in scope)"] = [work / "generated20k.xml.gz"]
    ph = _header(work / "generated20k.xml.gz", "PubmedArticleSet")
    sets["all in scope 5,000"] = [tile(in_scope, 5_000, work / "inscope5k.xml.gz", ph, "PubmedArticleSet", 60_000_000)]
    print("records per CPU-second (peak RSS MiB) | end to end vs Biopython Entrez.read parse alone")
    rates: dict[str, float] = {}
    for label, paths in sets.items():
        row = {k: measure(k, paths, work) for k in ("biopython", "load-xml", "baseline")}
        rate = {k: r["records"] / r["cpu"] for k, r in row.items()}
        rates[label] = rate["baseline"]
        per = row["load-xml"]["bytes_per_stored"]
        print(f"{label}: {row['load-xml']['records']:,} records, {row['load-xml']['kept']:,} kept")
        for k, r in row.items():
            ratio = rate[k] / rate["biopython"]
            print(f"  {k:9} {rate[k]:9,.0f} rec/CPU-s  {r['rss']:6,.0f} MiB  {ratio:5.2f}x biopython")
        print(f"  warehouse bytes per stored record: {per:,.0f}" if per else "  nothing stored")
    files = [
        tile(medline, 25_000, work / f"pubmed25n{i:04d}.xml.gz", mh, "MedlineCitationSet", 70_000_000 + i * 25_000)
        for i in range(1, 5)
    ]
    one, two = dask_wall(files, 1, work), dask_wall(files, 2, work)
    print(f"Dask, 4 MEDLINE-shaped files of 25,000: 1 worker {one:.1f} s, 2 workers {two:.1f} s = {one / two:.2f}x")
    rate = rates["MEDLINE-shaped 100,000"]
    for cores in (2, 32):
        hours = BASELINE_RECORDS / (rate * cores * 0.9) / 3600  # 90%: the one writer and scheduling
        print(f"projection, {BASELINE_FILES:,} files ({BASELINE_RECORDS:,} records), {cores} cores: {hours:.1f} h")


if __name__ == "__main__":
    main()
