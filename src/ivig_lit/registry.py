"""The condition registry: which conditions are tracked, how PubMed is searched for each, and the
baseline assessment each starts from. Data lives in TOML (``tag/registry/conditions.toml``); this
module validates it strictly so a typo fails at start-up, not halfway through a nightly run."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ivig_lit.errors import RegistryError

STATUS_IDS = (
    "established_efficacy",
    "single_rct_support",
    "no_benefit",
    "mixed",
    "observational_only",
    "case_reports_only",
    "no_evidence",
)
_CONDITION_KEYS = {
    "id",
    "label",
    "group",
    "query",
    "mesh",
    "supplementary",
    "synonyms",
    "abbreviations",
    "ambiguous_abbreviations",
    "context",
    "baseline",
}
_REQUIRED = {"id", "label", "query", "baseline"}
_LIST_KEYS = ("mesh", "supplementary", "synonyms", "abbreviations", "ambiguous_abbreviations", "context")
_BASELINE_KEYS = {"text", "grade", "source"}
_ID = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


@dataclass(frozen=True, slots=True)
class Baseline:
    text: str
    grade: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    label: str
    query: str
    baseline: Baseline
    group: str | None = None
    mesh: tuple[str, ...] = ()
    supplementary: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    ambiguous_abbreviations: tuple[str, ...] = ()
    context: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Registry:
    ivig_query: str
    conditions: tuple[Condition, ...]
    source: str

    def get(self, condition_id: str) -> Condition:
        for c in self.conditions:
            if c.id == condition_id:
                return c
        known = ", ".join(c.id for c in self.conditions)
        raise RegistryError(f"unknown condition {condition_id!r}; known: {known}", condition=condition_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.conditions)

    @property
    def groups(self) -> dict[str, tuple[str, ...]]:
        """Group id -> member condition ids, in registry order."""
        out: dict[str, list[str]] = {}
        for c in self.conditions:
            if c.group:
                out.setdefault(c.group, []).append(c.id)
        return {g: tuple(m) for g, m in out.items()}

    def search_query(self, condition_id: str) -> str:
        """The full PubMed query for a condition: its own block AND the IVIG block."""
        return f"({self.get(condition_id).query}) AND ({self.ivig_query})"

    def select(self, ids: list[str] | None) -> tuple[Condition, ...]:
        """The conditions named (validated), or all of them."""
        return tuple(self.get(i) for i in ids) if ids else self.conditions


def default_registry_path() -> Path:
    return Path(str(resources.files("ivig_lit") / "tag" / "registry" / "conditions.toml"))


def load_registry(path: Path | str | None = None) -> Registry:
    """Read and validate a registry file (the bundled default when ``path`` is None)."""
    path = Path(path) if path else default_registry_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"registry file not found: {path}", file=str(path)) from None
    except tomllib.TOMLDecodeError as e:
        raise RegistryError(f"registry {path} is not valid TOML: {e}", file=str(path)) from None
    return parse_registry(data, source=str(path))


def parse_registry(data: dict, source: str = "<registry>") -> Registry:
    def fail(msg: str) -> RegistryError:
        return RegistryError(f"registry {source}: {msg}", file=source)

    unknown_top = set(data) - {"ivig", "condition"}
    if unknown_top:
        raise fail(f"unknown top-level keys: {', '.join(sorted(unknown_top))}")
    ivig_query = str(data.get("ivig", {}).get("query", "")).strip()
    if not ivig_query:
        raise fail("[ivig] query is empty")
    raw = data.get("condition") or []
    if not raw:
        raise fail("no [[condition]] entries")
    seen: set[str] = set()
    conditions = []
    for i, entry in enumerate(raw, 1):
        where = f"condition #{i} ({entry.get('id', '?')})"
        if unknown := set(entry) - _CONDITION_KEYS:
            raise fail(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
        if missing := _REQUIRED - set(entry):
            raise fail(f"{where}: missing keys: {', '.join(sorted(missing))}")
        cid = entry["id"]
        if not isinstance(cid, str) or not _ID.match(cid):
            raise fail(f"{where}: id must be lower-case letters, digits and '_'")
        if cid in seen:
            raise fail(f"duplicate condition id {cid!r}")
        seen.add(cid)
        if not str(entry["query"]).strip():
            raise fail(f"{where}: query is empty")
        for key in _LIST_KEYS:
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise fail(f"{where}: {key} must be a list of non-empty strings")
        base = entry["baseline"]
        if not isinstance(base, dict) or (unknown := set(base) - _BASELINE_KEYS):
            raise fail(f"{where}: baseline has unknown keys: {', '.join(sorted(unknown or ['?']))}")
        if base.get("grade") not in STATUS_IDS:
            raise fail(f"{where}: baseline grade {base.get('grade')!r} is not one of {', '.join(STATUS_IDS)}")
        if not str(base.get("text", "")).strip():
            raise fail(f"{where}: baseline text is empty")
        conditions.append(
            Condition(
                id=cid,
                label=entry["label"],
                query=entry["query"].strip(),
                group=entry.get("group"),
                baseline=Baseline(base["text"], base["grade"], base.get("source", "")),
                **{k: tuple(entry.get(k, [])) for k in _LIST_KEYS},
            )
        )
    if clash := seen & {c.group for c in conditions if c.group}:
        raise fail(f"group ids clash with condition ids: {', '.join(sorted(clash))}")
    return Registry(ivig_query=ivig_query, conditions=tuple(conditions), source=source)
