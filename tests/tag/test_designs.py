"""Study-design rules, on sentences written for these tests (never copied from real abstracts)."""

from __future__ import annotations

import pytest

from ivig_lit.tag import TAGGER_VERSION, tag_article

TEXT_CASES = [
    pytest.param(
        "Immune globulin compared with usual care in motor neuropathy: a non-randomised controlled study",
        "In this open-label, non-randomised controlled study, 60 patients received immune globulin and were "
        "compared with 30 concurrent controls.",
        "controlled_trial",
        id="non-randomised-is-not-randomised",
    ),
    pytest.param(
        "Immune globulin in neuropathy",
        "Patients were not randomized; 25 chose immune globulin and 25 chose steroids, and both groups were followed.",
        "controlled_trial",
        id="not-randomized-is-not-randomised",
    ),
    pytest.param(
        "Immune globulin for chronic neuropathy: a randomised, double-blind, placebo-controlled trial",
        "We enrolled 40 adults.",
        "rct",
        id="randomised-in-title",
    ),
    pytest.param(
        "Immune globulin in chronic neuropathy",
        "Chronic neuropathy is disabling. In this quasi-randomized study, 30 patients were allocated by birth date.",
        "rct",
        id="quasi-randomised",
    ),
    pytest.param(
        "Immune globulin in myositis",
        "We conducted a double-blind, placebo-controlled crossover study of 12 patients with refractory myositis.",
        "rct",
        id="double-blind-placebo-crossover-without-the-word-randomized",
    ),
    pytest.param(
        "Long-term follow-up of immune globulin in neuropathy",
        [
            (
                "METHODS",
                "This post hoc analysis used data from a randomized, placebo-controlled trial and its extension.",
            )
        ],
        "rct",
        id="post-hoc-analysis-of-a-randomized-trial",
    ),
    pytest.param(
        "Immune globulin maintenance in neuropathy",
        "We treated 25 patients in an open-label, single-arm phase 2 study for 24 weeks.",
        "single_arm_trial",
        id="open-label-single-arm-phase-2",
    ),
    pytest.param(
        "Outcome of neuropathy after immune globulin",
        [
            ("BACKGROUND", "Previous randomized trials showed a short-term benefit of IVIG."),
            ("METHODS", "We retrospectively reviewed the charts of 80 patients treated at two centres."),
        ],
        "cohort",
        id="previous-randomized-trials-in-background-do-not-make-an-rct",
    ),
    pytest.param(
        "Outcome of myositis treated with immune globulin",
        "We followed 60 patients in a prospective cohort for two years. Randomized trials are needed to confirm this.",
        "cohort",
        id="randomized-trials-are-needed-does-not-make-an-rct",
    ),
    pytest.param(
        "Treatment of chronic neuropathies: a review",
        "This review summarises the randomized controlled trials of IVIG, plasma exchange and steroids.",
        "review",
        id="a-review-that-summarises-trials-stays-a-review",
    ),
    pytest.param(
        "Immune globulin in neuropathy: a systematic review and meta-analysis",
        "We searched MEDLINE and Embase for randomized trials and pooled their results.",
        "meta_analysis",
        id="meta-analysis",
    ),
    pytest.param(
        "Immune globulin for myasthenia",
        "We searched MEDLINE, Embase and CENTRAL. Two authors selected trials. The pooled risk ratio was 1.2.",
        "meta_analysis",
        id="systematic-search-with-pooled-estimate-is-a-meta-analysis",
    ),
    pytest.param(
        "Immune globulin for myasthenia: a systematic review",
        "We searched three databases and describe the eleven studies narratively.",
        "systematic_review",
        id="systematic-review-without-pooling",
    ),
    pytest.param(
        "Weakness after vaccination",
        "We report a 45-year-old man who developed weakness two weeks after vaccination.",
        "case_report",
        id="we-report-a-45-year-old-man",
    ),
    pytest.param(
        "Rare neuropathy: case report and review of the literature",
        "A 30-year-old woman presented with numbness. We review the literature on this condition.",
        "case_report",
        id="case-report-and-review-of-the-literature-is-a-case-report",
    ),
    pytest.param(
        "Sensory neuronopathy treated with immune globulin",
        "We describe seven patients with sensory neuronopathy seen over ten years.",
        "case_series",
        id="case-series-with-a-count",
    ),
    pytest.param(
        "Neuropathy in a population",
        "We compared 30 patients with age- and sex-matched controls.",
        "case_control",
        id="matched-controls",
    ),
    pytest.param(
        "Immune globulin for small fibre neuropathy: study protocol for a randomised controlled trial",
        "Patients will be randomised to immune globulin or placebo.",
        "other",
        id="a-trial-protocol-is-not-an-rct",
    ),
    pytest.param(
        "Practice guideline: immunotherapy for acute neuropathy",
        "Recommendations were formulated by a task force after a literature search.",
        "guideline",
        id="guideline",
    ),
    pytest.param(
        "Immune globulin in experimental autoimmune neuritis",
        "We treated Lewis rats with immune globulin and measured nerve conduction.",
        "preclinical",
        id="animal-study",
    ),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), TEXT_CASES)
