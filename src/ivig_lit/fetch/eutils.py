"""EutilsClient: the one object that talks to NCBI E-utilities (or the local emulator).

It hides the protocol chores: tool/email/api_key on every call, a process-wide rate limit, POST
for every request (long union queries and id batches stay out of URLs), retries with back-off
honouring Retry-After, error payloads inside 200 answers, the 9,999-record ESearch cap (split by
date range), history-server paging for large result sets, and PMIDs EFetch silently leaves out.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import requests
from lxml import etree
from tenacity import RetryCallState

from ivig_lit import __version__
from ivig_lit.config import NCBI_HOST
from ivig_lit.errors import (
    EutilsHTTPError,
    EutilsResponseError,
    EutilsUnavailableError,
    RateLimitedError,
)
from ivig_lit.fetch.limiter import RateLimiter, shared_limiter
from ivig_lit.fetch.retry import RETRY_STATUSES, RetryableStatus, parse_retry_after, retrying
from ivig_lit.fetch.windows import DateWindow
from ivig_lit.parse import iter_articles
from ivig_lit.parse.models import Article, RecordError

log = logging.getLogger(__name__)

ESEARCH_CAP = 9999  # PubMed ESearch returns at most this many ids per query
_SECRET_PARAM = re.compile(r"((?:api_key|apikey)=)[^&\s]+", re.I)


def sanitize_url(text: str) -> str:
    """Remove the API key from anything that may be logged or stored."""
    return _SECRET_PARAM.sub(r"\1REDACTED", text)


@dataclass
class ClientStats:
    """What the client did; the run record stores it."""

    requests: int = 0
    retries: int = 0


@dataclass(frozen=True)
class SearchResult:
    """One ESearch answer; ``webenv``/``query_key`` name its result set on NCBI's history server."""

    count: int
    ids: tuple[str, ...]
    webenv: str | None = None
    query_key: str | None = None


@dataclass
class FetchReport:
    """Accounts for every PMID asked of EFetch."""

    requested: int = 0
    returned: int = 0
    missing: list[str] = field(default_factory=list)


