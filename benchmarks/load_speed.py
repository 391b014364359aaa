"""End-to-end ``load-xml`` (parse, gate, tag, store) beside Biopython's ``Entrez.read`` parse alone, in
records per CPU-second, each measured in a fresh interpreter (``bulk_load.measure``), on:

- all in scope: N records every one of which the gate keeps (the generator's IVIG articles, fresh PMIDs);
- off-topic MEDLINE: the real MEDLINE file in ``../shared/data`` tiled to N records (fresh PMIDs);

then where the in-scope load's CPU goes: CPU-seconds (all threads, ``time.process_time``) inside the
gate (``Gate.conditions_of``), tagging (``tag_articles``: tags and direction), each store step and the
warehouse's per-batch open/close, and the rest (parsing, run start and finish), in this process.

usage: python benchmarks/load_speed.py [--records N] [--cache DIR] [--no-split]
"""

from __future__ import annotations

import argparse
import collections
import functools
import gzip
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MEDLINE = ROOT.parent / "shared" / "data" / "medline16n0902.xml.gz"
sys.path.insert(0, str(ROOT / "benchmarks"))


def tile_medline(n: int, out: Path) -> Path | None:
    """The real MEDLINE file's citations repeated to ``n`` records, each with a fresh PMID."""
    if not MEDLINE.exists():
        return None
    if not out.exists():
        text = gzip.decompress(MEDLINE.read_bytes()).decode()
        head = text[: text.index("<MedlineCitationSet>")]
        blocks = re.findall(r"<MedlineCitation .*?</MedlineCitation>", text, flags=re.S)
        with gzip.open(out, "wt", compresslevel=1) as f:
            f.write(head + "<MedlineCitationSet>\n")
            for i in range(n):
                pmid = f'<PMID Version="1">{70_000_000 + i}</PMID>'
                f.write(re.sub(r'<PMID Version="1">\d+</PMID>', pmid, blocks[i % len(blocks)], count=1) + "\n")
            f.write("</MedlineCitationSet>\n")
    return out


def side_by_side(sets: dict[str, Path], work: Path) -> None:
    import bulk_load

    print("records per CPU-second (fresh process each) | load-xml end to end vs Biopython Entrez.read parse alone")
    for label, path in sets.items():
        bio, load = bulk_load.measure("biopython", [path], work), bulk_load.measure("load-xml", [path], work)
        bio_rate, load_rate = bio["records"] / bio["cpu"], load["records"] / load["cpu"]
        print(
            f"  {label:<24} {load['records']:>6,} records, {load['kept']:>6,} kept | load-xml {load_rate:>6,.0f} "
            f"({load['rss']:,.0f} MiB) | biopython {bio_rate:>6,.0f} ({bio['rss']:,.0f} MiB) | "
            f"{load_rate / bio_rate:.2f}x"
        )


class StageClock:
    """CPU-seconds spent inside chosen functions, by label (calls nest nowhere here)."""

    def __init__(self) -> None:
        self.spent: collections.Counter[str] = collections.Counter()

    def wrap(self, owner: Any, name: str, label: str) -> None:
        fn: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[label] += time.process_time() - start

        setattr(owner, name, timed)


def split(path: Path) -> None:
    """One in-scope load in this process, its CPU split by stage."""
    from ivig_lit import batch
    from ivig_lit.config import Settings
    from ivig_lit.gate import Gate
    from ivig_lit.ingest import load_xml
    from ivig_lit.store import connection
    from ivig_lit.store import warehouse as wh

    clock = StageClock()
    clock.wrap(Gate, "conditions_of", "gate")
    clock.wrap(batch, "tag_articles", "tag (tags + direction)")
    for name in ("upsert_articles", "save_tags", "record_query_hits", "query_hits_for"):
        clock.wrap(wh, name, f"store: {name}")
    clock.wrap(connection, "connect", "store: open (migrate)")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.process_time()
        summary = load_xml([path], Settings.from_env({}, warehouse=Path(tmp) / "w.duckdb"))
        total = time.process_time() - start
    n = summary.counts.fetched + summary.out_of_scope
    print(f"\nwhere the in-scope load's CPU goes ({n:,} records, {total:.2f} CPU-s, {n / total:,.0f} rec/CPU-s)")
    rest = total - sum(clock.spent.values())
    for label, spent in [*clock.spent.most_common(), ("parse, commit/close, run start+finish", rest)]:
        print(f"  {label:<38} {spent:6.2f} CPU-s {100 * spent / total:5.1f}% {1e6 * spent / n:6,.0f} us/record")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=5_000, help="records per input file")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ivig-lit-load-speed")
    parser.add_argument("--no-split", action="store_true", help="skip the in-process split by stage")
    args = parser.parse_args()
    import bulk_load

    args.cache.mkdir(parents=True, exist_ok=True)
    (in_scope,) = bulk_load.all_in_scope(args.cache, args.records)
    sets = {"all in scope": in_scope}
    if (medline := tile_medline(args.records, args.cache / f"medline{args.records}.xml.gz")) is not None:
        sets["off-topic MEDLINE"] = medline
    with tempfile.TemporaryDirectory() as work:
        side_by_side(sets, Path(work))
    if not args.no_split:
        split(in_scope)


if __name__ == "__main__":
    main()
