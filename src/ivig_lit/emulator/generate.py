"""Deterministic generator of invented PubMed records for the emulator, the demo and benchmarks.

``generate_corpus`` streams a ``PubmedArticleSet`` record by record (constant memory, so a million
records are fine) and is byte-for-byte reproducible for a seed: every record draws from its own
``random.Random`` keyed by (seed, PMID), and gzip output carries no timestamp or file name.

All text is written by us from templates; no real abstract is copied. PMIDs live at 90,000,000 and
above so they never collide with real ones. Records cover every tracked condition and study design,
near-misses the tagger must reject ("GBS" = group B streptococcus, "MG" = milligram, plasma exchange
or eculizumab trials that mention IVIG only as background) and PubMed's awkward cases: in-process and
publisher records, later revisions adding indexing, retractions, errata, book chapters, non-English
titles, inline markup and MathML, ``MedlineDate`` ranges and records added late (EDAT = publication
date, years before the create date).

``scenario=True`` builds the bundled demo: history consistent with each condition's baseline up to
2026-10-18, then the replay window 2026-10-19..2026-11-22 (ISO weeks W43-W47) whose key events are
listed in :data:`SCENARIO_EVENTS`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import random
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from ivig_lit.registry import load_registry

# -- vocabulary and templates (all invented) ----------------------------------------------------------------

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

IVIG_NAMES = (
    "intravenous immunoglobulin (IVIG)",
    "intravenous immunoglobulin (IVIg)",
    "intravenous immune globulin (IVIG)",
    "intravenous immunoglobulins (IVIG)",
)
COMPARATORS = ("placebo", "placebo", "plasma exchange", "oral corticosteroids")

TITLES = {
    "meta_analysis": [
        "Intravenous immunoglobulin for {cond}: a systematic review and meta-analysis of randomised trials.",
        "Efficacy of IVIG in {cond}: a meta-analysis.",
    ],
    "systematic_review": [
        "Immunoglobulin treatment in {cond}: a systematic review.",
        "What is the evidence for intravenous immunoglobulin in {cond}? A systematic review.",
    ],
    "rct": [
        "Intravenous immunoglobulin versus {comparator} in {cond}: a randomised, double-blind trial.",
        "A randomized controlled trial of IVIG in {cond}.",
        "Immunoglobulin in {cond} ({acronym}): a multicentre, randomised, placebo-controlled trial.",
    ],
    "controlled_trial": ["IVIG compared with standard care in {cond}: a non-randomised controlled study."],
    "single_arm_trial": ["An open-label phase 2 study of intravenous immunoglobulin in {cond}."],
    "cohort": [
        "Long-term outcome of {cond} treated with intravenous immunoglobulin: a cohort study.",
        "Response to IVIG in {cond}: experience from a tertiary centre.",
    ],
    "case_control": ["Risk factors for poor response to IVIG in {cond}: a case-control study."],
    "case_series": ["Intravenous immunoglobulin in {cond}: a case series.", "{cond_cap} treated with IVIG: {n} cases."],
    "case_report": [
        "{cond_cap} responding to intravenous immunoglobulin: a case report.",
        "Dramatic improvement of {cond} after IVIG.",
    ],
    "review": [
        "Intravenous immunoglobulin in {cond}: current evidence and practice.",
        "Treatment of {cond}: an update.",
    ],
    "guideline": ["Guideline on the use of intravenous immunoglobulin in {cond}."],
    "preclinical": ["IVIG attenuates disease in an experimental model of {cond}."],
    "other": ["Prescribing of intravenous immunoglobulin for {cond}: a national survey."],
}

METHODS = {
    "meta_analysis": [
        "We searched MEDLINE, Embase and CENTRAL from inception to {month} {year} for randomised trials of IVIG in "
        "{cond} and pooled data with random-effects models. {k} trials with {n} participants were included.",
        "Two reviewers independently screened {n2} records, extracted data and assessed risk of bias; results were "
        "pooled in a meta-analysis of {k} randomized controlled trials ({n} patients).",
    ],
    "systematic_review": [
        "Following PRISMA, we searched three databases for studies of immunoglobulin in {cond}. Because designs were "
        "heterogeneous, findings were synthesised narratively; {k} studies with {n} patients met inclusion criteria.",
    ],
    "rct": [
        "In this randomised, double-blind, placebo-controlled trial we assigned {n} adults with {cond} to IVIG 2 g/kg "
        "or {comparator}; the primary outcome was change in {outcome} at week {weeks}.",
        "In this randomised, double-blind, placebo-controlled crossover trial, {n} {population} received IVIG 2 g/kg "
        "or {comparator} for three months, then crossed over after a washout period.",
        "We randomly assigned {n} {population} in a 1:1 ratio to intravenous immunoglobulin or {comparator} in a "
        "multicentre, investigator-blinded trial.",
    ],
    "controlled_trial": [
        "In this open-label, non-randomised controlled study, {n} patients received IVIG and were compared with "
        "{m} concurrent controls receiving standard care.",
    ],
    "single_arm_trial": [
        "In this prospective, open-label, single-arm phase 2 trial, {n} {population} received IVIG 2 g/kg followed "
        "by maintenance infusions every three weeks.",
    ],
    "cohort": [
        "We retrospectively reviewed {n} consecutive patients with {cond} treated with IVIG at our centre between "
        "{y1} and {y2}.",
        "In this prospective multicentre cohort study we followed {n} {population} treated with intravenous "
        "immunoglobulin for a median of {weeks} months.",
    ],
    "case_control": [
        "In this case-control study, we compared {n} patients with {cond} who had a poor response to IVIG with "
        "{m} matched responders.",
    ],
    "case_series": ["We describe {n} patients with {cond} who were treated with IVIG at two hospitals."],
    "case_report": [
        "We report a {age}-year-old {sex} with {cond} who presented with progressive weakness over {weeks} weeks.",
        "A {age}-year-old {sex} was admitted with {cond}; intravenous immunoglobulin 0.4 g/kg/day was given for "
        "five days.",
    ],
    "review": [
        "In this narrative review we summarise the evidence on IVIG in {cond}, its mechanisms of action and "
        "practical aspects of dosing and monitoring.",
    ],
    "guideline": [
        "A task force of neurologists reviewed the literature and graded the evidence to provide recommendations "
        "on the use of IVIG in {cond}.",
    ],
    "preclinical": [
        "Lewis rats with experimental autoimmune disease modelling {cond} received IVIG or albumin; clinical scores, "
        "nerve conduction and histology were assessed.",
    ],
    "other": [
        "We surveyed {n} neurologists about how they prescribe intravenous immunoglobulin for {cond}.",
    ],
}

RESULTS = {
    "positive": [
        "{pct}% of patients on IVIG improved compared with {pct2}% on {comparator} (p={p_sig}).",
        "The mean change in {outcome} favoured IVIG (difference {diff}; 95% CI {lo} to {hi}).",
    ],
    "negative": [
        "{pct}% of patients on IVIG and {pct2}% on {comparator} improved (p={p_ns}).",
        "There was no significant difference in {outcome} between groups (difference {diff}; 95% CI -{lo} to {hi}).",
    ],
    "inconclusive": [
        "Improvement was reported in {pct}% of treated patients, but outcome measures and follow-up varied widely.",
    ],
}
CONCLUSIONS = {
    "positive": [
        "IVIG was superior to {comparator} in improving {outcome} in {cond}.",
        "Intravenous immunoglobulin is effective in {cond}.",
        "These findings support the use of IVIG in {cond}.",
    ],
    "negative": [
        "IVIG did not improve {outcome} compared with {comparator} in {cond}.",
        "We found no evidence that intravenous immunoglobulin benefits patients with {cond}.",
    ],
    "inconclusive": [
        "The evidence is insufficient to determine whether IVIG is effective in {cond}; controlled trials are needed.",
        "IVIG may be of benefit in {cond}, but the evidence is of very low certainty.",
    ],
}
CASE_CONCLUSIONS = {
    "positive": ["Symptoms improved markedly within two weeks of IVIG, and the improvement was sustained."],
    "negative": ["There was no response to IVIG, and the patient improved only after rituximab."],
    "inconclusive": ["The patient improved slowly; the contribution of IVIG is uncertain."],
}

OFF_TOPIC = [
    ("Thrombectomy beyond six hours in large-vessel stroke: a registry study.", "Stroke", "D020521"),
    ("Deep brain stimulation and gait in Parkinson disease.", "Parkinson Disease", "D010300"),
    ("Sleep quality and migraine frequency in young adults.", "Migraine Disorders", "D008881"),
    ("Seizure recurrence after a first unprovoked seizure in children.", "Epilepsy", "D004827"),
    ("Cognitive reserve and progression of mild cognitive impairment.", "Cognitive Dysfunction", "D060825"),
    ("Disease-modifying therapy switching in relapsing multiple sclerosis.", "Multiple Sclerosis", "D009103"),
    ("Carpal tunnel release outcomes in manual workers.", "Carpal Tunnel Syndrome", "D002349"),
    ("Vitamin B12 deficiency and peripheral neuropathy in metformin users.", "Vitamin B 12 Deficiency", "D014806"),
    ("Headache after lumbar puncture with atraumatic needles.", "Post-Dural Puncture Headache", "D051299"),
    ("Motor unit number estimation in amyotrophic lateral sclerosis.", "Amyotrophic Lateral Sclerosis", "D000690"),
]
OFF_TOPIC_SENTENCES = [
    "We analysed {n} patients seen between {y1} and {y2}.",
    "Outcomes were assessed at {weeks} months with validated scales.",
    "Findings were consistent across age groups and sites.",
    "The association persisted after adjustment for confounders (p={p_sig}).",
    "No safety concerns emerged during follow-up.",
]

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

DESIGNS = tuple(PUBLICATION_TYPES)
PMID_BASE = 90_000_000
FIXED_PMID_BASE = 98_000_000  # historical records the scenario refers to by number
WINDOW_PMID_BASE = 99_000_000  # records created during the replay window
WINDOW_START = dt.date(2026, 10, 19)
WINDOW_END = dt.date(2026, 11, 22)
HISTORY_START = dt.date(1985, 1, 1)
DEMO_SEED = 20261125
DEMO_BACKGROUND = 3400  # off-topic and near-miss records around the scenario's own
DEMO_PATH = Path(str(resources.files("ivig_lit") / "data" / "demo_corpus.xml.gz"))
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NEAR_MISSES = ("plasma_exchange", "eculizumab", "scig", "group_b_strep", "milligram", "no_ivig")


@dataclass(frozen=True, slots=True)
class ScenarioEvent:
    """One thing that happens on a replay day (what the demo narrates and tests assert)."""

    date: dt.date
    pmid: str
    condition: str
    kind: str  # new_record, revision, retraction, retraction_notice, erratum_notice
    design: str | None
    description: str


SCENARIO_EVENTS: tuple[ScenarioEvent, ...] = (
    ScenarioEvent(dt.date(2026, 10, 21), "99000103", "vasculitic_neuropathy", "new_record", "rct",
                  "First RCT of IVIG in vasculitic neuropathy (positive) appears In-Process: text only, no MeSH, "
                  "publication type 'Journal Article' only."),
    ScenarioEvent(dt.date(2026, 10, 23), "99000107", "gbs", "new_record", "cohort",
                  "A Guillain-Barre cohort added late: created 2026-10-23, Entrez date reset to its 2018 publication."),
    ScenarioEvent(dt.date(2026, 10, 28), "99000101", "diabetic_amyotrophy", "new_record", "rct",
                  "First RCT of IVIG in diabetic amyotrophy (positive)."),
    ScenarioEvent(dt.date(2026, 10, 31), "99000103", "vasculitic_neuropathy", "revision", "rct",
                  "Indexing arrives for the vasculitic-neuropathy RCT: MeSH and 'Randomized Controlled Trial'."),
    ScenarioEvent(dt.date(2026, 11, 4), "98000001", "sjogren", "retraction", "rct",
                  "The 2019 positive Sjogren RCT is retracted: its revision adds RetractionIn and "
                  "'Retracted Publication'."),
    ScenarioEvent(dt.date(2026, 11, 4), "99000104", "sjogren", "retraction_notice", None,
                  "Retraction notice for PMID 98000001."),
    ScenarioEvent(dt.date(2026, 11, 11), "99000102", "diabetic_amyotrophy", "new_record", "meta_analysis",
                  "Positive meta-analysis of IVIG in diabetic amyotrophy."),
    ScenarioEvent(dt.date(2026, 11, 17), "99000105", "anti_mag", "new_record", "rct",
                  "Another negative RCT of IVIG in anti-MAG neuropathy."),
    ScenarioEvent(dt.date(2026, 11, 19), "99000106", "cidp", "erratum_notice", None,
                  "Erratum notice for the CIDP RCT PMID 98000002."),
)  # fmt: skip

# Historical literature per baseline grade: (design, direction, how many).
_BASELINE_PAPERS = {
    "established_efficacy": [
        ("rct", "positive", 3), ("meta_analysis", "positive", 1), ("systematic_review", "positive", 1),
        ("controlled_trial", "positive", 1), ("single_arm_trial", "positive", 1), ("guideline", "positive", 1),
        ("review", "positive", 2), ("cohort", "positive", 3), ("case_series", "positive", 2),
        ("case_report", "positive", 3), ("preclinical", "positive", 1), ("other", "inconclusive", 1),
    ],
    "single_rct_support": [
        ("rct", "positive", 1), ("cohort", "positive", 2), ("case_series", "positive", 2),
        ("case_report", "positive", 3), ("review", "inconclusive", 1),
    ],
    "no_benefit": [
        ("rct", "negative", 2), ("controlled_trial", "negative", 1), ("systematic_review", "negative", 1),
        ("cohort", "inconclusive", 1), ("case_report", "positive", 2), ("review", "negative", 1),
    ],
    "observational_only": [
        ("cohort", "positive", 2), ("case_series", "positive", 2), ("case_report", "positive", 4),
        ("case_control", "inconclusive", 1), ("review", "inconclusive", 1),
    ],
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Spec:
    """Everything that decides one record version; the text follows from (seed, pmid)."""

    pmid: int
    kind: str  # paper, near_miss, off_topic, retraction_notice, erratum_notice, book
    crdt: dt.date
    condition: str | None = None
    design: str = "other"
    direction: str = "inconclusive"
    edat: dt.date | None = None  # None: same as crdt
    pub: dt.date | str | None = None  # a date, a MedlineDate text, or None (= crdt)
    revised: dt.date | None = None  # None: crdt
    status: str = "MEDLINE"  # MEDLINE, In-Process, Publisher
    language: str = "eng"
    flavor: str = ""  # near-miss kind, "markup", "mathml" or "crossover"
    refers_to: tuple[str, int] | None = None  # (RefType, PMID) in CommentsCorrections
    retracted_by: int | None = None


# -- public entry points -------------------------------------------------------------------------------
def generate_corpus(n_records: int | None, seed: int, out_path: str | Path, scenario: bool) -> int:
    """Write a PubmedArticleSet to ``out_path`` (gzip if it ends in .gz); returns records written.

    With ``scenario`` the demo history and replay window are written plus ``n_records`` background
    records (default :data:`DEMO_BACKGROUND`); otherwise ``n_records`` mixed records (default 2,000).
    """
    specs = iter_scenario_specs(seed, n_records) if scenario else iter_specs(n_records or 2000, seed)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with out_path.open("wb") as raw:
        fh = (
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9)
            if out_path.suffix == ".gz"
            else raw
        )
        try:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8"?>\n'
                b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
                b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
            )
            for spec in specs:
                fh.write(render_record(spec, seed).encode())
                written += 1
            fh.write(b"</PubmedArticleSet>\n")
        finally:
            if fh is not raw:
                fh.close()
    return written


def iter_specs(n_records: int, seed: int) -> Iterator[Spec]:
    """``n_records`` mixed records in PMID order, streaming (revisions trail their originals)."""
    next_pmid = PMID_BASE + 1
    span = (WINDOW_END - HISTORY_START).days
    pending: deque[tuple[int, Spec]] = deque()
    emitted = papers = i = 0
    owe_retraction = False  # one RCT in every 400 records gets retracted later
    while emitted < n_records:
        while pending and (pending[0][0] <= i or emitted + len(pending) >= n_records):
            yield pending.popleft()[1]
            emitted += 1
        if emitted >= n_records:
            break
        rng = random.Random(f"{seed}:{next_pmid}")
        crdt = HISTORY_START + dt.timedelta(days=min(span, int(span * i / max(n_records, 1)) + rng.randrange(20)))
        roll = rng.random()
        if roll < 0.55:
            spec = Spec(next_pmid, "off_topic", crdt)
        elif roll < 0.63:
            spec = _near_miss(next_pmid, crdt, rng)
        else:
            spec = _paper(next_pmid, crdt, papers, rng)
            papers += 1
        next_pmid += 1
        spec = _special(spec, i, rng)
        if spec.status == "In-Process" and spec.kind == "paper" and i % 7 == 0:
            later = crdt + dt.timedelta(days=rng.randrange(10, 60))
            pending.append((i + 30, replace(spec, status="MEDLINE", revised=later)))
        owe_retraction = owe_retraction or i % 400 == 13
        if spec.kind == "paper" and spec.design == "rct" and spec.retracted_by is None and owe_retraction:
            owe_retraction = False
            notice_date = crdt + dt.timedelta(days=rng.randrange(200, 900))
            pending.append((i + 60, replace(spec, retracted_by=next_pmid, revised=notice_date)))
            pending.append((i + 60, _notice(next_pmid, notice_date, spec, "RetractionOf")))
            next_pmid += 1
        elif spec.kind == "paper" and i % 89 == 5:
            pending.append((i + 40, _notice(next_pmid, crdt + dt.timedelta(days=90), spec, "ErratumFor")))
            next_pmid += 1
        yield spec
        emitted += 1
        i += 1


def iter_scenario_specs(seed: int, n_background: int | None = None) -> Iterator[Spec]:
    """The demo: baseline-consistent history, background noise, then the replay window's records."""
    rng = random.Random(f"{seed}:scenario")
    history: list[Spec] = []
    registry = load_registry()
    for condition in registry.conditions:
        for design, direction, count in _BASELINE_PAPERS[condition.baseline.grade]:
            for _ in range(count):
                flavor = "crossover" if condition.id == "stiff_person" and design == "rct" else ""
                history.append(Spec(0, "paper", _history_date(rng), condition.id, design, direction, flavor=flavor))
    history += [
        Spec(0, "near_miss", _history_date(rng), _NEAR_MISS_CONDITION.get(f), flavor=f)
        for f in _NEAR_MISSES
        for _ in range(4)
    ]
    history += [Spec(0, "off_topic", _history_date(rng)) for _ in range(n_background or DEMO_BACKGROUND)]
    history.sort(key=lambda s: (s.crdt, s.kind, s.condition or "", s.design))
    history = [replace(s, pmid=PMID_BASE + n) for n, s in enumerate(history, 1)]
    positions: Counter[str] = Counter()  # specials cycle within each kind, so papers get their share
    specials = []
    for spec in history:
        specials.append(_special(spec, positions[spec.kind], random.Random(f"{seed}:{spec.pmid}")))
        positions[spec.kind] += 1
    history = specials
    sjogren_rct = Spec(FIXED_PMID_BASE + 1, "paper", dt.date(2019, 3, 12), "sjogren", "rct", "positive",
                       revised=dt.date(2019, 9, 2))  # fmt: skip
    cidp_rct = Spec(FIXED_PMID_BASE + 2, "paper", dt.date(2024, 5, 6), "cidp", "rct", "positive",
                    revised=dt.date(2024, 8, 1))  # fmt: skip
    revisions = [
        replace(s, status="MEDLINE", revised=min(s.crdt + dt.timedelta(days=30), WINDOW_START - dt.timedelta(days=1)))
        for s in history
        if s.status == "In-Process" and s.kind == "paper" and s.crdt < WINDOW_START - dt.timedelta(days=40)
    ]
    yield from sorted([*history, sjogren_rct, cidp_rct], key=lambda s: (s.crdt, s.pmid))
    yield from revisions
    window = _window_specs(seed, sjogren_rct, cidp_rct)
    yield from sorted(window, key=lambda s: (s.revised or s.crdt, s.pmid))


