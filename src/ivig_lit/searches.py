"""What the nightly asks PubMed: each condition's date windows (from its own watermarks), grouped so
that conditions sharing tonight's windows are searched together, with one union query
``((cond1) OR (cond2) …) AND (IVIG block)``. A quiet night then costs two ESearch requests (new and
revised) however many conditions are tracked; a condition added since the last run has no watermark,
so it forms its own group and is backfilled from ``backfill_start`` while the others stay incremental.

Which condition found which record is decided locally afterwards (``assign_conditions``) with the
same query evaluator the emulator answers with; hits it cannot place are asked of ESearch per
condition, restricted to those PMIDs, so a disagreement with PubMed costs requests, never records."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import duckdb

from ivig_lit.config import Settings
from ivig_lit.fetch.eutils import EutilsClient, SearchResult
from ivig_lit.fetch.windows import DateWindow
from ivig_lit.gate import Gate
from ivig_lit.parse.models import Article
from ivig_lit.registry import Registry
from ivig_lit.store import warehouse as wh

log = logging.getLogger(__name__)
FALLBACK_IDS = 200  # PMIDs per restricted ESearch when local assignment leaves hits unplaced


@dataclass(frozen=True)
class ConditionPlan:
    """The windows one condition needs tonight: new records (crdt) and revised ones (mdat)."""

    condition_id: str
    new: DateWindow
    revised: DateWindow | None


@dataclass(frozen=True)
class SearchPlan:
    """One search for the conditions that share tonight's windows (the unit a flow maps over)."""

    condition_ids: tuple[str, ...]
    query: str
    new: DateWindow
    revised: DateWindow | None


@dataclass
class SearchHits:
    """A search plan's result sets (kept on the history server) and what the searching cost."""

    condition_ids: tuple[str, ...]
    new: list[SearchResult] = field(default_factory=list)
    revised: list[SearchResult] = field(default_factory=list)
    requests: int = 0
    retries: int = 0

    @property
    def new_ids(self) -> list[str]:
        return [p for found in self.new for p in found.ids]

    @property
    def revised_ids(self) -> list[str]:
        return [p for found in self.revised for p in found.ids]


SearchAll = Callable[[Settings, list[SearchPlan]], list[SearchHits]]


def plan_nightly(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    registry: Registry,
    today: dt.date,
    since: dt.date | None = None,
    until: dt.date | None = None,
    conditions: list[str] | None = None,
) -> list[ConditionPlan]:
    """Windows per condition, ending at ``until`` or today.

    New records (crdt) are searched from the watermark less ``overlap_days``, since records can
    appear with a create date a little in the past; revisions (mdat) from the watermark day itself,
    so a record is not fetched again night after night for the overlap. ``since`` overrides both.
    A condition without a watermark is backfilled from ``settings.backfill_start``; it needs no
    revision search, since everything it has is new.
    """
    marks = wh.get_watermarks(con)
    end = until or today
    overlap = dt.timedelta(days=settings.overlap_days)
    backfill = dt.datetime.strptime(settings.backfill_start, "%Y/%m/%d").date()
    plans = []
    for c in registry.select(conditions):
        new_mark, rev_mark = marks.get((c.id, "crdt")), marks.get((c.id, "mdat"))
        new_start = since or (new_mark - overlap if new_mark else backfill)
        rev_start = since or rev_mark
        plans.append(
            ConditionPlan(
                condition_id=c.id,
                new=DateWindow("crdt", min(new_start, end), end),
                revised=DateWindow("mdat", min(rev_start, end), end) if rev_start else None,
            )
        )
    return plans


def plan_searches(plans: list[ConditionPlan], registry: Registry, union: bool = True) -> list[SearchPlan]:
    """One search per set of conditions with the same windows (``union``), else one per condition."""
    groups: dict[tuple[object, ...], list[str]] = {}
    for p in plans:
        key = (p.new, p.revised) if union else (p.condition_id,)
        groups.setdefault(key, []).append(p.condition_id)
    by_id = {p.condition_id: p for p in plans}
    out = []
    for ids in groups.values():
        first = by_id[ids[0]]
        out.append(SearchPlan(tuple(ids), union_query(registry, ids), first.new, first.revised))
    return out


