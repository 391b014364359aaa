"""Text-only design against NLM indexing on real MEDLINE records the rules were never written
against (any field of medicine, not only IVIG): how often does the title and abstract alone give
the design that the record's decisive publication type names?

usage: python benchmarks/design_vs_indexing.py [FILE ...]   (default ../shared/data/medline16n0902.xml.gz)

Only records with an abstract and exactly one design named by a decisive publication type count,
plus (second figure) records with no such type whose check tags are "Animals" without "Humans":
laboratory or animal research, which the text should call preclinical. Indexing is not gold (NLM
types some systematic reviews "Review", some series "Case Reports"), so read the table for large
confusions, not for the last percent. Also prints tagging speed.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections import Counter
from pathlib import Path

from ivig_lit.parse.models import Article, PublicationType
from ivig_lit.parse.pubmed_xml import iter_articles
from ivig_lit.registry import load_registry
from ivig_lit.tag import tag_article
from ivig_lit.tag.designs import design_rules

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "medline16n0902.xml.gz"


def indexed_design(article: Article) -> str | None:
    """The one design the record's decisive publication types name, else None."""
    rules = design_rules()
    named = {rules.decisive_pts[p] for p in article.publication_type_names if p in rules.decisive_pts}
    if {"meta_analysis", "systematic_review"} & named:
        named -= {"review"}
    return named.pop() if len(named) == 1 and "other" not in named else None


def animal_study(article: Article) -> bool:
    """No decisive design type, and indexed as a study of animals only."""
    mesh = set(article.mesh_descriptors)
    return (
        "Animals" in mesh
        and "Humans" not in mesh
        and not set(article.publication_type_names) & set(design_rules().decisive_pts)
    )


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or [DEFAULT]
    registry = load_registry()
    tag_article(Article(pmid="0", title="warm-up"), registry)  # compile the rules outside the timing
    pairs: Counter[tuple[str, str]] = Counter()
    tagged, seconds = 0, 0.0
    for path in paths:
        for article in iter_articles(path):
            if not isinstance(article, Article) or not article.abstract:
                continue
            truth = indexed_design(article)
            if truth is None and animal_study(article):
                truth = "preclinical (mh)"
            bare = dataclasses.replace(article, publication_types=(PublicationType("Journal Article"),), mesh=())
            started = time.process_time()
            tags = tag_article(bare, registry)
            seconds += time.process_time() - started
            tagged += 1
            if truth is not None:
                pairs[truth, tags.design] += 1
    print(f"tagged {tagged:,} records with abstracts in {seconds:.1f} s CPU = {tagged / seconds:,.0f} records/s")
    for truth in sorted({t for t, _ in pairs}):
        row = {p: n for (t, p), n in pairs.items() if t == truth}
        total = sum(row.values())
        top = ", ".join(f"{p} {n}" for p, n in sorted(row.items(), key=lambda kv: -kv[1])[:5])
        agreed = row.get(truth.removesuffix(" (mh)"), 0)
        print(f"{truth:<18} n={total:>5}  agree {agreed / total:.3f}   [{top}]")
    by_type = {k: n for k, n in pairs.items() if not k[0].endswith("(mh)")}
    agree, typed = sum(n for (t, p), n in by_type.items() if t == p), sum(by_type.values())
    print(f"overall agreement {agree / typed:.3f} on {typed:,} records (publication types)")
    agree += sum(n for (t, p), n in pairs.items() if t == "preclinical (mh)" and p == "preclinical")
    total = sum(pairs.values())
    print(f"with animal-only check tags  {agree / total:.3f} on {total:,} records")


if __name__ == "__main__":
    main()
