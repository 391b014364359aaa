"""The record types: the parser's cheap constructor and shared values give records like any other."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle

import pytest

from ivig_lit.parse._memo import MAX_ENTRIES, remember
from ivig_lit.parse.models import (
    AbstractSection,
    Article,
    Author,
    CommentCorrection,
    PartialDate,
    fast_constructor,
)

CASES = [
    (
        Article,
        {
            "pmid": "90000001",
            "title": "T",
            "pub_date": PartialDate(2024, 1),
            "history": (("entrez", dt.date(2024, 1, 2)),),
        },
    ),
    (Article, {"pmid": "90000002"}),
    (Author, {"last_name": "Doe", "affiliations": ("Somewhere.",)}),
    (AbstractSection, {"label": "RESULTS", "category": "RESULTS", "text": "None."}),
    (CommentCorrection, {"ref_type": "ErratumIn", "pmid": "90000003"}),
]


@pytest.mark.parametrize(("cls", "fields"), CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_fast_constructor_builds_a_record_equal_to_the_class_call(cls: type, fields: dict) -> None:
    fast, slow = fast_constructor(cls)(**fields), cls(**fields)
    assert (type(fast), fast, hash(fast), repr(fast)) == (cls, slow, hash(slow), repr(slow))


def test_fast_constructor_records_stay_frozen() -> None:
    author = fast_constructor(Author)("Doe")
    with pytest.raises(dataclasses.FrozenInstanceError):
        author.last_name = "Roe"  # type: ignore[misc]


def test_fast_constructor_gives_each_record_its_own_default_values() -> None:
    new_article = fast_constructor(Article)
    first, second = new_article(pmid="1"), new_article(pmid="2")
    assert first.pub_date == PartialDate() and first.authors == () and first.to_dict()["pmid"] == "1"
    assert first.pub_date is not second.pub_date


def test_fast_constructor_refuses_a_class_that_is_not_a_slotted_dataclass() -> None:
    @dataclasses.dataclass(frozen=True)
    class Plain:
        name: str

    with pytest.raises(TypeError, match="Plain is not a slotted dataclass"):
        fast_constructor(Plain)


def test_a_full_memo_table_is_emptied_so_memory_stays_bounded() -> None:
    table: dict[int, int] = {n: n for n in range(MAX_ENTRIES)}
    assert remember(table, -1, 7) == 7
    assert table == {-1: 7}


def test_fast_constructor_records_pickle_copy_and_replace_like_any_other() -> None:
    article = fast_constructor(Article)(pmid="90000001", authors=(fast_constructor(Author)("Doe"),))
    assert pickle.loads(pickle.dumps(article)) == article
    assert copy.deepcopy(article) == article
    assert dataclasses.replace(article, title="New").title == "New"
    assert Article.from_dict(article.to_dict()) == article
