"""``baseline``: load NCBI's annual baseline and daily update files in name order, with a ledger of
files loaded (and their checksums) so a re-run skips what is done and resumes after a crash.

Parsing, gating and tagging, the costly part, run per task of a few files through a ``map_files``
callable (the builtin ``map`` in-process; the Prefect flow supplies a Dask-backed one, so this
module never imports Prefect). Each worker spills the records it kept to a pickle file in batches;
one writer appends them in file order, about a load batch of kept records per transaction across
files (a file's ledger row commits with its last records), so memory stays flat whatever the input
size and the writer, which shares the cores with the workers, opens the warehouse rarely."""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import logging
import os
import pickle
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb

from ivig_lit.batch import LOAD_BATCH, Pretagged, iter_batches, tag_articles
from ivig_lit.config import Settings
from ivig_lit.errors import ChecksumMismatchError, InvalidArgumentError, MalformedFileError
from ivig_lit.gate import Gate
from ivig_lit.ingest import Screened, iter_in_scope, query_hashes_of, write_batch
from ivig_lit.parse import iter_articles
from ivig_lit.parse.models import Article
from ivig_lit.progress import Progress
from ivig_lit.registry import Registry, load_registry
from ivig_lit.runs import Run, RunSummary, recorded
from ivig_lit.store.queries import load_query

log = logging.getLogger(__name__)
_SUFFIXES = (".xml", ".xml.gz")
# A task takes consecutive files up to this many bytes: a real baseline file (20-40 MB) goes alone,
# small update files share one, so the per-task cost (Prefect's task run and its state calls, Dask's
# scheduling) is paid per ~100k records rather than per file.
TASK_BYTES = 8 * 2**20


@dataclass(frozen=True)
class FileJob:
    """One file to prepare: what a worker needs (plain values, cheap to ship to a Dask worker)."""

    path: str
    spill_dir: str
    registry: Registry  # the run's own, not a path a worker would read (and could find edited)
    keep_all: bool


@dataclass
class PreparedFile:
    """A worker's answer: where the kept records wait, what the gate counted, or why it failed, and
    the CPU seconds it took (this file; the worker process so far) to show where time goes."""

    path: str
    spill: str
    worker: str = ""
    records: int = 0
    kept: int = 0
    hits: dict[str, frozenset[str]] = field(default_factory=dict)
    error: str | None = None
    cpu: float = 0.0
    worker_cpu: float = 0.0


MapFiles = Callable[[Callable[[list[FileJob]], list[PreparedFile]], list[list[FileJob]]], Iterable[list[PreparedFile]]]


def expand_paths(specs: Iterable[str | Path]) -> list[Path]:
    """Files, folders (their .xml/.xml.gz files) and globs, as one list in name order (baseline
    files sort before update files, and updates in the order NCBI published them)."""
    found: dict[str, Path] = {}
    for spec in map(str, specs):
        matches = [Path(p) for p in sorted(glob.glob(spec))] if glob.has_magic(spec) else [Path(spec)]
        if not matches or not all(p.exists() for p in matches):
            raise InvalidArgumentError(f"no such file, folder or matching files: {spec}")
        for p in matches:
            for f in sorted(p.iterdir()) if p.is_dir() else [p]:
                if f.is_file() and f.name.endswith(_SUFFIXES):
                    found[f.name] = f
    if not found:
        raise InvalidArgumentError("no .xml or .xml.gz files in: " + ", ".join(map(str, specs)))
    return [found[name] for name in sorted(found)]


def file_md5(path: Path) -> str:
    """The file's MD5, checked against NCBI's ``<file>.md5`` beside it when there is one."""
    digest = hashlib.md5()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    md5 = digest.hexdigest()
    published = path.with_name(path.name + ".md5")
    if published.exists():
        expected = published.read_text().strip().rsplit("=", 1)[-1].strip().split()[0].lower()
        if expected != md5:
            raise ChecksumMismatchError(
                f"{path.name}: MD5 {md5} does not match {published.name} ({expected}); download it again",
                file=str(path),
            )
    return md5


@lru_cache(maxsize=4)
def _gate(registry: Registry) -> Gate:
    """A worker's gate, compiled once per process and registry, not once per file."""
    return Gate(registry)


