"""Date windows for incremental searches, expressed as PubMed date-range terms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FIELDS = ("crdt", "edat", "mdat", "pdat")


@dataclass(frozen=True, slots=True)
class DateWindow:
    """An inclusive range of calendar days on one PubMed date field.

    ``crdt`` (create date) finds new records: NCBI resets EDAT to the publication date for records
    added late, so an EDAT window would miss them. ``mdat`` (modification date) finds revisions.
    """

    field: str
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.field not in FIELDS:
            raise ValueError(f"unknown date field {self.field!r}; use one of {', '.join(FIELDS)}")
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def term(self) -> str:
        return f'("{self.start:%Y/%m/%d}"[{self.field}] : "{self.end:%Y/%m/%d}"[{self.field}])'

    def split(self) -> tuple[DateWindow, DateWindow]:
        """Two halves that cover the window exactly, for searches past the ESearch cap."""
        mid = self.start + dt.timedelta(days=(self.days - 1) // 2)
        return DateWindow(self.field, self.start, mid), DateWindow(self.field, mid + dt.timedelta(days=1), self.end)

    def __str__(self) -> str:
        return f"{self.field} {self.start}..{self.end}"
