"""E-mail over a real SMTP server on 127.0.0.1, and the HTML as a real browser parses it."""

from __future__ import annotations

import email
import email.policy
import importlib.util
import shutil
import socket
from pathlib import Path

import lxml.html
import pytest
from aiosmtpd.controller import Controller

from ivig_lit.config import Settings
from ivig_lit.errors import ConfigError
from ivig_lit.report import send_digest, write_digest
from tests.report.conftest import HOSTILE_TITLE

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_digest_png.py"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_digest_is_sent_as_markdown_and_html_to_every_recipient(digest, smtp_server):
    inbox, port = smtp_server
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, digest_from="ivig@example.org",
                        digest_to=("a@example.org", "b@example.org"))  # fmt: skip
    send_digest(digest, settings)
    [(sender, recipients, raw)] = inbox.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert (sender, recipients) == ("ivig@example.org", ["a@example.org", "b@example.org"])
    assert message["Subject"] == "IVIG literature digest 2026-W47: 4 new, 3 changes"
    text = message.get_body(("plain",)).get_content()
    html = lxml.html.document_fromstring(message.get_body(("html",)).get_content())
    assert text.startswith("# IVIG literature digest, 2026-W47")
    assert html.xpath("//script") == [] and HOSTILE_TITLE in html.text_content()


def test_sending_without_smtp_settings_is_a_config_error(digest):
    with pytest.raises(ConfigError, match="SMTP_HOST"):
        send_digest(digest, Settings(smtp_host=None, digest_to=("a@example.org",)))


def _render_script():
    spec = importlib.util.spec_from_file_location("render_digest_png", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


needs_chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"), reason="Chromium is not installed"
)


@needs_chromium
def test_chromium_builds_the_digest_dom_with_sections_links_and_inert_titles(digest, tmp_path):
    html = write_digest(digest, tmp_path)["html"]
    dom = lxml.html.document_fromstring(_render_script().dump_dom(html))
    assert [s.get("id") for s in dom.iter("section")] == ["status-changes", "new-articles", "trials", "notices",
                                                          "to-check", "status", "charts"]  # fmt: skip
    assert dom.xpath("//script") == []
    assert dom.xpath('//li[@data-pmid="502"]/a[@class="title"]')[0].text_content() == HOSTILE_TITLE
    assert "https://pubmed.ncbi.nlm.nih.gov/500/" in dom.xpath("//a/@href")


@needs_chromium
def test_chromium_screenshots_the_digest(digest, tmp_path):
    html = write_digest(digest, tmp_path)["html"]
    png = _render_script().render_png(html, tmp_path / "digest.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# Written into a copy of the page only: the digest itself carries no script.
MEASURE = (
    "<script>document.addEventListener('DOMContentLoaded', () => document.body.setAttribute("
    "'data-overflow', String(document.documentElement.scrollWidth - window.innerWidth)));</script>"
)


@needs_chromium
def test_the_digest_has_no_horizontal_overflow_at_1280_pixels(digest, tmp_path):
    html = write_digest(digest, tmp_path)["html"]
    probe = tmp_path / "probe.html"
    probe.write_text(html.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = lxml.html.document_fromstring(_render_script().dump_dom(probe, window_size="1280,900"))
    assert dom.body.get("data-overflow") == "0"
