"""The weekly digest: what arrived in an ISO week, what changed status and why (provisional when it
rests on tags awaiting review), which notices touch tracked articles, which of the week's tags a
curator should check first, and every condition's status beside its baseline.

"New in the week" means the PubMed Entrez date (when the record entered PubMed) falls in the week,
not when ivig-lit loaded it: a replayed or backfilled warehouse gives the same digest for the same
week. ``build_digest`` only reads (a read-only connection is enough); rendering and sending are
separate so the flow can publish the same text as a Prefect artifact.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import jinja2

from ivig_lit.assess.status import ConditionStatus, EvidenceItem
from ivig_lit.errors import InvalidArgumentError
from ivig_lit.registry import Registry
from ivig_lit.report import charts
from ivig_lit.store.curation import ReviewItem, read_review_queue
from ivig_lit.store.queries import load_query
from ivig_lit.store.status import PerYear, read_per_year, read_snapshots
from ivig_lit.tag.models import DESIGN_LABELS, DESIGNS

TO_CHECK = 5  # review-queue items a digest shows: a short list gets read
ADDITIONS_SHOWN = 50  # notable additions listed; the rest of a bulk week's are counted (n_additions)
NOTICES_SHOWN = 50  # retraction/erratum notices listed; the rest are counted (n_notices)
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


@dataclass(frozen=True, slots=True)
class DigestArticle:
    pmid: str
    title: str
    journal: str | None
    entrez_date: dt.date | None
    pub_date: dt.date | None
    design: str
    direction: str | None
    doi: str | None
    n_participants: int | None = None
    comparator: str | None = None
    pmc: str | None = None

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def pmc_url(self) -> str | None:
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmc}/" if self.pmc else None


@dataclass(frozen=True, slots=True)
class ConditionArticles:
    condition_id: str
    label: str
    by_design: tuple[tuple[str, tuple[DigestArticle, ...]], ...]  # strongest design first

    @property
    def n_articles(self) -> int:
        return sum(len(a) for _, a in self.by_design)


@dataclass(frozen=True, slots=True)
class Change:
    condition_id: str
    label: str
    changed_at: dt.datetime
    old_status: str | None
    new_status: str
    rule_id: str
    reason: str
    pmids: tuple[str, ...]
    provisional: bool = False  # rests on tags that still need review (see ``review_pmids``)
    review_pmids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Addition:
    condition_id: str
    label: str
    pmid: str
    design: str
    direction: str | None
    status: str
    title: str


@dataclass(frozen=True, slots=True)
class TrialItem:
    """A trial worth a reader's look this week: registered, completed, stopped, results posted,
    first cited in PubMed, or overdue (completed over a year ago, nothing published)."""

    kind: str  # registered | completed | stopped | results_posted | published | overdue
    nct_id: str
    title: str
    status: str
    is_rct: bool
    phases: tuple[str, ...]
    enrollment: int | None
    condition_ids: tuple[str, ...]
    day: dt.date | None
    detail: str | None  # the stop reason, or the citing PMID

    @property
    def url(self) -> str:
        return f"https://clinicaltrials.gov/study/{self.nct_id}"


@dataclass(frozen=True, slots=True)
class Backfill:
    """What the warehouse's first run loaded, for the digest of the week it ran in."""

    day: dt.date
    n_new: int
    n_ivig: int
    up_to: dt.date | None  # the newest Entrez date it loaded


TRIAL_KINDS = {
    "registered": "Newly registered",
    "completed": "Completed",
    "stopped": "Stopped early",
    "results_posted": "Results posted",
    "published": "Cited by a new article",
    "overdue": "Overdue publication (completed over 12 months ago, nothing in PubMed)",
}


@dataclass(frozen=True, slots=True)
class Notice:
    """A retraction or erratum notice entered this week, or a tracked article marked retracted."""

    pmid: str
    kind: str  # retraction_notice | erratum_notice | retracted
    title: str
    targets: tuple[tuple[str, str], ...]  # (pmid, title) of the tracked articles it concerns

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"


