"""The aggregation core: every figure cepa shows is computed here, once.

``summarize`` turns a loaded workspace into a ``Summary`` (cepa/results.py): totals by
activity, country, partner, sector and year, visits, interviews, feedback, outcomes,
primary participants, targets against actuals, planned against implemented, and the
narrative's claims with their status. ``coverage`` builds the objective-coverage matrix.
``quantity`` evaluates the small query language that claims and targets share. The CLI,
the Word report and the spreadsheets all read these results and compute nothing
themselves; every sum goes through ``cepa.evidence.figures.Tally``, so each figure knows the
records it comes from, whether it is estimated (and why), and whether it counts children.
"""

from __future__ import annotations

import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from cepa.base.dates import DateError, Span, parse_point
from cepa.document.language import local
from cepa.evidence.figures import Breakdown, Figure, Tally, natural, plain
from cepa.evidence.results import (
    ActivityRow,
    Attendance,
    Cell,
    ClaimRow,
    Coverage,
    EventRow,
    Feedback,
    FeedbackRow,
    HostRow,
    IndicatorRow,
    InterviewRow,
    Interviews,
    ObjectiveRow,
    OutcomeRow,
    Outcomes,
    OutputRow,
    Outputs,
    PeriodInfo,
    Planned,
    PlannedRow,
    PrimaryParticipants,
    ProjectInfo,
    QuoteRow,
    RecordNote,
    RollUp,
    RollUpRow,
    Rules,
    SeminarRow,
    Summary,
    TargetGroupRow,
    TargetRow,
    UniquePeople,
    VisitRow,
    Visits,
)
from cepa.records.kinds import KINDS, NAMES
from cepa.records.model import Project, Quantity
from cepa.records.workspace import Entry, Workspace

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

    def info(self) -> PeriodInfo:
        return PeriodInfo(self.name, self.span.start.isoformat(), self.span.end.isoformat(),
                          self.label)


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


def named_periods(project: Project) -> list[Period]:
    """The whole project and each reporting period of the project file."""
    return [Period(project.period, None),
            *(Period(span, name) for name, span in project.reporting_periods.items())]


def in_period(entries: Iterable[Entry], period: Period) -> tuple[list[Entry], list[Entry]]:
    """Records dated inside the period, and those whose dates reach outside it."""
    inside: list[Entry] = []
    outside: list[Entry] = []
    for e in entries:
        (inside if e.record.date.within(period.span) else outside).append(e)
    return inside, outside


# --- what records name -------------------------------------------------------------------


def partners_of(e: Entry) -> list[str]:
    return KINDS[e.kind].partners_of(e.record)


def _years(e: Entry) -> list[str]:
    s = e.record.date
    return [str(s.start.year)] if s.start.year == s.end.year else [
        f"{s.start.year}-{s.end.year}"]


def _private(e: Entry) -> bool:
    """Is the record's free text private (about children, not marked publishable)?"""
    return KINDS[e.kind].children and not getattr(e.record, "publishable", False)


ONLINE = "online"


def _online(e: Entry) -> bool:
    return getattr(e.record, "mode", None) == ONLINE


#: --by fields that are fields of the records
BY_FIELDS: dict[str, Callable[[Entry], Iterable[str]]] = {
    "activity": lambda e: [e.record.activity],
    "country": lambda e: [ONLINE if _online(e) else e.record.country or "(none)"],
    "partner": lambda e: partners_of(e)[:1] or ["(none)"],
    "year": _years,
    "kind": lambda e: [e.kind],
    "city": lambda e: [ONLINE if _online(e) else e.record.city or "(none)"],
    "mode": lambda e: [getattr(e.record, "mode", None) or "in person"],
}
#: --by fields that are breakdowns of the records' counts
BREAKDOWN_FIELDS = {"sector": "by_sector", "organisation": "by_organisation",
                    "participant_country": "by_country", "function": "by_function",
                    "age_band": "by_age_band"}
#: fields whose values are free text typed into records (private in records about children)
_TEXT_BY = frozenset({"city", "organisation", "sector"})


