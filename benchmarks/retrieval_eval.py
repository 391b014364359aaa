"""Recall of the nightly's searches on the labelled dev set: do the registry's queries find the
articles that study IVIG in a tracked condition?

usage: python benchmarks/retrieval_eval.py [--gold ../shared/gold/dev.jsonl] [--registry FILE] [--misses]
                                          [--per-condition] [--variants]

Converts the gold records to PubMed XML with ../shared/tools/gold_to_xml.py (as indexed, and
``--text-only`` as on the night a record appears), serves them from the E-utilities emulator and
searches through the real ``EutilsClient`` over a backfill window, exactly as the nightly does: one
union search, its hits fetched and placed under conditions locally (``--per-condition``: one search
per condition, as the nightly did before; both must give the same numbers). Prints the recall of
IVIG-focused article-condition pairs per condition and overall, for the tune split, the held-out
split and all records, and how many fetched articles are off-topic (no IVIG focus, or none of the
conditions the query was for).

``--misses`` lists the tune split's missed pairs and off-topic fetches only: the held-out split measures vocabulary that
was never tuned on it, so its misses are never printed.

``--variants`` asks whether the pairs found would still be found were they written another way, as
another author would: hyphens as spaces and names hyphenated, accents dropped, British spellings as
American and back, and every IVIG name replaced by each of the usual ones in turn. Each rewritten
record (text only) is judged by the gate, the same query evaluation the emulator answers with; the
rewrites are generic, not the registry's lists, so a gap here is one the dev set's wording hides.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import tempfile
from collections import Counter
from pathlib import Path

from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.fetch.eutils import EutilsClient, FetchReport
from ivig_lit.fetch.windows import DateWindow
from ivig_lit.gate import Gate
from ivig_lit.parse.models import AbstractSection, Article, MeshHeading
from ivig_lit.query import RecordFields, matches
from ivig_lit.registry import Registry, load_registry
from ivig_lit.searches import ConditionAssigner, ConditionPlan, plan_searches, search_plan
from ivig_lit.tag import tag_article
from ivig_lit.tag.evaluate import SPLITS, gold_to_xml, split_of

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = REPO.parent / "shared" / "gold" / "dev.jsonl"
BACKFILL = DateWindow("crdt", dt.date(1900, 1, 1), dt.date(2030, 12, 31))


def search_all(xml: Path, registry: Registry, union: bool) -> dict[str, set[str]]:
    """Condition id -> PMIDs the nightly's searches find for it in the emulator serving ``xml``."""
    with Emulator(Corpus.from_files([xml]), today=BACKFILL.end) as emu:
        client = EutilsClient(emu.base_url, tool="ivig-lit-retrieval-eval", requests_per_second=50)
        plans = [ConditionPlan(c.id, BACKFILL, None) for c in registry.conditions]
        hits = [search_plan(client, p) for p in plan_searches(plans, registry, union)]
        assigner = ConditionAssigner(registry, hits)
        found = [s for h in hits for s in h.new]
        for item in client.iter_found(found, assigner.pending, FetchReport()):
            if isinstance(item, Article):
                assigner.place(item)
        assigner.place_by_search(client)
        placed = {c.id: set[str]() for c in registry.conditions}
        for pmid, cids in assigner.found.items():
            for cid in cids:
                placed[cid].add(pmid)
        return placed


def why_missed(g: dict, condition_id: str, registry: Registry, indexed: bool) -> str:
    """Which block of the query the record fails (the condition's, the IVIG one, or both), and
    whether the tagger reads that block's subject in the record anyway: a miss the tagger can read
    is missing vocabulary; one it cannot is a record that never names it."""
    mesh = tuple(g.get("mesh") or ()) if indexed else ()
    record = RecordFields(pmid=g["pmid"], title=g["title"], abstract=g.get("abstract") or "", mesh=mesh)
    article = Article(
        pmid=g["pmid"],
        title=g["title"],
        abstract=(AbstractSection("", "", g.get("abstract") or ""),),
        mesh=tuple(MeshHeading(m) for m in mesh),
    )
    tags = tag_article(article, registry)
    read = {"condition": condition_id in tags.condition_ids, "ivig": tags.ivig_focus}
    failed = [
        f"{name} block, tagger {'reads it' if read[name] else 'does not'}"
        for name, query in (("condition", registry.get(condition_id).query), ("ivig", registry.ivig_query))
        if not matches(query, record)
    ]
    return "; ".join(failed) or "?"


def report(
    gold: list[dict], found: dict[str, set[str]], split: str, registry: Registry, indexed: bool, show_misses: bool
) -> list[str]:
    rows = [g for g in gold if split == "all" or split_of(g["pmid"]) == split]
    wanted = Counter[str]()
    hit = Counter[str]()
    misses = []
    for g in rows:
        if not g["ivig_is_intervention"]:
            continue
        for cid in g["conditions"]:
            if cid not in found:
                continue
            wanted[cid] += 1
            if g["pmid"] in found[cid]:
                hit[cid] += 1
            else:
                why = why_missed(g, cid, registry, indexed)
                misses.append(f"  miss {g['pmid']} {cid} (fails {why}): {g['title'][:80]}")
    relevant = {(g["pmid"], c) for g in rows if g["ivig_is_intervention"] for c in g["conditions"]}
    keys = {g["pmid"] for g in rows}
    fetched = {pmid for pmids in found.values() for pmid in pmids if pmid in keys}
    off_topic = {p for p in fetched if not any((p, c) in relevant for c, pmids in found.items() if p in pmids)}
    total_hit, total = sum(hit.values()), sum(wanted.values())
    lines = [f"-- {split} ({len(rows)} articles, {total} IVIG article-condition pairs) --"]
    lines += [f"{cid:<24} {hit[cid]:>3}/{wanted[cid]:<3} {hit[cid] / wanted[cid]:.3f}" for cid in sorted(wanted)]
    lines.append(f"{'overall recall':<24} {total_hit:>3}/{total:<3} {total_hit / total if total else 0:.3f}")
    lines.append(f"{'fetched / off-topic':<24} {len(fetched)} / {len(off_topic)}")
    titles = {g["pmid"]: g["title"] for g in rows}
    for pmid in sorted(off_topic):
        under = sorted(c for c, pmids in found.items() if pmid in pmids)
        misses.append(f"  off-topic {pmid} under {','.join(under)}: {titles[pmid][:80]}")
    return lines + (misses if show_misses and split == "tune" else [])


