"""The one sentence splitter: tagging rules and the direction classifier read the same sentences."""

from __future__ import annotations

import re

# Sentence ends: ". " before a capital, digit or bracket; a piece ending in an abbreviation is
# joined to the next one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])")
_ABBREVIATION_END = re.compile(r"\b(et al|e\.g|i\.e|vs|cf|Fig|No|approx|ca)\.$")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` in order ("et al." and "e.g." do not end one)."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        if out and _ABBREVIATION_END.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        elif piece:
            out.append(piece)
    return out
