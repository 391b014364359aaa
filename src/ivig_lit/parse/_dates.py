"""PubMed dates: complete Year/Month/Day dates and the partial, free-text publication dates.

A malformed date never fails a record: complete dates become None, and a publication date keeps
whatever parts are valid plus the raw text.
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from ivig_lit.parse.models import PartialDate

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
# "1998 Dec-1999 Jan", "2015 Oct-Dec", "2001 Spring", "2000-2001", "1999 Dec 12-15"
_MEDLINE_DATE = re.compile(r"(?P<year>\d{4})(?:\s+(?P<word>[A-Za-z]+)(?:\s+(?P<day>\d{1,2})(?!\d))?)?")


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
    parts = {child.tag: child.text for child in elem}
    try:
        return dt.date(int(parts.get("Year") or ""), parse_month(parts.get("Month")) or 0, int(parts.get("Day") or ""))
    except ValueError:
        return None


def parse_pub_date(elem: etree._Element | None) -> PartialDate:
    """A journal or book PubDate: Year/Month/Day/Season as written, or a free-text MedlineDate."""
    if elem is None:
        return PartialDate()
    parts = {child.tag: child.text or "" for child in elem}
    if "MedlineDate" in parts:
        return _parse_medline_date(" ".join(parts["MedlineDate"].split()))
    year, month, day, season = (parts.get(tag) for tag in ("Year", "Month", "Day", "Season"))
    raw = " ".join(part.strip() for part in (year, month, day, season) if part and part.strip())
    return _checked(_to_int(year), parse_month(month), _to_int(day), raw or None)


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
