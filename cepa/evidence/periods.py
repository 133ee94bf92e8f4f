"""Reporting periods: the whole project, a period named in the project file, or one given
on the command line; and which records fall inside one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cepa.base.dates import DateError, Span, parse_point
from cepa.evidence.results import PeriodInfo
from cepa.records.kinds import KINDS
from cepa.records.model import Project
from cepa.records.workspace import Entry


class PeriodError(ValueError):
    """A reporting period a user asked for that cepa cannot understand."""


@dataclass(frozen=True)
class Period:
    span: Span
    name: str | None
    #: the whole project: it also holds the records whose date is not known, and the
    #: outputs delivered after the end (``Kind.may_follow``)
    whole: bool = False

    def info(self) -> PeriodInfo:
        return PeriodInfo(self.name, self.span.start.isoformat(), self.span.end.isoformat())

    def describe(self) -> str:
        """The period in plain English, for messages: 'interim (2005-01-01 to 2005-12-31)'."""
        text = f"{self.span.start} to {self.span.end}"
        return f"{self.name} ({text})" if self.name else text


def resolve_period(project: Project, name: str | None = None, start: str | None = None,
                   end: str | None = None) -> Period:
    """The period a command covers: a named one, ``--from``/``--to``, or the whole project."""
    if name:
        if name in project.reporting_periods:
            return Period(project.reporting_periods[name], name)
        known = ", ".join(project.reporting_periods) or "none are defined"
        raise PeriodError(f"no reporting period named '{name}' in the project file "
                          f"(known: {known})")
    if not start and not end:
        return whole(project)
    try:
        a = parse_point(start).start if start else project.period.start
        b = parse_point(end).end if end else project.period.end
    except DateError as e:
        raise PeriodError(str(e)) from None
    if b < a:
        raise PeriodError(f"the period ends ({b}) before it starts ({a})")
    return Period(Span(a, b, f"{a} to {b}"), None)


def whole(project: Project) -> Period:
    return Period(project.period, None, whole=True)


def named_periods(project: Project) -> list[Period]:
    """The whole project and each reporting period of the project file."""
    return [whole(project),
            *(Period(span, name) for name, span in project.reporting_periods.items())]


def in_period(entries: Iterable[Entry], period: Period) -> tuple[list[Entry], list[Entry]]:
    """Records dated inside the period, and those whose dates reach outside it."""
    inside: list[Entry] = []
    outside: list[Entry] = []
    span = period.span
    for e in entries:
        d = e.record.date
        if d.within(span) or (period.whole and (
                not d.known or (KINDS[e.kind].may_follow and d.start > span.end))):
            inside.append(e)
        else:
            outside.append(e)
    return inside, outside
