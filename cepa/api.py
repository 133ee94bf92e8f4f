"""cepa from Python: a project's evidence for an evaluator's notebook.

    import cepa

    p = cepa.open("records")
    p.summary().attendance.total          # Figure(value=302, ...)
    p.coverage().objectives[0].status     # 'covered'
    f = p.frames()                        # tidy pandas DataFrames
    f.records.groupby("kind")["count"].sum()

The objects are the ones every cepa output is written from (cepa/results.py); pandas is
imported by ``frames()`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cepa.evidence.figures import Figure, Tally
from cepa.records.kinds import KINDS

if TYPE_CHECKING:
    import pandas as pd

    from cepa.base.problems import Problem
    from cepa.evidence.aggregate import Period
    from cepa.evidence.results import Coverage, Summary
    from cepa.records.workspace import Entry, Workspace


class OpenError(Exception):
    """The folder holds no project, or its project file cannot be read."""


@dataclass
class Frames:
    """Tidy tables: one row per record, per breakdown cell, and per figure of the summary."""

    records: pd.DataFrame
    breakdowns: pd.DataFrame
    figures: pd.DataFrame


class Evidence:
    """A project's records, loaded and checked, with the summary and coverage of any
    period."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    @property
    def project(self) -> Any:
        return self.workspace.project

    @property
    def records(self) -> list[Entry]:
        """Every record that passed the schema, with its kind and file."""
        return list(self.workspace.entries)

    def problems(self) -> list[Problem]:
        """Every problem ``cepa validate`` reports."""
        from cepa.records.checks import validate

        return validate(self.workspace)

    def period(self, name: str | None = None, start: str | None = None,
               end: str | None = None) -> Period:
        from cepa.evidence.aggregate import resolve_period

        return resolve_period(self.project, name, start, end)

    def summary(self, period: str | Period | None = None, *, public: bool = False
                ) -> Summary:
        from cepa.evidence import aggregate

        return aggregate.results(self.workspace, self._period(period), public=public)[0]

    def coverage(self, period: str | Period | None = None, *, public: bool = False
                 ) -> Coverage:
        from cepa.evidence import aggregate

        return aggregate.results(self.workspace, self._period(period), public=public)[1]

    def _period(self, period: str | Period | None) -> Period | None:
        return self.period(period) if isinstance(period, str) else period

    def frames(self, period: str | Period | None = None) -> Frames:
        """The records, their breakdowns and the summary's figures as pandas DataFrames."""
        import pandas as pd

        from cepa.document.tables import summary_tables
        from cepa.evidence import aggregate

        per = self._period(period) or aggregate.Period(self.project.period, None)
        entries, _ = aggregate.in_period(self.workspace.entries, per)
        tally = Tally(self.project)
        records = []
        cells = []
        for e in entries:
            r = e.record
            n = tally.people([e])
            records.append({
                "id": r.id, "kind": e.kind, "activity": r.activity,
                "objectives": ", ".join(r.objectives), "title": r.title,
                "date": r.date.text, "start": r.date.start, "end": r.date.end,
                "country": r.country, "city": r.city, "counts": n.counts, "count": n.value,
                "estimated": n.estimated, "children": KINDS[e.kind].children,
                "file": self.workspace.source(e.path)})
            c = KINDS[e.kind].count_of(r)
            if c is None:
                continue
            for name, parts in c.breakdowns().items():
                for key in parts:
                    f = tally.cell([e], name, key)
                    cells.append({"id": r.id, "kind": e.kind, "breakdown": name, "key": key,
                                  "value": f.value, "estimated": f.estimated})
        figures = []
        for t in summary_tables(aggregate.summarize(self.workspace, per)):
            for row in t.rows:
                for column, c in zip(t.columns[1:], row[1:], strict=True):
                    if isinstance(c, Figure):
                        figures.append({"table": t.title, "row": str(row[0]), "column": column,
                                        "value": c.value, "estimated": c.estimated,
                                        "unrecorded": c.unrecorded, "counts": c.counts,
                                        "children": c.children,
                                        "records": ", ".join(c.records)})
        return Frames(
            pd.DataFrame(records, columns=["id", "kind", "activity", "objectives", "title",
                                           "date", "start", "end", "country", "city", "counts",
                                           "count", "estimated", "children", "file"]),
            pd.DataFrame(cells, columns=["id", "kind", "breakdown", "key", "value",
                                         "estimated"]),
            pd.DataFrame(figures, columns=["table", "row", "column", "value", "estimated",
                                           "unrecorded", "counts", "children", "records"]))


def open_project(path: str | Path = ".") -> Evidence:
    """Load the project at (or above) ``path``: ``cepa.open("records")``."""
    from cepa.records import workspace as project

    try:
        root = project.find_root(Path(path))
    except project.ProjectNotFound as e:
        raise OpenError(str(e)) from None
    ws = project.load(root)
    if ws.project is None:
        raise OpenError(f"the project file {ws.project_path} has errors; "
                        "'cepa validate' lists them")
    return Evidence(ws)
