"""Evidence status over the labelled dev set vs each condition's consensus grade (registry baseline).

usage: python benchmarks/status_eval.py [GOLD_JSONL] [--text-only]

Loads ../shared/gold/dev.jsonl through gold_to_xml and the real ``load_xml`` into a scratch
warehouse, computes status, and prints each tracked condition's status beside its baseline grade,
the rule that fired and the trials and meta-analyses it read. Groups print their members' statuses.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ivig_lit.assess.evaluate import status_on_gold
from ivig_lit.assess.status import SYNTHESIS_DESIGNS, TRIAL_DESIGNS
from ivig_lit.registry import load_registry

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--text-only", action="store_true", help="records as on the night they appear (no MeSH/PT)")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"gold file not found: {args.gold}", file=sys.stderr)
        return 2
    registry = load_registry()
    with tempfile.TemporaryDirectory() as tmp:
        statuses = status_on_gold(args.gold, Path(tmp), registry, text_only=args.text_only)
    conditions = [s for s in statuses if not s.is_group]
    matches = [s for s in conditions if not s.differs_from_baseline]
    print(f"{'condition':<25} {'status now':<22} {'consensus':<22} {'':<5} rule")
    for s in statuses:
        grade = s.baseline.grade if s.baseline else "(group)"
        mark = "" if s.is_group else "ok" if not s.differs_from_baseline else "DIFF"
        print(f"{s.condition_id:<25} {s.status:<22} {grade:<22} {mark:<5} {s.rule_id}")
        for i in s.evidence.of(TRIAL_DESIGNS | SYNTHESIS_DESIGNS):
            pooled = f" pools {i.pooled_rcts} RCTs" if i.pooled_rcts is not None else ""
            print(f"{'':<27}{i.pmid:>9} {i.design:<17} {i.direction or '-':<13}{pooled}")
        for member, status in s.member_statuses:
            print(f"{'':<27}member {member}: {status}")
    print(f"\n{len(matches)}/{len(conditions)} conditions match their consensus grade: "
          f"{', '.join(s.condition_id for s in matches)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