def by_choices() -> list[str]:
    return [*BY_FIELDS, *BREAKDOWN_FIELDS]


def by(tally: Tally, entries: Sequence[Entry], field: str, kinds: Sequence[str]
       ) -> dict[str, Breakdown]:
    """People of each kind grouped by a record field or a breakdown field: one breakdown a
    kind, never one that adds children to adults."""
    if field not in BY_FIELDS and field not in BREAKDOWN_FIELDS:
        raise KeyError(field)
    out: dict[str, Breakdown] = {}
    for kind in kinds:
        chosen = [e for e in entries if e.kind == kind]
        private = _private if field in _TEXT_BY or field in BREAKDOWN_FIELDS else None
        if field in BY_FIELDS:
            out[kind] = tally.group(chosen, BY_FIELDS[field], field,
                                    order="key" if field == "year" else "size",
                                    private=private)
        else:
            out[kind] = tally.breakdown(chosen, BREAKDOWN_FIELDS[field], field,
                                        private=private)
    return out


# --- the quantity language of claims and targets --------------------------------------------


@dataclass(frozen=True)
class Measure:
    kinds: tuple[str, ...]
    how: str          #: "people" (sum of counts), "records" (how many), "distinct"
    describe: str
    distinct: Callable[[Entry], Iterable[str]] | None = None

    @property
    def children(self) -> bool:
        return self.how == "people" and any(KINDS[k].children for k in self.kinds)


MEASURES: dict[str, Measure] = {
    "records": Measure(NAMES, "records", "records of any kind"),
    "visits": Measure(("visits",), "records", "exchange and study visits"),
    "travellers": Measure(("visits",), "people", "people who travelled on visits"),
    "seminars": Measure(("seminars",), "records", "seminars held"),
    "seminar_participants": Measure(("seminars",), "people", "participants in seminars"),
    "events": Measure(("events",), "records", "events held (trainings, meetings, ...)"),
    "event_participants": Measure(("events",), "people", "participants in events"),
    "participants": Measure(("seminars", "events"), "people",
                            "participants in seminars and events"),
    "outputs": Measure(("outputs",), "records", "outputs delivered"),
    "output_languages": Measure(("outputs",), "distinct", "languages of the outputs",
                                lambda e: list(e.record.languages)),
    "interviews": Measure(("interviews",), "people", "interviews conducted"),
    "feedback_sessions": Measure(("feedback",), "records", "service-user feedback sessions"),
    "young_people": Measure(("feedback",), "people", "young people heard in feedback sessions"),
    "children_monitored": Measure(("outcomes",), "people",
                                  "children and young people monitored"),
    "outcome_records": Measure(("outcomes",), "records", "outcome-monitoring records"),
    "services": Measure(("outcomes",), "distinct", "services monitoring outcomes",
                        lambda e: [e.record.service]),
    "host_organisations": Measure(("visits",), "distinct", "organisations hosting visits",
                                  lambda e: _hosts(e)),
}
PROJECT_MEASURES = {"primary_participants": "primary participants of the partners"}


def measure_names() -> dict[str, str]:
    return {**{k: m.describe for k, m in MEASURES.items()}, **PROJECT_MEASURES}


def protected_measures(project: Project) -> frozenset[str]:
    """Measures whose figures count children: never published as they are."""
    return frozenset({k for k, m in MEASURES.items() if m.children}
                     | set(project.disclosure.protected))


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
        return partners_of(e)
    v = getattr(r, key, None)
    if v is None:
        return []
    if isinstance(v, list):
        return [str(x) for x in v]
    return [str(v)]


FILTER_KEYS = ("kind", "activity", "country", "city", "year", "partner", "objective",
               "organisation", "convenor", "conducted_by", "group", "service", "id", "type",
               "mode")


class QuantityError(ValueError):
    """A claim or target that names a measure or filter cepa does not know."""


