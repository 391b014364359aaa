"""Parse speed and peak memory, side by side: ivig-lit, Biopython and the bare lxml floor.

Usage: ``python benchmarks/parse_speed.py [PATH ...] [--big] [--sizes 20000 100000] [--min-cpu 1.0]
[--corpus-dir DIR] [--before SRC] [--dump DIR | --check DIR | --stages]``

``--before SRC`` adds a column for the parser of another checkout (``SRC/src`` first on the path, e.g. a
``git archive <commit> src | tar -x -C /tmp/before``): before and after side by side in one run. ``--stages`` prints
where a record's time goes instead (gunzip, finding the record's bytes, libxml2 building its tree, a bare
walk over every element, and the rest: reading the fields and building the Article): the parser's floor.

``--dump DIR`` writes what ``iter_articles`` yields for every file (real, given, generated, demo corpus and
``tests/cases/parse``) as JSON lines, and ``--check DIR`` compares today's output with such a dump: run
``--dump`` before changing the parser and ``--check`` after, so a faster parser provably says the same.

Files: every real PubMed file in ``../shared/data``, the paths given, and generated corpora of 20,000 and
100,000 records (plus 1,000,000 with ``--big``) written by ``ivig_lit.emulator.generate``.
Parsers, each run in a fresh subprocess so its peak RSS is its own:
- ``ivig-lit``: ``iter_articles``, every field of every record (Article, DeleteCitation);
- ``biopython``: ``Bio.Entrez.read(validate=False)``. Its streaming ``Entrez.parse`` refuses PubMed files
  (a PubmedArticleSet is not "a list" to it), so ``read`` holds a whole file's records at once: gigabytes at
  100k records. Files over ``--biopython-max`` records are not given to it;
- ``lxml-floor``: lxml ``iterparse`` with the same tag filter and clearing, reading five fields (PMID,
  title, journal, year, first abstract section): what any lxml reader costs before it reads more.
Speed is records per CPU-second (``time.process_time``: fair on a shared machine); a small file is parsed
repeatedly until ``--min-cpu`` seconds are spent. Peak RSS is the subprocess's ``ru_maxrss``. Biopython
never touches the network: DTDs it lacks get a stand-in, as in tests/parse/test_biopython_crosscheck.py.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
OWN_XML = [
    ROOT / "src" / "ivig_lit" / "data" / "demo_corpus.xml.gz",
    *sorted((ROOT / "tests" / "cases" / "parse").glob("*.xml")),
]
PARSERS = ("ivig-lit", "biopython", "lxml-floor")
BEFORE = "before"
RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "MedlineCitation", "DeleteCitation")


def open_xml(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        packed = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path) if packed else path.open("rb")


def count_ivig_lit(path: Path) -> int:
    from ivig_lit.parse import iter_articles

    return sum(1 for _ in iter_articles(path))


def count_lxml_floor(path: Path) -> int:
    from lxml import etree

    count = 0
    with open_xml(path) as stream:
        events = etree.iterparse(stream, tag=RECORD_TAGS, load_dtd=False, resolve_entities=False, no_network=True)
        for _, elem in events:
            parent = elem.getparent()
            if parent is None or parent.getparent() is not None:
                continue
            citation = elem.find("MedlineCitation") if elem.tag == "PubmedArticle" else elem
            if citation is not None:  # the five fields; the values are dropped, as a loader would
                citation.findtext("PMID")
                citation.findtext("Article/ArticleTitle")
                citation.findtext("Article/Journal/Title")
                citation.findtext("Article/Journal/JournalIssue/PubDate/Year")
                citation.findtext("Article/Abstract/AbstractText")
            count += 1
            elem.clear(keep_tail=True)
            while elem.getprevious() is not None:
                del parent[0]
    return count


def offline_biopython() -> None:
    """No network for Biopython: a private DTD cache and a urlopen that refuses."""
    from Bio.Entrez import Parser

    def refuse(url: object, *args: object, **kwargs: object) -> None:
        raise OSError(f"benchmark blocked Biopython from fetching {url}")

    Parser.urlopen = refuse
    Parser.DataHandler.directory = tempfile.mkdtemp(prefix="biopython-dtd-")


def provide_dtd(path: Path) -> None:
    """Copy the newest shipped DTD of the same family under the name a file asks for, if it is missing."""
    from Bio.Entrez import Parser

    with open_xml(path) as stream:
        match = re.search(rb'"[^"]*?([\w.-]+\.dtd)"', stream.read(2048))
    if match is None:
        return
    shipped, cache = Path(Parser.DataHandler.global_dtd_dir), Path(Parser.DataHandler.local_dtd_dir)
    name = match[1].decode()
    if (shipped / name).exists() or (cache / name).exists():
        return
    older = sorted(p for p in shipped.glob(f"{name.rsplit('_', 1)[0]}_*.dtd") if p.name < name)
    if older:
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copy(older[-1], cache / name)


def count_biopython(path: Path) -> int:
    from Bio import Entrez

    with open_xml(path) as stream:
        result = Entrez.read(stream, validate=False)
    articles = sum(len(result.get(key, [])) for key in ("PubmedArticle", "PubmedBookArticle", "MedlineCitation"))
    return articles + bool(result.get("DeleteCitation"))  # one <DeleteCitation> per file in practice


def dump_lines(path: Path) -> list[str]:
    """Every record ``iter_articles`` yields for ``path`` as one JSON line (a file-level error as the last)."""
    from ivig_lit.errors import MalformedFileError
    from ivig_lit.parse import iter_articles
    from ivig_lit.parse.models import Article

    lines = []
    try:
        for item in iter_articles(path):
            if isinstance(item, Article):
                lines.append(item.canonical_json())
            else:  # DeleteCitation, RecordError: slotted dataclasses of plain values
                lines.append(json.dumps([type(item).__name__, *(getattr(item, s) for s in item.__slots__)]))
    except MalformedFileError as exc:
        lines.append(json.dumps(["MalformedFileError", exc.user_message]))
    return lines


def dump_or_check(paths: list[Path], directory: Path, *, check: bool) -> int:
    """Write each file's records under ``directory`` or compare with what is there; 1 if any differ."""
    directory.mkdir(parents=True, exist_ok=True)
    differ = 0
    for path in paths:
        target = directory / f"{path.name}.jsonl"
        lines = dump_lines(path)
        if not check:
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"{path.name}: {len(lines)} records dumped")
            continue
        before = target.read_text(encoding="utf-8").splitlines()
        same = before == lines
        differ |= not same
        first = next(
            (i for i, (a, b) in enumerate(zip(before, lines, strict=False)) if a != b), min(len(before), len(lines))
        )
        print(f"{path.name}: {len(lines)} records, " + ("identical" if same else f"DIFFERENT from record {first + 1}"))
    return int(differ)


