"""``retag``: re-tagging stored articles reports moves, keeps history, and records its failure."""

from __future__ import annotations

import pytest

from ivig_lit import retag as retag_module
from ivig_lit.config import Settings
from ivig_lit.retag import retag
from ivig_lit.store import warehouse as wh
from tests.cases.tags import update_tags
from tests.runs.support import D, query, run


def test_retag_reports_what_changed_and_keeps_history(settings: Settings) -> None:
    run(settings, D(2026, 11, 12))
    con = wh.connect(settings.warehouse)
    update_tags(con, "design = 'case_report', tagger_version = '0.0.1'", "pmid = '60000001'")
    con.close()
    summary = retag(settings)
    assert summary.retag_changes == {"case_report -> rct": 1}
    assert query(settings, "SELECT reason FROM article_tag_history WHERE pmid = '60000001' AND reason = 'retag'")


def test_a_retag_that_fails_is_recorded_as_failed(settings: Settings, monkeypatch) -> None:
    run(settings, D(2026, 11, 12))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(retag_module, "_retag_batch", broken)
    with pytest.raises(RuntimeError):
        retag(settings)
    assert query(settings, "SELECT flow, status, error FROM v_run WHERE flow = 'retag'") == [
        ("retag", "failed", "RuntimeError: disk full")
    ]
