"""The emulator over real HTTP: ESearch/EFetch shapes, paging, history, dates, errors, faults, limits."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from lxml import etree

from ivig_lit.emulator import Emulator, RateLimit
from ivig_lit.emulator.generate import SCENARIO_EVENTS
from ivig_lit.registry import load_registry

IVIG = '"immunoglobulins, intravenous"[mh] OR ivig[tiab]'
REGISTRY = load_registry()


def esearch(emu: Emulator, http: requests.Session, **params: object) -> dict:
    response = http.get(emu.base_url + "esearch.fcgi", params={"db": "pubmed", "retmode": "json", **params})
    assert response.status_code == 200
    return response.json()["esearchresult"]


def efetch_pmids(response: requests.Response) -> list[str]:
    root = etree.fromstring(response.content)
    return root.xpath("//MedlineCitation/PMID/text() | //BookDocument/PMID/text()")


def test_esearch_json_has_ncbis_shape(emulator: Emulator, http: requests.Session) -> None:
    body = http.get(emulator.base_url + "esearch.fcgi", params={"term": IVIG, "retmode": "json"}).json()
    assert body["header"] == {"type": "esearch", "version": "0.3"}
    result = body["esearchresult"]
    assert set(result) == {"count", "retmax", "retstart", "idlist", "translationset", "querytranslation"}
    assert int(result["count"]) > 20 and result["retmax"] == "20" and len(result["idlist"]) == 20


def test_esearch_xml_is_the_default_and_has_ncbis_shape(emulator: Emulator, http: requests.Session) -> None:
    response = http.get(emulator.base_url + "esearch.fcgi", params={"term": IVIG, "usehistory": "y"})
    root = etree.fromstring(response.content)
    assert root.tag == "eSearchResult"
    assert [c.tag for c in root][:6] == ["Count", "RetMax", "RetStart", "QueryKey", "WebEnv", "IdList"]
    assert len(root.findall("IdList/Id")) == 20


def test_ids_are_ordered_newest_entrez_date_first(emulator: Emulator, http: requests.Session) -> None:
    ids = esearch(emulator, http, term=IVIG, retmax=500)["idlist"]
    edats = [emulator.corpus.lookup(p, emulator.today).edat for p in ids]
    assert edats == sorted(edats, reverse=True)


def test_retstart_and_retmax_page_through_the_same_ordering(emulator: Emulator, http: requests.Session) -> None:
    everything = esearch(emulator, http, term=IVIG, retmax=300)["idlist"]
    pages = [esearch(emulator, http, term=IVIG, retstart=s, retmax=50)["idlist"] for s in range(0, 300, 50)]
    assert [p for page in pages for p in page] == everything


def test_usehistory_then_efetch_by_webenv_returns_the_stored_results(
    emulator: Emulator, http: requests.Session
) -> None:
    result = esearch(emulator, http, term=IVIG, usehistory="y", retmax=5)
    assert result["querykey"] == "1" and result["webenv"]
    page = http.get(
        emulator.base_url + "efetch.fcgi",
        params={"db": "pubmed", "WebEnv": result["webenv"], "query_key": "1", "retstart": 0, "retmax": 5},
    )
    assert efetch_pmids(page) == result["idlist"]


def test_efetch_document_has_declaration_doctype_and_requested_order(
    emulator: Emulator, http: requests.Session
) -> None:
    ids = esearch(emulator, http, term=IVIG, retmax=3)["idlist"][::-1]
    response = http.get(emulator.base_url + "efetch.fcgi", params={"db": "pubmed", "id": ",".join(ids)})
    assert response.text.startswith('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet')
    assert efetch_pmids(response) == ids


def test_efetch_by_post_accepts_500_ids(emulator: Emulator, http: requests.Session) -> None:
    ids = esearch(emulator, http, term="humans[mh]", retmax=500)["idlist"]
    response = http.post(emulator.base_url + "efetch.fcgi", data={"db": "pubmed", "id": ",".join(ids)})
    assert len(ids) == 500 and efetch_pmids(response) == ids
    assert emulator.requests[-1].n_ids == 500 and emulator.requests[-1].method == "POST"


def test_efetch_silently_omits_unknown_pmids(emulator: Emulator, http: requests.Session) -> None:
    response = http.get(emulator.base_url + "efetch.fcgi", params={"id": "99000101,1,99000105"})
    assert efetch_pmids(response) == ["99000101", "99000105"]


@pytest.mark.parametrize(
    ("datetype", "mindate", "maxdate", "expected"),
    [
        ("crdt", "2026/10/28", "2026/10/28", {"99000101"}),
        ("edat", "2018/05/14", "2018/05/14", {"99000107"}),
        ("mdat", "2026/10/31", "2026/10/31", {"99000103"}),
    ],
)
def test_datetype_with_mindate_and_maxdate_restricts_the_search(
    emulator: Emulator, http: requests.Session, datetype: str, mindate: str, maxdate: str, expected: set[str]
) -> None:
    result = esearch(emulator, http, term=IVIG, datetype=datetype, mindate=mindate, maxdate=maxdate, retmax=100)
    assert expected <= set(result["idlist"])
    assert all(emulator.corpus.lookup(p, emulator.today) is not None for p in result["idlist"])


def test_reldate_counts_days_back_from_today(emulator: Emulator, http: requests.Session) -> None:
    emulator.today = dt.date(2026, 11, 12)
    ids = esearch(emulator, http, term=IVIG, datetype="crdt", reldate=2, retmax=100)["idlist"]
    assert "99000102" in ids and "99000101" not in ids


def test_mindate_without_maxdate_is_an_error_in_the_body(emulator: Emulator, http: requests.Session) -> None:
    assert "together" in esearch(emulator, http, term=IVIG, mindate="2020")["ERROR"]


def test_window_past_9999_is_an_error_but_count_is_kept(emulator: Emulator, http: requests.Session) -> None:
    result = esearch(emulator, http, term="2026[dp] OR humans[mh]", retstart=9999, retmax=10)
    assert "can only retrieve the first 9,999 records" in result["ERROR"] and int(result["count"]) > 0


def test_xml_cap_error_is_an_error_element(emulator: Emulator, http: requests.Session) -> None:
    root = etree.fromstring(
        http.get(emulator.base_url + "esearch.fcgi", params={"term": "ivig", "retstart": 10000}).content
    )
    assert "9,999" in root.findtext("ERROR") and root.findtext("Count") is not None


def test_unparsable_term_is_an_error_in_a_200_body(emulator: Emulator, http: requests.Session) -> None:
    assert esearch(emulator, http, term="(ivig AND")["ERROR"].startswith("Invalid query")


def test_phrase_matching_nothing_reports_phrasesnotfound(emulator: Emulator, http: requests.Session) -> None:
    result = esearch(emulator, http, term='"zzyzx neuropathy"[tiab]')
    assert result["count"] == "0" and result["idlist"] == []
    assert result["errorlist"]["phrasesnotfound"] == ["zzyzx neuropathy"]
    assert result["warninglist"]["outputmessages"] == ["No items found."]


def test_unknown_db_is_an_error(emulator: Emulator, http: requests.Session) -> None:
    assert "Invalid db" in esearch(emulator, http, db="nucleotide", term="x")["ERROR"]


def test_efetch_with_a_bad_webenv_answers_an_efetch_error(emulator: Emulator, http: requests.Session) -> None:
    response = http.get(emulator.base_url + "efetch.fcgi", params={"WebEnv": "nope", "query_key": "1"})
    assert response.status_code == 200 and etree.fromstring(response.content).findtext("ERROR")


def test_efetch_without_id_or_webenv_is_a_400(emulator: Emulator, http: requests.Session) -> None:
    assert http.get(emulator.base_url + "efetch.fcgi", params={"db": "pubmed"}).status_code == 400


@pytest.mark.parametrize(
    ("today", "visible"),
    [(dt.date(2026, 10, 27), False), (dt.date(2026, 10, 28), True)],
)
def test_today_hides_records_created_later(
    emulator: Emulator, http: requests.Session, today: dt.date, visible: bool
) -> None:
    emulator.today = today
    assert ("99000101" in esearch(emulator, http, term="99000101[pmid]")["idlist"]) is visible


@pytest.mark.parametrize(
    ("today", "indexed"),
    [(dt.date(2026, 10, 25), False), (dt.date(2026, 10, 31), True)],
)
def test_today_selects_the_latest_revision_not_after_it(
    emulator: Emulator, http: requests.Session, today: dt.date, indexed: bool
) -> None:
    emulator.today = today
    found = esearch(emulator, http, term='"randomized controlled trial"[pt] AND 99000103[pmid]')["idlist"]
    fetched = http.get(emulator.base_url + "efetch.fcgi", params={"id": "99000103"}).text
    assert bool(found) is indexed and ("Randomized Controlled Trial" in fetched) is indexed


def test_scenario_retraction_arrives_on_its_day(emulator: Emulator, http: requests.Session) -> None:
    event = next(e for e in SCENARIO_EVENTS if e.kind == "retraction")
    emulator.today = event.date - dt.timedelta(days=1)
    assert "RetractionIn" not in http.get(emulator.base_url + "efetch.fcgi", params={"id": event.pmid}).text
    emulator.today = event.date
    assert "RetractionIn" in http.get(emulator.base_url + "efetch.fcgi", params={"id": event.pmid}).text


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_scripted_status_faults_are_served_then_normal_service_resumes(
    emulator: Emulator, http: requests.Session, status: int
) -> None:
    emulator.faults.script([status])
    first = http.get(emulator.base_url + "esearch.fcgi", params={"term": "ivig"})
    second = http.get(emulator.base_url + "esearch.fcgi", params={"term": "ivig"})
    assert (first.status_code, second.status_code) == (status, 200)
    assert emulator.requests[0].fault == str(status)


def test_retry_after_is_sent_only_when_configured(emulator: Emulator, http: requests.Session) -> None:
    emulator.faults.script([503, 503])
    assert "Retry-After" not in http.get(emulator.base_url + "esearch.fcgi", params={"term": "x"}).headers
    emulator.faults.retry_after = 2
    assert http.get(emulator.base_url + "esearch.fcgi", params={"term": "x"}).headers["Retry-After"] == "2"


def test_drop_closes_the_connection_without_a_response(emulator: Emulator, http: requests.Session) -> None:
    emulator.faults.script(["drop"])
    with pytest.raises(requests.ConnectionError):
        http.get(emulator.base_url + "esearch.fcgi", params={"term": "ivig"})
    assert emulator.requests[0].status is None


def test_truncate_sends_less_body_than_content_length(emulator: Emulator, http: requests.Session) -> None:
    emulator.faults.script(["truncate"], endpoint="efetch")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        http.get(emulator.base_url + "efetch.fcgi", params={"id": "99000101"})


def test_cut_sends_a_complete_response_with_broken_xml(emulator: Emulator, http: requests.Session) -> None:
    emulator.faults.script(["cut"], endpoint="efetch")
    response = http.get(emulator.base_url + "efetch.fcgi", params={"id": "99000101"})
    assert response.status_code == 200
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)


def test_slow_delays_the_answer_past_a_shorter_client_timeout(emulator: Emulator, http: requests.Session) -> None:
    emulator.faults.script([("slow", 1.0)])
    with pytest.raises(requests.exceptions.ReadTimeout):
        http.get(emulator.base_url + "esearch.fcgi", params={"term": "ivig"}, timeout=0.2)


def test_hang_holds_the_answer_until_the_client_gives_up_then_answers_nothing(
    emulator: Emulator, http: requests.Session
) -> None:
    emulator.faults.script(["hang"])
    with pytest.raises(requests.exceptions.ReadTimeout):
        http.get(emulator.base_url + "esearch.fcgi", params={"term": "ivig"}, timeout=0.2)
    assert http.get(emulator.base_url + "esearch.fcgi", params={"term": "ivig"}).status_code == 200
    assert [(r.status, r.fault) for r in emulator.requests] == [(None, "hang"), (200, None)]


def test_endpoint_script_leaves_other_endpoints_alone(emulator: Emulator, http: requests.Session) -> None:
    emulator.faults.script([500], endpoint="efetch")
    assert http.get(emulator.base_url + "esearch.fcgi", params={"term": "ivig"}).status_code == 200
    assert http.get(emulator.base_url + "efetch.fcgi", params={"id": "99000101"}).status_code == 500
    assert emulator.faults.remaining() == 0


def test_random_fault_rate_is_reproducible_with_a_seed(emulator: Emulator, http: requests.Session) -> None:
    def run() -> list[int]:
        emulator.reset()
        emulator.faults.set_rate(503, 0.5, seed=3)
        return [http.get(emulator.base_url + "esearch.fcgi", params={"term": "x"}).status_code for _ in range(12)]

    first = run()
    assert first == run() and {200, 503} == set(first)


@pytest.mark.parametrize(("only_in_batches", "single_served"), [(False, False), (True, True)])
def test_dropped_pmids_are_omitted_always_or_only_in_batches(
    emulator: Emulator, http: requests.Session, only_in_batches: bool, single_served: bool
) -> None:
    emulator.faults.drop_pmids(["99000101"], only_in_batches=only_in_batches)
    batch = efetch_pmids(http.get(emulator.base_url + "efetch.fcgi", params={"id": "99000101,99000105"}))
    single = efetch_pmids(http.get(emulator.base_url + "efetch.fcgi", params={"id": "99000101"}))
    assert batch == ["99000105"] and (single == ["99000101"]) is single_served


def test_rate_limit_answers_429_with_ncbis_json_body(emulator: Emulator, http: requests.Session) -> None:
    emulator.rate_limit = RateLimit()
    codes = [http.get(emulator.base_url + "esearch.fcgi", params={"term": "x"}) for _ in range(4)]
    assert [r.status_code for r in codes] == [200, 200, 200, 429]
    assert codes[-1].json() == {"error": "API rate limit exceeded", "api-key": "127.0.0.1", "count": "4", "limit": "3"}


def test_rate_limit_allows_ten_per_second_with_an_api_key(emulator: Emulator, http: requests.Session) -> None:
    emulator.rate_limit = RateLimit()
    codes = [
        http.get(emulator.base_url + "esearch.fcgi", params={"term": "x", "api_key": "k"}).status_code
        for _ in range(11)
    ]
    assert codes.count(200) == 10 and codes[-1] == 429


def test_request_log_redacts_the_api_key_and_keeps_tool_and_email(emulator: Emulator, http: requests.Session) -> None:
    http.get(emulator.base_url + "esearch.fcgi", params={"term": "x", "api_key": "secret", "tool": "t", "email": "e@x"})
    logged = emulator.requests[0]
    assert logged.params["api_key"] == "***" and logged.params["tool"] == "t" and logged.params["email"] == "e@x"
    assert "secret" not in repr(list(emulator.requests))


def test_reset_clears_log_faults_and_history_but_keeps_today(emulator: Emulator, http: requests.Session) -> None:
    webenv = esearch(emulator, http, term="ivig", usehistory="y")["webenv"]
    emulator.faults.script([500])
    emulator.today = dt.date(2026, 11, 1)
    emulator.reset()
    assert len(emulator.requests) == 0 and emulator.faults.remaining() == 0
    assert emulator.today == dt.date(2026, 11, 1)
    response = http.get(emulator.base_url + "efetch.fcgi", params={"WebEnv": webenv, "query_key": "1"})
    assert etree.fromstring(response.content).findtext("ERROR")


@pytest.mark.parametrize("condition_id", REGISTRY.ids)
def test_every_condition_query_finds_records_over_http(
    emulator: Emulator, http: requests.Session, condition_id: str
) -> None:
    assert int(esearch(emulator, http, term=REGISTRY.search_query(condition_id))["count"]) > 0


NCBI_EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"


@pytest.fixture
def entrez(emulator: Emulator, monkeypatch: pytest.MonkeyPatch):
    """Biopython's Bio.Entrez, unchanged except that its NCBI address is the emulator's base URL."""
    from Bio import Entrez

    build = Entrez._build_request

    def to_emulator(cgi: str, *args: object, **kwargs: object):
        return build(cgi.replace(NCBI_EUTILS, emulator.base_url), *args, **kwargs)

    monkeypatch.setattr(Entrez, "_build_request", to_emulator)
    monkeypatch.setattr(Entrez, "email", "tests@example.org")
    monkeypatch.setattr(Entrez, "max_tries", 1)
    return Entrez


def test_bio_entrez_searches_with_history_and_fetches_by_lower_case_webenv(emulator: Emulator, entrez) -> None:
    found = entrez.read(entrez.esearch(db="pubmed", term=IVIG, usehistory="y", retmax=5))
    handle = entrez.efetch(db="pubmed", webenv=found["WebEnv"], query_key=found["QueryKey"], retmax=5, retmode="xml")
    articles = entrez.read(handle)["PubmedArticle"]
    assert [str(a["MedlineCitation"]["PMID"]) for a in articles] == found["IdList"]
    assert {r.params.get("webenv") for r in emulator.requests.filter("efetch")} == {found["WebEnv"]}


def test_bio_entrez_fetches_by_id(emulator: Emulator, entrez) -> None:
    ids = entrez.read(entrez.esearch(db="pubmed", term=IVIG, retmax=3))["IdList"]
    articles = entrez.read(entrez.efetch(db="pubmed", id=",".join(ids), retmode="xml"))["PubmedArticle"]
    assert [str(a["MedlineCitation"]["PMID"]) for a in articles] == ids


def test_bio_entrez_sees_a_multi_word_publication_type_as_one_phrase(entrez) -> None:
    unquoted = entrez.read(entrez.esearch(db="pubmed", term="randomized controlled trial[pt]"))
    quoted = entrez.read(entrez.esearch(db="pubmed", term='"randomized controlled trial"[pt]'))
    assert int(unquoted["Count"]) == int(quoted["Count"]) > 0
    assert unquoted["QueryTranslation"] == '"randomized controlled trial"[pt]'


def test_efetch_of_only_invalid_ids_is_answered_400_as_ncbi_does(emulator: Emulator, http: requests.Session) -> None:
    response = http.get(emulator.base_url + "efetch.fcgi", params={"db": "pubmed", "id": "abc,-3,0"})
    assert response.status_code == 400
    assert b"ID list is empty! Possibly it has no correct IDs." in response.content


def test_efetch_drops_invalid_ids_and_serves_the_valid_ones(emulator: Emulator, http: requests.Session) -> None:
    pmid = esearch(emulator, http, term=IVIG, retmax=1)["idlist"][0]
    response = http.get(emulator.base_url + "efetch.fcgi", params={"db": "pubmed", "id": f"abc,{pmid},x1"})
    assert response.status_code == 200 and efetch_pmids(response) == [pmid]


def test_bio_entrez_raises_on_a_fetch_of_invalid_ids(entrez) -> None:
    from urllib.error import HTTPError

    with pytest.raises(HTTPError) as err:
        entrez.efetch(db="pubmed", id="not-a-pmid", retmode="xml")
    assert err.value.code == 400


def test_mesh_terms_explode_down_the_tree_over_http(emulator: Emulator, http: requests.Session) -> None:
    exploded = set(esearch(emulator, http, term='"immunoglobulins"[mh]', retmax=10000)["idlist"])
    ivig_only = set(esearch(emulator, http, term='"immunoglobulins, intravenous"[mh]', retmax=10000)["idlist"])
    unexploded = set(esearch(emulator, http, term='"immunoglobulins"[mh:noexp]', retmax=10000)["idlist"])
    assert ivig_only and ivig_only <= exploded and not ivig_only <= unexploded
