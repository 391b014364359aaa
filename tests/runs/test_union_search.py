"""One union search plus local placement finds exactly what one search per condition finds: the
same articles under the same conditions, on the bundled demo corpus and on the real gold set, both
served by the emulator over real HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.fetch.eutils import EutilsClient, FetchReport
from ivig_lit.fetch.limiter import RateLimiter
from ivig_lit.fetch.windows import DateWindow
from ivig_lit.parse.models import Article
from ivig_lit.registry import Registry, load_registry
from ivig_lit.searches import ConditionAssigner, ConditionPlan, plan_searches, search_plan
from ivig_lit.tag.evaluate import gold_to_xml

END = dt.date(2026, 11, 22)  # the demo corpus's last replayed day
BACKFILL = DateWindow("crdt", dt.date(1900, 1, 1), END)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def _demo() -> Iterator[Emulator]:
    with Emulator(Corpus.demo(), today=END) as emu:
        yield emu


@pytest.fixture
def demo(_demo: Emulator) -> Emulator:
    """The demo corpus served as of its last replayed day, its request log cleared for each test."""
    _demo.reset()
    return _demo


def client_of(emu: Emulator) -> EutilsClient:
    return EutilsClient(emu.base_url, limiter=RateLimiter(1000.0), batch_size=300)


def per_condition(client: EutilsClient, registry: Registry) -> dict[str, set[str]]:
    """What the nightly found before: each condition's own query, searched alone."""
    return {c.id: set(client.search_pmids(registry.search_query(c.id), BACKFILL)) for c in registry.conditions}


def union_assigner(
    client: EutilsClient, registry: Registry, conditions_of: Callable[[Article], frozenset[str]] | None = None
) -> ConditionAssigner:
    plans = [ConditionPlan(c.id, BACKFILL, None) for c in registry.conditions]
    [plan] = plan_searches(plans, registry)
    return ConditionAssigner(registry, [search_plan(client, plan)], conditions_of)


def placed(assigner: ConditionAssigner, registry: Registry) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {c.id: set() for c in registry.conditions}
    for pmid, cids in assigner.found.items():
        for cid in cids:
            out[cid].add(pmid)
    return out


def union_then_placed(
    client: EutilsClient, registry: Registry, conditions_of: Callable[[Article], frozenset[str]] | None = None
) -> dict[str, set[str]]:
    """What the nightly finds now: one union search, each hit fetched and placed locally (what
    no condition matches locally is asked of ESearch)."""
    assigner = union_assigner(client, registry, conditions_of)
    for item in client.iter_found([], list(assigner.pending), FetchReport()):
        if isinstance(item, Article):
            assigner.place(item)
    assigner.place_by_search(client)
    return placed(assigner, registry)


def test_the_union_search_places_the_demo_corpus_as_the_per_condition_searches_do(
    demo: Emulator, registry: Registry
) -> None:
    client = client_of(demo)
    expected = per_condition(client, registry)
    assert sum(map(len, expected.values())) > 100  # a real test: most conditions have hits
    assert union_then_placed(client, registry) == expected


@pytest.mark.parametrize("text_only", [False, True], ids=["indexed", "text-only"])
def test_the_union_search_places_the_gold_set_as_the_per_condition_searches_do(
    gold_dev: Path, registry: Registry, tmp_path: Path, text_only: bool
) -> None:
    xml = gold_to_xml(gold_dev, tmp_path / "gold.xml", text_only=text_only)
    with Emulator(Corpus.from_files([xml]), today=END) as emu:
        client = client_of(emu)
        expected = per_condition(client, registry)
        assert sum(map(len, expected.values())) > 50
        assert union_then_placed(client, registry) == expected


def test_hits_no_condition_matches_locally_are_placed_by_pubmeds_own_answer(demo: Emulator, registry: Registry) -> None:
    client = client_of(demo)
    expected = per_condition(client, registry)
    demo.reset()
    disagreeing = union_then_placed(client, registry, conditions_of=lambda article: frozenset())
    assert disagreeing == expected
    asked = [r.params["term"] for r in demo.requests.filter(endpoint="esearch")[1:]]
    assert asked and all("[uid]" in term for term in asked)  # restricted to the unplaced PMIDs


def test_hits_placed_locally_cost_no_further_search(demo: Emulator, registry: Registry) -> None:
    union_then_placed(client_of(demo), registry)
    assert len(demo.requests.filter(endpoint="esearch")) == 1
