"""The emulator's ClinicalTrials.gov API v2: ``GET /api/v2/studies`` over a corpus of study versions.

A :class:`TrialCorpus` holds every *version* of each study (v2 JSON, as the API serves it). On day
``today`` a study exists once its ``studyFirstPostDateStruct`` date is reached, and the version served
is the latest whose ``lastUpdatePostDateStruct`` date is on or before ``today``: replaying the days
walks a trial through its life (registered, recruiting, completed, results posted).

What it understands, and how it differs from the real service:

* ``query.cond`` (conditions, keywords, titles, NCT id), ``query.intr`` (intervention names, other
  names and descriptions) and ``query.term`` (all of those): terms joined by ``OR``, quoted phrases or
  words, matched case-insensitively as substrings (the real Essie syntax is far richer);
* ``filter.advanced`` only as ``AREA[LastUpdatePostDate]RANGE[<from|MIN>,<to|MAX>]``; anything else is
  a 400, as is a bad ``pageSize`` (1..1000, default 10) or a ``pageToken`` this query did not hand out;
* ``fields`` keeps the listed top-level or module paths; ``countTotal=true`` adds ``totalCount``;
* studies are ordered by NCT id; the last page carries no ``nextPageToken``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

CTGOV_PATH = "/api/v2/"
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 1000
_RANGE = re.compile(r"^AREA\[LastUpdatePostDate\]RANGE\[(MIN|\d{4}-\d{2}-\d{2}),\s*(MAX|\d{4}-\d{2}-\d{2})\]$")
_OR = re.compile(r"\s+OR\s+")


@dataclass(frozen=True, slots=True)
class CtgovReply:
    status: int
    body: bytes
    content_type: str
    n_ids: int = 0


class TrialCorpus:
    """Study versions by NCT id, oldest update first."""

    def __init__(self, versions: list[dict[str, Any]]) -> None:
        self.versions: dict[str, list[dict[str, Any]]] = {}
        for study in sorted(versions, key=lambda s: (_nct(s), _posted(s, "lastUpdatePostDateStruct"))):
            self.versions.setdefault(_nct(study), []).append(study)

    @classmethod
    def from_file(cls, path: Path | str) -> TrialCorpus:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["studies"])

    @classmethod
    def bundled(cls) -> TrialCorpus:
        """The trials written for the demo and the tests (``ivig_lit/data/ctgov_studies.json``)."""
        return cls(json.loads(resources.files("ivig_lit.data").joinpath("ctgov_studies.json").read_text())["studies"])

    def __len__(self) -> int:
        return sum(len(v) for v in self.versions.values())

    def visible(self, today: dt.date) -> list[dict[str, Any]]:
        """The version of each registered study that ``today`` sees, by NCT id."""
        out = []
        for nct in sorted(self.versions):
            versions = self.versions[nct]
            if _posted(versions[0], "studyFirstPostDateStruct") > today:
                continue
            seen = [v for v in versions if _posted(v, "lastUpdatePostDateStruct") <= today]
            out.append(seen[-1] if seen else versions[0])
        return out


def answer_studies(corpus: TrialCorpus, today: dt.date, params: dict[str, str]) -> CtgovReply:
    """One ``GET /api/v2/studies`` page (no faults: the server's handler applies those)."""
    try:
        page_size = _page_size(params.get("pageSize", ""))
        since, until = _advanced(params.get("filter.advanced", "").strip())
    except ValueError as e:
        return bad_request(str(e))
    areas = (("query.cond", _cond), ("query.intr", _intr), ("query.term", _all))
    searches = [(params.get(k, ""), area) for k, area in areas]
    matches = [
        s
        for s in corpus.visible(today)
        if since <= _posted(s, "lastUpdatePostDateStruct") <= until
        and all(_matches(query, area(s)) for query, area in searches if query.strip())
    ]
    fingerprint = _fingerprint(params)
    offset = 0
    if token := params.get("pageToken"):
        offset = _offset(token, fingerprint)
        if offset is None:
            return bad_request(f"pageToken {token!r} does not belong to this query")
    page = matches[offset : offset + page_size]
    body: dict[str, Any] = {"studies": [_select(s, params.get("fields", "")) for s in page]}
    if offset + page_size < len(matches):
        body["nextPageToken"] = _token(offset + page_size, fingerprint)
    if params.get("countTotal", "").lower() == "true":
        body["totalCount"] = len(matches)
    return CtgovReply(200, json.dumps(body).encode(), "application/json", n_ids=len(page))


def error_in_200() -> CtgovReply:
    """What a misbehaving gateway sends: a 200 whose JSON is an error, not a page."""
    return CtgovReply(200, json.dumps({"error": "upstream search service unavailable"}).encode(), "application/json")


def bad_request(message: str) -> CtgovReply:
    return CtgovReply(400, f"Bad Request: {message}\n".encode(), "text/plain")


def _page_size(raw: str) -> int:
    if not raw.strip():
        return DEFAULT_PAGE_SIZE
    if not raw.strip().isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValueError(f"pageSize must be an integer from 1 to {MAX_PAGE_SIZE}, not {raw!r}")
    return int(raw)


def _advanced(expr: str) -> tuple[dt.date, dt.date]:
    if not expr:
        return dt.date.min, dt.date.max
    m = _RANGE.match(expr)
    if not m:
        raise ValueError(f"filter.advanced: only AREA[LastUpdatePostDate]RANGE[from,to] is understood, not {expr!r}")
    lo, hi = m.groups()
    return (
        dt.date.min if lo == "MIN" else dt.date.fromisoformat(lo),
        dt.date.max if hi == "MAX" else dt.date.fromisoformat(hi),
    )


def _matches(query: str, text: str) -> bool:
    terms = [t.strip().strip('()"').strip().lower() for t in _OR.split(query)]
    return any(t and t in text for t in terms)


def _cond(s: dict[str, Any]) -> str:
    p = s.get("protocolSection", {})
    ident, cond = p.get("identificationModule", {}), p.get("conditionsModule", {})
    parts = [ident.get("nctId", ""), ident.get("briefTitle", ""), ident.get("officialTitle", "")]
    return " | ".join(parts + cond.get("conditions", []) + cond.get("keywords", [])).lower()


def _intr(s: dict[str, Any]) -> str:
    items = s.get("protocolSection", {}).get("armsInterventionsModule", {}).get("interventions", [])
    return " | ".join(
        " ".join([i.get("name", ""), *i.get("otherNames", []), i.get("description", "")]) for i in items
    ).lower()


def _all(s: dict[str, Any]) -> str:
    return _cond(s) + " | " + _intr(s)


def _select(study: dict[str, Any], fields: str) -> dict[str, Any]:
    """Only the requested paths (``protocolSection.statusModule``, ``hasResults``...)."""
    wanted = [f.strip() for f in fields.split(",") if f.strip()]
    if not wanted:
        return study
    out: dict[str, Any] = {}
    for path in wanted:
        src, dst, keys = study, out, path.split(".")
        for i, key in enumerate(keys):
            if not isinstance(src, dict) or key not in src:
                break
            if i == len(keys) - 1:
                dst[key] = src[key]
            else:
                src, dst = src[key], dst.setdefault(key, {})
    return out


def _fingerprint(params: dict[str, str]) -> str:
    """Pages of one query share this; countTotal, pageSize and pageToken may change between pages."""
    kept = {k: v for k, v in sorted(params.items()) if k not in ("pageToken", "pageSize", "countTotal")}
    return hashlib.sha256(json.dumps(kept).encode()).hexdigest()[:12]


def _token(offset: int, fingerprint: str) -> str:
    return base64.urlsafe_b64encode(f"{fingerprint}:{offset}".encode()).decode().rstrip("=")


def _offset(token: str, fingerprint: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except ValueError:
        return None
    owner, _, offset = raw.partition(":")
    return int(offset) if owner == fingerprint and offset.isdigit() else None


def _nct(study: dict[str, Any]) -> str:
    return study["protocolSection"]["identificationModule"]["nctId"]


def _posted(study: dict[str, Any], struct: str) -> dt.date:
    raw = study["protocolSection"]["statusModule"][struct]["date"]
    return dt.date.fromisoformat(raw if len(raw) == 10 else raw + "-01")
