"""An attacker who has read cepa's code: the enumerating attacker of tests/test_attacker.py.

It re-runs cepa's own publication pipeline - the real plan and gate, the functions every
public output is made of - over every candidate set of the counts it does not know, and
keeps, for each set of outputs, the candidates that give exactly those outputs: every
public result of every reporting period of both versions of the project, every ``--by``,
the workbook's records, and the programme roll-up with another project. What an output
shows in each format is made of these results only (tests/test_public_numbers.py reads
every number of every format; test_attacker.py renders every format for candidates the
attacker cannot tell apart and finds them byte for byte the same).

A project is described by ``Shape``: its records, which of their counts are unknown
(``leaves``: a record's total, or the cells of its breakdown, whose sum is its total) and
which records the first version holds.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cepa.evidence.periods import named_periods, whole
from cepa.evidence.results import as_json
from cepa.evidence.summary import by_choices
from cepa.publication import breakdowns, ledger, programme, results
from cepa.publication.gate import plan_of
from cepa.records.kinds import KINDS
from cepa.records.workspace import Entry, Workspace, load
from tests.conftest import build_tree

#: path of a count in a record, as figures.py names it
Path_ = tuple[str, ...]
TOTAL: Path_ = ("total",)


@dataclass(frozen=True)
class Rec:
    """A record of the attacked project: kind, id, date, country, and its breakdown (the
    cells whose sum is its total, each unknown), or none (its total unknown)."""

    kind: str
    id: str
    date: str
    country: str
    parts: tuple[str, ...] = ()
    #: the breakdown the parts are of: by_age_band, or risk (outcomes)
    breakdown: str = "by_age_band"
    #: in the first version
    early: bool = True


@dataclass(frozen=True)
class Shape:
    name: str
    records: tuple[Rec, ...]
    values: tuple[int, ...]
    threshold: int = 3
    base: int = 2

    def leaves(self) -> list[tuple[str, Path_]]:
        out: list[tuple[str, Path_]] = []
        for r in self.records:
            if r.parts:
                out += [(r.id, (r.breakdown, p)) for p in r.parts]
            else:
                out.append((r.id, TOTAL))
        return out


PROJECT = """\
code: {code}
title: Attacked project
programme: Test programme
period: {{start: 2021-01, end: 2022-12}}
partners: [{{id: p, name: Partner, country: LV, type: NGO}}]
objectives: [{{id: 1, text: Hear young people}}]
activities:
  - {{id: F, title: Feedback, kind: feedback, objectives: [1]}}
  - {{id: O, title: Monitoring, kind: outcomes, objectives: [1]}}