def quantity(q: Quantity, project: Project, entries: Sequence[Entry],
             tally: Tally | None = None) -> tuple[Figure | None, list[Entry]]:
    """Compute a quantity: its figure (None for the min or max of nothing), and the records
    behind it."""
    tally = tally or Tally(project)
    for key in q.where:
        if key not in FILTER_KEYS:
            raise QuantityError(f"unknown filter '{key}' (filters: {', '.join(FILTER_KEYS)})")
    if q.measure in PROJECT_MEASURES:
        wanted = q.where.get("partner")
        ids = ({str(x) for x in (wanted if isinstance(wanted, list) else [wanted])}
               if wanted else None)
        return plain(sum(p.primary_participants or 0 for p in project.partners
                         if ids is None or p.id in ids), "primary participants"), []
    m = MEASURES.get(q.measure)
    if m is None:
        raise QuantityError(f"unknown measure '{q.measure}' "
                            f"(measures: {', '.join(measure_names())})")
    wanted_sets = {k: {str(x) for x in (v if isinstance(v, list) else [v])}
                   for k, v in q.where.items()}
    chosen = [e for e in entries if e.kind in m.kinds
              and all(set(_field_values(e, k)) & want for k, want in wanted_sets.items())]
    if q.aggregate == "count":
        return tally.number(chosen), chosen
    if m.how == "distinct":
        assert m.distinct is not None
        return tally.distinct(chosen, m.distinct, m.describe), chosen
    if m.how == "records":
        return tally.number(chosen, m.describe), chosen
    if q.aggregate in ("min", "max"):
        return tally.extreme(chosen, min if q.aggregate == "min" else max), chosen
    return tally.people(chosen), chosen


OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
}


def judge(f: Figure | None, op: str, value: int | float) -> str:
    """holds, contradicted, or unknown: a figure with records whose count is not recorded
    is a lower bound, and decides only what a lower bound can decide."""
    if f is None or f.value is None:
        return "unknown"
    if not f.unrecorded:
        return "holds" if OPS[op](f.value, value) else "contradicted"
    low = f.value  # the true value is at least this
    if op in (">=", ">") and OPS[op](low, value):
        return "holds"
    if op in ("=", "<=", "<") and not OPS[op](low, value) and (op != "=" or low > value):
        return "contradicted"
    return "unknown"


def claims(project: Project, entries: Sequence[Entry], tally: Tally | None = None
           ) -> list[ClaimRow]:
    """Every claim of the project file, computed: holds, contradicted, unknown or invalid."""
    tally = tally or Tally(project)
    out = []
    for i, c in enumerate(project.claims):
        cid = c.id or f"claim-{i + 1}"
        try:
            figure, chosen = quantity(c.quantity, project, entries, tally)
        except QuantityError as e:
            out.append(ClaimRow(cid, i, c.text, c.op, c.value, c.quantity.measure, None,
                                "invalid", [], str(e)))
            continue
        out.append(ClaimRow(cid, i, c.text, c.op, c.value, c.quantity.measure, figure,
                            judge(figure, c.op, c.value), [e.record.id for e in chosen]))
    return out


def targets(project: Project, entries: Sequence[Entry], tally: Tally | None = None
            ) -> list[TargetRow]:
    tally = tally or Tally(project)
    out = []
    for t in project.targets:
        try:
            figure, _ = quantity(t.quantity, project, entries, tally)
        except QuantityError as e:
            out.append(TargetRow(t.id, t.text, t.target, None, None, str(e)))
            continue
        value = figure.value if figure is not None else None
        pct = round(100 * value / t.target, 1) if value is not None and t.target else None
        out.append(TargetRow(t.id, t.text, t.target, figure, pct))
    return out


# --- the summary --------------------------------------------------------------------


def _seminar_rows(tally: Tally, seminars: list[Entry], names: dict[str, str],
                  source: Callable[[str], str]) -> list[SeminarRow]:
    rows = []
    for e in sorted(seminars, key=lambda e: (e.record.date.start, e.record.id)):
        r = e.record
        rows.append(SeminarRow(
            r.id, r.activity, r.title, r.date.text, r.city, r.country,
            names.get(r.convenor, r.convenor), [names.get(x, x) for x in r.co_organisers],
            tally.people([e]),
            len(set(r.participants.people)) if r.participants.people else None,
            source(e.path)))
    return rows


