"""Dates as projects know them: a day, a month, a span, or a list of days.

``2005-06-14`` is a day, ``2005-06`` a month (the summary often knows only
that much), ``2002`` a year (a source that gives no month), ``{start: 2005-01,
end: 2006-12}`` a span, and ``[2021-05-11, 2021-05-12, 2021-05-14]`` the days of
an event held on days that do not follow each other. Every form becomes a ``Span``
of first and last day, which is all that period filters and range checks need; a
list keeps its days (outputs show it as "11, 12 and 14 May 2021", in the report's
language: cepa/document/language.py).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")
_YEAR = re.compile(r"(\d{4})\Z")


#: What a coordinator writes for a fact that is not known (a date, a count, a place).
UNKNOWN = "unknown"


class DateError(ValueError):
    """A date a user wrote that is not a date."""


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: date
    end: date
    text: str
    #: the days of a list of days; empty for a day, a month or a range
    days: tuple[date, ...] = ()

    @property
    def reversed(self) -> bool:
        return self.end < self.start

    @property
    def known(self) -> bool:
        return self.text != UNKNOWN

    def within(self, other: Span) -> bool:
        """Inside ``other``: never, for a date that is not known."""
        return self.known and other.start <= self.start and self.end <= other.end

    def __str__(self) -> str:
        return self.text


@lru_cache(maxsize=8192)
def parse_point(text: str) -> Span:
    """A day (YYYY-MM-DD) or a month (YYYY-MM) as the span it covers."""
    m = _DAY.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        try:
            day = date(y, mo, d)
        except ValueError as e:
            raise DateError(f"{text} is not a date in the calendar ({e})") from None
        return Span(day, day, text)
    m = _MONTH.match(text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12 or y < 1:
            raise DateError(f"{text} is not a month (months are 01 to 12)")
        return Span(date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]), text)
    m = _YEAR.match(text)
    if m and int(text) >= 1:
        return Span(date(int(text), 1, 1), date(int(text), 12, 31), text)
    raise DateError(f"'{text}' is not a date; write YYYY-MM-DD, YYYY-MM for a month, YYYY "
                    "for a year, or unknown when it is not known")


#: A date that is not known: sorted first, inside no period.
NOT_KNOWN = Span(date.min, date.max, UNKNOWN)


def parse_when(value: object) -> Span:
    """A date field's value: a day, a month, ``{start: ..., end: ...}``, a list of days, or
    ``unknown`` (also ``null``)."""
    if value is None or value == UNKNOWN:
        return NOT_KNOWN
    if isinstance(value, int) and not isinstance(value, bool):  # YAML reads 2002 as a number
        return parse_point(str(value))
    if isinstance(value, str):
        return parse_point(value)
    if isinstance(value, list):
        if not value or not all(isinstance(v, str) and _DAY.match(v) for v in value):
            raise DateError("a list of days is written [YYYY-MM-DD, YYYY-MM-DD, ...]")
        days = tuple(sorted({parse_point(v).start for v in value}))
        return Span(days[0], days[-1], ", ".join(d.isoformat() for d in days), days)
    if isinstance(value, dict):
        extra = set(value) - {"start", "end"}
        if extra or "start" not in value or "end" not in value:
            raise DateError("a date range is written {start: YYYY-MM[-DD], end: YYYY-MM[-DD]}")
        start, end = value["start"], value["end"]
        if not isinstance(start, str) or not isinstance(end, str):
            raise DateError("a date range's start and end are dates, YYYY-MM[-DD]")
        return _range(start, end)
    raise DateError("a date is written YYYY-MM-DD, YYYY-MM, {start: ..., end: ...}, or "
                    "unknown")


@lru_cache(maxsize=8192)
def _range(start: str, end: str) -> Span:
    a, b = parse_point(start), parse_point(end)
    return Span(a.start, b.end, f"{start} to {end}")

