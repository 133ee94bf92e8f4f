"""The publication gate: the one way anything about protected people leaves cepa in
``--public``.

Every output in publication mode renders results that went through ``Gate.apply``. The
gate knows what each figure is made of (``Figure.records``, ``Figure.path``), so it does
not rely on lists of keys:

* **Counts of children and service users** (records of kinds marked ``children``, and the
  kinds of any measure in ``disclosure.protected``) are published by the plan
  (cepa/publication/plan.py): a reporting period's total of a kind, each record's total
  and each cell of its breakdowns, as 0, 'c' or rounded, decided from what is already
  published only, so that neither a figure nor the choice of how it is shown lets an
  attacker who knows cepa's rules confine a count of 1 to the threshold to fewer than
  ``threshold`` values. Every other figure about them is the sum of published figures (or
  'c'), so it tells nothing more, in any output, period or roll-up.
* **No figure mixes them with adults' counts**: one that would is withheld.
* **Rows of tables of protected figures are in the order of their keys**, never of their
  values; a key that is free text of a record about children is shown as "service 1".
* **Claims and targets about children** print neither a figure nor a status, and no
  coordinator's sentence that gives a small count of children is published (texts.py).
* **Free text, ids, places and files of records about children** (titles, hosts, service
  names, themes, notes, quotes, cities, breakdown keys, ids, file names) are left out unless
  the record is marked publishable; such records appear as "feedback record 1".

``cepa audit-disclosure`` checks the published result against the attacker's knowledge by
linear programming (cepa/publication/audit.py).
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cepa.base.text import local, natural
from cepa.evidence import measures, periods, summary
from cepa.evidence.coverage import coverage
from cepa.evidence.figures import TOTAL, Breakdown, Figure, Grade, Path, Tally
from cepa.evidence.periods import Period
from cepa.evidence.results import (
    ActivityRow,
    Attendance,
    ClaimRow,
    ClaimStatus,
    DisclosureInfo,
    IndicatorRow,
    Ledger,
    Place,
    RecordRow,
    RollUp,
    RollUpRow,
    SheetRow,
    Summary,
    TargetRow,
    figures_of,
)
from cepa.publication.plan import (
    Block,
    Label,
    PublicationError,
    Record,
    Rules,
    round_half_up,
)
from cepa.publication.texts import about_children, mask_counts
from cepa.records.kind import Parts
from cepa.records.kinds import KINDS
from cepa.records.model import Project

__all__ = ["Gate", "Plan", "PublicationError", "Rules", "gate_for", "round_half_up"]


def publishable_period(project: Project, period: Period) -> None:
    """Publication mode plans the whole project and its named reporting periods together,
    so that no published figure can be subtracted from another; a period made up on the
    command line is not part of that plan."""
    if period.name is None and period.span != project.period:
        raise PublicationError(
            "--public works on the whole project or a reporting period named in the project "
            "file, so that every published output shares one plan; add this period under "
            "'reporting_periods:' and use --period NAME")


#: Breakdown keys that are categories, not free text, and may be shown as they are.
SAFE_KEY = re.compile(
    r"(?i)^(?:\d{1,2}\s*(?:-|–|to)\s*\d{1,2}|\d{1,2}\s*\+|(?:under|over|up to)\s*\d{1,2}"
    r"|female|male|girls?|boys?|other|non-binary|not known|unknown|not stated|"
    r"\(not broken down\)|\(not recorded\)|\(none\))$")

#: Keys in an order of their own, whatever the counts (the parts of risk): kept so.
_FIXED_ORDERS = tuple(stat.parts for k in KINDS.values() for _n, stat in k.stats
                      if isinstance(stat, Parts))

#: The whole project's name among a record's periods.
WHOLE = ""


def protected_kinds(project: Project) -> frozenset[str]:
    ms = measures.measures()
    kinds = {k for k, spec in KINDS.items() if spec.children}
    for m in project.disclosure.protected:
        if m in ms:
            kinds.update(ms[m].kinds)
    return frozenset(kinds)


def protected_entries(ws: Any, kinds: frozenset[str]) -> list[Any]:
    """The records of protected kinds, in the order of their kind, date and id: never of
    their counts."""
    return sorted((e for e in ws.entries if e.kind in kinds),
                  key=lambda e: (e.kind, e.record.date.start, natural(e.record.id)))


def aliases(entries: Iterable[Any]) -> dict[str, str]:
    """record id -> alias ("feedback record 1") for each record about children that is not
    publishable, numbered in the order ``entries`` gives."""
    counters: dict[str, int] = defaultdict(int)
    out: dict[str, str] = {}
    for e in entries:
        kind = KINDS[e.kind]
        if kind.children and not getattr(e.record, "publishable", False):
            counters[e.kind] += 1
            out[e.record.id] = f"{kind.singular} record {counters[e.kind]}"
    return out


def _results(ws: Any, extra: Sequence[Period]) -> Iterable[tuple[Any, str, Period, str]]:
    project = ws.project
    pers = list(periods.named_periods(project))
    pers += [p for p in extra if p not in pers]
    kinds = sorted(protected_kinds(project))
    tally = Tally(project)
    for p in pers:
        entries, _ = periods.in_period(ws.entries, p)
        label = f"{p.name or 'whole project'}: "
        yield summary.summarize(ws, p), label + "summary", p, "summary"
        yield coverage(ws, p), label + "coverage", p, "coverage"
        for field in summary.by_choices():
            yield summary.by(tally, entries, field, kinds), f"{label}by {field}", p, field


@dataclass
class Cell:
    """A protected figure some output shows: its atoms, and where it stands."""

    atoms: frozenset[tuple[str, Path]]
    where: list[str]


class Plan:
    """One project's publication plan: its blocks, planned, and what every figure about
    protected people is published as. It is the same whatever the project is published
    with: a roll-up qualifies its record ids (``Gate``), it does not plan them again."""

    def __init__(self, ws: Any, extra: Sequence[Period] = (), *, merge: bool = True) -> None:
        project = ws.project
        assert project is not None
        self.code = project.code
        self.rules = Rules(int(project.disclosure.threshold), int(project.disclosure.base))
        self.kinds = protected_kinds(project)
        self.measures = measures.protected_measures(project)
        self.periods = list(periods.named_periods(project))
        self.periods += [p for p in extra if p not in self.periods]
        #: record id -> alias ("feedback record 1") for records about children that are not
        #: publishable; publishable ones keep their ids
        self.alias: dict[str, str] = {}
        #: record id -> the paths it has (its total, its breakdown cells)
        self.has: dict[str, set[Path]] = {}
        #: record id -> (block, its number in the block)
        self.where: dict[str, tuple[Block, int]] = {}
        self.blocks: list[Block] = []
        self._index(ws)
        self.cells: dict[frozenset[tuple[str, Path]], Cell] = {}
        #: what the outputs are made of, by period and name: kept for them (publication/)
        self.raw: dict[tuple[Period, str], Any] = {}
        for result, label, per, name in _results(ws, extra):
            self.raw[(per, name)] = result
            for where, f in figures_of(result, label):
                if where.endswith((".smallest", ".rest")):
                    continue  # which records they hold depends on the counts: never shown
                if self.protected(f) and not self.mixed(f):
                    atoms = self.atoms(f)
                    if atoms:
                        self.cells.setdefault(atoms, Cell(atoms, [])).where.append(where)
        for cell in self.cells.values():
            self._watch(cell.atoms)
        for block in self.blocks:
            block.plan(merge)
            if merge and block.unsafe_ranges():  # never: the plan checked every step
                what, (lo, hi) = block.unsafe_ranges()[0]
                raise PublicationError(
                    f"cepa's plan would let a count of {KINDS[block.key[1]].name} ({what}) "
                    f"be confined to {lo} to {hi}; nothing is published - please report "
                    "this as a bug")

    # what the records hold

    def _index(self, ws: Any) -> None:
        members: dict[tuple[str, tuple[str, ...]], list[Record]] = defaultdict(list)
        entries = protected_entries(ws, self.kinds)
        self.alias.update(aliases(entries))
        for e in entries:
            rid = e.record.id
            kind = KINDS[e.kind]
            c = kind.count_of(e.record)
            if c is None or not isinstance(getattr(c, "total", None), int):
                continue
            # the periods whose outputs count it, as they count it (an undated record, or
            # an output published after the end, counts in the whole project's)
            signature = tuple(p.name or WHOLE for p in self.periods
                              if periods.in_period((e,), p)[0])
            if not signature:
                continue  # in no period anything is published for
            parts: dict[str, dict[str, int]] = {}
            paths: set[Path] = {TOTAL}
            for name, cells in count_cells(e, c).items():
                paths.update((name, k) for k in cells)
                if _adds_up(cells, c.total):
                    parts[name] = cells if name == "risk" else dict(
                        sorted(cells.items(), key=lambda kv: natural(kv[0])))
            self.has[rid] = paths
            members[(e.kind, signature)].append(Record(rid, c.total, parts))
        for key, records in members.items():
            block = Block((self.code, *key), records, self.rules)
            self.blocks.append(block)
            for i, r in enumerate(records):
                self.where[r.rid] = (block, i)

    def protected(self, f: Figure) -> bool:
        return bool(f.path) and any(k in self.kinds for k in f.kinds)

    def mixed(self, f: Figure) -> bool:
        return any(k not in self.kinds for k in f.kinds)

    def atoms(self, f: Figure) -> frozenset[tuple[str, Path]]:
        return frozenset((r, f.path) for r in f.records if f.path in self.has.get(r, ()))

    def _watch(self, atoms: Iterable[tuple[str, Path]]) -> None:
        """Let each block check the part of this figure that lies in it, like its counts."""
        for block, (path, members) in _parts(atoms, self.where).items():
            if len(members) == 1 or (path == TOTAL and len(members) == len(block.records)):
                continue  # a record's own count, or the block's total: checked anyway
            block.sums.add((path, tuple(sorted(members))))

    def info(self) -> DisclosureInfo:
        shown = [published(c.atoms, self.where) for c in self.cells.values()]
        return DisclosureInfo(True, self.rules.threshold, self.rules.base,
                              sum(v is None for v, _ in shown), None)


def count_cells(e: Any, c: Any) -> dict[str, dict[str, Any]]:
    """The cells of a record's count ``c`` by group: each breakdown's, then its risk's (an
    outcome record's parts, in their own order)."""
    out: dict[str, dict[str, Any]] = dict(c.breakdowns())
    risk = getattr(e.record, "risk", None)
    if risk is not None:
        out["risk"] = {k: getattr(risk, k) for k in ("reduced", "unchanged", "increased",
                                                     "not_known")}
    return out


