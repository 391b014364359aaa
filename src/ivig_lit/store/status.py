"""Evidence status in the warehouse: read the evidence the rules count, record a run's snapshots,
change records and notable additions, and read stored snapshots back (what reports show, so they
agree with ``v_condition_status``). The rules themselves are pure functions in ``assess``."""

from __future__ import annotations

import datetime as dt
import json

import duckdb

from ivig_lit.assess import Addition, ConditionStatus, Snapshot, StatusChange, assess_changes, compute_status
from ivig_lit.assess.history import check_reason_hint, evidence_json, pmids_to_trace
from ivig_lit.assess.status import EvidenceItem, make_evidence
from ivig_lit.registry import Registry
from ivig_lit.store.queries import load_query


def status_as_of(con: duckdb.DuckDBPyConnection, registry: Registry, as_of: dt.datetime) -> list[ConditionStatus]:
    """Status of every condition and group computed from the warehouse's evidence as of ``as_of``."""
    rows = con.execute(load_query("status_evidence"), {"as_of": as_of.date()}).fetchall()
    return compute_status(rows, registry, as_of)


def record_status(
    con: duckdb.DuckDBPyConnection,
    registry: Registry,
    run_id: str,
    as_of: dt.datetime,
    reason_hint: str | None = None,
    curated: frozenset[str] = frozenset(),
) -> list[StatusChange]:
    """Write this run's snapshots, change records and notable additions on ``con`` (no commit).

    Re-recording the same run replaces its rows, so a retried run leaves one set. ``reason_hint``
    (one of ``REASONS``) names the cause when the evidence shows none, e.g. a retag run's caller.
    ``curated``: the PMIDs a curator changed in this run (their moves get the reason ``curation``).
    """
    check_reason_hint(reason_hint)
    for name in ("status_delete_run_snapshots", "status_delete_run_changes", "status_delete_run_additions"):
        con.execute(load_query(name), {"run_id": run_id})
    previous = _previous_snapshots(con, run_id, as_of)
    statuses = status_as_of(con, registry, as_of)
    fates = _fates(con, pmids_to_trace(statuses, previous))
    changes, additions = assess_changes(previous, statuses, fates, run_id, reason_hint, curated)
    per_year = _count_per_year(con, as_of)
    for status in statuses:
        counts = None if status.is_group else per_year.get(status.condition_id, {})
        _insert_snapshot(con, run_id, as_of, status, counts)
    for change in changes:
        _insert_change(con, run_id, change)
    for addition in additions:
        _insert_addition(con, run_id, addition)
    return changes


def read_snapshots(con: duckdb.DuckDBPyConnection, registry: Registry, as_of: dt.datetime) -> list[ConditionStatus]:
    """The newest stored snapshot of each condition, then each group, recorded as of ``as_of``, as
    reports show it: counts, rule, latest trial and meta-analysis, but an empty ``evidence`` (the
    stored list names every article counted, so reading it made a digest O(warehouse))."""
    rows = {r[0]: r for r in con.execute(load_query("status_snapshots_as_of"), {"as_of": as_of}).fetchall()}
    baselines = {c.id: c.baseline for c in registry.conditions}
    order = [c.id for c in registry.conditions] + list(registry.groups)
    status_of = {cid: row[2] for cid, row in rows.items()}
    return [
        _from_snapshot(rows[cid], baselines.get(cid), registry.groups.get(cid, ()), status_of)
        for cid in order
        if cid in rows
    ]


def _from_snapshot(row: tuple, baseline, members: tuple[str, ...], status_of: dict[str, str]) -> ConditionStatus:
    (cid, label, status, rule_id, rules_version, as_of, design_counts, direction_counts, contributing,
     rct_pmid, rct_title, meta_pmid, meta_title) = row  # fmt: skip
    return ConditionStatus(
        condition_id=cid,
        label=label,
        status=status,
        rule_id=rule_id,
        rules_version=rules_version,
        as_of=as_of,
        design_counts=json.loads(design_counts),
        direction_counts=json.loads(direction_counts),
        contributing_pmids=tuple(contributing),
        evidence=make_evidence([]),
        baseline=baseline,
        latest_rct=EvidenceItem(rct_pmid, "rct", title=rct_title or "") if rct_pmid else None,
        latest_meta_analysis=EvidenceItem(meta_pmid, "meta_analysis", title=meta_title or "") if meta_pmid else None,
        members=tuple(members),
        member_statuses=tuple((m, status_of[m]) for m in members if m in status_of),
    )


