"""The summary of a project for a period: every figure cepa shows, computed once.

``summarize`` turns a loaded workspace into a ``Summary`` (cepa/evidence/results.py):
attendance at gatherings, each kind's section (cepa/evidence/sections.py), each activity
with its status, people, breakdowns and results, target groups reached, primary
participants, targets against actuals, planned against implemented, and the claims with
their status. ``by`` gives ``summarize --by``. Every sum goes through ``Tally``, so each
figure knows the records it comes from, whether it is estimated (and why), and whether it
counts children.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from cepa.evidence import measures
from cepa.evidence.figures import NOT_KNOWN, Breakdown, Figure, Grade, Tally
from cepa.evidence.fingerprints import memo_of, of_records
from cepa.evidence.periods import Period, in_period, left_out, uncertain, whole
from cepa.evidence.results import (
    HAPPENED,
    ActivityRow,
    ActivityStatus,
    AssociateInfo,
    Attendance,
    IndicatorRow,
    KindSection,
    Ledger,
    ObjectiveInfo,
    PartnerInfo,
    Planned,
    PlannedRow,
    PrimaryParticipants,
    ProjectInfo,
    RecordNote,
    Summary,
    TargetGroupRow,
    UniquePeople,
)
from cepa.evidence.sections import (
    ONLINE,
    by_date,
    known,
    note,
    online,
    place,
    private,
    section,
)
from cepa.evidence.sections import sheet_rows as _sheet_rows
from cepa.records.kinds import KINDS
from cepa.records.model import Activity, Project
from cepa.records.workspace import Entry, Workspace


def _years(e: Entry) -> list[str]:
    s = e.record.date
    if not s.known:
        return [NOT_KNOWN]
    return [str(s.start.year)] if s.start.year == s.end.year else [
        f"{s.start.year}-{s.end.year}"]


def _where(e: Entry, field: str) -> list[str]:
    return [ONLINE if online(e) else known(getattr(e.record, field, None)) or NOT_KNOWN]


#: --by fields that are fields of the records
BY_FIELDS: dict[str, Callable[[Entry], Iterable[str]]] = {
    "activity": lambda e: [e.record.activity],
    "country": lambda e: _where(e, "country"),
    "partner": lambda e: KINDS[e.kind].partners_of(e.record)[:1] or [NOT_KNOWN],
    "year": _years,
    "kind": lambda e: [e.kind],
    "city": lambda e: _where(e, "city"),
    "mode": lambda e: [known(getattr(e.record, "mode", None) or "in person") or NOT_KNOWN],
}
#: --by fields that are breakdowns of the records' counts
BREAKDOWN_FIELDS = {"sector": "by_sector", "organisation": "by_organisation",
                    "participant_country": "by_country", "function": "by_function",
                    "age_band": "by_age_band", "gender": "by_gender"}
#: fields whose values are free text typed into records (private in records about children)
_TEXT_BY = frozenset({"city"})


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
        if field in BY_FIELDS:
            out[kind] = tally.group(chosen, BY_FIELDS[field], field,
                                    order="key" if field == "year" else "size",
                                    private=private if field in _TEXT_BY else None)
        else:
            out[kind] = tally.breakdown(chosen, BREAKDOWN_FIELDS[field], field,
                                        private=private)
    return out


# --- attendance at gatherings ------------------------------------------------------------


def _attendance(tally: Tally, gatherings: list[Entry]) -> Attendance:
    keyed = [e for e in gatherings if e.record.participants.people]
    unique = None
    if keyed:
        people, attendances = tally.unique(keyed)
        unique = UniquePeople(people, attendances, len(keyed), len(gatherings))
    return Attendance(
        gatherings=tally.number(gatherings, "gatherings"),
        total=tally.people(gatherings),
        unique_people=unique,
        by_activity=tally.group(gatherings, BY_FIELDS["activity"], "activity", order="key"),
        by_country=tally.group(gatherings, BY_FIELDS["country"], "country"),
        by_partner=tally.group(gatherings, BY_FIELDS["partner"], "partner"),
        by_year=tally.group(gatherings, _years, "year", order="key"),
        by_sector=tally.breakdown(gatherings, "by_sector", "sector"),
        by_organisation=tally.breakdown(gatherings, "by_organisation", "organisation"),
        by_participant_country=tally.breakdown(gatherings, "by_country",
                                               "participant_country"),
        by_function=tally.breakdown(gatherings, "by_function", "function"),
        by_mode=tally.group(gatherings, BY_FIELDS["mode"], "mode"),
    )


# --- activities ---------------------------------------------------------------------------


def status_of(a: Activity, held: Sequence[Entry]) -> ActivityStatus:
    """What happened to an activity: its recorded status, else what its records show."""
    if a.status:
        return ActivityStatus(a.status)
    if not a.planned:
        return ActivityStatus.UNFORESEEN
    if not held:
        return ActivityStatus.NOT_IMPLEMENTED
    if a.planned_events is not None and len(held) < a.planned_events:
        return ActivityStatus.PARTLY
    return ActivityStatus.IMPLEMENTED


def _held(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    held: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        held[e.record.activity].append(e)
    return held


def _activities(tally: Tally, project: Project, entries: list[Entry],
                maybe: Sequence[Entry] = ()) -> list[ActivityRow]:
    """Each activity in the period of ``entries``: its figures from them; its status, when
    the project file gives none, from them, else from the records that may fall in the
    period (``maybe``: not dated, or across its edge): such an activity is not 'not
    implemented' in the period, its figures are not recorded."""
    held = _held(entries)
    held_maybe = _held(maybe)
    out = []
    for a in project.activities:
        es = by_date(held.get(a.id, []))
        kind = KINDS[a.kind]
        counted = bool(kind.count)
        indicators = []
        for ind in a.indicators:
            actual = None
            if ind.quantity is not None:
                try:
                    actual, _ = measures.quantity(ind.quantity, project, entries, tally)
                except measures.QuantityError:
                    actual = None
            elif ind.actual is not None:
                actual = tally.given([int(ind.actual)], "")
            target = ind.target
            if target is None and ind.quantity is not None:  # the project's own target
                target = next((t.target for t in project.targets
                               if t.quantity == ind.quantity), None)
            indicators.append(IndicatorRow(ind.text, target, actual))
        places = []
        for e in es:
            p = place(e)
            if p is not None and p not in places:
                places.append(p)
        # a country alone says nothing a city in it has not said
        cities = {p.country for p in places if p.city}
        places = [p for p in places if p.city or p.country not in cities]
        status = status_of(a, es or held_maybe.get(a.id, []))
        people = (tally.people(es) if es or status not in HAPPENED
                  else Figure(None, counts=kind.counts, kinds=(kind.name,),
                              grade=Grade.NOT_RECORDED))
        out.append(ActivityRow(
            a.id, a.title, a.kind, list(a.objectives), len(es), people if counted else None,
            tally.group(es, BY_FIELDS["country"], "country"),
            tally.extreme(es, min) if counted and len(es) > 1 else None,
            a.planned, a.planned_events, a.why,
            status=status,
            planned_date=a.planned_date.text if a.planned_date else None,
            actual_date=a.actual_date.text if a.actual_date else None,
            planned_place=a.planned_place, actual_place=a.actual_place,
            dates=list(dict.fromkeys(e.record.date.text for e in es)),
            places=places,
            breakdowns={b: tally.breakdown(es, b, b.removeprefix("by_"), private=private)
                        for b in kind.breakdowns()},
            comments=[note(e, c) for e in es for c in getattr(e.record, "comments", [])],
            changes=[*([RecordNote(a.id, a.why)] if a.why else []),
                     *(note(e, e.record.change) for e in es if e.record.change)],
            notes=[note(e, e.record.notes) for e in es if e.record.notes],
            expected_results=a.expected_results, results=a.results,
            indicators=indicators,
            target_groups=list(a.target_groups)))
    return out


