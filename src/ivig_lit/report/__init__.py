"""report stage: the weekly digest as data, Markdown, self-contained HTML and e-mail."""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> module; loaded on first use, so the console formatting ``ivig-lit status`` uses
# does not import jinja2 and matplotlib.
_EXPORTS = {
    "Digest": "ivig_lit.report.digest",
    "build_digest": "ivig_lit.report.digest",
    "parse_week": "ivig_lit.report.digest",
    "render_html": "ivig_lit.report.digest",
    "render_markdown": "ivig_lit.report.digest",
    "write_digest": "ivig_lit.report.digest",
    "send_digest": "ivig_lit.report.email",
}

__all__ = ["Digest", "build_digest", "parse_week", "render_html", "render_markdown", "send_digest", "write_digest"]


def __getattr__(name: str) -> Any:
    if module := _EXPORTS.get(name):
        return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
