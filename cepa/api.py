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

        with using(language, self.project.language, self.project.labels):
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
        return docx.write(doc, self.reference(template))

    def reference(self, template: Path | None = None) -> Path | None:
        """The reference document a report takes its look from: ``template``, else the
        project's own ``templates/reference.docx`` (or ``.dotx``), else None (cepa's)."""
        if template is not None:
            return Path(template)
        folder = self.workspace.root / "templates"
        return next((p for p in (folder / "reference.docx", folder / "reference.dotx")
                     if p.is_file()), None)

    def look_notes(self, template: Path | None = None) -> list[str]:
        """What the report does differently from what its reference document says (a style
        it lacks, a font this machine does not have, a field cepa does not fill), in words
        for its writer; nothing for cepa's own. Raises ``DocxError`` for one that cannot be
        used."""
        from cepa.document.report import FIELD_ALIASES, FIELDS
        from cepa.writers import look

        path = self.reference(template)
        return [] if path is None else look.check(path, {**FIELDS, **FIELD_ALIASES})

    def template_problems(self) -> list[Problem]:
        """What ``cepa validate`` says of the project's own templates: each
        ``templates/report/*.md.j2`` read in every branch and rendered against the project,
        final and interim (errors, and templates written for an older cepa), and the
        reference document (styles, fonts and fields), at their files and lines."""
        from cepa.base.problems import problem
        from cepa.records.workspace import display

        ws = self.workspace
        out: list[Problem] = []
        own = ws.root / "templates" / "report"
        if own.is_dir() and any(own.glob("*.md.j2")):
            from cepa.document import report
            from cepa.document.language import using
            from cepa.publication import results

            with using(None, self.project.language):
                summary, cov = results(ws, None)
                found = report.check_templates(summary, cov, self.sources(None, False))
            out.extend(problem(display(p.path), p.line, 1, p.code, p.message) for p in found)
        reference = self.reference()
        if reference is not None:
            from cepa.writers.look import DocxError

            try:
                out.extend(problem(display(reference), 1, 1, "template-look", n)
                           for n in self.look_notes())
            except DocxError as e:
                out.append(problem(display(reference), 1, 1, "template-error", str(e)))
        return out

    def workbook(self, period: str | Period | None = None, *, public: bool = False,
                 language: str | None = None) -> Book:
        """The workbook for evaluators (cepa/document/book.py), to write with
        ``cepa.writers.book.write``."""
        from cepa.document import book
        from cepa.document.language import using
        from cepa.publication import ledger, public_files, results

        per = self._period(period)
        with using(language, self.project.language, self.project.labels):
            summary, cov = results(self.workspace, per, public=public)
            records = ledger(self.workspace, per, public=public)
            broken = self.workspace.broken_files()
            self._made()
            return book.build(summary, cov, records, self.project,
                              broken=public_files(self.workspace, broken) if public else broken)

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
        of = narrative.sections(project)
        written = narrative.read(ws.root, lang, public, of=of)
        if public:
            check_sections(written, narrative.files_read(ws.root, lang, public=True, of=of),
                           project.disclosure.threshold)
        # a placeholder is left out (the report says the section is not written); a section
        # with an answer beside a gap keeps the coordinator's words and is listed as such
        stubs = narrative.unwritten(written)
        empty = {k for k in stubs if narrative.hollow(written[k])}
        own = ws.root / "templates" / "report"
        broken = ws.broken_files()
        if public:
            from cepa.publication import public_files

            broken = public_files(ws, broken)
        untranslated = None
        if lang is not None:
            from cepa.records.checks import translation_problems

            untranslated = (lang, len(translation_problems(ws, lang)))
        return Sources.of(project,
                          narrative={k: t for k, t in written.items() if k not in empty},
                          incomplete=[k for k in stubs if k not in empty],
                          untranslated=untranslated,
                          broken=broken, commit=git_commit(ws.root),
                          templates=[own] if own.is_dir() else [])

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
        with using(None, self.project.language, self.project.labels):
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
