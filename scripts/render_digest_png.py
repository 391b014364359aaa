"""Render a digest HTML file to PNG with headless Chromium, to check it in a real browser.

usage: python scripts/render_digest_png.py DIGEST.html OUT.png [--chromium PATH] [--size 1280,2400]

Chromium runs with a throwaway profile and every background network feature off; the page itself
is self-contained, so nothing is fetched.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium_command(chromium: str, profile: Path, *args: str) -> list[str]:
    return [chromium, *FLAGS, f"--user-data-dir={profile}", *args]


def render_png(html: Path, out: Path, chromium: str = CHROMIUM, size: str = "1280,2400") -> Path:
    """Screenshot ``html`` into ``out``; raises CalledProcessError when Chromium fails."""
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix="ivig-chromium-") as profile:
        cmd = chromium_command(chromium, Path(profile), f"--screenshot={out}", f"--window-size={size}",
                               html.resolve().as_uri())  # fmt: skip
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    if not out.is_file():
        raise FileNotFoundError(f"Chromium wrote no screenshot to {out}")
    return out


def dump_dom(html: Path, chromium: str = CHROMIUM, window_size: str = "1280,2400") -> str:
    """The DOM as Chromium parsed and laid it out at ``window_size`` (what a reader's browser builds)."""
    with tempfile.TemporaryDirectory(prefix="ivig-chromium-") as profile:
        cmd = chromium_command(chromium, Path(profile), f"--window-size={window_size}", "--dump-dom",
                               html.resolve().as_uri())  # fmt: skip
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--size", default="1280,2400", help="window WIDTH,HEIGHT in pixels")
    args = parser.parse_args(argv)
    print(render_png(args.html, args.out, args.chromium, args.size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