def test_design_is_read_from_title_and_abstract_alone(make, registry, title, abstract, expected):
    tags = tag_article(make(title, abstract), registry)
    assert tags.design == expected, tags.design_evidence
    assert tags.design_evidence.startswith("text:")
    assert tags.tagger_version == TAGGER_VERSION


PT_CASES = [
    pytest.param(
        ("Randomized Controlled Trial",),
        "Immune globulin in neuropathy",
        "",
        "rct",
        "pt:Randomized Controlled Trial",
        id="rct",
    ),
    pytest.param(
        ("Review", "Meta-Analysis"),
        "Immune globulin in neuropathy",
        "",
        "meta_analysis",
        "pt:Meta-Analysis",
        id="meta-over-review",
    ),
    pytest.param(
        ("Case Reports",),
        "Neuropathy after vaccination",
        "We describe five patients with weakness.",
        "case_series",
        "(over pt:Case Reports)",
        id="case-reports-of-five-is-a-series",
    ),
    pytest.param(
        ("Review",),
        "Myasthenia: a systematic review and meta-analysis",
        "",
        "meta_analysis",
        "(over pt:Review)",
        id="text-meta-over-pt-review",
    ),
    pytest.param(
        ("Controlled Clinical Trial",),
        "Immune globulin in neuropathy",
        "Patients were randomly assigned to two doses.",
        "rct",
        "text:",
        id="controlled-clinical-trial-needs-the-text",
    ),
    pytest.param(
        ("Controlled Clinical Trial",),
        "Immune globulin in neuropathy",
        "",
        "controlled_trial",
        "pt:Controlled Clinical Trial",
        id="controlled-clinical-trial-without-text",
    ),
    pytest.param(
        ("Clinical Trial",),
        "Immune globulin in neuropathy",
        "This review discusses treatment options.",
        "review",
        "text:",
        id="clinical-trial-pt-on-a-review",
    ),
    pytest.param(
        ("Journal Article",),
        "Immune globulin in neuropathy",
        "",
        "other",
        "text:no design signal",
        id="title-only-no-signal",
    ),
    pytest.param(
        ("Network Meta-Analysis", "Review"),
        "Treatments for myasthenia gravis compared",
        "",
        "meta_analysis",
        "pt:Network Meta-Analysis",
        id="network-meta-analysis-pt",
    ),
    pytest.param(
        ("Randomized Controlled Trial",),
        "Long-term immune globulin in neuropathy: the open-label extension",
        "Patients continued treatment for 48 weeks after the randomized period.",
        "rct",
        "pt:Randomized Controlled Trial",
        id="randomized-controlled-trial-pt-is-authoritative",
    ),
    pytest.param(
        ("Clinical Trial, Phase II",),
        "Immune globulin in stiff person syndrome",
        "Twelve patients received immune globulin monthly for six months.",
        "single_arm_trial",
        "pt:Clinical Trial, Phase II",
        id="phase-ii-trial-without-randomisation-is-single-arm",
    ),
    pytest.param(
        ("Letter", "Comment"),
        "Immune globulin in neuropathy",
        "",
        "other",
        "pt:Comment",
        id="a-comment-is-other",
    ),
]


