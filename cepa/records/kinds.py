"""The kinds of record, each described once.

A ``Kind`` says everything the rest of cepa needs to know about one kind of record: its
folder and the names users type, its model, the count that says how many people (or
interviews) stand behind a record, whether those people are children or service users,
which fields name the partners responsible for it, and which free-text fields it has.
Loading, checks, aggregation, the publication gate, the report and the workbook all read
this table; a new kind is added here and in the model, nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cepa.records.model import (
    Event,
    Feedback,
    Interview,
    Outcome,
    Output,
    RecordBase,
    Seminar,
    Visit,
)


@dataclass(frozen=True)
class Kind:
    name: str                      #: the folder, and the plural users read: "seminars"
    singular: str                  #: what users type: ``cepa new seminar``
    title: str                     #: headings and sheet names: "Seminars"
    model: type[RecordBase]
    count: str | None              #: the field holding the record's count of people
    counts: str                    #: what that count counts: "participants"
    describe: str                  #: one line: "expert seminars and conferences"
    children: bool = False         #: records about children and service users
    optional_count: bool = False   #: the count may be left out when it is not known
    attendance: bool = False       #: its people attended a gathering (attendance totals)
    partners: tuple[str, ...] = ()  #: fields naming responsible partners, the main one first
    #: free-text fields; in records about children they stay out of anything published
    #: unless the record is marked publishable
    text: tuple[str, ...] = ("title", "notes", "sources")

    def count_of(self, record: Any) -> Any:
        """The record's count object (``CountBase``), or None when it records none."""
        return getattr(record, self.count) if self.count else None

    def partners_of(self, record: Any) -> list[str]:
        """The ids of the partners responsible for a record, the main one first."""
        out: list[str] = []
        for name in self.partners:
            value = getattr(record, name, None)
            if isinstance(value, list):
                out.extend(value)
            elif value:
                out.append(value)
        return out


KIND_LIST: tuple[Kind, ...] = (
    Kind("visits", "visit", "Visits", Visit, "travellers", "travellers",
         "exchange and study visits", optional_count=True, partners=("from_partners",),
         text=("title", "notes", "sources", "hosts")),
    Kind("seminars", "seminar", "Seminars", Seminar, "participants", "participants",
         "expert seminars", attendance=True, partners=("convenor", "co_organisers"),
         text=("title", "notes", "sources", "comments", "change")),
    Kind("events", "event", "Events", Event, "participants", "participants",
         "trainings, meetings, conferences, press conferences, multiplier events",
         attendance=True, partners=("convenor", "co_organisers"),
         text=("title", "notes", "sources", "comments", "change", "type")),
    Kind("interviews", "interview", "Interviews", Interview, "interviews", "interviews",
         "practitioner and stakeholder interviews", partners=("conducted_by",),
         text=("title", "notes", "sources", "group")),
    Kind("feedback", "feedback", "Feedback", Feedback, "young_people", "young people",
         "service-user feedback sessions", children=True, optional_count=True,
         text=("title", "notes", "sources", "host", "themes", "quotes", "city")),
    Kind("outcomes", "outcome", "Outcomes", Outcome, "children", "children monitored",
         "outcome monitoring", children=True, partners=("partner",),
         text=("title", "notes", "sources", "service", "city")),
    Kind("outputs", "output", "Outputs", Output, None, "outputs",
         "research reports, toolkits, translations, websites, publications",
         partners=("partners",), text=("title", "notes", "sources", "location", "audience")),
)

KINDS: dict[str, Kind] = {k.name: k for k in KIND_LIST}
#: The kind folders, in the order cepa shows them.
NAMES: tuple[str, ...] = tuple(KINDS)
#: Kinds whose records are about children and service users.
CHILD_KINDS: frozenset[str] = frozenset(k.name for k in KIND_LIST if k.children)


def kind_of(name: str) -> str | None:
    """The kind folder for a name a user typed: 'seminar', 'seminars', 'Seminars';
    'project' for the project file; None for anything else."""
    n = name.strip().lower()
    if n == "project":
        return "project"
    for k in KIND_LIST:
        if n in (k.name, k.singular):
            return k.name
    return None


def singular(kind: str) -> str:
    return KINDS[kind].singular if kind in KINDS else kind


def names_help() -> str:
    """'visit, seminar, interview, feedback or outcome' for messages and help."""
    words = [k.singular for k in KIND_LIST]
    return ", ".join(words[:-1]) + " or " + words[-1]


Getter = Callable[[Any], Any]


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a kind ('project' or a record kind), for editors and checkers."""
    from cepa.records.model import Project

    model = Project if kind == "project" else KINDS[kind].model
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = ("cepa project file" if kind == "project"
                       else f"cepa {KINDS[kind].singular} record")
    return schema
