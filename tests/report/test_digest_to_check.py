"""The digest's "To check" section and provisional status changes: the week's tags awaiting review,
most consequential first, and changes that rest on them."""

from __future__ import annotations

import lxml.html
import pytest

from ivig_lit.report import build_digest, render_html, render_markdown
from tests.cases.tags import update_tags
from tests.report.conftest import TODAY, WEEK


@pytest.fixture
def digest_with_reviews(known_week, registry):
    update_tags(known_week, "review_reasons = 'case report or series?', design_confidence = 0.5", "pmid = '502'")
    update_tags(
        known_week,
        "review_reasons = 'randomisation only in the text', design_confidence = 0.7",
        "pmid IN ('500', '102')",
    )
    return build_digest(known_week, registry, WEEK, TODAY)


def test_to_check_lists_the_weeks_tags_awaiting_review_trials_first(digest_with_reviews):
    got = [(i.pmid, i.design, i.conditions, i.fix) for i in digest_with_reviews.to_check]
    assert got == [
        ("500", "rct", ("myasthenia_gravis",), "ivig-lit curate 500 --design rct"),
        ("502", "case_report", ("cidp",), "ivig-lit curate 502 --design case_report"),
    ]


def test_a_change_resting_on_a_tag_awaiting_review_is_marked_provisional(digest_with_reviews):
    got = {c.condition_id: (c.provisional, c.review_pmids) for c in digest_with_reviews.changes}
    assert got["myasthenia_gravis"] == (True, ("500",))
    assert got["anti_mag"] == (False, ())


def test_markdown_renders_to_check_and_provisional(digest_with_reviews):
    md = render_markdown(digest_with_reviews)
    assert "## To check" in md
    assert ("- [PMID 500](https://pubmed.ncbi.nlm.nih.gov/500/) Randomised controlled trials (myasthenia\\_gravis), "
            "confidence 0.70: randomisation only in the text; confirm or correct with "
            "`ivig-lit curate 500 --design rct`") in md  # fmt: skip
    assert "**provisional**: rests on tags awaiting review (PMID 500)" in md


def test_html_renders_to_check_and_provisional(digest_with_reviews):
    page = lxml.html.document_fromstring(render_html(digest_with_reviews))
    codes = page.xpath('//section[@id="to-check"]//li/code/text()')
    assert codes == ["ivig-lit curate 500 --design rct", "ivig-lit curate 502 --design case_report"]
    provisional = page.xpath('//span[@class="provisional"]/text()')
    assert provisional == [f"provisional: rests on tags awaiting review ({p})" for p in ("502", "500")]


def test_a_week_without_tags_awaiting_review_says_so(digest):
    assert digest.to_check == ()
    assert "Nothing entered this week needs checking." in render_markdown(digest)


def test_a_group_row_lists_its_members_statuses(digest):
    md = render_markdown(digest)
    row = next(line for line in md.splitlines() if line.startswith("| Inflammatory myopathy (group)"))
    assert ("no evidence (members: dermatomyositis single rct support; polymyositis no evidence; "
            "inclusion\\_body\\_myositis observational only; necrotizing\\_myopathy no evidence)") in row  # fmt: skip
