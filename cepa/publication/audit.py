"""What an attacker who knows cepa's rules can learn about each count, by linear programming.

The audit is independent of the plan's own arithmetic (plan.py): it takes what the plan
published and works out, with a solver, what it tells. The attacker's knowledge is, as
linear relations over unknown, non-negative counts (the "atoms": one record's total, or
one cell of one record's breakdown):

* every count the plan publishes lies in the class its label stands for - 0, 1 to the
  threshold ('c', or the wider class a merged 'c' stands for), or the values that round
  to the number shown - which an attacker who knows cepa's rules can work out, since the
  classes depend only on what was published before;
* every record's breakdowns add up to its total (cepa checks that they do, so an attacker
  may rely on it);
* every other figure is a sum of published ones, and tells nothing more.

For every figure an output shows, the smallest and largest value its sum of atoms can take
under all of that is the interval the attacker can confine it to. A figure that could be 1
to the threshold with fewer than ``threshold`` values in it is unsafe. The HiGHS solver
(``highspy``) does the work; it is imported here only, when something is audited.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Atom = Hashable


@dataclass(frozen=True)
class Known:
    """What an output says about one sum of atoms."""

    atoms: frozenset[Atom]
    low: float
    high: float  #: math.inf when nothing caps it


class Attack:
    """The attacker's linear program over a fixed set of published relations."""

    def __init__(self, atoms: Iterable[Atom], known: Sequence[Known],
                 structure: Sequence[tuple[Sequence[Atom], Atom]]) -> None:
        import numpy as np

        self._np = np
        self.index = {a: i for i, a in enumerate(dict.fromkeys(atoms))}
        for k in known:
            for a in k.atoms:
                self.index.setdefault(a, len(self.index))
        for parts, total in structure:
            for a in (*parts, total):
                self.index.setdefault(a, len(self.index))
        n = len(self.index)
        h = _solver()
        self.h = h
        inf = h.inf
        self.inf = inf
        if n:
            h.addVars(n, np.zeros(n), np.full(n, inf))
        for parts, total in structure:
            cols = [self.index[a] for a in parts] + [self.index[total]]
            vals = [1.0] * len(parts) + [-1.0]
            self._row(0.0, 0.0, cols, vals)
        self.rows: dict[frozenset[Atom], int] = {}
        self.bounds: dict[frozenset[Atom], tuple[float, float]] = {}
        for k in known:
            cols = sorted(self.index[a] for a in k.atoms)
            self.rows[k.atoms] = h.getNumRow()
            self.bounds[k.atoms] = (k.low, k.high if k.high != math.inf else inf)
            self._row(*self.bounds[k.atoms], cols, [1.0] * len(cols))
        self._cost: list[int] = []

    def _row(self, low: float, high: float, cols: list[int], vals: list[float]) -> None:
        np = self._np
        self.h.addRow(low, high, len(cols), np.array(cols, dtype=np.int32),
                      np.array(vals, dtype=np.float64))

    def interval(self, atoms: frozenset[Atom]) -> tuple[int, float]:
        """The least and greatest value the sum of ``atoms`` can take (``inf`` when nothing
        caps it), rounded inwards to whole counts."""
        np = self._np
        h = self.h
        if self._cost:
            idx = np.array(self._cost, dtype=np.int32)
            h.changeColsCost(len(idx), idx, np.zeros(len(idx)))
        cols = sorted(self.index[a] for a in atoms)
        self._cost = cols
        idx = np.array(cols, dtype=np.int32)
        h.changeColsCost(len(idx), idx, np.ones(len(idx)))
        low = self._solve(minimize=True)
        high = self._solve(minimize=False)
        lo = math.ceil(low - 1e-6) if low != -math.inf else 0
        hi = math.floor(high + 1e-6) if high != math.inf else math.inf
        return lo, hi

    def _solve(self, minimize: bool) -> float:
        import highspy

        h = self.h
        if minimize:
            h.setMinimize()
        else:
            h.setMaximize()
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return float(h.getInfo().objective_function_value)
        if status in (highspy.HighsModelStatus.kUnbounded,
                      highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return -math.inf if minimize else math.inf
        raise AuditError("the disclosure audit could not be solved "
                         f"({h.modelStatusToString(status)})")


@dataclass(frozen=True)
class CellAudit:
    """One figure an output shows, what it is published as, and what an attacker can learn
    about it."""

    where: str         #: where it is first shown
    shown_in: int      #: how many places show it
    value: int | None  #: what it is published as (None: 'c')
    low: int           #: the least value it can have, given everything published
    high: float        #: the greatest (inf: no upper limit)
    threshold: int

    @property
    def values(self) -> float:
        """How many values it can have (inf: no upper limit)."""
        return self.high - self.low + 1

    @property
    def safe(self) -> bool:
        """A count that could be 1 to the threshold keeps at least ``threshold`` values."""
        small = self.low <= self.threshold and self.high >= 1
        return not small or self.values >= self.threshold


class AuditError(RuntimeError):
    """The attacker's program has no solution: the published relations contradict each
    other, which means cepa has a bug. Nothing is published."""


_QUIET: list[Any] = []


def _solver() -> Any:
    """A HiGHS instance with its output off. HiGHS prints a banner on standard output the
    first time one is made in a process; that output would break ``--format json``, so
    the first one is made with standard output pointed at /dev/null."""
    import highspy

    if not _QUIET:
        sys.stdout.flush()
        saved = os.dup(1)
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
        _QUIET.append(True)
    else:
        h = highspy.Highs()
    h.silent()
    return h


def knowledge(members: Sequence[tuple[str, Any]]
              ) -> tuple[list[Known], list[tuple[Sequence[Atom], Atom]]]:
    """What the plans publish, as the attacker's relations: each published count's class,
    and each record's breakdowns adding up to its total."""
    from cepa.publication.plan import TOTAL, UNBOUNDED

    known: list[Known] = []
    structure: list[tuple[Sequence[Atom], Atom]] = []

    def span(label: Any) -> tuple[float, float]:
        return label.lo, (math.inf if label.hi >= UNBOUNDED else label.hi)

    for prefix, plan in members:
        for block in plan.blocks:
            totals = [(prefix + r.rid, TOTAL) for r in block.records]
            if len(totals) > 1:
                known.append(Known(frozenset(totals), *span(block.label(("T",)))))
            for i, r in enumerate(block.records):
                known.append(Known(frozenset([totals[i]]), *span(block.label(("r", i)))))
                for b, keys in r.parts.items():
                    atoms = [(prefix + r.rid, (b, k)) for k in keys]
                    structure.append((atoms, totals[i]))
                    for k, a in zip(keys, atoms, strict=True):
                        known.append(Known(frozenset([a]),
                                           *span(block.label(("a", i, b, k)))))
    return known, structure


def audit(gate: Any, cells: Iterable[tuple[frozenset[Atom], list[str], int]]
          ) -> list[CellAudit]:
    """Every figure of ``cells`` (its qualified atoms, where it is shown, its threshold)
    with what it is published as and the interval an attacker can confine it to."""
    from cepa.publication.gate import published

    where = gate.where
    known, structure = knowledge(gate.members)
    atoms = [a for k in known for a in k.atoms]
    attack = Attack(atoms, known, structure)
    out = []
    for cell_atoms, places, threshold in cells:
        value, _rounded = published(cell_atoms, where)  # type: ignore[arg-type]
        low, high = attack.interval(cell_atoms)
        out.append(CellAudit(places[0], len(places), value, low, high, threshold))
    return sorted(out, key=lambda c: c.where)
