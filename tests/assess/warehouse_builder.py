"""Writes articles, tags, conditions and tag history straight into a warehouse, as the store stage
would, so assess and report tests can set up a known state in a few lines."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from ivig_lit.registry import Registry, load_registry
from ivig_lit.store.migrate import migrate
from ivig_lit.store.queries import load_query
from ivig_lit.store.warehouse import sync_conditions

AS_OF = dt.datetime(2026, 11, 20, 6, 0)


class WarehouseBuilder:
    """Writes test rows the way the load and tag stages do: tags upserted, history appended."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def article(
        self,
        pmid: str,
        design: str = "rct",
        direction: str | None = None,
        conditions: tuple[str, ...] = ("gbs",),
        *,
        title: str | None = None,
        title_raw: str | None = None,
        journal: str = "Journal of Neurology",
        entrez_date: dt.date = dt.date(2026, 1, 5),
        pub_date: dt.date | None = None,
        doi: str | None = None,
        ivig_focus: bool = True,
        retracted: bool = False,
        retraction_notice: bool = False,
        erratum_notice: bool = False,
        tagger_version: str = "tagger-1",
        run_id: str = "run-1",
        corrects: tuple[str, str] | None = None,
    ) -> str:
        """Insert an article with its tags; ``corrects`` = (ref_type, pmid) for a notice, e.g.
        ("RetractionOf", "123")."""
        title = title or f"IVIG study {pmid}"
        refs = [{"ref_type": corrects[0], "pmid": corrects[1], "source": None}] if corrects else []
        record = {"pmid": pmid, "comments_corrections": refs}
        pub_date = pub_date or entrez_date
        self.con.execute(
            "INSERT INTO articles (pmid, pmid_version, content_hash, title, title_raw, abstract, journal, pub_year,"
            " pub_date, entrez_date, doi, languages, publication_types, mesh_terms, is_book, is_retracted,"
            " is_retraction_notice, is_erratum_notice, record, first_seen, last_revised, first_run_id, last_run_id)"
            " VALUES (?, 1, 'h', ?, ?, NULL, ?, ?, ?, ?, ?, ['eng'], [], [], false, ?, ?, ?, ?, ?, ?, ?, ?)",
            [pmid, title, title_raw or title, journal, pub_date.year, pub_date, entrez_date, doi, retracted,
             retraction_notice, erratum_notice, json.dumps(record), AS_OF, AS_OF, run_id, run_id],
        )  # fmt: skip
        self._tags(pmid, design, direction, conditions, ivig_focus, tagger_version, run_id, "new")
        return pmid

    def retag(
        self,
        pmid: str,
        *,
        design: str | None = None,
        direction: str | None = None,
        conditions: tuple[str, ...] | None = None,
        ivig_focus: bool | None = None,
        tagger_version: str | None = None,
        run_id: str = "run-2",
        reason: str = "retag",
    ) -> None:
        cur = self.con.execute(
            "SELECT design, direction, ivig_focus, tagger_version FROM article_tags WHERE pmid = ?", [pmid]
        ).fetchone()
        now_conditions = [r[0] for r in self.con.execute(
            "SELECT DISTINCT condition_id FROM article_conditions WHERE pmid = ?", [pmid]).fetchall()]  # fmt: skip
        self._tags(
            pmid,
            design or cur[0],
            direction if direction is not None else cur[1],
            conditions if conditions is not None else tuple(now_conditions),
            cur[2] if ivig_focus is None else ivig_focus,
            tagger_version or cur[3],
            run_id,
            reason,
        )

    def retract(self, pmid: str, at: dt.datetime = AS_OF) -> None:
        """Mark a record retracted, as a revision carrying RetractionIn would."""
        self.con.execute("UPDATE articles SET is_retracted = true, last_revised = ? WHERE pmid = ?", [at, pmid])

    def _tags(self, pmid, design, direction, conditions, ivig_focus, tagger_version, run_id, reason) -> None:
        n = self.con.execute("SELECT count(*) FROM article_tag_history WHERE pmid = ?", [pmid]).fetchone()[0]
        tagged_at = AS_OF + dt.timedelta(minutes=n)
        self.con.execute("DELETE FROM article_tags WHERE pmid = ?", [pmid])
        self.con.execute(
            "INSERT INTO article_tags VALUES "
            "(?, ?, ?, 'test', ?, 'test', NULL, NULL, NULL, ?, ?, 'h', ?, ?, 1.0, 1.0, NULL)",
            [pmid, tagger_version, design, ivig_focus, direction, f"test:{direction}", tagged_at, run_id],
        )
        self.con.execute("DELETE FROM article_conditions WHERE pmid = ?", [pmid])
        for c in conditions:
            self.con.execute("INSERT INTO article_conditions VALUES (?, ?, 'query', 'test', 1.0)", [pmid, c])
        self.con.execute(
            "INSERT INTO article_tag_history VALUES (?, ?, ?, ?, 'test', ?, ?, CAST(? AS VARCHAR[]), 'h', ?, ?)",
            [pmid, tagged_at, tagger_version, design, ivig_focus, direction, json.dumps(list(conditions)), reason,
             run_id],
        )  # fmt: skip
        self.con.execute(load_query("refresh_article_tags"), {"pmids": [pmid]})  # v_article's copy, as save_tags does


def open_warehouse(path: Path, registry: Registry) -> duckdb.DuckDBPyConnection:
    """A real DuckDB file with every migration and view applied and the registry synced."""
    con = duckdb.connect(str(path))
    migrate(con)
    sync_conditions(con, registry, AS_OF)
    return con


def evidence_only(registry: Registry) -> Registry:
    """The registry with every baseline at ``no_evidence``: the evidence alone decides, as the
    history and provisional tests need (the consensus rule has tests of its own)."""
    return replace(registry, conditions=tuple(
        replace(c, baseline=replace(c.baseline, grade="no_evidence")) for c in registry.conditions
    ))  # fmt: skip


@pytest.fixture(scope="session")
def registry() -> Registry:
    return evidence_only(load_registry())


@pytest.fixture
def db(tmp_path, registry) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_warehouse(tmp_path / "w.duckdb", registry)
    yield con
    con.close()


@pytest.fixture
def wh(db) -> WarehouseBuilder:
    return WarehouseBuilder(db)
