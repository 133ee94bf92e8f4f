"""The publication gate: the one way anything about children leaves cepa in ``--public``.

Every output in publication mode renders results that went through ``Gate.apply``. The
gate knows what each figure is made of (``Figure.records``, ``Figure.path``), so it does
not rely on lists of keys:

* **Counts of children and service users** (records of kinds marked ``children``, and the
  kinds of any measure in ``disclosure.protected``) are protected: 0 stays 0, 1 to the
  threshold is suppressed (shown ``c``), the rest is rounded half up to the base.
* **No figure mixes them with adults' counts**: one that would is withheld.
* **Suppression is planned once for everything the project can publish**: every
  protected figure of the summary, the coverage matrix and every ``--by`` breakdown, for
  the whole project and each reporting period of the project file. A figure that appears
  in several tables, or in several periods, is one cell with one fate, and a cell
  suppressed anywhere cannot be worked out from anything else any of those outputs show:
  for every suppressed cell, linear programming (cepa/publication/audit.py) computes the interval an
  attacker can confine it to from all the published relations at once, and further cells
  are suppressed until no interval is narrower than the threshold.
* **Claims and targets about children** print neither a figure nor a status.
* **Free text from records about children** (ids, titles, hosts, service names, themes,
  notes, sources, breakdown keys) is left out unless the record is marked publishable;
  such records appear as "feedback record 1".

``Gate.audit`` is what ``cepa audit-disclosure`` prints.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from cepa.base.text import natural
from cepa.evidence import measures, periods, summary
from cepa.evidence.coverage import coverage
from cepa.evidence.figures import TOTAL, Breakdown, Figure, Path, Tally
from cepa.evidence.periods import Period
from cepa.evidence.results import (
    ClaimRow,
    ClaimStatus,
    DisclosureInfo,
    Ledger,
    Place,
    RecordRow,
    SheetRow,
    TargetRow,
    figures_of,
)
from cepa.publication.audit import Attack, Known, rounding_interval
from cepa.records.kinds import KINDS
from cepa.records.model import Project


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

#: Breakdown keys that are categories, not free text, and may be shown as they are.
SAFE_KEY = re.compile(
    r"(?i)^(?:\d{1,2}\s*(?:-|–|to)\s*\d{1,2}|\d{1,2}\s*\+|(?:under|over|up to)\s*\d{1,2}"
    r"|female|male|girls?|boys?|other|non-binary|not known|unknown|not stated|"
    r"\(not broken down\)|\(none\))$")


@dataclass(frozen=True)
class Rules:
    threshold: int = 7
    base: int = 5


def round_half_up(n: int, base: int) -> int:
    """``n`` rounded to a multiple of ``base``, halves up (12.5 -> 15, not round()'s 10)."""
    return (2 * n + base) // (2 * base) * base


@dataclass(frozen=True)
class CellAudit:
    """One suppressed cell and what an attacker can learn about it."""

    where: str         #: where it is first shown
    shown_in: int      #: how many places show it
    low: int           #: the least value it can have, given everything published
    high: float        #: the greatest (inf: no upper limit)
    threshold: int

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def safe(self) -> bool:
        return self.width >= self.threshold


@dataclass
class _Cell:
    atoms: frozenset[Any]
    value: int
    where: list[str]
    state: str = ""       #: "zero", "rounded", "suppressed"
    shown: int | None = None


class Gate:
    """One project's (or programme's) publication plan, and the means to apply it.

    ``sources`` are (prefix, workspace) pairs: the prefix qualifies record ids when several
    projects are published together. ``results`` are every result that may be published,
    each with its prefix and a label saying which it is (its period).
    """

    def __init__(self, sources: Sequence[tuple[str, Any]],
                 results: Sequence[tuple[str, Any, str]],
                 rules: Rules, protected_kinds: frozenset[str],
                 measures: frozenset[str] = frozenset(), *, secondary: bool = True) -> None:
        self.rules = rules
        self.secondary = secondary
        self.protected_kinds = protected_kinds
        #: claim and target measures that count children
        self.measures = measures
        self.values: dict[Any, int] = {}
        self.structure: list[tuple[list[Any], Any]] = []
        self.has: dict[str, set[Path]] = {}
        self.publishable: set[str] = set()
        self.alias: dict[str, str] = {}
        for prefix, ws in sources:
            self._index(prefix, ws)
        self.cells: dict[frozenset[Any], _Cell] = {}
        for prefix, result, label in results:
            for where, f in figures_of(result, label):
                if self._protected(f) and not self._mixed(f):
                    atoms = self._atoms(f, prefix)
                    if not atoms:
                        continue
                    cell = self.cells.get(atoms)
                    if cell is None:
                        cell = self.cells[atoms] = _Cell(
                            atoms, sum(self.values[a] for a in atoms), [])
                    cell.where.append(where)
        for cell in self.cells.values():
            cell.where.sort(key=_place)
        self._plan()

    # what the records hold

    def _index(self, prefix: str, ws: Any) -> None:
        counters: dict[str, int] = defaultdict(int)
        entries = sorted((e for e in ws.entries if e.kind in self.protected_kinds),
                         key=lambda e: (e.kind, e.record.date.start, natural(e.record.id)))
        for e in entries:
            rid = prefix + e.record.id
            kind = KINDS[e.kind]
            if getattr(e.record, "publishable", False):
                self.publishable.add(rid)
            elif kind.children:
                counters[e.kind] += 1
                self.alias[rid] = f"{kind.singular} record {counters[e.kind]}"
            c = kind.count_of(e.record)
            if c is None:
                continue
            paths: set[Path] = {TOTAL}
            total = (rid, TOTAL)
            self.values[total] = c.total
            for name, parts in c.breakdowns().items():
                atoms = []
                for key, n in parts.items():
                    a = (rid, (name, key))
                    self.values[a] = n
                    atoms.append(a)
                    paths.add((name, key))
                self.structure.append((atoms, total))
            risk = getattr(e.record, "risk", None)
            if risk is not None:
                atoms = []
                for key in ("reduced", "unchanged", "increased", "not_known"):
                    a = (rid, ("risk", key))
                    self.values[a] = getattr(risk, key)
                    atoms.append(a)
                    paths.add(("risk", key))
                self.structure.append((atoms, total))
            self.has[rid] = paths

    def _protected(self, f: Figure) -> bool:
        return bool(f.path) and any(k in self.protected_kinds for k in f.kinds)

    def _mixed(self, f: Figure) -> bool:
        return any(k not in self.protected_kinds for k in f.kinds)

    def _atoms(self, f: Figure, prefix: str) -> frozenset[Any]:
        out = []
        for r in f.records:
            rid = prefix + r
            if f.path in self.has.get(rid, ()):
                out.append((rid, f.path))
        return frozenset(out)

    # the plan

    def _plan(self) -> None:
        t, base = self.rules.threshold, self.rules.base
        for cell in self.cells.values():
            if cell.value == 0:
                cell.state, cell.shown = "zero", 0
            elif cell.value <= t:
                cell.state = "suppressed"
            else:
                cell.state, cell.shown = "rounded", round_half_up(cell.value, base)
        self.attack = self._attack()
        by_record: dict[Any, list[_Cell]] = defaultdict(list)
        for cell in self.cells.values():
            for rid, _path in cell.atoms:
                by_record[rid].append(cell)
        queue = sorted((c for c in self.cells.values() if c.state == "suppressed"),
                       key=_order)
        self.intervals: dict[frozenset[Any], tuple[int, float]] = {}
        i = 0
        while i < len(queue):
            cell = queue[i]
            low, high = self.attack.interval(cell.atoms)
            self.intervals[cell.atoms] = (low, high)
            if high - low >= t or not self.secondary:
                i += 1
                continue
            linked = {id(c): c for rid, _ in cell.atoms for c in by_record[rid]}
            pool = sorted((c for c in linked.values() if c.state == "rounded"), key=_order) or \
                sorted((c for c in self.cells.values() if c.state == "rounded"), key=_order)
            if not pool:
                i += 1  # nothing left to suppress: the audit reports it
                continue
            victim = self._choose(cell, pool)
            victim.state, victim.shown = "suppressed", None
            self.attack.relax(victim.atoms)
            queue.append(victim)

    #: how many candidates to try, smallest first, before settling for the most helpful
    TRIES = 12

    def _choose(self, cell: _Cell, pool: list[_Cell]) -> _Cell:
        """The cell to suppress next so that ``cell`` is protected: the smallest one whose
        suppression alone is enough, else the one that widens ``cell``'s interval most."""
        t = self.rules.threshold
        best, best_width = pool[0], -1.0
        for candidate in pool[: self.TRIES]:
            low, high = self.attack.tentative(candidate.atoms, cell.atoms)
            if high - low >= t:
                return candidate
            if high - low > best_width:
                best, best_width = candidate, high - low
        return best

    def _attack(self) -> Attack:
        known = []
        for cell in self.cells.values():
            if cell.state == "zero":
                known.append(Known(cell.atoms, 0, 0))
            elif cell.state == "rounded":
                assert cell.shown is not None
                low, high = rounding_interval(cell.shown, self.rules.base, self.rules.threshold)
                known.append(Known(cell.atoms, low, high))
            else:
                known.append(Known(cell.atoms, 1, float("inf")))
        return Attack(self.values, known, self.structure)

    # what it tells

    def audit(self, fresh: bool = True) -> list[CellAudit]:
        """Every suppressed cell with the interval an attacker can confine it to, computed
        afresh over the final plan (``fresh=False``: as computed while planning, which can
        only be narrower)."""
        out = []
        for cell in sorted(self.cells.values(), key=lambda c: c.where[0]):
            if cell.state != "suppressed":
                continue
            cached = None if fresh else self.intervals.get(cell.atoms)
            low, high = cached or self.attack.interval(cell.atoms)
            out.append(CellAudit(cell.where[0], len(cell.where), low, high,
                                 self.rules.threshold))
        return out

    @property
    def unsafe(self) -> list[CellAudit]:
        """Suppressed cells an attacker could confine too narrowly (none, unless there was
        nothing left to suppress, or secondary suppression was turned off)."""
        return [a for a in self.audit(fresh=False) if not a.safe]

    def info(self) -> DisclosureInfo:
        audit = self.audit(fresh=False)
        widths = [a.width for a in audit if a.width != float("inf")]
        return DisclosureInfo(True, self.rules.threshold, self.rules.base, len(audit),
                              int(min(widths)) if widths else None)

    # applying it

    def apply(self, result: Any, prefix: str = "") -> Any:
        """A copy of ``result`` with every protected figure and every private text made
        publishable, and the rules stated."""
        out = self._walk(result, prefix)
        if dataclasses.is_dataclass(out) and any(f.name == "disclosure"
                                                 for f in dataclasses.fields(out)):
            out = replace(out, disclosure=self.info())  # type: ignore[type-var]
        if dataclasses.is_dataclass(out) and any(f.name == "fingerprint"
                                                 for f in dataclasses.fields(out)):
            out = replace(out, fingerprint=self.fingerprint(out.fingerprint))  # type: ignore
        return out

    def fingerprint(self, of_records: str) -> str:
        """The records' fingerprint as a public output may carry it: none, since it hashes
        counts that are not published."""
        return ""

    def figure(self, f: Figure, prefix: str = "") -> Figure:
        records = tuple(self.alias.get(prefix + r, r) for r in f.records)
        estimates = tuple(self.alias.get(prefix + r, r) for r in f.estimates)
        if not any(k in self.protected_kinds for k in f.kinds) or not f.path:
            return f if records == f.records and estimates == f.estimates else replace(
                f, records=records, estimates=estimates)
        why: tuple[str, ...] = ()  # the records' words on an estimate may name the protected
        if self._mixed(f):
            return replace(f, value=None, withheld=True, records=records, why=why,
                           estimates=estimates)
        atoms = self._atoms(f, prefix)
        if not atoms:
            return replace(f, records=records, why=why, children=True, estimates=estimates)
        cell = self.cells.get(atoms)
        if cell is None:  # not in the plan: never shown
            return replace(f, value=None, withheld=True, records=records, why=why,
                           estimates=estimates)
        return replace(f, value=cell.shown, suppressed=cell.state == "suppressed",
                       rounded=cell.state == "rounded", records=records, why=why,
                       children=True, estimates=estimates)

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
        if isinstance(obj, Ledger):
            return replace(obj, rows={k: [self._walk(r, prefix) for r in rows]
                                      for k, rows in obj.rows.items()
                                      if k not in self.protected_kinds
                                      or not KINDS[k].children})
        if isinstance(obj, SheetRow):  # its fingerprint hashes the true count: none
            return replace(obj, count=self.figure(obj.count, prefix) if obj.count else None,
                           fingerprint="")
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            changes = {f.name: self._walk(getattr(obj, f.name), prefix)
                       for f in dataclasses.fields(obj)}
            for f in dataclasses.fields(obj):
                if f.metadata.get("record_ids"):
                    changes[f.name] = [self.alias.get(prefix + i, i)
                                       for i in getattr(obj, f.name)]
                elif f.metadata.get("record_files"):
                    ids = getattr(obj, f.metadata["record_files"])
                    changes[f.name] = ["not published" if prefix + i in self.alias else p
                                       for i, p in zip(ids, getattr(obj, f.name), strict=True)]
            return replace(obj, **changes)
        if isinstance(obj, dict):
            return {k: self._walk(v, prefix) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self._walk(v, prefix) for v in obj if not self._dropped(v, prefix)]
        if isinstance(obj, tuple):
            return tuple(self._walk(v, prefix) for v in obj)
        return obj

    def _row(self, row: RecordRow, prefix: str) -> RecordRow:
        """A record's row: its figures through the gate; a private record (about children,
        not publishable) under its alias, with none of its texts, its city or its file."""
        out = replace(row, count=self.figure(row.count, prefix) if row.count else None,
                      breakdowns={k: self._breakdown(b, prefix)
                                  for k, b in row.breakdowns.items()})
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
                       source="not published")

    def _dropped(self, obj: Any, prefix: str) -> bool:
        """A record's note that must not be published at all."""
        return bool(getattr(obj, "DROPPED_WHEN_PRIVATE", False)) and (
            not getattr(obj, "publishable", True) or prefix + obj.id in self.alias)

    def _breakdown(self, b: Breakdown, prefix: str) -> Breakdown:
        cells: dict[str, Figure] = {}
        n = 0
        for key, f in b.cells.items():
            label = key
            if key in b.private and not SAFE_KEY.match(key):
                n += 1
                label = f"{b.by} {n}"
            cells[label] = self.figure(f, prefix)
        return Breakdown(b.by, cells,
                         self.figure(b.total, prefix) if b.total is not None else None,
                         frozenset(),
                         self.figure(b.rest, prefix) if b.rest is not None else None)

    def _claim(self, c: ClaimRow, prefix: str) -> ClaimRow:
        if c.measure in self.measures or (c.computed is not None
                                          and self._protected(c.computed)):
            return replace(c, computed=None, claimed=None, status=ClaimStatus.NOT_PUBLISHED,
                           records=[], estimates=[])
        return replace(c, computed=self.figure(c.computed, prefix) if c.computed else None,
                       records=[self.alias.get(prefix + i, i) for i in c.records],
                       estimates=[self.alias.get(prefix + i, i) for i in c.estimates])

    def _target(self, t: TargetRow, prefix: str) -> TargetRow:
        if t.actual is not None and (self._protected(t.actual)):
            return replace(t, actual=None, percent=None, withheld=True)
        return t


