"""The rule engine: a matcher answers exactly as the plain alternation of its patterns would, however
it skips work, and rules stay data: a rule or condition added to the data files works with no code
change, even after other texts were read."""

from __future__ import annotations

import dataclasses
import re

import pytest

from ivig_lit.registry import Condition
from ivig_lit.tag import designs, tagger
from ivig_lit.tag._text import LiteralSets, MatcherSet, _is_screenable, compile_any, load_rules

# Sentences of our own, ASCII and not, with and without the rules' strings.
TEXTS = [
    "We randomly assigned 48 patients with CIDP to IVIg or placebo in a double-blind crossover trial.",
    "Previous randomized trials showed that intravenous immunoglobulin is effective; larger studies are needed.",
    "This is a retrospective cohort study of 1,024 consecutive adults treated between 2001 and 2019.",
    "Guillain–Barré syndrome after vaccination: a case report and review of the literature.",
    "Twenty-four of the thirty-two patients improved (p < 0.05) after 2 g/kg over five days.",
    "Résumé: les immunoglobulines intraveineuses ont été évaluées chez 12 enfants.",
    "Patients (n = 12 ± 3, age ≥ 18) were randomized in this β-blinded study.",
    "This ſtudy randomiſed \u0663 patients with CIDP to IVIg in a double-blind trial; İVIG was given.",
    "",
    "no rule string here at all",
]


def plain(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def rule_pattern_sets() -> list[list[str]]:
    text = load_rules("text")
    design = load_rules("designs")
    sets = [text["own_work"], text["other_work"], design["primary"]["patterns"], design["pooling"]["pooled"]]
    sets += [r["patterns"] for r in design["text"]]
    return sets


@pytest.mark.parametrize("patterns", rule_pattern_sets())
def test_a_matcher_finds_the_match_the_whole_alternation_finds_with_shared_or_own_strings(patterns: list[str]) -> None:
    matcher, whole = compile_any(patterns), plain(patterns)
    for text in TEXTS:
        want = (m := whole.search(text)) and m.span()
        for alone in (False, True):
            got = matcher.search(text, alone=alone)
            assert (got and got.span()) == want, (text, alone)


@pytest.mark.parametrize("patterns", [[p] for ps in rule_pattern_sets()[:4] for p in ps])
def test_a_single_pattern_matcher_finds_the_first_match_and_every_match_re_would(patterns: list[str]) -> None:
    matcher, whole = compile_any(patterns), plain(patterns)
    for text in TEXTS:
        want = [m.span() for m in whole.finditer(text)]
        assert (m.span() if (m := matcher.search(text)) else None) == (want[0] if want else None), text
        assert [m.span() for m in matcher.finditer(text)] == want, text
        assert [m.span() for m in matcher.finditer(text, alone=True)] == want, text
        assert matcher.sub("_", text) == whole.sub("_", text), text


def test_a_character_called_screenable_matches_no_rule_string() -> None:
    ascii_or_digit = re.compile("|".join(map(re.escape, map(chr, range(128)))) + r"|\d", re.IGNORECASE)
    for code in range(128, 0x10000):
        char = chr(code)
        if _is_screenable(char):
            assert not ascii_or_digit.fullmatch(char), hex(code)


def test_a_matcher_built_after_a_text_was_read_still_finds_its_strings() -> None:
    text = "A zqxwvy-controlled study."
    assert compile_any([r"\bcontrolled\b"]).search(text)  # the text's strings are found and kept
    assert compile_any([r"\bzqxwvy\b"]).search(text).group(0) == "zqxwvy"


def test_a_matcher_set_names_only_the_matchers_whose_strings_a_record_holds() -> None:
    matchers = [compile_any([r"\bplacebo\b"]), compile_any([r"\bcohort\b"]), compile_any([r"\bsham\b"])]
    live = MatcherSet(matchers).live(["Placebo was given.", "A sham arm."])
    assert live == {0, 2}


def test_a_matcher_set_names_every_matcher_for_text_it_cannot_screen() -> None:
    matchers = [compile_any([r"\bplacebo\b"]), compile_any([r"\bcohort\b"])]
    assert MatcherSet(matchers).live(["\u212a (a Kelvin sign, read as k by the regex engine)."]) == {0, 1}


def test_literal_sets_name_the_sets_with_a_string_in_the_text_whatever_its_case() -> None:
    sets = LiteralSets([["GBS", "guillain"], ["CIDP"], ["myasthenia"]])
    assert sets.live(["Patients with gbs", "or cidp."]) == {0, 1}


def test_a_design_rule_added_to_the_rule_file_fires_with_no_code_change(make, registry, monkeypatch) -> None:
    data = dict(load_rules("designs"))
    added = {
        "id": "added_rule",
        "design": "cohort",
        "strength": "statement",
        "sections": ["title", "methods", "body"],
        "own_work": True,
        "patterns": [r"\bqwzx[\s-]+registry study\b"],
    }
    data["text"] = [added, *data["text"]]
    monkeypatch.setattr(designs, "load_rules", lambda name: data if name == "designs" else load_rules(name))
    designs.design_rules.cache_clear()
    try:
        tags = tagger.tag_article(make("IVIG in CIDP: a Qwzx-registry study", "We followed 40 patients."), registry)
    finally:
        monkeypatch.undo()
        designs.design_rules.cache_clear()
    assert (tags.design, tags.design_evidence) == ("cohort", "text:title:qwzx-registry study")


def test_a_condition_added_to_the_registry_is_tagged_with_no_code_change(make, registry) -> None:
    added = Condition(
        id="zqx_neuropathy",
        label="Zqx neuropathy",
        query="zqx neuropathy[tiab]",
        baseline=registry.conditions[0].baseline,
        synonyms=("zqx neuropathy", "zqx-associated neuropathy"),
        abbreviations=("ZQXN",),
    )
    extended = dataclasses.replace(registry, conditions=(*registry.conditions, added))
    article = make("IVIG in ZQXN", "We treated 12 patients with zqx-associated neuropathy with IVIG.")
    assert "zqx_neuropathy" in tagger.tag_article(article, extended).condition_ids
    assert "zqx_neuropathy" not in tagger.tag_article(article, registry).condition_ids
