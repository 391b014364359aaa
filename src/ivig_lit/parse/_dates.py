"""PubMed dates: complete Year/Month/Day dates and the partial, free-text publication dates.

A malformed date never fails a record: complete dates become None, and a publication date keeps
whatever parts are valid plus the raw text. A file holds a few hundred distinct dates across tens of
thousands of records, so each distinct date is parsed once (keyed by its raw parts) and shared.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from lxml import etree

from ivig_lit.parse._memo import remember
from ivig_lit.parse.models import PartialDate

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
# "1998 Dec-1999 Jan", "2015 Oct-Dec", "2001 Spring", "2000-2001", "1999 Dec 12-15"
_MEDLINE_DATE = re.compile(r"(?P<year>\d{4})(?:\s+(?P<word>[A-Za-z]+)(?:\s+(?P<day>\d{1,2})(?!\d))?)?")
_PUB_DATE_TAGS = {"Year": 0, "Month": 1, "Day": 2, "Season": 3, "MedlineDate": 4}
_FULL_DATES: dict[tuple[str | None, ...], dt.date | None] = {}
_PUB_DATES: dict[tuple[str | None, ...], PartialDate] = {}
_EMPTY = PartialDate()


def parse_month(text: str | None) -> int | None:
    """Month as a number from "Jan", "January", "01" or "1"; seasons and junk give None."""
    if not text:
        return None
    text = text.strip()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(text[:3].lower())


def parse_full_date(elem: etree._Element | None) -> dt.date | None:
    """A Year/Month/Day element (DateCompleted, ArticleDate, PubMedPubDate...) or None if invalid."""
    if elem is None:
        return None
    year = month = day = None
    for child in elem:  # the last of a repeated part wins
        tag = child.tag
        if tag == "Year":
            year = child.text
        elif tag == "Month":
            month = child.text
        elif tag == "Day":
            day = child.text
    key = (year, month, day)
    try:
        return _FULL_DATES[key]
    except KeyError:
        pass
    try:
        date: dt.date | None = dt.date(int(year or ""), parse_month(month) or 0, int(day or ""))
    except ValueError:
        date = None
    return remember(_FULL_DATES, key, date)


def parse_pub_date(elem: etree._Element | None) -> PartialDate:
    """A journal or book PubDate: Year/Month/Day/Season as written, or a free-text MedlineDate."""
    if elem is None:
        return _EMPTY
    parts: list[Any] = [None, None, None, None, None]  # Year, Month, Day, Season, MedlineDate
    for child in elem:
        index = _PUB_DATE_TAGS.get(child.tag)
        if index is not None:
            parts[index] = child.text or ""
    key = tuple(parts)
    try:
        return _PUB_DATES[key]
    except KeyError:
        pass
    year, month, day, season, medline_date = parts
    if medline_date is not None:
        return remember(_PUB_DATES, key, _parse_medline_date(" ".join(medline_date.split())))
    raw = " ".join(part.strip() for part in (year, month, day, season) if part and part.strip())
    return remember(_PUB_DATES, key, _checked(_to_int(year), parse_month(month), _to_int(day), raw or None))


def _parse_medline_date(raw: str) -> PartialDate:
    match = _MEDLINE_DATE.search(raw)
    if match is None:
        return PartialDate(raw=raw or None)
    month = parse_month(match["word"]) if match["word"] else None
    day = _to_int(match["day"]) if month else None
    return _checked(int(match["year"]), month, day, raw)


def _checked(year: int | None, month: int | None, day: int | None, raw: str | None) -> PartialDate:
    """Drop the parts that do not make a real calendar date (day 31 in April, year 0...)."""
    if year is None or not dt.MINYEAR <= year <= dt.MAXYEAR:
        return PartialDate(raw=raw)
    if month is None:
        return PartialDate(year, None, None, raw)
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        day = None
    return PartialDate(year, month, day, raw)


def _to_int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None