@dataclass(frozen=True)
class Digest:
    week: str  # "2026-W47"
    start: dt.date  # Monday
    end: dt.date  # Sunday
    today: dt.date
    new_articles: tuple[ConditionArticles, ...]
    changes: tuple[Change, ...]
    additions: tuple[Addition, ...]
    notices: tuple[Notice, ...]
    statuses: tuple[ConditionStatus, ...]
    per_year: dict[str, PerYear] = field(repr=False)  # condition -> year -> design -> n
    trials: tuple[TrialItem, ...] = ()
    backfill: Backfill | None = None  # set when the warehouse's first (backfill) run fell in this week
    to_check: tuple[ReviewItem, ...] = ()  # the week's top review-queue items
    n_additions: int = 0  # notable additions in the week; ``additions`` lists the first ADDITIONS_SHOWN
    n_notices: int = 0  # notices in the week; ``notices`` lists the first NOTICES_SHOWN

    @property
    def n_new(self) -> int:
        """Distinct new articles (an article tied to two conditions counts once)."""
        return len({a.pmid for c in self.new_articles for _, arts in c.by_design for a in arts})


def parse_week(week: str | None, today: dt.date) -> tuple[str, dt.date, dt.date]:
    """(label, Monday, Sunday) of an ISO week; None means the last complete week before ``today``."""
    if week is None:
        monday = today - dt.timedelta(days=today.weekday() + 7)
    else:
        m = _WEEK.match(week)
        if not m:
            raise InvalidArgumentError(f"week must look like 2026-W47, got {week!r}", week=week)
        try:
            monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError as e:
            raise InvalidArgumentError(f"no such ISO week: {week}", week=week) from e
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}", monday, monday + dt.timedelta(days=6)


def build_digest(con: duckdb.DuckDBPyConnection, registry: Registry, week: str | None, today: dt.date) -> Digest:
    """Everything the digest shows for one ISO week (default: the last complete week)."""
    label, start, end = parse_week(week, today)
    params = {"start": start, "end": end}
    labels = {c.id: c.label for c in registry.conditions} | {g: g.replace("_", " ") for g in registry.groups}
    new_rows = con.execute(load_query("digest_new_articles"), params).fetchall()
    new_articles = []
    for c in registry.conditions:
        rows = [DigestArticle(*r[1:]) for r in new_rows if r[0] == c.id]
        if rows:
            by_design = tuple(
                (d, tuple(a for a in rows if a.design == d)) for d in DESIGNS if any(a.design == d for a in rows)
            )
            new_articles.append(ConditionArticles(c.id, c.label, by_design))
    changes = tuple(
        Change(cid, labels.get(cid, cid), at, old, new, rule, reason, tuple(pmids), provisional, tuple(review))
        for cid, at, old, new, rule, reason, pmids, provisional, review in con.execute(
            load_query("digest_status_changes"), params).fetchall()
    )  # fmt: skip
    added = con.execute(load_query("digest_notable_additions"), params | {"shown": ADDITIONS_SHOWN}).fetchall()
    additions = tuple(Addition(cid, labels.get(cid, cid), *rest) for cid, *rest, _ in added)
    noticed = con.execute(load_query("digest_notices"), params | {"shown": NOTICES_SHOWN}).fetchall()
    notices = tuple(
        Notice(pmid, kind, title, tuple(tuple(t) for t in targets or ())) for pmid, kind, title, targets, _ in noticed
    )
    as_of = dt.datetime.combine(min(end, today), dt.time.max)
    statuses = tuple(read_snapshots(con, registry, as_of))
    return Digest(
        week=label,
        start=start,
        end=end,
        today=today,
        new_articles=tuple(new_articles),
        changes=changes,
        additions=additions,
        n_additions=added[0][-1] if added else 0,
        notices=notices,
        n_notices=noticed[0][-1] if noticed else 0,
        statuses=statuses,
        per_year=_per_year(con, as_of, end) if statuses else {},  # charts only go beside a status
        backfill=next((Backfill(*row) for row in con.execute(load_query("digest_backfill"), params).fetchall()), None),
        trials=_trials(con, params),
        to_check=tuple(read_review_queue(con, limit=TO_CHECK, entered=(start, end))),
    )


