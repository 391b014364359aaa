"""A local PubMed E-utilities emulator over real HTTP (stdlib ``ThreadingHTTPServer``).

Tests, the offline demo and the CLI point the real ``EutilsClient`` at it instead of NCBI. It
serves ``esearch.fcgi`` and ``efetch.fcgi`` the way NCBI does, including the unpleasant parts a
client must cope with: errors inside 200 bodies, the 9,999-record ESearch cap, silently omitted
PMIDs, rate limiting (429 with NCBI's JSON body) and injected faults (:mod:`.faults`).

Behaviour worth knowing when writing a client test:

* Records replay by :attr:`Emulator.today` (see :mod:`.corpus` for which dates and versions).
* ESearch orders ids by Entrez date, newest first, then PMID descending (``sort=pub_date``:
  publication date). ``retmax`` defaults to 20 and is capped at 10,000; a window starting at or
  beyond record 9,999, or reaching past it while more than 9,999 records match, is an ERROR in a
  200 body (``Count`` still reports the full count).
* ``datetype`` (default ``pdat``) with ``mindate`` and ``maxdate`` (both or neither; one alone is an
  ERROR) or ``reldate`` (days before today) restricts the search as NCBI does.
* When nothing matches, the body carries ``warninglist.outputmessages`` ["No items found."] and,
  for each term that matches no record at all, ``errorlist.phrasesnotfound``.
* EFetch takes ``id`` (GET or POST form) or ``WebEnv`` + ``query_key`` (``retstart``/``retmax``,
  default 20, as for ESearch). Unknown or not-yet-visible PMIDs are left out silently; ids that are
  not numbers are dropped, and a list with none left is a 400 (as NCBI answers it).
* Parameter names are matched case-insensitively (Bio.Entrez sends ``webenv``; our client sends
  ``WebEnv``), and the query language is :mod:`ivig_lit.query` (phrases before field tags, MeSH
  explosion).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import logging
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from ivig_lit.emulator import ctgov
from ivig_lit.emulator.corpus import Corpus
from ivig_lit.emulator.faults import Fault, FaultPlan, await_hangup
from ivig_lit.query.pubmed import DateRange, QuerySyntaxError, parse_date, parse_query

log = logging.getLogger(__name__)

BASE_PATH = "/entrez/eutils/"
PUBMED_CAP = 9999  # ESearch returns at most the first 9,999 PubMed records of any query
MAX_RETMAX = 10000
DEFAULT_RETMAX = 20
CAP_MESSAGE = (
    "Search Backend failed: Exception:\n'retstart' cannot be larger than 9998. For PubMed, ESearch can only "
    "retrieve the first 9,999 records matching the query. To obtain more than 9,999 PubMed records, consider "
    "using EDirect that contains additional logic to batch PubMed search results automatically so that an "
    "arbitrary number can be retrieved. For details see https://www.ncbi.nlm.nih.gov/books/NBK25499/"
)
ESEARCH_DOCTYPE = (
    '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">'
)
PUBMED_DOCTYPE = (
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
)
_DATETYPES = ("edat", "mdat", "pdat", "crdt")
INVALID_IDS_MESSAGE = "ID list is empty! Possibly it has no correct IDs."


@dataclass(frozen=True, slots=True)
class RateLimit:
    """NCBI's published limits: 3 requests/s per client without an API key, 10 with one."""

    without_key: int = 3
    with_key: int = 10
    window: float = 1.0


@dataclass(frozen=True, slots=True)
class RequestLog:
    """One request as the emulator saw it (``params['api_key']`` is always ``"***"``)."""

    method: str
    path: str
    endpoint: str  # esearch, efetch, or the unknown path's last segment
    params: dict[str, str]
    n_ids: int  # EFetch: ids requested; ESearch: ids returned
    status: int | None  # None when the connection was dropped (or held until the client hung up)
    fault: str | None
    client: str
    timestamp: float


class RequestLogBook:
    """A thread-safe, append-only list of :class:`RequestLog` that tests can index and filter."""

    def __init__(self) -> None:
        self._items: list[RequestLog] = []
        self._lock = threading.Lock()

    def append(self, item: RequestLog) -> None:
        with self._lock:
            self._items.append(item)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def snapshot(self) -> list[RequestLog]:
        with self._lock:
            return list(self._items)

    def filter(self, endpoint: str | None = None, status: int | None = None) -> list[RequestLog]:
        return [r for r in self.snapshot() if (endpoint in (None, r.endpoint)) and (status in (None, r.status))]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __getitem__(self, index: int) -> RequestLog:
        with self._lock:
            return self._items[index]

    def __iter__(self) -> Iterator[RequestLog]:
        return iter(self.snapshot())


