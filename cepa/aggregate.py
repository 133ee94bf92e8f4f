"""The aggregation core: every figure cepa shows is computed here, once.

``summarize`` turns a loaded workspace into a plain, JSON-ready dict: totals by
activity, country, partner, sector and year, visits, interviews, feedback,
outcomes, primary participants, targets against actuals, planned against
implemented, and the narrative's claims with their status. ``coverage``
builds the objective-coverage matrix. ``quantity`` evaluates the small query
language that claims and targets share. The CLI, the Word report and the
spreadsheets all read from these functions and compute nothing themselves.

A figure is ``{"value": n, "estimated": bool}``: estimated when any record
behind it marks that figure as an estimate.
"""

from __future__ import annotations

import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cepa.dates import DateError, Span, parse_point
from cepa.model import Project, Quantity
from cepa.project import Entry, Workspace

# --- figures -----------------------------------------------------------------------


def fig(value: int | float | None, estimated: bool = False) -> dict[str, Any]:
    return {"value": value, "estimated": bool(estimated)}


class Acc:
    """A running sum that remembers whether anything in it was estimated."""

    __slots__ = ("value", "estimated", "n")

    def __init__(self) -> None:
        self.value = 0
        self.estimated = False
        self.n = 0

    def add(self, value: int, estimated: bool) -> None:
        self.value += value
        self.estimated = self.estimated or estimated
        self.n += 1

    def fig(self) -> dict[str, Any]:
        return fig(self.value, self.estimated)


def _sorted_figs(accs: dict[str, Acc]) -> dict[str, dict[str, Any]]:
    return {k: accs[k].fig()
            for k in sorted(accs, key=lambda k: (-accs[k].value, _natural(str(k))))}


# --- what a record counts ------------------------------------------------------------

#: The count field each kind's people figure lives in.
PEOPLE_FIELD = {
    "seminars": "participants",
    "interviews": "interviews",
    "feedback": "young_people",
    "outcomes": "children",
    "visits": "travellers",
}


def people(e: Entry) -> tuple[int, bool]:
    """The number of people (or interviews) behind a record, and whether it is estimated."""
    c = getattr(e.record, PEOPLE_FIELD[e.kind])
    if c is None:
        return 0, False
    return c.total, "total" in c.estimated


def partners_of(e: Entry) -> list[str]:
    """The partners (or associates) responsible for a record."""
    r = e.record
    if e.kind == "seminars":
        return [r.convenor]
    if e.kind == "interviews":
        return [r.conducted_by]
    if e.kind == "outcomes":
        return [r.partner]
    if e.kind == "visits":
        return list(r.from_partners)
    return []


# --- periods ------------------------------------------------------------------------


class PeriodError(ValueError):
    """A reporting period a user asked for that cepa cannot understand."""


@dataclass(frozen=True)
class Period:
    span: Span
    name: str | None

    @property
    def label(self) -> str:
        s, e = self.span.start, self.span.end
        text = f"{s:%B %Y} to {e:%B %Y}" if (s.day == 1) else f"{s} to {e}"
        return f"{self.name} ({text})" if self.name else text

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "start": self.span.start.isoformat(),
                "end": self.span.end.isoformat(), "label": self.label}


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
        return Period(project.period, None)
    try:
        a = parse_point(start).start if start else project.period.start
        b = parse_point(end).end if end else project.period.end
    except DateError as e:
        raise PeriodError(str(e)) from None
    if b < a:
        raise PeriodError(f"the period ends ({b}) before it starts ({a})")
    return Period(Span(a, b, f"{a} to {b}"), None)


def in_period(entries: Iterable[Entry], period: Period) -> tuple[list[Entry], list[Entry]]:
    """Records dated inside the period, and those whose dates reach outside it."""
    inside: list[Entry] = []
    outside: list[Entry] = []
    for e in entries:
        (inside if e.record.date.within(period.span) else outside).append(e)
    return inside, outside


# --- the quantity language of claims and targets --------------------------------------------


