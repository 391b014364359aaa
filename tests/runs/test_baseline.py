"""``baseline``: baseline then update files load in name order with a ledger of what is done, so a
re-run skips loaded files and a broken download is refused by its NCBI checksum."""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from dataclasses import replace
from pathlib import Path

import pytest

from ivig_lit.baseline import FileJob, expand_paths, group_jobs, load_baseline
from ivig_lit.batch import Pretagged, tag_articles
from ivig_lit.config import Settings
from ivig_lit.emulator.generate import generate_corpus
from ivig_lit.errors import ChecksumMismatchError, InvalidArgumentError
from ivig_lit.gate import Gate
from ivig_lit.ingest import load_xml
from ivig_lit.parse import iter_articles, parse_article_xml
from ivig_lit.parse.models import Article
from ivig_lit.registry import load_registry
from ivig_lit.store import warehouse as wh
from tests.cases.records import Rec, record_xml, write_corpus
from tests.runs.support import RECORDS, query

OFF_TOPIC = Rec(70000001, title="Statins after myocardial infarction", abstract="A cohort of 500 patients.")
DELETE = (
    '<?xml version="1.0" ?>\n<PubmedArticleSet><DeleteCitation><PMID Version="1">60000002</PMID>'
    "</DeleteCitation></PubmedArticleSet>\n"
)


def _gz(path: Path, records: list[Rec]) -> Path:
    """A file shaped as NCBI publishes it: gzipped XML with its ``.md5`` beside it."""
    text = write_corpus(path.with_suffix(""), records).read_bytes()
    path.with_suffix("").unlink()
    path.write_bytes(gzip.compress(text))
    Path(f"{path}.md5").write_text(f"MD5({path.name})= {hashlib.md5(path.read_bytes()).hexdigest()}\n")
    return path


@pytest.fixture
def ncbi(tmp_path: Path) -> Path:
    folder = tmp_path / "ncbi"
    folder.mkdir()
    _gz(folder / "pubmed25n0001.xml.gz", [*RECORDS[:3], OFF_TOPIC])
    _gz(folder / "pubmed25n0002.xml.gz", RECORDS[3:5])
    (folder / "pubmed25n1300.xml").write_text(DELETE)  # an update file, after the baseline
    return folder


def test_a_folder_expands_to_its_pubmed_files_in_name_order(ncbi: Path) -> None:
    assert [p.name for p in expand_paths([ncbi])] == [
        "pubmed25n0001.xml.gz",
        "pubmed25n0002.xml.gz",
        "pubmed25n1300.xml",
    ]


def test_a_glob_that_matches_nothing_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgumentError, match="nope"):
        expand_paths([str(tmp_path / "nope*.xml.gz")])


def test_baseline_loads_records_in_scope_and_applies_updates_in_order(settings: Settings, ncbi: Path) -> None:
    summary = load_baseline([ncbi], settings)
    assert (summary.status, summary.counts.new, summary.counts.deleted, summary.out_of_scope) == ("completed", 5, 1, 1)
    assert query(settings, "SELECT count(*) FROM v_article") == [(4,)]


def test_a_rerun_skips_every_file_the_ledger_holds(settings: Settings, ncbi: Path) -> None:
    load_baseline([ncbi], settings)
    again = load_baseline([str(ncbi / "*.xml*")], settings)
    assert (again.counts.fetched, again.counts.new, again.out_of_scope) == (0, 0, 0)
    assert query(settings, "SELECT file_name, n_records, n_kept FROM _ivig_file_ledger ORDER BY 1") == [
        ("pubmed25n0001.xml.gz", 4, 3),
        ("pubmed25n0002.xml.gz", 2, 2),
        ("pubmed25n1300.xml", 0, 0),
    ]


def test_a_file_that_breaks_off_is_not_in_the_ledger_and_loads_on_the_next_run(settings: Settings, ncbi: Path) -> None:
    update = ncbi / "pubmed25n1301.xml"
    text = write_corpus(update, RECORDS[5:7]).read_text()
    update.write_text(text[: text.index("</PubmedArticle>") + 20])
    first = load_baseline([ncbi], settings)
    assert first.status == "failed" and "pubmed25n1301.xml" in first.failed_files[0]
    write_corpus(update, RECORDS[5:7])
    second = load_baseline([ncbi], settings)
    assert (second.status, second.counts.fetched) == ("completed", 2)


def test_a_file_that_does_not_match_its_md5_is_refused_before_loading(settings: Settings, ncbi: Path) -> None:
    Path(ncbi / "pubmed25n0002.xml.gz.md5").write_text("MD5(pubmed25n0002.xml.gz)= 0123456789abcdef\n")
    with pytest.raises(ChecksumMismatchError, match=r"pubmed25n0002\.xml\.gz: MD5 \w+ does not match"):
        load_baseline([ncbi], settings)
    assert not settings.warehouse.exists()


def test_keep_all_stores_off_topic_records_too(settings: Settings, ncbi: Path) -> None:
    summary = load_baseline([ncbi], settings, keep_all=True)
    assert (summary.counts.new, summary.out_of_scope) == (6, 0)


def test_the_run_summary_says_how_many_records_were_out_of_scope(settings: Settings, ncbi: Path) -> None:
    from ivig_lit.report.console import format_run_summary

    text = format_run_summary(load_baseline([ncbi], settings))
    assert "  out of scope (the relevance gate counted them, nothing stored): 1" in text.splitlines()


