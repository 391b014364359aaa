"""The relevance gate keeps exactly what the registry's PubMed searches would find: every record the
emulator's ESearch returns for a condition query passes it (gold set and demo corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.fetch.eutils import EutilsClient
from ivig_lit.gate import Gate
from ivig_lit.parse import iter_articles
from ivig_lit.parse.models import SKIPPED, Article
from ivig_lit.query import matches, parse_query
from ivig_lit.registry import Registry, load_registry
from ivig_lit.tag.evaluate import gold_to_xml
from tests.cases.records import Rec, record_xml, write_corpus

GOLD = Path(__file__).resolve().parents[1] / ".." / "shared" / "gold" / "dev.jsonl"
DEMO = Path(__file__).resolve().parents[1] / "src" / "ivig_lit" / "data" / "demo_corpus.xml.gz"
REAL = sorted((Path(__file__).resolve().parents[1] / ".." / "shared" / "data").glob("*.xml*"))


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def _articles(path: Path) -> dict[str, Article]:
    return {a.pmid: a for a in iter_articles(path) if isinstance(a, Article)}


def _esearch_hits(xml: Path, registry: Registry) -> dict[str, set[str]]:
    """PMIDs the emulator's ESearch returns per condition query, over real HTTP."""
    with Emulator(Corpus.from_files([xml])) as emu:
        client = EutilsClient(emu.base_url, requests_per_second=1000.0)
        return {cid: set(client.esearch(registry.search_query(cid), retmax=9999).ids) for cid in registry.ids}


@pytest.fixture(scope="module")
def gold_xml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not GOLD.exists():
        pytest.skip("../shared/gold is not present")
    return gold_to_xml(GOLD, tmp_path_factory.mktemp("gold") / "gold.xml", text_only=False)


@pytest.fixture(scope="module")
def gold_text_only_xml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not GOLD.exists():
        pytest.skip("../shared/gold is not present")
    return gold_to_xml(GOLD, tmp_path_factory.mktemp("gold") / "gold-text-only.xml", text_only=True)


@pytest.mark.parametrize("corpus", ["gold", pytest.param("demo", marks=pytest.mark.slow)])
def test_the_gate_keeps_exactly_the_records_esearch_returns_for_each_condition_query(
    corpus: str, registry: Registry, request: pytest.FixtureRequest
) -> None:
    xml = request.getfixturevalue("gold_xml") if corpus == "gold" else DEMO
    articles, gate = _articles(xml), Gate(registry)
    hits = _esearch_hits(xml, registry)
    assert all(hits.values()), f"a condition query finds nothing in the {corpus} corpus"
    for pmid, article in articles.items():
        assert gate.conditions_of(article) == {cid for cid, pmids in hits.items() if pmid in pmids}, pmid


def test_the_gate_answers_exactly_as_each_full_condition_query_evaluated_term_by_term(
    registry: Registry, gold_xml: Path
) -> None:
    """The brute-force reference, on the gold set (the demo corpus is checked against ESearch above)."""
    gate, queries = Gate(registry), {cid: parse_query(registry.search_query(cid)) for cid in registry.ids}
    for article in _articles(gold_xml).values():
        expected = {cid for cid, q in queries.items() if matches(q, article)}
        assert gate.conditions_of(article) == expected, article.pmid


def test_a_record_that_names_a_condition_without_ivig_is_out_of_scope(registry: Registry, tmp_path: Path) -> None:
    xml = write_corpus(
        tmp_path / "c.xml",
        [
            Rec(
                1,
                title="Plasma exchange in chronic inflammatory demyelinating polyneuropathy",
                abstract="No immunoglobulin.",
            )
        ],
    )
    (article,) = _articles(xml).values()
    assert not Gate(registry).is_in_scope(article)


def test_a_record_on_ivig_in_a_tracked_condition_is_in_scope(registry: Registry, tmp_path: Path) -> None:
    (article,) = _articles(write_corpus(tmp_path / "c.xml", [Rec(2)])).values()
    assert Gate(registry).conditions_of(article) == {"cidp"}


def test_a_record_naming_ivig_and_its_condition_only_by_variant_spellings_passes_screen_and_gate(
    registry: Registry, tmp_path: Path
) -> None:
    record = Rec(3, title="IVIGs in Guilain-Barre syndrome", abstract="Kenketsu Venilon-I was given on admission.")
    xml = write_corpus(tmp_path / "c.xml", [record])
    assert {p: set(c) for p, c in _kept(xml, Gate(registry), screened=True).items()} == {"3": {"gbs"}}


def _kept(xml: Path | bytes, gate: Gate, *, screened: bool) -> dict[str, frozenset[str]]:
    """PMID -> conditions of every record the gate keeps, reading with or without its raw screen."""
    items = iter_articles(xml, screen=gate.screen if screened else None)
    return {a.pmid: c for a in items if isinstance(a, Article) and (c := gate.conditions_of(a))}


@pytest.mark.parametrize("corpus", ["gold_xml", "gold_text_only_xml", "demo", *REAL], ids=lambda c: Path(c).name)
def test_the_raw_pre_filter_never_drops_a_record_the_gate_keeps(
    corpus: str | Path, registry: Registry, request: pytest.FixtureRequest
) -> None:
    xml = DEMO if corpus == "demo" else corpus if isinstance(corpus, Path) else request.getfixturevalue(corpus)
    gate = Gate(registry)
    assert _kept(xml, gate, screened=True) == _kept(xml, gate, screened=False)


@pytest.mark.parametrize(
    "title",
    [
        "I<i>VI</i>G in CIDP",
        "&#x49;VIG in CIDP",
        "ＩＶＩＧ in CIDP",
        "Intravenous immunoglobulin in Sjögren's syndrome",
        "Intravenous immunoglobulin in Guillain-Barre\u0301 syndrome",
        "IV-Ig<sup>2</sup> in CIDP",
        "IVIG&amp;CIDP",
    ],
    ids=["inline-markup", "character-reference", "fullwidth", "accent", "combining-mark", "superscript", "entity"],
)
def test_the_pre_filter_keeps_an_in_scope_record_however_its_words_are_written(registry: Registry, title: str) -> None:
    raw = record_xml(Rec(1, title="TITLE")).replace("TITLE", title)
    xml = f"<?xml version='1.0'?>\n<PubmedArticleSet>\n{raw}\n</PubmedArticleSet>\n".encode()
    gate = Gate(registry)
    assert _kept(xml, gate, screened=True) == _kept(xml, gate, screened=False) != {}


def test_the_pre_filter_skips_an_off_topic_record_unparsed(registry: Registry, tmp_path: Path) -> None:
    xml = write_corpus(tmp_path / "c.xml", [Rec(1, title="Plasma exchange in myasthenia", abstract="No antibodies.")])
    assert list(iter_articles(xml, screen=Gate(registry).screen)) == [SKIPPED]


@pytest.mark.skipif(not REAL, reason="../shared/data is not present")
def test_the_pre_filter_leaves_few_off_topic_medline_records_to_parse(registry: Registry) -> None:
    (medline,) = [p for p in REAL if p.name.startswith("medline")]
    items = list(iter_articles(medline, screen=Gate(registry).screen))
    assert sum(item is SKIPPED for item in items) >= 0.95 * len(items)