class EutilsClient:
    def __init__(
        self,
        base_url: str,
        *,
        email: str | None = None,
        tool: str = "ivig-lit",
        api_key: str | None = None,
        key_hosts: Iterable[str] = (),
        requests_per_second: float | None = None,
        batch_size: int = 300,
        history_threshold: int = 3000,
        history_batch_size: int = 1000,
        timeout: float = 60.0,
        max_tries: int = 6,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.email = email
        self.tool = tool
        self._api_key = api_key if api_key and _may_receive_key(self.base_url, key_hosts) else None
        if api_key and not self._api_key:
            log.warning(
                "not sending the NCBI API key to %s: only https://%s and IVIG_LIT_KEY_HOSTS may receive it",
                urlparse(self.base_url).netloc,
                NCBI_HOST,
            )
        self.batch_size = batch_size
        self.history_threshold = history_threshold
        self.history_batch_size = history_batch_size
        self.timeout = timeout
        self.max_tries = max_tries
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", f"ivig-lit/{__version__} (+{tool})")
        self.limiter = limiter or shared_limiter(requests_per_second or (10.0 if self._api_key else 3.0))
        self._sleep = sleep
        self.stats = ClientStats()

    def __repr__(self) -> str:  # never show the key
        return (
            f"EutilsClient(base_url={self.base_url!r}, tool={self.tool!r}, api_key={'set' if self._api_key else None})"
        )

    @classmethod
    def from_settings(cls, settings: Any, **kwargs: Any) -> EutilsClient:
        """The client a run uses; fetch-only settings are checked here, not for every command."""
        settings.check_fetch()
        return cls(
            settings.base_url,
            email=settings.email,
            tool=settings.tool,
            api_key=settings.ncbi_api_key,
            key_hosts=settings.key_hosts,
            requests_per_second=settings.requests_per_second,
            batch_size=settings.batch_size,
            history_threshold=settings.history_threshold,
            history_batch_size=settings.history_batch_size,
            timeout=settings.timeout,
            max_tries=settings.max_tries,
            **kwargs,
        )

    # -- ESearch ---------------------------------------------------------------------------------
    def esearch(
        self, term: str, *, retstart: int = 0, retmax: int = 20, history: bool = False, webenv: str | None = None
    ) -> SearchResult:
        """One ESearch call (JSON); raises EutilsResponseError for error payloads. ``history`` keeps
        the result set on the history server (in ``webenv`` when given, so split searches share one)."""
        params: dict[str, Any] = {
            "db": "pubmed",
            "term": term,
            "retmode": "json",
            "retstart": retstart,
            "retmax": retmax,
        }
        if history:
            params["usehistory"] = "y"
            if webenv:
                params["WebEnv"] = webenv
        data = self._request("esearch.fcgi", params, check=_json_body).json()
        result = data.get("esearchresult")
        if not isinstance(result, dict):
            raise EutilsResponseError(f"ESearch answer has no esearchresult: {str(data)[:200]}", term=term)
        if "ERROR" in result:
            raise EutilsResponseError(f"ESearch error for {term!r}: {result['ERROR']}", term=term)
        errors = result.get("errorlist") or {}
        if errors.get("fieldsnotfound"):
            raise EutilsResponseError(f"ESearch does not know the field(s) {errors['fieldsnotfound']} in {term!r}")
        if errors.get("phrasesnotfound"):
            # A synonym that exists nowhere in PubMed is normal; the rest of the query still counts.
            log.debug("ESearch found no record at all for %s", ", ".join(map(repr, errors["phrasesnotfound"])))
        # Without a WebEnv (history off, or none returned) the set is fetched by id: never an error.
        return SearchResult(
            count=int(result.get("count", 0)),
            ids=tuple(result.get("idlist", ())),
            webenv=result.get("webenv") or None,
            query_key=result.get("querykey") or None,
        )

    def search_pmids(self, term: str, window: DateWindow) -> list[str]:
        """Every PMID matching ``term`` whose ``window.field`` date lies in the window."""
        return [pmid for found in self.search_sets(term, window, history=False) for pmid in found.ids]

    def search_sets(
        self, term: str, window: DateWindow, *, history: bool = True, webenv: str | None = None
    ) -> list[SearchResult]:
        """The result sets of ``term`` within ``window``, each kept on the history server (one
        WebEnv for all) so a large one can be fetched by ``iter_found`` without posting its ids.

        A window holding more than ESearch's 9,999-record cap is split in halves until each part
        fits, so a full backfill never truncates silently.
        """
        result = self.esearch(f"({term}) AND {window.term()}", retmax=ESEARCH_CAP, history=history, webenv=webenv)
        if result.count <= ESEARCH_CAP:
            return [result]
        if window.days <= 1:
            raise EutilsResponseError(
                f"{result.count} records on the single day {window.start} exceed the ESearch cap of "
                f"{ESEARCH_CAP}; narrow the query",
                term=term,
            )
        log.info("%d records in %s exceed %d: splitting", result.count, window, ESEARCH_CAP)
        first, second = window.split()
        head = self.search_sets(term, first, history=history, webenv=result.webenv)
        return head + self.search_sets(term, second, history=history, webenv=head[-1].webenv)

    # -- EFetch ----------------------------------------------------------------------------------
    def fetch_xml(self, pmids: list[str]) -> bytes:
        """One EFetch POST for a batch of PMIDs; the raw PubmedArticleSet XML."""
        params = {"db": "pubmed", "retmode": "xml", "id": ",".join(pmids)}
        body = self._request("efetch.fcgi", params, check=_xml_body).content
        _raise_for_xml_error(body)
        return body

    def fetch_history(self, found: SearchResult, retstart: int, retmax: int) -> bytes:
        """One EFetch of a page of a result set kept on the history server."""
        params = {
            "db": "pubmed",
            "retmode": "xml",
            "WebEnv": found.webenv,
            "query_key": found.query_key,
            "retstart": retstart,
            "retmax": retmax,
        }
        body = self._request("efetch.fcgi", params, check=_xml_body).content
        _raise_for_xml_error(body)
        return body

    def iter_found(
        self,
        found: Sequence[SearchResult],
        wanted: Iterable[str],
        report: FetchReport,
        on_batch: Callable[[int], None] | None = None,
    ) -> Iterator[Article | RecordError]:
        """Fetch the ``wanted`` PMIDs of searches' result sets, each once.

        A result set that is wanted whole and holds more than ``history_threshold`` ids is paged
        from the history server by WebEnv/query_key, as NCBI recommends for large sets; every other
        wanted PMID is POSTed by id in batches (a set mostly stored already costs only its new ids).
        """
        todo = dict.fromkeys(wanted)
        for result in found:
            ids = [p for p in dict.fromkeys(result.ids) if p in todo]
            if result.webenv and result.query_key and len(ids) == len(result.ids) > self.history_threshold:
                log.info("%d records from the history server, %d a page", len(ids), self.history_batch_size)
                for start in range(0, len(ids), self.history_batch_size):
                    page = ids[start : start + self.history_batch_size]
                    body = self.fetch_history(result, start, len(page))
                    yield from self._checked(page, body, report, on_batch)
                for pmid in ids:
                    del todo[pmid]
        yield from self.iter_articles(todo, report, on_batch)

    def iter_articles(
        self,
        pmids: Iterable[str],
        report: FetchReport,
        on_batch: Callable[[int], None] | None = None,
    ) -> Iterator[Article | RecordError]:
        """Fetch and parse records batch by batch (POSTed ids), checking that every PMID came back."""
        for batch in _batches(list(dict.fromkeys(pmids)), self.batch_size):
            yield from self._checked(batch, self.fetch_xml(batch), report, on_batch)

    def _checked(
        self, batch: list[str], body: bytes, report: FetchReport, on_batch: Callable[[int], None] | None
    ) -> Iterator[Article | RecordError]:
        """The records of one EFetch answer for ``batch``. PMIDs missing from it are asked for again
        one at a time; those still missing are listed in ``report.missing`` (the run record keeps
        them), never dropped silently."""
        report.requested += len(batch)
        got: set[str] = set()
        for item in self._parse(body):
            if item.pmid:
                got.add(item.pmid)
            yield item
        for pmid in (p for p in batch if p not in got):
            log.warning("PMID %s missing from an EFetch batch; asking for it alone", pmid)
            items = list(self._parse(self.fetch_xml([pmid])))
            if not any(i.pmid == pmid for i in items):
                report.missing.append(pmid)
            for item in items:
                if item.pmid:
                    got.add(item.pmid)
                yield item
        report.returned += len(got & set(batch))
        if on_batch:
            on_batch(len(batch))

    @staticmethod
    def _parse(body: bytes) -> Iterator[Article | RecordError]:
        for item in iter_articles(body, source_name="efetch"):
            if isinstance(item, Article | RecordError):
                yield item

    # -- transport ---------------------------------------------------------------------------------
    def _request(
        self,
        endpoint: str,
        params: dict[str, Any],
        check: Callable[[requests.Response], None] | None = None,
    ) -> requests.Response:
        """POST (never GET): parameters, the API key among them, stay out of URLs and so out of
        every access log and debug line; NCBI accepts POST on both endpoints."""
        params = {**params, "tool": self.tool}
        if self.email:
            params["email"] = self.email
        if self._api_key:
            params["api_key"] = self._api_key
        url = self.base_url + endpoint
        described = _describe(endpoint, params)
        controller = retrying(self.max_tries, sleep=self._sleep, before_sleep=self._note_retry(described))
        try:
            return controller(self._send, url, params, described, check)
        except RetryableStatus as e:
            error = RateLimitedError if e.status == 429 else EutilsUnavailableError
            raise error(
                f"{described} failed after {self.max_tries} tries: {e}", url=sanitize_url(url), status=e.status
            ) from None
        except requests.RequestException as e:
            hint = (
                f" (cannot reach {self.base_url}; offline, serve `ivig-lit emulator` and pass its --base-url)"
                if isinstance(e, requests.ConnectionError)
                else ""
            )
            raise EutilsUnavailableError(
                f"{described} failed after {self.max_tries} tries: {sanitize_url(str(e))}{hint}",
                url=sanitize_url(url),
            ) from None

    def _send(
        self,
        url: str,
        params: dict[str, Any],
        described: str,
        check: Callable[[requests.Response], None] | None,
    ) -> requests.Response:
        self.limiter.acquire()
        self.stats.requests += 1
        # Never follow a redirect: a 307/308 would re-send the form, API key included, to another host.
        response = self.session.post(url, data=params, timeout=self.timeout, allow_redirects=False)
        if response.is_redirect:
            target = urlparse(response.headers.get("Location", "")).netloc or "an unnamed address"
            raise EutilsHTTPError(
                f"{described} was redirected (HTTP {response.status_code}) to {target}; redirects are not "
                "followed, so the API key stays with the configured host: set --base-url to the new address",
                url=sanitize_url(url),
                status=response.status_code,
            )
        if response.status_code in RETRY_STATUSES:
            raise RetryableStatus(
                response.status_code, parse_retry_after(response.headers.get("Retry-After")), _error_detail(response)
            )
        if response.status_code >= 400:
            raise EutilsHTTPError(
                f"{described} was refused: HTTP {response.status_code} {_error_detail(response)}",
                url=sanitize_url(url),
                status=response.status_code,
            )
        if check:
            check(response)
        return response

    def _note_retry(self, described: str) -> Callable[[RetryCallState], None]:
        def note(state: RetryCallState) -> None:
            self.stats.retries += 1
            wait = state.next_action.sleep if state.next_action else 0.0
            exc = state.outcome.exception() if state.outcome else None
            log.warning("%s: %s; retry %d in %.1fs", described, sanitize_url(str(exc)), state.attempt_number, wait)

        return note


def _may_receive_key(base_url: str, key_hosts: Iterable[str]) -> bool:
    """The key goes to NCBI over https, or to a host the user listed; never where a run's
    parameters (a flow's ``base_url``) happen to point."""
    url = urlparse(base_url)
    host = (url.hostname or "").lower()
    if host == NCBI_HOST and url.scheme == "https":
        return True
    return host in {h.strip().lower() for h in key_hosts}


def _describe(endpoint: str, params: dict[str, Any]) -> str:
    """A log-safe name for a request: endpoint plus its decisive parameter, never the key."""
    if "term" in params:
        return f"ESearch {params['term'][:160]!r} (retstart={params.get('retstart', 0)})"
    if "WebEnv" in params:
        return f"EFetch of history set {params['query_key']} (retstart={params['retstart']}, retmax={params['retmax']})"
    ids = str(params.get("id", "")).split(",")
    return f"EFetch of {len(ids)} PMID(s) starting {ids[0]}"


def _error_detail(response: requests.Response) -> str:
    """NCBI's own words for an error: the JSON ``error`` field, else the start of the body."""
    try:
        data = response.json()
        if isinstance(data, dict) and "error" in data:
            return str(data["error"])
    except ValueError:
        pass
    return sanitize_url(response.text[:200].strip())


def _raise_for_xml_error(body: bytes) -> None:
    """EFetch reports some errors as a 200 with <ERROR> in place of records."""
    head = body[:2000]
    if b"<ERROR>" not in head and b"<eFetchResult" not in head:
        return
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        message = root.findtext(".//ERROR") or "unknown error"
    except etree.XMLSyntaxError:
        message = head.decode("utf-8", "replace")
    raise EutilsResponseError(f"EFetch error: {message.strip()}")


def _json_body(response: requests.Response) -> None:
    """A JSON body that does not parse was cut short in transit: worth another try."""
    try:
        response.json()
    except ValueError:
        raise RetryableStatus(response.status_code, None, "JSON body cut short") from None


def _xml_body(response: requests.Response) -> None:
    """EFetch documents end with their root's closing tag; anything else was cut short."""
    tail = response.content[-64:].rstrip()
    if not tail.endswith((b"</PubmedArticleSet>", b"</eFetchResult>")):
        raise RetryableStatus(response.status_code, None, f"XML body cut short after {len(response.content)} bytes")


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