def _one(e: Entry) -> tuple[int, bool]:
    return 1, False


#: measure -> (record kinds, what each record contributes)
MEASURES: dict[str, tuple[tuple[str, ...], Callable[[Entry], tuple[int, bool]], str]] = {
    "records": (("visits", "seminars", "interviews", "feedback", "outcomes"), _one,
                "records of any kind"),
    "visits": (("visits",), _one, "exchange and study visits"),
    "travellers": (("visits",), people, "people who travelled on visits"),
    "seminars": (("seminars",), _one, "seminars held"),
    "seminar_participants": (("seminars",), people, "participants in seminars"),
    "interviews": (("interviews",), people, "interviews conducted"),
    "feedback_sessions": (("feedback",), _one, "service-user feedback sessions"),
    "young_people": (("feedback",), people, "young people heard in feedback sessions"),
    "children_monitored": (("outcomes",), people, "children and young people monitored"),
    "outcome_records": (("outcomes",), _one, "outcome-monitoring records"),
}
#: measures that count distinct things rather than summing
DISTINCT = {
    "services": (("outcomes",), lambda e: [e.record.service], "services monitoring outcomes"),
    "host_organisations": (("visits",), lambda e: [h.name.casefold() for h in e.record.hosts],
                           "organisations hosting visits"),
}
PROJECT_MEASURES = {"primary_participants": "primary participants of the partners"}


def measure_names() -> dict[str, str]:
    out = {k: v[2] for k, v in MEASURES.items()}
    out.update({k: v[2] for k, v in DISTINCT.items()})
    out.update(PROJECT_MEASURES)
    return out


def _field_values(e: Entry, key: str) -> list[str]:
    r = e.record
    if key == "kind":
        return [e.kind]
    if key == "year":
        return [str(y) for y in range(r.date.start.year, r.date.end.year + 1)]
    if key == "partner":
        return partners_of(e)
    if key in ("objective", "objectives"):
        return list(r.objectives)
    if key == "organisation":
        return partners_of(e) + list(getattr(r, "co_organisers", []))
    v = getattr(r, key, None)
    if v is None:
        return []
    if isinstance(v, list):
        return [str(x) for x in v]
    return [str(v)]


FILTER_KEYS = ("kind", "activity", "country", "city", "year", "partner", "objective",
               "organisation", "convenor", "conducted_by", "group", "service", "id")


class QuantityError(ValueError):
    """A claim or target that names a measure or filter cepa does not know."""


def quantity(q: Quantity, project: Project, entries: list[Entry]) -> tuple[
        int | float | None, bool, list[Entry]]:
    """Compute a quantity: its value, whether estimated, and the records behind it."""
    for key in q.where:
        if key not in FILTER_KEYS:
            raise QuantityError(f"unknown filter '{key}' (filters: {', '.join(FILTER_KEYS)})")
    if q.measure in PROJECT_MEASURES:
        wanted = q.where.get("partner")
        ids = {str(x) for x in (wanted if isinstance(wanted, list) else [wanted])} if wanted \
            else None
        total = sum(p.primary_participants or 0 for p in project.partners
                    if ids is None or p.id in ids)
        return total, False, []
    if q.measure in MEASURES:
        kinds, each, _ = MEASURES[q.measure]
    elif q.measure in DISTINCT:
        kinds, _, _ = DISTINCT[q.measure]
        each = _one
    else:
        raise QuantityError(f"unknown measure '{q.measure}' "
                            f"(measures: {', '.join(measure_names())})")
    wanted_sets = {k: {str(x) for x in (v if isinstance(v, list) else [v])}
                   for k, v in q.where.items()}
    chosen = [e for e in entries if e.kind in kinds
              and all(set(_field_values(e, k)) & want for k, want in wanted_sets.items())]
    if q.measure in DISTINCT:
        get = DISTINCT[q.measure][1]
        distinct = {x for e in chosen for x in get(e)}
        return len(distinct), False, chosen
    values = [each(e) for e in chosen]
    estimated = any(est for _, est in values)
    nums = [v for v, _ in values]
    if q.aggregate == "count":
        return len(chosen), False, chosen
    if not nums:
        return (0 if q.aggregate == "sum" else None), False, chosen
    if q.aggregate == "min":
        return min(nums), estimated, chosen
    if q.aggregate == "max":
        return max(nums), estimated, chosen
    return sum(nums), estimated, chosen


OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
}


def claims(project: Project, entries: list[Entry]) -> list[dict[str, Any]]:
    """Every claim of the project file, computed: holds, contradicted, or cannot be computed."""
    out = []
    for i, c in enumerate(project.claims):
        row: dict[str, Any] = {"id": c.id or f"claim-{i + 1}", "index": i, "text": c.text,
                               "op": c.op, "claimed": c.value}
        try:
            value, est, chosen = quantity(c.quantity, project, entries)
        except QuantityError as e:
            row.update(computed=None, estimated=False, status="invalid", error=str(e),
                       records=[])
        else:
            holds = value is not None and OPS[c.op](value, c.value)
            row.update(computed=value, estimated=est,
                       status="holds" if holds else "contradicted",
                       records=[e.record.id for e in chosen])
        out.append(row)
    return out


def targets(project: Project, entries: list[Entry]) -> list[dict[str, Any]]:
    out = []
    for t in project.targets:
        try:
            value, est, _ = quantity(t.quantity, project, entries)
        except QuantityError as e:
            out.append({"id": t.id, "text": t.text, "target": t.target, "actual": None,
                        "estimated": False, "percent": None, "error": str(e)})
            continue
        pct = round(100 * value / t.target, 1) if value is not None and t.target else None
        out.append({"id": t.id, "text": t.text, "target": t.target, "actual": value,
                    "estimated": est, "percent": pct})
    return out


# --- the summary --------------------------------------------------------------------


def _natural(text: str) -> list[Any]:
    """A sort key that puts 'service 2' before 'service 10'."""
    return [int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text)]


def _breakdown(entries: Iterable[Entry], field: str) -> dict[str, Any]:
    """People by a breakdown field of their counts; what is not broken down is said so."""
    accs: dict[str, Acc] = defaultdict(Acc)
    for e in entries:
        c = getattr(e.record, PEOPLE_FIELD[e.kind])
        if c is None:
            continue
        parts = getattr(c, field, None)
        if parts is None:
            accs["(not broken down)"].add(c.total, "total" in c.estimated)
            continue
        est = field in c.estimated
        for k, v in parts.items():
            accs[k].add(v, est)
    return _sorted_figs(accs)


def _group(entries: Iterable[Entry], key: Callable[[Entry], Iterable[str]],
           by_key: bool = False) -> dict[str, Any]:
    """People grouped by ``key``: largest first, or in the keys' own order (years)."""
    accs: dict[str, Acc] = defaultdict(Acc)
    for e in entries:
        n, est = people(e)
        for k in key(e):
            accs[k].add(n, est)
    if by_key:
        return {k: accs[k].fig() for k in sorted(accs, key=_natural)}
    return _sorted_figs(accs)


def _years(e: Entry) -> list[str]:
    s = e.record.date
    return [str(s.start.year)] if s.start.year == s.end.year else [
        f"{s.start.year}-{s.end.year}"]


BY_FIELDS: dict[str, Callable[[Entry], Iterable[str]]] = {
    "activity": lambda e: [e.record.activity],
    "country": lambda e: [e.record.country or "(none)"],
    "partner": lambda e: partners_of(e)[:1] or ["(none)"],
    "year": _years,
    "kind": lambda e: [e.kind],
    "city": lambda e: [e.record.city or "(none)"],
}
BREAKDOWN_FIELDS = {"sector": "by_sector", "organisation": "by_organisation",
                    "participant_country": "by_country", "age_band": "by_age_band"}


