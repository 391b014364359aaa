"""Settings from the environment: types, validation, secrets kept out of sight."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ivig_lit.cli import main
from ivig_lit.config import Settings
from ivig_lit.errors import ConfigError
from ivig_lit.fetch.eutils import EutilsClient
from tests.cases.records import Rec, write_corpus


def test_environment_variables_fill_typed_fields() -> None:
    s = Settings.from_env({"IVIG_LIT_BATCH_SIZE": "250", "IVIG_LIT_WAREHOUSE": "/tmp/w.duckdb",
                           "IVIG_LIT_DIGEST_TO": "a@x.org, b@x.org", "IVIG_LIT_SMTP_STARTTLS": "yes"})  # fmt: skip
    assert (s.batch_size, s.warehouse, s.digest_to, s.smtp_starttls) == (
        250,
        Path("/tmp/w.duckdb"),
        ("a@x.org", "b@x.org"),
        True,
    )


def test_cli_overrides_win_over_the_environment() -> None:
    assert Settings.from_env({"IVIG_LIT_BATCH_SIZE": "250"}, batch_size=400).batch_size == 400


def test_api_key_raises_the_rate_and_is_hidden_from_repr() -> None:
    s = Settings.from_env({"IVIG_LIT_NCBI_API_KEY": "sekrit-key"})
    assert s.requests_per_second == 10.0
    assert "sekrit-key" not in repr(s)


def test_without_a_key_the_rate_is_three_per_second() -> None:
    assert Settings.from_env({}).requests_per_second == 3.0


def test_a_faster_rate_is_refused_for_ncbi_when_fetching() -> None:
    with pytest.raises(ConfigError, match="IVIG_LIT_RATE_LIMIT may not be set for NCBI's E-utilities"):
        EutilsClient.from_settings(Settings.from_env({}, rate_limit=50.0))


@pytest.mark.parametrize("command", [["status"], ["sql", "SELECT count(*) AS n FROM v_article"], ["load-xml"]])
def test_a_rate_limit_does_not_stop_commands_that_never_fetch(command: list[str], tmp_path: Path) -> None:
    xml = write_corpus(tmp_path / "one.xml", [Rec(pmid=82000001)])
    warehouse = ["--warehouse", str(tmp_path / "w.duckdb")]
    assert CliRunner().invoke(main, ["load-xml", *warehouse, str(xml)]).exit_code == 0
    args = [*command[:1], *warehouse, *command[1:]] + ([str(xml)] if command == ["load-xml"] else [])
    result = CliRunner(env={"IVIG_LIT_RATE_LIMIT": "50"}).invoke(main, args)
    assert result.exit_code == 0, result.output


def test_a_non_numeric_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="IVIG_LIT_BATCH_SIZE must be a int"):
        Settings.from_env({"IVIG_LIT_BATCH_SIZE": "lots"})


def test_batch_size_out_of_range_is_refused() -> None:
    with pytest.raises(ConfigError, match="batch_size"):
        Settings.from_env({}, batch_size=0)
