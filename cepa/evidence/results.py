"""The typed results of the evidence stage: what every output is made from, and nothing else.

``Summary`` is the whole summary of a project for a period; ``Coverage`` the objective
coverage matrix; ``RollUp`` several projects side by side; ``Ledger`` every record's row of
a workbook. Their leaves are ``Figure`` and ``Breakdown`` values (cepa/evidence/figures.py),
which carry what they are made of, and the coordinator's texts as written (a string, or
one per language: the document picks the language). In publication mode they pass the
publication gate (cepa/publication/) before any document is made of them. Statuses are
enums, so no output compares words.

``as_json`` serialises any of them; ``json_schema`` describes that serialisation (the
documented, versioned interface of ``--format json``: ``*_FORMAT`` names its version).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any, Union

from cepa.evidence.figures import Breakdown, Figure, Grade

#: The version of the JSON these results serialise to; bumped when a key changes meaning.
SUMMARY_FORMAT = "cepa.summary/4"
COVERAGE_FORMAT = "cepa.coverage/4"


#: Field metadata: ids of records (aliased in publication mode when they are about children),
#: and the files of those records, in the same order.
RECORD_IDS = {"record_ids": True}
RECORD_FILES = {"record_files": "ids"}
#: Field metadata: a mapping whose entries stand at the top of the JSON (the kinds' sections).
FLATTEN = {"flatten": True}

#: A coordinator's text: as written (a string in the project's language), or per language.
Local = str | dict[str, str]


class ActivityStatus(StrEnum):
    IMPLEMENTED = "implemented"
    PARTLY = "partly implemented"
    MOVED = "moved"
    POSTPONED = "postponed"
    NOT_IMPLEMENTED = "not implemented"
    UNFORESEEN = "unforeseen"


#: What an activity's status says happened, whatever its records say: one with no records
#: has figures that are not recorded, never 0.
HAPPENED = frozenset({ActivityStatus.IMPLEMENTED, ActivityStatus.MOVED, ActivityStatus.PARTLY,
                      ActivityStatus.UNFORESEEN})


class ClaimStatus(StrEnum):
    HOLDS = "holds"
    #: it holds only on figures that are estimates (``ClaimRow.estimates`` names them)
    ON_ESTIMATES = "holds on estimates"
    CONTRADICTED = "contradicted"
    UNKNOWN = "unknown"          #: cannot be checked: not recorded
    INVALID = "invalid"          #: cannot be computed: an unknown measure or filter
    NOT_PUBLISHED = "not published"
    #: about the whole project or another period: not judged on this period's records
    OTHER_PERIOD = "other period"


class CoverageStatus(StrEnum):
    """An objective's evidence against the project's rule (``coverage:``)."""

    COVERED = "covered"
    #: the rule is met, but an activity planned for it that happened has no evidence for it
    GAPS = "gaps"
    THIN = "thin"
    #: no evidence, though activities are planned for it
    PLANNED_NO_EVIDENCE = "planned, no evidence"
    #: no evidence, and no activity is planned for it
    NOT_PLANNED = "not planned"


class CellStatus(StrEnum):
    """One cell of the coverage matrix: an activity against an objective."""

    EVIDENCE = "evidence"
    #: the activity is planned for the objective (and happened, or should have): no record
    PLANNED_NO_EVIDENCE = "planned, no evidence"
    #: the activity is planned for the objective but was not (yet) held: none expected
    NOT_HELD = "not held"
    #: the activity does not serve the objective, and no record says it does
    NOT_PLANNED = "not planned"


class LeftOutReason(StrEnum):
    """Why a record is left out of a period's figures."""

    #: dated over a span that reaches beyond the period: part of it may belong, which part
    #: the records do not say
    REACHES_OUTSIDE = "reaches outside"
    UNDATED = "date not recorded"
    BEFORE = "before"
    AFTER = "after"


# --- the project ------------------------------------------------------------------------------