def by(entries: list[Entry], field: str, kinds: tuple[str, ...] = ("seminars",)) -> dict[str, Any]:
    """Participants of ``kinds`` grouped by a record field or a breakdown field."""
    chosen = [e for e in entries if e.kind in kinds]
    if field in BY_FIELDS:
        return _group(chosen, BY_FIELDS[field], by_key=field == "year")
    if field in BREAKDOWN_FIELDS:
        return _breakdown(chosen, BREAKDOWN_FIELDS[field])
    raise KeyError(field)


def by_choices() -> list[str]:
    return [*BY_FIELDS, *BREAKDOWN_FIELDS]


def _total(entries: Iterable[Entry]) -> dict[str, Any]:
    """People behind records; None (not 0) when none of them records a count."""
    acc = Acc()
    counted = False
    for e in entries:
        counted = counted or getattr(e.record, PEOPLE_FIELD[e.kind]) is not None
        acc.add(*people(e))
    return acc.fig() if counted else fig(None)


def _seminar_rows(seminars: list[Entry], names: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for e in sorted(seminars, key=lambda e: (e.record.date.start, e.record.id)):
        r = e.record
        n, est = people(e)
        rows.append({
            "id": r.id, "activity": r.activity, "title": r.title, "date": r.date.text,
            "city": r.city, "country": r.country, "convenor": names.get(r.convenor, r.convenor),
            "co_organisers": [names.get(x, x) for x in r.co_organisers],
            "participants": fig(n, est),
            "people": len(set(r.participants.people)) if r.participants.people else None,
            "source": e.path,
        })
    return rows


def _attendance(seminars: list[Entry], project: Project) -> dict[str, Any]:
    keyed = [e for e in seminars if e.record.participants.people]
    unique: dict[str, Any] | None = None
    if keyed:
        everyone = {p for e in keyed for p in e.record.participants.people}
        unique = {"people": len(everyone),
                  "attendances": sum(len(set(e.record.participants.people)) for e in keyed),
                  "seminars": len(keyed), "of_seminars": len(seminars)}
    return {
        "total": _total(seminars),
        "unique_people": unique,
        "by_activity": _group(seminars, BY_FIELDS["activity"]),
        "by_country": _group(seminars, BY_FIELDS["country"]),
        "by_partner": _group(seminars, BY_FIELDS["partner"]),
        "by_year": _group(seminars, _years, by_key=True),
        "by_sector": _breakdown(seminars, "by_sector"),
        "by_organisation": _breakdown(seminars, "by_organisation"),
        "by_participant_country": _breakdown(seminars, "by_country"),
    }


def _visits(visits: list[Entry], names: dict[str, str],
            country_of: dict[str, str]) -> dict[str, Any]:
    hosts: dict[str, set[str]] = defaultdict(set)
    types: Counter[str] = Counter()
    seen: set[str] = set()
    rows = []
    for e in sorted(visits, key=lambda e: (e.record.date.start, e.record.id)):
        r = e.record
        for h in r.hosts:
            key = h.name.casefold()
            hosts[r.country].add(key)
            if key not in seen:
                seen.add(key)
                types[h.type or "(type not given)"] += 1
        rows.append({"id": r.id, "title": r.title, "date": r.date.text,
                     "from": [names.get(p, p) for p in r.from_partners],
                     "to": r.country, "city": r.city,
                     "hosts": [{"name": h.name, "city": h.city, "type": h.type} for h in r.hosts],
                     "source": e.path})
    return {
        "count": len(visits),
        "routes": dict(Counter(
            f"{' + '.join(sorted({country_of.get(p, p) for p in e.record.from_partners}))}"
            f" to {e.record.country}" for e in visits)),
        "hosts_by_country": {c: len(v) for c, v in sorted(hosts.items())},
        "hosts_total": len(seen),
        "hosts_by_type": dict(types.most_common()),
        "visits": rows,
    }


def _interviews(interviews: list[Entry], names: dict[str, str]) -> dict[str, Any]:
    rows = []
    for e in sorted(interviews, key=lambda e: (e.record.group, e.record.country, e.record.id)):
        r = e.record
        n, est = people(e)
        rows.append({"id": r.id, "title": r.title, "group": r.group, "country": r.country,
                     "conducted_by": names.get(r.conducted_by, r.conducted_by),
                     "date": r.date.text, "interviews": fig(n, est), "source": e.path})
    return {
        "total": _total(interviews),
        "by_group": _group(interviews, lambda e: [e.record.group]),
        "by_country": _group(interviews, BY_FIELDS["country"]),
        "by_sector": _breakdown(interviews, "by_sector"),
        "records": rows,
    }


def _feedback(feedback: list[Entry]) -> dict[str, Any]:
    rows = []
    for e in sorted(feedback, key=lambda e: (e.record.date.start, e.record.id)):
        r = e.record
        yp = r.young_people
        rows.append({"id": r.id, "title": r.title, "date": r.date.text, "country": r.country,
                     "host": r.host, "visit": r.visit,
                     "young_people": fig(yp.total, "total" in yp.estimated) if yp else None,
                     "by_age_band": dict(yp.by_age_band) if yp and yp.by_age_band else None,
                     "themes": list(r.themes), "publishable": r.publishable,
                     "quotes": [{"text": q.text, "publishable": q.publishable}
                                for q in r.quotes],
                     "source": e.path})
    recorded = [e for e in feedback if e.record.young_people is not None]
    return {
        "sessions": len(feedback),
        "young_people": _total(recorded) if recorded else None,
        "sessions_without_count": len(feedback) - len(recorded),
        "by_country": _group(recorded, BY_FIELDS["country"]),
        "by_age_band": _breakdown(recorded, "by_age_band") if recorded else {},
        "sessions_list": rows,
    }


def _outcomes(outcomes: list[Entry]) -> dict[str, Any]:
    risk: dict[str, Acc] = {k: Acc() for k in ("reduced", "unchanged", "increased", "not_known")}
    with_risk = 0
    rows = []
    for e in sorted(outcomes, key=lambda e: _natural(e.record.id)):
        r = e.record
        n, est = people(e)
        if r.risk is not None:
            with_risk += 1
            for k, acc in risk.items():
                acc.add(getattr(r.risk, k), r.risk.estimated)
        rows.append({"id": r.id, "service": r.service, "country": r.country,
                     "date": r.date.text, "children": fig(n, est),
                     "risk": r.risk.model_dump(exclude={"estimated"}) if r.risk else None,
                     "source": e.path})
    return {
        "children": _total(outcomes),
        "services": len({e.record.service for e in outcomes}),
        "by_service": _group(outcomes, lambda e: [e.record.service]),
        "by_age_band": _breakdown(outcomes, "by_age_band"),
        "risk": {k: a.fig() for k, a in risk.items()} if with_risk else None,
        "records_with_risk": with_risk,
        "records": rows,
    }


def _planned(project: Project, entries: list[Entry]) -> dict[str, list[dict[str, Any]]]:
    held: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        held[e.record.activity].append(e)
    implemented, not_implemented, unforeseen = [], [], []
    for a in project.activities:
        es = held.get(a.id, [])
        total = _total(es)
        row = {"id": a.id, "title": a.title, "kind": a.kind, "planned_events": a.planned_events,
               "held": len(es), "participants": total, "reason": a.not_implemented_reason,
               "records": [e.record.id for e in es]}
        if not a.planned:
            unforeseen.append(row)
        elif es and (a.planned_events is None or len(es) >= a.planned_events):
            implemented.append(row)
        else:  # not held, or fewer events than planned: one list, never both
            not_implemented.append({**row, "partly": bool(es)})
    return {"implemented": implemented, "not_implemented": not_implemented,
            "unforeseen": unforeseen}


def summarize(ws: Workspace, period: Period | None = None) -> dict[str, Any]:
    """The whole summary of one project (for the period, or all of it)."""
    project = ws.project
    assert project is not None, "summarize needs a project that loaded"
    period = period or Period(project.period, None)
    entries, outside = in_period(ws.entries, period)
    names = {p.id: p.name for p in project.organisations()}
    country_of = {p.id: p.country for p in project.organisations()}
    kinds: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        kinds[e.kind].append(e)
    seminars = kinds["seminars"]
    return {
        "project": {"code": project.code, "title": project.title,
                    "programme": project.programme, "period": project.period.text},
        "period": period.as_dict(),
        "country_names": dict(project.countries),
        "partner_names": names,
        "records": {k: len(kinds[k]) for k in PEOPLE_FIELD} | {"total": len(entries)},
        "records_outside_period": len(outside),
        "activities": [
            {"id": a.id, "title": a.title, "kind": a.kind,
             "records": sum(1 for e in entries if e.record.activity == a.id),
             "people": _total(e for e in entries if e.record.activity == a.id)}
            for a in project.activities
        ],
        "seminars": _seminar_rows(seminars, names),
        "attendance": _attendance(seminars, project),
        "visits": _visits(kinds["visits"], names, country_of),
        "interviews": _interviews(kinds["interviews"], names),
        "feedback": _feedback(kinds["feedback"]),
        "outcomes": _outcomes(kinds["outcomes"]),
        "primary_participants": {
            "total": sum(p.primary_participants or 0 for p in project.partners),
            "by_partner": {p.name: p.primary_participants for p in project.partners
                           if p.primary_participants is not None},
        },
        "targets": targets(project, entries),
        "planned": _planned(project, entries),
        "claims": claims(project, entries),
    }


# --- coverage -------------------------------------------------------------------------


def coverage(ws: Workspace, period: Period | None = None) -> dict[str, Any]:
    """Objectives against activities: records and people behind each cell, and the gaps."""
    project = ws.project
    assert project is not None
    period = period or Period(project.period, None)
    entries, _ = in_period(ws.entries, period)
    rules = project.coverage
    acts = [a.id for a in project.activities]
    rows = []
    for o in project.objectives:
        cells: dict[str, dict[str, Any]] = {}
        backing = [e for e in entries if o.id in e.record.objectives]
        for a in project.activities:
            es = [e for e in backing if e.record.activity == a.id]
            cells[a.id] = {"records": len(es), "people": _total(es),
                           "planned": o.id in a.objectives,
                           "ids": [e.record.id for e in es],
                           "files": [e.path for e in es]}
        kinds = sorted({e.kind for e in backing})
        n = len(backing)
        if n == 0:
            status = "uncovered"
        elif n < rules.min_records or len(kinds) < rules.min_kinds:
            status = "thin"
        else:
            status = "covered"
        rows.append({"id": o.id, "short": o.short or o.text[:40], "text": o.text,
                     "records": n, "people": _total(backing), "kinds": kinds,
                     "status": status, "cells": cells})
    return {
        "project": {"code": project.code, "title": project.title},
        "period": period.as_dict(),
        "activities": acts,
        "rules": {"min_records": rules.min_records, "min_kinds": rules.min_kinds},
        "objectives": rows,
        "short": [r["id"] for r in rows if r["status"] != "covered"],
    }


def explain(cov: dict[str, Any], objective: str, activity: str | None = None) -> Iterator[
        tuple[str, str, str]]:
    """The (activity, record id, file) behind an objective, or one cell of the matrix."""
    for row in cov["objectives"]:
        if row["id"] != objective:
            continue
        for act, cell in row["cells"].items():
            if activity is None or act == activity:
                yield from ((act, i, f) for i, f in zip(cell["ids"], cell["files"], strict=True))


def results(ws: Workspace, period: Period | None = None, *,
            public: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """The summary and the coverage matrix together, made publishable when ``public``:
    what the report and the workbook are written from."""
    s, cov = summarize(ws, period), coverage(ws, period)
    if public:
        from cepa.disclosure import public_coverage, public_summary

        s, cov = public_summary(s, ws.project), public_coverage(cov, ws.project)
    return s, cov
