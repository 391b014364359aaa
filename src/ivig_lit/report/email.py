"""Send the digest over SMTP: one multipart/alternative message, the Markdown as the text part and
the self-contained HTML page as the HTML part, so any mail client shows something readable."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from ivig_lit.config import Settings
from ivig_lit.errors import ConfigError
from ivig_lit.report.digest import Digest, render_html, render_markdown


def build_message(digest: Digest, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"IVIG literature digest {digest.week}: {digest.n_new} new, {len(digest.changes)} changes"
    message["From"] = settings.digest_from
    message["To"] = ", ".join(settings.digest_to)
    message.set_content(render_markdown(digest))
    message.add_alternative(render_html(digest), subtype="html")
    return message


def send_digest(digest: Digest, settings: Settings) -> None:
    """Send to ``settings.digest_to`` via ``settings.smtp_host``; STARTTLS and login when configured."""
    if not settings.smtp_host or not settings.digest_to:
        raise ConfigError("e-mailing the digest needs IVIG_LIT_SMTP_HOST and IVIG_LIT_DIGEST_TO")
    message = build_message(digest, settings)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message)
