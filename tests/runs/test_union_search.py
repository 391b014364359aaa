"""One union search plus local placement finds exactly what one search per condition finds: the
same articles under the same conditions, on the bundled demo corpus and on the real gold set, both
served by the emulator over real HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
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
def demo() -> Iterator[Emulator]:
    with Emulator(Corpus.demo(), today=END) as emu:
        yield emu


def client_of(emu: Emulator) -> EutilsClient:
    return EutilsClient(emu.base_url, limiter=RateLimiter(1000.0), batch_size=300)


def per_condition(client: EutilsClient, registry: Registry) -> dict[str, set[str]]:
    """What the nightly found before: each condition's own query, searched alone."""
    return {c.id: set(client.search_pmids(registry.search_query(c.id), BACKFILL)) for c in registry.conditions}


def union_assigner(client: EutilsClient, registry: Registry) -> ConditionAssigner:
    plans = [ConditionPlan(c.id, registry.search_query(c.id), BACKFILL, None) for c in registry.conditions]
    [plan] = plan_searches(plans, registry)
    return ConditionAssigner(registry, [search_plan(client, plan)])


def placed(assigner: ConditionAssigner, registry: Registry) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {c.id: set() for c in registry.conditions}
    for pmid, cids in assigner.found.items():
        for cid in cids:
            out[cid].add(pmid)
    return out


def union_then_placed(client: EutilsClient, registry: Registry) -> dict[str, set[str]]:
    """What the nightly finds now: one union search, each hit fetched and placed locally."""
    assigner = union_assigner(client, registry)
    for item in client.iter_found([], list(assigner.pending), FetchReport()):
        if isinstance(item, Article):
            assigner.place(item)
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


def test_hits_left_unplaced_locally_are_placed_by_pubmeds_own_answer(demo: Emulator, registry: Registry) -> None:
    client = client_of(demo)
    expected = per_condition(client, registry)
    demo.reset()
    assigner = union_assigner(client, registry)  # nothing fetched, so nothing placed locally
    assigner.place_by_search(client)
    assert placed(assigner, registry) == expected
    asked = demo.requests.filter(endpoint="esearch")[1:]
    assert asked and all("[uid]" in r.params["term"] for r in asked)  # restricted to the unplaced PMIDs
