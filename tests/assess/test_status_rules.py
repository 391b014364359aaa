"""Every status rule, on evidence built in memory, then status_as_of against a real warehouse."""

from __future__ import annotations

import datetime as dt

import pytest

from ivig_lit.assess import RULES
from ivig_lit.assess.status import EvidenceItem, apply_rules, make_evidence
from ivig_lit.registry import STATUS_IDS, Baseline, load_registry
from ivig_lit.store.status import status_as_of
from tests.assess.warehouse_builder import AS_OF, WarehouseBuilder, open_warehouse

D = dt.date


def items(*specs: str) -> list[EvidenceItem]:
    """'rct+' positive RCT, 'rct-' negative, 'rct~' inconclusive, 'rct?' unknown; 'ma+' a meta-analysis;
    a trailing '@2020' dates it, '#3' says a meta-analysis pooled 3 RCTs; other words are designs
    without a direction."""
    out = []
    for n, spec in enumerate(specs):
        spec, _, year = spec.partition("@")
        spec, _, pooled = spec.partition("#")
        sign = spec[-1] if spec[-1] in "+-~?" else ""
        design = {"ma": "meta_analysis", "sr": "systematic_review"}.get(spec.rstrip("+-~?"), spec.rstrip("+-~?"))
        direction = {"+": "favours_ivig", "-": "no_benefit", "~": "inconclusive", "?": "unknown", "": None}[sign]
        when = D(int(year or 2000 + n), 1, 1)
        out.append(EvidenceItem(str(100 + n), design, direction, when, pooled_rcts=int(pooled) if pooled else None))
    return out


RULE_CASES = [
    ("synthesis_no_benefit", "no_benefit", ["rct+", "rct+", "ma-@2020"]),
    ("synthesis_no_benefit", "no_benefit", ["sr+@2020", "ma-#3@2010"]),
    ("synthesis_positive", "established_efficacy", ["rct-", "ma+#4@2020"]),
    ("synthesis_positive", "established_efficacy", ["ma-#2@2010", "ma~@2022", "ma+#5@2021"]),
    ("several_positive_rcts", "established_efficacy", ["rct+", "rct+"]),
    ("several_positive_rcts", "established_efficacy", ["rct+", "rct+", "rct~", "ma+#1@2020"]),
    ("mixed_rcts", "mixed", ["rct+", "rct-"]),
    ("mixed_rcts", "mixed", ["rct+", "rct+", "rct+", "rct-"]),
    ("mixed_rcts", "mixed", ["rct+", "rct+", "rct-", "rct-"]),
    ("negative_rcts", "no_benefit", ["rct-", "rct-", "rct~", "cohort"]),
    ("single_negative_rct", "no_benefit", ["rct-", "rct~", "cohort"]),
    ("single_positive_rct", "single_rct_support", ["rct+", "rct~", "case_report"]),
    ("single_positive_rct", "single_rct_support", ["rct+", "ma+@2021"]),  # a meta-analysis of that one trial
    ("single_positive_rct", "single_rct_support", ["rct+", "ma+#1@2021"]),
    ("inconclusive_trials", "mixed", ["rct~", "cohort"]),
    ("inconclusive_trials", "mixed", ["ma~"]),
    ("observational", "observational_only", ["cohort", "case_report"]),
    ("observational", "observational_only", ["single_arm_trial"]),
    ("observational", "observational_only", ["rct?"]),
    ("observational", "observational_only", ["sr+", "cohort"]),  # a review that pools nothing decides nothing
    ("case_reports", "case_reports_only", ["case_report", "case_series"]),
    ("nothing", "no_evidence", []),
    ("nothing", "no_evidence", ["review", "guideline", "other"]),
]


@pytest.mark.parametrize(("rule_id", "status", "specs"), RULE_CASES, ids=[f"{c[0]}-{i}" for i, c in
                                                                          enumerate(RULE_CASES)])  # fmt: skip
def test_rule_fires_on_its_evidence(rule_id, status, specs):
    rule, _ = apply_rules(make_evidence(items(*specs)))
    assert (rule.id, rule.status) == (rule_id, status)


