"""Charts for the HTML digest, rendered by matplotlib (Agg) to inline SVG: the page stays one file
that opens without a network, and needs no JavaScript. Text stays text (``svg.fonttype = none``)
so the SVG is small, and the hash salt and metadata are fixed so the same data gives the same bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after use("Agg"): the backend must be chosen first
from matplotlib.ticker import MaxNLocator

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
_NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}  # no timestamps, no URLs
_RC = {"svg.fonttype": "none", "svg.hashsalt": "ivig-lit", "font.size": 9, "font.family": "sans-serif"}


def render_per_year_chart(label: str, per_year: dict[int, dict[str, int]]) -> str:
    """Stacked bars: articles per publication year, by design band, for one condition."""
    last = max(per_year, default=0)
    years = list(range(min(min(per_year, default=0), last - MIN_YEARS + 1), last + 1)) if per_year else []
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(7.5, 2.4))
        bottom = [0] * len(years)
        for name, designs, colour in BANDS:
            heights = [sum(per_year.get(y, {}).get(d, 0) for d in designs) for y in years]
            if any(heights):
                ax.bar(years, heights, bottom=bottom, color=colour, label=name, width=0.85)
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_title(label, loc="left", fontsize=10)
        ax.set_ylabel("articles")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
        return _svg(fig)


def render_week_chart(digest: Digest) -> str:
    """Horizontal bars: the week's new articles per condition (all tracked conditions shown)."""
    counts = {c.condition_id: c.n_articles for c in digest.new_articles}
    rows = [(s.label, counts.get(s.condition_id, 0)) for s in digest.statuses if not s.is_group][::-1]
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(7.5, 0.28 * len(rows) + 0.8))
        ax.barh([_short(label) for label, _ in rows], [n for _, n in rows], color="#2e86c1")
        for y, (_, n) in enumerate(rows):
            if n:
                ax.text(n, y, f" {n}", va="center", fontsize=8)
        ax.set_title(f"New articles in {digest.week}", loc="left", fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        return _svg(fig)


def _short(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _svg(fig) -> str:
    """The figure as a bare ``<svg>`` element (no XML prolog or DOCTYPE), ready to inline."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata=_NO_METADATA)
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]