MODULES = {"ivig-lit": "ivig_lit.parse", "biopython": "Bio.Entrez", "lxml-floor": "lxml.etree"}
COUNTERS: dict[str, Callable[[Path], int]] = {
    "ivig-lit": count_ivig_lit,
    "biopython": count_biopython,
    "lxml-floor": count_lxml_floor,
}


def measure_here(parser: str, path: Path, min_cpu: float) -> dict[str, Any]:
    """Run in the subprocess: parse until min_cpu CPU-seconds are spent; records, rounds, CPU, peak RSS."""
    importlib.import_module(MODULES[parser])  # imports are start-up, not parsing
    if parser == "biopython":
        offline_biopython()
        provide_dtd(path)
    count = COUNTERS[parser]
    rounds = records = 0
    start = time.process_time()
    while True:
        records = count(path)
        rounds += 1
        cpu = time.process_time() - start
        if cpu >= min_cpu:
            break
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"records": records, "rounds": rounds, "cpu": cpu, "peak_mib": peak_mib}


def measure(parser: str, path: Path, min_cpu: float, source: Path | None = None) -> dict[str, Any]:
    """One parser on one file in a fresh interpreter (importing ivig-lit from ``source``/src if given);
    an error is reported, not raised."""
    command = [sys.executable, __file__, "--measure", parser, str(path), "--min-cpu", str(min_cpu)]
    env = None
    if source is not None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(source / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": last}
    return json.loads(done.stdout)


def generated(sizes: list[int], directory: Path) -> list[Path]:
    """Generated corpora (seed 1); a file already in ``directory`` under the same name is reused."""
    from ivig_lit.emulator.generate import generate_corpus

    paths = []
    for size in sizes:
        path = directory / f"generated-{size}.xml.gz"
        paths.append(path)
        if path.is_file():
            continue
        start = time.perf_counter()
        generate_corpus(size, 1, path, scenario=False)
        print(f"(generated {path.name} in {time.perf_counter() - start:.0f} s)", file=sys.stderr)
    return paths


def report(paths: list[Path], min_cpu: float, biopython_max: int, before: Path | None = None) -> None:
    """One line per file: records per CPU-second and peak RSS per parser, and the ratio to Biopython."""
    parsers = (*PARSERS, BEFORE) if before else PARSERS
    print("ivig-lit: iter_articles, every field | biopython: Bio.Entrez.read(validate=False), whole file in memory")
    print("lxml-floor: iterparse + clear + 5 fields | each cell: one fresh process, time.process_time, ru_maxrss")
    if before:
        print(f"{BEFORE}: iter_articles imported from {before}/src")
    print(f"{'file':<28} {'records':>9} " + " ".join(f"{p + ' rec/CPU-s, RSS':>28}" for p in parsers) + "  vs Bio")
    counted_differently = False
    for path in paths:
        results = {"ivig-lit": measure("ivig-lit", path, min_cpu)}
        records = results["ivig-lit"].get("records", 0)
        for parser in PARSERS[1:]:
            skip = parser == "biopython" and records > biopython_max
            results[parser] = {"error": f"skipped > {biopython_max:,}"} if skip else measure(parser, path, min_cpu)
        if before:
            results[BEFORE] = measure("ivig-lit", path, min_cpu, before)
        cells, rates = [], {}
        for parser in parsers:
            result = results[parser]
            if "error" in result:
                cells.append(f"{result['error'][:28]:>28}")
                continue
            rates[parser] = records * result["rounds"] / result["cpu"]  # the file's records, for every parser
            differs = "*" if result["records"] != records else " "
            counted_differently |= differs == "*"
            cells.append(f"{rates[parser]:>17,.0f}{differs} {result['peak_mib']:>6.0f} MiB")
        ratio = rates["ivig-lit"] / rates["biopython"] if {"ivig-lit", "biopython"} <= rates.keys() else None
        print(f"{path.name:<28} {records:>9} " + " ".join(cells) + (f" {ratio:>6.1f}x" if ratio else "       -"))
    if counted_differently:
        print("* the parser counted a different number of records; rates use the file's count (ivig-lit's)")


def stage_costs(path: Path, rounds: int = 7) -> dict[str, float]:
    """Microseconds per record of each stage of ``iter_articles`` on one file, best of ``rounds``: what
    libxml2 alone costs (the floor no lxml parser goes under) and what reading every field adds."""
    from lxml import etree

    from ivig_lit.parse import iter_articles
    from ivig_lit.parse._chunks import iter_blocks, iter_chunks, without_references
    from ivig_lit.parse.pubmed_xml import _PARSER_OPTIONS

    parser = etree.XMLParser(**_PARSER_OPTIONS)
    blocks = list(iter_blocks(path))
    # the bytes the parser gives libxml2: an article's reference lists are cut first
    chunks = [
        without_references(chunk) if tag == b"PubmedArticle" else chunk for tag, chunk, _ in iter_chunks(iter(blocks))
    ]

    def walk() -> None:
        for chunk in chunks:
            for elem in etree.fromstring(chunk, parser).iter():
                elem.text  # noqa: B018 - a reader touches each element's text at least

    stages: dict[str, Callable[[], object]] = {
        "gunzip/read": lambda: list(iter_blocks(path)),
        "find records": lambda: list(iter_chunks(iter(blocks))),
        "libxml2 tree": lambda: [etree.fromstring(chunk, parser) for chunk in chunks],
        "tree + walk": walk,
        "iter_articles": lambda: sum(1 for _ in iter_articles(path)),
    }
    costs = {}
    for name, stage in stages.items():
        best = float("inf")
        for _ in range(rounds):
            start = time.process_time()
            stage()
            best = min(best, time.process_time() - start)
        costs[name] = best / len(chunks) * 1e6
    costs["fields + Article"] = costs["iter_articles"] - costs["gunzip/read"] - costs["find records"]
    costs["fields + Article"] -= costs["libxml2 tree"]
    return costs


def print_stages(paths: list[Path]) -> None:
    """One line per file: microseconds per record per stage, and the rates they allow."""
    names = ("gunzip/read", "find records", "libxml2 tree", "tree + walk", "fields + Article", "iter_articles")
    print("microseconds per record, best of 7 rounds (time.process_time); the last columns are rec/CPU-s")
    print(f"{'file':<28} " + " ".join(f"{n:>16}" for n in names) + f" {'floor rate':>11} {'our rate':>9}")
    for path in paths:
        costs = stage_costs(path)
        floor = costs["gunzip/read"] + costs["find records"] + costs["libxml2 tree"]
        cells = " ".join(f"{costs[n]:>16.1f}" for n in names)
        print(f"{path.name:<28} {cells} {1e6 / floor:>11,.0f} {1e6 / costs['iter_articles']:>9,.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="more files to parse")
    parser.add_argument("--sizes", nargs="*", type=int, default=[20_000, 100_000], help="generated corpus sizes")
    parser.add_argument("--big", action="store_true", help="also a generated corpus of 1,000,000 records")
    parser.add_argument("--min-cpu", type=float, default=1.0, help="CPU-seconds to spend per parser and file")
    parser.add_argument("--corpus-dir", type=Path, help="keep generated corpora here and reuse them next time")
    parser.add_argument("--biopython-max", type=int, default=100_000, help="largest file given to Biopython")
    parser.add_argument("--dump", type=Path, metavar="DIR", help="write every file's parsed records to DIR")
    parser.add_argument("--check", type=Path, metavar="DIR", help="compare every file's parsed records with DIR")
    parser.add_argument("--before", type=Path, metavar="SRC", help="also measure the parser of another checkout")
    parser.add_argument("--stages", action="store_true", help="print each stage's cost per record instead")
    parser.add_argument("--measure", nargs=2, metavar=("PARSER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        name, path = args.measure
        print(json.dumps(measure_here(name, Path(path), args.min_cpu)))
        return 0
    missing = [p for p in args.paths if not p.is_file()]
    if missing:
        parser.error(f"not a file: {', '.join(map(str, missing))}")
    real = sorted(SHARED_DATA.glob("*.xml*")) if SHARED_DATA.is_dir() else []
    if not real:
        print(f"{SHARED_DATA} is absent: only generated and given files are measured", file=sys.stderr)
    sizes = [*args.sizes, *([1_000_000] if args.big else [])]
    with tempfile.TemporaryDirectory(prefix="ivig-lit-bench-") as scratch:
        corpus_dir = args.corpus_dir or Path(scratch)
        corpus_dir.mkdir(parents=True, exist_ok=True)
        files = [*real, *args.paths, *generated(sizes, corpus_dir)]
        if args.dump or args.check:
            return dump_or_check([*files, *OWN_XML], args.dump or args.check, check=args.check is not None)
        if args.stages:
            print_stages(files)
            return 0
        report(files, args.min_cpu, args.biopython_max, args.before)
    return 0


if __name__ == "__main__":
    sys.exit(main())
