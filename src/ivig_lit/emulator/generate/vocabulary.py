"""Indexing vocabulary the invented records carry, and the names, journals and authors they use.

What a condition is called and how it is indexed (names, abbreviation, MeSH descriptors and
supplementary concepts), the IVIG descriptor, and each design's publication type and MeSH come from
the registry and the tagger's design rules, so a condition added to a user's registry can be
generated and what the generator writes cannot drift from what search and tagging read. Only what
is the generator's own stays here: which outcome and population a condition's papers describe,
realistic co-indexing, NLM's identifiers for the terms it writes, journals, authors, non-English
titles (all invented)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache

from ivig_lit.errors import RegistryError
from ivig_lit.parse.models import Article
from ivig_lit.registry import Condition, Registry, load_registry
from ivig_lit.tag._text import article_sentences
from ivig_lit.tag.conditions import match_conditions
from ivig_lit.tag.designs import design_rules
from ivig_lit.tag.models import DESIGNS

Term = tuple[str, str]  # (name, NLM unique identifier)

# NLM's identifiers for the descriptors, concepts and publication types the generator writes; a term
# not listed here (a user registry's) gets a stable invented one (see ``ui``).
UIS = {
    "Journal Article": "D016428", "Meta-Analysis": "D017418", "Systematic Review": "D000078182",
    "Review": "D016454", "Randomized Controlled Trial": "D016449", "Multicenter Study": "D016448",
    "Controlled Clinical Trial": "D018848", "Comparative Study": "D003160", "Clinical Trial": "D016430",
    "Clinical Trial, Phase IV": "D017429", "Observational Study": "D064888", "Case Reports": "D002363",
    "Practice Guideline": "D017065", "Retracted Publication": "D016441", "Retraction of Publication": "D016440",
    "Published Erratum": "D016425", "Random Allocation": "D011897", "Case-Control Studies": "D016022",
    "Cohort Studies": "D015331", "Immunoglobulins, Intravenous": "D016756",
    "Polyradiculoneuropathy, Chronic Inflammatory Demyelinating": "D020277", "Guillain-Barre Syndrome": "D020275",
    "Miller Fisher Syndrome": "D019585", "Myasthenia Gravis": "D009157", "Stiff-Person Syndrome": "D016750",
    "Dermatomyositis": "D003882", "Polymyositis": "D017285", "Myositis, Inclusion Body": "D018979",
    "Small Fiber Neuropathy": "D000071075", "Sjogren's Syndrome": "D012859",
    "Multifocal motor neuropathy": "C537246", "Acute motor axonal neuropathy": "C538258",
    "Immune-mediated necrotizing myopathy": "C000656923",
}  # fmt: skip
JOURNAL_ARTICLE = ("Journal Article", UIS["Journal Article"])
RETRACTED = ("Retracted Publication", UIS["Retracted Publication"])
RETRACTION_NOTICE = ("Retraction of Publication", UIS["Retraction of Publication"])
ERRATUM = ("Published Erratum", UIS["Published Erratum"])
# Types indexers add beside a design's own, which the tagger must weigh (meta-analyses are often also
# typed "Systematic Review"); each must be one the design rules know.
CO_INDEXED = {
    "meta_analysis": ("Systematic Review",),
    "systematic_review": ("Review",),
    "rct": ("Multicenter Study",),
    "controlled_trial": ("Comparative Study",),
    "case_control": ("Comparative Study",),
}
# "other" records are surveys: the design rules' "other" types (notices, protocols, comment) are
# different kinds of record, so they carry none.
UNTYPED_DESIGNS = ("other",)
ANIMAL_MESH = (("Disease Models, Animal", "D004195"), ("Rats", "D051381"))  # preclinical papers
Q_THERAPEUTIC_USE = ("therapeutic use", "Q000627")
Q_DRUG_THERAPY = ("drug therapy", "Q000188")
# What each default condition's papers measure and whom they enrol; other conditions get a generic one.
SETTINGS = {
    "mmn": ("grip strength and the Guy's Neurological Disability Scale",
            "adults with multifocal motor neuropathy"),
    "cidp": ("the adjusted INCAT disability score",
             "patients with chronic inflammatory demyelinating polyneuropathy"),
    "gbs": ("the GBS disability score at four weeks", "patients unable to walk unaided"),
    "gbs_variant": ("time to resolution of ophthalmoplegia and ataxia",
                    "patients with anti-GQ1b antibody syndromes"),
    "myasthenia_gravis": ("the Quantitative Myasthenia Gravis (QMG) score",
                          "patients with worsening myasthenic weakness"),
    "stiff_person": ("stiffness and heightened-sensitivity scores",
                     "patients with anti-GAD positive stiffness and spasms"),
    "dermatomyositis": ("the Total Improvement Score", "adults with active dermatomyositis"),
    "polymyositis": ("manual muscle testing and creatine kinase", "patients with steroid-refractory polymyositis"),
    "inclusion_body_myositis": ("muscle strength and swallowing function",
                                "patients with biopsy-proven inclusion body myositis"),
    "necrotizing_myopathy": ("proximal strength and creatine kinase",
                             "patients with statin-associated anti-HMGCR myopathy"),
    "anti_mag": ("sensory scores and gait ataxia", "patients with IgM paraproteinemic anti-MAG neuropathy"),
    "diabetic_amyotrophy": ("proximal leg strength and pain",
                            "patients with type 2 diabetes and subacute painful thigh weakness"),
    "sensory_neuropathy": ("pain intensity on an 11-point scale",
                           "patients with painful small fiber neuropathy and autoantibodies"),
    "vasculitic_neuropathy": ("the Neuropathy Impairment Score", "patients with biopsy-proven vasculitic neuropathy"),
    "sjogren": ("sensory ataxia and neuropathic pain", "patients with Sjögren-associated sensory ganglionopathy"),
}  # fmt: skip
GENERIC_OUTCOME = "disability and strength scores"
MAX_NAMES = 3  # names a condition's papers vary between


@dataclass(frozen=True, slots=True)
class ConditionText:
    """How papers name a condition, and how the indexers file it."""

    names: tuple[str, ...]
    abbreviation: str | None
    mesh: tuple[Term, ...]
    supplementary: tuple[Term, ...]
    outcome: str
    population: str


@dataclass(frozen=True)
class Vocabulary:
    """Everything the records say about conditions and designs, read from one registry."""

    conditions: dict[str, ConditionText]
    ivig_mesh: Term
    publication_types: dict[str, tuple[Term, ...]]
    design_mesh: dict[str, tuple[Term, ...]]


def ui(name: str) -> str:
    """NLM's identifier for a term we know, else a stable invented one (D9 + 6 digits)."""
    return UIS.get(name) or f"D9{zlib.crc32(name.encode()) % 1_000_000:06d}"


