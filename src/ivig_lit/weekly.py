"""The weekly digest run: read the warehouse, write Markdown and HTML, e-mail when asked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ivig_lit.config import Settings
from ivig_lit.registry import Registry, load_registry
from ivig_lit.report import build_digest, render_markdown, write_digest
from ivig_lit.store.connection import open_reader


@dataclass
class DigestResult:
    week: str
    markdown: str
    paths: dict[str, Path]
    sent_to: tuple[str, ...] = ()


def run_digest(
    settings: Settings,
    registry: Registry | None = None,
    *,
    week: str | None = None,
    today: dt.date | None = None,
    send: bool = False,
) -> DigestResult:
    """Build the digest of an ISO week (default: the last complete one), write Markdown and HTML,
    and e-mail it when asked and SMTP is configured."""
    registry = registry or load_registry(settings.registry)
    con = open_reader(settings.warehouse)  # reads only: never the writer lock (reaping dead runs is for writers)
    try:
        digest = build_digest(con, registry, week, today or dt.date.today())
    finally:
        con.close()
    markdown = render_markdown(digest)
    paths = write_digest(digest, settings.digest_dir, markdown)
    sent: tuple[str, ...] = ()
    if send:
        from ivig_lit.report import send_digest  # smtplib and email only when sending

        send_digest(digest, settings)
        sent = settings.digest_to
    return DigestResult(digest.week, markdown, paths, sent)
