"""report stage: the weekly digest as data, Markdown, self-contained HTML and e-mail."""

from ivig_lit.report.digest import Digest, build_digest, parse_week, render_html, render_markdown, write_digest
from ivig_lit.report.email import send_digest

__all__ = ["Digest", "build_digest", "parse_week", "render_html", "render_markdown", "send_digest", "write_digest"]
