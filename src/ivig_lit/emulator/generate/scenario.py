"""The demo scenario: history consistent with each condition's baseline up to 2026-10-18, then the
replay window 2026-10-19..2026-11-22 (ISO weeks W43-W47) whose key events are :data:`SCENARIO_EVENTS`."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ivig_lit.emulator.generate.specs import (
    DEMO_BACKGROUND,
    FIXED_PMID_BASE,
    NEAR_MISS_CONDITION,
    NEAR_MISSES,
    PMID_BASE,
    WINDOW_END,
    WINDOW_PMID_BASE,
    WINDOW_START,
    Spec,
    history_date,
    notice_spec,
    with_special_case,
)
from ivig_lit.registry import load_registry


@dataclass(frozen=True, slots=True)
class ScenarioEvent:
    """One thing that happens on a replay day (what the demo narrates and tests assert)."""

    date: dt.date
    pmid: str
    condition: str
    kind: str  # new_record, revision, retraction, retraction_notice, erratum_notice
    design: str | None
    description: str


SCENARIO_EVENTS: tuple[ScenarioEvent, ...] = (
    ScenarioEvent(dt.date(2026, 10, 21), "99000103", "vasculitic_neuropathy", "new_record", "rct",
                  "First RCT of IVIG in vasculitic neuropathy (positive) appears In-Process: text only, no MeSH, "
                  "publication type 'Journal Article' only."),
    ScenarioEvent(dt.date(2026, 10, 23), "99000107", "gbs", "new_record", "cohort",
                  "A Guillain-Barre cohort added late: created 2026-10-23, Entrez date reset to its 2018 publication."),
    ScenarioEvent(dt.date(2026, 10, 28), "99000101", "diabetic_amyotrophy", "new_record", "rct",
                  "First RCT of IVIG in diabetic amyotrophy (positive)."),
    ScenarioEvent(dt.date(2026, 10, 31), "99000103", "vasculitic_neuropathy", "revision", "rct",
                  "Indexing arrives for the vasculitic-neuropathy RCT: MeSH and 'Randomized Controlled Trial'."),
    ScenarioEvent(dt.date(2026, 11, 4), "98000001", "sjogren", "retraction", "rct",
                  "The 2019 positive Sjogren RCT is retracted: its revision adds RetractionIn and "
                  "'Retracted Publication'."),
    ScenarioEvent(dt.date(2026, 11, 4), "99000104", "sjogren", "retraction_notice", None,
                  "Retraction notice for PMID 98000001."),
    ScenarioEvent(dt.date(2026, 11, 11), "99000102", "diabetic_amyotrophy", "new_record", "meta_analysis",
                  "Positive meta-analysis of IVIG in diabetic amyotrophy."),
    ScenarioEvent(dt.date(2026, 11, 17), "99000105", "anti_mag", "new_record", "rct",
                  "Another negative RCT of IVIG in anti-MAG neuropathy."),
    ScenarioEvent(dt.date(2026, 11, 19), "99000106", "cidp", "erratum_notice", None,
                  "Erratum notice for the CIDP RCT PMID 98000002."),
)  # fmt: skip

# Historical literature per baseline grade: (design, direction, how many).
_BASELINE_PAPERS = {
    "established_efficacy": [
        ("rct", "positive", 3), ("meta_analysis", "positive", 1), ("systematic_review", "positive", 1),
        ("controlled_trial", "positive", 1), ("single_arm_trial", "positive", 1), ("guideline", "positive", 1),
        ("review", "positive", 2), ("cohort", "positive", 3), ("case_series", "positive", 2),
        ("case_report", "positive", 3), ("preclinical", "positive", 1), ("other", "inconclusive", 1),
    ],
    "single_rct_support": [
        ("rct", "positive", 1), ("cohort", "positive", 2), ("case_series", "positive", 2),
        ("case_report", "positive", 3), ("review", "inconclusive", 1),
    ],
    "no_benefit": [
        ("rct", "negative", 2), ("controlled_trial", "negative", 1), ("systematic_review", "negative", 1),
        ("cohort", "inconclusive", 1), ("case_report", "positive", 2), ("review", "negative", 1),
    ],
    "observational_only": [
        ("cohort", "positive", 2), ("case_series", "positive", 2), ("case_report", "positive", 4),
        ("case_control", "inconclusive", 1), ("review", "inconclusive", 1),
    ],
}  # fmt: skip


def iter_scenario_specs(seed: int, n_background: int | None = None) -> Iterator[Spec]:
    """The demo: baseline-consistent history, background noise, then the replay window's records."""
    rng = random.Random(f"{seed}:scenario")
    history: list[Spec] = []
    registry = load_registry()
    for condition in registry.conditions:
        for design, direction, count in _BASELINE_PAPERS[condition.baseline.grade]:
            for _ in range(count):
                flavor = "crossover" if condition.id == "stiff_person" and design == "rct" else ""
                history.append(Spec(0, "paper", history_date(rng), condition.id, design, direction, flavor=flavor))
    history += [
        Spec(0, "near_miss", history_date(rng), NEAR_MISS_CONDITION.get(f), flavor=f)
        for f in NEAR_MISSES
        for _ in range(4)
    ]
    history += [Spec(0, "off_topic", history_date(rng)) for _ in range(n_background or DEMO_BACKGROUND)]
    history.sort(key=lambda s: (s.crdt, s.kind, s.condition or "", s.design))
    history = [replace(s, pmid=PMID_BASE + n) for n, s in enumerate(history, 1)]
    positions: Counter[str] = Counter()  # specials cycle within each kind, so papers get their share
    specials = []
    for spec in history:
        specials.append(with_special_case(spec, positions[spec.kind], random.Random(f"{seed}:{spec.pmid}")))
        positions[spec.kind] += 1
    history = specials
    sjogren_rct = Spec(FIXED_PMID_BASE + 1, "paper", dt.date(2019, 3, 12), "sjogren", "rct", "positive",
                       revised=dt.date(2019, 9, 2))  # fmt: skip
    cidp_rct = Spec(FIXED_PMID_BASE + 2, "paper", dt.date(2024, 5, 6), "cidp", "rct", "positive",
                    revised=dt.date(2024, 8, 1))  # fmt: skip
    revisions = [
        replace(s, status="MEDLINE", revised=min(s.crdt + dt.timedelta(days=30), WINDOW_START - dt.timedelta(days=1)))
        for s in history
        if s.status == "In-Process" and s.kind == "paper" and s.crdt < WINDOW_START - dt.timedelta(days=40)
    ]
    yield from sorted([*history, sjogren_rct, cidp_rct], key=lambda s: (s.crdt, s.pmid))
    yield from revisions
    window = _window_specs(seed, sjogren_rct, cidp_rct)
    yield from sorted(window, key=lambda s: (s.revised or s.crdt, s.pmid))


