"""What records to generate: a ``Spec`` per record version, and the mixed stream of ``iter_specs``
(every condition and design, near-misses, PubMed's awkward cases, revisions, retractions, errata)."""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from ivig_lit.emulator.generate.vocabulary import VERNACULAR
from ivig_lit.tag.models import DESIGNS

PMID_BASE = 90_000_000
FIXED_PMID_BASE = 98_000_000  # historical records the scenario refers to by number
WINDOW_PMID_BASE = 99_000_000  # records created during the replay window
WINDOW_START = dt.date(2026, 10, 19)
WINDOW_END = dt.date(2026, 11, 22)
HISTORY_START = dt.date(1985, 1, 1)
DEMO_SEED = 20261125
DEMO_BACKGROUND = 3400  # off-topic and near-miss records around the scenario's own
DEMO_PATH = Path(str(resources.files("ivig_lit") / "data" / "demo_corpus.xml.gz"))
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NEAR_MISSES = ("plasma_exchange", "eculizumab", "scig", "group_b_strep", "milligram", "no_ivig")


@dataclass(frozen=True, slots=True)
class Spec:
    """Everything that decides one record version; the text follows from (seed, pmid)."""

    pmid: int
    kind: str  # paper, near_miss, off_topic, retraction_notice, erratum_notice, book
    crdt: dt.date
    condition: str | None = None
    design: str = "other"
    direction: str = "inconclusive"
    edat: dt.date | None = None  # None: same as crdt
    pub: dt.date | str | None = None  # a date, a MedlineDate text, or None (= crdt)
    revised: dt.date | None = None  # None: crdt
    status: str = "MEDLINE"  # MEDLINE, In-Process, Publisher
    language: str = "eng"
    flavor: str = ""  # near-miss kind, "markup", "mathml" or "crossover"
    refers_to: tuple[str, int] | None = None  # (RefType, PMID) in CommentsCorrections
    retracted_by: int | None = None


def iter_specs(n_records: int, seed: int, conditions: tuple[str, ...]) -> Iterator[Spec]:
    """``n_records`` mixed records in PMID order, streaming (revisions trail their originals); papers
    go round ``conditions`` (a registry's ids)."""
    next_pmid = PMID_BASE + 1
    span = (WINDOW_END - HISTORY_START).days
    pending: deque[tuple[int, Spec]] = deque()
    emitted = papers = i = 0
    owe_retraction = False  # one RCT in every 400 records gets retracted later
    while emitted < n_records:
        while pending and (pending[0][0] <= i or emitted + len(pending) >= n_records):
            yield pending.popleft()[1]
            emitted += 1
        if emitted >= n_records:
            break
        rng = random.Random(f"{seed}:{next_pmid}")
        crdt = HISTORY_START + dt.timedelta(days=min(span, int(span * i / max(n_records, 1)) + rng.randrange(20)))
        roll = rng.random()
        if roll < 0.55:
            spec = Spec(next_pmid, "off_topic", crdt)
        elif roll < 0.63:
            spec = _near_miss(next_pmid, crdt, rng)
        else:
            spec = _paper(next_pmid, crdt, papers, conditions, rng)
            papers += 1
        next_pmid += 1
        spec = with_special_case(spec, i, rng)
        if spec.status == "In-Process" and spec.kind == "paper" and i % 7 == 0:
            later = crdt + dt.timedelta(days=rng.randrange(10, 60))
            pending.append((i + 30, replace(spec, status="MEDLINE", revised=later)))
        owe_retraction = owe_retraction or i % 400 == 13
        if spec.kind == "paper" and spec.design == "rct" and spec.retracted_by is None and owe_retraction:
            owe_retraction = False
            notice_date = crdt + dt.timedelta(days=rng.randrange(200, 900))
            pending.append((i + 60, replace(spec, retracted_by=next_pmid, revised=notice_date)))
            pending.append((i + 60, notice_spec(next_pmid, notice_date, spec, "RetractionOf")))
            next_pmid += 1
        elif spec.kind == "paper" and i % 89 == 5:
            pending.append((i + 40, notice_spec(next_pmid, crdt + dt.timedelta(days=90), spec, "ErratumFor")))
            next_pmid += 1
        yield spec
        emitted += 1
        i += 1


NEAR_MISS_CONDITION = {"plasma_exchange": "gbs", "eculizumab": "myasthenia_gravis", "scig": "cidp", "no_ivig": "cidp"}


def history_date(rng: random.Random) -> dt.date:
    """A create date before the window, weighted towards recent years as the literature is."""
    span = (WINDOW_START - dt.timedelta(days=1) - HISTORY_START).days
    return HISTORY_START + dt.timedelta(days=int(span * rng.random() ** 0.55))


def _paper(pmid: int, crdt: dt.date, index: int, conditions: tuple[str, ...], rng: random.Random) -> Spec:
    """Round-robin over conditions and designs so any few hundred papers cover them all."""
    condition = conditions[index % len(conditions)]
    design = DESIGNS[(index // len(conditions)) % len(DESIGNS)]
    direction = rng.choice(("positive", "positive", "negative", "inconclusive"))
    return Spec(pmid, "paper", crdt, condition, design, direction)


def _near_miss(pmid: int, crdt: dt.date, rng: random.Random) -> Spec:
    flavor = rng.choice(NEAR_MISSES)
    return Spec(pmid, "near_miss", crdt, NEAR_MISS_CONDITION.get(flavor), "rct", "positive", flavor=flavor)


def notice_spec(pmid: int, crdt: dt.date, target: Spec, ref_type: str) -> Spec:
    kind = "retraction_notice" if ref_type == "RetractionOf" else "erratum_notice"
    return Spec(pmid, kind, crdt, target.condition, target.design, refers_to=(ref_type, target.pmid))


def with_special_case(spec: Spec, i: int, rng: random.Random) -> Spec:
    """Sprinkle PubMed's awkward cases over ordinary records, deterministically by position."""
    if spec.kind not in ("paper", "off_topic") or spec.pmid >= FIXED_PMID_BASE:
        return spec
    minor = spec.kind == "off_topic" or spec.design in ("review", "case_report", "case_series", "cohort", "other")
    if i % 53 == 1:
        return replace(spec, status="In-Process")
    if i % 61 == 2 and minor:
        return replace(spec, status="Publisher")
    if i % 67 == 3 and spec.crdt.year > 1990:
        return replace(spec, pub=rng.choice(("{y} Dec-{y1} Jan", "{y1} Spring", "{y1} Jul-Aug")).format(
            y=spec.crdt.year - 1, y1=spec.crdt.year))  # fmt: skip
    if i % 71 == 4 and spec.kind == "paper":
        return replace(spec, language=tuple(VERNACULAR)[(i // 71) % len(VERNACULAR)])
    if i % 73 == 5 and spec.kind == "paper":
        return replace(spec, flavor="mathml" if i % 2 else "markup")
    if i % 79 == 6 and spec.kind == "paper" and minor:
        return replace(spec, kind="book", design="review")
    if i % 83 == 7 and spec.crdt.year >= 2000:
        published = spec.crdt - dt.timedelta(days=rng.randrange(400, 3000))
        return replace(spec, edat=published, pub=published)
    return spec
