"""Charts for the HTML digest as small hand-written inline SVG: the page stays one file that opens
without a network or JavaScript, each chart costs a few kilobytes (matplotlib's SVGs cost 30-40 KB
each and made the page ~600 KB), axes count whole articles, and the same data gives the same bytes."""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

from ivig_lit.tag.models import DESIGNS, design_set

if TYPE_CHECKING:
    from ivig_lit.report.digest import Digest

# Designs collapse into a few bands a reader can tell apart at a glance, strongest first.
BANDS = (
    ("Meta-analyses & systematic reviews", design_set("meta_analysis", "systematic_review"), "#1b4f72"),
    ("RCTs", design_set("rct"), "#2e86c1"),
    ("Other trials", design_set("controlled_trial", "single_arm_trial"), "#85c1e9"),
    ("Observational", design_set("cohort", "case_control"), "#f5b041"),
    ("Case series & reports", design_set("case_series", "case_report"), "#e59866"),
    ("Reviews & other", design_set("review", "guideline", "preclinical", "other"), "#bfc9ca"),
)
assert set().union(*(band[1] for band in BANDS)) == set(DESIGNS), "every design belongs to a band"
MIN_YEARS = 10  # a short history still gets a readable decade-wide axis
WIDTH = 720
_FONT = 'font-family="sans-serif" font-size="11" fill="#1c2833"'


def render_per_year_chart(label: str, per_year: dict[int, dict[str, int]]) -> str:
    """Stacked bars: articles per publication year, by design band, for one condition."""
    last = max(per_year, default=0)
    years = list(range(min(min(per_year, default=0), last - MIN_YEARS + 1), last + 1)) if per_year else []
    stacks = [[sum(per_year.get(y, {}).get(d, 0) for d in designs) for _, designs, _ in BANDS] for y in years]
    left, top, plot_w, plot_h = 36, 22, 520, 130
    ticks = _integer_ticks(max((sum(s) for s in stacks), default=0))
    scale = plot_h / ticks[-1]
    step = plot_w / max(len(years), 1)
    out = [_title(label, left)]
    out += _y_axis(ticks, left, top, plot_w, plot_h)
    for i, (year, stack) in enumerate(zip(years, stacks, strict=True)):
        x, base = left + i * step, top + plot_h
        for n, (_, _, colour) in zip(stack, BANDS, strict=True):
            if n:
                out.append(
                    f'<rect x="{x + step * 0.08:.1f}" y="{base - n * scale:.1f}" width="{step * 0.84:.1f}" '
                    f'height="{n * scale:.1f}" fill="{colour}"><title>{year}: {n}</title></rect>'
                )
                base -= n * scale
        if year % _year_step(len(years)) == 0 or i == len(years) - 1:
            out.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{year}</text>')
    shown = [(name, colour) for j, (name, _, colour) in enumerate(BANDS) if any(s[j] for s in stacks)]
    for k, (name, colour) in enumerate(shown):
        y = top + k * 16
        out.append(f'<rect x="{left + plot_w + 14}" y="{y}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{left + plot_w + 28}" y="{y + 9}">{escape(name)}</text>')
    return _svg(out, top + plot_h + 22, f"Articles per year by design: {label}")


def render_week_chart(digest: Digest) -> str:
    """Horizontal bars: the week's new articles per condition (all tracked conditions shown)."""
    counts = {c.condition_id: c.n_articles for c in digest.new_articles}
    rows = [(s.label, counts.get(s.condition_id, 0)) for s in digest.statuses if not s.is_group]
    left, top, plot_w, row_h = 300, 22, 380, 16
    ticks = _integer_ticks(max((n for _, n in rows), default=0))
    scale = plot_w / ticks[-1]
    out = [_title(f"New articles in {digest.week}", 0)]
    height = len(rows) * row_h
    for t in ticks:
        x = left + t * scale
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + height}" stroke="#e5e8e8"/>')
        out.append(f'<text x="{x:.1f}" y="{top + height + 13}" text-anchor="middle">{t}</text>')
    for i, (label, n) in enumerate(rows):
        y = top + i * row_h
        out.append(f'<text x="{left - 6}" y="{y + 11}" text-anchor="end">{escape(_short(label))}</text>')
        if n:
            out.append(f'<rect x="{left}" y="{y + 2}" width="{n * scale:.1f}" height="{row_h - 4}" fill="#2e86c1"/>')
            out.append(f'<text x="{left + n * scale + 4:.1f}" y="{y + 11}">{n}</text>')
    return _svg(out, top + height + 20, f"New articles in {digest.week} per condition")


def _integer_ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 past ``top`` (at most about 5), never a fractional article."""
    top = max(top, 1)
    step = max(1, math.ceil(top / 5))
    magnitude = 10 ** (len(str(step)) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= step)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _year_step(n_years: int) -> int:
    return next(s for s in (1, 2, 5, 10, 20, 50) if n_years / s <= 12)


def _y_axis(ticks: list[int], left: int, top: int, width: int, height: int) -> list[str]:
    scale = height / ticks[-1]
    out = []
    for t in ticks:
        y = top + height - t * scale
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="#e5e8e8"/>')
        out.append(f'<text x="{left - 5}" y="{y + 4:.1f}" text-anchor="end">{t}</text>')
    return out


def _title(text: str, x: int) -> str:
    return f'<text x="{x}" y="13" font-size="13" font-weight="600">{escape(text)}</text>'


def _short(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _svg(parts: list[str], height: int, description: str) -> str:
    """A bare ``<svg>`` element (no prolog), scaling to its container's width."""
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(description)}" {_FONT}>{body}</svg>'
    )
