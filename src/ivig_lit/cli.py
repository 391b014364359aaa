"""The ``ivig-lit`` command: parse arguments, call the library, print. No SQL, no stage logic.

An ``IvigLitError`` becomes a one-line message and exit status 1; anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ivig_lit import __version__
from ivig_lit.config import Settings, data_dir
from ivig_lit.errors import IvigLitError, PrefectUnavailableError
from ivig_lit.tag.models import DESIGNS, DIRECTIONS

log = logging.getLogger("ivig_lit")


def _handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except IvigLitError as e:
            raise click.ClickException(e.user_message) from e

    return wrapper


_registry_option = click.option(
    "--registry",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Condition registry TOML (default: the bundled one; env IVIG_LIT_REGISTRY).",
)


_warehouse_option = click.option(
    "--warehouse",
    type=click.Path(dir_okay=False, path_type=Path),
    help="DuckDB warehouse file (default: ivig.duckdb in the user data directory, see `ivig-lit --help`; "
    "env IVIG_LIT_WAREHOUSE).",
)


def _warehouse_options(func: Callable[..., Any]) -> Callable[..., Any]:
    return _warehouse_option(_registry_option(func))


def _eutils_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--base-url", help="E-utilities base URL (default NCBI; env IVIG_LIT_BASE_URL)."),
        click.option("--email", help="Contact e-mail sent to NCBI with every request (env IVIG_LIT_EMAIL)."),
        click.option(
            "--api-key",
            help="NCBI API key: 10 instead of 3 requests/s. Prefer env IVIG_LIT_NCBI_API_KEY; never logged or stored.",
        ),
        click.option("--batch-size", type=click.IntRange(1, 10000), help="PMIDs per EFetch request (default 300)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _settings(announce: bool = True, **overrides: Any) -> Settings:
    """Settings from env and flags. Says which warehouse the command uses (on stderr, so output
    stays clean for pipes), since by default it lives outside the current directory; commands
    whose run summary already ends with it pass ``announce=False``."""
    overrides["ncbi_api_key"] = overrides.pop("api_key", None)
    settings = Settings.from_env(**overrides)
    if announce and not click.get_current_context().find_root().params.get("quiet"):
        click.echo(f"warehouse: {settings.warehouse}", err=True)
    return settings


def _export_to_runs(**flags: Any) -> None:
    """Flows read settings from the environment (so the API key never becomes a flow parameter that
    Prefect would store); hand this process's flags to the runs it starts that way."""
    os.environ.update({f"IVIG_LIT_{k.upper()}": str(v) for k, v in flags.items() if v is not None})


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ivig-lit")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
def main(verbose: int, quiet: bool) -> None:
    """Literature surveillance for intravenous immunoglobulin (IVIG) in neurology.

    Searches PubMed for IVIG studies on each tracked condition, tags them by condition and study
    design, keeps them in a DuckDB warehouse, tracks each condition's evidence status and writes a
    weekly digest.

    The warehouse and digests live in the user data directory unless IVIG_LIT_WAREHOUSE /
    IVIG_LIT_DIGEST_DIR or --warehouse / --out say otherwise ($XDG_DATA_HOME/ivig-lit, by default
    ~/.local/share/ivig-lit on Linux). Commands print the warehouse they use on stderr.
    """
    level = logging.WARNING if quiet else logging.DEBUG if verbose > 1 else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if verbose < 2:
        for noisy in ("urllib3", "httpx", "prefect"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


@main.command()
@_warehouse_options
@_eutils_options
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help="Start of the window (default: watermark less overlap)."
)
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), help="End of the window; a bounded backfill keeps watermarks."
)
@click.option("--conditions", help="Comma-separated condition ids (default: all; see `ivig-lit conditions`).")
@click.option("--dry-run", is_flag=True, help="Search and report what would be fetched; write nothing.")
@click.option(
    "--prefect", "use_prefect", is_flag=True, help="Run as the Prefect flow `nightly` (mapped, retried tasks)."
)
@_handle_errors
def nightly(
    warehouse: Path | None,
    registry: Path | None,
    base_url: str | None,
    email: str | None,
    api_key: str | None,
    batch_size: int | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    conditions: str | None,
    dry_run: bool,
    use_prefect: bool,
) -> None:
    """Fetch new and revised PubMed records for every tracked condition, tag and load them.

    The first run backfills everything; later runs search from each condition's watermark (less a
    few days' overlap). Prints a per-condition summary.
    """
    from ivig_lit.nightly import run_nightly

    settings = _settings(
        False, warehouse=warehouse, registry=registry, base_url=base_url, email=email, api_key=api_key,
        batch_size=batch_size,
    )  # fmt: skip
    ids = [c.strip() for c in conditions.split(",")] if conditions else None
    kwargs = {"since": since and since.date(), "until": until and until.date(), "conditions": ids, "dry_run": dry_run}
    summary = None
    if use_prefect:
        from ivig_lit.flows._api import prefect_api
        from ivig_lit.flows.nightly import nightly as nightly_flow

        _export_to_runs(warehouse=warehouse, registry=registry, base_url=base_url, email=email,
                        ncbi_api_key=api_key, batch_size=batch_size)  # fmt: skip
        try:
            with prefect_api():
                summary = nightly_flow(**kwargs)
        except PrefectUnavailableError as e:
            click.echo(f"{e.user_message}\nrunning the same pipeline without Prefect instead", err=True)
    if summary is None:
        summary = run_nightly(settings, progress=True, **kwargs)
    from ivig_lit.report.console import format_run_summary

    click.echo(format_run_summary(summary))