def _planned(tally: Tally, project: Project, entries: list[Entry],
             maybe: Sequence[Entry] = ()) -> Planned:
    held = _held(entries)
    held_maybe = _held(maybe)
    implemented, not_implemented, unforeseen = [], [], []
    for a in project.activities:
        es = held.get(a.id, [])
        status = status_of(a, es or held_maybe.get(a.id, []))
        # an activity that happened with nothing recorded: its figures are not known, not 0
        unrecorded = not es and status in HAPPENED
        kind = KINDS[a.kind]
        held_ = Figure(None if unrecorded else len(es), counts="records",
                       grade=Grade.NOT_RECORDED if unrecorded else Grade.EXACT,
                       records=tuple(e.record.id for e in es))
        people = (Figure(None, counts=kind.counts, kinds=(kind.name,),
                         grade=Grade.NOT_RECORDED) if unrecorded
                  else tally.people(es)) if kind.count else None
        row = PlannedRow(a.id, a.title, a.kind, a.planned_events, held_, people, a.why,
                         [e.record.id for e in es])
        if status is ActivityStatus.UNFORESEEN:
            unforeseen.append(row)
        elif status in (ActivityStatus.IMPLEMENTED, ActivityStatus.MOVED):
            implemented.append(row)
        else:  # not held, postponed, or fewer events than planned: one list, never both
            row.partly = status is ActivityStatus.PARTLY or bool(es)
            not_implemented.append(row)
    return Planned(implemented, not_implemented, unforeseen)


