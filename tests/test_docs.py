"""The README documents what the code offers, and its generated parts are current."""

from __future__ import annotations

from pathlib import Path

import pytest
from cogapp import Cog

from ivig_lit.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_cli_command_has_help_and_a_readme_section(name: str) -> None:
    command = main.commands[name]
    assert command.help and len(command.help) > 40
    assert f"### `ivig-lit {name}`" in README


@pytest.mark.parametrize("view", sorted(p.stem for p in (REPO / "warehouse" / "views").glob("*.sql")))
def test_every_public_view_is_documented(view: str) -> None:
    assert f"- **`{view}`**" in README


def test_generated_readme_sections_are_current() -> None:
    assert Cog().main(["cog", "--check", str(REPO / "README.md")]) == 0


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one() -> None:
    assert "make demo" in README and "make test" in README
    assert "make test" in (REPO / ".ci" / "run").read_text()
