"""The generator reads its conditions and design vocabulary from the registry and the tagger's
design rules: a condition a user's registry adds gets papers that search and tagging find."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivig_lit.emulator import Corpus
from ivig_lit.emulator.generate import generate_corpus
from ivig_lit.emulator.generate.vocabulary import paper_names, vocabulary
from ivig_lit.emulator.query import evaluate
from ivig_lit.errors import RegistryError
from ivig_lit.parse.models import Article
from ivig_lit.parse.pubmed_xml import iter_articles
from ivig_lit.registry import default_registry_path, load_registry
from ivig_lit.tag.designs import design_rules
from ivig_lit.tag.tagger import tag_article

REGISTRY = load_registry()
LEMS = """
[[condition]]
id = "lems"
label = "Lambert-Eaton myasthenic syndrome"
mesh = ["Lambert-Eaton Myasthenic Syndrome"]
synonyms = ["lambert-eaton myasthenic syndrome", "lambert-eaton*", "eaton-lambert syndrome"]
abbreviations = ["LEMS"]
[condition.baseline]
text = "Small crossover trials."
grade = "single_rct_support"
"""


@pytest.fixture(scope="module")
def user_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled registry plus a condition of the user's own."""
    path = tmp_path_factory.mktemp("registry") / "conditions.toml"
    path.write_text(default_registry_path().read_text(encoding="utf-8") + LEMS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def lems_papers(user_registry: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Article]]:
    out = tmp_path_factory.mktemp("generated") / "corpus.xml"
    generate_corpus(600, seed=3, out_path=out, scenario=False, registry=load_registry(user_registry))
    articles = [a for a in iter_articles(out) if isinstance(a, Article) and "lambert" in a.title.lower()]
    return out, articles


def test_a_condition_added_in_a_user_registry_gets_papers_that_name_it(lems_papers) -> None:
    _, articles = lems_papers
    assert len(articles) >= 8


def test_the_tagger_files_the_user_conditions_papers_under_it(user_registry: Path, lems_papers) -> None:
    registry = load_registry(user_registry)
    _, articles = lems_papers
    tagged = [a for a in articles if "lems" in tag_article(a, registry).condition_ids]
    assert len(tagged) == len(articles)


def test_the_user_conditions_search_finds_its_papers(user_registry: Path, lems_papers) -> None:
    registry = load_registry(user_registry)
    path, articles = lems_papers
    corpus = Corpus.from_files([path])
    found = {corpus.docs[i].pmid for i in evaluate(registry.search_query("lems"), corpus)}
    assert {a.pmid for a in articles} <= found


def test_condition_names_and_mesh_come_from_the_registry() -> None:
    cidp = vocabulary().conditions["cidp"]
    assert cidp.names[0] == "chronic inflammatory demyelinating polyneuropathy"  # from the label
    assert "chronic inflammatory demyelinating polyradiculoneuritis" in cidp.names  # a plain registry synonym
    assert cidp.mesh == (("Polyradiculoneuropathy, Chronic Inflammatory Demyelinating", "D020277"),)
    assert cidp.abbreviation == "CIDP"


def test_a_label_keeps_an_eponyms_capital_and_drops_a_sentence_capital() -> None:
    assert vocabulary().conditions["gbs"].names[0] == "Guillain-Barré syndrome"
    assert vocabulary().conditions["mmn"].names[0] == "multifocal motor neuropathy"


def test_every_design_publication_type_is_one_the_design_rules_read_as_that_design() -> None:
    rules = design_rules()
    for design, types in vocabulary().publication_types.items():
        own = [name for name, _ in types if (rules.decisive_pts | rules.weak_pts).get(name) == design]
        assert own or design in ("case_series", "preclinical", "other", "case_control"), design


def test_a_condition_the_tagger_cannot_recognise_by_any_plain_name_is_a_clear_error() -> None:
    registry = load_registry()
    odd = registry.get("cidp").__class__(
        id="odd", label="Zq", query="zq[tiab]", baseline=registry.get("cidp").baseline, synonyms=("zq*",)
    )
    with pytest.raises(RegistryError, match="cannot generate records for condition 'odd'"):
        paper_names(odd, registry)
