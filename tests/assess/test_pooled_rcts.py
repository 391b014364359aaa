"""How many RCTs a meta-analysis pooled, read from its abstract (our own sentences): the status rules
let a meta-analysis decide only when it pooled two or more."""

from __future__ import annotations

import pytest

from ivig_lit.assess.direction import count_pooled_rcts

CASES = [
    ("Three RCTs with 310 patients were included.", 3),
    ("Data were pooled in a meta-analysis of 5 randomized controlled trials.", 5),
    ("Of 14 studies, two were randomised controlled trials and twelve were cohorts.", 2),
    ("We found one randomized, double-blind, placebo-controlled trial and four case series.", 1),
    ("Only a single RCT met the inclusion criteria.", 1),
    ("We searched three databases for randomised trials of IVIG; 6 trials with 400 participants were included.", 6),
    ("Nine studies (mostly open-label) reported response rates.", None),
    ("Four controlled trials were found.", None),
]


@pytest.mark.parametrize(("abstract", "expected"), CASES)
def test_pooled_rct_count_is_read_from_the_abstract(abstract, expected):
    assert count_pooled_rcts(abstract) == expected