def _place(where: str) -> tuple[int, int, str]:
    """Which place names a cell best: a record's own row, then breakdowns, then the rest."""
    rank = 0 if "rows[" in where else (
        2 if any(w in where for w in ("activities", "planned", "objectives", "smallest",
                                      ".rest", ".total")) else 1)
    return (rank, len(where), where)


def _order(cell: _Cell) -> tuple[int, int, list[Any]]:
    return (cell.value, len(cell.atoms), sorted(map(str, cell.atoms)))


# --- for the commands --------------------------------------------------------------------


def protected_kinds(project: Project) -> frozenset[str]:
    ms = measures.measures()
    kinds = {k for k, spec in KINDS.items() if spec.children}
    for m in project.disclosure.protected:
        if m in ms:
            kinds.update(ms[m].kinds)
    return frozenset(kinds)


def publication_results(ws: Any, extra: Sequence[Period] = ()) -> list[tuple[Any, str]]:
    """Everything one project can publish: the summary, the coverage matrix and every
    ``--by`` breakdown of protected kinds, for the whole project, each reporting period of
    the project file, and ``extra`` periods."""
    project = ws.project
    pers = list(periods.named_periods(project))
    pers += [p for p in extra if p not in pers]
    kinds = sorted(protected_kinds(project))
    tally = Tally(project)
    results: list[tuple[Any, str]] = []
    for p in pers:
        entries, _ = periods.in_period(ws.entries, p)
        label = f"{p.name or 'whole project'}: "
        results.append((summary.summarize(ws, p), label + "summary"))
        results.append((coverage(ws, p), label + "coverage"))
        for field in summary.by_choices():
            results.append((summary.by(tally, entries, field, kinds), f"{label}by {field}"))
    return results