_keep_all_option = click.option(
    "--keep-all", is_flag=True, help="Keep every record, not only those a tracked condition's query finds."
)


@main.command("load-xml")
@_warehouse_options
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@_keep_all_option
@_handle_errors
def load_xml(warehouse: Path | None, registry: Path | None, paths: tuple[Path, ...], keep_all: bool) -> None:
    """Load local PubMed XML files (.xml or .xml.gz): annual baseline or daily update files, saved
    EFetch output, or the older MedlineCitationSet format. Only records a tracked condition's query
    would find are kept; DeleteCitation entries withdraw records.

    Files may come in any order: a record older than the stored revision (by DateRevised, then
    version) is kept as history only, and a withdrawal stands until a later revision arrives."""
    from ivig_lit.ingest import load_xml as load_files
    from ivig_lit.report.console import format_run_summary

    settings = _settings(False, warehouse=warehouse, registry=registry)
    summary = load_files(list(paths), settings, progress=True, keep_all=keep_all)
    click.echo(format_run_summary(summary))
    if summary.failed_files:
        raise click.ClickException("some files could not be read to the end:\n" + "\n".join(summary.failed_files))


@main.command()
@_warehouse_options
@click.argument("paths", nargs=-1, required=True)
@_keep_all_option
@click.option("--dask", "use_dask", is_flag=True, help="Parse and gate files in parallel as Prefect tasks on Dask.")
@click.option("--dask-address", help="Use this running Dask scheduler (implies --dask) instead of a local cluster.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Local Dask workers.")
@_handle_errors
def baseline(
    warehouse: Path | None,
    registry: Path | None,
    paths: tuple[str, ...],
    keep_all: bool,
    use_dask: bool,
    dask_address: str | None,
    workers: int,
) -> None:
    """Load NCBI PubMed baseline and update files (files, folders or globs; .xml.gz) in name order,
    keeping the records in scope. A ledger of loaded files (MD5-checked against NCBI's .md5 files)
    lets a re-run skip what is done and resume after a crash."""
    from ivig_lit.baseline import load_baseline
    from ivig_lit.report.console import format_run_summary

    settings = _settings(False, warehouse=warehouse, registry=registry)
    if use_dask or dask_address:
        from ivig_lit.flows._api import prefect_api
        from ivig_lit.flows.baseline import baseline_flow

        _export_to_runs(registry=registry)
        with prefect_api():
            summary = baseline_flow(dask_address, workers)(list(paths), str(settings.warehouse), keep_all)
    else:
        summary = load_baseline(paths, settings, keep_all=keep_all, progress=True)
    click.echo(format_run_summary(summary))
    if summary.failed_files:
        raise click.ClickException("some files could not be read to the end:\n" + "\n".join(summary.failed_files))


@main.command()
@_warehouse_option
@click.argument("query")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True, help="Output."
)
@_handle_errors
def sql(warehouse: Path | None, query: str, fmt: str) -> None:
    """Run a read-only SQL QUERY against the warehouse, e.g.

    ivig-lit sql "SELECT design, count(*) FROM v_article GROUP BY 1 ORDER BY 2 DESC"

    The query cannot write, attach other databases, read or write files, load extensions or change
    settings: DuckDB itself refuses them on this connection.
    """
    from ivig_lit.report.table import format_table
    from ivig_lit.store.connection import read_rows

    settings = _settings(warehouse=warehouse)
    result = read_rows(settings.warehouse, query)
    click.echo(format_table(result.columns, result.rows, fmt))


