"""The objective-coverage matrix: objectives against activities, the records and people
behind each cell, and the objectives short of evidence."""

from __future__ import annotations

from collections.abc import Iterator

from cepa.evidence.figures import Tally
from cepa.evidence.periods import Period, in_period, whole
from cepa.evidence.results import Cell, Coverage, CoverageStatus, ObjectiveRow, Rules
from cepa.evidence.summary import project_info
from cepa.records.kinds import KINDS
from cepa.records.workspace import Workspace


def coverage(ws: Workspace, period: Period | None = None) -> Coverage:
    """Objectives against activities: records and people behind each cell, and the gaps."""
    project = ws.project
    assert project is not None
    period = period or whole(project)
    entries, _ = in_period(ws.entries, period)
    tally = Tally(project)
    rules = project.coverage
    rows = []
    child_activity = any(KINDS[a.kind].children for a in project.activities)
    for o in project.objectives:
        cells: dict[str, Cell] = {}
        backing = [e for e in entries if o.id in e.record.objectives]
        for a in project.activities:
            es = [e for e in backing if e.record.activity == a.id]
            cells[a.id] = Cell(len(es), tally.people(es) if KINDS[a.kind].count else None,
                               o.id in a.objectives,
                               [e.record.id for e in es], [e.path for e in es])
        kinds = sorted({e.kind for e in backing})
        n = len(backing)
        if n == 0:
            status = CoverageStatus.UNCOVERED
        elif n < rules.min_records or len(kinds) < rules.min_kinds:
            status = CoverageStatus.THIN
        else:
            status = CoverageStatus.COVERED
        adults = [e for e in backing if not KINDS[e.kind].children]
        young = [e for e in backing if KINDS[e.kind].children]
        rows.append(ObjectiveRow(
            o.id, o.short, o.text, n, tally.people(adults),
            tally.people(young) if child_activity else None, kinds, status, cells))
    return Coverage(
        project=project_info(project, tally),
        period=period.info(),
        activities=[a.id for a in project.activities],
        rules=Rules(rules.min_records, rules.min_kinds),
        objectives=rows,
        short=[r.id for r in rows if r.status is not CoverageStatus.COVERED],
    )


def explain(cov: Coverage, objective: str, activity: str | None = None) -> Iterator[
        tuple[str, str, str]]:
    """The (activity, record id, file) behind an objective, or one cell of the matrix."""
    for row in cov.objectives:
        if row.id != objective:
            continue
        for act, cell in row.cells.items():
            if activity is None or act == activity:
                yield from ((act, i, f) for i, f in zip(cell.ids, cell.files, strict=True))