@pytest.mark.parametrize(("pts", "title", "abstract", "expected", "evidence"), PT_CASES)
def test_publication_types_combine_with_text_by_precedence(make, registry, pts, title, abstract, expected, evidence):
    tags = tag_article(make(title, abstract, publication_types=pts), registry)
    assert tags.design == expected
    assert evidence in tags.design_evidence


def test_randomized_controlled_trials_as_topic_is_not_a_design_signal(make, registry):
    article = make("Immune globulin in neuropathy", "", mesh=("Randomized Controlled Trials as Topic", "Humans"))
    assert tag_article(article, registry).design == "other"


def test_animals_without_humans_check_tag_makes_a_preclinical_study(make, registry):
    article = make("Immune globulin and nerve conduction", "We measured conduction.", mesh=("Animals", "Rats"))
    tags = tag_article(article, registry)
    assert (tags.design, tags.design_evidence) == ("preclinical", "mh:Animals (no Humans)")


@pytest.mark.parametrize("method", ["In Vitro Techniques", "Cells, Cultured", "Disease Models, Animal"])
def test_laboratory_method_indexing_makes_a_study_of_human_material_preclinical(make, registry, method):
    article = make("Immune globulin and antibodies from patients", "Binding fell.", mesh=("Humans", method))
    tags = tag_article(article, registry)
    assert (tags.design, tags.design_evidence) == ("preclinical", f"mh:{method}")


def test_methods_outweigh_background_in_a_structured_abstract(make, registry):
    abstract = [
        ("BACKGROUND", "A randomized trial showed benefit in 2001."),
        ("METHODS", "We performed a retrospective cohort study of 120 patients."),
    ]
    tags = tag_article(make("Immune globulin in neuropathy", abstract), registry)
    assert (tags.design, tags.design_evidence) == ("cohort", "text:methods:retrospective cohort")


