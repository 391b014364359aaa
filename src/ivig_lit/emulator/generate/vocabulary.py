"""Indexing vocabulary the invented records carry: publication types and MeSH per design, how
papers name and index each condition, journals, authors and non-English titles (all invented)."""

from __future__ import annotations

from dataclasses import dataclass

from ivig_lit.tag.models import DESIGNS

JOURNAL_ARTICLE = ("Journal Article", "D016428")
PUBLICATION_TYPES = {
    "meta_analysis": [("Meta-Analysis", "D017418"), ("Systematic Review", "D000078182")],
    "systematic_review": [("Systematic Review", "D000078182"), ("Review", "D016454")],
    "rct": [("Randomized Controlled Trial", "D016449"), ("Multicenter Study", "D016448")],
    "controlled_trial": [("Controlled Clinical Trial", "D018848"), ("Comparative Study", "D003160")],
    "single_arm_trial": [("Clinical Trial", "D016430"), ("Clinical Trial, Phase II", "D017427")],
    "cohort": [("Observational Study", "D064888")],
    "case_control": [("Comparative Study", "D003160")],
    "case_series": [],
    "case_report": [("Case Reports", "D002363")],
    "review": [("Review", "D016454")],
    "guideline": [("Practice Guideline", "D017065"), ("Guideline", "D016431")],
    "preclinical": [("Research Support, Non-U.S. Gov't", "D013485")],
    "other": [("Letter", "D016422")],
}
RETRACTED = ("Retracted Publication", "D016441")
RETRACTION_NOTICE = ("Retraction of Publication", "D016440")
ERRATUM = ("Published Erratum", "D016425")

DESIGN_MESH = {
    "meta_analysis": [],
    "systematic_review": [],
    "rct": [("Double-Blind Method", "D004311")],
    "controlled_trial": [("Prospective Studies", "D011446")],
    "single_arm_trial": [("Prospective Studies", "D011446")],
    "cohort": [("Retrospective Studies", "D012189")],
    "case_control": [("Case-Control Studies", "D016022")],
    "case_series": [("Retrospective Studies", "D012189")],
    "case_report": [],
    "review": [],
    "guideline": [],
    "preclinical": [("Disease Models, Animal", "D004195"), ("Rats", "D051381")],
    "other": [],
}
IVIG_MESH = ("Immunoglobulins, Intravenous", "D016756")
Q_THERAPEUTIC_USE = ("therapeutic use", "Q000627")
Q_DRUG_THERAPY = ("drug therapy", "Q000188")
Q_ADMIN = ("administration & dosage", "Q000008")


@dataclass(frozen=True, slots=True)
class ConditionText:
    """How papers name a condition, and how the indexers file it."""

    names: tuple[str, ...]
    abbreviation: str | None
    mesh: tuple[tuple[str, str], ...]
    supplementary: tuple[tuple[str, str], ...]
    outcome: str
    population: str


