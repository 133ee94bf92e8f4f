"""Each kind's section of a summary, computed from its description, and its records' rows.

A kind says what its section holds (``Kind.stats``, cepa/records/kind.py); ``section``
computes each of those through ``Tally`` and lists the kind's records as ``RecordRow``
values. ``sheet_rows`` gives the rows of a workbook's sheet of the kind. Nothing here
knows one kind from another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from cepa.base.dates import UNKNOWN
from cepa.base.text import natural, squeezed
from cepa.evidence.figures import Breakdown, Figure, Tally
from cepa.evidence.results import (
    KindSection,
    Place,
    RecordNote,
    RecordRow,
    SheetRow,
)
from cepa.records import columns
from cepa.records.kind import (
    Distinct,
    DistinctBy,
    Group,
    Kind,
    Parts,
    People,
    Records,
    RecordsBy,
    Split,
    Stat,
    Texts,
    Values,
)
from cepa.records.kinds import KINDS
from cepa.records.workspace import Entry

ONLINE = "online"


def private(e: Entry) -> bool:
    """Is the record's free text private (about children, not marked publishable)?"""
    return KINDS[e.kind].children and not getattr(e.record, "publishable", False)


def online(e: Entry) -> bool:
    return getattr(e.record, "mode", None) == ONLINE


def known(value: str | None) -> str | None:
    """A value as the results hold it: None for what is not known."""
    return None if value == UNKNOWN else value


def place(e: Entry) -> Place | None:
    if not KINDS[e.kind].has_place:
        return None
    r = e.record
    mode = getattr(r, "mode", None) or "in person"
    if mode == ONLINE:
        return Place(None, None, mode)
    return Place(known(r.city), known(r.country), mode)


def note(e: Entry, text: Any) -> RecordNote:
    return RecordNote(e.record.id, squeezed(text),
                      not private(e))


def by_date(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.record.date.start, natural(e.record.id)))


def _on(getter: Callable[[Any], Iterable[str]]) -> Callable[[Entry], Iterable[str]]:
    return lambda e: getter(e.record)


def compute(stat: Stat, tally: Tally, entries: Sequence[Entry]) -> Any:
    """One of a kind's stats over its records: a figure, a breakdown, or texts."""
    where = getattr(stat, "where", None)
    chosen = [e for e in entries if where(e.record)] if where is not None else list(entries)
    if isinstance(stat, Records):
        return tally.number(chosen, stat.counts)
    if isinstance(stat, People):
        return tally.people(chosen)
    if isinstance(stat, Distinct):
        return tally.distinct(chosen, _on(stat.values), stat.counts)
    if isinstance(stat, Group):
        return tally.group(chosen, _on(stat.key), stat.by, order=stat.order,
                           private=private if stat.text else None)
    if isinstance(stat, Split):
        return tally.breakdown(chosen, stat.breakdown, stat.by, private=private,
                               order=stat.order)
    if isinstance(stat, DistinctBy | RecordsBy):
        members: dict[str, list[Entry]] = defaultdict(list)
        for e in chosen:
            for k in stat.key(e.record):
                members[k].append(e)
        if isinstance(stat, DistinctBy):
            return Breakdown(stat.by, {k: tally.distinct(members[k], _on(stat.values),
                                                         stat.counts)
                                       for k in sorted(members, key=natural)})
        cells = {k: tally.number(v, stat.counts) for k, v in members.items()}
        return Breakdown(stat.by, dict(sorted(cells.items(),
                                              key=lambda kv: (-(kv[1].value or 0),
                                                              natural(kv[0])))))
    if isinstance(stat, Parts):
        having = [e for e in chosen if getattr(e.record, stat.field, None) is not None]
        return parts(tally, having, stat) if having else None
    if isinstance(stat, Texts):
        notes = [note(e, t) for e in by_date(chosen) for t in stat.values(e.record)]
        return list({n.text: n for n in reversed(notes)}.values())[::-1]
    if isinstance(stat, Values):
        return list(dict.fromkeys(v for e in by_date(chosen) for v in stat.values(e.record)))
    raise TypeError(f"unknown stat {stat!r}")