# The kinds of error seen on unseen articles, each as one behaviour on sentences written here.
PRINCIPLE_CASES = [
    pytest.param(
        "Immune globulin in myasthenia gravis",
        "Immune globulin is used for myasthenic crisis. In a randomized trial it was as effective as plasma "
        "exchange. Its place in maintenance treatment is less clear, and steroid-sparing agents are discussed.",
        "review",
        id="a-review-that-mentions-a-randomised-trial-is-a-review",
    ),
    pytest.param(
        "Chronic inflammatory demyelinating polyneuropathy",
        "The neuropathy responds to corticosteroids, plasma exchange and immune globulin, each effective in "
        "randomized controlled trials. Maintenance treatment is tailored to the patient.",
        "review",
        id="a-review-titled-with-the-disease-alone-is-a-review",
    ),
    pytest.param(
        "Antibodies from patients with stiff limbs cause rigidity in rats",
        "Purified IgG from two patients was injected intrathecally into rats. Treated animals developed "
        "rigidity and reduced grip strength, which control IgG did not cause.",
        "preclinical",
        id="rats-given-patient-igg-is-preclinical",
    ),
    pytest.param(
        "Passive transfer of neuropathy with patient serum",
        "Serum from patients with the neuropathy passively transferred conduction block to recipient animals.",
        "preclinical",
        id="passive-transfer-is-preclinical",
    ),
    pytest.param(
        "Complement activation by antibodies in multifocal motor neuropathy",
        "Sera from 30 patients were tested in vitro for complement deposition on cultured motor neurons.",
        "preclinical",
        id="an-in-vitro-assay-on-patient-sera-is-preclinical",
    ),
    pytest.param(
        "Immune globulin in stiff person syndrome: two case reports",
        "",
        "case_report",
        id="two-case-reports-is-a-case-report",
    ),
    pytest.param(
        "Immune globulin in anti-MAG neuropathy (5 cases)",
        "",
        "case_series",
        id="n-cases-in-the-title-is-a-case-series",
    ),
    pytest.param(
        "Immune globulin-responsive myelopathy: report of a series",
        "",
        "case_series",
        id="report-of-a-series-is-a-case-series",
    ),
    pytest.param(
        "Relapsing neuropathy after vaccination: four cases and review of the literature",
        "",
        "case_series",
        id="four-cases-and-a-review-is-a-case-series",
    ),
    pytest.param(
        "Relapsing neuropathy after vaccination: two cases and review of the literature",
        "",
        "case_report",
        id="two-cases-and-a-review-is-a-case-report",
    ),
    pytest.param(
        "Long-term immune globulin in neuropathy: results of the open-label extension",
        "Patients who completed the randomized, double-blind period entered an open-label extension in which "
        "all received immune globulin for 48 weeks.",
        "single_arm_trial",
        id="open-label-extension-is-single-arm",
    ),
    pytest.param(
        "Which patients respond to immune globulin? A responder analysis",
        "We analysed data from a randomized, placebo-controlled trial of 120 patients with neuropathy.",
        "rct",
        id="responder-analysis-of-a-randomised-trial-is-rct",
    ),
    pytest.param(
        "Long-term efficacy of a complement inhibitor in myasthenia gravis: responder analyses",
        [
            (
                "OBJECTIVE",
                "To analyse response profiles of patients treated in the ALPHA study or its open-label extension.",
            ),
            ("RESULTS", "The analysis included 98 patients."),
        ],
        "rct",
        id="responder-analysis-of-a-trial-and-its-open-label-extension-is-rct",
    ),
    pytest.param(
        "Efficacy over two years: a post hoc analysis of the open-label extension",
        "All 60 patients who entered the open-label extension received the drug; we analysed their scores.",
        "single_arm_trial",
        id="post-hoc-analysis-of-an-open-label-extension-alone-is-single-arm",
    ),
    pytest.param(
        "Dose and response in neuropathy: a post hoc analysis of the pivotal trial",
        "The pivotal trial randomized patients to immune globulin or placebo. We analysed the dose each received.",
        "rct",
        id="post-hoc-analysis-whose-parent-trial-is-described-as-background-is-rct",
    ),
    pytest.param(
        "Thrombosis after immune globulin across indications",
        "Thrombotic events have followed immune globulin given for many indications. We reviewed published "
        "case reports and summarise the risk factors that recur in them.",
        "review",
        id="an-adverse-event-review-across-indications-is-a-review",
    ),
    pytest.param(
        "Double-blind trial of immune globulin in dermatomyositis",
        "",
        "rct",
        id="an-old-double-blind-trial-with-only-a-title-is-rct",
    ),
    pytest.param(
        "A controlled trial of immune globulin in neuropathy",
        "",
        "rct",
        id="a-controlled-trial-with-only-a-title-is-rct",
    ),
    pytest.param(
        "Immune globulin in CIDP: a retrospective study",
        "We treated 8 patients with immune globulin and followed them for a year.",
        "case_series",
        id="a-retrospective-study-of-eight-patients-is-a-case-series",
    ),
    pytest.param(
        "Immune globulin in CIDP: a systematic review",
        "We searched MEDLINE and Embase for trials. Because of heterogeneity in outcomes, results were not "
        "combined and are described narratively.",
        "systematic_review",
        id="a-systematic-review-without-pooling-is-not-a-meta-analysis",
    ),
    pytest.param(
        "Immune globulin in myasthenia gravis",
        "A recent meta-analysis of six trials found a benefit in exacerbations. Its place in maintenance "
        "treatment remains uncertain.",
        "review",
        id="a-review-citing-a-meta-analysis-finding-is-a-review",
    ),
    pytest.param(
        "Treatment of chronic neuropathy: an evidence-based review",
        "",
        "review",
        id="a-review-named-with-any-adjective-is-a-review",
    ),
    pytest.param(
        "Immune globulin and complement in myasthenia",
        "Sera from 12 patients were incubated with immune globulin, and complement deposition fell.",
        "preclinical",
        id="patient-sera-incubated-in-the-laboratory-is-preclinical",
    ),
    pytest.param(
        "Immune globulin versus plasma exchange in acute neuropathy",
        "",
        "rct",
        id="a-title-only-head-to-head-comparison-is-rct",
    ),
    pytest.param(
        "Consensus on the use of immune globulin in neuromuscular disease",
        "",
        "guideline",
        id="a-title-offering-consensus-is-a-guideline",
    ),
    pytest.param(
        "Recommendations for immune globulin use in neurology",
        "An expert panel graded the evidence for each indication.",
        "guideline",
        id="a-title-offering-recommendations-is-a-guideline",
    ),
    pytest.param(
        "No consensus yet on maintenance immune globulin in neuropathy",
        "This review summarises the evidence on dosing.",
        "review",
        id="a-title-saying-there-is-no-consensus-is-not-a-guideline",
    ),
    pytest.param(
        "Immune globulin in neuropathy",
        "Twenty experts rated 40 statements on its use in three Delphi rounds; agreement was reached on 31.",
        "guideline",
        id="a-delphi-consensus-is-a-guideline",
    ),
    pytest.param(
        "Antibodies from patients with neuropathy cause conduction block",
        "Purified IgG from 5 patients reduced compound muscle action potentials in Lewis rats; immune globulin "
        "prevented it.",
        "preclinical",
        id="patient-igg-in-lewis-rats-is-preclinical",
    ),
    pytest.param(
        "Immune globulin and transmission at the neuromuscular junction",
        "Sera blocked transmission in phrenic nerve-hemidiaphragm preparations, and immune globulin reversed it.",
        "preclinical",
        id="an-ex-vivo-nerve-muscle-preparation-is-preclinical",
    ),
    pytest.param(
        "Immune globulin in neuropathy",
        "The panel set out to provide recommendations for the use of immune globulin in neuromuscular disorders.",
        "guideline",
        id="a-text-that-provides-recommendations-is-a-guideline",
    ),
    pytest.param(
        "Immune globulin in neuropathy",
        "This article summarises what is known about dosing. Recommendations for maintenance treatment are lacking.",
        "review",
        id="a-review-that-finds-recommendations-lacking-is-a-review",
    ),
    pytest.param(
        "Immune globulin in neuropathy",
        "We report on a woman with chronic neuropathy. She received immune globulin and improved within weeks.",
        "case_report",
        id="a-report-on-a-single-patient-is-a-case-report",
    ),
    pytest.param(
        "Immune globulin in neuropathy",
        "Sixty patients were randomly assigned to immune globulin or placebo. The results are discussed.",
        "rct",
        id="a-trial-whose-results-are-discussed-is-still-a-trial",
    ),
    pytest.param(
        "Immune globulin in neuropathy: a retrospective chart review",
        "We reviewed the records of 40 patients treated between 2010 and 2020.",
        "cohort",
        id="a-chart-review-is-not-a-literature-review",
    ),
    pytest.param(
        "Immune globulin for a rare myopathy",
        "We searched three databases. Four trials were included. Data were not suitable for meta-analysis.",
        "systematic_review",
        id="data-unsuitable-for-pooling-is-a-systematic-review",
    ),
    pytest.param(
        "Immune globulin for a rare myopathy",
        "We searched three databases. Four trials were included. Heterogeneity precluded a meta-analysis.",
        "systematic_review",
        id="pooling-precluded-is-a-systematic-review",
    ),
    pytest.param(
        "Complement and motor neuropathy",
        "Sera from 25 patients were tested for complement activation. Immune globulin was added to the sera, "
        "and complement deposition was reduced.",
        "preclinical",
        id="a-treatment-added-to-patients-sera-is-in-vitro",
    ),
    pytest.param(
        "Complement and motor neuropathy",
        "Complement deposition by the sera of 25 patients was measured in the presence of immune globulin. "
        "Deposition fell by half.",
        "preclinical",
        id="an-assay-in-the-presence-of-the-treatment-is-in-vitro",
    ),
    pytest.param(
        "Immune globulin in a stiff muscles syndrome: report of a case",
        "",
        "case_report",
        id="report-of-a-case-is-a-case-report",
    ),
    pytest.param(
        "Immune globulin in neuropathy: a 10-year follow-up", "", "cohort", id="a-long-follow-up-title-is-a-cohort"
    ),
    pytest.param(
        "Immune globulin in neuromuscular disease: current status", "", "review", id="current-status-title-is-a-review"
    ),
    pytest.param(
        "Immune globulin or plasma exchange in an acute neuropathy: a prospective comparative study",
        "We allocated 30 consecutive adults alternately to immune globulin or plasma exchange.",
        "rct",
        id="allocation-by-alternation-is-quasi-randomised",
    ),
    pytest.param(
        "Immune globulin in a chronic neuropathy: a 6-month comparative trial",
        "",
        "rct",
        id="a-comparative-trial-with-only-a-title-is-a-candidate-rct",
    ),
    pytest.param(
        "Immune globulin in a chronic neuropathy: an open extension study",
        "Responders continued treatment.",
        "single_arm_trial",
        id="an-open-extension-is-single-arm",
    ),
    pytest.param(
        "Treatment of a chronic neuropathy",
        "Steroids and immune globulin are first-line. In a randomized trial of 40 patients the two did not "
        "differ. Rituximab is an option for refractory disease.",
        "review",
        id="a-trial-of-n-patients-cited-in-a-review-is-not-its-own-study",
    ),
    pytest.param(
        "Immune globulin and macrophage receptors",
        "Blood-derived macrophages were cultured with immune globulin for two days, and receptor expression rose.",
        "preclinical",
        id="cells-cultured-with-the-treatment-are-preclinical",
    ),
    pytest.param(
        "Relapsing neuropathy in a family",
        "Two sisters developed a relapsing neuropathy as teenagers. Both improved with immune globulin.",
        "case_report",
        id="two-sisters-are-a-case-report",
    ),
    pytest.param(
        "Kidney injury after immune globulin",
        "Using a national insurance database, we identified 5,000 adults who received immune globulin.",
        "cohort",
        id="an-insurance-database-study-is-a-cohort",
    ),
    pytest.param(
        "Two doses of immune globulin in neuropathy",
        "Patients were assigned at random to a low or a high dose, and disability was scored at 12 weeks.",
        "rct",
        id="assigned-at-random-is-randomised",
    ),
    pytest.param(
        "Long-term immune globulin at home: the extension study",
        "Patients who finished the main study could continue for a year; 70 did so.",
        "single_arm_trial",
        id="an-extension-study-is-single-arm",
    ),
    pytest.param(
        "Caring for acute neuropathy in ten steps",
        "This guidance was written by a panel of international experts and covers diagnosis and treatment.",
        "guideline",
        id="guidance-written-by-experts-is-a-guideline",
    ),
    pytest.param(
        "Meningitis after immune globulin",
        "Meningitis is a rare reaction. We describe a 40-year-old woman who developed fever and neck stiffness "
        "after an infusion. We also review 30 cases published before.",
        "case_report",
        id="a-patient-described-then-a-literature-review-is-a-case-report",
    ),
    pytest.param(
        "Immune globulin in a demyelinating neuropathy",
        "A 50-year-old man presents with numbness. This review explains how to choose between the treatments.",
        "review",
        id="a-vignette-in-the-present-tense-opens-a-review",
    ),
    pytest.param(
        "Appropriate use of immune globulin in neurology",
        "A committee graded each indication as recommended, not recommended or lacking evidence.",
        "guideline",
        id="indications-graded-as-recommended-is-a-guideline",
    ),
    pytest.param(
        "An anti-CD20 antibody in refractory myasthenia",
        "A chimeric murine/human monoclonal antibody was given to 8 patients at our centre; six improved.",
        "case_series",
        id="a-murine-antibody-given-to-patients-is-not-an-animal-study",
    ),
    pytest.param(
        "New treatments for a chronic neuropathy",
        "PURPOSE OF REVIEW: Several agents were tested lately. RECENT FINDINGS: In a randomized trial, 70 patients "
        "were randomized to a new agent or placebo. SUMMARY: Choices are growing.",
        "review",
        id="purpose-of-review-headings-make-a-review-inline",
    ),
    pytest.param(
        "New treatments for a chronic neuropathy",
        [
            ("PURPOSE OF REVIEW", "Several agents were tested lately."),
            ("RECENT FINDINGS", "Seventy patients were randomized to a new agent or placebo."),
            ("SUMMARY", "Choices are growing."),
        ],
        "review",
        id="purpose-of-review-headings-make-a-review-as-labels",
    ),
    pytest.param(
        "Immune globulin supply",
        "In this editorial we discuss why supply has fallen short and what neurologists can do.",
        "other",
        id="an-editorial-is-other-not-a-review",
    ),
    pytest.param(
        "Immune globulin for ataxia in a patient with GAD antibodies", "", "case_report", id="in-a-patient-title"
    ),
    pytest.param(
        "Immune globulin in pregnant women with neuromuscular disease",
        "Data on 30 pregnancies in 25 women given immune globulin were collected from four centres.",
        "cohort",
        id="data-collected-on-thirty-pregnancies-is-an-own-cohort",
    ),
    pytest.param(
        "Immune globulin in acute neuropathy",
        "Patients were randomly assigned to immune globulin or placebo. The study protocol was approved by the "
        "ethics board. Disability improved more with immune globulin (p=0.02).",
        "rct",
        id="a-trial-whose-protocol-was-approved-is-not-a-protocol",
    ),
    pytest.param(
        "Immune globulin at home",
        "Ten patients moved to home infusions under a study protocol; satisfaction improved in eight.",
        "case_series",
        id="patients-treated-under-a-protocol-are-not-a-protocol",
    ),
    pytest.param(
        "Stimulation for fatigue in myasthenia",
        "Thirty patients received active or sham stimulation, and fatigue fell more with active stimulation.",
        "rct",
        id="a-sham-control-is-a-placebo-control",
    ),
    pytest.param(
        "Ataxia with antibodies",
        "A 58-yr-old woman developed gait ataxia and improved with immune globulin.",
        "case_report",
        id="an-abbreviated-age-is-a-single-patient",
    ),
    pytest.param(
        "How neuropathy is treated: a cross-sectional study",
        "We surveyed 120 patients about the treatments they had received.",
        "cohort",
        id="a-cross-sectional-study-is-observational",
    ),
    pytest.param(
        "A new immune globulin product in healthy adults",
        "Eighteen healthy volunteers received one infusion, and its half-life was four weeks.",
        "single_arm_trial",
        id="healthy-volunteers-given-a-product-are-a-phase-1-trial-not-controls",
    ),
    pytest.param(
        "Glycans of immune globulin in neuropathy",
        "Serum from 26 treated patients was analysed by mass spectrometry, and responders carried more sialic acid.",
        "cohort",
        id="serum-from-patients-analysed-reports-an-own-study",
    ),
]


