"""How a query phrase is found in a record's normalized text: whole words only, in order, the last
one as a prefix when truncated, never across a field separator."""

from __future__ import annotations

import pytest

from ivig_lit.query.text import phrase_pattern


@pytest.mark.parametrize(
    ("tokens", "truncated", "text", "found"),
    [
        (["ivig"], False, "ivig in cidp", True),
        (["ivig"], False, "high dose ivig", True),
        (["ivig"], False, "scivig in cidp", False),
        (["ivig"], False, "ivigs in cidp", False),
        (["motor", "neuropathy"], False, "multifocal motor neuropathy", True),
        (["motor", "neuropathy"], False, "motor axonal neuropathy", False),
        (["neuropath"], True, "a neuropathies cohort", True),
        (["neuropath"], True, "polyneuropathy", False),
        (["immune", "globulin"], True, "human immune globulins", True),
        (["cidp", "ivig"], False, "cidp | ivig", False),
    ],
)
def test_a_phrase_matches_whole_consecutive_words_only(
    tokens: list[str], truncated: bool, text: str, found: bool
) -> None:
    assert bool(phrase_pattern(tokens, truncated).search(text)) is found
