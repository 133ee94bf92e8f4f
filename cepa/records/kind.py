"""What a kind of record is: one description that every stage reads.

A ``Kind`` says everything cepa needs to know about one kind of record, in one place: its
folder and the names users type, its model, the count that says how many people (or
interviews) stand behind a record and whether they are children, the fields that name
partners or other records, its free-text fields, what its section of a summary holds
(``stats``), how a record of it is listed (``listing``) and which of its figures the
summary and the report show as tables (``tables``), the blank record ``cepa new`` writes,
and the claim measures it offers. Each kind is a module of ``cepa/records/kinds/``.

The description is data: the evidence stage computes the ``stats`` (cepa/evidence/), the
document stage lays out the ``listing`` and ``tables`` (cepa/document/), and neither has a
line about any one kind. Getters here take a record and return plain values; words are
English, marked with ``N_`` for the catalogues, and translated where a document is
written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from cepa.base.dates import UNKNOWN
from cepa.records.model import BREAKDOWNS, RecordBase

Getter = Callable[[Any], Iterable[str]]
Test = Callable[[Any], bool]
Order = Literal["size", "key"]


# --- what a kind's section of a summary holds ----------------------------------------------
#
# Each is computed over the kind's records in the period (those passing ``where``, when
# given): a figure, a breakdown of figures, or a list of texts.


@dataclass(frozen=True)
class Records:
    """How many records: a figure that is never estimated."""

    counts: str
    where: Test | None = None


@dataclass(frozen=True)
class People:
    """The sum of the records' counts ("not recorded" when none holds one)."""

    where: Test | None = None


@dataclass(frozen=True)
class Distinct:
    """How many different things the records name (host organisations, services)."""

    values: Getter
    counts: str


@dataclass(frozen=True)
class Group:
    """People grouped by what the records say (by group, by service): a breakdown.
    ``text``: the keys are free text typed into records (a service's name), kept out of
    anything published from records about children."""

    key: Getter
    by: str
    order: Order = "size"
    text: bool = False
    where: Test | None = None


@dataclass(frozen=True)
class Split:
    """People by a breakdown of the records' counts (``by_sector``)."""

    breakdown: str
    by: str
    order: Order = "size"
    where: Test | None = None


@dataclass(frozen=True)
class DistinctBy:
    """How many different things the records name, by a key (hosts by country)."""

    key: Getter
    values: Getter
    counts: str
    by: str


@dataclass(frozen=True)
class RecordsBy:
    """How many records, by a key (outputs by type)."""

    key: Getter
    counts: str
    by: str


@dataclass(frozen=True)
class Parts:
    """Whole-number parts of a field of the records (``risk``: reduced, unchanged, ...)
    that add up to each record's count, over the records that have the field."""

    field: str
    parts: tuple[str, ...]
    by: str
    counts: str


@dataclass(frozen=True)
class Texts:
    """Free text of the records, each different text once (themes young people named)."""

    values: Getter


@dataclass(frozen=True)
class Values:
    """Different values the records name, in their order (languages of outputs)."""

    values: Getter


Stat = Records | People | Distinct | Group | Split | DistinctBy | RecordsBy | Parts | Texts | \
    Values


