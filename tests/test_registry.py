"""The condition registry: defaults, validation of user files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ivig_lit.errors import RegistryError
from ivig_lit.registry import default_registry_path, load_registry, parse_registry

DEFAULT_IDS = (
    "mmn", "cidp", "gbs", "gbs_variant", "myasthenia_gravis", "stiff_person", "dermatomyositis", "polymyositis",
    "inclusion_body_myositis", "necrotizing_myopathy", "anti_mag", "diabetic_amyotrophy", "sensory_neuropathy",
    "vasculitic_neuropathy", "sjogren",
)  # fmt: skip


def _default() -> dict:
    return tomllib.loads(default_registry_path().read_text(encoding="utf-8"))


def test_default_registry_tracks_the_fifteen_conditions_in_order() -> None:
    assert load_registry().ids == DEFAULT_IDS


def test_the_four_myopathies_form_the_inflammatory_myopathy_group() -> None:
    assert load_registry().groups == {
        "inflammatory_myopathy": ("dermatomyositis", "polymyositis", "inclusion_body_myositis", "necrotizing_myopathy")
    }


def test_search_query_combines_condition_and_ivig_blocks() -> None:
    query = load_registry().search_query("cidp")
    assert query.startswith('("polyradiculoneuropathy, chronic inflammatory demyelinating"[mh]')
    assert query.endswith('"intravenous gammaglobulin*"[tiab])')
    assert ") AND (" in query


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
    ],
    ids=["unknown-key", "duplicate-id", "empty-query", "empty-ivig-query", "bad-grade", "missing-label", "bad-id",
         "synonyms-not-list", "unknown-top-level"],
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
