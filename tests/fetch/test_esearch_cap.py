"""ESearch returns at most 9,999 PMIDs per query: the client splits the date range until each
slice fits, so a full backfill never truncates silently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.fetch.eutils import ESEARCH_CAP, EutilsClient
from ivig_lit.fetch.limiter import RateLimiter
from ivig_lit.fetch.windows import DateWindow
from tests.cases.records import Rec, write_corpus

N = 10_400
START = dt.date(2024, 1, 1)


@pytest.fixture(scope="module")
def big_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    records = (Rec(pmid=50_000_000 + i, created=START + dt.timedelta(days=i % 700)) for i in range(N))
    path = write_corpus(tmp_path_factory.mktemp("big") / "big.xml", records)
    with Emulator(Corpus.from_files([path]), today=dt.date(2026, 11, 25)) as emu:
        yield emu


def test_a_window_past_the_cap_is_split_until_every_pmid_is_returned(big_emulator: Emulator) -> None:
    client = EutilsClient(big_emulator.base_url, limiter=RateLimiter(1000))
    window = DateWindow("crdt", START, dt.date(2026, 11, 25))
    pmids = client.search_pmids("ivig[tiab]", window)
    assert len(pmids) == N > ESEARCH_CAP
    assert len(set(pmids)) == N
    searches = big_emulator.requests.filter(endpoint="esearch")
    assert len(searches) == 3  # the whole window, then its two halves