def gate_for(workspaces: Sequence[Any], extra: Sequence[Period] = (),
             also: Sequence[Any] = (), *, secondary: bool = True) -> Gate:
    """The publication plan of one project, or of several published together (a
    programme roll-up, whose record ids are prefixed with each project's code; ``also``
    are the roll-up's own results)."""
    several = len(workspaces) > 1
    sources = [(f"{ws.project.code}:" if several else "", ws) for ws in workspaces]
    results: list[tuple[str, Any, str]] = [
        (prefix, r, (f"{ws.project.code} " if several else "") + label)
        for prefix, ws in sources for r, label in publication_results(ws, extra)]
    results += [("", r, "roll-up") for r in also]
    protected: frozenset[str] = frozenset().union(
        *(measures.protected_measures(ws.project) for ws in workspaces))
    kinds: frozenset[str] = frozenset().union(*(protected_kinds(ws.project) for ws in workspaces))
    rules = Rules(max(ws.project.disclosure.threshold for ws in workspaces),
                  max(ws.project.disclosure.base for ws in workspaces))
    gate = Gate(sources, results, rules, kinds, protected, secondary=secondary)
    if secondary and gate.unsafe:
        cells = ", ".join(a.where for a in gate.unsafe[:3])
        raise PublicationError(
            f"a suppressed count could be worked out from the published figures ({cells}); "
            "nothing is published - run 'cepa audit-disclosure' for the details")
    return gate


def prefix_of(ws: Any, several: bool) -> str:
    return f"{ws.project.code}:" if several else ""
