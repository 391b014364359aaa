"""The raw pre-filter: needles derived from a query's tree, and a record's raw XML read as the gate
reads its text, so a record is dropped unparsed only when no needle can be in it."""

from __future__ import annotations

import pytest

from ivig_lit.prefilter import Needle, RawFilter, derive_clauses, derive_needles
from ivig_lit.query import parse_query


def needles(query: str) -> set[tuple[str, bool]] | None:
    found = derive_needles(parse_query(query))
    return None if found is None else {(n.word, n.prefix) for n in found}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"chronic inflammatory demyelinating polyneuropathy"[tiab]', {("polyneuropathy", False)}),
        ('"intravenous immunoglobulin*"[tiab]', {("immunoglobulin", True)}),
        ("neuropath*[tiab]", {("neuropath", True)}),
        ('"Guillain-Barre"[tiab]', {("guillain", False)}),
        ("sjögren*[tiab]", {("sjogren", True)}),
        ("randomized controlled trial[pt]", {("controlled", False)}),  # the last of equals
        ('"IV-Ig"[tiab]', {("ig", False)}),
        ("IVIG[tiab] OR CIDP[tiab]", {("ivig", False), ("cidp", False)}),
        ("IVIG[tiab] NOT rituximab[tiab]", {("ivig", False)}),
    ],
    ids=["phrase", "truncated-phrase", "wildcard", "hyphenated", "accented", "publication-type", "tie", "or", "not"],
)
def test_each_term_yields_the_word_a_matching_record_must_contain(query: str, expected: set) -> None:
    assert needles(query) == expected


def test_an_exploded_mesh_heading_yields_a_word_of_every_descriptor_below_it() -> None:
    # Polyradiculoneuropathy; Guillain-Barre Syndrome and Miller Fisher Syndrome; CIDP (whose
    # descriptor starts "Polyradiculoneuropathy, Chronic..." and so needs no word of its own)
    assert needles('"Polyradiculoneuropathy"[mh]') == {("polyradiculoneuropathy", False), ("syndrome", False)}


def test_a_mesh_heading_without_explosion_yields_its_own_word_only() -> None:
    assert needles('"Polyradiculoneuropathy"[mh:noexp]') == {("polyradiculoneuropathy", False)}


def test_and_keeps_the_child_with_fewer_needles() -> None:
    assert needles("(MMN[tiab]) AND (neuropathy[tiab] OR weakness[tiab])") == {("mmn", False)}


def test_a_phrase_takes_a_word_another_term_needs_rather_than_a_common_longer_one() -> None:
    query = '"immune globulin treatment"[tiab] OR "human immune globulin*"[tiab]'
    assert needles(query) == {("globulin", True)}


def test_a_truncated_needle_covers_the_whole_word_it_starts() -> None:
    assert needles("immunoglobulin*[tiab] OR immunoglobulins[tiab]") == {("immunoglobulin", True)}


@pytest.mark.parametrize(
    "query",
    ["2020[dp]", 'IVIG[tiab] OR "2020/01/01"[crdt] : "2020/02/01"[crdt]', "english[la] OR IVIG[tiab]", "αβ[tiab]"],
    ids=["date", "or-with-a-date", "language", "no-ascii-word"],
)
def test_a_node_no_needle_can_vouch_for_gives_no_filter(query: str) -> None:
    assert needles(query) is None


def test_and_with_an_unfilterable_side_keeps_the_other_side() -> None:
    assert needles("IVIG[tiab] AND 2020[dp]") == {("ivig", False)}


def test_a_top_level_and_gives_one_needle_set_per_operand() -> None:
    clauses = derive_clauses(parse_query("(MMN[tiab]) AND (neuropathy[tiab] OR weakness[tiab]) NOT rat[tiab]"))
    assert [{n.word for n in c} for c in clauses] == [{"mmn"}, {"neuropathy", "weakness"}]


def test_an_and_operand_without_sound_needles_adds_no_clause() -> None:
    assert [{n.word for n in c} for c in derive_clauses(parse_query("IVIG[tiab] AND 2020[dp]"))] == [{"ivig"}]


def record(title: str) -> bytes:
    return f"<PubmedArticle><ArticleTitle>{title}</ArticleTitle></PubmedArticle>".encode()


FILTER = RawFilter([Needle("ivig"), Needle("sjogren", prefix=True)])


@pytest.mark.parametrize(
    "title",
    ["IVIG in CIDP", "ivig", "(IVIg)", "IVIG-treated", "Sjögren's syndrome", "SJOGRENS", "ＩＶＩＧ", "Sjo\u0308gren"],
    ids=["word", "lower", "parenthesised", "hyphenated", "accented", "prefix", "fullwidth", "combining-mark"],
)
def test_a_record_containing_a_needle_as_the_gate_reads_it_passes(title: str) -> None:
    assert FILTER.may_match(record(title))


@pytest.mark.parametrize("title", ["IVIGG therapy", "Anti-IVIGx", "Sjogre", "αIVIG"], ids=str)
def test_a_record_without_a_needle_word_is_dropped_unless_a_fold_could_hide_one(title: str) -> None:
    expected = title == "αIVIG"  # a non-ASCII letter is a word break here: kept, to be safe
    assert FILTER.may_match(record(title)) is expected


@pytest.mark.parametrize(
    "title",
    ["I<i>VI</i>G", "&#x49;VIG", "I<!-- x -->VIG", "<![CDATA[IVIG]]>", "I<DispFormula>VIG</DispFormula>"],
    ids=["inline-markup", "character-reference", "comment", "cdata", "disp-formula"],
)
def test_a_record_whose_parsed_text_may_differ_from_its_bytes_is_kept(title: str) -> None:
    assert FILTER.may_match(record(title))


def test_bytes_that_are_not_utf8_keep_the_record() -> None:
    assert FILTER.may_match(record("caf\xe9").replace(b"caf", b"caf\xe9"))


def test_a_raw_filter_needs_a_needle() -> None:
    with pytest.raises(ValueError, match="at least one needle"):
        RawFilter([])


def test_a_record_must_hold_a_needle_of_every_clause() -> None:
    both = RawFilter([Needle("ivig")], [Needle("cidp"), Needle("sjogren", prefix=True)])
    assert both.may_match(record("IVIG in Sjogren's syndrome"))
    assert not both.may_match(record("IVIG in Kawasaki disease"))
    assert not both.may_match(record("Rituximab in CIDP"))


def test_every_clause_of_a_raw_filter_needs_a_needle() -> None:
    with pytest.raises(ValueError, match="at least one needle"):
        RawFilter([Needle("ivig")], [])
