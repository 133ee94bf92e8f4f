"""For whom an output is: the team, an evaluator, or the public.

* **team** (the default): every figure as recorded, every record row by row; the owner's
  eyes only when it holds records about children.
* **evaluator**: a funder's evaluator under contract, who must check every total, claim and
  coverage cell, but is not cleared for row-level data about protected people (children and
  service users, and the measures of ``disclosure.protected``). Totals stay exact; what is
  left out is each record about protected people (its row, and any figure made of that one
  record alone: a service's count, the smallest session), and their free text (titles,
  hosts, services, themes, notes of records not marked publishable), whose ids read
  "outcome record 1". Claims and coverage stay checkable: their figures, the record counts
  behind them and how each was obtained.
* **public**: ``--public``, through the publication gate (cepa/publication/gate.py):
  suppressed and rounded.

The evaluator's view is the same gate applied with other rules (``EvaluatorGate``): every
output for an evaluator is made from results that passed it, as every public one is made
from results that passed the public gate; no output counts anything beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum
from typing import Any

from cepa.evidence import measures
from cepa.evidence.figures import Figure, Path
from cepa.evidence.results import (
    ClaimRow,
    ClaimStatus,
    DisclosureInfo,
    Ledger,
    RecordRow,
    TargetRow,
)
from cepa.publication.gate import (
    Gate,
    Rules,
    aliases,
    count_cells,
    prefix_of,
    protected_entries,
    protected_kinds,
)


class Audience(StrEnum):
    TEAM = "team"
    EVALUATOR = "evaluator"
    PUBLIC = "public"


def audience_of(public: bool = False, audience: Audience | str | None = None) -> Audience:
    """The audience a command or a call asks for: ``--public`` is the public one."""
    if audience is not None:
        return Audience(audience)
    return Audience.PUBLIC if public else Audience.TEAM


class EvaluatorGate(Gate):
    """The evaluator's rules, applied as the publication gate applies its own: exact
    figures, no row-level record and no free text about protected people."""

    def __init__(self, sources: Sequence[tuple[str, Any]], kinds: frozenset[str],
                 protected: frozenset[str], rules: Rules, public: Gate | None = None) -> None:
        super().__init__([])  # no plan: every figure stays exact
        #: the public's gate, where the period can be published: a figure withheld here is
        #: shown as the public sees it (an evaluator never sees less than the public)
        self.public = public
        self.rules = rules
        self.kinds = kinds
        self.measures = protected
        #: record id -> each figure of its count (its total, its breakdowns' cells)
        self.values: dict[str, dict[Path, int | None]] = {}
        for prefix, ws in sources:
            entries = protected_entries(ws, kinds)
            self.alias.update({prefix + k: v for k, v in aliases(entries).items()})
            for e in entries:
                self.values[prefix + e.record.id] = _values(e)

    def fingerprint(self, of_records: str) -> str:
        """An evaluator's output carries the records' fingerprint, as the team's does: it
        tells which records it came from (and ``cepa diff`` what changed since)."""
        return of_records

    def info(self) -> DisclosureInfo:
        return DisclosureInfo(True, self.rules.threshold, self.rules.base,
                              audience=str(Audience.EVALUATOR))

    def figure(self, f: Figure, prefix: str = "") -> Figure:
        out = self.own(f, prefix)
        if out.withheld and self.public is not None and not self._mixed(f):
            shown = self.public.figure(f, prefix)
            if not shown.withheld:
                return shown
        return out

    def own(self, f: Figure, prefix: str = "") -> Figure:
        """A figure by the evaluator's rules alone: exact, or withheld."""
        records = tuple(self.alias.get(prefix + r, r) for r in f.records)
        estimates = tuple(self.alias.get(prefix + r, r) for r in f.estimates)
        if not self.protected(f):
            return f if records == f.records and estimates == f.estimates else replace(
                f, records=records, estimates=estimates)
        # the records' own words about an estimate may name what is protected
        out = replace(f, records=records, estimates=estimates, why=(), children=True)
        if f.value is None:  # not recorded: nothing to withhold, and it says so
            return out
        if self._mixed(f) or self._alone(f, prefix):  # adds to adults, or one record's
            return replace(out, value=None, withheld=True)
        return out

    def _alone(self, f: Figure, prefix: str) -> bool:
        """Is the figure one record's count: at most one record behind it gives a part of
        it (the others' parts are 0 or not recorded)?"""
        giving = 0
        for r in f.records:
            held = self.values.get(prefix + r)
            v = held.get(f.path, 0) if held is not None else None
            if held is None or v:  # a record it cannot look into counts as giving
                giving += 1
                if giving > 1:
                    return False
        return bool(f.value)

    def _walk(self, obj: Any, prefix: str) -> Any:
        if isinstance(obj, Ledger):  # no sheet of records about protected people
            return replace(obj, rows={k: [self._walk(r, prefix) for r in rows]
                                      for k, rows in obj.rows.items()
                                      if k not in self.kinds})
        return super()._walk(obj, prefix)

    def _dropped(self, obj: Any, prefix: str) -> bool:
        if isinstance(obj, RecordRow):  # no row about protected people
            return obj.kind in self.kinds
        return super()._dropped(obj, prefix)

    def _claim(self, c: ClaimRow, prefix: str) -> ClaimRow:
        # judged on the evaluator's rules: whether a claim about one record holds would
        # confirm its exact count
        computed = self.own(c.computed, prefix) if c.computed is not None else None
        if computed is not None and computed.withheld:
            return replace(c, computed=None, claimed=None, status=ClaimStatus.NOT_PUBLISHED,
                           records=[], estimates=[])
        return replace(c, computed=computed,
                       records=[self.alias.get(prefix + i, i) for i in c.records],
                       estimates=[self.alias.get(prefix + i, i) for i in c.estimates])

    def _target(self, t: TargetRow, prefix: str) -> TargetRow:
        actual = self.own(t.actual, prefix) if t.actual is not None else None
        if actual is not None and actual.withheld:
            return replace(t, actual=None, percent=None, withheld=True)
        return replace(t, actual=actual)