def test_every_rule_has_a_test_case():
    assert {r.id for r in RULES} == {c[0] for c in RULE_CASES}


def test_every_status_is_reachable_by_some_rule():
    assert {r.status for r in RULES} == set(STATUS_IDS)


def test_rule_names_the_pmids_it_counted():
    rule, pmids = apply_rules(make_evidence(items("rct+", "rct-", "cohort")))
    assert (rule.id, sorted(pmids)) == ("mixed_rcts", ["100", "101"])


def test_latest_synthesis_with_a_verdict_is_the_one_that_counts():
    _, pmids = apply_rules(make_evidence(items("ma-#2@2010", "ma+#3@2021", "ma~#4@2023")))
    assert pmids == ("101",)


def test_status_counts_only_ivig_focused_research_articles(wh, db, registry):
    wh.article("1", "rct", "favours_ivig")
    wh.article("2", "rct", "favours_ivig", retracted=True)
    wh.article("3", "rct", "favours_ivig", ivig_focus=False)
    wh.article("4", "other", retraction_notice=True)
    wh.article("5", "other", erratum_notice=True)
    gbs = next(s for s in status_as_of(db, registry, AS_OF) if s.condition_id == "gbs")
    assert (gbs.status, gbs.contributing_pmids, dict(gbs.design_counts)) == ("single_rct_support", ("1",), {"rct": 1})


def test_articles_entered_after_as_of_are_not_counted(wh, db, registry):
    wh.article("1", "rct", "favours_ivig", entrez_date=D(2026, 12, 1))
    gbs = next(s for s in status_as_of(db, registry, AS_OF) if s.condition_id == "gbs")
    assert gbs.status == "no_evidence"


def test_status_reports_counts_by_design_and_direction(wh, db, registry):
    wh.article("1", "rct", "favours_ivig")
    wh.article("2", "rct", "no_benefit")
    wh.article("3", "cohort")
    wh.article("4", "cohort")
    gbs = next(s for s in status_as_of(db, registry, AS_OF) if s.condition_id == "gbs")
    assert dict(gbs.design_counts) == {"cohort": 2, "rct": 2}
    assert gbs.direction_counts == {"rct": {"favours_ivig": 1, "no_benefit": 1}}


def test_status_reports_the_latest_rct_and_meta_analysis(wh, db, registry):
    wh.article("1", "rct", "favours_ivig", pub_date=D(2019, 1, 1))
    wh.article("2", "rct", "favours_ivig", pub_date=D(2024, 3, 1), title="Newest trial")
    wh.article("3", "meta_analysis", "favours_ivig", pub_date=D(2021, 1, 1))
    gbs = next(s for s in status_as_of(db, registry, AS_OF) if s.condition_id == "gbs")
    assert (gbs.latest_rct.pmid, gbs.latest_rct.title, gbs.latest_rct.date) == ("2", "Newest trial", D(2024, 3, 1))
    assert gbs.latest_meta_analysis.pmid == "3"


def test_status_shows_when_the_warehouse_disagrees_with_the_baseline(wh, db, registry):
    wh.article("1", "rct", "favours_ivig", conditions=("sjogren",))
    sjogren = next(s for s in status_as_of(db, registry, AS_OF) if s.condition_id == "sjogren")
    assert (sjogren.baseline.grade, sjogren.status, sjogren.differs_from_baseline) == (
        "no_evidence", "single_rct_support", True)  # fmt: skip


