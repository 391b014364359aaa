"""Snapshots, change records and notable additions: one test per kind of change."""

from __future__ import annotations

import datetime as dt

import pytest

from ivig_lit.assess import status
from ivig_lit.assess.status import RULES, Rule
from ivig_lit.store.status import record_status
from tests.assess.warehouse_builder import AS_OF

DAY1, DAY2 = AS_OF, AS_OF + dt.timedelta(days=1)


def gbs_change(changes):
    return next(c for c in changes if c.condition_id == "gbs")


def test_first_snapshot_records_an_initial_change_for_every_condition_and_group(db, registry):
    changes = record_status(db, registry, "run-1", DAY1)
    assert len(changes) == len(registry.ids) + len(registry.groups)
    assert {(c.old_status, c.reason) for c in changes} == {(None, "initial")}


def test_unchanged_status_records_a_snapshot_but_no_change(wh, db, registry):
    wh.article("1", "cohort")
    record_status(db, registry, "run-1", DAY1)
    assert record_status(db, registry, "run-2", DAY2) == []
    n = db.execute("SELECT count(*) FROM condition_status_snapshots WHERE run_id = 'run-2'").fetchone()[0]
    assert n == len(registry.ids) + len(registry.groups)


def test_new_trial_changes_status_with_reason_new_trial(wh, db, registry):
    wh.article("1", "cohort")
    record_status(db, registry, "run-1", DAY1)
    wh.article("2", "rct", "favours_ivig", run_id="run-2")
    change = gbs_change(record_status(db, registry, "run-2", DAY2))
    assert (change.old_status, change.new_status, change.rule_id) == (
        "observational_only", "single_rct_support", "single_positive_rct")  # fmt: skip
    assert (change.reason, change.pmids, change.changed_at) == ("new_trial", ("2",), DAY2)


def test_retag_after_indexing_changes_status_with_reason_retag(wh, db, registry):
    wh.article("1", "other")
    record_status(db, registry, "run-1", DAY1)
    wh.retag("1", design="rct", direction="favours_ivig")
    change = gbs_change(record_status(db, registry, "run-2", DAY2))
    assert (change.new_status, change.reason, change.pmids) == ("single_rct_support", "retag", ("1",))


def test_direction_retag_of_a_counted_trial_is_a_retag(wh, db, registry):
    wh.article("1", "rct", "favours_ivig")
    record_status(db, registry, "run-1", DAY1)
    wh.retag("1", direction="no_benefit")
    change = gbs_change(record_status(db, registry, "run-2", DAY2))
    assert (change.old_status, change.new_status, change.reason) == ("single_rct_support", "no_benefit", "retag")
    assert change.detail["1"]["before"][:2] == ["rct", "favours_ivig"]


def test_retraction_changes_status_with_reason_retraction(wh, db, registry):
    wh.article("1", "rct", "favours_ivig")
    wh.article("2", "rct", "favours_ivig")
    record_status(db, registry, "run-1", DAY1)
    wh.retract("2")
    change = gbs_change(record_status(db, registry, "run-2", DAY2))
    assert (change.old_status, change.new_status) == ("established_efficacy", "single_rct_support")
    assert (change.reason, change.pmids) == ("retraction", ("2",))


def test_tagger_upgrade_changes_status_with_reason_tagger_upgrade(wh, db, registry):
    wh.article("1", "rct", "unknown")
    record_status(db, registry, "run-1", DAY1)
    wh.retag("1", direction="favours_ivig", tagger_version="tagger-2")
    change = gbs_change(record_status(db, registry, "run-2", DAY2))
    assert (change.new_status, change.reason) == ("single_rct_support", "tagger_upgrade")


def test_rule_upgrade_changes_status_with_reason_rule_upgrade(wh, db, registry, monkeypatch):
    wh.article("1", "rct", "favours_ivig")
    wh.article("2", "rct", "favours_ivig")
    strict = tuple(r for r in RULES if r.id != "several_positive_rcts")
    monkeypatch.setattr(status, "RULES", strict)
    monkeypatch.setattr(status, "RULES_VERSION", "old")
    record_status(db, registry, "run-1", DAY1)
    monkeypatch.undo()
    change = gbs_change(record_status(db, registry, "run-2", DAY2))
    assert (change.old_status, change.new_status) == ("observational_only", "established_efficacy")
    assert (change.reason, change.rule_id, sorted(change.pmids)) == (
        "rule_upgrade",
        "several_positive_rcts",
        ["1", "2"],
    )