reporting_periods: {{interim: {{start: 2021-01, end: 2021-12}}}}
disclosure: {{threshold: {t}, base: {b}}}
"""


def _record(r: Rec, values: dict[Path_, int]) -> str:
    total = sum(values.values())
    if r.kind == "feedback":
        cells = ", ".join(f"{k}: {values[(r.breakdown, k)]}" for k in r.parts)
        bands = f", by_age_band: {{{cells}}}" if r.parts else ""
        return (f"id: {r.id}\nactivity: F\nobjectives: [1]\ntitle: Session {r.id}\n"
                f"date: {r.date}\ncountry: {r.country}\nhost: Youth service\n"
                f"young_people: {{total: {total}{bands}}}\n")
    risk = ""
    if r.parts:
        cells = {k: values.get((r.breakdown, k), 0) for k in
                 ("reduced", "unchanged", "increased", "not_known")}
        risk = "risk: {" + ", ".join(f"{k}: {v}" for k, v in cells.items()) + "}\n"
    return (f"id: {r.id}\nactivity: O\nobjectives: [1]\ntitle: Monitoring {r.id}\n"
            f"date: {r.date}\ncountry: {r.country}\nservice: Service {r.id}\npartner: p\n"
            f"children: {{total: {total}}}\n{risk}")


def build(root: Path, shape: Shape, code: str, truth: dict[tuple[str, Path_], int],
          early_only: bool = False) -> Path:
    files = {"cepa-project.yaml": PROJECT.format(code=code, t=shape.threshold, b=shape.base)}
    for r in shape.records:
        if early_only and not r.early:
            continue
        mine = {p: v for (rid, p), v in truth.items() if rid == r.id}
        files[f"{r.kind}/{r.id}.yaml"] = _record(r, mine)
    return build_tree(root, files)


@dataclass
class Attacked:
    """The attacked project in both versions and the other project of the roll-up, loaded
    once; candidates are these with other counts."""

    shape: Shape
    early: Workspace
    final: Workspace
    other: Workspace
    leaves: list[tuple[str, Path_]] = field(default_factory=list)
    early_ids: frozenset[str] = frozenset()


def with_counts(ws: Workspace, shape: Shape, values: dict[tuple[str, Path_], int]
                ) -> Workspace:
    """The workspace with these counts in its records (a copy; the records are new)."""
    entries = []
    by_id = {r.id: r for r in shape.records}
    for e in ws.entries:
        spec = by_id.get(e.record.id)
        if spec is None:
            entries.append(e)
            continue
        mine = {p: v for (rid, p), v in values.items() if rid == e.record.id}
        total = sum(mine.values())
        kind = KINDS[e.kind]
        count = kind.count_of(e.record)
        update: dict[str, Any] = {"total": total}
        record_update: dict[str, Any] = {}
        if spec.parts and spec.breakdown == "risk":
            risk = e.record.risk.model_copy(update={
                k: mine.get(("risk", k), 0) for k in ("reduced", "unchanged", "increased",
                                                      "not_known")})
            record_update["risk"] = risk
        elif spec.parts:
            update[spec.breakdown] = {k: mine[(spec.breakdown, k)] for k in spec.parts}
        record_update[kind.count] = count.model_copy(update=update)
        entries.append(Entry(e.kind, e.path, e.record.model_copy(update=record_update)))
    return dataclasses.replace(ws, entries=entries)


def outputs(ws: Workspace) -> list[Any]:
    """Every public result of one version of a project: the summary, the coverage matrix,
    the workbook's records and every --by, for every period it may publish."""
    parts: list[Any] = []
    kinds = sorted(k for k in KINDS if KINDS[k].count)
    assert ws.project is not None
    for per in named_periods(ws.project):
        s, cov = results(ws, per, public=True)
        parts += [as_json(s), as_json(cov), as_json(ledger(ws, per, public=True))]
        for f in by_choices():
            parts.append(as_json(breakdowns(ws, per, f, kinds, public=True)))
    return parts


def rollup(ws: Workspace, other: Workspace) -> list[Any]:
    """The public programme roll-up of the project with another."""
    assert ws.project is not None and other.project is not None
    summaries, roll = programme([ws, other], [whole(ws.project), whole(other.project)],
                                public=True)
    return [as_json(summaries), as_json(roll.mapping())]


def counts_of(a: Attacked) -> list[tuple[str, frozenset[tuple[str, Path_]]]]:
    """Every count of protected people the outputs show, by its atoms (and every atom):
    what must stay among at least ``threshold`` values when it is 1 to the threshold."""
    out: dict[frozenset[tuple[str, Path_]], str] = {}
    for ws in (a.early, a.final):
        for plan in [plan_of(ws)]:
            for cell in plan.cells.values():
                out.setdefault(cell.atoms, cell.where[0])
            for block in plan.blocks:
                for r in block.records:
                    out.setdefault(frozenset([(r.rid, TOTAL)]), r.rid)
                    for b, keys in r.parts.items():
                        for k in keys:
                            out.setdefault(frozenset([(r.rid, (b, k))]), f"{r.rid} {k}")
    return [(where, atoms) for atoms, where in out.items()]


