"""Measure tagging against labelled articles (``../shared/gold/dev.jsonl``), through the real load
path: gold -> PubMed XML -> ``load_xml`` -> DuckDB views. One scoring function, used by
``benchmarks/tagging_eval.py`` and by the floors test, so both report the same numbers.

Rules are tuned on one part of the gold set and judged on the other: ``split_of`` assigns every record
to ``tune`` or ``held-out`` by a hash of its key, fixed for ever, so the held-out figure is measured on
articles no rule was written against. Test floors follow the held-out figure."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ivig_lit.config import Settings
from ivig_lit.hashing import text_hash
from ivig_lit.store.queries import load_query
from ivig_lit.tag.models import DESIGNS

MODES = ("indexed", "text-only")
SPLITS = ("tune", "held-out", "all")
HELD_OUT_SHARE = 3  # one record in three is held out


def split_of(pmid: str) -> str:
    """``held-out`` for about a third of the records, chosen by a hash of the key (never by content)."""
    digest = int(text_hash(pmid), 16)
    return "held-out" if digest % HELD_OUT_SHARE == 0 else "tune"


@dataclass(frozen=True, slots=True)
class Gold:
    pmid: str
    design: str
    conditions: frozenset[str]  # tracked ids only ("other" dropped)
    ivig_focus: bool


@dataclass(frozen=True, slots=True)
class Prediction:
    pmid: str
    design: str
    design_evidence: str
    ivig_focus: bool
    ivig_evidence: str
    conditions: frozenset[str]
    condition_evidence: str = ""


@dataclass
class Scores:
    mode: str
    split: str
    n: int
    per_design: dict[str, tuple[float, float, int]]  # design -> (precision, recall, support)
    design_accuracy: float
    rct_precision: float
    rct_recall: float
    condition_precision: float
    condition_recall: float
    ivig_accuracy: float
    per_condition: dict[str, tuple[float, float, int]] = field(default_factory=dict)  # id -> (P, R, support)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, predicted) -> count
    errors: list[str] = field(default_factory=list)


def read_gold(path: Path, tracked: set[str]) -> list[Gold]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        Gold(
            str(r["pmid"]),
            r["design"],
            frozenset(c for c in r["conditions"] if c in tracked),
            r["ivig_is_intervention"],
        )
        for r in rows
    ]


def gold_to_xml(gold_path: Path, out: Path, *, text_only: bool) -> Path:
    """Run the shared converter (``../shared/tools/gold_to_xml.py``) beside the gold file."""
    tool = gold_path.resolve().parent.parent / "tools" / "gold_to_xml.py"
    args = [sys.executable, str(tool), str(gold_path), str(out)] + (["--text-only"] if text_only else [])
    subprocess.run(args, check=True, capture_output=True, text=True)
    return out


def predict_via_load_xml(xml: Path, workdir: Path, tracked: set[str]) -> dict[str, Prediction]:
    """Load ``xml`` into a fresh warehouse with the pipeline's own ``load_xml`` and read back the
    public views, as a user of the warehouse would."""
    from ivig_lit.ingest import load_xml

    db = workdir / f"{xml.stem}.duckdb"
    db.unlink(missing_ok=True)
    load_xml([xml], Settings(warehouse=db), keep_all=True)  # the tagger is measured on near-misses too
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(load_query("gold_article_tags")).fetchall()
        conds = con.execute(load_query("gold_article_conditions")).fetchall()
    finally:
        con.close()
    by_pmid: dict[str, list[tuple[str, str]]] = {}
    for pmid, cid, evidence in conds:
        if cid in tracked:
            by_pmid.setdefault(str(pmid), []).append((cid, evidence or ""))
    return {
        str(p): Prediction(
            str(p),
            d,
            de or "",
            bool(f),
            fe or "",
            frozenset(c for c, _ in by_pmid.get(str(p), [])),
            "; ".join(f"{c}<-{e}" for c, e in sorted(by_pmid.get(str(p), []))),
        )
        for p, d, de, f, fe in rows
    }


def score(mode: str, gold: list[Gold], predicted: dict[str, Prediction], split: str = "all") -> Scores:
    """Per-design precision/recall, a design confusion table, design accuracy, condition micro and
    per-condition P/R, IVIG-focus accuracy."""
    if split != "all":
        gold = [g for g in gold if split_of(g.pmid) == split]
    missing = Prediction("", "(missing)", "not loaded", False, "not loaded", frozenset())
    pairs = [(g, predicted.get(g.pmid, missing)) for g in gold]
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in pairs:
        if g.design == p.design:
            tp[g.design] += 1
        else:
            fn[g.design] += 1
            fp[p.design] += 1
    per_design = {
        d: (_ratio(tp[d], tp[d] + fp[d]), _ratio(tp[d], tp[d] + fn[d]), tp[d] + fn[d])
        for d in DESIGNS
        if tp[d] + fn[d] + fp[d]
    }
    confusion = Counter((g.design, p.design) for g, p in pairs)
    per_condition = {}
    for cid in sorted({c for g, p in pairs for c in g.conditions | p.conditions}):
        ctp = sum(cid in g.conditions and cid in p.conditions for g, p in pairs)
        cfp = sum(cid in p.conditions and cid not in g.conditions for g, p in pairs)
        cfn = sum(cid in g.conditions and cid not in p.conditions for g, p in pairs)
        per_condition[cid] = (_ratio(ctp, ctp + cfp), _ratio(ctp, ctp + cfn), ctp + cfn)
    c_tp = sum(len(g.conditions & p.conditions) for g, p in pairs)
    c_fp = sum(len(p.conditions - g.conditions) for g, p in pairs)
    c_fn = sum(len(g.conditions - p.conditions) for g, p in pairs)
    errors = []
    for g, p in pairs:
        wrong = []
        if g.design != p.design:
            wrong.append(f"design gold={g.design} got={p.design} [{p.design_evidence}]")
        if g.conditions != p.conditions:
            extra, lost = sorted(p.conditions - g.conditions), sorted(g.conditions - p.conditions)
            wrong.append(f"conditions +{extra} -{lost} [{p.condition_evidence}]")
        if g.ivig_focus != p.ivig_focus:
            wrong.append(f"ivig gold={g.ivig_focus} got={p.ivig_focus} [{p.ivig_evidence}]")
        errors += [f"{g.pmid}: {w}" for w in wrong]
    rct = per_design.get("rct", (0.0, 0.0, 0))
    return Scores(
        mode=mode,
        split=split,
        n=len(pairs),
        per_design=per_design,
        design_accuracy=_ratio(sum(tp.values()), len(pairs)),
        rct_precision=rct[0],
        rct_recall=rct[1],
        condition_precision=_ratio(c_tp, c_tp + c_fp),
        condition_recall=_ratio(c_tp, c_tp + c_fn),
        ivig_accuracy=_ratio(sum(g.ivig_focus == p.ivig_focus for g, p in pairs), len(pairs)),
        per_condition=per_condition,
        confusion=confusion,
        errors=errors,
    )


def evaluate_gold(gold_path: Path, workdir: Path, tracked: set[str], mode: str) -> dict[str, Scores]:
    """The whole measurement for one mode: convert, load, read back, score each split."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    xml = gold_to_xml(gold_path, workdir / f"gold-{mode}.xml", text_only=mode == "text-only")
    gold = read_gold(gold_path, tracked)
    predicted = predict_via_load_xml(xml, workdir, tracked)
    return {split: score(mode, gold, predicted, split) for split in SPLITS}


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0
