"""The nightly pipeline end to end on plain functions: real client, emulator over HTTP, real
DuckDB file. (One real Prefect flow run lives in tests/flows.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ivig_lit import pipeline
from ivig_lit.config import Settings
from ivig_lit.emulator import Corpus, Emulator
from ivig_lit.errors import EutilsUnavailableError, MalformedFileError, WarehouseLockedError
from ivig_lit.store import warehouse as wh
from tests.cases.records import Rec, write_corpus

D = dt.date
CIDP_RCT = Rec(
    pmid=60000001,
    title="Intravenous immunoglobulin versus placebo in chronic inflammatory demyelinating polyneuropathy",
    abstract="In this randomized, double-blind, placebo-controlled trial, 117 patients with CIDP received IVIG or "
    "placebo. IVIG improved disability compared with placebo.",
    created=D(2026, 11, 2),
    status="In-Process",
)
CIDP_RCT_INDEXED = Rec(
    **{**CIDP_RCT.__dict__, "status": "MEDLINE", "revised": D(2026, 11, 20)},
)
RECORDS = [
    Rec(pmid=60000000 + i, title=f"IVIG in Guillain-Barre syndrome: cohort {i}",
        abstract="We retrospectively reviewed 40 patients with Guillain-Barre syndrome treated with IVIG.",
        created=D(2015 + i % 10, 3, 1)) for i in range(2, 30)
] + [
    CIDP_RCT,
    CIDP_RCT_INDEXED.__class__(**{**CIDP_RCT_INDEXED.__dict__, "publication_types": ("Randomized Controlled Trial",),
                                  "mesh": ("Polyradiculoneuropathy, Chronic Inflammatory Demyelinating",)}),
    Rec(pmid=60000100, title="Late-indexed IVIG study in multifocal motor neuropathy",
        abstract="We report 12 patients with multifocal motor neuropathy treated with IVIG.",
        created=D(2026, 11, 10), entrez=D(2019, 6, 1)),
    Rec(pmid=60000200, title="Statins after stroke", abstract="Statins reduce recurrence.", created=D(2026, 11, 3)),
]  # fmt: skip
SECRET = "s3cr3t-ncbi-key-0123456789"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus.from_files([write_corpus(tmp_path_factory.mktemp("pipeline") / "c.xml", RECORDS)])


@pytest.fixture
def emu(corpus: Corpus) -> Iterator[Emulator]:
    with Emulator(corpus, today=D(2026, 11, 12)) as e:
        yield e


@pytest.fixture
def settings(tmp_path: Path, emu: Emulator) -> Settings:
    return Settings.from_env(
        {}, warehouse=tmp_path / "w.duckdb", base_url=emu.base_url, rate_limit=1000.0, max_tries=2, batch_size=10
    )


def run(settings: Settings, day: dt.date, **kw) -> pipeline.RunSummary:
    return pipeline.run_nightly(settings, now=dt.datetime.combine(day, dt.time(2)), **kw)


def query(settings: Settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def tables(path: Path, skip: set[str]) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    out = {n: sorted(map(repr, con.execute(f"SELECT * FROM {n}").fetchall())) for n in names if n not in skip}
    con.close()
    return out


def test_first_run_backfills_every_condition_and_records_the_run(settings: Settings) -> None:
    summary = run(settings, D(2026, 11, 12))
    assert summary.counts.new == 30 and summary.counts.missing == []
    assert summary.per_condition["gbs"] == 28 and summary.per_condition["cidp"] == 1
    assert query(settings, "SELECT flow, status, n_new, n_missing FROM v_run") == [("nightly", "completed", 30, 0)]
    marks = query(settings, "SELECT DISTINCT kind, watermark FROM _ivig_watermarks ORDER BY 1")
    assert marks == [("crdt", D(2026, 11, 12)), ("ctgov", D(2026, 11, 12)), ("mdat", D(2026, 11, 12))]


def test_off_topic_records_are_not_loaded(settings: Settings) -> None:
    run(settings, D(2026, 11, 12))
    assert query(settings, "SELECT count(*) FROM articles WHERE pmid = '60000200'") == [(0,)]


def test_a_record_added_late_is_found_by_its_create_date(settings: Settings, emu: Emulator) -> None:
    emu.today = D(2026, 11, 5)
    run(settings, D(2026, 11, 5))
    emu.today = D(2026, 11, 12)
    summary = run(settings, D(2026, 11, 12))
    assert summary.counts.new == 1
    late = "SELECT entrez_date, CAST(first_seen AS DATE) FROM articles WHERE pmid = '60000100'"
    assert query(settings, late) == [(D(2019, 6, 1), D(2026, 11, 12))]


def test_rerunning_the_same_window_leaves_every_table_identical(settings: Settings) -> None:
    run(settings, D(2026, 11, 12))
    per_run = {"_ivig_runs", "condition_status_snapshots"}  # one row per run, by design
    before = tables(settings.warehouse, per_run)
    again = run(settings, D(2026, 11, 12), since=D(1990, 1, 1))
    assert (again.counts.new, again.counts.revised) == (0, 0)
    assert tables(settings.warehouse, per_run) == before


def test_a_revised_record_is_refetched_retagged_and_both_versions_kept(settings: Settings, emu: Emulator) -> None:
    run(settings, D(2026, 11, 12))
    emu.today = D(2026, 11, 21)
    summary = run(settings, D(2026, 11, 21))
    assert summary.counts.revised == 1
    assert query(settings, "SELECT count(*) FROM article_versions WHERE pmid = '60000001'") == [(2,)]
    history = query(settings, "SELECT reason FROM article_tag_history WHERE pmid = '60000001' ORDER BY tagged_at")
    assert history[0] == ("new",)
    assert query(settings, "SELECT citation_status FROM articles WHERE pmid = '60000001'") == [("MEDLINE",)]


def test_watermark_does_not_advance_when_the_fetch_fails(settings: Settings, emu: Emulator) -> None:
    emu.faults.set_rate(503, 1.0, endpoint="efetch")
    with pytest.raises(EutilsUnavailableError):
        run(settings, D(2026, 11, 12))
    assert query(settings, "SELECT status, n_new FROM v_run") == [("failed", 0)]
    assert "EFetch" in query(settings, "SELECT error FROM v_run")[0][0]
    assert query(settings, "SELECT count(*) FROM _ivig_watermarks") == [(0,)]


def test_a_rerun_after_a_failure_ends_where_a_clean_run_would(settings: Settings, emu: Emulator, tmp_path) -> None:
    emu.faults.script([503, 503], endpoint="efetch")  # the first batch outlasts max_tries=2
    with pytest.raises(EutilsUnavailableError):
        run(settings, D(2026, 11, 12))
    emu.faults.clear()
    run(settings, D(2026, 11, 12))
    clean = Settings.from_env({}, warehouse=tmp_path / "clean.duckdb", base_url=emu.base_url, rate_limit=1000.0)
    run(clean, D(2026, 11, 12))
    skip = {"_ivig_runs", "_ivig_migrations", "condition_status_snapshots", "status_changes", "notable_additions",
            "_ivig_watermarks",
            "article_query_hits", "article_tag_history", "article_versions", "articles", "article_tags"}  # fmt: skip
    assert tables(settings.warehouse, skip) == tables(clean.warehouse, skip)
    same = "SELECT pmid, content_hash FROM articles ORDER BY 1"
    assert query(settings, same) == query(clean, same)
    tags = "SELECT pmid, design, ivig_focus FROM article_tags ORDER BY 1"
    assert query(settings, tags) == query(clean, tags)


def test_a_pmid_efetch_never_returns_is_recorded_in_the_run(settings: Settings, emu: Emulator) -> None:
    emu.faults.drop_pmids(["60000005"])
    summary = run(settings, D(2026, 11, 12))
    assert summary.counts.missing == ["60000005"]
    assert query(settings, "SELECT n_missing, missing_pmids FROM v_run") == [(1, ["60000005"])]


def test_a_bounded_backfill_leaves_watermarks_alone(settings: Settings) -> None:
    run(settings, D(2026, 11, 12), since=D(2015, 1, 1), until=D(2019, 12, 31))
    assert query(settings, "SELECT count(*) FROM _ivig_watermarks") == [(0,)]
    assert query(settings, "SELECT min(pub_year), max(pub_year) FROM articles") == [(2015, 2019)]


def test_dry_run_searches_but_writes_nothing(settings: Settings) -> None:
    summary = run(settings, D(2026, 11, 12), dry_run=True)
    assert summary.dry_run and summary.counts.new == 30
    assert list(settings.warehouse.parent.iterdir()) == []


def test_dry_run_on_an_existing_warehouse_counts_only_what_is_new(settings: Settings, emu: Emulator) -> None:
    run(settings, D(2026, 11, 5))
    before = tables(settings.warehouse, set())
    emu.today = D(2026, 11, 12)
    summary = run(settings, D(2026, 11, 12), dry_run=True)
    assert summary.counts.new == 1  # the record added late
    assert tables(settings.warehouse, set()) == before


def test_only_the_named_conditions_are_searched(settings: Settings, emu: Emulator) -> None:
    summary = run(settings, D(2026, 11, 12), conditions=["cidp"])
    assert list(summary.per_condition) == ["cidp"]
    assert len(emu.requests.filter(endpoint="esearch")) == 1


def test_the_api_key_never_reaches_the_warehouse(settings: Settings, emu: Emulator) -> None:
    keyed = Settings.from_env({"IVIG_LIT_NCBI_API_KEY": SECRET}, warehouse=settings.warehouse, base_url=emu.base_url,
                              rate_limit=1000.0)  # fmt: skip
    run(keyed, D(2026, 11, 12))
    assert emu.requests[0].params["api_key"] == "***"  # it was sent (and the emulator redacts its own log)
    for rows in tables(settings.warehouse, set()).values():
        assert SECRET not in "".join(rows)
    assert SECRET.encode() not in settings.warehouse.read_bytes()


def test_two_writers_never_write_at_once(settings: Settings) -> None:
    with (
        wh.writer_lock(settings.warehouse),
        pytest.raises(WarehouseLockedError),
        wh.writer_lock(settings.warehouse, timeout=0.2),
    ):
        pass


def test_load_xml_keeps_records_before_a_break_and_names_the_bad_file(settings: Settings, tmp_path: Path) -> None:
    good = write_corpus(tmp_path / "good.xml", RECORDS[:3])
    text = write_corpus(tmp_path / "cut.xml", RECORDS[3:6]).read_text()
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: text.index("<PubmedArticle>", text.index("</PubmedArticle>")) + 40])
    summary = pipeline.load_xml([good, cut], settings)
    assert summary.status == "failed" and summary.counts.new == 4
    assert "cut.xml" in summary.failed_files[0]


def test_load_xml_refuses_a_missing_file_before_writing(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(MalformedFileError, match="no such file"):
        pipeline.load_xml([tmp_path / "nope.xml"], settings)
    assert not settings.warehouse.exists()


def test_load_xml_reads_every_shared_pubmed_file(settings: Settings, shared_data: Path) -> None:
    files = sorted(shared_data.iterdir())
    summary = pipeline.load_xml(files, settings)
    assert summary.status == "completed" and summary.counts.quarantined == 0
    assert summary.counts.new == query(settings, "SELECT count(*) FROM articles")[0][0] > 600


def test_retag_reports_what_changed_and_keeps_history(settings: Settings) -> None:
    run(settings, D(2026, 11, 12))
    con = wh.connect(settings.warehouse)
    con.execute("UPDATE article_tags SET design = 'case_report', tagger_version = '0.0.1' WHERE pmid = '60000001'")
    con.close()
    summary = pipeline.retag(settings)
    assert summary.retag_changes == {"case_report -> rct": 1}
    assert query(settings, "SELECT reason FROM article_tag_history WHERE pmid = '60000001' AND reason = 'retag'")


def test_a_quiet_night_fetches_nothing_already_stored(settings: Settings, emu: Emulator) -> None:
    run(settings, D(2026, 11, 12))
    emu.reset()
    emu.today = D(2026, 11, 13)
    summary = run(settings, D(2026, 11, 13))
    assert emu.requests.filter(endpoint="efetch") == []
    assert (summary.counts.new, summary.counts.revised, summary.counts.fetched) == (0, 0, 0)


def test_run_duration_is_real_time_even_in_a_replayed_past(settings: Settings) -> None:
    run(settings, D(2026, 11, 12))
    ((seconds,),) = query(settings, "SELECT seconds FROM v_run")
    assert 0 < seconds < 60


def test_a_record_that_cannot_be_read_is_quarantined_and_the_rest_load(settings: Settings, tmp_path: Path) -> None:
    text = write_corpus(tmp_path / "mixed.xml", RECORDS[:3]).read_text()
    broken = text.replace('<PMID Version="1">60000003</PMID>', "", 1)
    (tmp_path / "mixed.xml").write_text(broken)
    summary = pipeline.load_xml([tmp_path / "mixed.xml"], settings)
    assert (summary.status, summary.counts.new, summary.counts.quarantined) == ("completed", 2, 1)
    ((stage, reason),) = query(settings, "SELECT stage, reason FROM _ivig_quarantine")
    assert stage == "parse" and "PMID" in reason


def test_a_delete_citation_withdraws_a_stored_article(settings: Settings, tmp_path: Path) -> None:
    pipeline.load_xml([write_corpus(tmp_path / "a.xml", RECORDS[:2])], settings)
    update = tmp_path / "update.xml"
    update.write_text(
        '<?xml version="1.0" ?>\n<PubmedArticleSet><DeleteCitation><PMID Version="1">60000002</PMID>'
        "</DeleteCitation></PubmedArticleSet>\n"
    )
    summary = pipeline.load_xml([update], settings)
    assert summary.counts.deleted == 1
    assert query(settings, "SELECT pmid FROM v_article") == [("60000003",)]


def test_tonights_query_hits_reach_the_tagger(settings: Settings) -> None:
    run(settings, D(2026, 11, 12))
    matched = query(settings, "SELECT matched_by FROM v_article_condition WHERE pmid = '60000001'")
    assert matched == [(["query", "text"],)]


def test_a_retag_that_fails_is_recorded_as_failed(settings: Settings, monkeypatch) -> None:
    run(settings, D(2026, 11, 12))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "_retag_batch", broken)
    with pytest.raises(RuntimeError):
        pipeline.retag(settings)
    assert query(settings, "SELECT flow, status, error FROM v_run WHERE flow = 'retag'") == [
        ("retag", "failed", "RuntimeError: disk full")
    ]
