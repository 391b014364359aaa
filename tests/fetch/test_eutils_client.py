"""The E-utilities client against the emulator over real HTTP: protocol chores, retries, errors."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from ivig_lit.emulator import RateLimit
from ivig_lit.errors import (
    EutilsHTTPError,
    EutilsResponseError,
    EutilsUnavailableError,
    RateLimitedError,
)
from ivig_lit.fetch.eutils import EutilsClient, FetchReport, _raise_for_xml_error, sanitize_url
from ivig_lit.fetch.limiter import RateLimiter
from ivig_lit.fetch.windows import DateWindow
from ivig_lit.parse.models import Article

CIDP = '"chronic inflammatory demyelinating polyneuropathy"[tiab] AND ivig[tiab]'
ALL_TIME = DateWindow("crdt", dt.date(1990, 1, 1), dt.date(2026, 11, 25))


def test_search_returns_every_matching_pmid_in_the_window(client: EutilsClient) -> None:
    pmids = client.search_pmids(CIDP, DateWindow("crdt", dt.date(2026, 10, 1), dt.date(2026, 11, 25)))
    assert sorted(pmids) == [str(40000000 + i) for i in range(8)]


def test_every_request_carries_tool_and_email(client: EutilsClient, emulator) -> None:
    client.search_pmids(CIDP, ALL_TIME)
    list(client.iter_articles(["40000001"], FetchReport()))
    assert {(r.params.get("tool"), r.params.get("email")) for r in emulator.requests} == {
        ("ivig-lit-tests", "dev@example.org")
    }


def test_efetch_sends_id_batches_by_post(client: EutilsClient, emulator) -> None:
    pmids = [str(40000000 + i) for i in range(45)]
    articles = [a for a in client.iter_articles(pmids, FetchReport()) if isinstance(a, Article)]
    fetches = emulator.requests.filter(endpoint="efetch")
    assert [(r.method, r.n_ids) for r in fetches] == [("POST", 20), ("POST", 20), ("POST", 5)]
    assert sorted(a.pmid for a in articles) == sorted(pmids)


def test_parameters_never_travel_in_the_url(client: EutilsClient, emulator) -> None:
    client.search_pmids(CIDP, ALL_TIME)
    assert all(r.method == "POST" and "?" not in r.path for r in emulator.requests)


def test_429_with_retry_after_is_retried_after_the_servers_delay(client, emulator, no_sleep) -> None:
    emulator.faults.retry_after = 7
    emulator.faults.script([429], endpoint="esearch")
    assert len(client.search_pmids(CIDP, ALL_TIME)) == 60
    assert no_sleep.waits == [7]
    assert client.stats.retries == 1


@pytest.mark.parametrize("faults", [[500, 502, 503], [504, "drop"], ["truncate"], ["cut"]])
def test_transient_failures_are_retried_with_backoff_until_success(client, emulator, no_sleep, faults) -> None:
    emulator.faults.script(faults, endpoint="efetch")
    articles = list(client.iter_articles(["40000001", "40000002"], FetchReport()))
    assert sorted(a.pmid for a in articles) == ["40000001", "40000002"]
    assert client.stats.retries == len(faults)
    assert all(0 < w <= 30 for w in no_sleep.waits)


def test_a_response_slower_than_the_timeout_is_retried(emulator, no_sleep) -> None:
    # "hang" holds the answer until the client gives up: no sleep racing its clock, and a timeout
    # no ordinary answer comes near on a loaded machine
    impatient = EutilsClient(emulator.base_url, timeout=2, limiter=RateLimiter(1000), sleep=no_sleep)
    emulator.faults.script(["hang"], endpoint="esearch")
    assert len(impatient.search_pmids(CIDP, ALL_TIME)) == 60
    assert impatient.stats.retries == 1


def test_backoff_grows_between_tries(client, emulator, no_sleep) -> None:
    emulator.faults.script([503, 503, 503], endpoint="esearch")
    client.search_pmids(CIDP, ALL_TIME)
    assert no_sleep.waits[0] < no_sleep.waits[1] < no_sleep.waits[2]


def test_persistent_429_ends_in_rate_limited_error_naming_the_request(client, emulator) -> None:
    emulator.faults.script([429] * 4, endpoint="esearch")
    with pytest.raises(RateLimitedError) as err:
        client.search_pmids(CIDP, ALL_TIME)
    assert "ESearch" in err.value.user_message and "after 4 tries" in err.value.user_message
    assert "API rate limit exceeded" in err.value.user_message


def test_persistent_5xx_ends_in_unavailable_error(client, emulator) -> None:
    emulator.faults.script([502] * 4, endpoint="efetch")
    with pytest.raises(EutilsUnavailableError, match="EFetch of 1 PMID"):
        list(client.iter_articles(["40000001"], FetchReport()))


def test_other_4xx_fail_fast_without_retry(client, emulator) -> None:
    emulator.faults.script([400], endpoint="esearch")
    with pytest.raises(EutilsHTTPError, match="HTTP 400"):
        client.search_pmids(CIDP, ALL_TIME)
    assert client.stats.retries == 0


def test_esearch_error_payload_raises_instead_of_returning_nothing(client) -> None:
    with pytest.raises(EutilsResponseError, match="ESearch error"):
        client.esearch('("unbalanced[tiab]')


def test_unknown_search_field_is_an_error_not_an_empty_result(client) -> None:
    with pytest.raises(EutilsResponseError):
        client.esearch("ivig[nosuchfield]")


def test_phrase_found_nowhere_is_logged_and_an_empty_result(client, caplog) -> None:
    with caplog.at_level(logging.DEBUG, logger="ivig_lit.fetch.eutils"):
        assert client.esearch('"zzyzx quirkle"[tiab]').count == 0
    assert "zzyzx quirkle" in caplog.text


def test_a_pmid_missing_from_a_batch_is_fetched_alone(client, emulator) -> None:
    emulator.faults.drop_pmids(["40000003"], only_in_batches=True)
    report = FetchReport()
    got = [a.pmid for a in client.iter_articles(["40000002", "40000003", "40000004"], report)]
    assert sorted(got) == ["40000002", "40000003", "40000004"]
    assert report.missing == []


def test_a_pmid_efetch_never_returns_is_reported_missing(client, emulator) -> None:
    emulator.faults.drop_pmids(["40000003"])
    report = FetchReport()
    got = [a.pmid for a in client.iter_articles(["40000002", "40000003"], report)]
    assert got == ["40000002"]
    assert report.missing == ["40000003"]
    assert (report.requested, report.returned) == (2, 1)


def test_api_key_is_sent_but_never_logged_or_shown(emulator, no_sleep, caplog) -> None:
    secret = "c0ffee1234567890secretkey"
    loopback = ["127.0.0.1"]  # listed, so the emulator may receive the key
    keyed = EutilsClient(
        emulator.base_url, api_key=secret, key_hosts=loopback, max_tries=2, limiter=RateLimiter(1000), sleep=no_sleep
    )
    emulator.faults.script([503, 503], endpoint="esearch")
    with caplog.at_level(logging.DEBUG), pytest.raises(EutilsUnavailableError) as err:
        keyed.search_pmids(CIDP, ALL_TIME)
    assert emulator.requests[0].params["api_key"] != secret  # the emulator saw a key (and redacts its log)
    assert secret not in caplog.text
    assert secret not in str(err.value) and secret not in repr(keyed) and secret not in str(err.value.fields)


def test_sanitize_url_removes_the_key_wherever_it_appears() -> None:
    assert sanitize_url("https://x/esearch.fcgi?db=pubmed&api_key=abc123&tool=t") == (
        "https://x/esearch.fcgi?db=pubmed&api_key=REDACTED&tool=t"
    )


def test_an_efetch_error_document_raises_instead_of_yielding_nothing() -> None:
    body = b'<?xml version="1.0" ?>\n<eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>'
    with pytest.raises(EutilsResponseError, match="Unable to obtain query #1"):
        _raise_for_xml_error(body)


def test_a_normal_efetch_document_passes_the_error_check() -> None:
    _raise_for_xml_error(b'<?xml version="1.0" ?>\n<PubmedArticleSet></PubmedArticleSet>')


def test_the_shared_limiter_keeps_a_keyless_client_under_ncbis_three_per_second(emulator) -> None:
    emulator.rate_limit = RateLimit()  # 429 past 3 requests/s without a key, as NCBI does
    try:
        polite = EutilsClient(emulator.base_url, limiter=RateLimiter(3.0), max_tries=1)
        for _ in range(5):
            polite.esearch(CIDP)
    finally:
        emulator.rate_limit = None
    searches = [r.status for r in emulator.requests.filter(endpoint="esearch")]
    assert 429 not in searches and searches.count(200) >= 5


def test_an_impolite_client_meets_ncbis_429_body(emulator, no_sleep) -> None:
    emulator.rate_limit = RateLimit()
    try:
        rude = EutilsClient(emulator.base_url, limiter=RateLimiter(1000.0), max_tries=1, sleep=no_sleep)
        with pytest.raises(RateLimitedError, match="API rate limit exceeded"):
            for _ in range(10):
                rude.esearch(CIDP)
    finally:
        emulator.rate_limit = None
