"""The weekly digest's trials section and per-article facts, on a warehouse two nightly runs built
from the emulator (PubMed records and ClinicalTrials.gov studies)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import lxml.html
import pytest

from ivig_lit import nightly
from ivig_lit.config import Settings
from ivig_lit.registry import load_registry
from ivig_lit.report import build_digest, render_html, render_markdown
from ivig_lit.report.digest import Digest
from tests.cases.tags import update_tags


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, module_trials_emulator) -> Path:
    """Built once for the module: every test only reads it."""
    settings = Settings.from_env(
        {}, warehouse=tmp_path_factory.mktemp("trials") / "w.duckdb", base_url=module_trials_emulator.base_url,
        rate_limit=1000.0,
    )  # fmt: skip
    for day in (dt.date(2026, 10, 19), dt.date(2026, 11, 17)):
        module_trials_emulator.today = day - dt.timedelta(days=1)
        nightly.run_nightly(settings, now=dt.datetime.combine(day, dt.time(2)))
    return settings.warehouse


def digest(warehouse: Path, week: str) -> Digest:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return build_digest(con, load_registry(), week, dt.date(2026, 11, 25))
    finally:
        con.close()


def kinds(d: Digest) -> list[tuple[str, str, str | None]]:
    return [(t.kind, t.nct_id, t.detail) for t in d.trials if t.kind != "overdue"]


def test_a_trial_stopped_in_the_week_is_listed_with_its_reason(warehouse: Path) -> None:
    assert kinds(digest(warehouse, "2026-W44")) == [
        ("stopped", "NCT09000103", "TERMINATED: Slow enrollment: 14 of 90 participants in 24 months")
    ]


def test_completion_and_posted_results_are_listed_in_the_week_the_registry_dates_them(warehouse: Path) -> None:
    assert kinds(digest(warehouse, "2026-W45")) == [
        ("completed", "NCT09000101", None),
        ("results_posted", "NCT09000101", None),
    ]


def test_a_newly_registered_trial_is_listed(warehouse: Path) -> None:
    assert kinds(digest(warehouse, "2026-W46")) == [("registered", "NCT09000105", None)]


def test_overdue_publications_are_listed_every_week(warehouse: Path) -> None:
    overdue = [t.nct_id for t in digest(warehouse, "2026-W46").trials if t.kind == "overdue"]
    assert overdue == ["NCT09000102", "NCT09000107"]


def test_the_markdown_and_html_link_each_trial_to_clinicaltrials_gov(warehouse: Path) -> None:
    d = digest(warehouse, "2026-W44")
    assert "## Trials to watch" in render_markdown(d)
    assert "[NCT09000103](https://clinicaltrials.gov/study/NCT09000103)" in render_markdown(d)
    page = lxml.html.document_fromstring(render_html(d))
    (item,) = page.xpath('//section[@id="trials"]//li[@data-nct="NCT09000103"]')
    assert "Slow enrollment" in item.text_content()


def test_a_new_article_shows_its_n_comparator_and_pubmed_pmc_and_doi_links(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE articles SET pmc = 'PMC0000042', doi = '10.1000/x.42' WHERE pmid = '40000001'")
    update_tags(con, "n_participants = 42, comparator = 'placebo'", "pmid = '40000001'")
    con.close()
    d = digest(warehouse, "2026-W46")
    md = render_markdown(d)
    assert "N=42 · vs placebo" in md
    assert "[PMC](https://pmc.ncbi.nlm.nih.gov/articles/PMC0000042/) · [DOI](https://doi.org/10.1000/x.42)" in md
    page = lxml.html.document_fromstring(render_html(d))
    links = {a.get("class"): a.get("href") for a in page.xpath('//li[@data-pmid="40000001"]//a')}
    assert links["pubmed"] == "https://pubmed.ncbi.nlm.nih.gov/40000001/" and links["pmc"].endswith("PMC0000042/")


def test_the_digest_of_the_backfill_week_says_what_the_backfill_loaded(warehouse: Path) -> None:
    d = digest(warehouse, "2026-W43")
    assert d.backfill is not None and d.backfill.day == dt.date(2026, 10, 19) and d.backfill.n_new > 0
    assert f"first run on 2026-10-19: backfilled {d.backfill.n_new} articles" in render_markdown(d)
    assert "0 new IVIG-focused articles" not in render_markdown(d)


def test_later_digests_count_the_weeks_new_articles_as_usual(warehouse: Path) -> None:
    d = digest(warehouse, "2026-W44")
    assert d.backfill is None and "new IVIG-focused article" in render_markdown(d)
