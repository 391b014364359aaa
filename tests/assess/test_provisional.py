"""A status change that rests on tags needing review is provisional until indexing or a curator
confirms them (v_status_change.provisional)."""

from __future__ import annotations

import datetime as dt

from ivig_lit.store.curation import Curation, store_curations
from ivig_lit.store.status import record_status
from tests.assess.warehouse_builder import AS_OF
from tests.cases.tags import update_tags

DAY1, DAY2 = AS_OF, AS_OF + dt.timedelta(days=1)


def gbs_changes(db):
    return db.execute(
        "SELECT new_status, provisional, review_pmids FROM v_status_change WHERE condition_id = 'gbs' "
        "AND old_status IS NOT NULL"
    ).fetchall()


def a_change_resting_on_an_unconfirmed_rct(wh, db, registry):
    wh.article("1", "cohort")
    record_status(db, registry, "run-1", DAY1)
    wh.article("2", "rct", "favours_ivig", run_id="run-2")
    update_tags(db, "review_reasons = 'randomisation only in the text'", "pmid = '2'")
    record_status(db, registry, "run-2", DAY2)


def test_a_change_resting_on_a_tag_that_needs_review_is_provisional(wh, db, registry):
    a_change_resting_on_an_unconfirmed_rct(wh, db, registry)
    assert gbs_changes(db) == [("single_rct_support", True, ["2"])]


def test_indexing_that_confirms_the_tag_clears_provisional(wh, db, registry):
    a_change_resting_on_an_unconfirmed_rct(wh, db, registry)
    wh.retag("2", design="rct", run_id="run-3")  # publication types arrived and agree: no review reasons
    assert gbs_changes(db) == [("single_rct_support", False, [])]


def test_a_curator_confirmation_clears_provisional(wh, db, registry):
    a_change_resting_on_an_unconfirmed_rct(wh, db, registry)
    store_curations(db, [Curation("2", "ana", confirm=True)], "run-3", DAY2)
    assert gbs_changes(db) == [("single_rct_support", False, [])]


def test_a_change_resting_on_confirmed_tags_is_not_provisional(wh, db, registry):
    wh.article("1", "cohort")
    record_status(db, registry, "run-1", DAY1)
    wh.article("2", "rct", "favours_ivig", run_id="run-2")
    record_status(db, registry, "run-2", DAY2)
    assert gbs_changes(db) == [("single_rct_support", False, [])]
