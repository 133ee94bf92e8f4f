"""cepa from Python: a project's evidence for an evaluator's notebook.

    import cepa

    p = cepa.open("records")
    p.summary().attendance.total          # Figure(value=302, ...)
    p.coverage().objectives[0].status     # CoverageStatus.COVERED
    f = p.frames()                        # tidy pandas DataFrames (docs/frames.md)
    f.records.groupby("kind")["count"].sum()

    programme = cepa.open("agis", "daphne", "erasmus")   # several projects
    programme.frames(audience="evaluator").records       # a project column, fixed dtypes

The objects are the ones every cepa output is made from (cepa/evidence/results.py), through
the gate of their audience (``public=True``, ``audience="evaluator"``); the frames are made
of them too, and add nothing up. pandas is imported by ``frames()`` only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
    """Tidy tables with fixed dtypes (docs/frames.md): one row per record, per breakdown
    cell, per figure of the summary, per activity and per output, each with a ``project``
    column."""

    records: pd.DataFrame
    breakdowns: pd.DataFrame
    figures: pd.DataFrame
    activities: pd.DataFrame
    outputs: pd.DataFrame


class Evidence:
    """A project's records, loaded and checked, with the summary and coverage of any
    period, for any audience: the team's own (the default), ``"evaluator"`` (exact
    figures, no row or free text about children) or ``"public"`` (``public=True``: through
    the publication gate)."""

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

    def summary(self, period: str | Period | None = None, *, public: bool = False,
                audience: str | None = None) -> Summary:
        from cepa.publication import results

        return results(self.workspace, self._period(period), public=public,
                       audience=audience)[0]

    def coverage(self, period: str | Period | None = None, *, public: bool = False,
                 audience: str | None = None, min_records: int | None = None,
                 min_kinds: int | None = None) -> Coverage:
        from cepa.publication import results

        return results(self.workspace, self._period(period), public=public,
                       audience=audience, min_records=min_records, min_kinds=min_kinds)[1]

    def ledger(self, period: str | Period | None = None, *, public: bool = False,
               audience: str | None = None) -> Ledger:
        from cepa.publication import ledger

        return ledger(self.workspace, self._period(period), public=public, audience=audience)

    def document(self, period: str | Period | None = None, *, public: bool = False,
                 audience: str | None = None, language: str | None = None,
                 texts: Path | None = None, progress: Any = None) -> Document:
        """The report as a document (cepa/document/nodes.py), in ``language`` (else the
        project's): what ``report`` lays out."""
        from cepa.document import report
        from cepa.document.language import using
        from cepa.publication import results
        from cepa.publication.audience import Audience, audience_of

        who = audience_of(public, audience)
        with using(language, self.project.language, self.project.labels):
            summary, cov = results(self.workspace, self._period(period), audience=who)
            self._made()
            made_from = self.sources(language, who is Audience.PUBLIC)
            if texts is not None:
                made_from.templates.insert(0, Path(texts))
            return report.build(summary, cov, made_from, progress)

    def report(self, period: str | Period | None = None, *, public: bool = False,
               audience: str | None = None, language: str | None = None,
               template: Path | None = None, texts: Path | None = None,
               progress: Any = None) -> bytes:
        """The report as the bytes of a .docx file, in the look of ``template`` (else the
        project's own ``templates/reference.docx``, else cepa's)."""
        from cepa.writers import docx

        doc = self.document(period, public=public, audience=audience, language=language,
                            texts=texts, progress=progress)
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
                 audience: str | None = None, language: str | None = None) -> Book:
        """The workbook for evaluators (cepa/document/book.py), to write with
        ``cepa.writers.book.write``."""
        from cepa.document import book
        from cepa.document.language import using
        from cepa.publication import ledger, public_files, results
        from cepa.publication.audience import Audience, audience_of

        who = audience_of(public, audience)
        per = self._period(period)
        with using(language, self.project.language, self.project.labels):
            summary, cov = results(self.workspace, per, audience=who)
            records = ledger(self.workspace, per, audience=who)
            broken = self.workspace.broken_files()
            self._made()
            return book.build(summary, cov, records, self.project,
                              broken=(broken if who is Audience.TEAM
                                      else public_files(self.workspace, broken)))

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

    def frames(self, period: str | Period | None = None, *, public: bool = False,
               audience: str | None = None) -> Frames:
        """The records, their breakdowns, the summary's figures, the activities and the
        outputs as pandas DataFrames with the dtypes of docs/frames.md, made from the
        results for the audience (through its gate)."""
        from cepa.evidence.frames import rows

        s, cov = (self.summary(period, public=public, audience=audience),
                  self.coverage(period, public=public, audience=audience))
        return _frames([rows(s, cov)])


class Programme:
    """Several projects read together, for a programme's tables: their frames side by side
    (one code per country across them), their summaries and their roll-up."""

    def __init__(self, projects: Sequence[Evidence]) -> None:
        self.projects = list(projects)
        codes = [p.project.code for p in self.projects]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise OpenError(f"two projects have the code {twice[0]}; a programme needs one "
                            "code per project")

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self.projects)

    def __len__(self) -> int:
        return len(self.projects)

    def summaries(self, period: str | None = None, *, public: bool = False,
                  audience: str | None = None) -> list[Summary]:
        return [p.summary(period, public=public, audience=audience) for p in self.projects]

    def frames(self, period: str | None = None, *, public: bool = False,
               audience: str | None = None) -> Frames:
        """Every project's frames, one under the other, their dtypes kept."""
        from cepa.evidence.frames import rows

        return _frames([rows(p.summary(period, public=public, audience=audience))
                        for p in self.projects])


def _frames(parts: list[dict[str, list[dict[str, Any]]]]) -> Frames:
    """DataFrames of the rows of one or several projects, with docs/frames.md's dtypes."""
    import pandas as pd

    from cepa.evidence.frames import frames

    out = {}
    for name, (_what, cols) in frames().items():
        data = [r for part in parts for r in part[name]]
        columns: dict[str, Any] = {}
        for c in cols:
            values = [r.get(c.name) for r in data]
            if c.dtype == "datetime64[ns]":
                columns[c.name] = pd.to_datetime(pd.Series(values, dtype="object"),
                                                 format="ISO8601", errors="coerce"
                                                 ).astype(c.dtype)
            elif c.dtype == "category":
                columns[c.name] = pd.Series(pd.Categorical(values, categories=c.categories))
            elif c.dtype == "object":
                columns[c.name] = pd.Series(values, dtype="object")
            else:
                columns[c.name] = pd.Series(values, dtype="object").astype(c.dtype)
        out[name] = pd.DataFrame(columns, columns=[c.name for c in cols])
    return Frames(**out)


def open_projects(paths: Sequence[str | Path]) -> Programme:
    """Load several projects as a programme: ``cepa.open("a", "b")``."""
    return Programme([open_project(p) for p in paths])


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