@pytest.mark.parametrize(("title", "abstract", "expected"), PRINCIPLE_CASES)
def test_design_follows_principles_not_phrases(make, registry, title, abstract, expected):
    tags = tag_article(make(title, abstract), registry)
    assert tags.design == expected, tags.design_evidence


def test_title_statement_methods_and_publication_type_agreeing_give_high_confidence(make, registry):
    article = make(
        "Immune globulin in neuropathy: a randomized, placebo-controlled trial",
        [("METHODS", "Sixty patients were randomly assigned to immune globulin or placebo.")],
        publication_types=("Randomized Controlled Trial",),
    )
    tags = tag_article(article, registry)
    assert (tags.design, tags.design_confidence >= 0.95, tags.review_reasons) == ("rct", True, ())


def test_a_lone_patient_count_gives_low_confidence_and_a_review_reason(make, registry):
    tags = tag_article(make("Immune globulin in neuropathy", "Forty patients received immune globulin."), registry)
    assert tags.design_confidence <= 0.5
    assert "design: weak signal" in tags.review_reasons


def test_text_and_publication_type_in_conflict_give_a_review_reason(make, registry):
    article = make(
        "Immune globulin in neuropathy: a retrospective cohort study",
        "We reviewed the records of 90 patients.",
        publication_types=("Randomized Controlled Trial",),
    )
    tags = tag_article(article, registry)
    assert "design: text says cohort, indexing says rct" in tags.review_reasons
    assert tags.design_confidence <= 0.5


