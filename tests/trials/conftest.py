"""The session emulator serving the bundled ClinicalTrials.gov studies, and a client pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ivig_lit.emulator import Emulator
from ivig_lit.emulator.ctgov import TrialCorpus
from ivig_lit.fetch.ctgov import CtgovClient
from ivig_lit.fetch.limiter import RateLimiter
from tests.conftest import TODAY


@pytest.fixture
def trials_emulator(emulator: Emulator) -> Iterator[Emulator]:
    """The shared emulator with the bundled trials corpus (removed again afterwards)."""
    emulator.trials = TrialCorpus.bundled()
    yield emulator
    emulator.trials = TrialCorpus([])


@pytest.fixture(scope="module")
def module_trials_emulator(_emulator: Emulator) -> Iterator[Emulator]:
    """The same for a whole module, whose tests share one warehouse built from it (a nightly run
    costs seconds; the tests only read what it loaded)."""
    _emulator.reset()
    _emulator.today = TODAY
    _emulator.trials = TrialCorpus.bundled()
    yield _emulator
    _emulator.trials = TrialCorpus([])


@pytest.fixture
def ctgov(trials_emulator: Emulator, no_sleep) -> CtgovClient:
    """The real client on the emulator: two studies a page, waits recorded instead of slept."""
    return CtgovClient(
        trials_emulator.ctgov_base_url, page_size=2, max_tries=4, timeout=5, limiter=RateLimiter(1000.0), sleep=no_sleep
    )