# --- how a kind is shown ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a kind's list of records: a field of the row (cepa/evidence/results.py
    ``RecordRow``: ``date``, ``place``, ``partners``, ``count``, or a name of ``fields``)
    under a heading."""

    field: str
    heading: str


@dataclass(frozen=True)
class Show:
    """A breakdown of the kind's section shown as a table: its stat, the table's title
    and its two headings."""

    stat: str
    title: str
    label: str
    value: str


@dataclass(frozen=True)
class Kind:
    name: str                      #: the folder, and the plural users read: "seminars"
    singular: str                  #: what users type: ``cepa new seminar``
    title: str                     #: headings and sheet names: "Seminars"
    model: type[RecordBase]
    count: str | None              #: the field holding the record's count of people
    counts: str                    #: what that count counts: "participants"
    describe: str                  #: one line: "expert seminars and conferences"
    #: "{n} participant" / "{n} participants": what its count counts, as a counted phrase
    noun: tuple[str, str] = ("{n}", "{n}")
    #: "{n} seminar" / "{n} seminars": what one record is, as a counted phrase
    record_noun: tuple[str, str] = ("{n}", "{n}")
    children: bool = False         #: records about children and service users
    attendance: bool = False       #: its people attended a gathering (attendance totals)
    partners: tuple[str, ...] = ()  #: fields naming responsible partners, the main one first
    #: fields naming organisations of the project file: (field, "partner" or "organisation")
    refs: tuple[tuple[str, str], ...] = ()
    #: fields naming a record of another kind: (field, kind)
    record_refs: tuple[tuple[str, str], ...] = ()
    #: free-text fields; in records about children they stay out of anything published
    #: unless the record is marked publishable
    text: tuple[str, ...] = ("title", "notes", "sources")
    #: fields a record's row in a summary shows besides the common ones: (name, getter)
    fields: tuple[tuple[str, Callable[[Any], Any]], ...] = ()
    #: texts a record's row carries: (name, getter), e.g. participants' comments
    texts: tuple[tuple[str, Getter], ...] = ()
    #: those of ``texts`` whose every entry was marked publishable one by one (quotes):
    #: published even from a record that is not
    published_texts: tuple[str, ...] = ()
    #: what the kind's section of a summary holds, by name
    stats: tuple[tuple[str, Stat], ...] = ()
    #: the figures of its section in a summary's overview: (stat, label)
    overview: tuple[tuple[str, str], ...] = ()
    #: the kind's list of records in the summary, the report and its appendix
    listing: tuple[Column, ...] = ()
    #: breakdowns of the section shown as tables in the summary and the report
    tables: tuple[Show, ...] = ()
    #: claim and target measures: name -> (stat, what it measures)
    measures: dict[str, tuple[Stat, str]] = field(default_factory=dict)
    #: ``cepa new``: the lines after the fields every record has ({partner}, {country})
    blank: tuple[str, ...] = ()
    #: ``cepa new``: does the record say where it took place (an output does not)
    has_place: bool = True
    #: may be dated after the project ended (a final report, a translation): a warning,
    #: where a gathering held after the end is an error
    may_follow: bool = False
    #: the report's paragraph on an activity of this kind, when cepa ships no
    #: ``activity_<name>.md.j2`` template for it (a Jinja2 text; see templates/report/)
    template: str | None = None

    def count_of(self, record: Any) -> Any:
        """The record's count object (``CountBase``), or None when it records none or its
        total is not known."""
        c = getattr(record, self.count) if self.count else None
        return c if c is not None and c.total is not None else None

    def partners_of(self, record: Any) -> list[str]:
        """The ids of the partners responsible for a record, the main one first."""
        out: list[str] = []
        for name in self.partners:
            value = getattr(record, name, None)
            if isinstance(value, list):
                out.extend(v for v in value if v != UNKNOWN)
            elif value and value != UNKNOWN:
                out.append(value)
        return out

    def breakdowns(self) -> tuple[str, ...]:
        """The breakdowns a record's count can hold (by_country, by_sector, ...), in the
        order of ``BREAKDOWNS``."""
        return _breakdowns(self.model, self.count) if self.count else ()


@cache
def _breakdowns(model: type[BaseModel], count: str) -> tuple[str, ...]:
    """``Kind.breakdowns``, worked out once per model (asked for once per record)."""
    hint = model.model_fields[count].annotation
    models = [a for a in (*getattr(hint, "__args__", ()), hint)
              if isinstance(a, type) and issubclass(a, BaseModel)]
    return tuple(b for b in BREAKDOWNS if any(b in m.model_fields for m in models))
