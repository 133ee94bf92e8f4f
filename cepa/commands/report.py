"""cepa report: the project's report as a Word document."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import (
    AllowErrorsOpt,
    FromOpt,
    LangOpt,
    PathArg,
    PeriodOpt,
    PublicOpt,
    ToOpt,
    check_output,
    fail,
    note,
    open_project,
    period_of,
    public_period,
    refuse_if_broken,
    user_errors,
)


def report(
    path: PathArg = None,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="The .docx file to write.", show_default=False)] = ...,  # type: ignore[assignment]
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the output file when it exists.")] = False,
    template: Annotated[Path | None, typer.Option(
        "--template", help="A .docx whose styles (fonts, headings, tables, margins, header "
                           "and footer) the report takes, instead of cepa's own.",
        show_default=False)] = None,
    texts: Annotated[Path | None, typer.Option(
        "--texts", help="A folder of section texts (*.md.j2) to use instead of cepa's; "
                        "files missing there come from cepa's own.", show_default=False)] = None,
    public: PublicOpt = False,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    allow_errors: AllowErrorsOpt = False,
    lang: LangOpt = None,
) -> None:
    """Write the project's report as a Word document: title page, contents, context,
    objectives, planned and implemented activities, achievements by activity, attendance
    tables and charts, objective coverage, the checked claims and an evidence appendix.

    Every figure is computed from the records, the same as 'cepa summarize'. The look comes
    from templates/reference.docx (or --template), the words from templates/report/
    (or --texts). An existing file is only replaced with --force.

    Examples:

        cepa report -o blueprint.docx

        cepa report --period interim -o interim.docx --template our-style.docx

        cepa report --lang nl -o rapport.docx
    """
    from cepa.aggregate import PublicationError
    from cepa.report import ReportError, build_report
    from cepa.writing import atomic_write

    check_output(output, ".docx", "cepa report writes a Word document (.docx)"
                 + ("; PDF output is not available yet" if output.suffix.lower() == ".pdf"
                    else ""))
    if output.exists() and not force:
        fail(f"{output} already exists; use --force to replace it")
    if template is not None and not template.is_file():
        fail(f"the template {template} does not exist", 2)
    if texts is not None and not texts.is_dir():
        fail(f"the texts folder {texts} does not exist", 2)
    ws = open_project(path)
    refuse_if_broken(ws, allow_errors)
    per = period_of(ws, period, start, end)
    if public:
        public_period(ws, per)
    from cepa.i18n import LanguageError

    with user_errors(ReportError, PublicationError, LanguageError, writing=output):
        if sys.stderr.isatty():
            data = _with_progress(lambda p: build_report(ws, per, template=template, texts=texts,
                                                         public=public, progress=p,
                                                         language=lang))
        else:
            data = build_report(ws, per, template=template, texts=texts, public=public,
                                language=lang)
        atomic_write(output, data, force=force)
    note(f"wrote {output}")


def _with_progress(run):  # type: ignore[no-untyped-def]
    from rich.progress import BarColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), transient=True) as bar:
        task = bar.add_task("report", total=1)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=f"report: {step}", completed=done, total=total)

        return run(progress)
