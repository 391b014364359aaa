"""Plain-text renderings for the terminal: run summaries, query results, the registry."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ivig_lit.registry import Registry


def format_frame(frame: pd.DataFrame, fmt: str = "table") -> str:
    """A query result as an aligned table, CSV or JSON (one array of objects)."""
    if fmt == "csv":
        return frame.to_csv(index=False).rstrip("\n")
    if fmt == "json":
        return frame.to_json(orient="records", date_format="iso", force_ascii=False)
    if frame.empty:
        return "(no rows)"
    frame = frame.copy()
    for name in frame.columns:  # DuckDB DATEs arrive as midnight datetimes: show them as dates
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column) and (column.dropna().dt.normalize() == column.dropna()).all():
            frame[name] = column.dt.strftime("%Y-%m-%d")
    shown = frame.astype(object).where(frame.notna(), "")
    with pd.option_context("display.max_colwidth", 80, "display.width", 250):
        return shown.to_string(index=False)


def format_run_summary(summary: Any) -> str:
    c = summary.counts
    head = (
        "Dry run (nothing written)" if summary.dry_run else f"Run {summary.run_id} ({summary.flow}): {summary.status}"
    )
    lines = [head]
    if summary.flow == "nightly":
        lines.append(
            f"  searched {c.searched} PMIDs | fetched {c.fetched} | new {c.new} | revised {c.revised} | "
            f"unchanged {c.unchanged} | missing {len(c.missing)} | quarantined {c.quarantined}"
        )
        lines.append(f"  E-utilities requests {c.requests} | retries {c.retries}")
        if summary.trials is not None:
            lines.append(_trials_line(summary.trials, c))
        if c.missing:
            lines.append(f"  missing PMIDs (recorded in v_run): {', '.join(c.missing[:20])}")
    elif summary.flow == "retag":
        lines.append(
            f"  re-tagged {c.fetched} articles | tagging changed for {c.revised} | quarantined {c.quarantined}"
        )
        for move, n in sorted(summary.retag_changes.items(), key=lambda kv: -kv[1]):
            lines.append(f"    {move}: {n}")
    else:
        lines.append(
            f"  read {c.fetched} records | new {c.new} | revised {c.revised} | unchanged {c.unchanged} | "
            f"deleted {c.deleted} | quarantined {c.quarantined}"
        )
        if c.stale:
            lines.append(f"  older than the stored revision (kept as history only): {c.stale}")
        if summary.out_of_scope:
            lines.append(f"  out of scope (the relevance gate counted them, nothing stored): {summary.out_of_scope}")
    if summary.per_condition:
        lines.append("  PMIDs found per condition:")
        width = max(map(len, summary.per_condition))
        lines += [f"    {cid:<{width}}  {n:>6}" for cid, n in summary.per_condition.items()]
    changes = summary.status_changes
    initial = [c for c in changes if c.old_status is None]
    if initial:
        lines.append(f"  first evidence status recorded for {len(initial)} conditions (see `ivig-lit status`)")
    lines += [f"  status change: {format_status_change(c)}" for c in changes if c.old_status is not None]
    if not summary.dry_run:
        lines.append(f"Warehouse: {summary.warehouse}")
    return "\n".join(lines)


def _trials_line(trials: Any, c: Any) -> str:
    """What the ClinicalTrials.gov step did, or why it stopped (the run completes either way)."""
    done = (
        f"  ClinicalTrials.gov studies {trials.studies} | new {trials.new} | status changes {trials.status_changes} | "
        f"linked {trials.links} | requests {c.ctgov_requests} | retries {c.ctgov_retries}"
    )
    return done + (f"\n  {trials.error} (retried from its watermarks next run)" if trials.error else "")


def format_status_change(change: Any) -> str:
    """One line: condition, old -> new status, why, and the PMIDs that caused it."""
    pmids = ", ".join(change.pmids[:6]) + (" ..." if len(change.pmids) > 6 else "")
    return (
        f"{change.condition_id}: {change.old_status} -> {change.new_status} "
        f"({change.reason}; rule {change.rule_id}; PMIDs {pmids or '-'})"
    )


def format_conditions(registry: Registry, queries: bool = False) -> str:
    rows = [
        {"id": c.id, "group": c.group or "", "label": c.label, "baseline": c.baseline.grade}
        for c in registry.conditions
    ]
    text = format_frame(pd.DataFrame(rows))
    if queries:
        text += "\n\n" + "\n\n".join(f"{c.id}:\n  {registry.search_query(c.id)}" for c in registry.conditions)
    return text + f"\n\nRegistry: {registry.source}"


def format_review_queue(items: list[Any], fmt: str = "table") -> str:
    """``ivig-lit review``: one row per article to check, with the command that settles it."""
    if not items and fmt == "table":
        return "nothing to review"
    columns = ["pmid", "design", "conditions", "confidence", "reasons", "fix"]
    rows = [[i.pmid, i.design, ",".join(i.conditions), i.confidence, i.reasons, i.fix] for i in items]
    return format_frame(pd.DataFrame(rows, columns=columns), fmt)
