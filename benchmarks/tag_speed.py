"""Tagging speed beside parsing speed, and a check that a faster tagger still gives the same tags.

usage: python benchmarks/tag_speed.py [--dump OUT.json] [--check BEFORE.json] [--min-cpu 1.0]

Inputs: the gold dev set (``../shared/gold/dev.jsonl`` through ``../shared/tools/gold_to_xml.py``, indexed
and text-only: real in-scope articles), every real PubMed file in ``../shared/data`` (real MEDLINE, off-topic),
the demo corpus and a generated file of 5,000 records (``ivig_lit.emulator.generate``, seed 1). Both stages are timed in
one process with ``time.process_time`` (fair on a shared machine): parsing is ``iter_articles`` over the
file, tagging is ``tag_article`` plus ``classify_direction`` (what ``load-xml`` does per changed record) over
the parsed articles, each repeated until ``--min-cpu`` seconds are spent. ``--dump`` writes every record's
tags and direction as JSON; ``--check`` compares them with an earlier dump and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from ivig_lit.assess import classify_direction
from ivig_lit.emulator.generate import generate_corpus
from ivig_lit.parse import iter_articles
from ivig_lit.parse.models import Article
from ivig_lit.registry import Registry, load_registry
from ivig_lit.tag import tag_article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


GENERATED = 5_000


def inputs(scratch: Path) -> list[Path]:
    """The files to tag: gold (indexed, text-only), real PubMed files, the demo corpus, a generated file."""
    paths = []
    gold, tool = SHARED / "gold" / "dev.jsonl", SHARED / "tools" / "gold_to_xml.py"
    if gold.is_file() and tool.is_file():
        for mode, extra in (("indexed", []), ("text-only", ["--text-only"])):
            out = scratch / f"gold-{mode}.xml"
            subprocess.run([sys.executable, str(tool), str(gold), str(out), *extra], check=True)
            paths.append(out)
    else:
        print(f"{SHARED} is absent: only the demo corpus is tagged", file=sys.stderr)
    paths += sorted((SHARED / "data").glob("*.xml*"))
    with resources.as_file(resources.files("ivig_lit.data") / "demo_corpus.xml.gz") as demo:
        paths.append(Path(demo))
    generated = scratch / f"generated{GENERATED // 1000}k.xml.gz"
    generate_corpus(GENERATED, 1, generated, scenario=False)
    return [*paths, generated]


def tag_one(article: Article, registry: Registry) -> dict:
    tags = tag_article(article, registry)
    direction = classify_direction(article, tags.design)
    return {"tags": dataclasses.asdict(tags), "direction": dataclasses.asdict(direction) if direction else None}


def tag_and_direct(article: Article, registry: Registry) -> bool:
    """What ``load-xml`` computes for each new or changed record."""
    classify_direction(article, tag_article(article, registry).design)
    return True


def rate(work: Callable[[], int], min_cpu: float) -> float:
    """Records per CPU-second of ``work`` (which returns its record count), repeated until min_cpu."""
    records, start = 0, time.process_time()
    while (cpu := time.process_time() - start) < min_cpu:
        records += work()
    return records / cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", type=Path, help="write every record's tags here as JSON")
    ap.add_argument("--check", type=Path, help="compare every record's tags with this earlier dump")
    ap.add_argument("--min-cpu", type=float, default=1.0, help="CPU-seconds per stage and file")
    args = ap.parse_args(argv)
    registry = load_registry()
    results: dict[str, dict] = {}
    real: list[tuple[int, float, float]] = []  # the real PubMed files: records, parse and tag rates
    print(f"{'file':<28} {'records':>8} {'parse rec/CPU-s':>16} {'tag rec/CPU-s':>14} {'tag/parse':>9}")
    with tempfile.TemporaryDirectory(prefix="ivig-lit-tag-speed-") as scratch:
        for path in inputs(Path(scratch)):
            articles = [a for a in iter_articles(path) if isinstance(a, Article)]
            results[path.name] = {a.pmid: tag_one(a, registry) for a in articles}
            parse = rate(lambda p=path: sum(1 for _ in iter_articles(p)), args.min_cpu)
            tag = rate(lambda a=articles: sum(1 for x in a if tag_and_direct(x, registry)), args.min_cpu)
            print(f"{path.name:<28} {len(articles):>8} {parse:>16,.0f} {tag:>14,.0f} {parse / tag:>9.2f}")
            if path.parent == SHARED / "data":
                real.append((len(articles), parse, tag))
    if real:
        # Per-record costs weighted by each file's records: what tagging every real record costs.
        n = sum(r for r, _, _ in real)
        parse, tag = n / sum(r / p for r, p, _ in real), n / sum(r / t for r, _, t in real)
        print(f"{'real PubMed files, all':<28} {n:>8} {parse:>16,.0f} {tag:>14,.0f} {parse / tag:>9.2f}")
    if args.dump:
        args.dump.write_text(json.dumps(results, sort_keys=True, indent=1))
    if args.check:
        before = json.loads(args.check.read_text())
        now = json.loads(json.dumps(results))
        differ = [(f, p) for f in before.keys() | now.keys() for p in before.get(f, {}).keys() | now.get(f, {}).keys()]
        differ = [(f, p) for f, p in differ if before.get(f, {}).get(p) != now.get(f, {}).get(p)]
        total = sum(len(v) for v in before.values())
        for f, p in sorted(differ)[:20]:
            print(f"DIFFERS {f} {p}: {before.get(f, {}).get(p)} -> {now.get(f, {}).get(p)}")
        print(f"check: {total - len(differ)} of {total} records identical, {len(differ)} differ")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
