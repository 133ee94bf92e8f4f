"""cepa report: the project's report as a Word document, and as a PDF through LibreOffice."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cepa.base.files import atomic_write
from cepa.commands._common import (
    AllowErrorsOpt,
    AudienceOpt,
    FromOpt,
    LangOpt,
    PathArg,
    PeriodOpt,
    PublicOpt,
    ToOpt,
    audience_of,
    check_output,
    fail,
    note,
    open_project,
    period_of,
    public_period,
    refuse_if_broken,
    user_errors,
)

if TYPE_CHECKING:
    from cepa.document.report import Progress
    from cepa.writers.pdf import Pdf


def report(
    path: PathArg = None,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="The file to write: a .docx, or a .pdf (made with LibreOffice; "
                                "the .docx is written beside it).",
        show_default=False)] = ...,  # type: ignore[assignment]
    pdf: Annotated[bool, typer.Option(
        "--pdf", help="Also write the PDF beside the .docx (the same name, ending .pdf).")
    ] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the output files when they exist.")] = False,
    template: Annotated[Path | None, typer.Option(
        "--template", help="A .docx or .dotx whose styles (fonts, headings, tables, margins, "
                           "header and footer) the report takes, instead of the project's "
                           "templates/reference.docx or cepa's own.",
        show_default=False)] = None,
    texts: Annotated[Path | None, typer.Option(
        "--texts", help="A folder of section texts (*.md.j2) to use instead of cepa's; "
                        "files missing there come from cepa's own.", show_default=False)] = None,
    public: PublicOpt = False,
    audience: AudienceOpt = None,
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
    from the project's templates/reference.docx or .dotx (or --template: a .docx or .dotx
    saved by Word or LibreOffice), the words from templates/report/ (or --texts), the
    sections and annexes, their order and headings from 'report: outline:' in the project
    file. An existing file is only replaced with --force. The title page and the file's
    metadata carry the fingerprint of the records it came from ('cepa diff' tells what
    changed since). --public writes it for publication; --audience evaluator for the
    funder's evaluator (exact figures, no record about children row by row).

    A PDF (-o FILE.pdf, or --pdf) is made by LibreOffice, which must be installed; the
    editable .docx is written beside it, and the contents of both show page numbers.

    Examples:

        cepa report -o blueprint.docx

        cepa report -o blueprint.pdf

        cepa report --period interim -o interim.docx --template our-style.docx

        cepa report --lang nl -o rapport.docx

        cepa report --audience evaluator -o for-the-evaluator.docx
    """
    from cepa.api import Evidence
    from cepa.document.language import LanguageError
    from cepa.document.templates import TemplateError
    from cepa.publication.gate import PublicationError
    from cepa.records.kinds import KINDS
    from cepa.writers import docx
    from cepa.writers.pdf import PdfError, find_soffice, report_pdf

    kind = output.suffix.lower()
    if kind not in (".docx", ".pdf"):
        check_output(output, ".docx", "cepa report writes a Word document (.docx) or a PDF "
                                      "(.pdf)")
    # -o x.pdf writes x.docx beside it, the editable source; --pdf adds x.pdf to -o x.docx
    docx_out = output if kind == ".docx" else output.with_suffix(".docx")
    pdf_out = output if kind == ".pdf" else (output.with_suffix(".pdf") if pdf else None)
    for target in (docx_out, pdf_out):
        if target is not None and target.exists() and not force:
            beside = " (the editable Word file written beside the PDF)" if (
                target == docx_out and kind == ".pdf") else ""
            fail(f"{target} already exists{beside}; use --force to replace it")
    if template is not None and not template.is_file():
        fail(f"the template {template} does not exist", 2)
    if texts is not None and not texts.is_dir():
        fail(f"the texts folder {texts} does not exist", 2)
    soffice = None
    if pdf_out is not None:
        with user_errors(PdfError):
            soffice = find_soffice()
    who = audience_of(public, audience)
    ws = open_project(path)
    refuse_if_broken(ws, allow_errors, public)
    per = period_of(ws, period, start, end)
    if who == "public":
        public_period(ws, per)
    assert ws.project is not None

    # a report that lists records about children row by row is for its owner only
    private = who == "team" and any(KINDS[e.kind].children for e in ws.entries)

    def make(progress: Progress | None) -> tuple[bytes, Pdf | None]:
        data = Evidence(ws, once=True).report(per, audience=who, language=lang,
                                              template=template, texts=texts,
                                              progress=progress)
        if soffice is None:
            return data, None
        pdf_made = report_pdf(data, soffice=soffice, progress=progress)
        return pdf_made.docx, pdf_made  # the .docx with the page numbers the PDF shows

    with user_errors(TemplateError, docx.DocxError, PublicationError, PdfError,
                     LanguageError, writing=output):
        evidence = Evidence(ws)
        reference = evidence.reference(template)
        for said in evidence.look_notes(template):  # a style added, a font missing, ...
            note(f"warning: {reference}: {said}")
        data, made = _with_progress(make) if sys.stderr.isatty() else make(None)
        mode = 0o600 if private else None
        atomic_write(docx_out, data, force=force, mode=mode)
        if pdf_out is not None and made is not None:
            atomic_write(pdf_out, made.pdf, force=force, mode=mode)
    if pdf_out is not None and made is not None:
        note(f"wrote {docx_out} and {pdf_out} ({made.pages} pages)")
    else:
        note(f"wrote {docx_out}")
    if private:
        note("it lists records about children and young people row by row, so it is "
             "readable only by you; share a report written with --public (or, for the "
             "funder's evaluator, --audience evaluator)")
    elif who == "evaluator":
        note("written for the evaluator: exact figures, no record about children row by "
             "row; not for publication")


def _with_progress(run):  # type: ignore[no-untyped-def]
    """Run ``run(progress)`` with a progress bar on the terminal, gone when it ends."""
    from rich.progress import BarColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), transient=True) as bar:
        task = bar.add_task("report", total=1)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=f"report: {step}", completed=done, total=total)

        return run(progress)