def _event_rows(tally: Tally, events: list[Entry], names: dict[str, str],
                source: Callable[[str], str]) -> list[EventRow]:
    rows = []
    for e in sorted(events, key=lambda e: (e.record.date.start, e.record.id)):
        r = e.record
        rows.append(EventRow(
            r.id, r.activity, r.type, r.title, r.date.text, r.mode, r.city, r.country,
            names.get(r.convenor, r.convenor), [names.get(x, x) for x in r.co_organisers],
            tally.people([e]),
            tally.breakdown([e], "by_function", "function")
            if r.participants.by_function else None,
            list(r.comments), source(e.path)))
    return rows


def _outputs(tally: Tally, outputs: list[Entry], names: dict[str, str],
             source: Callable[[str], str]) -> Outputs:
    rows = []
    languages: list[str] = []
    for e in sorted(outputs, key=lambda e: (e.record.date.start, e.record.id)):
        r = e.record
        rows.append(OutputRow(r.id, r.activity, r.type, r.title, r.date.text,
                              [names.get(p, p) for p in r.partners], list(r.languages),
                              r.location, r.audience, r.reach, r.reach_counts, source(e.path)))
        languages.extend(x for x in r.languages if x not in languages)
    return Outputs(tally.number(outputs, "outputs"),
                   dict(Counter(e.record.type for e in outputs).most_common()), languages,
                   rows)


def _attendance(tally: Tally, seminars: list[Entry]) -> Attendance:
    keyed = [e for e in seminars if e.record.participants.people]
    unique = None
    if keyed:
        everyone = {p for e in keyed for p in e.record.participants.people}
        unique = UniquePeople(len(everyone),
                              sum(len(set(e.record.participants.people)) for e in keyed),
                              len(keyed), len(seminars))
    return Attendance(
        total=tally.people(seminars),
        unique_people=unique,
        by_activity=tally.group(seminars, BY_FIELDS["activity"], "activity", order="key"),
        by_country=tally.group(seminars, BY_FIELDS["country"], "country"),
        by_partner=tally.group(seminars, BY_FIELDS["partner"], "partner"),
        by_year=tally.group(seminars, _years, "year", order="key"),
        by_sector=tally.breakdown(seminars, "by_sector", "sector"),
        by_organisation=tally.breakdown(seminars, "by_organisation", "organisation"),
        by_participant_country=tally.breakdown(seminars, "by_country", "participant_country"),
        by_function=tally.breakdown(seminars, "by_function", "function"),
        by_mode=tally.group(seminars, BY_FIELDS["mode"], "mode"),
    )


def _hosts(e: Entry) -> list[str]:
    return [h.name.casefold() for h in e.record.hosts]


def _visits(tally: Tally, visits: list[Entry], names: dict[str, str],
            country_of: dict[str, str], source: Callable[[str], str]) -> Visits:
    hosts = _hosts
    types: Counter[str] = Counter()
    seen: set[str] = set()
    rows = []
    for e in sorted(visits, key=lambda e: (e.record.date.start, e.record.id)):
        r = e.record
        for h in r.hosts:
            key = h.name.casefold()
            if key not in seen:
                seen.add(key)
                types[h.type or "(type not given)"] += 1
        rows.append(VisitRow(r.id, r.title, r.date.text,
                             [names.get(p, p) for p in r.from_partners], r.country, r.city,
                             [HostRow(h.name, h.city, h.type) for h in r.hosts],
                             tally.distinct([e], hosts, "host organisations"),
                             tally.people([e]), source(e.path)))
    by_country: dict[str, list[Entry]] = defaultdict(list)
    for e in visits:
        by_country[e.record.country].append(e)

    return Visits(
        count=tally.number(visits, "visits"),
        routes=dict(Counter(
            f"{' + '.join(sorted({country_of.get(p, p) for p in e.record.from_partners}))}"
            f" to {e.record.country}" for e in visits)),
        hosts_by_country=Breakdown("country", {
            c: tally.distinct(by_country[c], hosts, "host organisations")
            for c in sorted(by_country)}),
        hosts_total=tally.distinct(visits, hosts, "host organisations"),
        hosts_by_type=dict(types.most_common()),
        travellers=tally.people(visits),
        visits=rows,
    )


