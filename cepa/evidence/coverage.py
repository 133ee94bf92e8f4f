"""The objective-coverage matrix: objectives against activities, the records and people
behind each cell, the evidence weighed by its grade, and the objectives short of it.

A record weighs what its count is worth as evidence (``WEIGHTS``): one when it is counted,
or estimated from a named source, or has no count to give (an output); half when its
count is an estimate without a source, assumed, or not recorded. Records that split one
total the source gives (``known_totals``) weigh one together, not one each: ten outcome
records that share out one published total are one piece of evidence. An objective is
covered when its weighed evidence reaches the rule's ``min_records`` and its records are
of ``min_kinds`` kinds, and every activity planned for it that happened has a record for
it; a cell says whether the activity is planned for the objective and has evidence, is
planned and has none, was not held, or is not planned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from cepa.evidence.figures import Grade, Tally
from cepa.evidence.fingerprints import memo_of, of_records
from cepa.evidence.periods import Period, in_period, whole
from cepa.evidence.results import (
    HAPPENED,
    Cell,
    CellStatus,
    Coverage,
    CoverageStatus,
    ObjectiveRow,
    Rules,
)
from cepa.evidence.summary import project_info, status_of
from cepa.records.kinds import KINDS
from cepa.records.model import Activity, Project
from cepa.records.workspace import Entry, Workspace

#: What a record weighs as evidence, by the grade of its count. A split's weight is shared
#: out among the records of its known total (1 / their number each).
WEIGHTS: dict[Grade, float] = {
    Grade.EXACT: 1.0, Grade.SPLIT: 1.0, Grade.ESTIMATED: 1.0, Grade.UNSOURCED: 0.5,
    Grade.ASSUMED: 0.5, Grade.NOT_RECORDED: 0.5,
}


def grade(tally: Tally, e: Entry) -> Grade:
    """The grade of a record as evidence: of its count, exact for a kind without one."""
    if not KINDS[e.kind].count:
        return Grade.EXACT
    return tally.people([e]).grade


def weight(tally: Tally, project: Project, e: Entry, g: Grade) -> float:
    if g is Grade.SPLIT:
        sizes = [len(k.records) for k in project.known_totals if e.record.id in k.records]
        return 1.0 / min(sizes) if sizes else WEIGHTS[Grade.UNSOURCED]
    return WEIGHTS[g]


def _weighed(weights: Sequence[float]) -> float:
    return round(sum(weights), 2)


def coverage(ws: Workspace, period: Period | None = None, *, min_records: int | None = None,
             min_kinds: int | None = None) -> Coverage:
    """Objectives against activities: records, people and weighed evidence behind each cell,
    and the gaps. ``min_records``/``min_kinds`` replace the project's rule."""
    project = ws.project
    assert project is not None
    period = period or whole(project)
    entries, _ = in_period(ws.entries, period)
    tally = Tally(project)
    rules = Rules(project.coverage.min_records if min_records is None else min_records,
                  project.coverage.min_kinds if min_kinds is None else min_kinds)
    held_anywhere = {e.record.activity for e in ws.entries}
    held_here = {e.record.activity for e in entries}
    statuses = {a.id: status_of(a, [e for e in ws.entries if e.record.activity == a.id])
                for a in project.activities}
    graded = {id(e): grade(tally, e) for e in entries}
    weights = {id(e): weight(tally, project, e, graded[id(e)]) for e in entries}
    rows = []
    child_activity = any(KINDS[a.kind].children for a in project.activities)
    for o in project.objectives:
        cells: dict[str, Cell] = {}
        backing = [e for e in entries if o.id in e.record.objectives]
        gaps = []
        for a in project.activities:
            es = [e for e in backing if e.record.activity == a.id]
            planned = o.id in a.objectives
            if es:
                status = CellStatus.EVIDENCE
            elif not planned:
                status = CellStatus.NOT_PLANNED
            elif a.id in held_here or (statuses[a.id] in HAPPENED
                                       and a.id not in held_anywhere
                                       and _due(a, period)):
                status = CellStatus.PLANNED_NO_EVIDENCE
                gaps.append(a.id)
            else:  # not held (in this period): no record of it is expected
                status = CellStatus.NOT_HELD
            cells[a.id] = Cell(len(es), tally.people(es) if KINDS[a.kind].count else None,
                               planned, [e.record.id for e in es], [e.path for e in es],
                               status, _weighed([weights[id(e)] for e in es]),
                               _grades(graded[id(e)] for e in es))
        kinds = sorted({e.kind for e in backing})
        n = len(backing)
        evidence = _weighed([weights[id(e)] for e in backing])
        if n == 0:
            status_o = (CoverageStatus.PLANNED_NO_EVIDENCE
                        if any(o.id in a.objectives for a in project.activities)
                        else CoverageStatus.NOT_PLANNED)
        elif evidence < rules.min_records or len(kinds) < rules.min_kinds:
            status_o = CoverageStatus.THIN
        elif gaps:
            status_o = CoverageStatus.GAPS
        else:
            status_o = CoverageStatus.COVERED
        adults = [e for e in backing if not KINDS[e.kind].children]
        young = [e for e in backing if KINDS[e.kind].children]
        rows.append(ObjectiveRow(
            o.id, o.short, o.text, n, tally.people(adults),
            tally.people(young) if child_activity else None, kinds, status_o, cells,
            evidence, _grades(graded[id(e)] for e in backing), gaps))
    return Coverage(
        project=project_info(project, tally),
        period=period.info(),
        activities=[a.id for a in project.activities],
        rules=rules,
        objectives=rows,
        short=[r.id for r in rows if r.status is not CoverageStatus.COVERED],
        unrecorded=[a.id for a in project.activities
                    if statuses[a.id] in HAPPENED and a.id not in held_anywhere],
        weights={str(g): w for g, w in WEIGHTS.items()},
        fingerprint=of_records(project, entries, memo_of(ws)),
    )


def _due(a: Activity, period: Period) -> bool:
    """Could the activity have been held in the period (its planned date, if it has one,
    meets the period)?"""
    if period.whole or a.planned_date is None or not a.planned_date.known:
        return True
    return a.planned_date.start <= period.span.end and a.planned_date.end >= period.span.start


def _grades(grades: Iterator[Grade] | Sequence[Grade]) -> dict[str, int]:
    """Records by grade, best grade first."""
    counted = Counter(grades)
    return {str(g): counted[g] for g in Grade if counted[g]}


def explain(cov: Coverage, objective: str, activity: str | None = None) -> Iterator[
        tuple[str, str, str]]:
    """The (activity, record id, file) behind an objective, or one cell of the matrix."""
    for row in cov.objectives:
        if row.id != objective:
            continue
        for act, cell in row.cells.items():
            if activity is None or act == activity:
                yield from ((act, i, f) for i, f in zip(cell.ids, cell.files, strict=True))