@main.command()
@_registry_option
@click.option("--queries", is_flag=True, help="Also print each condition's full PubMed query.")
@_handle_errors
def conditions(registry: Path | None, queries: bool) -> None:
    """List the tracked conditions: id, group, label and baseline assessment."""
    from ivig_lit.registry import load_registry
    from ivig_lit.report.console import format_conditions

    click.echo(format_conditions(load_registry(registry or Settings.from_env().registry), queries))


@main.command()
@_warehouse_options
@click.option("--history", "history_of", metavar="CONDITION", help="Print one condition's status timeline instead.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True, help="Output."
)
@_handle_errors
def status(warehouse: Path | None, registry: Path | None, history_of: str | None, fmt: str) -> None:
    """Current evidence status of every condition next to its baseline (or one condition's history)."""
    from ivig_lit.report.table import format_table
    from ivig_lit.store.connection import read_rows

    settings = _settings(warehouse=warehouse, registry=registry)
    if history_of:
        from ivig_lit.registry import load_registry

        load_registry(settings.registry).get(history_of)  # a clear error for an unknown id
        result = read_rows(settings.warehouse, "status_history", params=[history_of], named=True)
    else:
        result = read_rows(settings.warehouse, "status_current", named=True)
    click.echo(format_table(result.columns, result.rows, fmt))


@main.command()
@_warehouse_options
@click.option("--week", help="ISO week like 2026-W47 (default: the last complete week).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Directory for digest files.")
@click.option("--email/--no-email", "send_email", default=False, help="Also send it over SMTP (IVIG_LIT_SMTP_*).")
@_handle_errors
def digest(warehouse: Path | None, registry: Path | None, week: str | None, out: Path | None, send_email: bool) -> None:
    """Write the weekly digest (Markdown + self-contained HTML): new studies by condition and
    design, status changes, retractions, baseline next to today's status."""
    from ivig_lit.weekly import run_digest

    settings = _settings(warehouse=warehouse, registry=registry, digest_dir=out)
    result = run_digest(settings, week=week, send=send_email)
    for kind, path in result.paths.items():
        click.echo(f"{kind}: {path}")
    if result.sent_to:
        click.echo(f"e-mailed to {', '.join(result.sent_to)}")


@main.command()
@_warehouse_options
@click.option("--condition", metavar="CONDITION", help="Only this condition's trials (see `ivig-lit conditions`).")
@click.option("--overdue", is_flag=True, help="List overdue publications instead of ongoing trials.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Judge overdue publications as of this day.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True, help="Output."
)
@_handle_errors
def trials(
    warehouse: Path | None,
    registry: Path | None,
    condition: str | None,
    overdue: bool,
    today: dt.datetime | None,
    fmt: str,
) -> None:
    """Ongoing randomised IVIG trials per condition, from ClinicalTrials.gov (refreshed by each nightly
    run); with --overdue, trials completed over 12 months ago that no PubMed article cites yet."""
    from ivig_lit.registry import load_registry
    from ivig_lit.report.table import format_table
    from ivig_lit.store.connection import read_rows

    settings = _settings(warehouse=warehouse, registry=registry)
    if condition:
        load_registry(settings.registry).get(condition)  # a clear error for an unknown id
    if overdue:
        as_of = today.date() if today else dt.date.today()
        result = read_rows(settings.warehouse, "trial_overdue", params=[as_of, condition], named=True)
    else:
        result = read_rows(settings.warehouse, "trial_ongoing_rcts", params=[condition], named=True)
    click.echo(format_table(result.columns, result.rows, fmt))