def _interviews(tally: Tally, interviews: list[Entry], names: dict[str, str],
                source: Callable[[str], str]) -> Interviews:
    rows = []
    for e in sorted(interviews, key=lambda e: (e.record.group, e.record.country, e.record.id)):
        r = e.record
        rows.append(InterviewRow(r.id, r.title, r.group, r.country,
                                 names.get(r.conducted_by, r.conducted_by), r.date.text,
                                 tally.people([e]), source(e.path)))
    return Interviews(
        total=tally.people(interviews),
        by_group=tally.group(interviews, lambda e: [e.record.group], "group"),
        by_country=tally.group(interviews, BY_FIELDS["country"], "country"),
        by_sector=tally.breakdown(interviews, "by_sector", "sector"),
        records=rows,
    )


def _feedback(tally: Tally, feedback: list[Entry], source: Callable[[str], str]) -> Feedback:
    rows = []
    themes: list[RecordNote] = []
    for e in sorted(feedback, key=lambda e: (e.record.date.start, e.record.id)):
        r = e.record
        yp = r.young_people
        rows.append(FeedbackRow(
            r.id, r.title, r.date.text, r.country, r.host, r.visit, tally.people([e]),
            tally.breakdown([e], "by_age_band", "age band", private=_private,
                           order="key")
            if yp and yp.by_age_band else None,
            list(r.themes), [QuoteRow(q.text, q.publishable) for q in r.quotes],
            r.publishable, source(e.path)))
        themes.extend(_note(e, t) for t in r.themes)
    recorded = [e for e in feedback if e.record.young_people is not None]
    return Feedback(
        sessions=tally.number(feedback, "feedback sessions"),
        young_people=tally.people(feedback),
        sessions_without_count=len(feedback) - len(recorded),
        by_country=tally.group(recorded, BY_FIELDS["country"], "country"),
        by_age_band=tally.breakdown(recorded, "by_age_band", "age band", private=_private,
                           order="key"),
        themes=list({t.text: t for t in reversed(themes)}.values())[::-1],
        sessions_list=rows,
    )


RISKS = ("reduced", "unchanged", "increased", "not_known")


def _risk(tally: Tally, entries: list[Entry]) -> Breakdown:
    def part(k: str) -> Callable[[Any], int]:
        return lambda r: int(getattr(r.risk, k))

    cells = {k: tally.field_sum(entries, ("risk", k), part(k),
                                lambda r: bool(r.risk.estimated), "children monitored")
             for k in RISKS}
    return Breakdown("change in risk", cells, tally.people(entries))


def _outcomes(tally: Tally, outcomes: list[Entry], source: Callable[[str], str]) -> Outcomes:
    rows = []
    for e in sorted(outcomes, key=lambda e: natural(e.record.id)):
        r = e.record
        rows.append(OutcomeRow(r.id, r.title, r.service, r.country, r.date.text,
                               tally.people([e]),
                               _risk(tally, [e]) if r.risk is not None else None,
                               r.publishable, source(e.path)))
    with_risk = [e for e in outcomes if e.record.risk is not None]
    return Outcomes(
        children=tally.people(outcomes),
        services=tally.distinct(outcomes, lambda e: [e.record.service], "services"),
        by_service=tally.group(outcomes, lambda e: [e.record.service], "service",
                               private=_private),
        by_age_band=tally.breakdown(outcomes, "by_age_band", "age band", private=_private,
                           order="key"),
        risk=_risk(tally, with_risk) if with_risk else None,
        records_with_risk=len(with_risk),
        records=rows,
    )


