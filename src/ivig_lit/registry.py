"""The condition registry: which conditions are tracked, how PubMed is searched for each, and the
baseline assessment each starts from. Data lives in TOML (``tag/registry/conditions.toml``); this
module validates it strictly so a typo fails at start-up, not halfway through a nightly run.

Each condition's PubMed query is built from the same vocabulary the tagger matches (synonyms,
abbreviations, MeSH descriptors and supplementary concepts), and the IVIG block from the IVIG
vocabulary (terms, abbreviations, brands, MeSH), so what the nightly searches for and what the
tagger recognises cannot drift apart. An explicit ``query`` still overrides the built one."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
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
_REQUIRED = {"id", "label", "baseline"}
_LIST_KEYS = ("mesh", "supplementary", "synonyms", "abbreviations", "ambiguous_abbreviations", "context")
_VOCABULARY_KEYS = ("mesh", "supplementary", "synonyms", "abbreviations", "ambiguous_abbreviations")
_IVIG_LIST_KEYS = (
    "terms",
    "abbreviations",
    "brands",
    "mesh",
    "title_terms",
    "synthesis_title_terms",
    "synthesis_terms",
)
_IVIG_KEYS = {"query", *_IVIG_LIST_KEYS}
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
class IvigVocabulary:
    """How authors and indexers name IVIG: the IVIG block of every search, and what the tagger's
    IVIG matcher must recognise."""

    terms: tuple[str, ...] = ()  # phrases ("*" = any word ending)
    abbreviations: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()
    # Searched in titles only: treatment classes that include IVIG ("immunotherapy for") and the
    # kinds of article that weigh it ("guideline"), found even when the abstract does not name IVIG.
    # Search-only: the tagger decides from the text whether IVIG is the article's subject.
    title_terms: tuple[str, ...] = ()
    # A synthesis about treating the condition in general (a review titled "Treatment for X") weighs
    # IVIG even where its abstract, often cut short, never names it; the tagger counts it as IVIG
    # focus (``ivig_focus``), so the search finds it: a treatment word in the title AND a word that
    # marks a synthesis anywhere in the title or abstract. Search-only, like ``title_terms``.
    synthesis_title_terms: tuple[str, ...] = ()
    synthesis_terms: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every text name of IVIG (terms, abbreviations, brands)."""
        return (*self.terms, *self.abbreviations, *self.brands)


@dataclass(frozen=True, slots=True)
class Registry:
    ivig_query: str
    conditions: tuple[Condition, ...]
    source: str
    ivig: IvigVocabulary = IvigVocabulary()

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


def _tiab(phrase: str) -> str:
    return f'"{phrase}"[tiab]'


def build_condition_query(c: Condition) -> str:
    """The PubMed block for a condition from its vocabulary: any synonym or safe abbreviation in the
    title/abstract, an ambiguous abbreviation together with a context word (as the tagger requires),
    or indexing with one of its MeSH descriptors (exploded) or supplementary concepts."""
    parts = [f'"{m}"[mh]' for m in c.mesh] + [f'"{s}"[nm]' for s in c.supplementary]
    parts += [_tiab(s) for s in c.synonyms] + [f"{a}[tiab]" for a in c.abbreviations]
    if c.ambiguous_abbreviations and c.context:
        abbreviations = " OR ".join(f"{a}[tiab]" for a in c.ambiguous_abbreviations)
        parts.append(f"(({abbreviations}) AND ({' OR '.join(_tiab(w) for w in c.context)}))")
    return " OR ".join(parts)


def build_ivig_query(v: IvigVocabulary) -> str:
    """The IVIG block: MeSH (exploded) or any IVIG term, abbreviation or brand in the title/abstract,
    a treatment class that includes IVIG in the title, or a synthesis about treating in general."""
    synthesis = []
    if v.synthesis_title_terms and v.synthesis_terms:
        treating = " OR ".join(f'"{t}"[ti]' for t in v.synthesis_title_terms)
        synthesis = [f"(({treating}) AND ({' OR '.join(_tiab(t) for t in v.synthesis_terms)}))"]
    return " OR ".join(
        [f'"{m}"[mh]' for m in v.mesh]
        + [_tiab(t) for t in v.terms]
        + [f"{a}[tiab]" for a in (*v.abbreviations, *v.brands)]
        + [f'"{t}"[ti]' for t in v.title_terms]
        + synthesis
    )


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

    def strings(where: str, key: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(f"{where}: {key} must be a list of non-empty strings")
        for v in value:
            if '"' in v or "*" in v.rstrip("*") or v.count("*") > 1:
                raise fail(f"{where}: {key} entry {v!r} may not contain '\"' and may use '*' only at its end")
        return tuple(v.strip() for v in value)

    unknown_top = set(data) - {"ivig", "condition"}
    if unknown_top:
        raise fail(f"unknown top-level keys: {', '.join(sorted(unknown_top))}")
    raw_ivig = data.get("ivig", {})
    if unknown := set(raw_ivig) - _IVIG_KEYS:
        raise fail(f"[ivig]: unknown keys: {', '.join(sorted(unknown))}")
    ivig = IvigVocabulary(**{k: strings("[ivig]", k, raw_ivig.get(k, [])) for k in _IVIG_LIST_KEYS})
    if "query" in raw_ivig and not str(raw_ivig["query"]).strip():
        raise fail("[ivig] query is empty")
    ivig_query = str(raw_ivig.get("query", "")).strip() or build_ivig_query(ivig)
    if not ivig_query:
        raise fail("[ivig] needs a query or a vocabulary (terms, abbreviations, brands, mesh, title_terms)")
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
        if "query" in entry and not str(entry["query"]).strip():
            raise fail(f"{where}: query is empty")
        lists = {key: strings(where, key, entry.get(key, [])) for key in _LIST_KEYS}
        if "query" not in entry and not any(lists[k] for k in _VOCABULARY_KEYS):
            raise fail(f"{where}: needs a query or a vocabulary (synonyms, abbreviations, mesh, supplementary)")
        base = entry["baseline"]
        if not isinstance(base, dict) or (unknown := set(base) - _BASELINE_KEYS):
            raise fail(f"{where}: baseline has unknown keys: {', '.join(sorted(unknown or ['?']))}")
        if base.get("grade") not in STATUS_IDS:
            raise fail(f"{where}: baseline grade {base.get('grade')!r} is not one of {', '.join(STATUS_IDS)}")
        if not str(base.get("text", "")).strip():
            raise fail(f"{where}: baseline text is empty")
        condition = Condition(
            id=cid,
            label=entry["label"],
            query=str(entry.get("query", "")).strip(),
            group=entry.get("group"),
            baseline=Baseline(base["text"], base["grade"], base.get("source", "")),
            **lists,
        )
        if not condition.query:
            condition = replace(condition, query=build_condition_query(condition))
        conditions.append(condition)
    if clash := seen & {c.group for c in conditions if c.group}:
        raise fail(f"group ids clash with condition ids: {', '.join(sorted(clash))}")
    return Registry(ivig_query=ivig_query, conditions=tuple(conditions), source=source, ivig=ivig)
