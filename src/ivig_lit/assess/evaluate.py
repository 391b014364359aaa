"""Evidence status over the labelled dev set, next to each condition's consensus grade.

The gold records go through the real path (``gold_to_xml`` -> ``load_xml`` -> tags -> status) into
a scratch warehouse, so the comparison measures what a user's warehouse would say. The registry
baseline grade is the consensus class (AAN 2012 / AANEM 2023 and the project's assessment).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from ivig_lit.assess.status import ConditionStatus
from ivig_lit.config import Settings
from ivig_lit.registry import Registry
from ivig_lit.tag.evaluate import gold_to_xml

AS_OF = dt.datetime(2030, 1, 1)  # after every gold record


def status_on_gold(gold: Path, workdir: Path, registry: Registry, *, text_only: bool = False) -> list[ConditionStatus]:
    """Every condition's and group's status after loading ``gold`` into a fresh warehouse."""
    from ivig_lit.ingest import load_xml
    from ivig_lit.store.status import status_as_of

    xml = gold_to_xml(gold, workdir / ("gold-text.xml" if text_only else "gold.xml"), text_only=text_only)
    db = workdir / f"{xml.stem}-status.duckdb"
    db.unlink(missing_ok=True)
    load_xml([xml], Settings(warehouse=db), registry, now=AS_OF, keep_all=True)  # near-misses count too
    con = duckdb.connect(str(db), read_only=True)
    try:
        return status_as_of(con, registry, AS_OF)
    finally:
        con.close()