@dataclass
class PartnerInfo:
    id: str
    name: str
    country: str
    type: str
    role: str
    address: str | None
    primary_participants: Figure | None
    primary_participants_description: Local | None


@dataclass
class AssociateInfo:
    id: str
    name: str
    country: str
    type: str | None
    description: Local | None


@dataclass
class ObjectiveInfo:
    id: str
    text: Local
    short: Local | None


@dataclass
class ProjectInfo:
    code: str
    title: Local
    programme: str
    #: the project's period as written, and its first and last day
    period: str
    start: str
    end: str
    #: the language of the project's own texts
    language: str = "en"
    summary: Local | None = None
    report_title: Local | None = None
    lead: str | None = None
    #: changes to the project's dates or plan, and why (the project file's words)
    changes: Local | None = None
    partners: list[PartnerInfo] = field(default_factory=list)
    associates: list[AssociateInfo] = field(default_factory=list)
    objectives: list[ObjectiveInfo] = field(default_factory=list)
    #: names the project file gives countries (``countries:``), by code
    country_names: dict[str, str] = field(default_factory=dict)


@dataclass
class PeriodInfo:
    name: str | None
    start: str
    end: str


@dataclass
class LeftOut:
    """Records of one kind left out of a period's figures, and why."""

    kind: str
    reason: LeftOutReason
    records: list[str] = field(metadata=RECORD_IDS)


# --- records ------------------------------------------------------------------------------------


@dataclass
class Place:
    """Where a record took place: a city and a country, or online (no place at all for
    kinds that record none, such as outputs)."""

    city: str | None
    country: str | None
    mode: str = "in person"


@dataclass
class RecordNote:
    """A text from a record (a note, a change, a participant's comment), with the record it
    is from; in publication mode one from a record about children that is not publishable
    is left out."""

    id: str
    text: Local
    publishable: bool = True

    DROPPED_WHEN_PRIVATE = True


@dataclass
class RecordRow:
    """One record as a summary lists it: what every kind has, the kind's own ``fields``
    and ``texts`` (cepa/records/kinds/), its count and that count's breakdowns."""

    id: str
    kind: str
    activity: str
    title: Local
    #: the date as written, and its first and last day
    date: str
    start: str
    end: str
    place: Place | None
    #: the ids of the partners responsible for it (convenor first)
    partners: list[str]
    #: the objectives it serves (none when not known)
    objectives: list[str]
    count: Figure | None
    breakdowns: dict[str, Breakdown]
    fields: dict[str, Any]
    texts: dict[str, list[Local]]
    notes: Local | None
    change: Local | None
    #: different people among its participants, from their keyed hashes
    people: int | None
    #: about children or service users, and not marked publishable: its texts stay private
    private: bool
    source: str
    #: facts of the record that are not as recorded, by field: {"date": "assumed"}
    basis: dict[str, str] = field(default_factory=dict)
    #: why it changed after its period was submitted (``revision:``)
    revision: str | None = None


@dataclass
class KindSection:
    """A kind's part of a summary: the figures, breakdowns and texts its ``stats`` name
    (cepa/records/kinds/), and its records. In JSON its entries stand side by side with
    ``rows``; templates read them as attributes (``visits.count``)."""

    kind: str
    figures: dict[str, Figure]
    breakdowns: dict[str, Breakdown | None]
    notes: dict[str, list[RecordNote]]
    values: dict[str, list[str]]
    rows: list[RecordRow]

    def __getattr__(self, name: str) -> Any:
        for part in ("figures", "breakdowns", "notes", "values"):
            found = self.__dict__.get(part, {})
            if name in found:
                return found[name]
        raise AttributeError(name)


@dataclass
class SheetRow:
    """One record as a workbook's sheet of its kind shows it: every editable column's
    value as the record file holds it (cepa/records/columns.py), its count as a figure, and
    a fingerprint that ``cepa import records`` compares."""

    kind: str
    id: str
    cells: dict[str, Any]
    count: Figure | None
    fingerprint: str
    private: bool
    source: str