def _adds_up(cells: dict[str, Any], total: int) -> bool:
    """A breakdown cepa can publish cell by cell: whole numbers that add up to its total
    (one that does not - written with --allow-errors - is never published)."""
    return all(isinstance(v, int) for v in cells.values()) and sum(cells.values()) == total


def _parts(atoms: Iterable[tuple[str, Path]], where: dict[str, tuple[Block, int]]
           ) -> dict[Block, tuple[Path, set[int]]]:
    out: dict[Block, tuple[Path, set[int]]] = {}
    for rid, path in atoms:
        block, i = where[rid]
        out.setdefault(block, (path, set()))[1].add(i)
    return out


def published(atoms: Iterable[tuple[str, Path]], where: dict[str, tuple[Block, int]]
              ) -> tuple[int | None, bool]:
    """What a figure made of these atoms is published as: its value (None: 'c') and
    whether it is rounded. A count the plan publishes is its label; any other figure the
    sum of the published figures it is made of, block by block."""
    total = 0
    rounded = False
    for block, (path, members) in _parts(atoms, where).items():
        value, r = _part(block, path, members)
        if value is None:
            return None, False
        total += value
        rounded = rounded or r
    return total, rounded


def _part(block: Block, path: Path, members: set[int]) -> tuple[int | None, bool]:
    n = len(block.records)

    def value(key: tuple[object, ...]) -> tuple[int | None, bool]:
        lab: Label = block.label(key)
        return lab.value, lab.state == "rounded"

    if path == TOTAL:
        if len(members) == n:
            return value(("T",))
        if len(members) == 1:
            return value(("r", next(iter(members))))
        got = [value(("r", i)) for i in sorted(members)]
        if all(v is not None for v, _ in got):
            return sum(v for v, _ in got if v is not None), any(r for _, r in got)
        whole = value(("T",))
        rest = [value(("r", i)) for i in range(n) if i not in members]
        if whole[0] is not None and all(v is not None for v, _ in rest):
            left = whole[0] - sum(v for v, _ in rest if v is not None)
            if left > block.rules.threshold:
                return left, True
        return None, False
    name, key = path
    if any(name not in block.records[i].parts for i in members):
        return None, False  # a breakdown that does not add up: never published
    got = [value(("a", i, name, key)) for i in sorted(members)]
    if all(v is not None for v, _ in got):
        return sum(v for v, _ in got if v is not None), any(r for _, r in got)
    return None, False


