"""cepa import attendance: a sign-in sheet's counts into a seminar record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import fail, note, open_project

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
        help="The sign-in sheet: .xlsx, or .csv (comma or semicolon; UTF-8 or Windows "
             "encoding). A workbook from 'cepa export' works too.", show_default=False)],
    seminar: Annotated[str, typer.Option(
        "--seminar", "-s", help="The id of the seminar record to fill in (made if missing).",
        show_default=False)],
    mapping: Annotated[list[str] | None, typer.Option(
        "--map", help="An odd heading and the field it holds, e.g. 'Org=organisation' "
                      "(fields: name, first_name, last_name, organisation, country, sector, "
                      "ignore). Repeat for more.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y",
                                      help="Write without asking.")] = False,
    path: Annotated[Path | None, typer.Option(
        "--project", "-p", help="The project folder (default: found from the current folder).",
        show_default=False)] = None,
) -> None:
    """Count a seminar's sign-in sheet - total and breakdowns by organisation, country and
    sector - into its record, keeping the record's comments and key order. Shows the change
    and writes only after --yes or a yes at the prompt.

    Names never leave the sheet. The record gets a reference to the sheet (its path and a
    SHA-256 checksum) for auditors. When the project has a secret (the environment variable
    CEPA_PEOPLE_SECRET, or a file .cepa-secret beside the project file, which git ignores),
    each attendee is stored as a keyed hash instead, so 'cepa summarize' can count unique
    people across seminars.

    Examples:

        cepa import attendance signin/uk-seminar-2005-06.xlsx --seminar uk-seminar-2005-06

        cepa import attendance list.csv --seminar nl-seminar-2006-04 \
            --map "Organisatie=organisation"
    """
    from cepa import importer
    from cepa.project import display

    if not sheet.is_file():
        fail(f"{sheet} does not exist", 2)
    ws = open_project(path)
    try:
        counts = None
        if sheet.suffix.lower() in (".xlsx", ".xlsm"):
            counts = importer.from_export(sheet, seminar)
        reference = None
        if counts is None:
            people = importer.read_sheet(sheet, importer.parse_map(mapping or []))
            counts = importer.attendance(people, importer.secret(ws.root),
                                         ws.project.countries if ws.project else None)
            reference = importer.sheet_reference(sheet, ws.root)
        change = importer.plan(ws.root, seminar, counts, reference, ws.project)
    except importer.SheetError as e:
        fail(str(e))
    except OSError as e:
        fail(f"cannot read {sheet}: {e.strerror or e}")
    shown = display(change.path)
    for n in change.notes:
        note(n)
    note(f"{sheet}: {counts.total} attendee(s)"
         + (f", {len(counts.people)} keyed" if counts.people else ""))
    if not change.changed:
        note(f"{shown} already holds these figures; nothing to do")
        return
    typer.echo(change.diff(shown), nl=False)
    if not yes and not typer.confirm(f"Write {shown}?", default=False):
        note("nothing written")
        raise typer.Exit(1)
    try:
        importer.apply(change)
    except OSError as e:
        fail(f"cannot write {shown}: {e.strerror or e}")
    note(f"wrote {shown}; run 'cepa validate' to check it")