def _window_specs(seed: int, sjogren_rct: Spec, cidp_rct: Spec) -> list[Spec]:
    """The scripted events plus a handful of routine records per replay day."""
    ev = {(e.pmid, e.kind): e for e in SCENARIO_EVENTS}
    vasc = Spec(99000103, "paper", ev["99000103", "new_record"].date, "vasculitic_neuropathy", "rct", "positive",
                status="In-Process", pub=dt.date(2026, 10, 20))  # fmt: skip
    specs = [
        vasc,
        replace(vasc, status="MEDLINE", revised=ev["99000103", "revision"].date),
        Spec(99000107, "paper", ev["99000107", "new_record"].date, "gbs", "cohort", "positive",
             edat=dt.date(2018, 5, 14), pub=dt.date(2018, 5, 14)),
        Spec(99000101, "paper", ev["99000101", "new_record"].date, "diabetic_amyotrophy", "rct", "positive"),
        replace(sjogren_rct, retracted_by=99000104, revised=ev["98000001", "retraction"].date),
        _notice(99000104, ev["99000104", "retraction_notice"].date, sjogren_rct, "RetractionOf"),
        Spec(99000102, "paper", ev["99000102", "new_record"].date, "diabetic_amyotrophy", "meta_analysis", "positive"),
        Spec(99000105, "paper", ev["99000105", "new_record"].date, "anti_mag", "rct", "negative"),
        _notice(99000106, ev["99000106", "erratum_notice"].date, cidp_rct, "ErratumFor"),
    ]  # fmt: skip
    rng = random.Random(f"{seed}:window")
    routine = ("case_report", "case_report", "cohort", "review", "case_series")
    conditions = [c for c in CONDITIONS if c not in ("diabetic_amyotrophy", "vasculitic_neuropathy")]
    pmid = WINDOW_PMID_BASE + 200
    day = WINDOW_START
    while day <= WINDOW_END:
        for _ in range(rng.choice((0, 1, 1, 2))):
            specs.append(Spec(pmid, "paper", day, rng.choice(conditions), rng.choice(routine),
                              rng.choice(("positive", "positive", "inconclusive"))))  # fmt: skip
            pmid += 1
        for _ in range(rng.randrange(3, 7)):
            specs.append(Spec(pmid, "off_topic", day))
            pmid += 1
        day += dt.timedelta(days=1)
    return specs