@main.command()
@_warehouse_options
@click.option(
    "--format", "fmt", type=click.Choice(["ris", "csl-json", "csv", "parquet"]), default="ris", show_default=True,
    help="RIS or CSL-JSON for reference managers (Zotero: File > Import...), CSV or Parquet for analysis.",
)  # fmt: skip
@click.option("--condition", metavar="CONDITION", help="Only articles on this condition or group.")
@click.option("--design", help="Comma-separated study designs, e.g. rct,meta_analysis.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only articles that entered PubMed on or after.")
@click.option("--ivig-only", is_flag=True, help="Only IVIG-focused articles.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@_handle_errors
def export(
    warehouse: Path | None,
    registry: Path | None,
    fmt: str,
    condition: str | None,
    design: str | None,
    since: dt.datetime | None,
    ivig_only: bool,
    out: Path | None,
) -> None:
    """Export articles with their tags for a reference manager or a spreadsheet: RIS, CSL-JSON, CSV
    or Parquet, filtered by condition, design, Entrez date and IVIG focus."""
    from ivig_lit.registry import load_registry
    from ivig_lit.report.export import export_articles
    from ivig_lit.store.export import ExportFilter

    settings = _settings(warehouse=warehouse, registry=registry)
    if condition:
        reg = load_registry(settings.registry)
        if condition not in reg.groups:
            reg.get(condition)  # a clear error for an unknown id
    designs = tuple(d.strip() for d in design.split(",") if d.strip()) if design else None
    where = ExportFilter(condition, designs, since and since.date(), ivig_only)
    n, text = export_articles(settings.warehouse, fmt, where, out)
    if text is not None:
        click.echo(text, nl=False)
    click.echo(f"exported {n} article{'' if n == 1 else 's'}" + (f" to {out}" if out else ""), err=True)


@main.command()
@_warehouse_options
@_handle_errors
def retag(warehouse: Path | None, registry: Path | None) -> None:
    """Re-tag every stored article with this version's tagger and summarise what changed."""
    from ivig_lit.report.console import format_run_summary
    from ivig_lit.retag import retag as retag_all

    summary = retag_all(_settings(False, warehouse=warehouse, registry=registry), progress=True)
    click.echo(format_run_summary(summary))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, help="Port (0 = any free port).")
@click.option(
    "--corpus",
    "corpus",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="PubMed XML files to serve (default: the bundled demo corpus).",
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="The emulator's today: later records stay hidden.")
@click.option(
    "--rate-limit/--no-rate-limit", default=False, help="Answer 429 past 3 requests/s (10 with api_key), as NCBI does."
)
@_handle_errors
def emulator(
    host: str,
    port: int,
    corpus: tuple[Path, ...],
    today: dt.datetime | None,
    rate_limit: bool,
) -> None:
    """Serve a local E-utilities emulator (esearch.fcgi, efetch.fcgi) over a PubMed XML corpus,
    for offline runs and tests. Point ivig-lit at it with --base-url or IVIG_LIT_BASE_URL."""
    from ivig_lit.emulator import serve_forever

    serve_forever(list(corpus) or None, host=host, port=port, today=today and today.date(), rate_limit=rate_limit)