@dataclass(slots=True)
class _Reply:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    n_ids: int = 0


class _HistoryServer:
    """WebEnv -> stored result sets (query_key 1, 2, ...), as NCBI's Entrez history keeps them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._envs: dict[str, list[list[str]]] = {}
        self._counter = itertools.count(1)

    def store(self, webenv: str | None, pmids: list[str]) -> tuple[str, int]:
        with self._lock:
            if webenv not in self._envs:
                webenv = f"MCID_emu{next(self._counter):016d}"
                self._envs[webenv] = []
            self._envs[webenv].append(pmids)
            return webenv, len(self._envs[webenv])

    def get(self, webenv: str, query_key: str) -> list[str] | None:
        with self._lock:
            sets = self._envs.get(webenv)
            if sets is None or not query_key.isdigit() or not 1 <= int(query_key) <= len(sets):
                return None
            return sets[int(query_key) - 1]

    def clear(self) -> None:
        with self._lock:
            self._envs.clear()


class _RateLimiter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {}

    def check(self, limit: RateLimit, client: str, has_key: bool) -> tuple[bool, int, int]:
        """(allowed, requests in the window including this one, the limit that applies)."""
        allowed_n = limit.with_key if has_key else limit.without_key
        now = time.monotonic()
        with self._lock:
            stamps = self._seen.setdefault(client, deque())
            while stamps and now - stamps[0] >= limit.window:
                stamps.popleft()
            if len(stamps) >= allowed_n:
                return False, len(stamps) + 1, allowed_n
            stamps.append(now)
            return True, len(stamps), allowed_n

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()


class Emulator:
    """An E-utilities server on ``host:port`` (0 = a free port) replaying ``corpus`` as of ``today``."""

    def __init__(
        self,
        corpus: Corpus,
        host: str = "127.0.0.1",
        port: int = 0,
        today: dt.date | None = None,
        rate_limit: RateLimit | bool | None = None,
        trials: ctgov.TrialCorpus | None = None,
    ) -> None:
        self.corpus = corpus
        self.trials = trials or ctgov.TrialCorpus([])  # ClinicalTrials.gov studies at /api/v2/studies
        self.host = host
        self.port = port
        self.today = today or dt.date.today()
        self.rate_limit = RateLimit() if rate_limit is True else (rate_limit or None)
        self.faults = FaultPlan()
        self.requests = RequestLogBook()
        self.counters: Counter[str] = Counter()
        self._counter_lock = threading.Lock()
        self._history = _HistoryServer()
        self._limiter = _RateLimiter()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> Emulator:
        """Bind and serve in a background thread; ``base_url`` is valid afterwards."""
        if self._server is not None:
            return self
        server = ThreadingHTTPServer((self.host, self.port), _Handler)
        server.daemon_threads = True
        server.emulator = self  # type: ignore[attr-defined]
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, name="eutils-emulator", daemon=True)
        self._thread.start()
        log.info("E-utilities emulator listening on %s (today=%s)", self.base_url, self.today)
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}{BASE_PATH}"

    @property
    def ctgov_base_url(self) -> str:
        """Base of the ClinicalTrials.gov API v2 this server also answers (see :mod:`.ctgov`)."""
        return f"http://{self.host}:{self.port}{ctgov.CTGOV_PATH}"

    def reset(self) -> None:
        """Forget requests, counters, faults, rate-limit windows and history (``today`` stays)."""
        self.requests.clear()
        with self._counter_lock:
            self.counters.clear()
        self.faults.clear()
        self._history.clear()
        self._limiter.clear()

    def _count(self, *keys: str, n: int = 1) -> None:
        with self._counter_lock:
            for key in keys:
                self.counters[key] += n

    # -- E-utilities ----------------------------------------------------------------------------
    def esearch(self, params: dict[str, str]) -> _Reply:
        """Answer one ESearch request (no faults, no rate limit: the handler applies those)."""
        params = _lower_keys(params)
        as_json = params.get("retmode", "xml").lower() == "json"
        if (db := params.get("db", "pubmed")) != "pubmed":
            return _esearch_reply(as_json, {"ERROR": f"Invalid db name specified: {db}"})
        term = params.get("term", "").strip()
        if not term:
            return _esearch_reply(as_json, {"ERROR": "Empty term and query_key - nothing todo"})
        try:
            retstart, retmax = _int_param(params, "retstart", 0), _int_param(params, "retmax", DEFAULT_RETMAX)
            node = parse_query(term)
            window = _date_limit(params, self.today)
        except QuerySyntaxError as e:
            return _esearch_reply(as_json, {"ERROR": f"Invalid query: {e}"})
        retmax = min(retmax, MAX_RETMAX)
        matches = node.evaluate(self.corpus) & self.corpus.visible_docs(self.today)
        if window is not None:
            matches &= window.evaluate(self.corpus)
        count = len(matches)
        if retstart >= PUBMED_CAP or (retstart + retmax > PUBMED_CAP and count > PUBMED_CAP):
            return _esearch_reply(as_json, {"count": str(count), "ERROR": CAP_MESSAGE})
        by = "pdat" if params.get("sort", "").replace("+", "_").lower() in ("pub_date", "pub date") else "edat"
        ordered = sorted(matches, key=lambda d: self.corpus.sort_key(d, by), reverse=True)
        pmids = [self.corpus.docs[d].pmid for d in ordered]
        page = pmids[retstart : retstart + retmax]
        result: dict[str, Any] = {"count": str(count), "retmax": str(len(page)), "retstart": str(retstart)}
        if params.get("usehistory", "").lower() == "y":
            webenv, key = self._history.store(params.get("webenv"), pmids)
            result |= {"querykey": str(key), "webenv": webenv}
        result |= {"idlist": page, "translationset": [], "querytranslation": node.label}
        if count == 0:
            unfound = [leaf for leaf in node.leaves() if not leaf.evaluate(self.corpus)]
            if unfound:
                result["errorlist"] = {"phrasesnotfound": [t.text for t in unfound], "fieldsnotfound": []}
            result["warninglist"] = {
                "phrasesignored": [],
                "quotedphrasesnotfound": [t.text for t in unfound if t.quoted],
                "outputmessages": ["No items found."],
            }
        reply = _esearch_reply(as_json, result)
        reply.n_ids = len(page)
        return reply

    def studies(self, params: dict[str, str]) -> ctgov.CtgovReply:
        """Answer one ClinicalTrials.gov ``/api/v2/studies`` request from ``trials`` as of ``today``."""
        return ctgov.answer_studies(self.trials, self.today, params)

    def efetch(self, params: dict[str, str]) -> _Reply:
        """Answer one EFetch request: a PubmedArticleSet in the order the ids were asked for."""
        params = _lower_keys(params)
        if (db := params.get("db", "pubmed")) != "pubmed":
            return _efetch_error(200, f"Invalid db name specified: {db}")
        if params.get("id", "").strip():
            ids = [p.strip() for p in params["id"].replace(" ", ",").replace("\n", ",").split(",") if p.strip()]
            requested = [p for p in ids if p.isdigit() and int(p) > 0]
            if not requested:
                return _efetch_error(400, INVALID_IDS_MESSAGE)
        elif params.get("webenv"):
            stored = self._history.get(params["webenv"], params.get("query_key", "1"))
            if stored is None:
                return _efetch_error(200, f"Unable to obtain query #{params.get('query_key', '1')}")
            try:
                retstart, retmax = _int_param(params, "retstart", 0), _int_param(params, "retmax", DEFAULT_RETMAX)
            except QuerySyntaxError as e:
                return _efetch_error(200, str(e))
            requested = stored[retstart : retstart + min(retmax, MAX_RETMAX)]
        else:
            return _efetch_error(400, "Empty id list - nothing todo")
        omitted = self.faults.omitted_pmids(requested)
        parts, seen = [], set()
        for pmid in requested:
            if pmid in seen or pmid in omitted:
                continue
            seen.add(pmid)
            if (doc := self.corpus.lookup(pmid, self.today)) is not None:
                parts.append(doc.xml)
        body = b"\n".join(
            [b'<?xml version="1.0" ?>', PUBMED_DOCTYPE.encode(), b"<PubmedArticleSet>", *parts, b"</PubmedArticleSet>"]
        )
        self._count("records_served", n=len(parts))
        return _Reply(200, body + b"\n", "text/xml; charset=UTF-8", n_ids=len(requested))


def _lower_keys(params: dict[str, str]) -> dict[str, str]:
    """Parameter names as E-utilities reads them: case does not matter (``WebEnv`` == ``webenv``)."""
    return {k.lower(): v for k, v in params.items()}


def _int_param(params: dict[str, str], name: str, default: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise QuerySyntaxError(f"{name} must be a non-negative integer, not {raw!r}")
    return int(raw)


def _date_limit(params: dict[str, str], today: dt.date) -> DateRange | None:
    """The datetype/mindate/maxdate/reldate restriction of an ESearch, as a date range."""
    datetype = params.get("datetype", "pdat").lower()
    mindate, maxdate, reldate = (params.get(k, "").strip() for k in ("mindate", "maxdate", "reldate"))
    if not (mindate or maxdate or reldate):
        return None
    if datetype not in _DATETYPES:
        raise QuerySyntaxError(f"datetype must be one of {', '.join(_DATETYPES)}")
    if reldate and not (mindate or maxdate):
        if not reldate.isdigit():
            raise QuerySyntaxError("reldate must be a number of days")
        return DateRange(datetype, today - dt.timedelta(days=int(reldate)), today)
    if not (mindate and maxdate):
        raise QuerySyntaxError("mindate and maxdate must be given together")
    return DateRange(datetype, parse_date(mindate, end=False), parse_date(maxdate, end=True))


def _esearch_reply(as_json: bool, result: dict[str, Any]) -> _Reply:
    if as_json:
        body = json.dumps({"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}, indent=1)
        return _Reply(200, body.encode(), "application/json; charset=UTF-8")
    out = ['<?xml version="1.0" encoding="UTF-8" ?>', ESEARCH_DOCTYPE, "<eSearchResult>"]
    tags = {"count": "Count", "retmax": "RetMax", "retstart": "RetStart", "querykey": "QueryKey", "webenv": "WebEnv"}
    for key, tag in tags.items():
        if key in result:
            out.append(f"<{tag}>{escape(result[key])}</{tag}>")
    if "idlist" in result:
        out.append("<IdList>" + "".join(f"<Id>{i}</Id>" for i in result["idlist"]) + "</IdList>")
        out.append("<TranslationSet/>")
        out.append(f"<QueryTranslation>{escape(result['querytranslation'])}</QueryTranslation>")
    if "ERROR" in result:
        out.append(f"<ERROR>{escape(result['ERROR'])}</ERROR>")
    if "errorlist" in result:
        out.append(
            "<ErrorList>"
            + "".join(f"<PhraseNotFound>{escape(p)}</PhraseNotFound>" for p in result["errorlist"]["phrasesnotfound"])
            + "</ErrorList>"
        )
    if "warninglist" in result:
        warnings = result["warninglist"]
        out.append(
            "<WarningList>"
            + "".join(
                f"<QuotedPhraseNotFound>{escape(p)}</QuotedPhraseNotFound>" for p in warnings["quotedphrasesnotfound"]
            )
            + "".join(f"<OutputMessage>{escape(m)}</OutputMessage>" for m in warnings["outputmessages"])
            + "</WarningList>"
        )
    out.append("</eSearchResult>")
    return _Reply(200, "\n".join(out).encode(), "text/xml; charset=UTF-8")


def _efetch_error(status: int, message: str) -> _Reply:
    body = f'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n\t<ERROR>{escape(message)}</ERROR>\n'
    body += "</eFetchResult>\n"
    return _Reply(status, body.encode(), "text/xml; charset=UTF-8")


def _fault_reply(fault: Fault, client: str, retry_after: float | None) -> _Reply:
    status = fault.status or 500
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None and status in (429, 503) else {}
    if status == 429:
        body = json.dumps({"error": "API rate limit exceeded", "api-key": client, "count": "4", "limit": "3"})
        return _Reply(429, body.encode(), "application/json", headers)
    reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Error")
    body = f"<html><head><title>{status} {reason}</title></head><body><h1>{reason}</h1></body></html>\n"
    return _Reply(status, body.encode(), "text/html", headers)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave together: no 40 ms delayed-ACK stall per request
    server_version = "ivig-lit-eutils-emulator/1.0"

    @property
    def emulator(self) -> Emulator:
        return self.server.emulator  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._handle("GET", b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._handle("POST", self.rfile.read(length) if length else b"")

    def _handle(self, method: str, body: bytes) -> None:
        emu = self.emulator
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        params |= {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        endpoint = url.path.rsplit("/", 1)[-1].removesuffix(".fcgi")
        client = self.client_address[0]
        has_key = bool(params.get("api_key"))
        fault: Fault | None = None
        is_ctgov = url.path == ctgov.CTGOV_PATH + "studies"
        if not is_ctgov and (not url.path.startswith(BASE_PATH) or endpoint not in ("esearch", "efetch")):
            reply = _Reply(404, b"Not Found\n", "text/plain")
        elif (
            emu.rate_limit is not None
            and not (verdict := emu._limiter.check(emu.rate_limit, params.get("api_key") or client, has_key))[0]
        ):
            body = {
                "error": "API rate limit exceeded",
                "api-key": client,
                "count": str(verdict[1]),
                "limit": str(verdict[2]),
            }
            retry = emu.faults.retry_after
            reply = _Reply(
                429, json.dumps(body).encode(), "application/json", {"Retry-After": f"{retry:g}"} if retry else {}
            )
            emu._count("rate_limited")
        else:
            fault = emu.faults.next_fault(endpoint)
            if fault is not None and fault.kind == "slow":
                time.sleep(fault.delay)
            if fault is not None and fault.kind == "status":
                reply = _fault_reply(fault, client, emu.faults.retry_after)
            elif is_ctgov:
                served = ctgov.error_in_200() if fault and fault.kind == "error" else emu.studies(params)
                reply = _Reply(served.status, served.body, served.content_type, n_ids=served.n_ids)
            elif fault is not None and fault.kind == "error":
                reply = (
                    _efetch_error(200, "Search Backend failed")
                    if endpoint == "efetch"
                    else _esearch_reply(params.get("retmode") == "json", {"ERROR": "Search Backend failed"})
                )
            else:
                reply = emu.esearch(params) if endpoint == "esearch" else emu.efetch(params)
        status = None if fault is not None and fault.kind in ("drop", "hang") else reply.status
        safe = {k: ("***" if k == "api_key" else v) for k, v in params.items()}
        label = fault.label if fault else None
        # Logged before answering, so a test that has seen the response also sees its log entry.
        emu.requests.append(
            RequestLog(method, url.path, endpoint, safe, reply.n_ids, status, label, client, time.time())
        )
        emu._count(f"endpoint:{endpoint}", f"status:{status}", *([f"fault:{label}"] if label else []))
        self._send(reply, fault)

    def _send(self, reply: _Reply, fault: Fault | None) -> None:
        """Write the reply, or break it as the fault says."""
        kind = fault.kind if fault else None
        if kind == "hang":
            await_hangup(self.connection)
        if kind in ("drop", "hang"):
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        body = reply.body[: len(reply.body) // 2] if kind == "cut" else reply.body
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body) if kind == "truncate" else len(body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if kind == "truncate":
            self.send_header("Connection", "close")
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body[: len(body) // 2] if kind == "truncate" else body)
            self.wfile.flush()
            if kind == "truncate":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)


def serve_forever(
    corpus_paths: Sequence[str | Path] | None,
    host: str = "127.0.0.1",
    port: int = 8765,
    today: dt.date | None = None,
    rate_limit: bool = False,
) -> None:
    """Serve until Ctrl-C (the ``ivig-lit emulator`` command); no paths = the bundled demo corpus."""
    corpus = Corpus.from_files(corpus_paths) if corpus_paths else Corpus.demo()
    trials = None if corpus_paths else ctgov.TrialCorpus.bundled()
    emulator = Emulator(corpus, host=host, port=port, today=today, rate_limit=rate_limit, trials=trials)
    emulator.start()
    print(f"E-utilities emulator: {emulator.base_url}  ({len(corpus)} record versions, today={emulator.today})")
    print(f"ClinicalTrials.gov API v2: {emulator.ctgov_base_url}  ({len(emulator.trials)} study versions)")
    print("Press Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping")
    finally:
        emulator.stop()
