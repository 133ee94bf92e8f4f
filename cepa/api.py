"""cepa from Python: a project's evidence for an evaluator's notebook.

    import cepa

    p = cepa.open("records")
    p.summary().attendance.total          # Figure(value=302, ...)
    p.coverage().objectives[0].status     # CoverageStatus.COVERED
    f = p.frames()                        # tidy pandas DataFrames
    f.records.groupby("kind")["count"].sum()

The objects are the ones every cepa output is made from (cepa/evidence/results.py), through
the publication gate when ``public``; the frames are made of them too, and add nothing up.
pandas is imported by ``frames()`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from cepa.base.problems import Problem
    from cepa.document.nodes import Book, Document
    from cepa.document.report import Sources
    from cepa.evidence.periods import Period
    from cepa.evidence.results import Coverage, Ledger, Summary
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

    def __init__(self, workspace: Workspace, *, once: bool = False) -> None:
        self.workspace = workspace
        #: For one output only (a command): the records are let go once its results are
        #: made, before the document is built (100,000 records take half a gigabyte).
        self.once = once

    def _made(self) -> None:
        if self.once:
            self.workspace.entries = []

    @property
    def project(self) -> Any:
        return self.workspace.project

    @property
    def records(self) -> list[Entry]:
        """Every record that passed the schema, with its kind and file."""
        return list(self.workspace.entries)

    def problems(self) -> list[Problem]:
        """Every problem ``cepa validate`` reports."""
        from cepa.evidence.checks import problems

        return problems(self.workspace)

    def period(self, name: str | None = None, start: str | None = None,
               end: str | None = None) -> Period:
        from cepa.evidence.periods import resolve_period

        return resolve_period(self.project, name, start, end)

    def summary(self, period: str | Period | None = None, *, public: bool = False
                ) -> Summary:
        from cepa.publication import results

        return results(self.workspace, self._period(period), public=public)[0]

    def coverage(self, period: str | Period | None = None, *, public: bool = False
                 ) -> Coverage:
        from cepa.publication import results

        return results(self.workspace, self._period(period), public=public)[1]

    def ledger(self, period: str | Period | None = None, *, public: bool = False) -> Ledger:
        from cepa.publication import ledger

        return ledger(self.workspace, self._period(period), public=public)

    def document(self, period: str | Period | None = None, *, public: bool = False,
                 language: str | None = None, texts: Path | None = None,
                 progress: Any = None) -> Document:
        """The report as a document (cepa/document/nodes.py), in ``language`` (else the
        project's): what ``report`` lays out."""
        from cepa.document import report
        from cepa.document.language import using
        from cepa.publication import results

        with using(language, self.project.language):
            summary, cov = results(self.workspace, self._period(period), public=public)
            self._made()
            made_from = self.sources(language, public)
            if texts is not None:
                made_from.templates.insert(0, Path(texts))
            return report.build(summary, cov, made_from, progress)

    def report(self, period: str | Period | None = None, *, public: bool = False,
               language: str | None = None, template: Path | None = None,
               texts: Path | None = None, progress: Any = None) -> bytes:
        """The report as the bytes of a .docx file, in the look of ``template`` (else the
        project's own ``templates/reference.docx``, else cepa's)."""
        from cepa.writers import docx

        doc = self.document(period, public=public, language=language, texts=texts,
                            progress=progress)
        own = self.workspace.root / "templates" / "reference.docx"
        return docx.write(doc, template or (own if own.is_file() else None))

    def workbook(self, period: str | Period | None = None, *, public: bool = False,
                 language: str | None = None) -> Book:
        """The workbook for evaluators (cepa/document/book.py), to write with
        ``cepa.writers.book.write``."""
        from cepa.document import book
        from cepa.document.language import using
        from cepa.publication import ledger, results

        per = self._period(period)
        with using(language, self.project.language):
            summary, cov = results(self.workspace, per, public=public)
            records = ledger(self.workspace, per, public=public)
            self._made()
            return book.build(summary, cov, records, self.project,
                              broken=self.workspace.broken_files())

    def sources(self, language: str | None, public: bool) -> Sources:
        """What a report is written from besides the results: the coordinator's sections in
        the report's language (refused when public and they give a small count of
        children), the files left out, the records' git commit, the project's templates."""
        from cepa.document.report import Sources
        from cepa.publication.texts import check_sections
        from cepa.records import narrative
        from cepa.records.workspace import git_commit

        ws, project = self.workspace, self.project
        lang = language if language and language != project.language else None
        written = narrative.read(ws.root, lang, public)
        if public:
            check_sections(written, narrative.files_read(ws.root, lang, public=True),
                           project.disclosure.threshold)
        own = ws.root / "templates" / "report"
        return Sources(narrative=written, broken=ws.broken_files(),
                       commit=git_commit(ws.root), templates=[own] if own.is_dir() else [])

    def _period(self, period: str | Period | None) -> Period | None:
        return self.period(period) if isinstance(period, str) else period

    def frames(self, period: str | Period | None = None, *, public: bool = False) -> Frames:
        """The records, their breakdowns and the summary's figures as pandas DataFrames."""
        import pandas as pd

        from cepa.document.language import using
        from cepa.document.tables import summary_tables
        from cepa.records.kinds import KINDS

        s = self.summary(period, public=public)
        records = []
        cells = []
        for kind, section in s.kinds.items():
            for r in section.rows:
                n = r.count
                records.append({
                    "id": r.id, "kind": kind, "activity": r.activity, "title": r.title,
                    "date": r.date, "start": r.start, "end": r.end,
                    "country": r.place.country if r.place else None,
                    "city": r.place.city if r.place else None,
                    "counts": n.counts if n is not None else None,
                    "count": n.number() if n is not None else None,
                    "estimated": bool(n is not None and n.estimated),
                    "children": KINDS[kind].children, "file": r.source})
                for name, b in r.breakdowns.items():
                    for key, f in b.items():
                        cells.append({"id": r.id, "kind": kind, "breakdown": name, "key": key,
                                      "value": f.number(), "estimated": f.estimated})
        figures = []
        with using(None, self.project.language):
            for t in summary_tables(s):
                for row in t.rows:
                    for column, c in zip(t.columns[1:], row[1:], strict=True):
                        if c.counts is not None:
                            figures.append({
                                "table": t.title, "row": row[0].text, "column": column,
                                "value": c.value if isinstance(c.value, int | float) else None,
                                "estimated": c.estimated, "unrecorded": c.unrecorded,
                                "counts": c.counts, "children": c.children,
                                "records": ", ".join(c.records)})
        return Frames(
            pd.DataFrame(records, columns=["id", "kind", "activity", "title", "date", "start",
                                           "end", "country", "city", "counts", "count",
                                           "estimated", "children", "file"]),
            pd.DataFrame(cells, columns=["id", "kind", "breakdown", "key", "value",
                                         "estimated"]),
            pd.DataFrame(figures, columns=["table", "row", "column", "value", "estimated",
                                           "unrecorded", "counts", "children", "records"]))


def open_project(path: str | Path = ".") -> Evidence:
    """Load the project at (or above) ``path``: ``cepa.open("records")``."""
    from cepa.records import workspace

    try:
        root = workspace.find_root(Path(path))
    except workspace.ProjectNotFound as e:
        raise OpenError(str(e)) from None
    ws = workspace.load(root)
    if ws.project is None:
        raise OpenError(f"the project file {ws.project_path} has errors; "
                        "'cepa validate' lists them")
    return Evidence(ws)