def union_query(registry: Registry, condition_ids: list[str]) -> str:
    """The conditions' blocks OR-ed together, AND the IVIG block: a record is returned exactly when
    some condition's own ``search_query`` would return it."""
    if len(condition_ids) == 1:
        return registry.search_query(condition_ids[0])
    blocks = " OR ".join(f"({registry.get(c).query})" for c in condition_ids)
    return f"({blocks}) AND ({registry.ivig_query})"


def search_plan(client: EutilsClient, plan: SearchPlan) -> SearchHits:
    """The result sets of one plan's new and revised windows."""
    before_requests, before_retries = client.stats.requests, client.stats.retries
    hits = SearchHits(plan.condition_ids, new=client.search_sets(plan.query, plan.new))
    if plan.revised:
        hits.revised = client.search_sets(plan.query, plan.revised)
    hits.requests = client.stats.requests - before_requests
    hits.retries = client.stats.retries - before_retries
    log.debug("%s: %d new, %d revised", ",".join(plan.condition_ids), len(hits.new_ids), len(hits.revised_ids))
    return hits


def search_sequentially(settings: Settings, plans: list[SearchPlan]) -> list[SearchHits]:
    client = EutilsClient.from_settings(settings)
    return [search_plan(client, p) for p in plans]


class ConditionAssigner:
    """Which of tonight's conditions found each PMID. A plan of one condition says so directly; a
    union plan's hits are placed by evaluating each of its conditions' queries on the record
    (``conditions_of``: the relevance gate's exact evaluation, unless a caller supplies another)."""

    def __init__(
        self,
        registry: Registry,
        hits: list[SearchHits],
        conditions_of: Callable[[Article], frozenset[str]] | None = None,
    ) -> None:
        self.registry = registry
        self.found: dict[str, set[str]] = {}  # pmid -> conditions that found it
        self.pending: dict[str, set[str]] = {}  # pmid -> conditions of the union plans that found it
        self._seen: set[str] = set()  # pending PMIDs whose record was evaluated
        for h in hits:
            for pmid in h.new_ids + h.revised_ids:
                if len(h.condition_ids) == 1:
                    self.found.setdefault(pmid, set()).update(h.condition_ids)
                else:
                    self.pending.setdefault(pmid, set()).update(h.condition_ids)
        self._conditions_of = conditions_of or (Gate(registry).conditions_of if self.pending else None)

    def place(self, article: Article) -> None:
        """Place a fetched (or stored) record of a union plan by its own content."""
        candidates = self.pending.get(article.pmid)
        if candidates and self._conditions_of is not None:
            self._seen.add(article.pmid)
            self.found.setdefault(article.pmid, set()).update(self._conditions_of(article) & candidates)

    def place_stored(self, con: duckdb.DuckDBPyConnection, pmids: Iterable[str]) -> None:
        """Place union hits that are stored already and not fetched tonight from their stored JSON."""
        wanted = [p for p in pmids if p in self.pending]
        for record in wh.stored_records(con, wanted) if wanted else []:
            self.place(Article.from_dict(record))

    def place_by_search(self, client: EutilsClient) -> None:
        """Ask ESearch, per candidate condition, which of the evaluated hits no condition's query
        matched locally it returns (PubMed's own answer; costs requests only on a disagreement)."""
        unplaced = [p for p in self._seen if not self.found.get(p, set()) & self.pending[p]]
        if not unplaced:
            return
        log.warning("%d union hits match no condition locally; asking ESearch per condition", len(unplaced))
        for cid in sorted({c for p in unplaced for c in self.pending[p]}):
            mine = [p for p in unplaced if cid in self.pending[p]]
            for start in range(0, len(mine), FALLBACK_IDS):
                chunk = mine[start : start + FALLBACK_IDS]
                ids = " OR ".join(f"{p}[uid]" for p in chunk)
                term = f"({self.registry.search_query(cid)}) AND ({ids})"
                for pmid in client.esearch(term, retmax=len(chunk)).ids:
                    self.found.setdefault(pmid, set()).add(cid)

    def conditions(self, pmid: str) -> set[str]:
        return self.found.get(pmid, set())