def prepare_file(job: FileJob) -> PreparedFile:
    """Parse (only the records the gate's raw screen lets through), gate and tag one file, spilling
    each load-sized batch of kept records (and parse errors, DeleteCitations) to disk with its tags:
    the writer then only stores. A file that breaks off keeps what was read before the break."""
    started = time.process_time()
    registry, gate = job.registry, _gate(job.registry)
    screened, name = Screened(), Path(job.path).name
    spill = Path(tempfile.mkstemp(prefix=name + ".", suffix=".pickle", dir=job.spill_dir)[1])
    result = PreparedFile(job.path, str(spill), worker=f"{socket.gethostname()}:{os.getpid()}")
    records = iter_articles(Path(job.path), screen=None if job.keep_all else gate.screen)
    items = iter_in_scope(records, gate, screened, keep_all=job.keep_all)
    with open(spill, "wb") as out:
        try:
            for batch in iter_batches(items):
                articles = [a for a in batch if isinstance(a, Article)]
                tagged, _ = tag_articles(articles, registry, screened.hits, name)  # failures: the writer retries
                pretagged = {t.pmid: (screened.hits.get(t.pmid, frozenset()), t) for t in tagged}
                pickle.dump((batch, pretagged), out, protocol=pickle.HIGHEST_PROTOCOL)
        except MalformedFileError as e:
            result.error = e.user_message
    result.records, result.kept, result.hits = screened.records, screened.kept, screened.hits
    result.cpu, result.worker_cpu = time.process_time() - started, time.process_time()
    return result


def prepare_files(jobs: list[FileJob]) -> list[PreparedFile]:
    """One task's files, in order (see ``TASK_BYTES``)."""
    return [prepare_file(job) for job in jobs]


def group_jobs(jobs: list[FileJob], task_bytes: int | None = None) -> list[list[FileJob]]:
    """Consecutive files, a task's worth at a time: a group closes once it holds ``task_bytes``
    (``TASK_BYTES`` by default)."""
    task_bytes = task_bytes or TASK_BYTES
    groups: list[list[FileJob]] = [[]]
    size = 0
    for job in jobs:
        if size >= task_bytes:
            groups.append([])
            size = 0
        groups[-1].append(job)
        size += Path(job.path).stat().st_size
    return [g for g in groups if g]


def _iter_spill(path: str) -> Iterator[tuple[list, Pretagged]]:
    """A spill file's batches, in order, each with its worker's tags."""
    with open(path, "rb") as f:
        while True:
            try:
                yield pickle.load(f)
            except EOFError:
                return


def load_baseline(
    specs: Iterable[str | Path],
    settings: Settings,
    registry: Registry | None = None,
    *,
    map_files: MapFiles = map,
    keep_all: bool = False,
    now: dt.datetime | None = None,
    progress: bool = False,
) -> RunSummary:
    """Load baseline then update files, skipping those the ledger holds; one writer appends the
    files' kept records in file order (see ``_Writer``)."""
    paths = expand_paths(specs)
    registry = registry or load_registry(settings.registry)
    now = now or dt.datetime.now()
    sums = {p.name: file_md5(p) for p in paths}
    failures: list[str] = []
    params = {"files": [str(p) for p in paths], "keep_all": keep_all}
    with recorded(settings, registry, "baseline", params, now) as run, tempfile.TemporaryDirectory() as spill_dir:
        with run.transaction() as con:
            done = dict(con.execute(load_query("ledger_files")).fetchall())
        todo = [p for p in paths if done.get(p.name) != sums[p.name]]
        log.info("%d of %d files already loaded; %d to load", len(paths) - len(todo), len(paths), len(todo))
        jobs = [FileJob(str(p), spill_dir, registry, keep_all) for p in todo]
        tally, writer = _Tally(sum(p.stat().st_size for p in todo)), _Writer(run, sums)
        with Progress("Baseline: files", total=len(jobs), enabled=progress) as bar:
            for group in map_files(prepare_files, group_jobs(jobs)):
                for prepared in group:
                    writing = time.process_time()
                    writer.add(prepared)
                    if prepared.error:
                        failures.append(prepared.error)
                    tally.add(prepared, time.process_time() - writing)
                    log.info("%s: %d records, %d kept (%.1f CPU-s on %s)", Path(prepared.path).name,
                             prepared.records, prepared.kept, prepared.cpu, prepared.worker)  # fmt: skip
                    bar.advance(note=tally.note())
            writing = time.process_time()
            writer.flush()
            tally.writer_cpu += time.process_time() - writing
        log.info("%s", tally.closing())
        status = "failed" if failures else "completed"
        with run.transaction() as con:
            changes = run.finish(con, status, "; ".join(failures) or None)
    summary = RunSummary(run.run_id, "baseline", settings.warehouse, run.counts, status=status, status_changes=changes)
    summary.failed_files, summary.out_of_scope = failures, tally.records - tally.kept
    return summary


