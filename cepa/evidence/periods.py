"""Reporting periods: the whole project, a period named in the project file, or one given
on the command line; and which records fall inside one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cepa.base.dates import DateError, Span, parse_point
from cepa.evidence.results import LeftOut, LeftOutReason, PeriodInfo
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
            return named(project, name)
        known = ", ".join(project.reporting_periods) or "none are defined"
        s, e = project.period.start, project.period.end
        raise PeriodError(f"no reporting period named '{name}' in the project file "
                          f"(known: {known}); add it there, e.g. reporting_periods: "
                          f"{{{name}: {{start: {s:%Y-%m}, end: {e:%Y-%m}}}}}")
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


def named(project: Project, name: str) -> Period:
    """A reporting period of the project file. One that spans the whole project (a final
    report's) is the whole project: it holds the records whose date is not known too."""
    span = project.reporting_periods[name]
    covers = span.start <= project.period.start and span.end >= project.period.end
    return Period(span, name, whole=covers)


def named_periods(project: Project) -> list[Period]:
    """The whole project and each reporting period of the project file."""
    return [whole(project), *(named(project, name) for name in project.reporting_periods)]


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


def uncertain(outside: Iterable[Entry], period: Period) -> list[Entry]:
    """The records left out of a period that may fall in it, in part or whole: not dated,
    or dated across its edge."""
    span = period.span
    return [e for e in outside if not e.record.date.known
            or (e.record.date.start <= span.end and e.record.date.end >= span.start)]


def left_out(outside: Iterable[Entry], period: Period) -> list[LeftOut]:
    """The records ``in_period`` left out, by kind and why: dated across the period's
    edge, not dated, before it or after it."""
    groups: dict[tuple[str, LeftOutReason], list[str]] = {}
    span = period.span
    for e in outside:
        d = e.record.date
        if not d.known:
            reason = LeftOutReason.UNDATED
        elif d.end < span.start:
            reason = LeftOutReason.BEFORE
        elif d.start > span.end:
            reason = LeftOutReason.AFTER
        else:
            reason = LeftOutReason.REACHES_OUTSIDE
        groups.setdefault((e.kind, reason), []).append(e.record.id)
    order = list(LeftOutReason)
    kinds = list(KINDS)
    return [LeftOut(kind, reason, ids) for (kind, reason), ids in sorted(
        groups.items(), key=lambda kv: (order.index(kv[0][1]), kinds.index(kv[0][0])
                                        if kv[0][0] in kinds else len(kinds)))]


def of_project(project: Project, name: str | None) -> Period:
    """The period a claim or target speaks of: a reporting period named in the project
    file, else the whole project (an unknown name is the whole project; validate says so)."""
    if name and name in project.reporting_periods:
        return named(project, name)
    return whole(project)