def test_a_record_without_abstract_gives_a_review_reason(make, registry):
    tags = tag_article(make("Immune globulin in neuropathy: a randomized trial", ""), registry)
    assert tags.design == "rct"
    assert "no abstract" in tags.review_reasons
    assert tags.design_confidence <= 0.6


def test_a_randomised_trial_whose_methods_mention_its_extension_is_rct(make, registry):
    abstract = [
        ("METHODS", "Patients were randomly assigned to immune globulin or placebo for 24 weeks, then offered an "
         "open-label extension."),
    ]  # fmt: skip
    assert tag_article(make("Immune globulin in chronic neuropathy", abstract), registry).design == "rct"


def test_an_indexers_clinical_trial_outweighs_a_prospective_hint(make, registry):
    article = make("Immune globulin in neuropathy: a prospective study", "Twenty patients received immune globulin.",
                   publication_types=("Clinical Trial",))  # fmt: skip
    tags = tag_article(article, registry)
    assert (tags.design, tags.design_evidence) == ("single_arm_trial", "pt:Clinical Trial")


def test_data_read_from_medical_records_is_observational_whatever_the_indexing(make, registry):
    abstract = [("METHODS", "We analysed the medical records of 150 patients from 10 centres.")]
    tags = tag_article(make("Antibody titres in neuropathy", abstract, publication_types=("Clinical Trial",)), registry)
    assert tags.design == "cohort"
    assert "design: text says cohort, indexing says single_arm_trial" in tags.review_reasons


