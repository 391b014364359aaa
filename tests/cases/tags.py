"""Changing stored tags in a test as the tag stage would: ``article_tags`` and the copy v_article
reads in each article row (migration 0012) together, never one without the other."""

from __future__ import annotations

from typing import Any

import duckdb

from ivig_lit.store.queries import load_query


def update_tags(con: duckdb.DuckDBPyConnection, assignments: str, where: str = "true", params: Any = ()) -> None:
    """``UPDATE article_tags SET <assignments> WHERE <where>``, then refresh the rows' copies."""
    changed = con.execute(f"UPDATE article_tags SET {assignments} WHERE {where} RETURNING pmid", params).fetchall()
    con.execute(load_query("refresh_article_tags"), {"pmids": [pmid for (pmid,) in changed]})