@dataclass
class Ledger:
    """Every record of the period, by kind, as its sheet shows it."""

    period: PeriodInfo
    rows: dict[str, list[SheetRow]]


# --- the summary ----------------------------------------------------------------------------


@dataclass
class UniquePeople:
    people: int
    attendances: int
    gatherings: int
    of_gatherings: int


@dataclass
class Attendance:
    """The people at gatherings (the kinds whose people attend: seminars, events)."""

    #: how many gatherings there were
    gatherings: Figure
    total: Figure
    unique_people: UniquePeople | None
    by_activity: Breakdown
    by_country: Breakdown
    by_partner: Breakdown
    by_year: Breakdown
    by_sector: Breakdown
    by_organisation: Breakdown
    by_participant_country: Breakdown
    by_function: Breakdown
    by_mode: Breakdown


@dataclass
class IndicatorRow:
    text: Local
    target: int | float | None
    actual: Figure | None


@dataclass
class ActivityRow:
    id: str
    title: Local
    kind: str
    #: the objectives the project file plans it for
    objectives: list[str]
    records: int
    #: people behind its records (None for kinds that count nobody, such as outputs)
    people: Figure | None
    #: people by the country where its records took place ('online' for online ones)
    by_country: Breakdown
    #: the smallest count of one record (the model's "at least 30 at each")
    smallest: Figure | None
    planned: bool
    planned_events: int | None
    reason: Local | None
    status: ActivityStatus
    planned_date: str | None
    actual_date: str | None
    planned_place: str | None
    actual_place: str | None
    #: the dates of its records, as written
    dates: list[str]
    #: where its records took place, each place once
    places: list[Place]
    #: its people by each breakdown its records' counts hold (function, organisation,
    #: country they came from, sector, ...)
    breakdowns: dict[str, Breakdown]
    comments: list[RecordNote]
    #: what changed from the plan, and why: the activity's reason and its records' changes
    changes: list[RecordNote]
    notes: list[RecordNote]
    expected_results: Local | None
    results: Local | None
    indicators: list[IndicatorRow]
    target_groups: list[str]


@dataclass
class TargetGroupRow:
    id: str
    name: Local
    description: Local | None
    #: the activities that reached it
    activities: list[str]
    #: each activity's people (participants, interviews, children monitored, ...), by
    #: activity: never added together, since one person may be at several activities
    reached: dict[str, Figure]


@dataclass
class PrimaryParticipants:
    total: Figure
    #: by partner id
    by_partner: dict[str, Figure]


@dataclass
class TargetRow:
    id: str
    text: Local
    target: int | float
    actual: Figure | None
    percent: float | None
    error: str | None = None
    #: publication mode: about children, so neither the figure nor the share is shown
    withheld: bool = False
    #: the reporting period it is set for (None: the whole project; in a period's summary
    #: the actual is then that period's progress towards it)
    period: str | None = None


@dataclass
class PlannedRow:
    id: str
    title: Local
    kind: str
    planned_events: int | None
    #: how many records it has: "not recorded" when it happened with none
    held: Figure
    #: the people behind its records (None for kinds that count nobody, such as outputs)
    participants: Figure | None
    reason: Local | None
    records: list[str] = field(metadata=RECORD_IDS)
    partly: bool = False


@dataclass
class Planned:
    implemented: list[PlannedRow]
    not_implemented: list[PlannedRow]
    unforeseen: list[PlannedRow]


@dataclass
class ClaimRow:
    id: str
    index: int
    text: Local
    op: str
    #: the claimed value (None in publication mode when the claim is about children)
    claimed: int | float | None
    measure: str
    computed: Figure | None
    status: ClaimStatus
    records: list[str] = field(metadata=RECORD_IDS)
    error: str | None = None
    #: the records whose estimates it holds on (``holds on estimates``)
    estimates: list[str] = field(default_factory=list, metadata=RECORD_IDS)
    #: the reporting period it speaks of (None: the whole project)
    period: str | None = None