def test_a_narrative_of_one_patient_is_a_case_report(make, registry):
    abstract = "A previously healthy woman developed weakness after a viral illness. She received immune globulin."
    assert tag_article(make("Weakness after infection", abstract), registry).design == "case_report"


def test_graded_recommendations_make_a_guideline(make, registry):
    abstract = "Immune globulin is recommended for the acute illness (Level A). Plasma exchange is an alternative."
    assert tag_article(make("Treatment of acute neuropathy", abstract), registry).design == "guideline"


def test_a_group_of_patients_followed_without_a_design_name_is_a_cohort(make, registry):
    abstract = "All patients treated at our centre were included and followed until recovery."
    assert tag_article(make("Outcome of acute neuropathy", abstract), registry).design == "cohort"


def test_a_clinical_trial_publication_type_does_not_conflict_with_a_randomised_text(make, registry):
    article = make("Immune globulin in neuropathy", [("METHODS", "Forty patients were randomly assigned.")],
                   publication_types=("Clinical Trial",))  # fmt: skip
    tags = tag_article(article, registry)
    assert (tags.design, tags.review_reasons) == ("rct", ())


def test_a_trial_that_cites_a_guideline_for_its_diagnosis_is_not_a_guideline(make, registry):
    abstract = "Patients diagnosed according to the European guideline were randomly assigned to immune globulin."
    assert tag_article(make("Immune globulin in neuropathy", abstract), registry).design == "rct"


