"""The one content hash: SHA-256 of UTF-8 text as hex, cut to the length its use stores."""

from __future__ import annotations

import hashlib


def text_hash(text: str, length: int = 64) -> str:
    """Hex SHA-256 of ``text``; the first ``length`` digits (stored hashes keep their historic width)."""
    return hashlib.sha256(text.encode()).hexdigest()[:length]