@dataclass
class DisclosureInfo:
    applied: bool
    threshold: int
    base: int
    #: suppressed cells, and the narrowest interval an attacker can confine one to
    suppressed: int = 0
    narrowest: int | None = None
    #: for whom the figures are: "public" (suppressed and rounded) or "evaluator" (exact,
    #: without a row or a text about protected people)
    audience: str = "public"


@dataclass
class Summary:
    project: ProjectInfo
    period: PeriodInfo
    #: records of each kind in the period, and in all
    records: dict[str, int]
    records_outside_period: int
    #: the records left out of a period's figures, by kind and why (none for the whole
    #: project)
    left_out: list[LeftOut]
    activities: list[ActivityRow]
    attendance: Attendance
    #: each kind's section, by kind (in JSON: at the top, under the kind's name)
    kinds: dict[str, KindSection] = field(metadata=FLATTEN)
    primary_participants: PrimaryParticipants
    targets: list[TargetRow]
    planned: Planned
    claims: list[ClaimRow]
    target_groups: list[TargetGroupRow] = field(default_factory=list)
    #: every country the project involved (partners, places, participants)
    countries: list[str] = field(default_factory=list)
    disclosure: DisclosureInfo | None = None
    #: the fingerprint of the records it is made from (the project file and every record
    #: of the period): the same records, the same fingerprint
    fingerprint: str = ""
    format: str = SUMMARY_FORMAT

    def __getattr__(self, name: str) -> Any:
        """A kind's section as an attribute: ``summary.visits``."""
        kinds = self.__dict__.get("kinds", {})
        if name in kinds:
            return kinds[name]
        raise AttributeError(name)


# --- coverage -----------------------------------------------------------------------------------


@dataclass
class Cell:
    records: int
    #: the people behind the cell: of one activity, so of one kind
    #: None for kinds that count nobody (outputs)
    people: Figure | None
    planned: bool
    ids: list[str] = field(metadata=RECORD_IDS)
    files: list[str] = field(metadata=RECORD_FILES)
    status: CellStatus = CellStatus.NOT_PLANNED
    #: the records weighed by their grade (``Coverage.weights``)
    evidence: float = 0.0
    #: its records by the grade of their count
    grades: dict[str, int] = field(default_factory=dict)


@dataclass
class ObjectiveRow:
    id: str
    short: Local | None
    text: Local
    records: int
    #: people behind the objective in records about adults (participants, interviews, ...)
    people: Figure
    #: children and young people behind it, kept apart: never added to adults' counts
    children: Figure | None
    kinds: list[str]
    status: CoverageStatus
    cells: dict[str, Cell]
    #: its records weighed by their grade: what the rule's ``min_records`` is compared with
    evidence: float = 0.0
    #: its records by the grade of their count
    grades: dict[str, int] = field(default_factory=dict)
    #: activities planned for it that happened (or should have by now) with no record for it
    gaps: list[str] = field(default_factory=list)


@dataclass
class Rules:
    #: the weighed evidence an objective needs (``Coverage.weights``)
    min_records: int
    min_kinds: int


@dataclass
class Coverage:
    project: ProjectInfo
    period: PeriodInfo
    activities: list[str]
    rules: Rules
    objectives: list[ObjectiveRow]
    #: the objectives short of evidence: any status but covered
    short: list[str]
    #: activities whose status says they happened, with no record at all (in the project)
    unrecorded: list[str] = field(default_factory=list)
    #: what one record weighs, by the grade of its count ("split": the records that split
    #: one known total weigh 1 together)
    weights: dict[str, float] = field(default_factory=dict)
    disclosure: DisclosureInfo | None = None
    fingerprint: str = ""
    format: str = COVERAGE_FORMAT


# --- roll-up of several projects ------------------------------------------------------------------


@dataclass
class RollUpRow:
    #: what the row counts: a measure of claims and targets (``seminar_participants``), or
    #: ``claims_holding`` and ``claims_not_holding``
    measure: str
    projects: list[Figure]
    total: Figure
    #: the kind of record it counts (None for primary participants and claims)
    kind: str | None = None


