"""The one sentence splitter: tagging rules and the direction classifier read the same sentences."""

from __future__ import annotations

import re

# Sentence ends: ". " before a capital, digit or bracket; a piece ending in an abbreviation is
# joined to the next one. The pattern starts at the punctuation (not a lookbehind) so the regex
# engine skips ahead to the next ".", "!" or "?" instead of testing every character.
_SENTENCE_END = re.compile(r"[.!?](\s+)(?=[A-Z0-9(\[])")
_ABBREVIATION_END = re.compile(r"\b(et al|e\.g|i\.e|vs|cf|Fig|No|approx|ca)\.$")
_LONGEST_ABBREVIATION = len("approx.\n")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` in order ("et al." and "e.g." do not end one)."""
    out: list[str] = []
    for piece in _pieces(text.strip()):
        if out and _ABBREVIATION_END.search(out[-1], max(0, len(out[-1]) - _LONGEST_ABBREVIATION - 1)):
            out[-1] = f"{out[-1]} {piece}"
        elif piece:
            out.append(piece)
    return out


def _pieces(text: str) -> list[str]:
    """``text`` cut at each sentence end, the punctuation kept and the space after it dropped."""
    pieces, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        pieces.append(text[start : m.start(1)])
        start = m.end()
    pieces.append(text[start:])
    return pieces