def _window_specs(seed: int, sjogren_rct: Spec, cidp_rct: Spec) -> list[Spec]:
    """The scripted events plus a handful of routine records per replay day."""
    ev = {(e.pmid, e.kind): e for e in SCENARIO_EVENTS}
    vasc = Spec(99000103, "paper", ev["99000103", "new_record"].date, "vasculitic_neuropathy", "rct", "positive",
                status="In-Process", pub=dt.date(2026, 10, 20))  # fmt: skip
    specs = [
        vasc,
        replace(vasc, status="MEDLINE", revised=ev["99000103", "revision"].date),
        Spec(99000107, "paper", ev["99000107", "new_record"].date, "gbs", "cohort", "positive",
             edat=dt.date(2018, 5, 14), pub=dt.date(2018, 5, 14)),
        Spec(99000101, "paper", ev["99000101", "new_record"].date, "diabetic_amyotrophy", "rct", "positive"),
        replace(sjogren_rct, retracted_by=99000104, revised=ev["98000001", "retraction"].date),
        notice_spec(99000104, ev["99000104", "retraction_notice"].date, sjogren_rct, "RetractionOf"),
        Spec(99000102, "paper", ev["99000102", "new_record"].date, "diabetic_amyotrophy", "meta_analysis", "positive"),
        Spec(99000105, "paper", ev["99000105", "new_record"].date, "anti_mag", "rct", "negative"),
        notice_spec(99000106, ev["99000106", "erratum_notice"].date, cidp_rct, "ErratumFor"),
    ]  # fmt: skip
    rng = random.Random(f"{seed}:window")
    routine = ("case_report", "case_report", "cohort", "review", "case_series")
    conditions = [c for c in load_registry().ids if c not in ("diabetic_amyotrophy", "vasculitic_neuropathy")]
    pmid = WINDOW_PMID_BASE + 200
    day = WINDOW_START
    while day <= WINDOW_END:
        for _ in range(rng.choice((0, 1, 1, 2))):
            specs.append(Spec(pmid, "paper", day, rng.choice(conditions), rng.choice(routine),
                              rng.choice(("positive", "positive", "inconclusive"))))  # fmt: skip
            pmid += 1
        for _ in range(rng.randrange(3, 7)):
            specs.append(Spec(pmid, "off_topic", day))
            pmid += 1
        day += dt.timedelta(days=1)
    return specs