@dataclass
class RollUp:
    projects: list[str]
    rows: list[RollUpRow]

    def mapping(self) -> dict[str, dict[str, Figure]]:
        """measure -> {project code: figure, ..., "total": figure}: the JSON's shape."""
        return {r.measure: {**dict(zip(self.projects, r.projects, strict=True)),
                            "total": r.total} for r in self.rows}


# --- what changed since a period was submitted ------------------------------------------------

#: What a record or a figure can have done since the submission.
CHANGED, ADDED, GONE = "changed", "added", "gone"


@dataclass
class RecordChange:
    """A record behind a submitted figure that moved: changed, added or gone."""

    id: str
    kind: str
    change: str
    #: its file now (or as it was, when it is gone)
    file: str
    #: why, as the record or the project file says (None: not said)
    revision: str | None = None


@dataclass
class FigureChange:
    figure: str
    submitted: int | None
    now: int | None
    submitted_grade: str
    now_grade: str
    #: the records behind it that changed, were added or are gone
    records: list[str] = field(default_factory=list)
    #: "changed", "added" (not in the submission) or "gone" (not in the summary now)
    change: str = CHANGED


@dataclass
class DocumentCheck:
    file: str
    #: "unchanged", "changed" (its bytes differ) or "missing"
    state: str


@dataclass
class Diff:
    """A submitted period against the records now (``cepa diff``): every figure whose value
    moved, the records behind them that changed, the documents sent."""

    project: str
    period: str
    submitted: str
    fingerprint_submitted: str
    fingerprint_now: str
    project_file_changed: bool
    figures: list[FigureChange]
    records: list[RecordChange]
    documents: list[DocumentCheck]

    @property
    def changed(self) -> bool:
        return bool(self.figures)


# --- serialising ------------------------------------------------------------------------------


def figures_in(obj: Any) -> Iterator[Figure]:
    """Every figure in a result, as ``figures_of`` finds them, without where each stands
    (a result of 10,000 records holds half a million values to walk)."""
    stack = [obj]
    pop, push = stack.pop, stack.extend
    while stack:
        o = pop()
        cls = o.__class__
        if cls is Figure:
            yield o
        elif cls is Breakdown:
            yield from o.cells.values()
            if o.total is not None:
                yield o.total
            if o.rest is not None:
                yield o.rest
        elif cls in _LEAVES:
            continue
        elif cls is dict:
            push(reversed(list(o.values())))
        elif cls is list or cls is tuple:
            push(reversed(o))
        elif isinstance(o, Figure | Breakdown):
            yield from (f for _where, f in figures_of(o))
        elif dataclasses.is_dataclass(o) and not isinstance(o, type):
            push(reversed([getattr(o, name) for name in _field_names(cls)]))
        elif isinstance(o, dict):
            push(reversed(list(o.values())))
        elif isinstance(o, list | tuple):
            push(reversed(o))


_LEAVES = frozenset({str, int, float, bool, type(None)})


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def figures_of(obj: Any, where: str = "") -> Iterator[tuple[str, Figure]]:
    """Every figure in a result, with where it stands (a dotted path)."""
    if isinstance(obj, Figure):
        yield where, obj
    elif isinstance(obj, Breakdown):
        for k, f in obj.cells.items():
            yield f"{where}[{k}]", f
        if obj.total is not None:
            yield f"{where}.total", obj.total
        if obj.rest is not None:
            yield f"{where}.rest", obj.rest
    elif isinstance(obj, KindSection):  # as its JSON: its stats by name, then its rows
        for part in (obj.figures, obj.breakdowns):
            for name, v in part.items():
                yield from figures_of(v, _dot(where, name))
        yield from figures_of(obj.rows, _dot(where, "rows"))
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for fld in dataclasses.fields(obj):
            value = getattr(obj, fld.name)
            if fld.metadata.get("flatten"):  # the kinds' sections stand at the top
                for k, v in value.items():
                    yield from figures_of(v, _dot(where, k))
            else:
                yield from figures_of(value, _dot(where, fld.name))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from figures_of(v, f"{where}[{k}]")
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            label = getattr(v, "id", None)
            yield from figures_of(v, f"{where}[{label if label is not None else i}]")


