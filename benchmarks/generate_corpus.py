"""Benchmark the demo-corpus generator: write N invented PubMed records and report the speed.

.venv/bin/python benchmarks/generate_corpus.py 1000000 /tmp/pubmed_1m.xml.gz [--seed 1] [--scenario | --registry FILE]
.venv/bin/python benchmarks/generate_corpus.py 1000000 /tmp/bulk --files 16 --in-scope 0.01 --jobs 2

With ``--files N`` OUT is a folder that gets N files named as NCBI names its baseline
(``pubmed26n0001.xml.gz`` …), consecutive slices of one record stream, so no PMID repeats across
files. ``--in-scope`` lowers the share of IVIG papers, near-misses and notices (the rest are
off-topic records), as in a real MEDLINE baseline file where about 0.1% is in scope; ``--jobs``
writes files in parallel processes.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ivig_lit.emulator.generate import Spec, generate_corpus, iter_specs, render_record
from ivig_lit.emulator.generate.vocabulary import vocabulary
from ivig_lit.registry import Registry, load_registry

HEADER = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
)


def iter_mixed_specs(n_records: int, seed: int, in_scope: float | None, registry: Registry) -> Iterator[Spec]:
    """The generator's records, with at most an ``in_scope`` share that is not off-topic (exact
    and deterministic: a non-off-topic record is skipped while it would push the share over)."""
    specs = iter_specs(n_records if in_scope is None else 10**12, seed, registry.ids)
    emitted = other = 0
    for spec in specs:
        if emitted == n_records:
            return
        if in_scope is not None and spec.kind != "off_topic":
            if other + 1 > in_scope * (emitted + 1):
                continue
            other += 1
        emitted += 1
        yield spec


def write_specs(out: Path, specs: list[Spec], seed: int, registry: Registry) -> int:
    """Render ``specs`` into ``out`` (gzip level 1: the files are scratch input, written fast and
    read many times)."""
    with gzip.GzipFile(out, "wb", compresslevel=1, mtime=0) if out.suffix == ".gz" else out.open("wb") as fh:
        fh.write(HEADER)
        vocab = vocabulary(registry)
        for spec in specs:
            fh.write(render_record(spec, seed, vocab).encode())
        fh.write(b"</PubmedArticleSet>\n")
    return len(specs)


def write_files(
    n_records: int,
    folder: Path,
    files: int,
    seed: int,
    in_scope: float | None,
    jobs: int,
    registry: Registry | None = None,
) -> list[Path]:
    """``files`` files of near-equal size in ``folder``: the record stream is drawn once, here,
    and each file's slice of it is rendered by one of ``jobs`` processes."""
    folder.mkdir(parents=True, exist_ok=True)
    registry = registry or load_registry()
    specs = iter_mixed_specs(n_records, seed, in_scope, registry)
    bounds = [n_records * i // files for i in range(files + 1)]
    paths = [folder / f"pubmed26n{i:04d}.xml.gz" for i in range(1, files + 1)]
    with ProcessPoolExecutor(jobs) as pool:
        futures = [
            pool.submit(write_specs, p, list(itertools.islice(specs, b - a)), seed, registry)
            for p, a, b in zip(paths, bounds, bounds[1:], strict=False)
        ]
        for f in futures:
            f.result()
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("records", type=int, help="number of records to write")
    parser.add_argument("out", type=Path, help="output path (.xml or .xml.gz), a folder with --files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", action="store_true", help="the demo scenario plus N background records")
    parser.add_argument("--registry", type=Path, help="papers about this registry's conditions (not with --scenario)")
    parser.add_argument("--files", type=int, help="split the records into this many files in the folder OUT")
    parser.add_argument("--in-scope", type=float, help="largest share of records that are not off-topic (0-1)")
    parser.add_argument("--jobs", type=int, default=1, help="processes writing files in parallel (with --files)")
    args = parser.parse_args(argv)
    if args.in_scope is not None and not 0 <= args.in_scope <= 1:
        parser.error(f"--in-scope must be a share between 0 and 1, not {args.in_scope}")
    if (args.files or args.in_scope is not None) and args.scenario:
        parser.error("--files and --in-scope write background records only; drop --scenario")
    registry = load_registry(args.registry) if args.registry else load_registry()
    start, written = time.perf_counter(), args.records
    if args.files:
        paths = write_files(args.records, args.out, args.files, args.seed, args.in_scope, args.jobs, registry)
    elif args.in_scope is not None:
        paths = [args.out]
        write_specs(
            args.out, list(iter_mixed_specs(args.records, args.seed, args.in_scope, registry)), args.seed, registry
        )
    else:
        paths = [args.out]
        written = generate_corpus(
            args.records, args.seed, args.out, scenario=args.scenario, registry=registry if args.registry else None
        )
    elapsed = time.perf_counter() - start
    size = sum(p.stat().st_size for p in paths)
    print(f"records:   {written:,} in {len(paths)} file(s)")
    print(f"seconds:   {elapsed:.2f}")
    print(f"records/s: {written / elapsed:,.0f}")
    print(f"size:      {size / 1e6:.1f} MB ({size / written:,.0f} bytes/record)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
