"""The ClinicalTrials.gov client against the emulator over real HTTP: paging, incremental windows,
and the same treatment of faults as the E-utilities client."""

from __future__ import annotations

import datetime as dt

import pytest

from ivig_lit.emulator.ctgov import TrialCorpus
from ivig_lit.errors import CtgovHTTPError, CtgovResponseError, CtgovUnavailableError, RateLimitedError
from ivig_lit.fetch.ctgov import CtgovClient, Study, StudyDate, parse_study, updated_since_filter
from ivig_lit.parse.models import RecordError

IVIG = "immunoglobulin OR IVIG"
NEUROPATHIES = '"guillain-barre" OR CIDP OR "multifocal motor neuropathy"'


def ids(items: list) -> list[str]:
    return [s.nct_id for s in items]


def test_paging_follows_next_page_tokens_until_the_last_page(ctgov: CtgovClient, trials_emulator) -> None:
    studies = list(ctgov.iter_studies(cond=NEUROPATHIES, intr=IVIG))
    assert ids(studies) == ["NCT09000101", "NCT09000102", "NCT09000104", "NCT09000109", "NCT09000110"]
    tokens = [r.params.get("pageToken") for r in trials_emulator.requests.filter(endpoint="studies")]
    assert len(tokens) == 3 and tokens[0] is None and all(tokens[1:])


def test_every_page_asks_for_json_the_kept_fields_and_the_page_size(ctgov: CtgovClient, trials_emulator) -> None:
    list(ctgov.iter_studies(cond="CIDP"))
    params = trials_emulator.requests[0].params
    assert (params["format"], params["pageSize"]) == ("json", "2")
    assert "protocolSection.statusModule" in params["fields"] and "hasResults" in params["fields"]
    assert trials_emulator.requests[0].method == "GET"


def test_the_intervention_query_leaves_out_studies_of_other_drugs(ctgov: CtgovClient) -> None:
    assert ids(ctgov.iter_studies(cond='"anti-mag"')) == ["NCT09000108"]
    assert ids(ctgov.iter_studies(cond='"anti-mag"', intr=IVIG)) == []