class Gate:
    """The publication plans of one project, or of several published together (a
    programme roll-up, whose record ids are prefixed with each project's code), and the
    means to apply them to any result."""

    def __init__(self, members: Sequence[tuple[str, Plan]]) -> None:
        #: (prefix, plan): the prefix qualifies the plan's record ids
        self.members = list(members)
        self.plans = [p for _, p in self.members]
        self.by_prefix = dict(self.members)
        self.where: dict[str, tuple[Block, int]] = {}
        self.alias: dict[str, str] = {}
        self.has: dict[str, set[Path]] = {}
        for prefix, p in self.members:
            self.where.update({prefix + k: v for k, v in p.where.items()})
            self.alias.update({prefix + k: v for k, v in p.alias.items()})
            self.has.update({prefix + k: v for k, v in p.has.items()})
        self.kinds: frozenset[str] = frozenset().union(*(p.kinds for p in self.plans))
        self.measures: frozenset[str] = frozenset().union(*(p.measures for p in self.plans))
        self.rules = Rules(max((p.rules.threshold for p in self.plans), default=0),
                           max((p.rules.base for p in self.plans), default=0))

    def info(self) -> DisclosureInfo:
        infos = [p.info() for p in self.plans]
        return DisclosureInfo(True, self.rules.threshold, self.rules.base,
                              sum(i.suppressed for i in infos), None)

    # applying it

    def apply(self, result: Any, prefix: str = "") -> Any:
        """A copy of ``result`` with every protected figure and every private text made
        publishable, and the rules stated."""
        out = self._walk(result, prefix)
        if isinstance(out, Summary):
            out = self._places(out, prefix)
        if dataclasses.is_dataclass(out) and any(f.name == "disclosure"
                                                 for f in dataclasses.fields(out)):
            plan = self.by_prefix.get(prefix)
            info = plan.info() if plan is not None else self.info()
            out = replace(out, disclosure=info)  # type: ignore[type-var]
        if dataclasses.is_dataclass(out) and any(f.name == "fingerprint"
                                                 for f in dataclasses.fields(out)):
            out = replace(out, fingerprint=self.fingerprint(out.fingerprint))  # type: ignore
        return out

    def fingerprint(self, of_records: str) -> str:
        """The records' fingerprint as a public output may carry it: none, since it hashes
        counts that are not published."""
        return ""

    def protected(self, f: Figure) -> bool:
        return bool(f.path) and any(k in self.kinds for k in f.kinds)

    def _threshold(self, prefix: str) -> int:
        plan = self.by_prefix.get(prefix)
        return (plan.rules if plan is not None else self.rules).threshold

    def _mixed(self, f: Figure) -> bool:
        return any(k not in self.kinds for k in f.kinds)

    def atoms(self, f: Figure, prefix: str) -> frozenset[tuple[str, Path]]:
        out = []
        for r in f.records:
            rid = prefix + r
            if f.path in self.has.get(rid, ()):
                out.append((rid, f.path))
        return frozenset(out)

    def figure(self, f: Figure, prefix: str = "") -> Figure:
        records = tuple(self.alias.get(prefix + r, r) for r in f.records)
        estimates = tuple(self.alias.get(prefix + r, r) for r in f.estimates)
        if not any(k in self.kinds for k in f.kinds) or not f.path:
            return f if records == f.records and estimates == f.estimates else replace(
                f, records=records, estimates=estimates)
        why: tuple[str, ...] = ()  # the records' words on an estimate may name the protected
        if self._mixed(f):
            return replace(f, value=None, withheld=True, records=records, why=why,
                           estimates=estimates)
        atoms = self.atoms(f, prefix)
        if not atoms:
            return replace(f, records=records, why=why, children=True, estimates=estimates)
        if any(rid not in self.where for rid, _ in atoms):
            return replace(f, value=None, withheld=True, records=records, why=why,
                           estimates=estimates)
        value, rounded = published(atoms, self.where)
        return replace(f, value=value, suppressed=value is None, rounded=rounded,
                       records=records, why=why, children=True, estimates=estimates)

    def _walk(self, obj: Any, prefix: str) -> Any:
        if isinstance(obj, Figure):
            return self.figure(obj, prefix)
        if isinstance(obj, Breakdown):
            return self._breakdown(obj, prefix)
        if isinstance(obj, ClaimRow):
            return self._claim(obj, prefix)
        if isinstance(obj, TargetRow):
            return self._target(obj, prefix)
        if isinstance(obj, RecordRow):
            return self._row(obj, prefix)
        if isinstance(obj, ActivityRow):
            return self._activity(obj, prefix)
        if isinstance(obj, Attendance) and any(k in self.kinds for k in KINDS
                                               if KINDS[k].attendance):
            out = self._fields(obj, prefix)
            return replace(out, unique_people=None)  # people counted by their hashes
        if isinstance(obj, RollUp):
            return replace(obj, rows=[self._rollup_row(r, prefix) for r in obj.rows])
        if isinstance(obj, Ledger):
            return replace(obj, rows={k: [self._walk(r, prefix) for r in rows]
                                      for k, rows in obj.rows.items()
                                      if k not in self.kinds or not KINDS[k].children})
        if isinstance(obj, SheetRow):  # its fingerprint hashes the true count: none
            return replace(obj, count=self.figure(obj.count, prefix) if obj.count else None,
                           fingerprint="")
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return self._fields(obj, prefix)
        if isinstance(obj, dict):
            return {k: self._walk(v, prefix) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self._walk(v, prefix) for v in obj if not self._dropped(v, prefix)]
        if isinstance(obj, tuple):
            return tuple(self._walk(v, prefix) for v in obj)
        return obj

    def _fields(self, obj: Any, prefix: str) -> Any:
        changes = {f.name: self._walk(getattr(obj, f.name), prefix)
                   for f in dataclasses.fields(obj)}
        for f in dataclasses.fields(obj):
            if f.metadata.get("record_ids"):
                changes[f.name] = [self.alias.get(prefix + i, i) for i in getattr(obj, f.name)]
            elif f.metadata.get("record_files"):
                ids = getattr(obj, f.metadata["record_files"])
                changes[f.name] = ["not published" if prefix + i in self.alias else p
                                   for i, p in zip(ids, getattr(obj, f.name), strict=True)]
        return replace(obj, **changes)

    def _row(self, row: RecordRow, prefix: str) -> RecordRow:
        """A record's row: its figures through the gate; a private record (about children,
        not publishable) under its alias, with none of its texts, its city or its file."""
        protected = row.kind in self.kinds
        out = replace(row, count=self.figure(row.count, prefix) if row.count else None,
                      breakdowns={k: self._breakdown(b, prefix)
                                  for k, b in row.breakdowns.items()},
                      people=None if protected else row.people)
        rid = prefix + row.id
        if not (row.private or rid in self.alias):
            return out
        alias = self.alias.get(rid, f"{KINDS[row.kind].singular} record")
        place = row.place
        if place is not None:
            place = Place(None, place.country, place.mode)
        return replace(out, id=alias, title=alias[:1].upper() + alias[1:], place=place,
                       fields={k: None for k in row.fields},
                       texts={k: v if k in KINDS[row.kind].published_texts else []
                              for k, v in row.texts.items()}, notes=None, change=None,
                       revision=None, source="not published")

    def _activity(self, a: ActivityRow, prefix: str) -> ActivityRow:
        out: ActivityRow = self._fields(a, prefix)
        # an indicator of one record about children (a smallest or largest, 'aggregate:
        # min'): which record it is was chosen on the true counts, and says their order
        indicators = [replace(i, actual=_hidden_choice(i.actual))
                      if (f := was.actual) is not None and i.actual is not None
                      and self.protected(f) and len(f.records) <= 1 else i
                      for was, i in zip(a.indicators, out.indicators, strict=True)]
        if a.kind not in self.kinds:
            # a figure the project file gives, under words about children, counts them
            return replace(out, indicators=[_withheld(i) if about_children(i.text) else i
                                            for i in indicators])
        # the smallest record is such a choice too
        smallest = None if a.smallest is None else _hidden_choice(self.figure(a.smallest,
                                                                              prefix))
        return replace(out, smallest=smallest,
                       indicators=[_withheld(i) for i in indicators])

    def _places(self, s: Summary, prefix: str) -> Summary:
        """An activity's places: only those of records whose places are published (a
        private record's city is not)."""
        public: dict[str, set[tuple[str | None, str | None]]] = defaultdict(set)
        private_kinds = {k for k in self.kinds if KINDS[k].children}
        for kind, section in s.kinds.items():
            if kind in private_kinds:
                for r in section.rows:
                    if not r.private and r.place is not None:
                        public[r.activity].add((r.place.city, r.place.country))
        activities = []
        for a in s.activities:
            if a.kind in private_kinds:
                kept: list[Place] = []
                for p in a.places:
                    q = p if (p.city, p.country) in public[a.id] or p.city is None else \
                        Place(None, p.country, p.mode)
                    if q not in kept:
                        kept.append(q)
                a = replace(a, places=kept)
            activities.append(a)
        return replace(s, activities=activities)

    def _dropped(self, obj: Any, prefix: str) -> bool:
        """A record's note that must not be published at all."""
        return bool(getattr(obj, "DROPPED_WHEN_PRIVATE", False)) and (
            not getattr(obj, "publishable", True) or prefix + obj.id in self.alias)

    def _breakdown(self, b: Breakdown, prefix: str) -> Breakdown:
        """A breakdown through the gate; one of protected figures in the order of its keys
        (never of its values), its private keys numbered in that order."""
        protected = any(self.protected(f) for f in b.cells.values())
        keys = list(b.cells)
        if protected and not any(set(keys) <= set(fixed) for fixed in _FIXED_ORDERS):
            keys.sort(key=lambda k: (k == "(not broken down)", k == "(not recorded)",
                                     natural(k)))
        cells: dict[str, Figure] = {}
        n = 0
        for key in keys:
            label = key
            if key in b.private and not SAFE_KEY.match(key):
                n += 1
                label = f"{b.by} {n}"
            cells[label] = self.figure(b.cells[key], prefix)
        rest = b.rest
        if rest is not None:
            rest = self.figure(rest, prefix) if not protected else _sum(
                list(cells.values())[Breakdown.SHOWN - 1:], rest)
        return Breakdown(b.by, cells,
                         self.figure(b.total, prefix) if b.total is not None else None,
                         frozenset(), rest)

    def _rollup_row(self, row: RollUpRow, prefix: str) -> RollUpRow:
        return replace(row, projects=[self.figure(f, prefix) for f in row.projects],
                       total=self.figure(row.total, prefix))

    def _claim(self, c: ClaimRow, prefix: str) -> ClaimRow:
        records = [self.alias.get(prefix + i, i) for i in c.records]
        text, masked = mask_counts(c.text, self._threshold(prefix),
                                   everything=c.measure in self.measures)
        if masked or c.measure in self.measures or (c.computed is not None
                                                    and self.protected(c.computed)):
            return replace(c, text=text, computed=None, claimed=None,
                           status=ClaimStatus.NOT_PUBLISHED, records=[], estimates=[])
        return replace(c, computed=self.figure(c.computed, prefix) if c.computed else None,
                       records=records,
                       estimates=[self.alias.get(prefix + i, i) for i in c.estimates])

    def _target(self, t: TargetRow, prefix: str) -> TargetRow:
        text, masked = mask_counts(t.text, self._threshold(prefix),
                                   everything=t.actual is not None
                                   and self.protected(t.actual))
        if masked or (t.actual is not None and self.protected(t.actual)):
            return replace(t, text=text, actual=None, percent=None, withheld=True)
        return replace(t, actual=self.figure(t.actual, prefix) if t.actual else None)