def status_of(a: Any, held: Sequence[Entry]) -> str:
    """What happened to an activity: its recorded status, else what its records show."""
    if a.status:
        return str(a.status)
    if not a.planned:
        return "unforeseen"
    if not held:
        return "not implemented"
    if a.planned_events is not None and len(held) < a.planned_events:
        return "partly implemented"
    return "implemented"


def _note(e: Entry, text: str) -> RecordNote:
    return RecordNote(e.record.id, " ".join(text.split()), not _private(e))


def _place(e: Entry, countries: dict[str, str]) -> str:
    if _online(e):
        return ONLINE
    r = e.record
    return ", ".join(x for x in (r.city, r.country) if x)  # the report names the country


def _activities(tally: Tally, project: Project, entries: list[Entry],
                countries: dict[str, str]) -> list[ActivityRow]:
    held: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        held[e.record.activity].append(e)
    out = []
    for a in project.activities:
        es = sorted(held.get(a.id, []), key=lambda e: (e.record.date.start, e.record.id))
        counted = bool(KINDS[a.kind].count)
        gathering = KINDS[a.kind].attendance
        indicators = []
        for ind in a.indicators:
            actual = None
            if ind.quantity is not None:
                try:
                    actual, _ = quantity(ind.quantity, project, entries, tally)
                except QuantityError:
                    actual = None
            elif ind.actual is not None:
                actual = plain(int(ind.actual), "")
            indicators.append(IndicatorRow(local(ind.text), ind.target, actual))
        out.append(ActivityRow(
            a.id, local(a.title), a.kind, len(es), tally.people(es) if counted else None,
            tally.group(es, BY_FIELDS["country"], "country"),
            tally.extreme(es, min) if counted and len(es) > 1 else None,
            a.planned, a.planned_events, local(a.why),
            status=status_of(a, es),
            planned_date=a.planned_date.text if a.planned_date else None,
            actual_date=a.actual_date.text if a.actual_date else None,
            planned_place=a.planned_place, actual_place=a.actual_place,
            dates=list(dict.fromkeys(e.record.date.text for e in es)),
            places=list(dict.fromkeys(p for e in es if (p := _place(e, countries)))),
            by_function=tally.breakdown(es, "by_function", "function") if gathering else None,
            by_organisation=tally.breakdown(es, "by_organisation", "organisation")
            if gathering else None,
            by_participant_country=tally.breakdown(es, "by_country", "participant_country")
            if gathering else None,
            comments=[_note(e, c) for e in es for c in getattr(e.record, "comments", [])],
            changes=[*([RecordNote(a.id, local(a.why))] if a.why else []),
                     *(_note(e, f"{e.record.title}: {e.record.change}")
                       for e in es if e.record.change)],
            notes=[_note(e, e.record.notes) for e in es if e.record.notes],
            expected_results=local(a.expected_results), results=local(a.results),
            indicators=indicators,
            target_groups=list(a.target_groups)))
    return out


def _planned(tally: Tally, project: Project, entries: list[Entry]) -> Planned:
    held: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        held[e.record.activity].append(e)
    implemented, not_implemented, unforeseen = [], [], []
    for a in project.activities:
        es = held.get(a.id, [])
        people = tally.people(es) if KINDS[a.kind].count else None
        row = PlannedRow(a.id, local(a.title), a.kind, a.planned_events, len(es), people,
                         local(a.why),
                         [e.record.id for e in es])
        status = status_of(a, es)
        if status == "unforeseen":
            unforeseen.append(row)
        elif status in ("implemented", "moved"):
            implemented.append(row)
        else:  # not held, postponed, or fewer events than planned: one list, never both
            row.partly = status == "partly implemented" or bool(es)
            not_implemented.append(row)
    return Planned(implemented, not_implemented, unforeseen)


