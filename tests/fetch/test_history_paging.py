"""Large result sets are fetched from NCBI's history server (usehistory=y, then EFetch by WebEnv and
query_key in pages), as NCBI recommends; small or partly wanted ones are POSTed by id."""

from __future__ import annotations

import datetime as dt

import pytest

from ivig_lit.config import Settings
from ivig_lit.emulator import Emulator
from ivig_lit.errors import ConfigError
from ivig_lit.fetch.eutils import EutilsClient, FetchReport
from ivig_lit.fetch.limiter import RateLimiter
from ivig_lit.fetch.windows import DateWindow
from ivig_lit.parse.models import Article

CIDP = '"chronic inflammatory demyelinating polyneuropathy"[tiab] AND ivig[tiab]'
ALL_TIME = DateWindow("crdt", dt.date(1990, 1, 1), dt.date(2026, 11, 25))


def paging_client(emulator: Emulator, no_sleep, threshold: int = 10) -> EutilsClient:
    return EutilsClient(
        emulator.base_url,
        batch_size=20,
        history_threshold=threshold,
        history_batch_size=25,
        limiter=RateLimiter(1000.0),
        sleep=no_sleep,
    )


def fetched_pmids(client: EutilsClient, wanted: list[str] | None = None) -> tuple[list[str], FetchReport]:
    found = client.search_sets(CIDP, ALL_TIME)
    report = FetchReport()
    ids = [p for s in found for p in s.ids] if wanted is None else wanted
    items = client.iter_found(found, ids, report)
    return sorted(a.pmid for a in items if isinstance(a, Article)), report


def test_a_search_keeps_its_result_set_on_the_history_server(emulator: Emulator, no_sleep) -> None:
    [found] = paging_client(emulator, no_sleep).search_sets(CIDP, ALL_TIME)
    assert found.webenv and found.query_key == "1" and len(found.ids) == 60
    assert emulator.requests[0].params["usehistory"] == "y"


def test_a_result_set_past_the_threshold_is_fetched_by_webenv_in_pages(emulator: Emulator, no_sleep) -> None:
    pmids, report = fetched_pmids(paging_client(emulator, no_sleep))
    assert pmids == [str(40000000 + i) for i in range(60)] and report.missing == []
    fetches = emulator.requests.filter(endpoint="efetch")
    pages = [(r.params.get("query_key"), r.params.get("retstart"), r.params.get("retmax")) for r in fetches]
    assert pages == [("1", "0", "25"), ("1", "25", "25"), ("1", "50", "10")]
    assert all("id" not in r.params and r.method == "POST" for r in fetches)


def test_a_result_set_under_the_threshold_is_posted_by_id(emulator: Emulator, no_sleep) -> None:
    fetched_pmids(paging_client(emulator, no_sleep, threshold=100))
    fetches = emulator.requests.filter(endpoint="efetch")
    assert [r.n_ids for r in fetches] == [20, 20, 20] and all("webenv" not in r.params for r in fetches)


def test_only_the_wanted_ids_of_a_partly_stored_set_are_fetched(emulator: Emulator, no_sleep) -> None:
    wanted = [str(40000000 + i) for i in range(0, 60, 2)]
    pmids, _ = fetched_pmids(paging_client(emulator, no_sleep), wanted)
    assert pmids == sorted(wanted)
    assert sum(r.n_ids for r in emulator.requests.filter(endpoint="efetch")) == 30


def test_a_record_missing_from_a_history_page_is_asked_for_alone(emulator: Emulator, no_sleep) -> None:
    emulator.faults.drop_pmids(["40000030"])
    pmids, report = fetched_pmids(paging_client(emulator, no_sleep))
    assert "40000030" not in pmids and report.missing == ["40000030"] and len(pmids) == 59
    alone = [r for r in emulator.requests.filter(endpoint="efetch") if r.params.get("id") == "40000030"]
    assert len(alone) == 1


def test_the_history_threshold_and_page_size_are_settings() -> None:
    settings = Settings.from_env({"IVIG_LIT_HISTORY_THRESHOLD": "5", "IVIG_LIT_HISTORY_BATCH_SIZE": "50"})
    client = EutilsClient.from_settings(settings)
    assert (client.history_threshold, client.history_batch_size) == (5, 50)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"IVIG_LIT_HISTORY_BATCH_SIZE": "20000"}, "history_batch_size must be between 1 and 10000, got 20000"),
        ({"IVIG_LIT_HISTORY_THRESHOLD": "-1"}, "history_threshold must be 0 or more, got -1"),
    ],
)
def test_a_history_setting_out_of_range_is_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)
