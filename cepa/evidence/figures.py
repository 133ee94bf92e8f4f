"""Figures that know what they are made of, and the one place they are added up.

A ``Figure`` is a number cepa shows together with everything a reader (or the
publication gate) needs to know about it: whether it is estimated and why, in the
records' own words; whether some records behind it have no count ("at least 20"), or
none does ("not recorded"); what it counts and whether that is children; and which
records, and which field of each, it adds up. A ``Breakdown`` is figures by a key (by
sector, by country) with the figure of the whole.

``Tally`` is the only code in cepa that adds figures up. It knows the project's known
totals (``known_totals`` in the project file): a sum over a whole group of records whose
split is estimated is exact, so the 127 UK seminar participants of the model project are
not marked estimated though each of the three seminars is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from cepa.base.text import PerLanguage, natural, squeezed
from cepa.records.kinds import KINDS

if TYPE_CHECKING:
    from cepa.records.model import Project
    from cepa.records.workspace import Entry

#: What a figure sums in each record behind it: ("total",) the total of the record's count,
#: ("by_sector", "police") one cell of a breakdown of that count, ("risk", "reduced") another
#: whole-number field; () when it is not a sum of the records' fields (a number of records).
Path = tuple[str, ...]
TOTAL: Path = ("total",)

#: The key of a breakdown's cell for the records that do not break their count down, and
#: of a chart's bar for the cells after the first ``Breakdown.SHOWN - 1``: keys, not words
#: (the document names them in its language).
NOT_BROKEN_DOWN = "(not broken down)"
OTHERS = "(others)"
#: The key of a breakdown's cell for the records that do not say (their country, year,
#: partner is not known)
NOT_KNOWN = "(not recorded)"


class Grade(StrEnum):
    """How a figure was obtained, best first: a figure made of several takes the grade of
    its weakest part (a sum over the whole group of a known total is exact)."""

    EXACT = "exact"                #: counted
    SPLIT = "split"                #: a share of a total the source gives for a group
    ESTIMATED = "estimated"        #: an estimate that says where it comes from
    UNSOURCED = "unsourced"        #: an estimate with no source
    ASSUMED = "assumed"            #: a stand-in nobody recorded
    NOT_RECORDED = "not recorded"  #: no count at all


#: Each grade's place, best first.
_RANK = {g: i for i, g in enumerate(Grade)}


def worst(grades: Iterable[Grade]) -> Grade:
    """The weakest of the grades (exact when there are none)."""
    return max(grades, key=_RANK.__getitem__, default=Grade.EXACT)


@dataclass(frozen=True, slots=True)
class Figure:
    """One number, and what it is made of."""

    value: int | None                 #: None: no record behind it holds a count
    estimated: bool = False
    unrecorded: int = 0               #: records behind it that hold no count
    counts: str = ""                  #: what it counts: "participants", "records", ...
    path: Path = ()                   #: the field summed in each record
    kinds: tuple[str, ...] = ()       #: the kinds of record behind it
    records: tuple[str, ...] = ()     #: the ids of the records behind it
    why: tuple[str | PerLanguage, ...] = ()  #: why it is estimated, in the records' words
    children: bool = False            #: a count of children or service users
    #: how it was obtained: the grade of its weakest part (``estimated`` is a grade below
    #: exact); "not recorded" when no record behind it holds a count
    grade: Grade = Grade.EXACT
    #: the records behind it whose part is an estimate (not made exact by a known total)
    estimates: tuple[str, ...] = ()
    #: the grade of each reason of ``why``, in the same order
    why_grades: tuple[Grade, ...] = ()
    # Set by the publication gate only.
    suppressed: bool = False
    rounded: bool = False
    withheld: bool = False

    @property
    def known(self) -> bool:
        return self.value is not None and not self.suppressed and not self.withheld

    @property
    def partial(self) -> bool:
        """Some records behind it have no count: the value is a lower bound."""
        return self.value is not None and self.unrecorded > 0

    def describe(self) -> str:
        """The figure in plain English, for the messages of ``cepa validate``: '127',
        '45 (estimated)', 'at least 20', 'not recorded'. Documents word it in their own
        language (cepa/document/words.py)."""
        if self.withheld or self.suppressed:
            return "not published"
        if self.value is None:
            return "not recorded"
        shown = f"{self.value:,}" + (" (estimated)" if self.estimated else "")
        return f"at least {shown}" if self.unrecorded else shown

    def number(self) -> int | None:
        """The value a machine format writes: None where there is no value to show."""
        return self.value if self.known else None


@dataclass(frozen=True)
class Breakdown:
    """Figures by a key, in the order to show them, and the figure of the whole.

    ``private`` holds the keys that are free text from records about children that are not
    marked publishable (a service's name): the publication gate relabels them. ``rest`` is
    the sum of the cells after the first ``SHOWN - 1``, for charts that show at most
    ``SHOWN`` bars.
    """

    by: str
    cells: dict[str, Figure] = field(default_factory=dict)
    total: Figure | None = None
    private: frozenset[str] = frozenset()
    rest: Figure | None = None

    SHOWN = 25

    def items(self) -> Iterable[tuple[str, Figure]]:
        return self.cells.items()

    def keys(self) -> Iterable[str]:
        return self.cells.keys()

    def values(self) -> Iterable[Figure]:
        return self.cells.values()

    def get(self, key: str, default: Any = None) -> Any:
        return self.cells.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)

    def __contains__(self, key: object) -> bool:
        return key in self.cells

    def __getitem__(self, key: str) -> Figure:
        return self.cells[key]

    def head(self) -> list[tuple[str, Figure]]:
        """At most SHOWN cells: the first ones, then one for all the others (the key
        ``OTHERS``; ``folded`` says how many cells it holds)."""
        items = list(self.cells.items())
        if self.rest is None or len(items) <= self.SHOWN:
            return items
        return [*items[: self.SHOWN - 1], (OTHERS, self.rest)]

    @property
    def folded(self) -> int:
        """How many cells ``head`` folds into its last one."""
        return max(0, len(self.cells) - (self.SHOWN - 1)) if self.rest is not None else 0


# --- adding up -----------------------------------------------------------------------------


class Tally:
    """Adds figures up over records, keeping what each figure is made of.

    ``known`` are the project's known totals: the ids of the records in each group.
    """

    def __init__(self, project: Project | None = None) -> None:
        self._whys: dict[int, str | PerLanguage] = {}
        self._grades: dict[tuple[int, str], Grade] = {}
        # tuples a summary of 100,000 records would otherwise hold a million copies of
        self._ones: dict[int, tuple[str, ...]] = {}
        self._paths: dict[Path, Path] = {}
        self._reasons: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.groups: dict[str, list[frozenset[str]]] = defaultdict(list)
        if project is not None:
            for k in project.known_totals:
                group = frozenset(k.records)
                for rid in group:
                    self.groups[rid].append(group)

    # the whole of each record's count

    def people(self, entries: Sequence[Entry], kind_counts: str | None = None) -> Figure:
        """The people (or interviews) behind records: the sum of their counts' totals.

        None (not recorded) when no record holds a count; the records without one are
        counted in ``unrecorded``."""
        total = 0
        counted = False
        unrecorded = 0
        estimated: list[tuple[Entry, Grade]] = []
        kinds: set[str] = set()
        for e in entries:
            kinds.add(e.kind)
            c = KINDS[e.kind].count_of(e.record)
            if c is None:
                unrecorded += 1
                continue
            counted = True
            total += c.total
            g = self.grade_of(e, c, "total")
            if g is not Grade.EXACT:
                estimated.append((e, g))
        # no records: nothing happened, 0; records that all lack a count: not recorded
        value = total if counted or not entries else None
        return self._figure(value, entries, estimated, unrecorded, kinds, TOTAL, kind_counts)

    def cell(self, entries: Sequence[Entry], breakdown: str, key: str) -> Figure:
        """One cell of a breakdown summed over records that have that breakdown."""
        total = 0
        estimated: list[tuple[Entry, Grade]] = []
        kinds: set[str] = set()
        for e in entries:
            kinds.add(e.kind)
            c = KINDS[e.kind].count_of(e.record)
            parts = getattr(c, breakdown, None) if c is not None else None
            if parts is None:
                continue
            total += parts.get(key, 0)
            g = self.grade_of(e, c, breakdown)
            if g is not Grade.EXACT:
                estimated.append((e, g))
        return self._figure(total, entries, estimated, 0, kinds, (breakdown, key), None,
                            exact_groups=False)

    # how a record's figure was obtained

    def grade_of(self, e: Entry, count: Any, field: str) -> Grade:
        """The grade of one figure of a record's count (worked out once per figure)."""
        key = (id(e.record), field)
        found = self._grades.get(key)
        if found is None:
            found = self._grades[key] = self._grade_of(e, count, field)
        return found

    def _grade_of(self, e: Entry, count: Any, field: str) -> Grade:
        """The grade of one figure of a record's count (``total``, ``by_sector``): its
        ``basis`` when it gives one, else its ``estimated`` list read as a grade: a total
        in a known total's group is a split of it, a breakdown of a total that is exact or
        itself such a split is a split of that total, any other estimate is sourced when
        the record names its sources."""
        basis = count.basis.get(field) if count.basis else None
        if basis is not None:
            how = basis if isinstance(basis, str) else basis.how
            if how == "counted":
                return Grade.EXACT
            if how == "split":
                return Grade.SPLIT
            if how == "assumed":
                return Grade.ASSUMED
            source = None if isinstance(basis, str) else basis.source
            return Grade.ESTIMATED if source or e.record.sources else Grade.UNSOURCED
        if not count.estimated or field not in count.estimated:
            return Grade.EXACT
        if field == "total":
            return self.estimate(e)
        if self.grade_of(e, count, "total") in (Grade.EXACT, Grade.SPLIT):
            return Grade.SPLIT
        return Grade.ESTIMATED if e.record.sources else Grade.UNSOURCED

    def estimate(self, e: Entry) -> Grade:
        """The grade of a record's estimate that says no more: a share of a known total
        when the project file lists it under one, else sourced or not."""
        if e.record.id in self.groups:
            return Grade.SPLIT
        return Grade.ESTIMATED if e.record.sources else Grade.UNSOURCED

    def given(self, values: Sequence[int | None], counts: str) -> Figure:
        """A sum of numbers the project file gives (the partners' primary participants):
        not a sum over records; None parts are not recorded."""
        known = [v for v in values if v is not None]
        value = sum(known) if known or not values else None
        return Figure(value, unrecorded=len(values) - len(known) if known else 0,
                      counts=counts,
                      grade=Grade.EXACT if value is not None else Grade.NOT_RECORDED)

    def unique(self, entries: Sequence[Entry]) -> tuple[int, int]:
        """Different people among the gatherings' keyed attendees, and their attendances
        (each gathering's different people, added up)."""
        everyone: set[str] = set()
        attendances = 0
        for e in entries:
            keys = set(KINDS[e.kind].count_of(e.record).people or ())
            everyone |= keys
            attendances += len(keys)
        return len(everyone), attendances

    def number(self, entries: Sequence[Entry], counts: str = "records") -> Figure:
        """How many records: a count of records is never estimated."""
        return Figure(len(entries), counts=counts, kinds=_kinds(entries),
                      records=tuple(e.record.id for e in entries))

    def distinct(self, entries: Sequence[Entry], values: Callable[[Entry], Iterable[str]],
                 counts: str) -> Figure:
        """How many different things the records name (host organisations, services)."""
        seen = {v for e in entries for v in values(e)}
        return Figure(len(seen), counts=counts, kinds=_kinds(entries),
                      records=tuple(e.record.id for e in entries))

    def field_sum(self, entries: Sequence[Entry], path: Path, get: Callable[[Any], int],
                  estimated: Callable[[Any], bool], counts: str) -> Figure:
        """A sum of one whole-number field of each record (``risk.reduced``)."""
        total = 0
        est: list[tuple[Entry, Grade]] = []
        for e in entries:
            total += get(e.record)
            if estimated(e.record):
                est.append((e, self.estimate(e)))
        return self._figure(total, entries, est, 0, _kind_set(entries), path, counts,
                            exact_groups=False)

    def combine(self, figures: Sequence[Figure], counts: str | None = None) -> Figure:
        """The sum of figures over different records (a roll-up, the rest of a chart).
        Estimated when any part is; known totals are not looked at again."""
        known = [f for f in figures if f.value is not None and (f.records or f.value)]
        # a part not recorded at all (an activity that happened with no record) counts as one
        unrecorded = sum(f.unrecorded or int(f.value is None and not f.suppressed
                                             and not f.withheld) for f in figures)
        reasons: dict[str | PerLanguage, Grade] = {}
        for f in figures:
            for w, g in zip(f.why, f.why_grades or (f.grade,) * len(f.why), strict=False):
                reasons[w] = worst((reasons.get(w, Grade.EXACT), g))
        value = (sum(f.value for f in known if f.value is not None) if known or not unrecorded
                 else None)
        return Figure(
            value,
            estimated=any(f.estimated for f in figures),
            grade=worst(f.grade for f in known) if value is not None else Grade.NOT_RECORDED,
            estimates=tuple(dict.fromkeys(r for f in figures for r in f.estimates)),
            unrecorded=unrecorded,
            counts=counts if counts is not None else (figures[0].counts if figures else ""),
            path=figures[0].path if figures and all(f.path == figures[0].path for f in figures)
            else (),
            kinds=tuple(sorted({k for f in figures for k in f.kinds})),
            records=tuple(r for f in figures for r in f.records),
            why=tuple(reasons),
            why_grades=tuple(reasons.values()),
            children=any(f.children for f in figures),
        )

    def extreme(self, entries: Sequence[Entry], which: Callable[..., Any]) -> Figure | None:
        """The smallest (``min``) or largest (``max``) count of one record, or None."""
        counted = [e for e in entries if KINDS[e.kind].count_of(e.record) is not None]
        if not counted:
            return None
        e = which(counted, key=lambda e: KINDS[e.kind].count_of(e.record).total)
        return self.people([e])

    # breakdowns

    def group(self, entries: Sequence[Entry], key: Callable[[Entry], Iterable[str]], by: str,
              *, order: str = "size", private: Callable[[Entry], bool] | None = None
              ) -> Breakdown:
        """People grouped by ``key`` (largest first, or in the keys' own ``order="key"``)."""
        members: dict[str, list[Entry]] = defaultdict(list)
        hidden: set[str] = set()
        for e in entries:
            for k in key(e):
                members[k].append(e)
                if private is not None and private(e):
                    hidden.add(k)
        cells = {k: self.people(v) for k, v in members.items()}
        return self._breakdown(by, cells, entries, order, frozenset(hidden))

    def breakdown(self, entries: Sequence[Entry], name: str, by: str, *,
                  private: Callable[[Entry], bool] | None = None,
                  order: str = "size") -> Breakdown:
        """People by a breakdown of their counts (``by_sector``); records that do not break
        their count down are shown as '(not broken down)'."""
        members: dict[str, list[Entry]] = defaultdict(list)
        whole: list[Entry] = []
        hidden: set[str] = set()
        for e in entries:
            if not KINDS[e.kind].count:
                continue
            c = KINDS[e.kind].count_of(e.record)
            parts = getattr(c, name, None) if c is not None else None
            if parts is None:  # no breakdown, or no count at all: not recorded
                whole.append(e)
                continue
            for k in parts:
                members[k].append(e)
                if private is not None and private(e):
                    hidden.add(k)
        cells = {k: self.cell(v, name, k) for k, v in members.items()}
        if whole:
            cells[NOT_BROKEN_DOWN] = self.people(whole)
        counted = [e for e in entries if KINDS[e.kind].count]
        return self._breakdown(by, cells, counted, order, frozenset(hidden))

    def _breakdown(self, by: str, cells: dict[str, Figure], entries: Sequence[Entry],
                   order: str, private: frozenset[str]) -> Breakdown:
        if order == "key":
            keys = sorted(cells, key=natural)
        else:
            keys = sorted(cells, key=lambda k: (k == NOT_BROKEN_DOWN,
                                                -(cells[k].value or 0), natural(k)))
        ordered = {k: cells[k] for k in keys}
        rest = None
        if len(keys) > Breakdown.SHOWN:
            rest = self.combine([ordered[k] for k in keys[Breakdown.SHOWN - 1:]])
        total = self.people(entries) if entries else None
        return Breakdown(by, ordered, total, private, rest)

    # the figure itself

    def _why(self, e: Entry) -> str | PerLanguage:
        """``_why`` of a record, once per record (its figures ask for it again and again)."""
        key = id(e.record)
        why = self._whys.get(key)
        if why is None:
            why = self._whys[key] = _why(e)
        return why

    def _figure(self, value: int | None, entries: Sequence[Entry],
                estimated: list[tuple[Entry, Grade]], unrecorded: int, kinds: set[str],
                path: Path, counts: str | None, *, exact_groups: bool = True) -> Figure:
        if len(entries) == 1:  # a record's own figures: one tuple of its id, shared
            one = entries[0].record
            ids = self._ones.get(id(one))
            if ids is None:
                ids = self._ones[id(one)] = (one.id,)
        else:
            ids = tuple(e.record.id for e in entries)
        path = self._paths.setdefault(path, path)
        if estimated and exact_groups and self.groups:
            inside = set(ids)
            estimated = [(e, g) for e, g in estimated
                         if not any(grp <= inside for grp in self.groups.get(e.record.id, ()))]
        kind_list, alone, children = _of_kinds(kinds)
        why: tuple[Any, ...] = ()
        grades: tuple[Grade, ...] = ()
        estimates: tuple[str, ...] = ()
        if estimated:
            reasons: dict[str | PerLanguage, Grade] = {}
            for e, g in estimated:
                w = self._why(e)
                if w:
                    had = reasons.get(w)
                    reasons[w] = g if had is None or _RANK[g] > _RANK[had] else had
            # shared, as the ids are: most figures of a record give the same reasons
            key = (tuple(reasons), tuple(reasons.values()))
            why, grades = self._reasons.setdefault(key, key)
            estimates = tuple(dict.fromkeys(e.record.id for e, _g in estimated))
            if estimates == ids:
                estimates = ids
        return Figure(
            value, estimated=bool(estimated), unrecorded=unrecorded,
            counts=alone if counts is None else counts, path=path, kinds=kind_list,
            records=ids, why=why, why_grades=grades, children=children,
            grade=(Grade.NOT_RECORDED if value is None else
                   worst(g for _e, g in estimated) if estimated else Grade.EXACT),
            estimates=estimates,
        )


def _of_kinds(kinds: set[str]) -> tuple[tuple[str, ...], str, bool]:
    """What a figure over records of these kinds says of them: the kinds in order, what it
    counts unless told (the kind's own word, or people), and whether any is children."""
    if len(kinds) == 1:  # most figures: a few hundred thousand in a summary
        (name,) = kinds
        k = KINDS[name]
        return _ALONE.setdefault(name, (name,)), k.counts, k.children
    kind_list = tuple(sorted(kinds))
    counts = KINDS[kind_list[0]].counts if len(kind_list) == 1 else "people"
    return kind_list, counts, any(KINDS[k].children for k in kind_list)


_ALONE: dict[str, tuple[str]] = {}


def _kinds(entries: Sequence[Entry]) -> tuple[str, ...]:
    return tuple(sorted({e.kind for e in entries}))


def _kind_set(entries: Sequence[Entry]) -> set[str]:
    return {e.kind for e in entries}


def _why(e: Entry) -> str | PerLanguage:
    """Why a record's figure is estimated, in the record's words (per language where the
    record gives them so): the note of its count, else the sources its basis names, else
    the record's sources ('' when it gives none)."""
    c = KINDS[e.kind].count_of(e.record)
    note = getattr(c, "note", None) if c is not None else None
    if note:
        return squeezed(note)  # type: ignore[no-any-return]
    basis = (c.basis if c is not None else None) or {}
    named = [b.source for b in basis.values() if not isinstance(b, str) and b.source]
    return "; ".join(dict.fromkeys(named)) or "; ".join(e.record.sources)