def _target_groups(tally: Tally, project: Project, entries: list[Entry]) -> list[TargetGroupRow]:
    out = []
    for g in project.target_groups:
        acts = [a for a in project.activities if g.id in a.target_groups
                and status_of(a, [e for e in entries if e.record.activity == a.id])
                not in ("not implemented", "postponed")]
        ids = {a.id for a in acts}
        es = [e for e in entries if e.record.activity in ids and KINDS[e.kind].count]
        adults = [e for e in es if not KINDS[e.kind].children]
        young = [e for e in es if KINDS[e.kind].children]
        out.append(TargetGroupRow(g.id, local(g.name), local(g.description),
                                  [a.id for a in acts],
                                  tally.people(adults) if adults else None,
                                  tally.people(young) if young else None))
    return out


def _countries(project: Project, entries: list[Entry]) -> dict[str, str]:
    """Every country the project involved: partners', places', participants'."""
    from cepa.base.countries import names

    codes = {p.country for p in project.organisations()}
    for e in entries:
        if e.record.country:
            codes.add(e.record.country)
        c = KINDS[e.kind].count_of(e.record)
        if c is not None and getattr(c, "by_country", None):
            codes.update(k for k in c.by_country if len(k) == 2 and k.isupper())
    return names(codes, dict(project.countries))


def project_info(project: Project) -> ProjectInfo:
    return ProjectInfo(project.code, local(project.title), project.programme,
                       project.period.text)


def summarize(ws: Workspace, period: Period | None = None) -> Summary:
    """The whole summary of one project (for the period, or all of it)."""
    project = ws.project
    assert project is not None, "summarize needs a project that loaded"
    period = period or Period(project.period, None)
    entries, outside = in_period(ws.entries, period)
    tally = Tally(project)
    names = {p.id: p.name for p in project.organisations()}
    country_of = {p.id: p.country for p in project.organisations()}
    kinds: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        kinds[e.kind].append(e)
    source = ws.source
    countries = _countries(project, entries)
    gatherings = [e for e in entries if KINDS[e.kind].attendance]
    return Summary(
        project=project_info(project),
        period=period.info(),
        country_names={**countries, ONLINE: ONLINE},
        partner_names=names,
        records={k: len(kinds[k]) for k in NAMES} | {"total": len(entries)},
        records_outside_period=len(outside),
        activities=_activities(tally, project, entries, countries),
        seminars=_seminar_rows(tally, kinds["seminars"], names, source),
        events=_event_rows(tally, kinds["events"], names, source),
        attendance=_attendance(tally, gatherings),
        visits=_visits(tally, kinds["visits"], names, country_of, source),
        interviews=_interviews(tally, kinds["interviews"], names, source),
        feedback=_feedback(tally, kinds["feedback"], source),
        outcomes=_outcomes(tally, kinds["outcomes"], source),
        outputs=_outputs(tally, kinds["outputs"], names, source),
        primary_participants=PrimaryParticipants(
            plain(sum(p.primary_participants or 0 for p in project.partners),
                  "primary participants"),
            {p.name: plain(p.primary_participants, "primary participants")
             for p in project.partners if p.primary_participants is not None}),
        targets=targets(project, entries, tally),
        planned=_planned(tally, project, entries),
        claims=claims(project, entries, tally),
        target_groups=_target_groups(tally, project, entries),
        countries=countries,
        changes=local(project.changes),
    )


# --- coverage -------------------------------------------------------------------------


def coverage(ws: Workspace, period: Period | None = None) -> Coverage:
    """Objectives against activities: records and people behind each cell, and the gaps."""
    project = ws.project
    assert project is not None
    period = period or Period(project.period, None)
    entries, _ = in_period(ws.entries, period)
    tally = Tally(project)
    rules = project.coverage
    rows = []
    for o in project.objectives:
        cells: dict[str, Cell] = {}
        backing = [e for e in entries if o.id in e.record.objectives]
        for a in project.activities:
            es = [e for e in backing if e.record.activity == a.id]
            cells[a.id] = Cell(len(es), tally.people(es) if KINDS[a.kind].count else None,
                               o.id in a.objectives,
                               [e.record.id for e in es], [e.path for e in es])
        kinds = sorted({e.kind for e in backing})
        n = len(backing)
        if n == 0:
            status = "uncovered"
        elif n < rules.min_records or len(kinds) < rules.min_kinds:
            status = "thin"
        else:
            status = "covered"
        adults = [e for e in backing if not KINDS[e.kind].children]
        young = [e for e in backing if KINDS[e.kind].children]
        child_activity = any(KINDS[a.kind].children for a in project.activities)
        rows.append(ObjectiveRow(
            o.id, local(o.short) or local(o.text)[:40], local(o.text), n, tally.people(adults),
            tally.people(young) if child_activity else None, kinds, status, cells))
    return Coverage(
        project=project_info(project),
        period=period.info(),
        activities=[a.id for a in project.activities],
        rules=Rules(rules.min_records, rules.min_kinds),
        objectives=rows,
        short=[r.id for r in rows if r.status != "covered"],
    )


