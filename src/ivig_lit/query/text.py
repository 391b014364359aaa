"""How query words and record text are compared: case- and accent-folded alphanumeric tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def tokenize(text: str) -> list[str]:
    """Case- and accent-folded alphanumeric tokens (what the index and the queries both use)."""
    if text.isascii():  # the same tokens, without the per-character Unicode folding
        return _WORD.findall(text.lower())
    folded = unicodedata.normalize("NFKD", text.casefold())
    # Combining marks are never ASCII: only the runs of other characters are looked at one by one.
    return _WORD.findall(folded if folded.isascii() else _NON_ASCII.sub(_drop_combining, folded))


def _drop_combining(run: re.Match[str]) -> str:
    return "".join(c for c in run[0] if not unicodedata.combining(c))


def normalize_text(text: str) -> str:
    """Lower-case, accent-free, punctuation-free text: tokens joined by single spaces."""
    return " ".join(tokenize(text))


def phrase_pattern(tokens: list[str], truncated: bool) -> re.Pattern[str]:
    """Consecutive ``tokens`` in normalized text (the last one as a prefix when truncated)."""
    return _phrase_pattern(tuple(tokens), truncated)


@lru_cache(maxsize=4096)
def _phrase_pattern(tokens: tuple[str, ...], truncated: bool) -> re.Pattern[str]:
    # Cached: every term is matched against every record, and building a pattern cost more than
    # searching with it. The phrase comes first and the word boundary before it is checked
    # behind it: ``re`` scans quickly only for a pattern that starts with a literal, and a
    # leading look-behind made each search ~30x slower.
    phrase = " ".join(re.escape(t) for t in tokens)
    return re.compile(rf"{phrase}(?<=(?<!\S){phrase})" + (r"\S*" if truncated else "") + r"(?!\S)")
