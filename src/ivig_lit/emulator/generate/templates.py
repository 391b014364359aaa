"""Text templates of the invented records: titles, methods, results and conclusions per design and
direction, near-miss and off-topic text (all written by us; no real abstract is copied)."""

from __future__ import annotations

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