def explain(cov: Coverage, objective: str, activity: str | None = None) -> Iterator[
        tuple[str, str, str]]:
    """The (activity, record id, file) behind an objective, or one cell of the matrix."""
    for row in cov.objectives:
        if row.id != objective:
            continue
        for act, cell in row.cells.items():
            if activity is None or act == activity:
                yield from ((act, i, f) for i, f in zip(cell.ids, cell.files, strict=True))


# --- several projects ---------------------------------------------------------------------


ROLLUP: tuple[tuple[str, Callable[[Summary], Figure]], ...] = (
    ("Visits", lambda s: s.visits.count),
    ("Seminars", lambda s: Figure(s.records["seminars"], counts="seminars")),
    ("Seminar participants", lambda s: s.attendance.total),
    ("Interviews", lambda s: s.interviews.total),
    ("Feedback sessions", lambda s: s.feedback.sessions),
    ("Young people heard", lambda s: s.feedback.young_people),
    ("Children monitored", lambda s: s.outcomes.children),
    ("Services", lambda s: s.outcomes.services),
    ("Primary participants", lambda s: s.primary_participants.total),
    ("Claims holding",
     lambda s: Figure(sum(c.status == "holds" for c in s.claims), counts="claims")),
    ("Claims not holding",
     lambda s: Figure(sum(c.status != "holds" for c in s.claims), counts="claims")),
)


def rollup(summaries: Sequence[Summary]) -> RollUp:
    """A programme-level roll-up: a row per measure, a figure per project and the total.
    Record ids are prefixed with the project's code, since two projects may share ids."""
    tally = Tally()
    rows = []
    for label, get in ROLLUP:
        cells = [get(s) for s in summaries]
        qualified = [_qualify(f, s.project.code) for f, s in zip(cells, summaries, strict=True)]
        rows.append(RollUpRow(label, qualified, tally.combine(qualified)))
    return RollUp([s.project.code for s in summaries], rows)


def _qualify(f: Figure, code: str) -> Figure:
    from dataclasses import replace

    return replace(f, records=tuple(f"{code}:{r}" for r in f.records))


# --- what outputs are written from -----------------------------------------------------------


class PublicationError(ValueError):
    """Publication mode asked for something it cannot publish safely."""


def publishable_period(project: Project, period: Period) -> None:
    """Publication mode plans suppression over the whole project and its named reporting
    periods together, so that no published figure can be subtracted from another; a
    period made up on the command line is not part of that plan."""
    if period.name is None and period.span != project.period:
        raise PublicationError(
            "--public works on the whole project or a reporting period named in the project "
            "file, so that every published output shares one suppression plan; add this "
            "period under 'reporting_periods:' and use --period NAME")


def results(ws: Workspace, period: Period | None = None, *,
            public: bool = False) -> tuple[Summary, Coverage]:
    """The summary and the coverage matrix together, through the publication gate when
    ``public``: what the report and the workbook are written from."""
    s, cov = summarize(ws, period), coverage(ws, period)
    if public:
        from cepa.publication.gate import gate_for

        assert ws.project is not None
        per = period or Period(ws.project.period, None)
        publishable_period(ws.project, per)
        gate = gate_for([ws], [per])
        s, cov = gate.apply(s), gate.apply(cov)
    return s, cov
