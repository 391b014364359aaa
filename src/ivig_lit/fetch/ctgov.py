"""CtgovClient: the one object that talks to the ClinicalTrials.gov API v2 (or the local emulator).

It rides the same HTTP stack as the E-utilities client: the retry policy of :mod:`ivig_lit.fetch.retry`
(429/5xx/dropped or cut bodies, Retry-After honoured), a process-wide spacing limiter, and typed errors.
It hides the protocol chores: ``pageToken`` paging until no ``nextPageToken`` comes back, the
``filter.advanced`` date range of an incremental run, and answers that are a 200 but not a page.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
from tenacity import RetryCallState

from ivig_lit import __version__
from ivig_lit.config import CTGOV_API
from ivig_lit.errors import CtgovHTTPError, CtgovResponseError, CtgovUnavailableError, RateLimitedError
from ivig_lit.fetch.eutils import ClientStats, sanitize_url
from ivig_lit.fetch.limiter import RateLimiter, shared_limiter
from ivig_lit.fetch.retry import RETRY_STATUSES, RetryableStatus, parse_retry_after, retrying
from ivig_lit.parse.models import RecordError

log = logging.getLogger(__name__)

CTGOV_RATE = 0.8  # requests/s: ClinicalTrials.gov asks for about 50 a minute per address
PAGE_SIZE = 100  # studies per page (the API allows up to 1,000)
# The study modules the warehouse keeps; everything else stays on the server.
FIELDS = (
    "protocolSection.identificationModule",
    "protocolSection.statusModule",
    "protocolSection.designModule",
    "protocolSection.conditionsModule",
    "protocolSection.armsInterventionsModule",
    "hasResults",
)
# What a call may raise once the client's retries are spent: the registry failed, not the caller.
FETCH_ERRORS = (RateLimitedError, CtgovUnavailableError, CtgovHTTPError, CtgovResponseError)


@dataclass(frozen=True, slots=True)
class StudyDate:
    """A registry date: ``2027-06`` or ``2027-06-30``, ACTUAL or ESTIMATED."""

    raw: str
    kind: str | None  # ACTUAL | ESTIMATED | None (posting dates carry no type)

    @property
    def date(self) -> dt.date | None:
        """The earliest day the raw date can mean."""
        parts = [*self.raw.split("-"), "1", "1"]
        try:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except (ValueError, IndexError):
            return None


@dataclass(frozen=True, slots=True)
class Study:
    """One ClinicalTrials.gov record, flattened to what the warehouse and the digest read."""

    nct_id: str
    brief_title: str
    official_title: str | None
    overall_status: str
    why_stopped: str | None
    study_type: str | None
    allocation: str | None
    phases: tuple[str, ...]
    enrollment: int | None
    enrollment_type: str | None
    conditions: tuple[str, ...]
    keywords: tuple[str, ...]
    interventions: tuple[str, ...]
    start: StudyDate | None
    primary_completion: StudyDate | None
    completion: StudyDate | None
    first_posted: StudyDate | None
    last_update_posted: StudyDate | None
    results_first_posted: StudyDate | None
    has_results: bool
    record: dict[str, Any] = field(repr=False)  # the study as served, for the warehouse's record column

    @property
    def is_randomised(self) -> bool:
        return self.study_type == "INTERVENTIONAL" and self.allocation == "RANDOMIZED"


def parse_study(data: dict[str, Any]) -> Study:
    """A v2 study object as a :class:`Study`; raises ValueError naming what is missing."""
    protocol = data.get("protocolSection")
    if not isinstance(protocol, dict):
        raise ValueError("study has no protocolSection")
    ident = protocol.get("identificationModule") or {}
    status = protocol.get("statusModule") or {}
    design = protocol.get("designModule") or {}
    nct_id = ident.get("nctId")
    if not isinstance(nct_id, str) or not nct_id.startswith("NCT"):
        raise ValueError(f"study has no valid identificationModule.nctId ({nct_id!r})")
    if not ident.get("briefTitle") or not status.get("overallStatus"):
        raise ValueError(f"{nct_id} lacks briefTitle or statusModule.overallStatus")
    enrollment = design.get("enrollmentInfo") or {}
    interventions = (protocol.get("armsInterventionsModule") or {}).get("interventions") or []
    conditions = protocol.get("conditionsModule") or {}
    return Study(
        nct_id=nct_id,
        brief_title=ident["briefTitle"],
        official_title=ident.get("officialTitle"),
        overall_status=status["overallStatus"],
        why_stopped=status.get("whyStopped"),
        study_type=design.get("studyType"),
        allocation=(design.get("designInfo") or {}).get("allocation"),
        phases=tuple(design.get("phases") or ()),
        enrollment=int(enrollment["count"]) if enrollment.get("count") is not None else None,
        enrollment_type=enrollment.get("type"),
        conditions=tuple(conditions.get("conditions") or ()),
        keywords=tuple(conditions.get("keywords") or ()),
        interventions=tuple(i.get("name", "") for i in interventions if i.get("name")),
        start=_date(status.get("startDateStruct")),
        primary_completion=_date(status.get("primaryCompletionDateStruct")),
        completion=_date(status.get("completionDateStruct")),
        first_posted=_date(status.get("studyFirstPostDateStruct")),
        last_update_posted=_date(status.get("lastUpdatePostDateStruct")),
        results_first_posted=_date(status.get("resultsFirstPostDateStruct")),
        has_results=bool(data.get("hasResults")),
        record=data,
    )


def _date(struct: Any) -> StudyDate | None:
    if not isinstance(struct, dict) or not struct.get("date"):
        return None
    return StudyDate(str(struct["date"]), struct.get("type"))


def updated_since_filter(since: dt.date) -> str:
    """The ``filter.advanced`` expression for studies updated on or after ``since``."""
    return f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]"


class CtgovClient:
    def __init__(
        self,
        base_url: str = CTGOV_API,
        *,
        tool: str = "ivig-lit",
        page_size: int = PAGE_SIZE,
        timeout: float = 60.0,
        max_tries: int = 6,
        requests_per_second: float | None = None,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.page_size = page_size
        self.timeout = timeout
        self.max_tries = max_tries
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", f"ivig-lit/{__version__} (+{tool})")
        self.limiter = limiter or shared_limiter(requests_per_second or CTGOV_RATE)
        self._sleep = sleep
        self.stats = ClientStats()

    def __repr__(self) -> str:
        return f"CtgovClient(base_url={self.base_url!r})"

    @classmethod
    def from_settings(cls, settings: Any, **kwargs: Any) -> CtgovClient:
        """A local emulator or mirror may go at the configured rate; the real registry never faster than asked."""
        url = settings.ctgov_url
        rate = settings.rate_limit if settings.rate_limit and "clinicaltrials.gov" not in url else CTGOV_RATE
        return cls(
            url,
            tool=settings.tool,
            timeout=settings.timeout,
            max_tries=settings.max_tries,
            requests_per_second=rate,
            **kwargs,
        )

    def iter_studies(
        self, *, cond: str, intr: str | None = None, updated_since: dt.date | None = None
    ) -> Iterator[Study | RecordError]:
        """Every study matching the condition (and intervention) query, page after page; a study that
        cannot be read becomes a RecordError (quarantined by the caller) and the stream goes on."""
        params: dict[str, Any] = {
            "format": "json",
            "query.cond": cond,
            "fields": ",".join(FIELDS),
            "pageSize": self.page_size,
        }
        if intr:
            params["query.intr"] = intr
        if updated_since:
            params["filter.advanced"] = updated_since_filter(updated_since)
        seen_tokens: set[str] = set()
        while True:
            page = self.studies_page(params)
            for item in page["studies"]:
                try:
                    yield parse_study(item)
                except (ValueError, TypeError, AttributeError) as e:
                    nct = ((item.get("protocolSection") or {}).get("identificationModule") or {}).get("nctId")
                    yield RecordError(nct, f"unreadable study: {e}", "ctgov")
            token = page.get("nextPageToken")
            if not token:
                return
            if token in seen_tokens:
                raise CtgovResponseError(f"ClinicalTrials.gov repeated page token {token!r}; stopping", url=self._url)
            seen_tokens.add(token)
            params = {**params, "pageToken": token}

    @property
    def _url(self) -> str:
        return self.base_url + "studies"

    def studies_page(self, params: dict[str, Any]) -> dict[str, Any]:
        """One ``GET /studies`` page, checked to be a page of studies."""
        described = f"ClinicalTrials.gov studies {params.get('query.cond', '')[:120]!r}"
        if params.get("pageToken"):
            described += " (next page)"
        controller = retrying(self.max_tries, sleep=self._sleep, before_sleep=self._note_retry(described))
        try:
            response = controller(self._send, params, described)
        except RetryableStatus as e:
            error = RateLimitedError if e.status == 429 else CtgovUnavailableError
            message = f"{described} failed after {self.max_tries} tries: {e}"
            raise error(message, url=self._url, status=e.status) from None
        except requests.RequestException as e:
            hint = (
                f" (cannot reach {self.base_url}; offline, serve `ivig-lit emulator` and pass its --base-url)"
                if isinstance(e, requests.ConnectionError)
                else ""
            )
            raise CtgovUnavailableError(
                f"{described} failed after {self.max_tries} tries: {sanitize_url(str(e))}{hint}", url=self._url
            ) from None
        data = response.json()
        if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
            detail = data.get("error") or data.get("message") if isinstance(data, dict) else None
            raise CtgovResponseError(
                f"{described}: the answer is not a page of studies: {str(detail or data)[:200]}", url=self._url
            )
        return data

    def _send(self, params: dict[str, Any], described: str) -> requests.Response:
        self.limiter.acquire()
        self.stats.requests += 1
        response = self.session.get(self._url, params=params, timeout=self.timeout)
        if response.status_code in RETRY_STATUSES:
            raise RetryableStatus(
                response.status_code, parse_retry_after(response.headers.get("Retry-After")), response.text[:200]
            )
        if response.status_code >= 400:
            raise CtgovHTTPError(
                f"{described} was refused: HTTP {response.status_code} {response.text[:200].strip()}",
                url=self._url,
                status=response.status_code,
            )
        try:
            response.json()
        except ValueError:
            raise RetryableStatus(response.status_code, None, "JSON body cut short") from None
        return response

    def _note_retry(self, described: str) -> Callable[[RetryCallState], None]:
        def note(state: RetryCallState) -> None:
            self.stats.retries += 1
            wait = state.next_action.sleep if state.next_action else 0.0
            exc = state.outcome.exception() if state.outcome else None
            log.warning("%s: %s; retry %d in %.1fs", described, exc, state.attempt_number, wait)

        return note