# British and American spellings of the same word stems (either direction is tried).
_SPELLINGS = (
    ("paraproteinemi", "paraproteinaemi"), ("globulinemi", "globulinaemi"), ("fiber", "fibre"),
    ("necrotizing", "necrotising"), ("generalized", "generalised"), ("esthesia", "aesthesia"),
    ("pediatric", "paediatric"), ("randomized", "randomised"), ("anemi", "anaemi"), ("edema", "oedema"),
)  # fmt: skip
# How authors name IVIG (the MeSH entry terms and the usual abbreviations), and what to replace.
_IVIG_NAMES = (
    "intravenous immunoglobulin", "intravenous immune globulin", "IVIg", "IGIV", "IgIV", "IV-Ig",
    "IV immunoglobulin", "intravenous gammaglobulin", "intravenous IgG", "high-dose immunoglobulin",
)  # fmt: skip
_IVIG_NAME = re.compile(
    r"\b(intravenous(ly)?\s+((high-dose|human|polyvalent)\s+)*"
    r"(immunoglobulins?|immune globulins?|gamma-?globulins?|IgG)|IVIg|IGIV|IgIV|IV-?Ig)\b",
    re.IGNORECASE,
)


def _spelled(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        text = re.sub(old, new, text, flags=re.IGNORECASE)
    return text


def rewrites(text: str) -> dict[str, str]:
    """The same text as other authors would write it: rewrite name -> text."""
    out = {
        "hyphens as spaces": text.replace("-", " "),
        "names hyphenated": re.sub(r"\b(Guillain|stiff|Miller|inclusion|small|anti|Lewis)\s", r"\1-", text, flags=re.I),
        "accents dropped": text.replace("é", "e").replace("ö", "o").replace("É", "E"),
        "British spelling": _spelled(text, _SPELLINGS),
        "American spelling": _spelled(text, tuple((b, a) for a, b in _SPELLINGS)),
    }
    out.update({f"IVIG as {name!r}": _IVIG_NAME.sub(name, text) for name in _IVIG_NAMES})
    return out


def report_variants(gold: list[dict], registry: Registry) -> list[str]:
    """Recall, over every rewrite, of the IVIG-focused pairs the gate finds in the text as written."""
    gate = Gate(registry)
    tried, kept = Counter[str](), Counter[str]()
    for g in gold:
        wanted = set(g["conditions"]) & set(registry.ids) if g["ivig_is_intervention"] else set()
        as_written = gate.conditions_of(_text_only(g["pmid"], g["title"], g.get("abstract") or "")) & wanted
        if not as_written:
            continue
        titles, abstracts = rewrites(g["title"]), rewrites(g.get("abstract") or "")
        for name in titles:
            found = gate.conditions_of(_text_only(g["pmid"], titles[name], abstracts[name]))
            tried[name] += len(as_written)
            kept[name] += len(as_written & found)
    lines = ["== rewritten (text only; pairs found as written, still found when rewritten) =="]
    lines += [f"{name:<40} {kept[name]:>4}/{tried[name]:<4} {kept[name] / tried[name]:.3f}" for name in tried]
    total_kept, total = sum(kept.values()), sum(tried.values())
    return [*lines, f"{'overall':<40} {total_kept:>4}/{total:<4} {total_kept / total if total else 0:.3f}"]


def _text_only(pmid: str, title: str, abstract: str) -> Article:
    return Article(pmid=pmid, title=title, abstract=(AbstractSection("", "", abstract),))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--registry", type=Path, help="a registry file to measure (default: the bundled one)")
    ap.add_argument("--misses", action="store_true", help="list the tune split's missed article-condition pairs")
    ap.add_argument("--per-condition", action="store_true", help="one search per condition instead of the union")
    ap.add_argument("--variants", action="store_true", help="also: recall when the records are written another way")
    args = ap.parse_args()
    if not args.gold.is_file():
        raise SystemExit(f"no gold file at {args.gold}")
    gold = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    registry = load_registry(args.registry)
    with tempfile.TemporaryDirectory(prefix="ivig-retrieval-eval-") as tmp:
        for mode, text_only in (("indexed", False), ("text-only", True)):
            xml = gold_to_xml(args.gold, Path(tmp) / f"gold-{mode}.xml", text_only=text_only)
            found = search_all(xml, registry, union=not args.per_condition)
            print(f"== {mode} ==")
            for split in SPLITS:
                print("\n".join(report(gold, found, split, registry, not text_only, args.misses)))
            print()
    if args.variants:
        print("\n".join(report_variants(gold, registry)))


if __name__ == "__main__":
    main()
