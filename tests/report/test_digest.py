"""The digest's content on a known week (2026-W47), its Markdown and HTML, and its files."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest

from ivig_lit.errors import InvalidArgumentError
from ivig_lit.report import parse_week, render_html, render_markdown, write_digest
from ivig_lit.report.charts import render_per_year_chart
from tests.report.conftest import HOSTILE_TITLE


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 25), ("2026-W47", dt.date(2026, 11, 16), dt.date(2026, 11, 22))),
        (dt.date(2026, 11, 23), ("2026-W47", dt.date(2026, 11, 16), dt.date(2026, 11, 22))),
        (dt.date(2026, 11, 22), ("2026-W46", dt.date(2026, 11, 9), dt.date(2026, 11, 15))),
        (dt.date(2027, 1, 4), ("2026-W53", dt.date(2026, 12, 28), dt.date(2027, 1, 3))),
    ],
)
def test_default_week_is_the_last_complete_iso_week(today, expected):
    assert parse_week(None, today) == expected


@pytest.mark.parametrize("week", ["2026-47", "2026-W7", "2025-W53", "W47"])
def test_malformed_or_impossible_week_is_refused(week):
    with pytest.raises(InvalidArgumentError, match="week"):
        parse_week(week, dt.date(2026, 11, 25))


def test_new_articles_are_those_entered_in_the_week_grouped_by_condition_strongest_design_first(digest):
    got = {c.condition_id: [(d, [a.pmid for a in arts]) for d, arts in c.by_design] for c in digest.new_articles}
    assert got == {
        "cidp": [("case_report", ["502"])],
        "gbs": [("meta_analysis", ["501"]), ("cohort", ["503"])],
        "myasthenia_gravis": [("rct", ["500"])],
    }
    assert digest.n_new == 4


def test_new_article_carries_journal_date_and_links(digest):
    mg = next(c for c in digest.new_articles if c.condition_id == "myasthenia_gravis")
    a = mg.by_design[0][1][0]
    assert (a.journal, a.entrez_date) == ("Neurology", dt.date(2026, 11, 18))
    assert (a.pubmed_url, a.doi_url) == ("https://pubmed.ncbi.nlm.nih.gov/500/", "https://doi.org/10.1000/mg.500")


def test_status_changes_of_the_week_come_with_reasons_and_pmids(digest):
    got = [(c.condition_id, c.old_status, c.new_status, c.reason, c.pmids) for c in digest.changes]
    assert got == [
        ("anti_mag", "no_benefit", "no_evidence", "retraction", ("300",)),
        ("cidp", "no_evidence", "case_reports_only", "new_article", ("502",)),
        ("myasthenia_gravis", "single_rct_support", "established_efficacy", "new_trial", ("500",)),
    ]


def test_notable_additions_list_trials_that_left_the_status_unchanged(digest):
    assert [(a.condition_id, a.pmid, a.design, a.status) for a in digest.additions] == [
        ("gbs", "501", "meta_analysis", "established_efficacy")]  # fmt: skip


def test_retractions_and_errata_touching_tracked_articles_are_listed(digest):
    got = [(n.pmid, n.kind, [p for p, _ in n.targets]) for n in digest.notices]
    assert got == [("601", "erratum_notice", ["101"]), ("300", "retracted", []),
                   ("600", "retraction_notice", ["300"])]  # fmt: skip


def test_every_condition_and_group_has_its_baseline_beside_its_status(digest, registry):
    rows = {s.condition_id: (s.baseline.grade if s.baseline else None, s.status) for s in digest.statuses}
    assert set(rows) == {*registry.ids, *registry.groups}
    assert rows["myasthenia_gravis"] == ("no_evidence", "established_efficacy")
    assert rows["inclusion_body_myositis"] == ("no_evidence", "observational_only")
    assert rows["inflammatory_myopathy"] == (None, "no_evidence")  # no article about the group as such


def test_markdown_has_every_section_and_escapes_titles(digest):
    md = render_markdown(digest)
    for heading in ("# IVIG literature digest, 2026-W47", "## Status changes", "## New articles",
                    "## Retractions and errata", "## Status by condition"):  # fmt: skip
        assert heading in md
    assert "<script>" not in md and "<i>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md and r"\[friends\]" in md
    assert "[PMID 500](https://pubmed.ncbi.nlm.nih.gov/500/)" in md


@pytest.fixture
def page(digest):
    return lxml.html.document_fromstring(render_html(digest))


def test_html_has_the_digest_sections(page):
    ids = [s.get("id") for s in page.iter("section")]
    assert ids == ["status-changes", "new-articles", "trials", "notices", "to-check", "status", "charts"]


def test_html_title_markup_stays_text(page):
    assert page.xpath("//script") == []
    titles = page.xpath('//li[@data-pmid="502"]/a[@class="title"]')
    assert [t.text_content() for t in titles] == [HOSTILE_TITLE]
    assert titles[0].xpath(".//i") == []


def test_html_links_articles_to_pubmed_and_doi(page):
    links = {a.get("href") for a in page.xpath("//a")}
    assert {"https://pubmed.ncbi.nlm.nih.gov/500/", "https://doi.org/10.1000/mg.500",
            "https://pubmed.ncbi.nlm.nih.gov/300/"} <= links  # fmt: skip


def test_html_is_self_contained(page):
    assert page.xpath("//link | //script | //img | //iframe | //object") == []
    fetching = [
        (e.tag, k)
        for e in page.iter()
        if e.tag != "a"
        for k, v in e.attrib.items()
        if "http" in v and not k.startswith("xmlns")
    ]
    assert fetching == []


def test_html_inlines_one_chart_per_condition_with_articles_and_the_week_chart(page, digest):
    figures = [f.get("id") for f in page.xpath("//figure")]
    assert figures == ["chart-week", "chart-cidp", "chart-gbs", "chart-myasthenia_gravis", "chart-dermatomyositis",
                       "chart-inclusion_body_myositis"]  # fmt: skip
    assert all(f.xpath("./*[local-name()='svg']") for f in page.xpath("//figure"))


def test_status_table_marks_statuses_that_differ_from_the_baseline(page):
    differs = page.xpath('//tr[contains(@class, "differs")]/@data-condition')
    assert "inclusion_body_myositis" in differs and "sjogren" not in differs


def test_chart_of_forty_years_renders_as_inline_svg_with_its_title():
    per_year = {y: {"rct": y % 3, "cohort": y % 5, "case_report": 2} for y in range(1985, 2027)}
    svg = render_per_year_chart("Guillain-Barré syndrome", per_year)
    assert svg.startswith("<svg") and "Guillain-Barré syndrome" in svg


def test_write_digest_names_files_by_week(digest, tmp_path):
    paths = write_digest(digest, tmp_path / "out")
    assert paths == {"md": tmp_path / "out" / "digest-2026-W47.md", "html": tmp_path / "out" / "digest-2026-W47.html"}
    assert paths["md"].read_text().startswith("# IVIG literature digest, 2026-W47")


def test_empty_week_says_so(db, registry):
    from ivig_lit.report import build_digest

    md = render_markdown(build_digest(db, registry, "2026-W01", dt.date(2026, 11, 25)))
    assert "No status changed this week." in md and "No new IVIG-focused articles this week." in md


def test_templates_compiled_by_an_earlier_run_render_the_same_digest(digest):
    from ivig_lit.report.digest import _environment

    _environment.cache_clear()
    first = render_markdown(digest), render_html(digest)  # compiles, and keeps the bytecode
    _environment.cache_clear()
    assert _environment(False).bytecode_cache is not None
    assert (render_markdown(digest), render_html(digest)) == first  # loads the kept bytecode
