"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Real PubMed XML files beside the checkout (``../shared/data``); skip when absent."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return path


@pytest.fixture(scope="session")
def gold_dev() -> Path:
    """Labelled IVIG articles (``../shared/gold/dev.jsonl``); skip when absent."""
    path = SHARED / "gold" / "dev.jsonl"
    if not path.is_file():
        pytest.skip("../shared/gold/dev.jsonl is not beside this checkout")
    return path
