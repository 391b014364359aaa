"""The condition registry: defaults, validation of user files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ivig_lit.errors import RegistryError
from ivig_lit.gate import Gate
from ivig_lit.parse.models import AbstractSection, Article
from ivig_lit.query import matches, parse_query
from ivig_lit.registry import default_registry_path, load_registry, parse_registry
from ivig_lit.tag import tag_article
from ivig_lit.tag.intervention import find_ivig

DEFAULT_IDS = (
    "mmn", "cidp", "gbs", "gbs_variant", "myasthenia_gravis", "stiff_person", "dermatomyositis", "polymyositis",
    "inclusion_body_myositis", "necrotizing_myopathy", "anti_mag", "diabetic_amyotrophy", "sensory_neuropathy",
    "vasculitic_neuropathy", "sjogren",
)  # fmt: skip


_VOCABULARY = [(c.id, n) for c in load_registry().conditions for n in (*c.synonyms, *c.abbreviations)]


def _default() -> dict:
    return tomllib.loads(default_registry_path().read_text(encoding="utf-8"))


def test_default_registry_tracks_the_fifteen_conditions_in_order() -> None:
    assert load_registry().ids == DEFAULT_IDS


def test_the_four_myopathies_form_the_inflammatory_myopathy_group() -> None:
    assert load_registry().groups == {
        "inflammatory_myopathy": ("dermatomyositis", "polymyositis", "inclusion_body_myositis", "necrotizing_myopathy")
    }


def test_search_query_combines_condition_and_ivig_blocks() -> None:
    registry = load_registry()
    assert registry.search_query("cidp") == f"({registry.get('cidp').query}) AND ({registry.ivig_query})"


def test_condition_query_is_built_from_the_vocabulary_the_tagger_matches() -> None:
    gbs = load_registry().get("gbs")
    assert gbs.query.startswith('"Guillain-Barre Syndrome"[mh] OR "guillain-barre*"[tiab] OR ')
    assert all(f'"{s}"[tiab]' in gbs.query for s in gbs.synonyms)
    assert "AIDP[tiab]" in gbs.query
    assert '((GBS[tiab]) AND ("neuropathy"[tiab] OR ' in gbs.query


def test_supplementary_concepts_are_searched_as_nm() -> None:
    assert '"Multifocal motor neuropathy"[nm]' in load_registry().get("mmn").query


def test_ivig_block_is_built_from_the_ivig_vocabulary() -> None:
    registry = load_registry()
    assert registry.ivig_query.startswith('"Immunoglobulins, Intravenous"[mh] OR "intravenous immunoglobulin*"[tiab]')
    assert all(f"{b}[tiab]" in registry.ivig_query for b in ("Privigen", "Gamunex", "Octagam", "Panzyga"))


def test_every_registry_query_is_valid_pubmed_syntax() -> None:
    registry = load_registry()
    for cid in registry.ids:
        parse_query(registry.search_query(cid))


def _sample(term: str) -> str:
    return term.rstrip("*")


@pytest.mark.parametrize(("condition_id", "name"), _VOCABULARY)
def test_search_and_tagging_agree_on_every_condition_name(condition_id: str, name: str) -> None:
    registry = load_registry()
    article = Article(pmid="1", title=f"Intravenous immunoglobulin in {_sample(name)}")
    assert matches(registry.search_query(condition_id), article)
    assert condition_id in tag_article(article, registry).condition_ids


@pytest.mark.parametrize("term", load_registry().ivig.names)
def test_every_ivig_term_of_the_registry_is_recognised_by_the_taggers_ivig_matcher(term: str) -> None:
    for sentence in (f"Patients were treated with {_sample(term)}.", f"{_sample(term)} was given to every patient."):
        assert find_ivig(sentence), f"find_ivig does not recognise the registry IVIG term {term!r} in {sentence!r}"


@pytest.mark.parametrize(
    ("condition_id", "title", "abstract", "found"),
    [
        ("anti_mag", "Immunotherapy for anti-MAG neuropathy", "Trials were sought.", True),
        ("anti_mag", "Rituximab in anti-MAG neuropathy", "Rituximab is an immunotherapy that depletes B cells.", False),
        ("myasthenia_gravis", "Myasthenia gravis after cancer immunotherapy", "Pembrolizumab was stopped.", False),
        ("gbs", "Guideline on the diagnosis and treatment of Guillain-Barre syndrome", "Questions were framed.", True),
        ("inclusion_body_myositis", "Treatment for inclusion body myositis", "We searched the Cochrane library.", True),
        ("myasthenia_gravis", "Treatment of myasthenia gravis with rituximab", "Twelve patients were followed.", False),
    ],
    ids=[
        "review-titled-immunotherapy-for",
        "immunotherapy-in-abstract-only",
        "immunotherapy-as-the-cause",
        "guideline",
        "synthesis-of-treatment-in-general",
        "treatment-title-of-a-primary-study",
    ],
)
def test_ivig_title_terms_find_a_treatment_review_by_its_title_only(
    condition_id: str, title: str, abstract: str, found: bool
) -> None:
    article = Article(pmid="1", title=title, abstract=(AbstractSection("", "", abstract),))
    assert matches(load_registry().search_query(condition_id), article) is found


def test_ivig_title_terms_are_search_only_not_names_the_tagger_matches() -> None:
    ivig = load_registry().ivig
    search_only = {*ivig.title_terms, *ivig.synthesis_title_terms, *ivig.synthesis_terms}
    assert ivig.title_terms and ivig.synthesis_terms and not search_only & set(ivig.names)


def test_an_explicit_query_overrides_the_built_one() -> None:
    data = _default()
    data["condition"][0]["query"] = "mmn[ti]"
    data["ivig"]["query"] = "ivig[ti]"
    registry = parse_registry(data)
    assert registry.search_query("mmn") == "(mmn[ti]) AND (ivig[ti])"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["condition"][0].update(colour="red"), "unknown keys: colour"),
        (lambda d: d["condition"][1].update(id="mmn"), "duplicate condition id 'mmn'"),
        (lambda d: d["condition"][2].update(query="  "), "query is empty"),
        (lambda d: d["ivig"].update(query=""), "[ivig] query is empty"),
        (lambda d: d["condition"][0]["baseline"].update(grade="great"), "baseline grade 'great'"),
        (lambda d: d["condition"][0].pop("label"), "missing keys: label"),
        (lambda d: d["condition"][0].update(id="Bad Id"), "id must be lower-case"),
        (lambda d: d["condition"][0].update(synonyms="cidp"), "synonyms must be a list"),
        (lambda d: d.update(extra=1), "unknown top-level keys: extra"),
        (lambda d: d["condition"][0].update(synonyms=["multi*focal"]), "'*' only at its end"),
        (lambda d: d["condition"][0].update(synonyms=['say "mmn"']), "may not contain"),
        (lambda d: d["ivig"].update(brands="Privigen"), "[ivig]: brands must be a list"),
        (lambda d: d["ivig"].update(title_terms=[""]), "[ivig]: title_terms must be a list of non-empty strings"),
        (lambda d: d["ivig"].update(colour="red"), "[ivig]: unknown keys: colour"),
        (lambda d: d.update(ivig={}), "[ivig] needs a query or a vocabulary"),
        (lambda d: d.update(condition=[{"id": "x", "label": "X", "baseline": {"text": "t", "grade": "mixed"}}]),
         "needs a query or a vocabulary"),
    ],
    ids=["unknown-key", "duplicate-id", "empty-query", "empty-ivig-query", "bad-grade", "missing-label", "bad-id",
         "synonyms-not-list", "unknown-top-level", "inner-asterisk", "quote-in-synonym", "ivig-brands-not-list",
         "ivig-empty-title-term", "ivig-unknown-key", "ivig-without-vocabulary", "condition-without-vocabulary"],
)  # fmt: skip
def test_invalid_registry_is_rejected_with_a_message_naming_the_problem(mutate, message: str) -> None:
    data = _default()
    mutate(data)
    with pytest.raises(RegistryError) as err:
        parse_registry(data, source="mine.toml")
    assert message in err.value.user_message
    assert "mine.toml" in err.value.user_message


def test_a_user_registry_file_replaces_the_default(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[ivig]\nquery = "ivig[tiab]"\n[[condition]]\nid = "pandas"\nlabel = "PANDAS"\nquery = "pandas[tiab]"\n'
        '[condition.baseline]\ntext = "Unclear."\ngrade = "no_evidence"\n'
    )
    registry = load_registry(path)
    assert registry.ids == ("pandas",)
    assert registry.search_query("pandas") == "(pandas[tiab]) AND (ivig[tiab])"


def test_missing_registry_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="registry file not found"):
        load_registry(tmp_path / "nope.toml")


def test_malformed_toml_is_reported_as_such(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[ivig\n")
    with pytest.raises(RegistryError, match="not valid TOML"):
        load_registry(path)


def test_unknown_condition_id_lists_the_known_ones() -> None:
    with pytest.raises(RegistryError, match="unknown condition 'cipd'; known: mmn, cidp"):
        load_registry().get("cipd")


def _conditions_of(title: str, abstract: str) -> frozenset[str]:
    """Conditions tagged as the nightly tags them: with the conditions whose queries returned it."""
    article = Article(pmid="1", title=title, abstract=(AbstractSection("", "", abstract),))
    registry = load_registry()
    return frozenset(tag_article(article, registry, Gate(registry).conditions_of(article)).condition_ids)


def test_a_condition_in_a_list_of_indications_is_not_what_a_safety_study_is_about() -> None:
    abstract = (
        "We gave 300 courses of intravenous immunoglobulin for a variety of indications, including "
        "thrombocytopenia, neuropathy, Guillain-Barre syndrome and infections, and recorded renal function."
    )
    assert "gbs" not in _conditions_of("Renal safety of intravenous immunoglobulin", abstract)


def test_a_listed_conditions_abbreviation_is_part_of_the_passing_mention() -> None:
    abstract = (
        "Vaccination has been followed by autoimmune diseases such as thrombocytopenia, Guillain-Barre "
        "syndrome (GBS) and myositis. We treated the patient with intravenous immunoglobulin."
    )
    assert "gbs" not in _conditions_of("Chronic inflammatory demyelinating polyneuropathy after vaccination", abstract)


def test_the_wider_class_of_the_articles_own_condition_is_not_a_condition_of_its_own() -> None:
    abstract = (
        "Juvenile dermatomyositis is the most common form of juvenile idiopathic inflammatory myopathy. "
        "A child was treated with intravenous immunoglobulin."
    )
    found = _conditions_of("Intravenous immunoglobulin in juvenile dermatomyositis", abstract)
    assert "dermatomyositis" in found
    assert "polymyositis" not in found


def test_a_condition_set_against_the_articles_own_is_a_passing_mention() -> None:
    abstract = (
        "One study compared features of this condition with multifocal acquired demyelinating sensory and "
        "motor neuropathy. Intravenous immunoglobulin remains the treatment of choice."
    )
    found = _conditions_of("Multifocal motor neuropathy", abstract)
    assert found == {"mmn"}


def test_chronic_relapsing_guillain_barre_syndrome_is_filed_as_cidp_not_gbs() -> None:
    found = _conditions_of(
        "Intravenous immunoglobulin in chronic relapsing Guillain-Barre syndrome",
        "Ten patients with a relapsing course over years received intravenous immunoglobulin.",
    )
    assert found == {"cidp"}


def test_autoimmune_autonomic_ganglionopathy_is_neither_sensory_neuropathy_nor_sjogren() -> None:
    found = _conditions_of(
        "Intravenous immunoglobulin in autoimmune autonomic ganglionopathy",
        "A woman with orthostatic hypotension and ganglionic acetylcholine receptor antibodies improved "
        "after intravenous immunoglobulin.",
    )
    assert not found & {"sensory_neuropathy", "sjogren"}


def test_hereditary_inclusion_body_myopathy_is_not_inclusion_body_myositis() -> None:
    found = _conditions_of(
        "Intravenous immune globulin in hereditary inclusion body myopathy",
        "Four patients with GNE mutations received intravenous immune globulin.",
    )
    assert "inclusion_body_myositis" not in found


@pytest.mark.parametrize(
    ("title", "condition_id"),
    [
        ("Intravenous immunoglobulin in IgM paraproteinaemic demyelinating neuropathy", "anti_mag"),
        ("Intravenous immunoglobulin in polyneuropathy associated with monoclonal gammopathy", "anti_mag"),
        ("Intravenous immunoglobulin for neuropathy in microscopic polyangiitis", "vasculitic_neuropathy"),
        (
            "Intravenous immunoglobulin for neuropathy in eosinophilic granulomatosis with polyangiitis",
            "vasculitic_neuropathy",
        ),
        ("High-dose immunoglobulin in Lewis-Sumner syndrome", "cidp"),
        ("Immune globulin infusion in stiff person spectrum disorders", "stiff_person"),
        ("Intravenous IgG in MADSAM neuropathy", "cidp"),
        ("Intravenous immunoglobulin in chronic inflammatory polyradiculoneuritis", "cidp"),
        ("Gammaglobulin infusion in Landry's paralysis", "gbs"),
        ("Intravenous immunoglobulin in chronic acquired demyelinating polyneuropathy", "cidp"),
        ("Intravenous immunoglobulin in acute polyradiculoneuropathy", "gbs"),
        ("Intravenous immunoglobulin in acute ophthalmoparesis with anti-GQ1b antibodies", "gbs_variant"),
        ("Intravenous immunoglobulin in myasthenic crises", "myasthenia_gravis"),
        ("Intravenous immunoglobulin in progressive encephalomyelitis with rigidity and myoclonus", "stiff_person"),
        ("Intravenous immunoglobulin in PERM with glycine receptor antibodies", "stiff_person"),
        ("Intravenous immunoglobulin in anti-HMGCR myopathy", "necrotizing_myopathy"),
        ("Intravenous immunoglobulin in anti-signal recognition particle myopathy", "necrotizing_myopathy"),
        ("Intravenous immunoglobulin in paraproteinaemic demyelinating polyneuropathy", "anti_mag"),
        ("Intravenous immunoglobulin in DADS-M neuropathy", "anti_mag"),
        ("Intravenous immunoglobulin in proximal diabetic motor neuropathy", "diabetic_amyotrophy"),
        ("Intravenous immunoglobulin in small-fiber sensory neuropathy", "sensory_neuropathy"),
        ("Intravenous immunoglobulin in mononeuropathy multiplex", "vasculitic_neuropathy"),
        ("Dose requirements of intravenous immunoglobulin in CIDP and MMN", "mmn"),
        ("Intravenous immunoglobulin in Guilain-Barre syndrome", "gbs"),
        ("IVIGs in Guillan-Barre syndrome", "gbs"),
        ("Intravenous immunoglobulin in acute inflammatory neuropathy", "gbs"),
        ("Intravenous immunoglobulin in the PCB variant of acute neuropathy", "gbs_variant"),
        ("Intravenous immunoglobulin in facial diplegia with paraesthesias", "gbs_variant"),
        ("Intravenous immunoglobulin in late-onset myasthenia", "myasthenia_gravis"),
        ("Intravenous immunoglobulin in chronic demyelinating polyneuropathy", "cidp"),
        ("Intravenous immunoglobulin in multifocal acquired motor axonopathy", "mmn"),
        ("Intravenous immunoglobulin in motor neuropathy with anti-GM1 antibodies", "mmn"),
        ("Intravenous immunoglobulin in inflammatory myopathies", "dermatomyositis"),
        ("Intravenous immunoglobulin in inflammatory myopathies", "polymyositis"),
        ("Intravenous immunoglobulin in polyneuropathy associated with MGUS", "anti_mag"),
        ("Intravenous immunoglobulin in macroglobulinaemic neuropathy", "anti_mag"),
        ("Intravenous immunoglobulin in cryoglobulinaemic neuropathy", "vasculitic_neuropathy"),
        ("Intravenous immunoglobulin in stiff-leg syndrome", "stiff_person"),
        ("Intravenous immunoglobulin for SPSD with GAD65 antibodies", "stiff_person"),
    ],
)
def test_a_sub_type_or_older_name_is_filed_under_its_tracked_condition(title: str, condition_id: str) -> None:
    assert condition_id in _conditions_of(title, "We report the course after treatment.")


@pytest.mark.parametrize(
    "title",
    [
        "Intravenous immunoglobulin in Lambert-Eaton myasthenic syndrome",
        "Intravenous immunoglobulin in congenital myasthenic syndromes",
    ],
    ids=["lambert-eaton", "congenital"],
)
def test_a_myasthenic_syndrome_is_not_myasthenia_gravis(title: str) -> None:
    assert "myasthenia_gravis" not in _conditions_of(title, "We report the course after treatment.")


def test_kawasaki_disease_is_a_vasculitis_but_not_vasculitic_neuropathy() -> None:
    found = _conditions_of(
        "Intravenous immunoglobulin in Kawasaki disease", "Kawasaki disease is a systemic vasculitis of childhood."
    )
    assert "vasculitic_neuropathy" not in found


def test_a_title_only_record_naming_gbs_by_its_abbreviation_beside_a_gbs_treatment_is_filed_as_gbs() -> None:
    assert "gbs" in _conditions_of("Intravenous immunoglobulin versus plasmapheresis in GBS", "")


def test_group_b_streptococci_abbreviated_gbs_are_not_guillain_barre_syndrome() -> None:
    title = "Intravenous immunoglobulin in neonatal sepsis caused by group B streptococci (GBS)"
    assert "gbs" not in _conditions_of(title, "")
