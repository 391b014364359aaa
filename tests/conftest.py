"""Fixtures shared by every test package."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.fetch.eutils import EutilsClient
from ivig_lit.fetch.limiter import RateLimiter
from tests.cases.records import Rec, write_corpus
from tests.cases.registries import evidence_only_registry

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PREFECT_TESTS = "tests/flows/"  # the tests that share the one Prefect server (tests/flows/conftest.py)


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


@pytest.fixture(scope="session")
def evidence_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled registry with every baseline at ``no_evidence``, in one file per session: a
    registry is compiled once per path (~0.5 CPU-s), not once per test that writes its own copy."""
    return evidence_only_registry(tmp_path_factory.mktemp("registry") / "registry.toml")


def copy_warehouse(warehouse: Path, to: Path) -> Path:
    """A copy of a closed warehouse file (and its WAL, if one is left) for a test to change: a
    module builds a warehouse once (~0.7 CPU-s) and each test gets its own copy (milliseconds)."""
    shutil.copyfile(warehouse, to)
    wal = warehouse.with_name(warehouse.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, to.with_name(to.name + ".wal"))
    return to


# -- emulator and client ----------------------------------------------------------------------------
TODAY = dt.date(2026, 11, 25)


def small_records() -> list[Rec]:
    """60 CIDP/IVIG records created one a week back from 2026-11-20, plus 5 off-topic ones."""
    recs = [Rec(pmid=40000000 + i, created=dt.date(2026, 11, 20) - dt.timedelta(weeks=i)) for i in range(60)]
    recs += [
        Rec(pmid=41000000 + i, title="Statins in stroke", abstract="Statins after stroke.", created=dt.date(2025, 5, 1))
        for i in range(5)
    ]
    return recs


@pytest.fixture(scope="session")
def _emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    corpus = Corpus.from_files([write_corpus(tmp_path_factory.mktemp("corpus") / "small.xml", small_records())])
    with Emulator(corpus, today=TODAY) as emu:
        yield emu


@pytest.fixture
def emulator(_emulator: Emulator) -> Emulator:
    """A real E-utilities emulator on 127.0.0.1 (one per session), reset for each test."""
    _emulator.reset()
    _emulator.today = TODAY
    return _emulator


class SleepRecorder:
    """Stands in for time.sleep: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def no_sleep() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def client(emulator: Emulator, no_sleep: SleepRecorder) -> EutilsClient:
    """The real client, pointed at the emulator, with back-off waits recorded instead of slept."""
    return EutilsClient(
        emulator.base_url,
        email="dev@example.org",
        tool="ivig-lit-tests",
        batch_size=20,
        max_tries=4,
        timeout=5,
        limiter=RateLimiter(1000.0),
        sleep=no_sleep,
    )


def pytest_configure(config: pytest.Config) -> None:
    """Keep the collection order below: xdist otherwise hands out the largest groups first, which put
    the slow files with few tests (the demo replay, the wheel, ``serve``) last and left one worker
    running them alone at the end."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with a ``slow`` test run first, so the many quick files fill in around them. The sort
    is stable: each file's tests stay together and in order."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """``--dist loadgroup`` as ``make test`` runs it: the tests under ``tests/flows/`` (the only ones
    that use Prefect) form one group that one worker runs against one Prefect server (a start-up
    costs ~15 CPU-s), while the other worker takes the rest; every other test stays with its file
    as under ``--dist loadfile`` (module fixtures built once, not once per worker)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class FilesAndPrefectGroup(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(PREFECT_TESTS):
                return PREFECT_TESTS
            scope = super()._split_scope(nodeid)  # an explicit xdist_group mark still groups
            return scope if scope != nodeid else nodeid.split("::", 1)[0]

    return FilesAndPrefectGroup(config, log)
