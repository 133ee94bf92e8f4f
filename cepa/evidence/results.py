"""The typed results of the aggregation core: what every output renders, and nothing else.

``Summary`` is the whole summary of a project for a period; ``Coverage`` the objective
coverage matrix; ``RollUp`` several projects side by side. Their leaves are ``Figure`` and
``Breakdown`` values (cepa/figures.py), which carry what they are made of. The terminal,
JSON, CSV, Markdown, the Word report, the workbook and the charts all read these and add
nothing up. In publication mode they pass the publication gate (cepa/publish.py) first.

``as_json`` serialises any of them; ``json_schema`` describes that serialisation (the
documented, versioned interface of ``--format json``: ``FORMAT`` names its version).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Union

from cepa.evidence.figures import Breakdown, Figure

#: The version of the JSON these results serialise to; bumped when a key changes meaning.
SUMMARY_FORMAT = "cepa.summary/2"
COVERAGE_FORMAT = "cepa.coverage/2"


def _json(name: str) -> dict[str, Any]:
    """Field metadata: the key the field has in JSON (``from`` is a Python keyword)."""
    return {"json": name}


#: Field metadata: ids of records (aliased in publication mode when they are about children),
#: and the files of those records, in the same order.
RECORD_IDS = {"record_ids": True}
RECORD_FILES = {"record_files": "ids"}


# --- the summary ----------------------------------------------------------------------------


@dataclass
class ProjectInfo:
    code: str
    title: str
    programme: str
    period: str


@dataclass
class PeriodInfo:
    name: str | None
    start: str
    end: str
    label: str


@dataclass
class SeminarRow:
    id: str
    activity: str
    title: str
    date: str
    city: str | None
    country: str | None
    convenor: str
    co_organisers: list[str]
    participants: Figure
    #: different people among the participants, from their keyed hashes
    people: int | None
    source: str


@dataclass
class EventRow:
    id: str
    activity: str
    type: str
    title: str
    date: str
    mode: str
    city: str | None
    country: str | None
    convenor: str
    co_organisers: list[str]
    participants: Figure
    by_function: Breakdown | None
    comments: list[str]
    source: str


@dataclass
class OutputRow:
    id: str
    activity: str
    type: str
    title: str
    date: str
    partners: list[str]
    languages: list[str]
    location: str | None
    audience: str | None
    reach: int | None
    reach_counts: str | None
    source: str


@dataclass
class Outputs:
    count: Figure
    by_type: dict[str, int]
    languages: list[str]
    rows: list[OutputRow]


@dataclass
class UniquePeople:
    people: int
    attendances: int
    seminars: int
    of_seminars: int


@dataclass
class Attendance:
    """Participants of the gatherings: seminars and events ('online' where held online)."""

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
class HostRow:
    name: str
    city: str | None
    type: str | None


@dataclass
class VisitRow:
    id: str
    title: str
    date: str
    from_: list[str] = field(metadata=_json("from"))
    to: str = ""
    city: str | None = None
    hosts: list[HostRow] = field(default_factory=list)
    host_organisations: Figure | None = None
    travellers: Figure | None = None
    source: str = ""


@dataclass
class Visits:
    count: Figure
    routes: dict[str, int]
    hosts_by_country: Breakdown
    hosts_total: Figure
    hosts_by_type: dict[str, int]
    travellers: Figure
    visits: list[VisitRow]


@dataclass
class InterviewRow:
    id: str
    title: str
    group: str
    country: str
    conducted_by: str
    date: str
    interviews: Figure
    source: str


@dataclass
class Interviews:
    total: Figure
    by_group: Breakdown
    by_country: Breakdown
    by_sector: Breakdown
    records: list[InterviewRow]


@dataclass
class RecordNote:
    """A text from a record (a note, a change, a participant's comment), with the record it
    is from; in publication mode one from a record about children that is not publishable
    is left out."""

    id: str
    text: str
    publishable: bool = True

    DROPPED_WHEN_PRIVATE = True


@dataclass
class QuoteRow:
    text: str
    publishable: bool


#: Field metadata for free text from a record about children: kept out of anything
#: published unless the record is marked publishable.
CHILD_TEXT = {"child_text": True}


@dataclass
class FeedbackRow:
    id: str = field(metadata=CHILD_TEXT)
    title: str = field(metadata=CHILD_TEXT)
    date: str = ""
    country: str = ""
    host: str = field(default="", metadata=CHILD_TEXT)
    visit: str | None = None
    young_people: Figure | None = None
    by_age_band: Breakdown | None = None
    themes: list[str] = field(default_factory=list, metadata=CHILD_TEXT)
    quotes: list[QuoteRow] = field(default_factory=list, metadata=CHILD_TEXT)
    publishable: bool = False
    source: str = field(default="", metadata=CHILD_TEXT)


@dataclass
class Feedback:
    sessions: Figure
    #: young people heard, over the sessions that recorded a count ("not recorded" if none)
    young_people: Figure
    sessions_without_count: int
    by_country: Breakdown
    by_age_band: Breakdown
    #: what young people said (in publication mode, from the sessions marked publishable)
    themes: list[RecordNote]
    sessions_list: list[FeedbackRow]


@dataclass
class OutcomeRow:
    id: str = field(metadata=CHILD_TEXT)
    title: str = field(metadata=CHILD_TEXT)
    service: str = field(default="", metadata=CHILD_TEXT)
    country: str = ""
    date: str = ""
    children: Figure | None = None
    risk: Breakdown | None = None
    publishable: bool = False
    source: str = field(default="", metadata=CHILD_TEXT)


@dataclass
class Outcomes:
    children: Figure
    services: Figure
    by_service: Breakdown
    by_age_band: Breakdown
    risk: Breakdown | None
    records_with_risk: int
    records: list[OutcomeRow]


@dataclass
class IndicatorRow:
    text: str
    target: int | float | None
    actual: Figure | None


@dataclass
class ActivityRow:
    id: str
    title: str
    kind: str
    records: int
    #: people behind its records (None for kinds that count nobody, such as outputs)
    people: Figure | None
    #: people by the country where its records took place ('online' for online ones)
    by_country: Breakdown
    #: the smallest count of one record (the model's "at least 30 at each")
    smallest: Figure | None
    planned: bool = True
    planned_events: int | None = None
    reason: str | None = None
    #: implemented, partly implemented, moved, postponed, not implemented, unforeseen
    status: str = ""
    planned_date: str | None = None
    actual_date: str | None = None
    planned_place: str | None = None
    actual_place: str | None = None
    #: the dates of its records, as written
    dates: list[str] = field(default_factory=list)
    #: where its records took place: 'City, Country', or 'online'
    places: list[str] = field(default_factory=list)
    by_function: Breakdown | None = None
    by_organisation: Breakdown | None = None
    by_participant_country: Breakdown | None = None
    comments: list[RecordNote] = field(default_factory=list)
    #: what changed from the plan, and why: the activity's reason and its records' changes
    changes: list[RecordNote] = field(default_factory=list)
    notes: list[RecordNote] = field(default_factory=list)
    expected_results: str | None = None
    results: str | None = None
    indicators: list[IndicatorRow] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)


@dataclass
class TargetGroupRow:
    id: str
    name: str
    description: str | None
    #: the activities that reached it, with their people
    activities: list[str]
    people: Figure | None
    children: Figure | None


@dataclass
class PrimaryParticipants:
    total: Figure
    by_partner: dict[str, Figure]


@dataclass
class TargetRow:
    id: str
    text: str
    target: int | float
    actual: Figure | None
    percent: float | None
    error: str | None = None
    #: "not published" in publication mode when it is about children
    status: str = ""


@dataclass
class PlannedRow:
    id: str
    title: str
    kind: str
    planned_events: int | None
    held: int
    #: the people behind its records (None for kinds that count nobody, such as outputs)
    participants: Figure | None
    reason: str | None
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
    text: str
    op: str
    #: the claimed value (None in publication mode when the claim is about children)
    claimed: int | float | None
    measure: str
    computed: Figure | None
    #: holds, contradicted, unknown (not recorded), invalid, or not published
    status: str
    records: list[str] = field(metadata=RECORD_IDS)
    error: str | None = None


@dataclass
class DisclosureInfo:
    applied: bool
    threshold: int
    base: int
    statement: str
    #: suppressed cells, and the narrowest interval an attacker can confine one to
    suppressed: int = 0
    narrowest: int | None = None


@dataclass
class Summary:
    project: ProjectInfo
    period: PeriodInfo
    country_names: dict[str, str]
    partner_names: dict[str, str]
    records: dict[str, int]
    records_outside_period: int
    activities: list[ActivityRow]
    seminars: list[SeminarRow]
    events: list[EventRow]
    attendance: Attendance
    visits: Visits
    interviews: Interviews
    feedback: Feedback
    outcomes: Outcomes
    outputs: Outputs
    primary_participants: PrimaryParticipants
    targets: list[TargetRow]
    planned: Planned
    claims: list[ClaimRow]
    target_groups: list[TargetGroupRow] = field(default_factory=list)
    #: every country the project involved (partners, places, participants), with its name
    countries: dict[str, str] = field(default_factory=dict)
    #: changes to the project's dates or plan, and why (the project file's words)
    changes: str | None = None
    disclosure: DisclosureInfo | None = None
    format: str = SUMMARY_FORMAT


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


@dataclass
class ObjectiveRow:
    id: str
    short: str
    text: str
    records: int
    #: people behind the objective in records about adults (participants, interviews, ...)
    people: Figure
    #: children and young people behind it, kept apart: never added to adults' counts
    children: Figure | None
    kinds: list[str]
    status: str
    cells: dict[str, Cell]


@dataclass
class Rules:
    min_records: int
    min_kinds: int


@dataclass
class Coverage:
    project: ProjectInfo
    period: PeriodInfo
    activities: list[str]
    rules: Rules
    objectives: list[ObjectiveRow]
    short: list[str]
    disclosure: DisclosureInfo | None = None
    format: str = COVERAGE_FORMAT


# --- roll-up of several projects ------------------------------------------------------------------


@dataclass
class RollUpRow:
    measure: str
    projects: list[Figure]
    total: Figure


@dataclass
class RollUp:
    projects: list[str]
    rows: list[RollUpRow]

    def mapping(self) -> dict[str, dict[str, Figure]]:
        """measure -> {project code: figure, ..., "total": figure}: the JSON's shape."""
        return {r.measure: {**dict(zip(self.projects, r.projects, strict=True)),
                            "total": r.total} for r in self.rows}


# --- serialising ------------------------------------------------------------------------------


def figure_json(f: Figure) -> dict[str, Any]:
    """A figure in JSON: value (null when not recorded or not published), estimated, and
    what it is made of."""
    out: dict[str, Any] = {"value": f.number(), "estimated": f.estimated}
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
    out["records"] = list(f.records)
    return out


def as_json(obj: Any) -> Any:
    """Any result as plain JSON values."""
    if isinstance(obj, Figure):
        return figure_json(obj)
    if isinstance(obj, Breakdown):
        return {k: figure_json(v) for k, v in obj.cells.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.metadata.get("json", f.name): as_json(getattr(obj, f.name))
                for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): as_json(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [as_json(v) for v in obj]
    return obj


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
                props = {f.metadata.get("json", f.name): of(hints[f.name])
                         for f in dataclasses.fields(t)}
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
    "required": ["value", "estimated", "counts", "records"],
    "properties": {
        "value": {"type": ["integer", "null"]},
        "estimated": {"type": "boolean",
                      "description": "an estimate: the source gives only a larger total"},
        "unrecorded": {"type": "integer",
                       "description": "records behind it with no count: value is a lower "
                                      "bound"},
        "counts": {"type": "string", "description": "what it counts"},
        "children": {"type": "boolean", "description": "a count of children or service "
                                                      "users (protected in publication mode)"},
        "why": {"type": "array", "items": {"type": "string"},
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