def _dot(where: str, name: str) -> str:
    return f"{where}.{name}" if where and where[-1] != " " else where + name


def figure_json(f: Figure) -> dict[str, Any]:
    """A figure in JSON: value (null when not recorded or not published), estimated, and
    what it is made of."""
    out: dict[str, Any] = {"value": f.number(), "estimated": f.estimated,
                           "grade": str(f.grade if f.value is not None or f.suppressed
                                        or f.withheld else Grade.NOT_RECORDED)}
    if f.unrecorded:
        out["unrecorded"] = f.unrecorded
    out["counts"] = f.counts
    if f.children:
        out["children"] = True
    if f.why:
        out["why"] = list(f.why)
    if f.suppressed:
        out["suppressed"] = True
    if f.rounded:
        out["rounded"] = True
    if f.withheld:
        out["withheld"] = True
    if f.estimates:
        out["estimates"] = list(f.estimates)
    out["records"] = list(f.records)
    return out


def as_json(obj: Any) -> Any:
    """Any result as plain JSON values."""
    plain = json_step(obj)
    if plain is obj:
        return obj
    if plain.__class__ is dict:
        return {k: as_json(v) for k, v in plain.items()}
    return [as_json(v) for v in plain]


def json_step(obj: Any) -> Any:
    """One level of ``as_json``: a result as a dict or a list whose values are still
    results (``as_json`` of each is the rest), or ``obj`` itself when it is a plain value.
    A writer can so write the JSON of 100,000 records without holding it whole
    (cepa/commands/_common.py ``print_json``)."""
    cls = obj.__class__
    if cls in _LEAVES:
        return obj
    if isinstance(obj, Figure):
        return figure_json(obj)
    if isinstance(obj, Breakdown):
        return {k: figure_json(v) for k, v in obj.cells.items()}
    if isinstance(obj, KindSection):
        return {**{k: v for part in (obj.figures, obj.breakdowns, obj.notes, obj.values)
                   for k, v in part.items()},
                "rows": obj.rows}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for name, key, flatten in _json_fields(cls):
            value = getattr(obj, name)
            if flatten:
                out.update(json_step(value))
            else:
                out[key] = value
        return out
    if isinstance(obj, dict):
        return {str(k): v for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return list(obj)
    return obj


@cache
def _json_fields(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """A result type's fields as ``as_json`` writes them: name, JSON key, flattened."""
    return tuple((f.name, f.metadata.get("json", f.name), bool(f.metadata.get("flatten")))
                 for f in dataclasses.fields(cls))


def json_schema(root: type) -> dict[str, Any]:
    """The JSON Schema of ``as_json(x)`` for results of type ``root``, from the types."""
    defs: dict[str, Any] = {}
    hints_cache: dict[type, dict[str, Any]] = {}

    def of(t: Any) -> dict[str, Any]:
        origin = typing.get_origin(t)
        if t is Figure:
            defs.setdefault("Figure", _FIGURE_SCHEMA)
            return {"$ref": "#/$defs/Figure"}
        if t is Breakdown:
            defs.setdefault("Figure", _FIGURE_SCHEMA)
            return {"type": "object", "additionalProperties": {"$ref": "#/$defs/Figure"},
                    "description": "figures by key, in the order shown"}
        if origin in (Union, types.UnionType):
            return {"anyOf": [of(a) for a in typing.get_args(t)]}
        if origin is list:
            return {"type": "array", "items": of(typing.get_args(t)[0])}
        if origin is dict:
            return {"type": "object", "additionalProperties": of(typing.get_args(t)[1])}
        if t is type(None):
            return {"type": "null"}
        if isinstance(t, type) and issubclass(t, StrEnum):
            return {"type": "string", "enum": [m.value for m in t]}
        if t is KindSection:
            defs.setdefault("Figure", _FIGURE_SCHEMA)
            parts = [{"$ref": "#/$defs/Figure"}, of(Breakdown), {"type": "null"},
                     {"type": "array", "items": {"anyOf": [of(RecordNote), of(RecordRow),
                                                           {"type": "string"}]}}]
            return {"type": "object", "additionalProperties": {"anyOf": parts},
                    "required": ["rows"],
                    "description": "a kind's section: its figures, breakdowns and texts by "
                                   "name, and its records as rows"}
        if t is Any:
            return {}
        if t is str:
            return {"type": "string"}
        if t is bool:
            return {"type": "boolean"}
        if t is int:
            return {"type": "integer"}
        if t is float:
            return {"type": "number"}
        if isinstance(t, type) and dataclasses.is_dataclass(t):
            name = t.__name__
            if name not in defs:
                defs[name] = {}  # placeholder against recursion
                hints = hints_cache.setdefault(t, typing.get_type_hints(t))
                props = {}
                for f in dataclasses.fields(t):
                    if f.metadata.get("flatten"):  # the kinds' sections, by kind
                        from cepa.records.kinds import names

                        section = of(KindSection)
                        props.update({k: section for k in names()})
                    else:
                        props[f.metadata.get("json", f.name)] = of(hints[f.name])
                defs[name] = {"type": "object", "properties": props,
                              "required": list(props), "additionalProperties": False}
                if t.__doc__ and not t.__doc__.startswith(f"{name}("):
                    defs[name]["description"] = " ".join(t.__doc__.split())
            return {"$ref": f"#/$defs/{name}"}
        raise TypeError(f"no JSON Schema for {t!r}")

    top = of(root)
    fmt = {"Summary": SUMMARY_FORMAT, "Coverage": COVERAGE_FORMAT}.get(root.__name__)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://cepa.invalid/{fmt or root.__name__}.schema.json",
            "title": f"cepa {root.__name__.lower()} (--format json), {fmt}", **top,
            "$defs": defs}


_FIGURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A figure: its value (null when nothing was recorded, or in publication "
                   "mode when it is suppressed or withheld) and what it is made of.",
    "required": ["value", "estimated", "grade", "counts", "records"],
    "properties": {
        "value": {"type": ["integer", "null"]},
        "estimated": {"type": "boolean",
                      "description": "an estimate: its grade is split, estimated, unsourced "
                                     "or assumed"},
        "grade": {"type": "string", "enum": [g.value for g in Grade],
                  "description": "how it was obtained: the grade of its weakest part"},
        "estimates": {"type": "array", "items": {"type": "string"},
                      "description": "the records behind it whose part is an estimate"},
        "unrecorded": {"type": "integer",
                       "description": "records behind it with no count: value is a lower "
                                      "bound"},
        "counts": {"type": "string", "description": "what it counts"},
        "children": {"type": "boolean", "description": "a count of children or service "
                                                      "users (protected in publication mode)"},
        "why": {"type": "array", "items": {"anyOf": [
            {"type": "string"},
            {"type": "object", "additionalProperties": {"type": "string"},
             "description": "given per language: {en: ..., nl: ...}"}]},
                "description": "why it is estimated, in the records' own words"},
        "suppressed": {"type": "boolean", "description": "publication mode: shown 'c'"},
        "rounded": {"type": "boolean", "description": "publication mode: rounded"},
        "withheld": {"type": "boolean", "description": "publication mode: not published"},
        "records": {"type": "array", "items": {"type": "string"},
                    "description": "ids of the records behind it"},
    },
    "additionalProperties": False,
}


if __name__ == "__main__":  # python -m cepa.evidence.results docs/: regenerate the JSON Schemas
    import json
    import sys
    from pathlib import Path

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    for name, root in (("summary", Summary), ("coverage", Coverage)):
        (folder / f"{name}.schema.json").write_text(
            json.dumps(json_schema(root), indent=2) + "\n", encoding="utf-8")
