"""Tag stage: study design, conditions and IVIG focus for one article, each with its evidence.

Tagging must work on the night a record appears (no MeSH, publication type "Journal Article"
only), so the title and abstract carry it; indexing, when it arrives, settles what it can.
"""

from __future__ import annotations

from ivig_lit.parse.models import Article
from ivig_lit.registry import Registry
from ivig_lit.tag._text import article_sentences, load_rules
from ivig_lit.tag.conditions import match_conditions
from ivig_lit.tag.designs import SECONDARY_DESIGNS, classify_design
from ivig_lit.tag.intervention import count_participants, find_age_group, find_comparator, ivig_focus
from ivig_lit.tag.models import Tags

# Bump whenever a rule, a rule file or the registry's matching changes: stored tags carry it, and
# re-tagging compares it.
TAGGER_VERSION = "2026.11.4"

IVIG_WEAK = "ivig: weak signal"

__all__ = ["TAGGER_VERSION", "tag_article"]


def tag_article(article: Article, registry: Registry, query_hits: frozenset[str] = frozenset()) -> Tags:
    """Tags for one article. Pure and deterministic: the same record, registry and query hits
    always give the same tags."""
    sentences = article_sentences(article)
    design = classify_design(article, sentences)
    secondary = design.design in SECONDARY_DESIGNS
    focus = ivig_focus(sentences, secondary=secondary, mesh=frozenset(article.mesh_descriptors))
    n = count_participants(sentences)
    if design.design == "case_report" and n is None:
        n = 1
    reasons = design.review_reasons
    if focus.confidence < load_rules("intervention")["confidence"]["review_below"]:
        reasons += (IVIG_WEAK,)
    return Tags(
        design=design.design,
        design_evidence=design.evidence,
        ivig_focus=focus.is_focus,
        ivig_evidence=focus.evidence,
        conditions=match_conditions(article, registry, sentences, query_hits),
        tagger_version=TAGGER_VERSION,
        comparator=find_comparator(sentences) if focus.is_focus else None,
        n_participants=n,
        age_group=find_age_group(sentences),
        design_confidence=design.confidence,
        ivig_confidence=focus.confidence,
        review_reasons=reasons,
    )