def value(atoms: frozenset[tuple[str, Path_]], values: dict[tuple[str, Path_], int],
          shape: Shape) -> int:
    by_id = {r.id: r for r in shape.records}
    total = 0
    for rid, path in atoms:
        spec = by_id[rid]
        if path == TOTAL:
            total += sum(v for (r, _p), v in values.items() if r == rid)
        else:
            total += values.get((rid, path), 0) if path[0] == spec.breakdown else 0
    return total


_STATE: dict[str, Any] = {}


def _digest(values: tuple[int, ...]) -> tuple[tuple[int, ...], str]:
    import hashlib

    a: Attacked = _STATE["attacked"]
    v = dict(zip(a.leaves, values, strict=True))
    final = with_counts(a.final, a.shape, v)
    parts = [outputs(final), rollup(final, a.other)]
    if len(a.early_ids) < len(a.shape.records):  # a first version, with fewer records
        early = {k: x for k, x in v.items() if k[0] in a.early_ids}
        key = tuple(sorted(early.items()))
        first = _STATE.setdefault("first", {})
        if key not in first:  # it holds the early records only: one run for each of theirs
            first[key] = outputs(with_counts(a.early, a.shape, early))
        parts.append(first[key])
    text = json.dumps(parts, sort_keys=True, default=str)
    return values, hashlib.sha256(text.encode()).hexdigest()


def candidates(shape: Shape) -> Iterator[tuple[int, ...]]:
    return itertools.product(shape.values, repeat=len(shape.leaves()))


def enumerate_outputs(a: Attacked, workers: int = 2) -> dict[str, list[tuple[int, ...]]]:
    """Every candidate set of counts, grouped by what the outputs would publish."""
    _STATE["attacked"] = a
    groups: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    todo = list(candidates(a.shape))
    if workers > 1 and len(todo) > 200 and hasattr(os, "fork"):
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            for values, out in pool.map(_digest, todo, chunksize=64):
                groups[out].append(values)
    else:
        for values in todo:
            groups[_digest(values)[1]].append(values)
    return groups


def attacked(root: Path, shape: Shape, truth: Sequence[int] | None = None) -> Attacked:
    leaves = shape.leaves()
    start = dict(zip(leaves, truth or [shape.values[-1]] * len(leaves), strict=True))
    early = load(build(root / "early", shape, "ATT/1", start, early_only=True))
    final = load(build(root / "final", shape, "ATT/1", start))
    other_shape = Shape("other", (Rec("feedback", "x1", "2021-05", "EE"),
                                  Rec("outcomes", "x2", "2022-02", "EE")), shape.values,
                        shape.threshold, shape.base)
    other = load(build(root / "other", other_shape, "OTHER/2",
                       {("x1", TOTAL): 5, ("x2", TOTAL): 9}))
    return Attacked(shape, early, final, other, leaves,
                    frozenset(r.id for r in shape.records if r.early))


def breaches(a: Attacked, groups: dict[str, list[tuple[int, ...]]]
             ) -> list[tuple[str, list[int], tuple[int, ...]]]:
    """Counts of 1 to the threshold that the attacker can tell apart from all but fewer
    than ``threshold`` values: (which count, the values it can have, a candidate)."""
    t = a.shape.threshold
    inner = max(a.shape.values) - margin(a.shape)
    counts = counts_of(a)
    out = []
    for members in groups.values():
        dicts = [dict(zip(a.leaves, m, strict=True)) for m in members]
        truths = [d for m, d in zip(members, dicts, strict=True) if max(m) <= inner]
        if not truths:
            continue
        for where, atoms in counts:
            seen = {value(atoms, d, a.shape) for d in dicts}
            if len(seen) >= t:
                continue
            small = [d for d in truths if 1 <= value(atoms, d, a.shape) <= t]
            if small:
                out.append((where, sorted(seen),
                            tuple(small[0][leaf] for leaf in a.leaves)))
    return out


def margin(shape: Shape) -> int:
    """How far above a true count the attacker's candidates must reach for every value it
    could be confused with to be among them (the widest class the plan publishes, above
    the threshold): truths closer than this to the top of the candidates are not judged."""
    return shape.threshold