def _target_groups(project: Project, activities: list[ActivityRow]
                   ) -> list[TargetGroupRow]:
    people = {a.id: a.people for a in activities}
    status = {a.id: a.status for a in activities}
    out = []
    for g in project.target_groups:
        acts = [a for a in project.activities if g.id in a.target_groups
                and status[a.id] not in (
                    ActivityStatus.NOT_IMPLEMENTED, ActivityStatus.POSTPONED)]
        # each activity's own figure: interviews are not people, and one person may be at
        # several activities, so they are never added together
        reached = {a.id: f for a in acts if (f := people.get(a.id)) is not None}
        out.append(TargetGroupRow(g.id, g.name, g.description, [a.id for a in acts], reached))
    return out


def _countries(project: Project, entries: list[Entry]) -> list[str]:
    """Every country the project involved: partners', places', participants'."""
    codes = {p.country for p in project.organisations()}
    for e in entries:
        if e.record.country:
            codes.add(e.record.country)
        c = KINDS[e.kind].count_of(e.record)
        if c is not None and getattr(c, "by_country", None):
            codes.update(k for k in c.by_country if len(k) == 2 and k.isupper())
    return sorted(codes)


def project_info(project: Project, tally: Tally | None = None) -> ProjectInfo:
    tally = tally or Tally(project)
    return ProjectInfo(
        project.code, project.title, project.programme, project.period.text,
        project.period.start.isoformat(), project.period.end.isoformat(),
        language=project.language, summary=project.summary,
        report_title=project.report_title, lead=project.lead, changes=project.changes,
        partners=[PartnerInfo(p.id, p.name, p.country, p.type, p.role, p.address,
                              tally.given([p.primary_participants], "primary participants")
                              if p.primary_participants is not None else None,
                              p.primary_participants_description)
                  for p in project.partners],
        associates=[AssociateInfo(a.id, a.name, a.country, a.type, a.description)
                    for a in project.associates],
        objectives=[ObjectiveInfo(o.id, o.text, o.short) for o in project.objectives],
        country_names=dict(project.countries))


def summarize(ws: Workspace, period: Period | None = None) -> Summary:
    """The whole summary of one project (for the period, or all of it)."""
    project = ws.project
    assert project is not None, "summarize needs a project that loaded"
    period = period or whole(project)
    entries, outside = in_period(ws.entries, period)
    tally = Tally(project)
    of_kind: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        of_kind[e.kind].append(e)
    gatherings = [e for e in entries if KINDS[e.kind].attendance]
    with_primary = [p for p in project.partners if p.primary_participants is not None]
    maybe = [] if period.whole else uncertain(outside, period)
    activities = _activities(tally, project, entries, maybe)
    kinds = {k.name: section(k, tally, of_kind[k.name], ws.source) for k in KINDS.values()}
    if period.whole:  # a kind whose activity happened with no record: not recorded, not 0
        for a in activities:
            if a.status in HAPPENED and not of_kind[a.kind]:
                kinds[a.kind] = _unrecorded(kinds[a.kind])
    else:  # records that may fall in the period, in part or whole: a lower bound, not 0
        for kind, n in Counter(e.kind for e in maybe).items():
            kinds[kind] = (_at_least(kinds[kind], n) if of_kind[kind]
                           else _unrecorded(kinds[kind]))
    return Summary(
        project=project_info(project, tally),
        period=period.info(),
        records={k: len(of_kind[k]) for k in KINDS} | {"total": len(entries)},
        records_outside_period=len(outside),
        left_out=[] if period.whole else left_out(outside, period),
        activities=activities,
        attendance=_attendance(tally, gatherings),
        kinds=kinds,
        primary_participants=PrimaryParticipants(
            # no partner gives the figure: not recorded, never 0
            tally.given([p.primary_participants for p in with_primary] or [None],
                        "primary participants"),
            {p.id: tally.given([p.primary_participants], "primary participants")
             for p in with_primary}),
        targets=measures.targets(project, entries, tally, period, ws.entries),
        planned=_planned(tally, project, entries, maybe),
        claims=measures.claims(project, entries, tally, period, ws.entries),
        target_groups=_target_groups(project, activities),
        countries=_countries(project, entries),
        fingerprint=of_records(project, entries, memo_of(ws)),
    )


def _at_least(s: KindSection, n: int) -> KindSection:
    """A kind's section in a period, beside ``n`` records that may fall in it in part
    (dated across its edge, or not dated): each figure is a lower bound."""
    return replace(s, figures={name: replace(f, unrecorded=f.unrecorded + n)
                               if f.value is not None else f
                               for name, f in s.figures.items()})


def _unrecorded(s: KindSection) -> KindSection:
    """A kind's section with no records, of an activity that happened: its figures are not
    recorded (never 0)."""
    return replace(s, figures={name: replace(f, value=None, grade=Grade.NOT_RECORDED)
                               for name, f in s.figures.items()})


def ledger(ws: Workspace, period: Period | None = None) -> Ledger:
    """Every record of the period as the workbook's sheet of its kind shows it."""
    project = ws.project
    assert project is not None
    period = period or whole(project)
    entries, _ = in_period(ws.entries, period)
    return Ledger(period.info(), _sheet_rows(Tally(project), entries, ws.source))