def test_rule_version_bump_that_changes_nothing_records_no_change(wh, db, registry, monkeypatch):
    wh.article("1", "rct", "favours_ivig")
    monkeypatch.setattr(status, "RULES_VERSION", "old")
    record_status(db, registry, "run-1", DAY1)
    monkeypatch.undo()
    assert record_status(db, registry, "run-2", DAY2) == []


def test_new_rct_that_leaves_status_unchanged_is_a_notable_addition(wh, db, registry):
    wh.article("1", "rct", "favours_ivig")
    wh.article("2", "rct", "favours_ivig")
    record_status(db, registry, "run-1", DAY1)
    wh.article("3", "meta_analysis", "favours_ivig", run_id="run-2")
    wh.article("4", "cohort", run_id="run-2")
    assert record_status(db, registry, "run-2", DAY2) == []
    rows = db.execute("SELECT condition_id, pmid, design, status, reason FROM notable_additions").fetchall()
    assert rows == [("gbs", "3", "meta_analysis", "established_efficacy", "new_trial")]


def test_recording_the_same_run_twice_leaves_one_set_of_rows(wh, db, registry):
    wh.article("1", "cohort")
    record_status(db, registry, "run-1", DAY1)
    wh.article("2", "rct", "favours_ivig", run_id="run-2")
    first = record_status(db, registry, "run-2", DAY2)
    second = record_status(db, registry, "run-2", DAY2)
    counts = [db.execute(f"SELECT count(*) FROM {t} WHERE run_id = 'run-2'").fetchone()[0]
              for t in ("condition_status_snapshots", "status_changes")]  # fmt: skip
    assert (first, counts) == (second, [len(registry.ids) + len(registry.groups), 1])


def test_record_status_does_not_commit(wh, db, registry):
    db.begin()
    record_status(db, registry, "run-1", DAY1)
    db.rollback()
    assert db.execute("SELECT count(*) FROM condition_status_snapshots").fetchone()[0] == 0


def test_unknown_reason_hint_is_refused(db, registry):
    with pytest.raises(ValueError, match="reason_hint"):
        record_status(db, registry, "run-1", DAY1, reason_hint="because")


def test_v_condition_status_shows_the_latest_snapshot_beside_the_baseline(wh, db, registry):
    record_status(db, registry, "run-1", DAY1)
    wh.article("1", "rct", "favours_ivig", conditions=("sjogren",), title="A trial")
    wh.article("2", "cohort", conditions=("sjogren",))
    record_status(db, registry, "run-2", DAY2)
    row = db.execute(
        "SELECT status, n_rct, n_cohort, n_rct_favours_ivig, latest_rct_pmid, latest_rct_title, baseline_grade,"
        " differs_from_baseline, as_of FROM v_condition_status WHERE condition_id = 'sjogren'"
    ).fetchone()
    assert row == ("single_rct_support", 1, 1, 1, "1", "A trial", "no_evidence", True, DAY2)


def test_v_status_change_lists_old_and_new_status_with_reason_and_pmids(wh, db, registry):
    record_status(db, registry, "run-1", DAY1)
    wh.article("1", "case_report", run_id="run-2")
    record_status(db, registry, "run-2", DAY2)
    rows = db.execute(
        "SELECT changed_at, old_status, new_status, reason, pmids FROM v_status_change"
        " WHERE condition_id = 'gbs' ORDER BY changed_at"
    ).fetchall()
    assert rows == [(DAY1, None, "no_evidence", "initial", []),
                    (DAY2, "no_evidence", "case_reports_only", "new_article", ["1"])]  # fmt: skip


def test_rules_are_named_and_described_for_the_readme():
    assert all(isinstance(r, Rule) and r.id and r.description.endswith(".") for r in RULES)
    assert len({r.id for r in RULES}) == len(RULES)


def test_v_condition_status_lists_a_groups_member_statuses(wh, db, registry):
    wh.article("1", "rct", "favours_ivig", conditions=("dermatomyositis",))
    record_status(db, registry, "run-1", DAY1)
    row = db.execute("SELECT member_statuses FROM v_condition_status WHERE condition_id = 'inflammatory_myopathy'")
    assert row.fetchone()[0] == ["dermatomyositis: single_rct_support", "inclusion_body_myositis: no_evidence",
                                 "necrotizing_myopathy: no_evidence", "polymyositis: no_evidence"]  # fmt: skip