def _values(e: Any) -> dict[Path, int | None]:
    """Each figure of a record's count, by its path: its total and every cell of its
    breakdowns and risk."""
    from cepa.evidence.figures import TOTAL
    from cepa.records.kinds import KINDS

    c = KINDS[e.kind].count_of(e.record)
    if c is None:
        return {}
    out: dict[Path, int | None] = {TOTAL: c.total if isinstance(c.total, int) else None}
    for name, cells in count_cells(e, c).items():
        out.update({(name, k): v if isinstance(v, int) else None for k, v in cells.items()})
    return out


def evaluator_gate(workspaces: Sequence[Any], periods: Sequence[Any] = ()
                   ) -> EvaluatorGate:
    """The evaluator's gate for one project, or several read together (record ids prefixed
    with each project's code, as the publication gate does), with the public's gate of
    ``periods`` where they can be published."""
    from cepa.publication.gate import gate_for, publishable_period
    from cepa.publication.plan import PublicationError

    public = None
    if periods:
        try:
            for ws, per in zip(workspaces, periods, strict=True):
                publishable_period(ws.project, per)
            public = gate_for(list(workspaces), list(periods))
        except PublicationError:
            public = None  # a period made up on the command line: withheld stays withheld
    several = len(workspaces) > 1
    sources = [(prefix_of(ws, several), ws) for ws in workspaces]
    kinds: frozenset[str] = frozenset().union(*(protected_kinds(ws.project)
                                               for ws in workspaces))
    protected: frozenset[str] = frozenset().union(
        *(measures.protected_measures(ws.project) for ws in workspaces))
    rules = Rules(max(ws.project.disclosure.threshold for ws in workspaces),
                  max(ws.project.disclosure.base for ws in workspaces))
    return EvaluatorGate(sources, kinds, protected, rules, public)


__all__ = ["Audience", "EvaluatorGate", "audience_of", "evaluator_gate"]
