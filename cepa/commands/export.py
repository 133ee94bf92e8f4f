"""cepa export: the evidence as an Excel workbook, a folder of CSV files, or JSON."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

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
    language,
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
    audience: AudienceOpt = None,
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
    children are suppressed or rounded. With --audience evaluator every figure stays exact
    and those records are left out (and any figure of one of them alone): for the funder's
    evaluator, not for publication. The Summary sheet says for whom the workbook is, and
    every format carries the fingerprint of the records it came from. Existing files are
    kept unless --force.

    Examples:

        cepa export -o evidence.xlsx

        cepa export records --format csv -o evidence-csv/

        cepa export --public --period interim -o interim-public.xlsx

        cepa export --audience evaluator -o for-the-evaluator.xlsx

        cepa export --template -o entry.xlsx
    """
    from cepa.api import Evidence
    from cepa.document import book
    from cepa.document.language import LanguageError
    from cepa.publication.gate import PublicationError
    from cepa.writers.book import ExportError, write

    who = audience_of(public, audience)
    if template and (who != "team" or fmt is not ExportFormat.xlsx or period or start or end):
        fail("--template writes an empty .xlsx workbook; --public, --audience, --format and "
             "periods do not apply to it", 2)
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
    assert ws.project is not None
    if template:
        with user_errors(writing=output), language(lang, ws):
            written = write(book.template(ws.project), output, force=force)
        note(f"wrote {written[0]}: fill in a row per new record, then run "
             f"'cepa import records {output}'")
        return
    refuse_if_broken(ws, allow_errors, public)
    per = period_of(ws, period, start, end)
    if who == "public":
        public_period(ws, per)
    with user_errors(ExportError, PublicationError, LanguageError, writing=output):
        made = Evidence(ws, once=True).workbook(per, audience=who, language=lang)
        private = who == "team" and made.meta.children
        written = write(made, output, fmt.value, force=force, mode=0o600 if private else None)
    if who == "public":
        note("written for publication: row-level records about children are left out, and "
             "counts about children are suppressed or rounded")
    elif who == "evaluator":
        note("written for the evaluator: exact figures, without the records about children "
             "row by row; not for publication")
    elif private:
        note("warning: it holds row-level records about children and young people, so it "
             "is readable only by you; keep it private, and share a workbook written with "
             "--public")
    where = output if fmt is ExportFormat.csv else written[0]
    note(f"wrote {where} ({len(made.sheets)} sheets)")