CONSENSUS_CASES = [
    # baseline grade, evidence, rule that decides, status
    ("observational_only", ["rct+"], "consensus_holds", "observational_only"),  # one trial is not a class
    ("observational_only", ["rct-"], "consensus_holds", "observational_only"),
    ("observational_only", ["rct+", "rct-"], "consensus_holds", "observational_only"),  # trials disagree
    ("observational_only", ["case_report"], "consensus_holds", "observational_only"),  # less than it read
    ("observational_only", [], "consensus_holds", "observational_only"),
    ("no_benefit", ["rct~", "cohort"], "consensus_holds", "no_benefit"),
    ("established_efficacy", ["cohort"], "consensus_holds", "established_efficacy"),  # trials predate the window
    ("observational_only", ["rct+", "rct+"], "several_positive_rcts", "established_efficacy"),
    ("observational_only", ["rct+", "ma+#3@2020"], "synthesis_positive", "established_efficacy"),
    ("established_efficacy", ["rct-", "rct-"], "negative_rcts", "no_benefit"),
    ("single_rct_support", ["rct+"], "single_positive_rct", "single_rct_support"),  # agrees: names its trial
    ("observational_only", ["cohort"], "observational", "observational_only"),
    ("no_evidence", ["rct+"], "single_positive_rct", "single_rct_support"),  # nothing to hold: evidence fills in
    ("case_reports_only", ["cohort"], "observational", "observational_only"),
]


@pytest.mark.parametrize(("grade", "specs", "rule_id", "status"), CONSENSUS_CASES)
def test_a_consensus_class_yields_only_to_decisive_evidence(grade, specs, rule_id, status):
    rule, pmids = apply_rules(make_evidence(items(*specs)), Baseline("consensus", grade))
    assert (rule.id, rule.status) == (rule_id, status)
    assert (pmids == ()) == (rule_id == "consensus_holds")


def test_the_bundled_consensus_holds_against_a_single_new_trial(tmp_path):
    registry = load_registry()
    con = open_warehouse(tmp_path / "w.duckdb", registry)
    WarehouseBuilder(con).article("1", "rct", "favours_ivig", conditions=("vasculitic_neuropathy",))
    status = next(s for s in status_as_of(con, registry, AS_OF) if s.condition_id == "vasculitic_neuropathy")
    con.close()
    assert (status.status, status.rule_id, status.differs_from_baseline) == (
        "observational_only", "consensus_holds", False)  # fmt: skip


def test_group_status_reads_articles_about_the_group_and_lists_its_members(wh, db, registry):
    wh.article("1", "rct", "favours_ivig", conditions=("dermatomyositis", "inflammatory_myopathy"))
    wh.article("2", "rct", "favours_ivig", conditions=("polymyositis", "dermatomyositis", "inflammatory_myopathy"))
    wh.article("3", "rct", "favours_ivig", conditions=("inflammatory_myopathy",))
    statuses = {s.condition_id: s for s in status_as_of(db, registry, AS_OF)}
    group = statuses["inflammatory_myopathy"]
    assert (group.status, group.is_group, group.baseline) == ("established_efficacy", True, None)
    assert group.members == ("dermatomyositis", "polymyositis", "inclusion_body_myositis", "necrotizing_myopathy")
    assert (sorted(group.contributing_pmids), statuses["polymyositis"].status) == (["2", "3"], "single_rct_support")
    assert dict(group.member_statuses) == {
        "dermatomyositis": "established_efficacy", "polymyositis": "single_rct_support",
        "inclusion_body_myositis": "no_evidence", "necrotizing_myopathy": "no_evidence"}  # fmt: skip


def test_a_group_never_pools_one_members_positive_trials_with_anothers_negative_ones(wh, db, registry):
    wh.article("1", "rct", "favours_ivig", conditions=("dermatomyositis", "inflammatory_myopathy"))
    wh.article("2", "rct", "favours_ivig", conditions=("dermatomyositis", "inflammatory_myopathy"))
    wh.article("3", "rct", "no_benefit", conditions=("inclusion_body_myositis", "inflammatory_myopathy"))
    statuses = {s.condition_id: s for s in status_as_of(db, registry, AS_OF)}
    assert statuses["inflammatory_myopathy"].status != "mixed"
    assert dict(statuses["inflammatory_myopathy"].member_statuses) == {
        "dermatomyositis": "established_efficacy", "polymyositis": "no_evidence",
        "inclusion_body_myositis": "no_benefit", "necrotizing_myopathy": "no_evidence"}  # fmt: skip


def test_every_condition_and_group_gets_a_status(db, registry):
    ids = [s.condition_id for s in status_as_of(db, registry, AS_OF)]
    assert ids == [*registry.ids, *registry.groups]
