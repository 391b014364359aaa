"""Fetched records staged on disk between the fetch and the load, so a nightly run does all its
network work before it opens the warehouse for writing, and a fetch that fails writes nothing.

Records are staged parsed (one JSON line per article or unreadable record), not as raw EFetch XML:
the client's per-batch check that every PMID came back works on parsed records, and staging after it
keeps that in one place. The file lives next to the warehouse and is removed when the run ends."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ivig_lit.parse.models import Article, RecordError


def stage_path(warehouse: Path | str, run_id: str) -> Path:
    """``<warehouse dir>/.<warehouse name>.staging/<run_id>.jsonl``."""
    warehouse = Path(warehouse)
    return warehouse.parent / f".{warehouse.name}.staging" / f"{run_id}.jsonl"


def write_stage(path: Path, items: Iterable[Article | RecordError]) -> int:
    """Write every item (streaming) and return how many; the file is complete only on return."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for item in items:
            if isinstance(item, Article):
                fh.write(json.dumps({"article": item.to_dict()}, ensure_ascii=False) + "\n")
            else:
                fh.write(json.dumps({"error": dataclasses.asdict(item)}, ensure_ascii=False) + "\n")
            n += 1
    return n


def iter_stage(path: Path) -> Iterator[Article | RecordError]:
    """The staged items, in the order they were fetched."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            yield Article.from_dict(row["article"]) if "article" in row else RecordError(**row["error"])


def remove_stage(path: Path) -> None:
    path.unlink(missing_ok=True)
    if path.parent.exists() and not any(path.parent.iterdir()):
        path.parent.rmdir()
