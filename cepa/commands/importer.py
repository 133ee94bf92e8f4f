"""cepa import attendance: a sign-in sheet's counts into a seminar record."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import escape, fail, note, open_project

import_app = typer.Typer(
    name="import",
    help="Bring figures in from other files, such as sign-in sheets.\n\n"
         "Example:\n\n    cepa import attendance signin.xlsx --seminar seminar-001",
    rich_markup_mode="markdown",
    no_args_is_help=True,
)


@import_app.command()
def attendance(
    sheet: Annotated[Path, typer.Argument(
        help="The sign-in sheet: .xlsx, or .csv (comma, semicolon or tab; its encoding is "
             "detected). A workbook from 'cepa export' works too.", show_default=False)],
    seminar: Annotated[str, typer.Option(
        "--seminar", "-s", help="The id of the seminar record to fill in (made if missing).",
        show_default=False)],
    mapping: Annotated[list[str] | None, typer.Option(
        "--map", help="An odd heading and the field it holds, e.g. 'Org=organisation' "
                      "(fields: name, first_name, last_name, organisation, country, sector, "
                      "date, ignore). Repeat for more.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y",
                                      help="Write without asking.")] = False,
    path: Annotated[Path | None, typer.Option(
        "--project", "-p", help="The project folder (default: found from the current folder).",
        show_default=False)] = None,
    max_rows: Annotated[int, typer.Option(
        "--max-rows", help="Refuse sheets with more rows than this (blank ones included).",
        min=1, max=1_048_576)] = 20_000,
) -> None:
    """Count a seminar's sign-in sheet - total and breakdowns by organisation, country and
    sector - into its record, keeping the record's comments and key order. Shows the change
    and writes only after --yes or a yes at the prompt.

    The headings are found wherever they are (title rows above them, a hidden first sheet,
    merged cells, a Total row, headings in the partners' languages). A sheet of several
    days, one row per person per day with a date column, gives attendances and unique
    people day by day. Countries must be countries (codes or names).

    Names never leave the sheet: a column that would be counted but holds people's names
    stops the import. The record gets a reference to the sheet (its path and a SHA-256
    checksum) for auditors. When the project has a secret (the environment variable
    CEPA_PEOPLE_SECRET, or a file .cepa-secret beside the project file, which git ignores),
    each attendee is stored as a keyed hash instead, so 'cepa summarize' can count unique
    people across seminars.

    Examples:

        cepa import attendance signin/uk-seminar-2005-06.xlsx --seminar uk-seminar-2005-06

        cepa import attendance list.csv --seminar nl-seminar-2006-04 \
            --map "Organisatie=organisation"
    """
    from cepa.intake import attendance as importer
    from cepa.records.model import valid_id
    from cepa.records.workspace import display

    if not valid_id(seminar):
        fail(f"--seminar '{seminar}' is not a record id: letters, digits, '.', '_' and '-', "
             "starting with a letter or digit (no '/', no '..')", 2)
    if not os.path.lexists(sheet):
        fail(f"{sheet} does not exist", 2)
    try:
        fields = importer.parse_map(mapping or [])
    except importer.SheetError as e:
        fail(str(e), 2)
    ws = open_project(path)
    try:
        change = importer.prepare(sheet, ws.root, seminar, mapping=fields, project=ws.project,
                                  max_rows=max_rows)
    except importer.SheetError as e:
        fail(str(e))
    shown = display(change.path)
    for n in change.notes:
        note(n)
    counts = change.counts
    note(f"{sheet}: {counts.total} {'person' if counts.total == 1 else 'people'}"
         + (f", {len(counts.people)} keyed" if counts.people else ""))
    if not change.changed:
        note(f"{shown} already holds these figures; nothing to do")
        return
    typer.echo("\n".join(escape(line) for line in change.diff(shown).split("\n")), nl=False)
    if not yes and not typer.confirm(f"Write {escape(shown)}?", default=False):
        note("nothing written")
        raise typer.Exit(1)
    try:
        importer.apply(change)
    except OSError as e:
        fail(f"cannot write {shown}: {e.strerror or e}")
    note(f"wrote {shown}; run 'cepa validate' to check it")
