"""The relevance gate keeps exactly what the registry's PubMed searches would find: every record the
emulator's ESearch returns for a condition query passes it (gold set and demo corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.fetch.eutils import EutilsClient
from ivig_lit.gate import Gate
from ivig_lit.parse import iter_articles
from ivig_lit.parse.models import Article
from ivig_lit.query import matches, parse_query
from ivig_lit.registry import Registry, load_registry
from ivig_lit.tag.evaluate import gold_to_xml
from tests.cases.records import Rec, write_corpus

GOLD = Path(__file__).resolve().parents[1] / ".." / "shared" / "gold" / "dev.jsonl"
DEMO = Path(__file__).resolve().parents[1] / "src" / "ivig_lit" / "data" / "demo_corpus.xml.gz"


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


@pytest.mark.parametrize("corpus", ["gold", pytest.param("demo", marks=pytest.mark.slow)])
def test_every_record_esearch_returns_for_a_condition_query_passes_the_gate(
    corpus: str, registry: Registry, request: pytest.FixtureRequest
) -> None:
    xml = request.getfixturevalue("gold_xml") if corpus == "gold" else DEMO
    articles, gate = _articles(xml), Gate(registry)
    for cid, pmids in _esearch_hits(xml, registry).items():
        assert pmids, f"{cid}: the query finds nothing in the {corpus} corpus"
        assert all(cid in gate.conditions_of(articles[p]) for p in pmids), cid


@pytest.mark.parametrize("corpus", ["gold", pytest.param("demo", marks=pytest.mark.slow)])
def test_the_gate_answers_exactly_as_each_full_condition_query(
    corpus: str, registry: Registry, request: pytest.FixtureRequest
) -> None:
    xml = request.getfixturevalue("gold_xml") if corpus == "gold" else DEMO
    gate, queries = Gate(registry), {cid: parse_query(registry.search_query(cid)) for cid in registry.ids}
    for article in _articles(xml).values():
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