def test_baseline_keeps_exactly_the_records_the_gate_finds_when_every_record_is_parsed(
    settings: Settings, tmp_path: Path
) -> None:
    mixed = tmp_path / "pubmed26n0001.xml"
    generate_corpus(400, 3, mixed, scenario=False)  # the generator's mix: about 40% in scope
    gate = Gate(load_registry())
    parsed = [a for a in iter_articles(mixed) if isinstance(a, Article)]
    in_scope = {a.pmid for a in parsed if gate.is_in_scope(a)}
    summary = load_baseline([mixed], settings)
    assert summary.out_of_scope == len(parsed) - summary.counts.fetched > 0
    assert {pmid for (pmid,) in query(settings, "SELECT pmid FROM v_article")} == in_scope


def test_baseline_skips_off_topic_records_unparsed_so_their_faults_are_not_quarantined(
    settings: Settings, tmp_path: Path
) -> None:
    path = write_corpus(tmp_path / "pubmed26n0001.xml", [RECORDS[0], OFF_TOPIC])
    broken = f'<PMID Version="x">{OFF_TOPIC.pmid}</PMID>'
    path.write_text(re.sub(rf'<PMID Version="1">{OFF_TOPIC.pmid}</PMID>', broken, path.read_text()))
    summary = load_baseline([path], settings)
    assert (summary.counts.new, summary.counts.quarantined, summary.out_of_scope) == (1, 0, 1)
    mirror = replace(settings, warehouse=tmp_path / "mirror.duckdb")
    assert load_baseline([path], mirror, keep_all=True).counts.quarantined == 1


def test_small_files_share_a_task_until_it_holds_task_bytes(tmp_path: Path) -> None:
    sizes = {"pubmed25n0001.xml": 30, "pubmed25n0002.xml": 50, "pubmed25n0003.xml": 200, "pubmed25n0004.xml": 10}
    jobs = []
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
        jobs.append(FileJob(str(tmp_path / name), str(tmp_path), load_registry(), False))
    groups = group_jobs(jobs, task_bytes=64)
    assert [[Path(j.path).name[-8:-4] for j in g] for g in groups] == [["0001", "0002"], ["0003"], ["0004"]]


def test_the_writer_commits_several_small_files_and_their_ledger_rows_in_one_transaction(
    settings: Settings, ncbi: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened, real_open = [], wh.open_writer

    def open_writer(path: Path, **kwargs: float) -> object:
        opened.append(path)
        return real_open(path, **kwargs)

    monkeypatch.setattr(wh, "open_writer", open_writer)
    summary = load_baseline([ncbi], settings)
    assert (summary.counts.new, len(opened)) == (5, 4)  # start the run, read the ledger, write 3 files, finish
    assert query(settings, "SELECT count(*) FROM _ivig_file_ledger") == [(3,)]


TAG_COLUMNS = "pmid, design, design_evidence, ivig_focus, ivig_evidence, comparator, n_participants, direction"


def test_baseline_stores_the_same_tags_as_load_xml(settings: Settings, ncbi: Path, tmp_path: Path) -> None:
    load_baseline([ncbi], settings)
    other = Settings.from_env({}, warehouse=tmp_path / "load-xml.duckdb")
    load_xml(expand_paths([ncbi]), other)
    articles = f"SELECT {TAG_COLUMNS} FROM v_article ORDER BY pmid"
    conditions = "SELECT pmid, condition_id, matched_by FROM v_article_condition ORDER BY ALL"
    assert query(settings, articles) == query(other, articles) != []
    assert query(settings, conditions) == query(other, conditions) != []


def test_progress_shows_records_kept_rate_and_eta(
    settings: Settings, ncbi: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="ivig_lit.progress"):
        load_baseline([ncbi], settings, progress=True)
    last = [r.getMessage() for r in caplog.records][-1]
    assert re.fullmatch(r"Baseline: files: 3/3 \(100%\); 6 records, 5 kept, [\d,]+ records/s, ETA 0:00:00", last)


def test_the_closing_line_gives_the_cpu_seconds_of_the_writer_and_of_each_worker_on_its_files(
    settings: Settings, ncbi: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="ivig_lit.baseline"):
        load_baseline([ncbi], settings)
    closing = caplog.records[-1].getMessage()
    assert re.fullmatch(
        r"baseline: 6 records, 5 kept in [\d.]+ s; CPU-s: this process [\d.]+ \(writer [\d.]+\), "
        r"workers \S+:\d+ [\d.]+ \(3 files, [\d.]+ on them\)",
        closing,
    )


@pytest.fixture
def article() -> Article:
    return parse_article_xml(record_xml(RECORDS[0]))


def _worker_tags(article: Article, hits: frozenset[str]) -> Pretagged:
    """Tags as a worker would send them, marked so a reuse is visible."""
    [tagged], _ = tag_articles([article], load_registry(), {article.pmid: hits}, "worker")
    return {article.pmid: (hits, replace(tagged, direction="marked"))}


def test_the_writer_reuses_a_workers_tags_for_the_same_content_and_query_hits(article: Article) -> None:
    hits = {article.pmid: frozenset({"gbs"})}
    [tagged], _ = tag_articles(
        [article], load_registry(), hits, "writer", pretagged=_worker_tags(article, hits[article.pmid])
    )
    assert tagged.direction == "marked"


def test_the_writer_tags_again_when_the_stored_query_hits_differ_from_the_workers(article: Article) -> None:
    hits = {article.pmid: frozenset({"gbs", "cidp"})}
    [tagged], _ = tag_articles(
        [article], load_registry(), hits, "writer", pretagged=_worker_tags(article, frozenset({"gbs"}))
    )
    assert tagged.direction != "marked"
