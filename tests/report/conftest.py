"""A warehouse holding one known week (2026-W47, Monday 16 to Sunday 22 November 2026): history
before it, a recorded run before and after, new articles, a retraction and an erratum."""

from __future__ import annotations

import datetime as dt

import pytest

from ivig_lit.report import Digest, build_digest
from ivig_lit.store.status import record_status
from tests.assess.warehouse_builder import WarehouseBuilder, db, registry, wh

__all__ = ["db", "digest", "known_week", "registry", "wh"]

WEEK = "2026-W47"
TODAY = dt.date(2026, 11, 25)
BEFORE, AFTER = dt.datetime(2026, 11, 15, 6), dt.datetime(2026, 11, 20, 6)
HOSTILE_TITLE = "<script>alert(1)</script> IVIG in <i>anti-GM1</i> CIDP & [friends]"
D = dt.date


def populate_known_week(wh: WarehouseBuilder, registry) -> None:
    """Write the week's story; every later assertion refers back to these PMIDs."""
    old = {"entrez_date": D(2020, 3, 1)}
    wh.article("100", "rct", "favours_ivig", ("gbs",), pub_date=D(2019, 5, 1), **old)
    wh.article("101", "rct", "favours_ivig", ("gbs",), pub_date=D(2021, 5, 1), **old)
    wh.article("102", "cohort", None, ("gbs",), pub_date=D(2018, 1, 1), **old)
    wh.article("200", "rct", "favours_ivig", ("myasthenia_gravis",), pub_date=D(2007, 1, 1), **old)
    wh.article("300", "rct", "no_benefit", ("anti_mag",), pub_date=D(2002, 1, 1), **old)
    wh.article("400", "cohort", None, ("inclusion_body_myositis",), pub_date=D(2015, 1, 1), **old)
    wh.article("401", "rct", "favours_ivig", ("dermatomyositis",), pub_date=D(1993, 1, 1), **old)
    record_status(wh.con, registry, "run-before", BEFORE)

    week = {"run_id": "run-week"}
    wh.article(
        "500",
        "rct",
        "favours_ivig",
        ("myasthenia_gravis",),
        title="IVIG versus placebo in myasthenia",
        journal="Neurology",
        entrez_date=D(2026, 11, 18),
        doi="10.1000/mg.500",
        **week,
    )
    wh.article(
        "501",
        "meta_analysis",
        "favours_ivig",
        ("gbs",),
        title="Pooled trials of IVIG in GBS",
        journal="Cochrane Database Syst Rev",
        entrez_date=D(2026, 11, 17),
        **week,
    )
    wh.article(
        "502",
        "case_report",
        None,
        ("cidp",),
        title=HOSTILE_TITLE,
        journal="BMJ Case Rep",
        entrez_date=D(2026, 11, 19),
        **week,
    )
    wh.article("503", "cohort", None, ("gbs",), title="A GBS cohort", entrez_date=D(2026, 11, 16), **week)
    wh.article(
        "504",
        "review",
        None,
        ("gbs",),
        title="Mentions IVIG only",
        entrez_date=D(2026, 11, 16),
        ivig_focus=False,
        **week,
    )
    wh.article(
        "505", "rct", "favours_ivig", ("gbs",), title="Entered the week after", entrez_date=D(2026, 11, 23), **week
    )
    wh.article(
        "600",
        "other",
        None,
        ("anti_mag",),
        title="Retraction: anti-MAG trial",
        retraction_notice=True,
        entrez_date=D(2026, 11, 19),
        corrects=("RetractionOf", "300"),
        **week,
    )
    wh.article(
        "601",
        "other",
        None,
        (),
        title="Erratum: GBS trial",
        erratum_notice=True,
        entrez_date=D(2026, 11, 20),
        corrects=("ErratumFor", "101"),
        **week,
    )
    wh.retract("300", at=dt.datetime(2026, 11, 19, 4))
    record_status(wh.con, registry, "run-week", AFTER)  # fmt: skip


@pytest.fixture
def known_week(wh, registry):
    populate_known_week(wh, registry)
    return wh.con


@pytest.fixture
def digest(known_week, registry) -> Digest:
    return build_digest(known_week, registry, WEEK, TODAY)