def published_totals(roll: RollUp) -> RollUp:
    """A roll-up of published figures, its totals made the sums of what the projects
    publish: 'c' where one of them is 'c', so a total tells nothing they do not."""
    rows = []
    for row in roll.rows:
        if any(f.children or f.suppressed or f.withheld for f in row.projects):
            row = replace(row, total=_sum(row.projects, row.total))
        rows.append(row)
    return replace(roll, rows=rows)


def _hidden_choice(f: Figure) -> Figure:
    """A figure of one record chosen on the true counts (the smallest): not shown, and
    nothing of it that would say which record it is."""
    return replace(f, value=None, withheld=True, suppressed=False, rounded=False, records=(),
                   estimates=(), estimated=False, why=(), why_grades=(), grade=Grade.EXACT,
                   unrecorded=0)


def _withheld(i: IndicatorRow) -> IndicatorRow:
    """An indicator whose actual figure is a number the project file gives (not computed
    from records, so the gate cannot plan it): not published."""
    if i.actual is None or i.actual.kinds:
        return i
    return replace(i, actual=replace(i.actual, value=None, withheld=True))


def _sum(figures: list[Figure], like: Figure) -> Figure:
    """The sum of published figures (a chart's 'others', a roll-up's total): 'c' when one
    of them is."""
    if any(f.suppressed or f.withheld for f in figures):
        return replace(like, value=None, suppressed=True, rounded=False, records=(), why=(),
                       children=True)
    known = [f.value for f in figures if f.value is not None]
    return replace(like, value=sum(known) if known or not figures else None,
                   unrecorded=sum(f.unrecorded for f in figures), suppressed=False,
                   rounded=any(f.rounded for f in figures),
                   records=tuple(r for f in figures for r in f.records), why=())