class _Writer:
    """The one writer: appends each file's spilled batches in file order, committing once about a
    load batch of kept records has gathered (across files: a baseline file keeps ~0.1% of its
    records, so a transaction per file would open the warehouse for a handful of rows). Each batch
    is written as it would be on its own; a file's ledger row commits with its last batch or after
    it, so a crash before that reloads the file, harmlessly. Pending records stay under one load
    batch, whatever the input size."""

    def __init__(self, run: Run, sums: dict[str, str]) -> None:
        self.run, self.sums = run, sums
        self.query_hashes = query_hashes_of(run.registry)
        self.pending: list[tuple[str, list, dict[str, frozenset[str]], Pretagged]] = []  # file, batch, hits, tags
        self.done: list[PreparedFile] = []  # files whose every batch is pending or written
        self.size = 0

    def add(self, prepared: PreparedFile) -> None:
        name, hits = Path(prepared.path).name, dict(prepared.hits)
        for batch, tags in _iter_spill(prepared.spill):
            if self.size + len(batch) > LOAD_BATCH:
                self.flush()
            self.pending.append((name, batch, hits, tags))
            self.size += len(batch)
        Path(prepared.spill).unlink(missing_ok=True)
        if not prepared.error:
            self.done.append(prepared)

    def flush(self) -> None:
        if not self.pending and not self.done:
            return
        run = self.run
        with run.transaction() as con:
            con.execute(load_query("writer_one_thread"))
            for name, batch, hits, tags in self.pending:
                write_batch(con, run, batch, hits, self.query_hashes, name, tags)
            for prepared in self.done:
                path = Path(prepared.path)
                _record_file(con, path, self.sums[path.name], prepared, run.run_id, run.clock.now())
        self.pending, self.done, self.size = [], [], 0


class _Tally:
    """Running totals of a baseline run: what the progress bar shows (records, kept, rate, ETA by
    bytes read, as files differ in size) and where the CPU went (the writer, each worker)."""

    def __init__(self, total_bytes: int) -> None:
        self.records = self.kept = self.bytes = 0
        self.total_bytes = total_bytes
        self.started, self.cpu_started = time.monotonic(), time.process_time()
        self.writer_cpu = 0.0
        self.worker_cpu: dict[str, float] = {}
        self.files_cpu: dict[str, float] = {}
        self.files: dict[str, int] = {}

    def add(self, prepared: PreparedFile, writer_cpu: float) -> None:
        self.records, self.kept = self.records + prepared.records, self.kept + prepared.kept
        self.bytes += Path(prepared.path).stat().st_size
        self.writer_cpu += writer_cpu
        self.worker_cpu[prepared.worker] = max(self.worker_cpu.get(prepared.worker, 0.0), prepared.worker_cpu)
        self.files[prepared.worker] = self.files.get(prepared.worker, 0) + 1
        self.files_cpu[prepared.worker] = self.files_cpu.get(prepared.worker, 0.0) + prepared.cpu

    def note(self) -> str:
        elapsed = time.monotonic() - self.started
        left = elapsed * (self.total_bytes - self.bytes) / max(self.bytes, 1)
        rate, eta = self.records / max(elapsed, 1e-9), dt.timedelta(seconds=round(left))
        return f"{self.records:,} records, {self.kept:,} kept, {rate:,.0f} records/s, ETA {eta}"

    def closing(self) -> str:
        """The run's totals; CPU-s of this process (the writer's share apart) and of each worker
        process (what it spent on its files apart: the rest is its start-up and Dask/Prefect)."""
        workers = ", ".join(
            f"{w} {cpu:.1f} ({self.files[w]} files, {self.files_cpu[w]:.1f} on them)"
            for w, cpu in sorted(self.worker_cpu.items())
        )
        return (
            f"baseline: {self.records:,} records, {self.kept:,} kept in {time.monotonic() - self.started:.1f} s; "
            f"CPU-s: this process {time.process_time() - self.cpu_started:.1f} (writer {self.writer_cpu:.1f}), "
            f"workers {workers or 'none'}"
        )


def _record_file(
    con: duckdb.DuckDBPyConnection, path: Path, md5: str, prepared: PreparedFile, run_id: str, now: dt.datetime
) -> None:
    con.execute(
        load_query("ledger_record_file"),
        [path.name, md5, path.stat().st_size, prepared.records, prepared.kept, now, run_id],
    )
