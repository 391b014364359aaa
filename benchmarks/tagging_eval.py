"""Tagging accuracy on the labelled dev set, as indexed and text-only (the night a record appears).

usage: python benchmarks/tagging_eval.py [--gold ../shared/gold/dev.jsonl] [--errors] [--mode indexed|text-only]
                                        [--show-held-out]

Turns the gold records into PubMed XML with ../shared/tools/gold_to_xml.py, loads them through
the real ``load_xml`` path into a scratch warehouse, reads the public views and prints per-design
precision/recall, design accuracy, RCT P/R, condition micro P/R and IVIG-focus accuracy, for the
tuning split (the fit), the held-out split (what unseen articles get) and all records.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from ivig_lit.registry import load_registry
from ivig_lit.tag.evaluate import MODES, Scores, evaluate_gold
from ivig_lit.tag.models import DESIGNS

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = REPO.parent / "shared" / "gold" / "dev.jsonl"


def format_scores(s: Scores) -> str:
    lines = [
        f"== {s.mode}, {s.split} ({s.n} articles) ==",
        f"{'design':<18} {'precision':>9} {'recall':>7} {'support':>8}",
    ]
    for design, (p, r, n) in s.per_design.items():
        lines.append(f"{design:<18} {p:>9.3f} {r:>7.3f} {n:>8}")
    lines += [
        f"design accuracy      {s.design_accuracy:.3f}",
        f"rct precision/recall {s.rct_precision:.3f} / {s.rct_recall:.3f}",
        f"condition P/R        {s.condition_precision:.3f} / {s.condition_recall:.3f}",
        f"ivig-focus accuracy  {s.ivig_accuracy:.3f}",
        f"{'condition':<24} {'precision':>9} {'recall':>7} {'support':>8}",
    ]
    for cid, (p, r, n) in s.per_condition.items():
        lines.append(f"{cid:<24} {p:>9.3f} {r:>7.3f} {n:>8}")
    return "\n".join([*lines, format_confusion(s)])


def format_confusion(s: Scores) -> str:
    """Gold design per row, predicted per column, only the designs that occur."""
    used = [d for d in DESIGNS if any(d in pair for pair in s.confusion)]
    short = {d: d[:6] for d in used}
    lines = ["confusion (rows gold, columns predicted)", f"{'':<18}" + "".join(f"{short[d]:>7}" for d in used)]
    for g in used:
        cells = "".join(f"{s.confusion.get((g, p), 0) or '.':>7}" for p in used)
        lines.append(f"{g:<18}{cells}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--mode", choices=MODES, action="append", help="default: both")
    ap.add_argument("--errors", action="store_true", help="list the tuning split's misclassified pmids and evidence")
    ap.add_argument("--show-held-out", action="store_true", help="with --errors, list held-out errors too (audit only)")
    args = ap.parse_args()
    if not args.gold.is_file():
        raise SystemExit(f"no gold file at {args.gold}")
    tracked = set(load_registry().ids)
    with tempfile.TemporaryDirectory(prefix="ivig-tag-eval-") as tmp:
        for mode in args.mode or MODES:
            for scores in evaluate_gold(args.gold, Path(tmp), tracked, mode).values():
                print(format_scores(scores))
                if args.errors and (scores.split == "tune" or args.show_held_out):
                    print("\n".join(f"  {e}" for e in scores.errors) or "  (no errors)")
                print()


if __name__ == "__main__":
    main()
