"""The ``baseline`` flow parses, gates and tags files as Prefect tasks on Dask (a local cluster or
an existing scheduler), and its one writer stores exactly what the in-process run stores."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ivig_lit import baseline as baseline_run
from ivig_lit.baseline import load_baseline
from ivig_lit.config import Settings
from ivig_lit.flows.baseline import baseline_flow
from tests.cases.records import Rec, write_corpus

pytestmark = pytest.mark.usefixtures("prefect_server")

IN_SCOPE = [Rec(80000000 + i, title=f"IVIG in Guillain-Barre syndrome: cohort {i}") for i in range(4)]
OFF_TOPIC = Rec(80000100, title="Statins after myocardial infarction", abstract="A cohort of 500 patients.")
DELETE = (
    '<?xml version="1.0" ?>\n<PubmedArticleSet><DeleteCitation><PMID Version="1">80000001</PMID>'
    "</DeleteCitation></PubmedArticleSet>\n"
)
RUN_TABLES = ("_ivig_runs", "_ivig_migrations", "_ivig_views")  # the runs themselves differ


def stored_rows(db: Path) -> dict[str, list[tuple]]:
    """Every stored row of every table but the run records, less when and by which run (a
    timestamp compares as set or not; run ids are left out)."""
    con = duckdb.connect(str(db), read_only=True)
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY 1").fetchall()
    rows = {}
    for (table,) in tables:
        if table in RUN_TABLES:
            continue
        columns = con.execute(f"DESCRIBE {table}").fetchall()
        picked = [
            f"{name} IS NULL" if kind.startswith("TIMESTAMP") else name
            for name, kind, *_ in columns
            if "run_id" not in name
        ]
        rows[table] = con.execute(f"SELECT {', '.join(picked)} FROM {table} ORDER BY ALL").fetchall()
    con.close()
    return rows


def test_the_baseline_flow_on_dask_stores_the_same_rows_as_the_in_process_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(baseline_run, "TASK_BYTES", 1)  # a task per file: three tasks, two workers
    ncbi = tmp_path / "ncbi"
    ncbi.mkdir()
    write_corpus(ncbi / "pubmed25n0001.xml", [*IN_SCOPE[:2], OFF_TOPIC])
    write_corpus(ncbi / "pubmed25n0002.xml", IN_SCOPE[2:])
    (ncbi / "pubmed25n1300.xml").write_text(DELETE)
    on_dask = baseline_flow(workers=2)([str(ncbi)], str(tmp_path / "dask.duckdb"))
    in_process = load_baseline([ncbi], Settings.from_env({}, warehouse=tmp_path / "alone.duckdb"))
    assert (on_dask.status, on_dask.counts, on_dask.out_of_scope) == ("completed", in_process.counts, 1)
    assert stored_rows(tmp_path / "dask.duckdb") == stored_rows(tmp_path / "alone.duckdb")


def test_the_baseline_flow_uses_an_existing_dask_scheduler_by_address(tmp_path: Path) -> None:
    from distributed import LocalCluster

    write_corpus(tmp_path / "pubmed25n0001.xml", IN_SCOPE)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        summary = baseline_flow(dask_address=cluster.scheduler_address)([str(tmp_path)], str(tmp_path / "w.duckdb"))
        assert cluster.scheduler.transition_counter > 0  # the files were prepared on this cluster
    assert (summary.status, summary.counts.new) == ("completed", 4)