# --- for the commands --------------------------------------------------------------------


def about_protected(ws: Any, problem: Any) -> bool:
    """Is this problem a claim or a known total about protected people found not to hold?
    A public output must not depend on it (its being written would confirm their count)."""
    project = ws.project
    if project is None:
        return False
    if problem.code == "claim-contradicted":
        protected = measures.protected_measures(project)
        lang = project.language
        return any(problem.message.startswith(f"claim '{local(c.text, lang, lang)}'")
                   for c in project.claims if c.quantity.measure in protected)
    if problem.code == "known-total-mismatch":
        kinds = protected_kinds(project)
        by_id = {e.record.id: e.kind for e in ws.entries}
        return any(problem.message.startswith(f"known total '{k.id}'")
                   and any(by_id.get(r) in kinds for r in k.records)
                   for k in project.known_totals)
    return False


def gate_for(workspaces: Sequence[Any], extra: Sequence[Period] = (), *,
             merge: bool = True) -> Gate:
    """The publication plan of one project, or of several published together (a programme
    roll-up: each project is planned on its own, so its figures come out the same on their
    own and in any roll-up; record ids are prefixed with each project's code)."""
    several = len(workspaces) > 1
    return Gate([(prefix_of(ws, several), plan_of(ws, extra, merge=merge))
                 for ws in workspaces])


#: Plans made in this process, by workspace: a workspace is not changed once loaded, and
#: one output asks for its plan several times (the summary, each --by, the workbook).
_PLANS: dict[int, tuple[weakref.ref[Any], dict[tuple[Any, ...], Plan]]] = {}


def plan_of(ws: Any, extra: Sequence[Period] = (), *, merge: bool = True) -> Plan:
    """The plan of a loaded project (made once per workspace and process)."""
    key = (tuple(p for p in extra if p.name is None and p.span != ws.project.period),
           merge)
    held = _PLANS.get(id(ws))
    if held is None or held[0]() is not ws:
        if len(_PLANS) > 64:
            for k in [k for k, (ref, _) in _PLANS.items() if ref() is None]:
                del _PLANS[k]
        held = _PLANS[id(ws)] = (weakref.ref(ws), {})
    plans = held[1]
    if key not in plans:
        plans[key] = Plan(ws, extra, merge=merge)
    return plans[key]


def prefix_of(ws: Any, several: bool) -> str:
    """What a record's id is prefixed with beside other projects: the project's label
    (unique in the roll-up), so that two projects' records are never taken for one."""
    return f"{ws.label or ws.project.code}:" if several else ""
