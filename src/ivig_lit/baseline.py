"""``baseline``: load NCBI's annual baseline and daily update files in name order, with a ledger of
files loaded (and their checksums) so a re-run skips what is done and resumes after a crash.

Parsing and gating, the costly part, run per file through a ``map_files`` callable (the builtin
``map`` in-process; the Prefect flow supplies a Dask-backed one, so this module never imports
Prefect). Each worker spills the records it kept to a pickle file in batches; one writer appends
them in file order, batch by batch, so memory stays flat whatever the input size."""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import logging
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ivig_lit.batch import iter_batches
from ivig_lit.config import Settings
from ivig_lit.errors import ChecksumMismatchError, InvalidArgumentError, MalformedFileError
from ivig_lit.gate import Gate
from ivig_lit.ingest import Screened, iter_in_scope, load_batches
from ivig_lit.parse import iter_articles
from ivig_lit.progress import Progress
from ivig_lit.registry import Registry, load_registry
from ivig_lit.runs import RunSummary, recorded
from ivig_lit.store.queries import load_query

log = logging.getLogger(__name__)
_SUFFIXES = (".xml", ".xml.gz")


@dataclass(frozen=True)
class FileJob:
    """One file to prepare: what a worker needs (plain values, cheap to ship to a Dask worker)."""

    path: str
    spill_dir: str
    registry_path: str | None
    keep_all: bool


@dataclass
class PreparedFile:
    """A worker's answer: where the kept records wait, what the gate counted, or why it failed."""

    path: str
    spill: str
    records: int = 0
    kept: int = 0
    hits: dict[str, frozenset[str]] = field(default_factory=dict)
    error: str | None = None


MapFiles = Callable[[Callable[[FileJob], PreparedFile], list[FileJob]], Iterable[PreparedFile]]


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


def prepare_file(job: FileJob) -> PreparedFile:
    """Parse and gate one file, spilling kept records (and parse errors, DeleteCitations) to disk
    in load-sized batches. A file that breaks off keeps what was read before the break."""
    gate, screened = Gate(load_registry(job.registry_path)), Screened()
    spill = Path(tempfile.mkstemp(prefix=Path(job.path).name + ".", suffix=".pickle", dir=job.spill_dir)[1])
    result = PreparedFile(job.path, str(spill))
    items = iter_in_scope(iter_articles(Path(job.path)), gate, screened, keep_all=job.keep_all)
    with open(spill, "wb") as out:
        try:
            for batch in iter_batches(items):
                pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
        except MalformedFileError as e:
            result.error = e.user_message
    result.records, result.kept, result.hits = screened.records, screened.kept, screened.hits
    return result


def _iter_spill(path: str) -> Iterator[list]:
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
    """Load baseline then update files, skipping those the ledger holds; one writer commits each
    file's batches in order, then its ledger row (a crash in between reloads the file, harmlessly)."""
    paths = expand_paths(specs)
    registry = registry or load_registry(settings.registry)
    now = now or dt.datetime.now()
    sums = {p.name: file_md5(p) for p in paths}
    failures: list[str] = []
    params = {"files": [str(p) for p in paths], "keep_all": keep_all}
    registry_path = str(settings.registry) if settings.registry else None
    with recorded(settings, registry, "baseline", params, now) as run, tempfile.TemporaryDirectory() as spill_dir:
        with run.transaction() as con:
            done = dict(con.execute(load_query("ledger_files")).fetchall())
        todo = [p for p in paths if done.get(p.name) != sums[p.name]]
        log.info("%d of %d files already loaded; %d to load", len(paths) - len(todo), len(paths), len(todo))
        jobs = [FileJob(str(p), spill_dir, registry_path, keep_all) for p in todo]
        records = kept = 0
        started = time.monotonic()
        with Progress("Baseline: files", total=len(jobs), enabled=progress) as bar:
            for prepared in map_files(prepare_file, jobs):
                name = Path(prepared.path).name
                hits = dict(prepared.hits)
                load_batches(run, _iter_spill(prepared.spill), hits, name, Progress(name, None, enabled=False))
                Path(prepared.spill).unlink(missing_ok=True)
                if prepared.error:
                    failures.append(prepared.error)
                else:
                    with run.transaction() as con:
                        _record_file(con, Path(prepared.path), sums[name], prepared, run.run_id, run.clock.now())
                records, kept = records + prepared.records, kept + prepared.kept
                rate = records / max(time.monotonic() - started, 1e-9)
                log.info("%s: %d records, %d kept; so far %d records, %d kept, %.0f records/s", name,
                         prepared.records, prepared.kept, records, kept, rate)  # fmt: skip
                bar.advance()
        status = "failed" if failures else "completed"
        with run.transaction() as con:
            changes = run.finish(con, status, "; ".join(failures) or None)
    summary = RunSummary(run.run_id, "baseline", settings.warehouse, run.counts, status=status, status_changes=changes)
    summary.failed_files, summary.out_of_scope = failures, records - kept
    return summary


def _record_file(
    con: duckdb.DuckDBPyConnection, path: Path, md5: str, prepared: PreparedFile, run_id: str, now: dt.datetime
) -> None:
    con.execute(
        load_query("ledger_record_file"),
        [path.name, md5, path.stat().st_size, prepared.records, prepared.kept, now, run_id],
    )