_NEAR_MISS_CONDITION = {"plasma_exchange": "gbs", "eculizumab": "myasthenia_gravis", "scig": "cidp", "no_ivig": "cidp"}


def _history_date(rng: random.Random) -> dt.date:
    """A create date before the window, weighted towards recent years as the literature is."""
    span = (WINDOW_START - dt.timedelta(days=1) - HISTORY_START).days
    return HISTORY_START + dt.timedelta(days=int(span * rng.random() ** 0.55))


def _paper(pmid: int, crdt: dt.date, index: int, rng: random.Random) -> Spec:
    """Round-robin over conditions and designs so any few hundred papers cover them all."""
    conditions = tuple(CONDITIONS)
    condition = conditions[index % len(conditions)]
    design = DESIGNS[(index // len(conditions)) % len(DESIGNS)]
    direction = rng.choice(("positive", "positive", "negative", "inconclusive"))
    return Spec(pmid, "paper", crdt, condition, design, direction)


def _near_miss(pmid: int, crdt: dt.date, rng: random.Random) -> Spec:
    flavor = rng.choice(_NEAR_MISSES)
    return Spec(pmid, "near_miss", crdt, _NEAR_MISS_CONDITION.get(flavor), "rct", "positive", flavor=flavor)


def _notice(pmid: int, crdt: dt.date, target: Spec, ref_type: str) -> Spec:
    kind = "retraction_notice" if ref_type == "RetractionOf" else "erratum_notice"
    return Spec(pmid, kind, crdt, target.condition, target.design, refers_to=(ref_type, target.pmid))


def _special(spec: Spec, i: int, rng: random.Random) -> Spec:
    """Sprinkle PubMed's awkward cases over ordinary records, deterministically by position."""
    if spec.kind not in ("paper", "off_topic") or spec.pmid >= FIXED_PMID_BASE:
        return spec
    minor = spec.kind == "off_topic" or spec.design in ("review", "case_report", "case_series", "cohort", "other")
    if i % 53 == 1:
        return replace(spec, status="In-Process")
    if i % 61 == 2 and minor:
        return replace(spec, status="Publisher")
    if i % 67 == 3 and spec.crdt.year > 1990:
        return replace(spec, pub=rng.choice(("{y} Dec-{y1} Jan", "{y1} Spring", "{y1} Jul-Aug")).format(
            y=spec.crdt.year - 1, y1=spec.crdt.year))  # fmt: skip
    if i % 71 == 4 and spec.kind == "paper":
        return replace(spec, language=tuple(VERNACULAR)[(i // 71) % len(VERNACULAR)])
    if i % 73 == 5 and spec.kind == "paper":
        return replace(spec, flavor="mathml" if i % 2 else "markup")
    if i % 79 == 6 and spec.kind == "paper" and minor:
        return replace(spec, kind="book", design="review")
    if i % 83 == 7 and spec.crdt.year >= 2000:
        published = spec.crdt - dt.timedelta(days=rng.randrange(400, 3000))
        return replace(spec, edat=published, pub=published)
    return spec


# -- rendering ------------------------------------------------------------------------------------------
def render_record(spec: Spec, seed: int) -> str:
    """One ``PubmedArticle`` (or ``PubmedBookArticle``) element as XML text."""
    rng = random.Random(f"{seed}:{spec.pmid}")  # text draws come first so every version reads the same
    title, vernacular, sections, keywords = _text(spec, rng)
    journal = rng.choice(JOURNALS)
    authors = _authors(rng)
    pub = spec.pub or spec.crdt
    indexed = spec.status == "MEDLINE" and spec.kind in ("paper", "near_miss", "off_topic", "book")
    mesh, suppl = _mesh(spec, rng) if indexed else ([], [])
    if spec.kind == "book":
        return _book_xml(spec, title, sections, authors, pub)
    pts = _publication_types(spec, indexed)
    revised = spec.revised or spec.crdt
    edat = spec.edat or spec.crdt
    volume, first_page = rng.randrange(1, 90), rng.randrange(1, 900)
    x = [f'<PubmedArticle><MedlineCitation Status="{spec.status}" Owner="NLM">']
    x.append(f'<PMID Version="1">{spec.pmid}</PMID>')
    if indexed:
        x.append(_date("DateCompleted", min(revised, spec.crdt + dt.timedelta(days=40))))
    x.append(_date("DateRevised", revised))
    x.append('<Article PubModel="Print-Electronic"><Journal>')
    x.append(f'<ISSN IssnType="Electronic">9{journal[2][-3:]}-{spec.crdt.year % 10000:04d}</ISSN>')
    x.append(f'<JournalIssue CitedMedium="Internet"><Volume>{volume}</Volume><Issue>{rng.randrange(1, 13)}</Issue>')
    x.append(_pub_date(pub) + "</JournalIssue>")
    x.append(f"<Title>{escape(journal[0])}</Title><ISOAbbreviation>{escape(journal[1])}</ISOAbbreviation></Journal>")
    x.append(f"<ArticleTitle>{title}</ArticleTitle>")
    x.append(f"<Pagination><StartPage>{first_page}</StartPage><EndPage>{first_page + rng.randrange(2, 12)}</EndPage>")
    x.append(f"<MedlinePgn>{first_page}-{first_page + 9}</MedlinePgn></Pagination>")
    x.append(f'<ELocationID EIdType="doi" ValidYN="Y">10.99999/ivl.{spec.pmid}</ELocationID>')
    if sections:
        x.append("<Abstract>" + "".join(_abstract_text(label, text) for label, text in sections) + "</Abstract>")
    x.append('<AuthorList CompleteYN="Y">' + "".join(authors) + "</AuthorList>")
    x.append(f"<Language>{spec.language}</Language><PublicationTypeList>")
    x.extend(f'<PublicationType UI="{ui}">{escape(name)}</PublicationType>' for name, ui in pts)
    x.append("</PublicationTypeList>")
    if vernacular:
        x.append(f"<VernacularTitle>{escape(vernacular)}</VernacularTitle>")
    x.append(_date("ArticleDate", pub if isinstance(pub, dt.date) else spec.crdt, 'DateType="Electronic"'))
    x.append(f"</Article><MedlineJournalInfo><Country>{rng.choice(('England', 'United States', 'Germany'))}</Country>")
    x.append(f"<MedlineTA>{escape(journal[1])}</MedlineTA><NlmUniqueID>{journal[2]}</NlmUniqueID></MedlineJournalInfo>")
    if indexed and spec.kind != "off_topic" and spec.flavor not in ("no_ivig",):
        x.append(f'<ChemicalList><Chemical><RegistryNumber>0</RegistryNumber><NameOfSubstance UI="{IVIG_MESH[1]}">')
        x.append(f"{IVIG_MESH[0]}</NameOfSubstance></Chemical></ChemicalList>")
    if suppl:
        x.append("<SupplMeshList>")
        x.extend(f'<SupplMeshName Type="Disease" UI="{ui}">{escape(n)}</SupplMeshName>' for n, ui in suppl)
        x.append("</SupplMeshList>")
    if indexed:
        x.append("<CitationSubset>IM</CitationSubset>")
    x.append(_comments(spec, journal))
    if mesh:
        x.append("<MeshHeadingList>" + "".join(mesh) + "</MeshHeadingList>")
    if keywords:
        x.append('<KeywordList Owner="NOTNLM">')
        x.extend(f'<Keyword MajorTopicYN="N">{escape(k)}</Keyword>' for k in keywords)
        x.append("</KeywordList>")
    x.append("</MedlineCitation><PubmedData><History>")
    history = [
        ("received", spec.crdt - dt.timedelta(days=150)),
        ("accepted", spec.crdt - dt.timedelta(days=20)),
        ("medline", revised if indexed else spec.crdt),
        ("pubmed", spec.crdt),
        ("entrez", edat),
    ]
    x.extend(_date("PubMedPubDate", d, f'PubStatus="{s}"') for s, d in sorted(history, key=lambda h: h[1]))
    status = "aheadofprint" if spec.status == "Publisher" else "ppublish"
    x.append(f"</History><PublicationStatus>{status}</PublicationStatus><ArticleIdList>")
    x.append(f'<ArticleId IdType="pubmed">{spec.pmid}</ArticleId>')
    x.append(f'<ArticleId IdType="doi">10.99999/ivl.{spec.pmid}</ArticleId>')
    if spec.pmid % 3 == 0:
        x.append(f'<ArticleId IdType="pmc">PMC{spec.pmid - 80_000_000}</ArticleId>')
    x.append("</ArticleIdList></PubmedData></PubmedArticle>\n")
    return "".join(x)


def _text(spec: Spec, rng: random.Random) -> tuple[str, str | None, list[tuple[str | None, str]], list[str]]:
    """(title XML, vernacular title, abstract sections, keywords) of a record."""
    v = _variables(spec, rng)
    if spec.kind == "off_topic":
        title, _, _ = rng.choice(OFF_TOPIC)
        body = " ".join(s.format(**v) for s in rng.sample(OFF_TOPIC_SENTENCES, 3))
        return escape(title), None, [(None, body)], []
    if spec.kind == "near_miss":
        title, text = _near_miss_text(spec.flavor, v)
        return escape(title), None, [(None, text)], [v["cond"]] if spec.condition else []
    if spec.kind == "retraction_notice":
        title = f"Retraction Note: Intravenous immunoglobulin in {v['cond']}: a randomised controlled trial."
        text = (
            f"This article, a trial of {v['ivig']} in {v['cond']}, has been retracted at the request of the editors "
            "after irregularities were found in the trial data; the conclusions can no longer be relied upon."
        )
        return escape(title), None, [(None, text)], []
    if spec.kind == "erratum_notice":
        title = f"Erratum: Intravenous immunoglobulin in {v['cond']}."
        text = "In the original article the maintenance dose of IVIG in the Methods was misstated; it is 1 g/kg."
        return escape(title), None, [(None, text)], []
    design, direction = spec.design, spec.direction
    title = rng.choice(TITLES[design]).format(**v)
    background = (
        f"{v['ivig_cap']} is used in {v['cond']}{v['abbr']}, but evidence for its effect on {v['outcome']} "
        "remains limited."
    )
    methods = rng.choice(METHODS[design]).format(**v)
    if design == "rct" and spec.flavor == "crossover":
        methods = METHODS["rct"][1].format(**v)
    if design in ("case_report", "case_series"):
        results, conclusion = "", rng.choice(CASE_CONCLUSIONS[direction])
    elif design in ("review", "guideline", "other", "preclinical"):
        results = ""
        conclusion = rng.choice(CONCLUSIONS[direction]).format(**v)
    else:
        results = rng.choice(RESULTS[direction]).format(**v)
        conclusion = rng.choice(CONCLUSIONS[direction]).format(**v)
    if spec.flavor == "markup":
        title = escape(title[:-1]) + ": the role of <i>FCGR2B</i> variants."
        results += (
            " Circulating CD19<sup>+</sup> B cells and serum IgG<sub>1</sub> rose after treatment (<b>Table 2</b>)."
        )
    elif spec.flavor == "mathml":
        title = escape(title)
        results += (
            ' The dose followed <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>D</mml:mi>'
            "<mml:mo>=</mml:mo><mml:mn>2</mml:mn><mml:mi>g/kg</mml:mi></mml:math> per course."
        )
    else:
        title = escape(title)
    vernacular = None
    if spec.language != "eng":
        native, english = VERNACULAR[spec.language]
        title, vernacular = f"[{escape(english.format(cond=v['cond']))}].", native.format(cond=v["cond"])
    if rng.random() < 0.6:
        sections = [("BACKGROUND", background), ("METHODS", methods)]
        sections += [("RESULTS", results)] if results else []
        sections.append(("CONCLUSIONS", conclusion))
    else:
        sections = [(None, " ".join(p for p in (background, methods, results, conclusion) if p))]
    markup_ok = spec.flavor in ("markup", "mathml")
    sections = [(label, text if markup_ok and label in ("RESULTS", None) else escape(text)) for label, text in sections]
    return title, vernacular, sections, [v["cond"], "intravenous immunoglobulin", design.replace("_", " ")]


def _variables(spec: Spec, rng: random.Random) -> dict[str, str]:
    ct = CONDITIONS.get(spec.condition or "")
    cond = rng.choice(ct.names) if ct else "neuromuscular disease"
    ivig = rng.choice(IVIG_NAMES)
    pct2 = rng.randrange(10, 45)
    year = spec.crdt.year
    return {
        "cond": cond, "cond_cap": cond[0].upper() + cond[1:],
        "abbr": f" ({ct.abbreviation})" if ct and ct.abbreviation else "",
        "ivig": ivig, "ivig_cap": ivig[0].upper() + ivig[1:],
        "outcome": ct.outcome if ct else "disability", "population": ct.population if ct else "patients",
        "comparator": "placebo" if spec.flavor == "crossover" else rng.choice(COMPARATORS),
        "n": str(rng.randrange(3, 9) if spec.design in ("case_series",) else rng.randrange(20, 240)),
        "m": str(rng.randrange(20, 120)), "k": str(rng.randrange(3, 12)), "n2": str(rng.randrange(300, 2500)),
        "pct": str(pct2 + rng.randrange(15, 40)), "pct2": str(pct2),
        "p_sig": f"0.0{rng.randrange(1, 4)}", "p_ns": f"0.{rng.randrange(21, 89)}",
        "diff": f"{rng.randrange(1, 9)}.{rng.randrange(10)}", "lo": f"0.{rng.randrange(1, 9)}",
        "hi": f"{rng.randrange(2, 12)}.{rng.randrange(10)}",
        "weeks": str(rng.randrange(4, 25)), "age": str(rng.randrange(18, 84)), "sex": rng.choice(("man", "woman")),
        "y1": str(max(1980, year - rng.randrange(4, 15))), "y2": str(year - 1), "year": str(year),
        "month": _MONTH_NAMES[rng.randrange(12)], "acronym": f"IG-{(spec.condition or 'x')[:4].upper()}",
    }  # fmt: skip


def _near_miss_text(flavor: str, v: dict[str, str]) -> tuple[str, str]:
    """Records the tagger should not count as IVIG evidence for a condition."""
    if flavor == "plasma_exchange":
        return (
            f"Plasma exchange versus supportive care in {v['cond']}: a randomised trial.",
            f"Plasma exchange and {v['ivig']} are both established treatments for {v['cond']}. In this randomised "
            f"trial we assigned {v['n']} patients to plasma exchange or supportive care. Plasma exchange shortened "
            "the time to walking unaided (p=0.01). Plasma exchange is effective; IVIG was not studied.",
        )
    if flavor == "eculizumab":
        return (
            "Eculizumab in refractory generalized myasthenia gravis.",
            f"Patients with refractory generalized myasthenia gravis had failed at least two therapies, often "
            f"including {v['ivig']}. In this randomised, double-blind trial, {v['n']} patients received eculizumab "
            "or placebo; eculizumab improved the MG-ADL score.",
        )
    if flavor == "scig":
        return (
            "Subcutaneous immunoglobulin maintenance in chronic inflammatory demyelinating polyneuropathy.",
            f"Patients with CIDP stable on {v['ivig']} were switched to subcutaneous immunoglobulin (SCIG) at "
            f"0.2 or 0.4 g/kg weekly. Of {v['n']} patients, most remained stable on SCIG.",
        )
    if flavor == "group_b_strep":
        return (
            "Adjunctive intravenous immunoglobulin in neonatal group B streptococcal sepsis.",
            f"Group B streptococcus (GBS) remains a leading cause of neonatal sepsis. We randomised {v['n']} "
            f"neonates with suspected GBS infection to {v['ivig']} or placebo; mortality did not differ.",
        )
    if flavor == "milligram":
        return (
            "High-dose intravenous immunoglobulin and aspirin in Kawasaki disease.",
            f"Children with Kawasaki disease received {v['ivig']} 2 g/kg with aspirin 30-50 MG/kg/day and were "
            f"followed for coronary aneurysms. Of {v['n']} children, few developed aneurysms.",
        )
    return (
        f"Rituximab in {v['cond']}: a retrospective study.",
        f"We reviewed {v['n']} patients with {v['cond']} treated with rituximab after failing corticosteroids. "
        "Most improved within six months.",
    )


def _abstract_text(label: str | None, text: str) -> str:
    if label is None:
        return f"<AbstractText>{text}</AbstractText>"
    return f'<AbstractText Label="{label}" NlmCategory="{label}">{text}</AbstractText>'


def _authors(rng: random.Random) -> list[str]:
    out = []
    for n in range(rng.randrange(1, 7)):
        last, fore = rng.choice(LAST_NAMES), rng.choice(FORE_NAMES)
        aff = (
            f"<AffiliationInfo><Affiliation>Department of Neurology, University Hospital {rng.choice(LAST_NAMES)}."
            "</Affiliation></AffiliationInfo>"
            if n == 0
            else ""
        )
        out.append(
            f'<Author ValidYN="Y"><LastName>{last}</LastName><ForeName>{fore}</ForeName>'
            f"<Initials>{fore[0]}</Initials>{aff}</Author>"
        )
    return out


def _publication_types(spec: Spec, indexed: bool) -> list[tuple[str, str]]:
    if spec.kind == "retraction_notice":
        return [RETRACTION_NOTICE]
    if spec.kind == "erratum_notice":
        return [ERRATUM]
    pts = [JOURNAL_ARTICLE]
    if indexed and spec.kind in ("paper", "book"):
        pts += PUBLICATION_TYPES[spec.design]
    if spec.retracted_by is not None:
        pts.append(RETRACTED)
    return sorted(set(pts))


def _mesh(spec: Spec, rng: random.Random) -> tuple[list[str], list[tuple[str, str]]]:
    """MeSH headings (sorted, as NLM lists them) and supplementary concepts of an indexed record."""
    headings: list[tuple[str, str, bool, tuple[str, str] | None]] = []
    ct = CONDITIONS.get(spec.condition or "")
    if spec.kind == "off_topic":
        _, name, ui = OFF_TOPIC[spec.pmid % len(OFF_TOPIC)]
        headings += [(name, ui, True, None), ("Humans", "D006801", False, None)]
    else:
        if ct and spec.flavor not in ("group_b_strep", "milligram"):
            headings += [(n, ui, i == 0, Q_DRUG_THERAPY) for i, (n, ui) in enumerate(ct.mesh)]
        if spec.flavor not in ("no_ivig", "plasma_exchange", "eculizumab"):
            headings.append((*IVIG_MESH, spec.flavor == "", Q_THERAPEUTIC_USE))
        if spec.flavor == "plasma_exchange":
            headings.append(("Plasmapheresis", "D010956", True, None))
        if spec.design == "preclinical" and spec.kind == "paper":
            headings.append(("Animals", "D000818", False, None))
        else:
            headings.append(("Humans", "D006801", False, None))
            headings += [h for h in (("Male", "D008297", False, None), ("Female", "D005260", False, None),
                                     ("Adult", "D000328", False, None), ("Middle Aged", "D008875", False, None))
                         if rng.random() < 0.7]  # fmt: skip
        if spec.kind == "paper":
            headings += [(n, ui, False, None) for n, ui in DESIGN_MESH[spec.design]]
            if spec.design in ("rct", "controlled_trial", "cohort", "single_arm_trial"):
                headings.append(("Treatment Outcome", "D016896", False, None))
    xml = []
    for name, ui, major, qualifier in sorted(set(headings)):
        q = ""
        if qualifier:
            flag = "Y" if major else "N"
            q = f'<QualifierName UI="{qualifier[1]}" MajorTopicYN="{flag}">{escape(qualifier[0])}</QualifierName>'
        xml.append(
            f'<MeshHeading><DescriptorName UI="{ui}" MajorTopicYN="{"Y" if major and not q else "N"}">'
            f"{escape(name)}</DescriptorName>{q}</MeshHeading>"
        )
    suppl = list(ct.supplementary) if ct and spec.kind == "paper" else []
    return xml, suppl


def _comments(spec: Spec, journal: tuple[str, str, str]) -> str:
    refs = []
    if spec.retracted_by is not None:
        refs.append(("RetractionIn", spec.retracted_by))
    if spec.refers_to is not None:
        refs.append(spec.refers_to)
    if not refs:
        return ""
    body = "".join(
        f'<CommentsCorrections RefType="{ref}"><RefSource>{escape(journal[1])}. {spec.crdt.year}</RefSource>'
        f'<PMID Version="1">{pmid}</PMID></CommentsCorrections>'
        for ref, pmid in refs
    )
    return f"<CommentsCorrectionsList>{body}</CommentsCorrectionsList>"


def _book_xml(
    spec: Spec, title: str, sections: list[tuple[str | None, str]], authors: list[str], pub: dt.date | str
) -> str:
    year = pub.year if isinstance(pub, dt.date) else spec.crdt.year
    abstract = "".join(_abstract_text(label, text) for label, text in sections)
    history = "".join(_date("PubMedPubDate", spec.crdt, f'PubStatus="{s}"') for s in ("pubmed", "medline", "entrez"))
    return (
        f'<PubmedBookArticle><BookDocument><PMID Version="1">{spec.pmid}</PMID>'
        f'<ArticleIdList><ArticleId IdType="bookaccession">NBK9{spec.pmid % 100000:05d}</ArticleId></ArticleIdList>'
        f"<Book><Publisher><PublisherName>Neurology Open Books</PublisherName><PublisherLocation>Springfield"
        f"</PublisherLocation></Publisher><BookTitle>Immunotherapy in Neuromuscular Disease</BookTitle>"
        f"<PubDate><Year>{year}</Year></PubDate><Medium>Internet</Medium></Book>"
        f'<LocationLabel Type="chapter">{spec.pmid % 40}</LocationLabel><ArticleTitle>{title}</ArticleTitle>'
        f'<Language>eng</Language><AuthorList Type="authors">{"".join(authors)}</AuthorList>'
        f'<PublicationType UI="D016454">Review</PublicationType><Abstract>{abstract}</Abstract></BookDocument>'
        f"<PubmedBookData><History>{history}</History><PublicationStatus>ppublish</PublicationStatus>"
        f'<ArticleIdList><ArticleId IdType="pubmed">{spec.pmid}</ArticleId></ArticleIdList></PubmedBookData>'
        "</PubmedBookArticle>\n"
    )


def _date(tag: str, d: dt.date, attrs: str = "") -> str:
    open_tag = f"<{tag} {attrs}>" if attrs else f"<{tag}>"
    return f"{open_tag}<Year>{d.year}</Year><Month>{d.month:02d}</Month><Day>{d.day:02d}</Day></{tag}>"


def _pub_date(pub: dt.date | str) -> str:
    if isinstance(pub, str):
        return f"<PubDate><MedlineDate>{pub}</MedlineDate></PubDate>"
    return f"<PubDate><Year>{pub.year}</Year><Month>{_MONTH_ABBR[pub.month - 1]}</Month></PubDate>"


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")  # fmt: skip


# -- command line ----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """``python -m ivig_lit.emulator.generate --demo`` regenerates the bundled demo corpus."""
    parser = argparse.ArgumentParser(prog="python -m ivig_lit.emulator.generate", description=main.__doc__)
    parser.add_argument("--demo", action="store_true", help=f"write the scenario demo to {DEMO_PATH}")
    parser.add_argument("--records", type=int, default=None, help="records (background records with --demo)")
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--out", type=Path, help="output .xml or .xml.gz path")
    args = parser.parse_args(argv)
    out = args.out or (DEMO_PATH if args.demo else None)
    if out is None:
        parser.error("give --out PATH or --demo")
    start = time.perf_counter()
    n = generate_corpus(args.records, args.seed, out, scenario=args.demo)
    elapsed = time.perf_counter() - start
    size = out.stat().st_size / 1e6
    print(f"wrote {n:,} records to {out} ({size:.2f} MB) in {elapsed:.1f} s ({n / elapsed:,.0f} records/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