def test_an_incremental_run_asks_only_for_studies_updated_since_its_window(ctgov: CtgovClient, trials_emulator) -> None:
    studies = list(ctgov.iter_studies(cond=NEUROPATHIES, intr=IVIG, updated_since=dt.date(2026, 9, 1)))
    assert ids(studies) == ["NCT09000101", "NCT09000110"]
    assert trials_emulator.requests[0].params["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2026-09-01,MAX]"


def test_the_emulator_replays_a_trials_life_by_its_today(ctgov: CtgovClient, trials_emulator) -> None:
    seen = {}
    for day in (dt.date(2026, 10, 1), dt.date(2026, 10, 21), dt.date(2026, 11, 5)):
        trials_emulator.today = day
        (study,) = [s for s in ctgov.iter_studies(cond="CIDP") if s.nct_id == "NCT09000101"]
        seen[day] = (study.overall_status, study.has_results)
    assert list(seen.values()) == [("ACTIVE_NOT_RECRUITING", False), ("COMPLETED", False), ("COMPLETED", True)]


def test_a_study_registered_after_today_is_not_served(ctgov: CtgovClient, trials_emulator) -> None:
    trials_emulator.today = dt.date(2026, 11, 8)
    assert "NCT09000105" not in ids(ctgov.iter_studies(cond='"stiff-person"'))
    trials_emulator.today = dt.date(2026, 11, 9)
    assert ids(ctgov.iter_studies(cond='"stiff-person"')) == ["NCT09000105"]


def test_429_with_retry_after_is_retried_after_the_servers_delay(ctgov: CtgovClient, trials_emulator, no_sleep) -> None:
    trials_emulator.faults.retry_after = 7
    trials_emulator.faults.script([429], endpoint="studies")
    assert len(list(ctgov.iter_studies(cond="CIDP"))) == 2
    assert no_sleep.waits == [7] and ctgov.stats.retries == 1


@pytest.mark.parametrize("faults", [[500, 502, 503], [504, "drop"], ["truncate"], ["cut"]])
def test_5xx_dropped_and_cut_answers_are_retried(ctgov: CtgovClient, trials_emulator, faults: list) -> None:
    trials_emulator.faults.script(faults, endpoint="studies")
    assert len(list(ctgov.iter_studies(cond="CIDP"))) == 2
    assert ctgov.stats.retries == len(faults)


def test_a_fault_on_a_later_page_is_retried_without_losing_a_page(ctgov: CtgovClient, trials_emulator) -> None:
    trials_emulator.faults.script([None, 503, "cut"], endpoint="studies")
    assert len(list(ctgov.iter_studies(cond=NEUROPATHIES, intr=IVIG))) == 5


def test_429_that_never_stops_is_a_rate_limited_error(ctgov: CtgovClient, trials_emulator) -> None:
    trials_emulator.faults.set_rate(429, 1.0, endpoint="studies")
    with pytest.raises(RateLimitedError, match="failed after 4 tries"):
        list(ctgov.iter_studies(cond="CIDP"))


def test_an_outage_that_outlasts_the_retries_is_a_transient_unavailable_error(ctgov: CtgovClient, trials_emulator):
    trials_emulator.faults.set_rate(503, 1.0, endpoint="studies")
    with pytest.raises(CtgovUnavailableError, match="HTTP 503"):
        list(ctgov.iter_studies(cond="CIDP"))


def test_a_200_with_an_error_body_is_an_error_never_an_empty_result(ctgov: CtgovClient, trials_emulator) -> None:
    trials_emulator.faults.script(["error"], endpoint="studies")
    with pytest.raises(CtgovResponseError, match="upstream search service unavailable"):
        list(ctgov.iter_studies(cond="CIDP"))
    assert ctgov.stats.retries == 0


def test_a_bad_request_fails_at_once_with_the_servers_words(ctgov: CtgovClient, trials_emulator) -> None:
    with pytest.raises(CtgovHTTPError, match="HTTP 400 Bad Request: pageToken"):
        ctgov.studies_page({"query.cond": "CIDP", "pageToken": "not-a-token"})
    assert len(trials_emulator.requests) == 1


def test_a_study_that_cannot_be_read_becomes_a_record_error(ctgov: CtgovClient, trials_emulator) -> None:
    posted = {"date": "2026-01-05", "type": "ACTUAL"}
    status = {"studyFirstPostDateStruct": posted, "lastUpdatePostDateStruct": posted}
    broken = {"protocolSection": {"identificationModule": {"nctId": "NCT09999999"}, "statusModule": status}}
    trials_emulator.trials = TrialCorpus([broken])
    (item,) = ctgov.iter_studies(cond="NCT09999999")
    assert isinstance(item, RecordError) and item.pmid == "NCT09999999"
    assert "lacks briefTitle" in item.reason


def test_an_unreachable_registry_says_how_to_run_offline(no_sleep) -> None:
    client = CtgovClient("http://127.0.0.1:9/api/v2/", max_tries=1, timeout=1, sleep=no_sleep)
    with pytest.raises(CtgovUnavailableError, match="ivig-lit emulator"):
        client.studies_page({"query.cond": "CIDP"})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2027-06-30", dt.date(2027, 6, 30)),
        ("2027-06", dt.date(2027, 6, 1)),
        ("2027", dt.date(2027, 1, 1)),
        ("soon", None),
    ],
)
def test_partial_registry_dates_mean_their_earliest_day(raw: str, expected: dt.date | None) -> None:
    assert StudyDate(raw, "ESTIMATED").date == expected


def test_a_study_without_an_nct_id_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="nctId"):
        parse_study({"protocolSection": {"identificationModule": {"briefTitle": "x"}}})


def test_the_incremental_filter_is_the_documented_advanced_expression() -> None:
    assert updated_since_filter(dt.date(2026, 11, 1)) == "AREA[LastUpdatePostDate]RANGE[2026-11-01,MAX]"


def test_a_randomised_interventional_study_counts_as_an_rct(ctgov: CtgovClient) -> None:
    by_id = {s.nct_id: s for s in ctgov.iter_studies(cond=NEUROPATHIES, intr=IVIG) if isinstance(s, Study)}
    assert by_id["NCT09000102"].is_randomised and not by_id["NCT09000109"].is_randomised