@main.command()
@_warehouse_options
@click.option("--days", type=click.IntRange(1, 400), default=35, show_default=True, help="Days to replay.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Directory for digests.")
@_handle_errors
def demo(warehouse: Path | None, registry: Path | None, days: int, out: Path | None) -> None:
    """Offline end-to-end demo: start the emulator on the bundled corpus, replay the last weeks day
    by day (nightly flow each day, weekly digest each Monday) through Prefect without a server,
    then print a per-condition summary, status changes and where the files are.

    Writes demo.duckdb in the user data directory (made anew each time) unless --warehouse names a
    new file; `make demo` uses warehouse/demo.duckdb in the checkout."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # the demo narrates; Prefect's chatter hides it
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # offline: no telemetry
    from ivig_lit.flows._api import prefect_api
    from ivig_lit.flows.demo import run_demo

    _export_to_runs(registry=registry)
    path = warehouse or data_dir() / "demo.duckdb"
    if path.exists():
        if warehouse is not None:
            raise click.ClickException(f"{path} exists; the demo replays into an empty warehouse: pick another path")
        for stale in (path, path.with_name(path.name + ".wal")):
            stale.unlink(missing_ok=True)
    settings = _settings(warehouse=path, registry=registry, digest_dir=out or path.parent / "demo-digests")
    with prefect_api():  # one local API for all 41 runs, given the time a loaded machine needs to start it
        run_demo(settings, days=days)


@main.command()
@_warehouse_options
@_handle_errors
def serve(warehouse: Path | None, registry: Path | None) -> None:
    """Serve the nightly (02:00) and weekly-digest (Monday 06:00) flows on their cron schedules in
    this process (no Prefect Cloud; a self-hosted server is optional). Time zone: IVIG_LIT_TIMEZONE.

    Uses the Prefect API at PREFECT_API_URL when set; otherwise starts a temporary one bound to
    127.0.0.1 (password-protected when PREFECT_SERVER_API_AUTH_STRING is set)."""
    from ivig_lit.flows.deployments import serve_all

    settings = _settings(warehouse=warehouse, registry=registry)
    _export_to_runs(registry=registry)
    serve_all(settings, say=click.echo)


@main.command()
@_warehouse_options
@click.argument("pmid", required=False)
@click.option("--design", type=click.Choice(DESIGNS), help="The article's study design.")
@click.option("--ivig", type=click.Choice(["yes", "no"]), help="Is IVIG a studied treatment (IVIG focus)?")
@click.option("--direction", type=click.Choice(DIRECTIONS), help="Which way a trial or meta-analysis came out.")
@click.option("--add-condition", "add", multiple=True, metavar="ID", help="Tie it to a condition (repeatable).")
@click.option("--remove-condition", "remove", multiple=True, metavar="ID", help="Untie a condition (repeatable).")
@click.option("--confirm", is_flag=True, help="Confirm the current tags as they are (clears needs_review).")
@click.option("--note", help="Why: shown in v_article.curation_note.")
@click.option("--curator", default=lambda: getpass.getuser(), show_default="the OS user", help="Who curates.")
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Bulk CSV/TSV with a header row naming any of: pmid, design, ivig, direction, add_conditions, "
    "remove_conditions, confirm, note, curator. All lines load or none.",
)
@_handle_errors
def curate(
    warehouse: Path | None,
    registry: Path | None,
    pmid: str | None,
    design: str | None,
    ivig: str | None,
    direction: str | None,
    add: tuple[str, ...],
    remove: tuple[str, ...],
    confirm: bool,
    note: str | None,
    curator: str,
    path: Path | None,
) -> None:
    """Correct or confirm an article's tags; the override wins over the tagger and survives retag.

    ivig-lit curate 12345678 --design rct --add-condition cidp --remove-condition gbs --note "randomised"

    Evidence status is recomputed at once; a change is recorded with reason `curation`.
    """
    from ivig_lit.curate import curate as apply_curations
    from ivig_lit.registry import load_registry
    from ivig_lit.store.curation import Curation, read_curation_file

    settings = _settings(warehouse=warehouse, registry=registry)
    reg = load_registry(settings.registry)
    one = pmid is not None or any((design, ivig, direction, add, remove, confirm, note))
    if (path is None) == (not one):
        raise click.UsageError("give either PMID with corrections, or --file (not both)")
    if path is not None:
        curations = read_curation_file(path, reg, curator)
    elif pmid is None:
        raise click.UsageError("missing PMID")
    else:
        ivig_focus = None if ivig is None else ivig == "yes"
        curations = [Curation(pmid, curator, design, ivig_focus, direction, add, remove, confirm, note)]
    result = apply_curations(settings, curations, reg)
    click.echo(f"stored {result.n_overrides} override(s) for {len(result.pmids)} article(s) as {curator}")
    for c in result.status_changes:
        click.echo(f"{c.condition_id}: {c.old_status} -> {c.new_status} (reason: {c.reason}; rule: {c.rule_id})")


@main.command()
@_warehouse_options
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="How many to list.")
@click.option("--condition", metavar="ID", help="Only articles of this condition or group.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True, help="Output."
)
@_handle_errors
def review(warehouse: Path | None, registry: Path | None, limit: int, condition: str | None, fmt: str) -> None:
    """List tags that need a curator, most consequential first (possible RCTs and meta-analyses of a
    tracked condition before case reports; lowest confidence first), with the reason and the
    `ivig-lit curate` command that confirms them (edit the value if it is wrong)."""
    from ivig_lit.registry import load_registry
    from ivig_lit.report.console import format_review_queue
    from ivig_lit.store.curation import read_review_queue
    from ivig_lit.store.warehouse import connect

    settings = _settings(warehouse=warehouse, registry=registry)
    reg = load_registry(settings.registry)
    if condition and condition not in reg.groups:
        reg.get(condition)  # a clear error for an unknown id
    con = connect(settings.warehouse, read_only=True)
    try:
        items = read_review_queue(con, limit=limit, condition=condition)
    finally:
        con.close()
    click.echo(format_review_queue(items, fmt))
