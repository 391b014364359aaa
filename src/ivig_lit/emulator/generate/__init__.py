"""Deterministic generator of invented PubMed records for the emulator, the demo and benchmarks.

``generate_corpus`` streams a ``PubmedArticleSet`` record by record (constant memory, so a million
records are fine) and is byte-for-byte reproducible for a seed: every record draws from its own
``random.Random`` keyed by (seed, PMID), and gzip output carries no timestamp or file name.

All text is written by us from templates; no real abstract is copied. PMIDs live at 90,000,000 and
above so they never collide with real ones. Records cover every tracked condition and study design,
near-misses the tagger must reject ("GBS" = group B streptococcus, "MG" = milligram, plasma exchange
or eculizumab trials that mention IVIG only as background) and PubMed's awkward cases: in-process and
publisher records, later revisions adding indexing, retractions, errata, book chapters, non-English
titles, inline markup and MathML, ``MedlineDate`` ranges and records added late (EDAT = publication
date, years before the create date).

The package is split by what it generates: ``vocabulary`` (indexing terms and names, read from the
registry and the design rules), ``templates`` (text), ``specs`` (which records), ``scenario`` (the
demo's story), ``records`` (XML). ``registry`` (default: the bundled one) decides the conditions, so
a user's registry with a condition of its own gets papers about it that search and tagging find.

``scenario=True`` builds the bundled demo: history consistent with each condition's baseline up to
2026-10-18, then the replay window 2026-10-19..2026-11-22 (ISO weeks W43-W47) whose key events are
listed in :data:`SCENARIO_EVENTS`.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from ivig_lit.emulator.generate.records import render_record
from ivig_lit.emulator.generate.scenario import SCENARIO_EVENTS, ScenarioEvent, iter_scenario_specs
from ivig_lit.emulator.generate.specs import (
    DEMO_BACKGROUND,
    DEMO_PATH,
    DEMO_SEED,
    WINDOW_END,
    WINDOW_START,
    Spec,
    iter_specs,
)
from ivig_lit.emulator.generate.vocabulary import vocabulary
from ivig_lit.registry import Registry, load_registry
from ivig_lit.tag.models import DESIGNS

__all__ = [
    "DEMO_BACKGROUND",
    "DEMO_PATH",
    "DEMO_SEED",
    "DESIGNS",
    "SCENARIO_EVENTS",
    "WINDOW_END",
    "WINDOW_START",
    "ScenarioEvent",
    "Spec",
    "generate_corpus",
    "iter_scenario_specs",
    "iter_specs",
    "render_record",
]


def generate_corpus(
    n_records: int | None, seed: int, out_path: str | Path, scenario: bool, registry: Registry | None = None
) -> int:
    """Write a PubmedArticleSet to ``out_path`` (gzip if it ends in .gz); returns records written.

    With ``scenario`` the demo history and replay window are written plus ``n_records`` background
    records (default :data:`DEMO_BACKGROUND`); otherwise ``n_records`` mixed records (default 2,000)
    about ``registry``'s conditions (the scenario is the bundled registry's story).
    """
    if scenario and registry is not None:
        raise ValueError("the demo scenario is written for the bundled registry; give no registry with it")
    registry = registry or load_registry()
    vocab = vocabulary(registry)
    specs = iter_scenario_specs(seed, n_records) if scenario else iter_specs(n_records or 2000, seed, registry.ids)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with out_path.open("wb") as raw:
        fh = (
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9)
            if out_path.suffix == ".gz"
            else raw
        )
        try:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8"?>\n'
                b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
                b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
            )
            for spec in specs:
                fh.write(render_record(spec, seed, vocab).encode())
                written += 1
            fh.write(b"</PubmedArticleSet>\n")
        finally:
            if fh is not raw:
                fh.close()
    return written
