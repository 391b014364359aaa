"""Measure ``classify_direction`` on the dev-set trials and meta-analyses.

usage: python benchmarks/direction_eval.py [GOLD_JSONL] [--json]

Expected labels are our own (``fixtures/direction_expected.json``, written before the classifier).
Abstracts are split into labelled sections with the same heading rules as
``../shared/tools/gold_to_xml.py``, so the classifier sees what the pipeline would see after parsing
EFetch XML. Prints accuracy, a confusion matrix and every disagreement; gold text is only read,
never copied.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

from ivig_lit.assess.direction import DIRECTION_DESIGNS, classify_direction
from ivig_lit.parse.models import AbstractSection, Article
from ivig_lit.tag.models import DIRECTIONS

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
EXPECTED = HERE / "fixtures" / "direction_expected.json"


def load_splitter(tools: Path):
    """``abstract_sections`` from the gold tools, so sections match the XML the pipeline parses."""
    spec = importlib.util.spec_from_file_location("gold_to_xml", tools / "gold_to_xml.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.abstract_sections


def to_article(row: dict, split) -> Article:
    sections = tuple(AbstractSection(label, cat, body) for label, cat, body in split(row["abstract"] or ""))
    return Article(pmid=row["pmid"], title=row["title"], abstract=sections if row["abstract"] else ())


def evaluate(gold: Path, expected: dict[str, str]) -> list[dict]:
    """One result row per labelled record: pmid, design, expected, predicted, evidence."""
    split = load_splitter(gold.parents[1] / "tools")
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for row in rows:
        if row["pmid"] not in expected or row["design"] not in DIRECTION_DESIGNS:
            continue
        got = classify_direction(to_article(row, split), row["design"])
        out.append(
            {
                "pmid": row["pmid"],
                "design": row["design"],
                "ivig_is_intervention": row["ivig_is_intervention"],
                "expected": expected[row["pmid"]],
                "predicted": got.direction if got else None,
                "evidence": got.evidence if got else None,
            }
        )
    return out


def confusion(results: list[dict]) -> str:
    counts = Counter((r["expected"], r["predicted"]) for r in results)
    width = max(len(d) for d in DIRECTIONS) + 2
    lines = ["expected \\ predicted".ljust(width) + "".join(d[:12].rjust(14) for d in DIRECTIONS)]
    for e in DIRECTIONS:
        lines.append(e.ljust(width) + "".join(str(counts[(e, p)]).rjust(14) for p in DIRECTIONS))
    return "\n".join(lines)


def accuracy(results: list[dict]) -> float:
    return sum(r["expected"] == r["predicted"] for r in results) / len(results) if results else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=SHARED / "gold" / "dev.jsonl")
    parser.add_argument("--json", action="store_true", help="print the result rows as JSON")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"gold file not found: {args.gold}", file=sys.stderr)
        return 2
    expected = {k: v["direction"] for k, v in json.loads(EXPECTED.read_text())["labels"].items()}
    results = evaluate(args.gold, expected)
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    ivig = [r for r in results if r["ivig_is_intervention"]]
    print(
        f"direction accuracy: {accuracy(results):.1%} ({sum(r['expected'] == r['predicted'] for r in results)}"
        f"/{len(results)}); IVIG-intervention subset {accuracy(ivig):.1%} of {len(ivig)}"
    )
    print(confusion(results))
    errors = [r for r in results if r["expected"] != r["predicted"]]
    print(f"\n{len(errors)} disagreements:")
    for r in errors:
        head = f"{r['pmid']:>9} {r['design']:<14} expected {r['expected']:<13} got {r['predicted']:<13}"
        print(f"  {head} {r['evidence']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