CONDITIONS: dict[str, ConditionText] = {
    "mmn": ConditionText(
        ("multifocal motor neuropathy",), "MMN", (), (("Multifocal motor neuropathy", "C537246"),),
        "grip strength and the Guy's Neurological Disability Scale", "adults with multifocal motor neuropathy",
    ),
    "cidp": ConditionText(
        ("chronic inflammatory demyelinating polyneuropathy",
         "chronic inflammatory demyelinating polyradiculoneuropathy"),
        "CIDP", (("Polyradiculoneuropathy, Chronic Inflammatory Demyelinating", "D020277"),), (),
        "the adjusted INCAT disability score", "patients with chronic inflammatory demyelinating polyneuropathy",
    ),
    "gbs": ConditionText(
        ("Guillain-Barré syndrome", "Guillain-Barre syndrome", "acute inflammatory demyelinating polyneuropathy"),
        "GBS", (("Guillain-Barre Syndrome", "D020275"),), (),
        "the GBS disability score at four weeks", "patients unable to walk unaided",
    ),
    "gbs_variant": ConditionText(
        ("Miller Fisher syndrome", "acute motor axonal neuropathy", "Bickerstaff brainstem encephalitis"),
        "MFS", (("Miller Fisher Syndrome", "D019585"),), (("Acute motor axonal neuropathy", "C538258"),),
        "time to resolution of ophthalmoplegia and ataxia", "patients with anti-GQ1b antibody syndromes",
    ),
    "myasthenia_gravis": ConditionText(
        ("myasthenia gravis", "generalized myasthenia gravis"), "MG", (("Myasthenia Gravis", "D009157"),), (),
        "the Quantitative Myasthenia Gravis (QMG) score", "patients with worsening myasthenic weakness",
    ),
    "stiff_person": ConditionText(
        ("stiff-person syndrome", "stiff person syndrome"), "SPS", (("Stiff-Person Syndrome", "D016750"),), (),
        "stiffness and heightened-sensitivity scores", "patients with anti-GAD positive stiffness and spasms",
    ),
    "dermatomyositis": ConditionText(
        ("dermatomyositis", "refractory dermatomyositis"), "DM", (("Dermatomyositis", "D003882"),), (),
        "the Total Improvement Score", "adults with active dermatomyositis",
    ),
    "polymyositis": ConditionText(
        ("polymyositis",), None, (("Polymyositis", "D017285"),), (),
        "manual muscle testing and creatine kinase", "patients with steroid-refractory polymyositis",
    ),
    "inclusion_body_myositis": ConditionText(
        ("inclusion body myositis", "sporadic inclusion-body myositis"), "sIBM",
        (("Myositis, Inclusion Body", "D018979"),), (),
        "muscle strength and swallowing function", "patients with biopsy-proven inclusion body myositis",
    ),
    "necrotizing_myopathy": ConditionText(
        ("immune-mediated necrotizing myopathy", "anti-HMGCR necrotizing myopathy"), "IMNM", (),
        (("Immune-mediated necrotizing myopathy", "C000656923"),),
        "proximal strength and creatine kinase", "patients with statin-associated anti-HMGCR myopathy",
    ),
    "anti_mag": ConditionText(
        ("anti-MAG neuropathy", "anti-myelin-associated glycoprotein neuropathy"), None,
        (("Paraproteinemias", "D010265"), ("Myelin-Associated Glycoprotein", "D016391")), (),
        "sensory scores and gait ataxia", "patients with IgM paraproteinemic anti-MAG neuropathy",
    ),
    "diabetic_amyotrophy": ConditionText(
        ("diabetic amyotrophy", "diabetic lumbosacral radiculoplexus neuropathy"), "DLRPN",
        (("Diabetic Neuropathies", "D003929"),), (),
        "proximal leg strength and pain", "patients with type 2 diabetes and subacute painful thigh weakness",
    ),
    "sensory_neuropathy": ConditionText(
        ("small fiber neuropathy", "sensory neuronopathy", "small fibre neuropathy"), "SFN",
        (("Small Fiber Neuropathy", "D000071075"),), (),
        "pain intensity on an 11-point scale", "patients with painful small fiber neuropathy and autoantibodies",
    ),
    "vasculitic_neuropathy": ConditionText(
        ("vasculitic neuropathy", "non-systemic vasculitic neuropathy"), "NSVN",
        (("Vasculitis", "D014657"), ("Peripheral Nervous System Diseases", "D010523")), (),
        "the Neuropathy Impairment Score", "patients with biopsy-proven vasculitic neuropathy",
    ),
    "sjogren": ConditionText(
        ("Sjögren syndrome", "primary Sjögren's syndrome", "Sjogren syndrome"), "pSS",
        (("Sjogren's Syndrome", "D012859"),), (),
        "sensory ataxia and neuropathic pain", "patients with Sjögren-associated sensory ganglionopathy",
    ),
}  # fmt: skip

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

assert tuple(PUBLICATION_TYPES) == DESIGNS == tuple(DESIGN_MESH), "one entry per design, in DESIGNS order"
