"""What an attacker can learn about a suppressed cell, by linear programming.

The attacker's knowledge is everything an output publishes about protected counts, as
linear relations over unknown, non-negative counts (the "atoms": one record's total, or
one cell of one record's breakdown):

* every figure shown exactly fixes its sum of atoms (a 0 stays 0);
* every figure rounded to ``base`` (halves up) confines its sum to an interval, and above
  the threshold, since smaller counts are never rounded;
* every suppressed figure is at least 1 (0 is never suppressed);
* every record's breakdowns add up to its total (cepa checks that they do, so an attacker
  may rely on it).

For a suppressed figure, the smallest and largest value its sum can take under all of
that are the interval the attacker can confine it to (the standard audit of statistical
disclosure control, with the linear relaxation the literature uses). The HiGHS solver
(``highspy``) does the work; it is imported here only, when something is published.
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


def rounding_interval(shown: int, base: int, threshold: int) -> tuple[int, int]:
    """The true counts that round half up to ``shown`` and are above the threshold."""
    low = shown - base // 2
    high = shown + (base + 1) // 2 - 1
    return max(low, threshold + 1), high


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

    def relax(self, atoms: frozenset[Atom]) -> None:
        """The figure of these atoms is now suppressed: all that is known is that it is at
        least 1."""
        row = self.rows.get(atoms)
        if row is not None:
            self.bounds[atoms] = (1.0, self.inf)
            self.h.changeRowBounds(row, 1.0, self.inf)

    def tentative(self, relaxed: frozenset[Atom], atoms: frozenset[Atom]) -> tuple[int, float]:
        """The interval of ``atoms`` if the figure of ``relaxed`` were suppressed too."""
        row = self.rows.get(relaxed)
        if row is None:
            return self.interval(atoms)
        self.h.changeRowBounds(row, 1.0, self.inf)
        try:
            return self.interval(atoms)
        finally:
            self.h.changeRowBounds(row, *self.bounds[relaxed])

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