PerYear = dict[int, dict[str, int]]  # publication year -> design -> articles


def read_per_year(con: duckdb.DuckDBPyConnection, as_of: dt.datetime) -> dict[str, PerYear] | None:
    """Articles per publication year and design of each condition, as counted when its newest
    snapshot at or before ``as_of`` was recorded (a few rows, whatever the warehouse's size); None
    when one of those snapshots predates the counts (the caller counts from the views instead)."""
    try:
        rows = con.execute(load_query("status_per_year_as_of"), {"as_of": as_of}).fetchall()
    except duckdb.BinderException:  # a read-only open of a warehouse no writer has migrated yet
        return None
    out = {}
    for cid, counts in rows:
        if counts is None:
            return None
        if years := json.loads(counts):
            out[cid] = {int(year): designs for year, designs in years.items()}
    return out


def _count_per_year(con: duckdb.DuckDBPyConnection, as_of: dt.datetime) -> dict[str, PerYear]:
    """condition -> year -> design -> articles entered by ``as_of``: kept with the run's snapshots."""
    out: dict[str, PerYear] = {}
    for cid, year, design, n in con.execute(load_query("status_per_year"), {"as_of": as_of.date()}).fetchall():
        out.setdefault(cid, {}).setdefault(year, {})[design] = n
    return out


def _previous_snapshots(con: duckdb.DuckDBPyConnection, run_id: str, as_of: dt.datetime) -> dict[str, Snapshot]:
    rows = con.execute(load_query("status_previous_snapshots"), {"run_id": run_id, "as_of": as_of}).fetchall()
    return {
        cid: Snapshot(status, rule_id, version, tuple(pmids), json.loads(evidence))
        for cid, status, rule_id, version, pmids, evidence in rows
    }


def _fates(con: duckdb.DuckDBPyConnection, pmids: set[str]) -> dict[str, tuple]:
    """pmid -> (is_retracted, deleted, first_run_id, last tag reason, its tagger, the one before)."""
    if not pmids:
        return {}
    rows = con.execute(load_query("status_article_fates"), {"pmids": sorted(pmids)}).fetchall()
    return {row[0]: row[1:] for row in rows}


def _insert_snapshot(
    con: duckdb.DuckDBPyConnection, run_id: str, as_of: dt.datetime, s: ConditionStatus, per_year: PerYear | None
) -> None:
    con.execute(
        load_query("status_insert_snapshot"),
        {
            "run_id": run_id,
            "as_of": as_of,
            "condition_id": s.condition_id,
            "label": s.label,
            "is_group": s.is_group,
            "status": s.status,
            "rule_id": s.rule_id,
            "rules_version": s.rules_version,
            "baseline_grade": s.baseline.grade if s.baseline else None,
            "n_articles": s.n_articles,
            "design_counts": json.dumps(s.design_counts),
            "direction_counts": json.dumps(s.direction_counts),
            "contributing_pmids": list(s.contributing_pmids),
            "latest_rct_pmid": s.latest_rct.pmid if s.latest_rct else None,
            "latest_meta_pmid": s.latest_meta_analysis.pmid if s.latest_meta_analysis else None,
            "evidence": json.dumps(evidence_json(s)),
            "per_year": None if per_year is None else json.dumps(per_year, sort_keys=True),
        },
    )


def _insert_change(con: duckdb.DuckDBPyConnection, run_id: str, c: StatusChange) -> None:
    con.execute(
        load_query("status_insert_change"),
        {
            "run_id": run_id,
            "condition_id": c.condition_id,
            "changed_at": c.changed_at,
            "old_status": c.old_status,
            "new_status": c.new_status,
            "old_rule_id": c.old_rule_id,
            "rule_id": c.rule_id,
            "old_rules_version": c.old_rules_version,
            "rules_version": c.rules_version,
            "reason": c.reason,
            "reasons": list(c.reasons),
            "pmids": list(c.pmids),
            "detail": json.dumps(c.detail),
        },
    )


def _insert_addition(con: duckdb.DuckDBPyConnection, run_id: str, a: Addition) -> None:
    con.execute(
        load_query("status_insert_addition"),
        {
            "run_id": run_id,
            "condition_id": a.condition_id,
            "added_at": a.added_at,
            "pmid": a.pmid,
            "design": a.design,
            "direction": a.direction,
            "status": a.status,
            "reason": a.reason,
        },
    )
