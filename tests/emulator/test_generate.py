"""The demo-corpus generator: deterministic, and covering every condition, design and awkward case."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest
from lxml import etree

from ivig_lit.emulator import Corpus
from ivig_lit.emulator.generate import (
    DEMO_SEED,
    DESIGNS,
    SCENARIO_EVENTS,
    WINDOW_END,
    WINDOW_START,
    generate_corpus,
    iter_scenario_specs,
    iter_specs,
)
from ivig_lit.emulator.query import evaluate
from ivig_lit.registry import load_registry

REGISTRY = load_registry()


def test_same_seed_gives_byte_identical_output(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xml.gz", tmp_path / "b.xml.gz"
    generate_corpus(300, seed=11, out_path=a, scenario=False)
    generate_corpus(300, seed=11, out_path=b, scenario=False)
    assert a.read_bytes() == b.read_bytes()


def test_different_seeds_give_different_text(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    generate_corpus(50, seed=1, out_path=a, scenario=False)
    generate_corpus(50, seed=2, out_path=b, scenario=False)
    assert a.read_bytes() != b.read_bytes()


def test_bundled_demo_corpus_is_what_the_generator_writes(tmp_path: Path) -> None:
    fresh = tmp_path / "demo.xml.gz"
    generate_corpus(None, seed=DEMO_SEED, out_path=fresh, scenario=True)
    bundled = Path(__file__).resolve().parents[2] / "src" / "ivig_lit" / "data" / "demo_corpus.xml.gz"
    assert gzip.decompress(fresh.read_bytes()) == gzip.decompress(bundled.read_bytes())


def test_output_is_well_formed_pubmed_xml_with_the_requested_count(corpus_path: Path) -> None:
    root = etree.fromstring(gzip.decompress(corpus_path.read_bytes()))
    assert root.tag == "PubmedArticleSet" and len(root) == 2000


def test_generated_records_cover_every_condition_and_design() -> None:
    papers = [s for s in iter_specs(2000, seed=7, conditions=REGISTRY.ids) if s.kind == "paper"]
    assert {s.condition for s in papers} == set(REGISTRY.ids)
    assert {s.design for s in papers} == set(DESIGNS)


@pytest.mark.parametrize(
    "feature",
    [b"<MedlineDate>", b'Status="In-Process"', b'Status="Publisher"', b"<VernacularTitle>", b"<i>", b"<sup>",
     b"<mml:math", b"<PubmedBookArticle>", b'RefType="RetractionIn"', b'RefType="RetractionOf"',
     b'RefType="ErratumFor"', b"Group B streptococcus (GBS)", b"MG/kg", b"SupplMeshName", b'Label="METHODS"'],
)  # fmt: skip
def test_corpus_contains_pubmeds_awkward_cases(corpus_path: Path, feature: bytes) -> None:
    assert feature in gzip.decompress(corpus_path.read_bytes())


def test_some_records_are_revised_under_the_same_pmid(corpus: Corpus) -> None:
    assert len(corpus) > corpus.n_pmids


def test_late_added_records_have_entrez_date_years_before_create_date(corpus: Corpus) -> None:
    assert any((d.crdt - d.edat).days > 365 for d in corpus.docs)


def test_scenario_events_fall_in_the_replay_window() -> None:
    assert all(WINDOW_START <= e.date <= WINDOW_END for e in SCENARIO_EVENTS)
    assert {e.kind for e in SCENARIO_EVENTS} >= {"new_record", "revision", "retraction", "retraction_notice"}


def test_scenario_history_matches_each_baseline(demo_corpus: Corpus) -> None:
    before = demo_corpus.visible_docs(WINDOW_START - dt.timedelta(days=1))
    rcts = evaluate('"randomized controlled trial"[pt]', demo_corpus)
    for condition in REGISTRY.conditions:
        n_rct = len(evaluate(REGISTRY.search_query(condition.id), demo_corpus) & rcts & before)
        expected = {"established_efficacy": 3, "single_rct_support": 1, "no_benefit": 2}.get(
            condition.baseline.grade, 0
        )
        if condition.id == "sjogren":
            expected = 1  # the old positive trial retracted during the replay
        assert n_rct >= expected if expected else n_rct == 0, condition.id


def test_scenario_window_records_are_created_inside_the_window(demo_corpus: Corpus) -> None:
    window = [d for d in demo_corpus.docs if d.pmid.startswith("99")]
    assert window and all(WINDOW_START <= d.crdt <= WINDOW_END for d in window)


def test_scenario_specs_are_deterministic() -> None:
    assert list(iter_scenario_specs(5, 100)) == list(iter_scenario_specs(5, 100))
