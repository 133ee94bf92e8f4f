"""cepa export: the evidence as an Excel workbook, a folder of CSV files, or JSON."""

from __future__ import annotations

from enum import StrEnum
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


class ExportFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    json = "json"


def export(
    path: PathArg = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The file to write, named for its format: evidence.xlsx, "
                               "evidence.json, a folder for --format csv (evidence-csv), or "
                               "entry.xlsx with --template.",
        show_default=False)] = None,
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="xlsx (a workbook), csv (a folder, one file per sheet) or "
                               "json (one document).")] = ExportFormat.xlsx,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
    public: PublicOpt = False,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    allow_errors: AllowErrorsOpt = False,
    lang: LangOpt = None,
    template: Annotated[bool, typer.Option(
        "--template", help="Write an empty workbook for entering new records: a sheet per "
                           "kind with drop-down lists of the project's activities, "
                           "objectives, partners and countries; 'cepa import records' reads "
                           "it back.")] = False,
) -> None:
    """Write the evidence for evaluators and scripts: a summary, a sheet per record kind
    (a row per record, with its id and file), breakdowns in long form, the coverage matrix,
    claims and every figure in long form. Figures equal 'cepa summarize'; estimates are
    marked. The workbook prints on A4, and its record sheets can be edited and read back
    with 'cepa import records'.

    Without --public the workbook holds row-level records about children and is written
    readable only by you. With --public those records are left out and counts about
    children are suppressed or rounded. Existing files are kept unless --force.

    Examples:

        cepa export -o evidence.xlsx

        cepa export records --format csv -o evidence-csv/

        cepa export --public --period interim -o interim-public.xlsx

        cepa export --template -o entry.xlsx
    """
    from cepa.document import book as ex
    from cepa.evidence.aggregate import PublicationError

    if template and (public or fmt is not ExportFormat.xlsx or period or start or end):
        fail("--template writes an empty .xlsx workbook; --public, --format and periods "
             "do not apply to it", 2)
    if template:
        output = output or Path("entry.xlsx")
        check_output(output, ".xlsx", "--template writes a .xlsx workbook")
    if output is None:
        output = Path("evidence-csv" if fmt is ExportFormat.csv else f"evidence.{fmt.value}")
    if fmt is ExportFormat.csv:
        if output.suffix.lower() in (".csv", ".xlsx", ".json", ".docx", ".pdf", ".txt") or (
                output.exists() and not output.is_dir()):
            fail(f"{output}: --format csv writes a folder of CSV files, one per sheet; give "
                 "a folder, e.g. -o evidence-csv", 2)
    else:
        check_output(output, f".{fmt.value}", f"--format {fmt.value} writes a .{fmt.value} file")
    ws = open_project(path)
    if template:
        with user_errors(writing=output):
            written = ex.write(ex.template(ws), output, force=force)
        note(f"wrote {written[0]}: fill in a row per new record, then run "
             f"'cepa import records {output}'")
        return
    refuse_if_broken(ws, allow_errors)
    per = period_of(ws, period, start, end)
    if public:
        public_period(ws, per)
    from cepa.document import language as i18n

    with user_errors(ex.ExportError, PublicationError, i18n.LanguageError, writing=output), \
            i18n.using(lang, ws.project.language if ws.project else None):
        book = ex.build(ws, per, public=public)
        written = ex.write(book, output, fmt.value, force=force,
                           mode=None if public else 0o600)
    note(ex.PUBLIC_NOTE if public else f"warning: {ex.CHILD_WARNING}")
    where = output if fmt is ExportFormat.csv else written[0]
    note(f"wrote {where} ({len(book.sheets)} sheets)")