@cache
def vocabulary(registry: Registry | None = None) -> Vocabulary:
    """The generator's vocabulary for ``registry`` (the bundled one by default)."""
    registry = registry or load_registry()
    rules = design_rules()
    first_type: dict[str, str] = {}  # each design's first publication type, decisive ones first
    for pt, d in [*rules.decisive_pts.items(), *rules.weak_pts.items()]:
        first_type.setdefault(d, pt)
    first_mesh: dict[str, str] = {}
    for m, d in rules.mesh.items():
        first_mesh.setdefault(d, m)
    known_types = rules.decisive_pts.keys() | rules.weak_pts.keys()
    publication_types = {}
    for d in DESIGNS:
        names = () if d in UNTYPED_DESIGNS or d not in first_type else (first_type[d],)
        names += CO_INDEXED.get(d, ())
        if unknown := set(names) - known_types:
            raise ValueError(f"co-indexed publication types unknown to the design rules: {sorted(unknown)}")
        publication_types[d] = tuple((n, ui(n)) for n in names)
    design_mesh = {d: ((first_mesh[d], ui(first_mesh[d])),) if d in first_mesh else () for d in DESIGNS}
    design_mesh["preclinical"] += ANIMAL_MESH
    ivig = registry.ivig.mesh[0] if registry.ivig.mesh else "Immunoglobulins, Intravenous"
    return Vocabulary(
        conditions={c.id: _condition_text(c, registry) for c in registry.conditions},
        ivig_mesh=(ivig, ui(ivig)),
        publication_types=publication_types,
        design_mesh=design_mesh,
    )


