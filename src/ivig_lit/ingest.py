"""``load-xml``: ingest local PubMed XML files (baseline/update files, saved EFetch output) as one
recorded run."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from ivig_lit.batch import iter_batches, load_batch
from ivig_lit.config import Settings
from ivig_lit.errors import MalformedFileError
from ivig_lit.parse import iter_articles
from ivig_lit.parse.models import Article
from ivig_lit.progress import Progress
from ivig_lit.registry import Registry, load_registry
from ivig_lit.runs import Run, RunSummary, recorded

log = logging.getLogger(__name__)


def load_xml(
    paths: list[Path],
    settings: Settings,
    registry: Registry | None = None,
    *,
    now: dt.datetime | None = None,
    progress: bool = False,
) -> RunSummary:
    """Ingest local PubMed XML files.

    A file that breaks off keeps the records read before the break; the other files still load,
    and the run ends failed, naming each bad file.
    """
    registry = registry or load_registry(settings.registry)
    now = now or dt.datetime.now()
    missing = [str(p) for p in paths if not Path(p).is_file()]
    if missing:
        raise MalformedFileError(f"no such file: {', '.join(missing)}", file=missing[0])
    failures: list[str] = []
    with recorded(settings, registry, "load-xml", {"files": list(map(str, paths))}, now) as run:
        for i, path in enumerate(paths, 1):
            label = f"Loading {Path(path).name} ({i}/{len(paths)}): records"
            with Progress(label, total=None, enabled=progress) as bar:
                failures += _load_file(run, Path(path), bar)
        status = "failed" if failures else "completed"
        with run.transaction() as con:
            changes = run.finish(con, status, "; ".join(failures) or None)
    summary = RunSummary(run.run_id, "load-xml", settings.warehouse, run.counts, status=status, status_changes=changes)
    summary.failed_files = failures
    return summary


def _load_file(run: Run, path: Path, bar: Progress) -> list[str]:
    items = iter_articles(path, source_name=path.name)
    try:
        for batch in iter_batches(items):
            with run.transaction() as con:
                run.counts.fetched += sum(isinstance(i, Article) for i in batch)
                load_batch(con, run.registry, batch, run.run_id, run.now, run.counts, path.name)
            bar.advance(len(batch))
    except MalformedFileError as e:
        log.error("%s", e.user_message)
        return [e.user_message]
    return []