def parts(tally: Tally, entries: Sequence[Entry], stat: Parts) -> Breakdown:
    """Whole-number parts of a field (``risk``), each summed over the records."""
    def part(k: str) -> Callable[[Any], int]:
        return lambda r: int(getattr(getattr(r, stat.field), k))

    def estimated(r: Any) -> bool:
        return bool(getattr(getattr(r, stat.field), "estimated", False))

    cells = {k: tally.field_sum(entries, (stat.field, k), part(k), estimated, stat.counts)
             for k in stat.parts}
    return Breakdown(stat.by, cells, tally.people(entries))


def section(kind: Kind, tally: Tally, entries: Sequence[Entry],
            source: Callable[[str], str]) -> KindSection:
    """A kind's section of a summary: its stats and its records' rows."""
    figures: dict[str, Figure] = {}
    breakdowns: dict[str, Breakdown | None] = {}
    notes: dict[str, list[RecordNote]] = {}
    values: dict[str, list[str]] = {}
    for name, stat in kind.stats:
        result = compute(stat, tally, entries)
        if isinstance(result, Figure):
            figures[name] = result
        elif isinstance(stat, Texts):
            notes[name] = result
        elif isinstance(stat, Values):
            values[name] = result
        else:
            breakdowns[name] = result
    return KindSection(kind.name, figures, breakdowns, notes, values,
                       [row(kind, tally, e, source) for e in by_date(entries)])


def row(kind: Kind, tally: Tally, e: Entry, source: Callable[[str], str]) -> RecordRow:
    r = e.record
    c = kind.count_of(r)
    people = getattr(c, "people", None) if c is not None else None
    breakdowns = {b: tally.breakdown([e], b, b.removeprefix("by_"), private=private,
                                     order="key")
                  for b in (c.breakdowns() if c is not None else {})}
    for name, stat in kind.stats:  # whole-number parts of a field of the record (risk)
        if isinstance(stat, Parts) and getattr(r, stat.field, None) is not None:
            breakdowns[name] = parts(tally, [e], stat)
    return RecordRow(
        r.id, e.kind, r.activity, r.title, r.date.text, r.date.start.isoformat(),
        r.date.end.isoformat(), place(e), kind.partners_of(r), list(r.objectives),
        tally.people([e]) if kind.count else None, breakdowns,
        {name: get(r) for name, get in kind.fields},
        {name: list(get(r)) for name, get in kind.texts},
        squeezed(r.notes) or None,
        squeezed(r.change) or None,
        len(set(people)) if people else None,
        private(e), source(e.path), basis_of(r), r.revision)


def basis_of(r: Any) -> dict[str, str]:
    """The facts of a record that are not as recorded, by field: ``{"hosts": "assumed"}``."""
    return {name: b if isinstance(b, str) else b.how for name, b in r.basis.items()
            if (b if isinstance(b, str) else b.how) != "counted"}


def sheet_rows(tally: Tally, entries: Sequence[Entry], source: Callable[[str], str]
               ) -> dict[str, list[SheetRow]]:
    """Every record as the sheet of its kind shows it, by kind, in date order."""
    out: dict[str, list[SheetRow]] = {}
    for kind in KINDS.values():
        mine = [e for e in entries if e.kind == kind.name]
        if not mine:
            continue
        # the count's own column holds the gated figure, never the record's number
        count = columns.count_heading(kind.name)
        specs = [c for c in columns.columns(kind.name) if c.path and c.heading != count]
        out[kind.name] = [
            SheetRow(kind.name, e.record.id,
                     {c.heading: c.cell(c.value(e.record)) for c in specs},
                     tally.people([e]) if kind.count else None,
                     columns.fingerprint(kind.name, e.record), private(e), source(e.path))
            for e in by_date(mine)]
    return out