def test_progress_in_a_trials_results_is_not_a_review(make, registry):
    abstract = [("RESULTS", "Patients randomly assigned to immune globulin made more progress in walking.")]
    assert tag_article(make("Immune globulin in acute neuropathy", abstract), registry).design == "rct"


def test_a_previous_meta_analysis_cited_by_a_cohort_is_other_work(make, registry):
    abstract = "We followed 90 patients. Our results agree with a previous meta-analysis of the trials."
    assert tag_article(make("Outcome after immune globulin", abstract), registry).design == "cohort"


def test_a_case_controlled_study_is_case_control(make, registry):
    abstract = "In this case-controlled study we compared 40 patients who received immune globulin with 80 who did not."
    assert tag_article(make("Thrombosis after immune globulin", abstract), registry).design == "case_control"


def test_own_findings_with_no_human_participant_are_laboratory_research(make, registry):
    abstract = "A kinase controls how nerve membranes fold. Here we show that blocking it halts myelin repair."
    tags = tag_article(make("A kinase in myelin repair", abstract), registry)
    assert (tags.design, tags.design_evidence) == ("preclinical", "text:own findings, no human participants")
    assert "design: weak signal" in tags.review_reasons


def test_an_abstract_with_no_own_findings_and_no_design_stays_a_review(make, registry):
    abstract = "Immune globulin acts on Fc receptors and complement. These actions explain its use in neuropathy."
    assert tag_article(make("How immune globulin works", abstract), registry).design == "review"
