"""A temporary Prefect API started for a command sends Prefect no usage telemetry unless the user
asked for it: the server inherits this process's environment."""

from __future__ import annotations

import os

import pytest

from ivig_lit.flows._api import ANALYTICS, analytics_off_unless_set


def test_a_temporary_api_starts_without_analytics_when_the_user_has_not_set_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ANALYTICS, raising=False)
    with analytics_off_unless_set():
        assert os.environ[ANALYTICS] == "false"
    assert ANALYTICS not in os.environ


def test_the_users_own_analytics_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ANALYTICS, "true")
    with analytics_off_unless_set():
        assert os.environ[ANALYTICS] == "true"
    assert os.environ[ANALYTICS] == "true"
