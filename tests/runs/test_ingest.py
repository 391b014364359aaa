"""``load-xml``: local PubMed files load as one recorded run; bad files and bad records are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivig_lit.config import Settings
from ivig_lit.errors import MalformedFileError
from ivig_lit.ingest import load_xml
from tests.cases.records import Rec, write_corpus
from tests.runs.support import RECORDS, query


def test_load_xml_keeps_records_before_a_break_and_names_the_bad_file(settings: Settings, tmp_path: Path) -> None:
    good = write_corpus(tmp_path / "good.xml", RECORDS[:3])
    text = write_corpus(tmp_path / "cut.xml", RECORDS[3:6]).read_text()
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: text.index("<PubmedArticle>", text.index("</PubmedArticle>")) + 40])
    summary = load_xml([good, cut], settings)
    assert summary.status == "failed" and summary.counts.new == 4
    assert "cut.xml" in summary.failed_files[0]


def test_load_xml_refuses_a_missing_file_before_writing(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(MalformedFileError, match="no such file"):
        load_xml([tmp_path / "nope.xml"], settings)
    assert not settings.warehouse.exists()


def test_load_xml_with_keep_all_reads_every_shared_pubmed_file(settings: Settings, shared_data: Path) -> None:
    files = sorted(shared_data.iterdir())
    summary = load_xml(files, settings, keep_all=True)
    assert summary.status == "completed" and summary.counts.quarantined == 0
    assert summary.counts.new == query(settings, "SELECT count(*) FROM articles")[0][0] > 600


def test_load_xml_counts_off_topic_records_and_stores_none_of_them(settings: Settings, shared_data: Path) -> None:
    summary = load_xml([shared_data / "medline16n0902.xml.gz"], settings)
    assert summary.out_of_scope > 500 and summary.counts.new == 0
    assert query(settings, "SELECT count(*) FROM articles") == [(0,)]


def test_a_record_that_cannot_be_read_is_quarantined_and_the_rest_load(settings: Settings, tmp_path: Path) -> None:
    text = write_corpus(tmp_path / "mixed.xml", RECORDS[:3]).read_text()
    broken = text.replace('<PMID Version="1">60000003</PMID>', "", 1)
    (tmp_path / "mixed.xml").write_text(broken)
    summary = load_xml([tmp_path / "mixed.xml"], settings)
    assert (summary.status, summary.counts.new, summary.counts.quarantined) == ("completed", 2, 1)
    ((stage, reason),) = query(settings, "SELECT stage, reason FROM _ivig_quarantine")
    assert stage == "parse" and "PMID" in reason


def test_a_delete_citation_withdraws_a_stored_article(settings: Settings, tmp_path: Path) -> None:
    load_xml([write_corpus(tmp_path / "a.xml", RECORDS[:2])], settings)
    update = tmp_path / "update.xml"
    update.write_text(
        '<?xml version="1.0" ?>\n<PubmedArticleSet><DeleteCitation><PMID Version="1">60000002</PMID>'
        "</DeleteCitation></PubmedArticleSet>\n"
    )
    summary = load_xml([update], settings)
    assert summary.counts.deleted == 1
    assert query(settings, "SELECT pmid FROM v_article") == [("60000003",)]


@pytest.mark.parametrize(("keep_all", "new", "out_of_scope"), [(False, 1, 2), (True, 3, 0)])
def test_load_xml_counts_records_its_pre_filter_skips_unparsed_as_out_of_scope(
    settings: Settings, tmp_path: Path, keep_all: bool, new: int, out_of_scope: int
) -> None:
    off_topic = {"title": "Plasma exchange in myasthenia", "abstract": "No antibodies were given."}
    xml = write_corpus(tmp_path / "c.xml", [Rec(70000001), Rec(70000002, **off_topic), Rec(70000003, **off_topic)])
    summary = load_xml([xml], settings, keep_all=keep_all)
    assert (summary.counts.new, summary.out_of_scope) == (new, out_of_scope)
