"""Registry files for tests whose subject is how evidence moves a status, not the consensus rule."""

from __future__ import annotations

import re
from pathlib import Path

from ivig_lit.registry import default_registry_path


def evidence_only_registry(path: Path) -> Path:
    """The bundled registry with every baseline at ``no_evidence``, so the evidence alone decides
    (a consensus baseline yields only to decisive evidence; its rule has tests of its own)."""
    text = re.sub(r'^grade = "\w+"$', 'grade = "no_evidence"', default_registry_path().read_text(), flags=re.M)
    path.write_text(text)
    return path
