"""Tagging accuracy on articles the rules were not written against must not regress: the held-out
split of the labelled dev set (``split_of``), measured as ``benchmarks/tagging_eval.py`` does
(gold -> XML -> load_xml -> views). Floors sit a little below the held-out figures; the fit on the
tuning split is reported by the benchmark, never used as a floor. Skips when ../shared/gold is absent."""

from __future__ import annotations

import pytest

from ivig_lit.tag.evaluate import evaluate_gold

# mode -> floor per metric, held-out split (38 of 141 records). Held-out figures at tagger 2026.12.2
# and unchanged in design at 2026.12.5:
# indexed design 0.974, text-only 0.921; RCT P/R 1.000/1.000; condition P/R 1.000/1.000 (0.947 at
# 2026.12.1); IVIG focus 0.974 (both modes). One record is 0.026 here: floors allow at most one more
# held-out error.
FLOORS = {
    "indexed": {
        "design_accuracy": 0.94,
        "rct_recall": 0.95,
        "rct_precision": 0.95,
        "condition_precision": 0.97,
        "condition_recall": 0.97,
        "ivig_accuracy": 0.95,
    },
    "text-only": {
        "design_accuracy": 0.89,
        "rct_recall": 0.95,
        "rct_precision": 0.95,
        "condition_precision": 0.97,
        "condition_recall": 0.97,
        "ivig_accuracy": 0.95,
    },
}


@pytest.mark.parametrize("mode", list(FLOORS))
def test_held_out_tagging_accuracy_stays_above_floors(gold_dev, registry, tmp_path, mode):
    scores = evaluate_gold(gold_dev, tmp_path, set(registry.ids), mode)["held-out"]
    below = {
        metric: round(getattr(scores, metric), 3)
        for metric, floor in FLOORS[mode].items()
        if getattr(scores, metric) < floor
    }
    # Held-out errors are never printed: reading them would turn the held-out split into a tuning set.
    assert not below, f"{mode}: below floor {below}"