def _trials(con: duckdb.DuckDBPyConnection, params: dict[str, dt.date]) -> tuple[TrialItem, ...]:
    if not con.execute(load_query("digest_watches_trials")).fetchone()[0]:
        return ()
    return tuple(
        TrialItem(kind, nct, title, status, is_rct, tuple(phases or ()), n, tuple(cids), day, detail)
        for kind, nct, title, status, is_rct, phases, n, cids, day, detail in con.execute(
            load_query("digest_trials"), params
        ).fetchall()
    )


def _per_year(con: duckdb.DuckDBPyConnection, as_of: dt.datetime, end: dt.date) -> dict[str, PerYear]:
    """The per-year chart data kept with the snapshots shown (a few rows); counted from the views,
    across the warehouse, only when a snapshot was recorded before ivig-lit kept it."""
    kept = read_per_year(con, as_of)
    if kept is not None:
        return kept
    per_year: dict[str, PerYear] = {}
    for cid, year, design, n in con.execute(load_query("digest_articles_per_year"), {"end": end}).fetchall():
        per_year.setdefault(cid, {}).setdefault(year, {})[design] = n
    return per_year


def escape_markdown(text: str | None) -> str:
    """PubMed text made inert in Markdown: HTML escaped (renderers pass raw HTML through) and
    Markdown punctuation backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text or "", quote=False))


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ivig_lit.report", "templates"),
        bytecode_cache=_bytecode_cache("html" if autoescape else "text"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.globals["design_label"] = lambda d: DESIGN_LABELS.get(d, d)
    env.globals["status_label"] = lambda s: (s or "—").replace("_", " ")
    return env


def _bytecode_cache(kind: str) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs in jinja2's private per-user temporary directory
    (checked against the template's source): compiling them cost each digest 0.1 CPU-s, a fifth of
    its run. One file pattern per environment, as autoescaping compiles the same source differently."""
    try:
        return jinja2.FileSystemBytecodeCache(pattern=f"__ivig_lit_{kind}_%s.cache")
    except (OSError, RuntimeError):  # no usable private directory: compile every time, as before
        return None


def _context(digest: Digest) -> dict:
    return {"d": digest, "latest": _latest, "trial_kinds": TRIAL_KINDS}


def _latest(item: EvidenceItem | None) -> str:
    return f"PMID {item.pmid} ({item.date.year if item.date else 'n.d.'})" if item else "—"


def render_markdown(digest: Digest) -> str:
    """The digest as Markdown (also what the Prefect artifact and the e-mail's text part show)."""
    return _environment(False).get_template("digest.md.j2").render(**_context(digest))


def render_html(digest: Digest) -> str:
    """The digest as one self-contained HTML page: inline CSS and SVG charts, no scripts, no fetches."""
    svgs = {
        "week": charts.render_week_chart(digest),
        "per_year": [
            (s.condition_id, s.label, charts.render_per_year_chart(s.label, digest.per_year.get(s.condition_id, {})))
            for s in digest.statuses
            if not s.is_group and digest.per_year.get(s.condition_id)
        ],
    }
    return _environment(True).get_template("digest.html.j2").render(**_context(digest), charts=svgs)


def write_digest(digest: Digest, out_dir: Path, markdown: str | None = None) -> dict[str, Path]:
    """Write ``digest-<week>.md`` and ``.html`` into ``out_dir``; returns {"md": path, "html": path}.
    ``markdown``: the digest already rendered by ``render_markdown`` (a busy week's costs seconds)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"md": out_dir / f"digest-{digest.week}.md", "html": out_dir / f"digest-{digest.week}.html"}
    paths["md"].write_text(render_markdown(digest) if markdown is None else markdown, encoding="utf-8")
    paths["html"].write_text(render_html(digest), encoding="utf-8")
    return paths
