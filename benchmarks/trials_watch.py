"""The ClinicalTrials.gov watch: requests per nightly (first run and an incremental one) against the
emulator's bundled trials, and the cost of re-deriving every trial-article link from stored records
(the real PubMed files in ../shared/data, or N generated records when N is given or they are absent).

usage: python benchmarks/trials_watch.py [N]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from ivig_lit.config import Settings
from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.emulator.ctgov import TrialCorpus
from ivig_lit.emulator.generate import generate_corpus
from ivig_lit.ingest import load_xml
from ivig_lit.registry import load_registry
from ivig_lit.store import trials as store
from ivig_lit.store import warehouse as wh
from ivig_lit.trials import sync_trials

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def requests_per_night() -> None:
    registry = load_registry()
    with Emulator(Corpus.from_files([]), today=dt.date(2026, 10, 18), trials=TrialCorpus.bundled()) as emu:
        settings = Settings(base_url=emu.base_url, rate_limit=1000.0)
        con = wh.connect(":memory:")
        for day in (dt.date(2026, 10, 19), dt.date(2026, 11, 10)):
            emu.today = day - dt.timedelta(days=1)
            now = dt.datetime.combine(day, dt.time(2))
            with wh.transaction(con):
                wh.sync_conditions(con, registry, now)
                run_id = wh.start_run(con, "nightly", {}, (None, None), now)
            started = time.perf_counter()
            s = sync_trials(partial(wh.transaction, con), settings, registry, run_id, now)
            print(f"{day}: {s.requests} requests for {len(registry.conditions)} conditions, {s.studies} studies "
                  f"({s.new} new, {s.changed} changed), {time.perf_counter() - started:.2f} s")  # fmt: skip


def link_cost(n: int | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = sorted(SHARED.glob("*.xml*")) if SHARED.is_dir() and n is None else []
        n = n or 20_000
        if not files:
            files = [Path(tmp) / "corpus.xml.gz"]
            generate_corpus(n, seed=7, out_path=files[0], scenario=False)
        settings = Settings.from_env({}, warehouse=Path(tmp) / "w.duckdb")
        load_xml(files, settings, keep_all=True)  # every record, so the cost is over a full warehouse
        con = wh.connect(settings.warehouse)
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        started = time.perf_counter()
        with wh.transaction(con):
            links = store.link_articles(con)
        secs = time.perf_counter() - started
        con.close()
        source = f"{len(files)} real PubMed files in ../shared/data" if files[0].parent == SHARED else "generated"
        print(f"link_articles over {articles:,} articles ({source}): {links} links in {secs * 1000:.0f} ms "
              f"= {articles / secs:,.0f} articles/s")  # fmt: skip


if __name__ == "__main__":
    requests_per_night()
    link_cost(int(sys.argv[1]) if len(sys.argv) > 1 else None)
