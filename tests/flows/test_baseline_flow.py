"""The ``baseline`` flow parses and gates files as Prefect tasks on a local Dask cluster, and one
writer loads them in file order, as the in-process run does."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ivig_lit.flows.baseline import baseline_flow
from tests.cases.records import Rec, write_corpus

pytestmark = pytest.mark.usefixtures("prefect_server")

IN_SCOPE = [Rec(80000000 + i, title=f"IVIG in Guillain-Barre syndrome: cohort {i}") for i in range(4)]
OFF_TOPIC = Rec(80000100, title="Statins after myocardial infarction", abstract="A cohort of 500 patients.")


def test_the_baseline_flow_loads_files_parsed_on_dask_workers(tmp_path: Path) -> None:
    write_corpus(tmp_path / "pubmed25n0001.xml", [*IN_SCOPE[:2], OFF_TOPIC])
    write_corpus(tmp_path / "pubmed25n0002.xml", IN_SCOPE[2:])
    db = tmp_path / "w.duckdb"
    summary = baseline_flow(workers=2)([str(tmp_path)], str(db))
    assert (summary.status, summary.counts.new, summary.out_of_scope) == ("completed", 4, 1)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM _ivig_file_ledger").fetchone() == (2,)