def _condition_text(c: Condition, registry: Registry) -> ConditionText:
    names = paper_names(c, registry)
    outcome, population = SETTINGS.get(c.id, (GENERIC_OUTCOME, f"patients with {names[0]}"))
    return ConditionText(
        names=names,
        abbreviation=next(iter((*c.ambiguous_abbreviations, *c.abbreviations)), None),
        mesh=tuple((m, ui(m)) for m in c.mesh),
        supplementary=tuple((s, ui(s)) for s in c.supplementary),
        outcome=outcome,
        population=population,
    )


def paper_names(c: Condition, registry: Registry) -> tuple[str, ...]:
    """Up to MAX_NAMES ways a paper names the condition: its label, the names the label lists in
    brackets, then its synonyms that have no wildcard, each kept only when the tagger files a title
    naming it under this condition (so every generated paper is found and tagged)."""
    main, _, listed = c.label.partition("(")
    candidates = [main, *re.split(r",|;", listed.rstrip(")")), *(s for s in c.synonyms if "*" not in s)]
    names: dict[str, str] = {}
    for raw in candidates:
        name = _in_sentence(re.sub(r"^\s*incl\.\s*", "", raw).strip())
        multiword = " " in name or not names
        if name and name.casefold() not in names and multiword and _is_named(name, c, registry):
            names[name.casefold()] = name
    if not names:
        raise RegistryError(
            f"cannot generate records for condition {c.id!r}: the tagger recognises neither its label nor a "
            "synonym without a wildcard; add a plain synonym",
            condition=c.id,
        )
    return tuple(names.values())[:MAX_NAMES]


def _in_sentence(name: str) -> str:
    """A label's name as it reads mid-sentence: a capital that only starts the label goes, an
    eponym's stays (Guillain-Barré, Sjögren, Miller Fisher, anti-MAG)."""
    first, *rest = name.split(" ")
    proper = any(ch.isupper() for ch in first[1:]) or not first.isascii() or any(w[:1].isupper() for w in rest)
    return name if proper or not name else name[0].lower() + name[1:]


def _is_named(name: str, c: Condition, registry: Registry) -> bool:
    article = Article(pmid="0", title=f"Intravenous immunoglobulin in {name}")
    found = {m.condition_id for m in match_conditions(article, registry, article_sentences(article), frozenset())}
    return found - set(registry.groups) == {c.id}


LAST_NAMES = (
    "Almeida",
    "Berger",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ishikawa",
    "Jansen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Nakamura",
    "Svensson",
    "Oliveira",
    "Brennan",
)
FORE_NAMES = (
    "Anna",
    "Bruno",
    "Chen",
    "Daniela",
    "Erik",
    "Fatima",
    "Giulia",
    "Hiro",
    "Ines",
    "Jonas",
    "Katarina",
    "Lars",
    "Maria",
    "Nikolai",
    "Olu",
    "Paula",
    "Rafael",
    "Sofia",
    "Tomas",
    "Yuki",
)
JOURNALS = (
    ("Journal of Neuroimmunology Research", "J Neuroimmunol Res", "NLM9001001"),
    ("Neuromuscular Disorders Reports", "Neuromuscul Disord Rep", "NLM9001002"),
    ("Clinical Neurology Quarterly", "Clin Neurol Q", "NLM9001003"),
    ("European Journal of Peripheral Nerve", "Eur J Peripher Nerve", "NLM9001004"),
    ("Immunotherapy in Neurology", "Immunother Neurol", "NLM9001005"),
    ("Acta Neuromuscularia", "Acta Neuromuscul", "NLM9001006"),
)
SOCIETIES = ("European", "American", "Asian-Pacific", "Nordic")
VERNACULAR = {
    "ger": ("Intravenöse Immunglobuline bei {cond}", "Intravenous immunoglobulins in {cond}"),
    "fre": ("Immunoglobulines intraveineuses dans {cond}", "Intravenous immunoglobulins in {cond}"),
    "jpn": ("{cond}に対する免疫グロブリン大量静注療法", "High-dose intravenous immunoglobulin for {cond}"),
}
