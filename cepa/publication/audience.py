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
from cepa.evidence.figures import Figure
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
                 protected: frozenset[str], rules: Rules) -> None:
        # no plan: every figure stays exact; only the aliases of the records about children
        self.members = []
        self.plans = []
        self.by_prefix = {}
        self.where = {}
        self.has = {}
        self.alias = {}
        self.rules = rules
        self.kinds = kinds
        self.measures = protected
        for prefix, ws in sources:
            self.alias.update({prefix + k: v for k, v in
                               aliases(protected_entries(ws, kinds)).items()})

    def fingerprint(self, of_records: str) -> str:
        """An evaluator's output carries the records' fingerprint, as the team's does: it
        tells which records it came from (and ``cepa diff`` what changed since)."""
        return of_records

    def info(self) -> DisclosureInfo:
        return DisclosureInfo(True, self.rules.threshold, self.rules.base,
                              audience=str(Audience.EVALUATOR))

    def figure(self, f: Figure, prefix: str = "") -> Figure:
        records = tuple(self.alias.get(prefix + r, r) for r in f.records)
        estimates = tuple(self.alias.get(prefix + r, r) for r in f.estimates)
        if not self.protected(f):
            return f if records == f.records and estimates == f.estimates else replace(
                f, records=records, estimates=estimates)
        # the records' own words about an estimate may name what is protected
        out = replace(f, records=records, estimates=estimates, why=(), children=True)
        if f.value is None:  # not recorded: nothing to withhold, and it says so
            return out
        if self._mixed(f) or len(f.records) == 1:  # adds to adults, or one record's count
            return replace(out, value=None, withheld=True)
        return out

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
        computed = self.figure(c.computed, prefix) if c.computed is not None else None
        if computed is not None and computed.withheld:
            return replace(c, computed=None, claimed=None, status=ClaimStatus.NOT_PUBLISHED,
                           records=[], estimates=[])
        return replace(c, computed=computed,
                       records=[self.alias.get(prefix + i, i) for i in c.records],
                       estimates=[self.alias.get(prefix + i, i) for i in c.estimates])

    def _target(self, t: TargetRow, prefix: str) -> TargetRow:
        actual = self.figure(t.actual, prefix) if t.actual is not None else None
        if actual is not None and actual.withheld:
            return replace(t, actual=None, percent=None, withheld=True)
        return replace(t, actual=actual)


def evaluator_gate(workspaces: Sequence[Any]) -> EvaluatorGate:
    """The evaluator's gate for one project, or several read together (record ids prefixed
    with each project's code, as the publication gate does)."""
    several = len(workspaces) > 1
    sources = [(prefix_of(ws, several), ws) for ws in workspaces]
    kinds: frozenset[str] = frozenset().union(*(protected_kinds(ws.project)
                                               for ws in workspaces))
    protected: frozenset[str] = frozenset().union(
        *(measures.protected_measures(ws.project) for ws in workspaces))
    rules = Rules(max(ws.project.disclosure.threshold for ws in workspaces),
                  max(ws.project.disclosure.base for ws in workspaces))
    return EvaluatorGate(sources, kinds, protected, rules)


__all__ = ["Audience", "EvaluatorGate", "audience_of", "evaluator_gate"]
