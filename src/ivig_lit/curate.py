"""Apply curator overrides: store them and recompute evidence status in one transaction, recorded
as a ``curate`` run so status history can say the change came from a curator (reason ``curation``).

Nothing is stored when any override is invalid. Library code: the CLI parses arguments and calls
``curate``; it never touches the warehouse itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ivig_lit.assess import StatusChange
from ivig_lit.config import Settings
from ivig_lit.errors import CurationError
from ivig_lit.registry import Registry, load_registry
from ivig_lit.store import warehouse as wh
from ivig_lit.store.curation import Curation, store_curations, validate_curation
from ivig_lit.store.status import record_status


@dataclass(frozen=True)
class CurationResult:
    run_id: str
    pmids: tuple[str, ...]
    n_overrides: int
    status_changes: tuple[StatusChange, ...]


def curate(
    settings: Settings,
    curations: Sequence[Curation],
    registry: Registry | None = None,
    *,
    now: dt.datetime | None = None,
) -> CurationResult:
    """Store ``curations`` and record the evidence status they lead to (all or nothing)."""
    registry = registry or load_registry(settings.registry)
    now = now or dt.datetime.now()
    if not curations:
        raise CurationError("no curations given")
    problems = [f"PMID {c.pmid}: {p}" for c in curations for p in validate_curation(c, registry)]
    if problems:
        raise CurationError("nothing stored:\n" + "\n".join(problems), pmid=curations[0].pmid)
    with wh.writer_lock(settings.warehouse):
        con = wh.open_writer(settings.warehouse)
        try:
            with wh.transaction(con):  # one transaction: a bad curation leaves no trace, not even a run
                wh.sync_conditions(con, registry, now)
                run_id = wh.start_run(con, "curate", {"n": len(curations)}, (None, None), now)
                pmids = store_curations(con, curations, run_id, now)
                changes = record_status(con, registry, run_id, now, curated=frozenset(pmids))
                wh.finish_run(con, run_id, wh.RunCounts(revised=len(pmids)), "completed", now)
        finally:
            con.close()
    n = sum(len(c.rows()) for c in curations)
    return CurationResult(run_id, tuple(sorted(pmids)), n, tuple(changes))
