"""cepa import records: records edited in a workbook, back into their files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import fail, note, open_project, warn_if_broken


def records(
    workbook: Annotated[Path, typer.Argument(
        help="A workbook written by 'cepa export' or 'cepa export --template', edited.",
        show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Write without asking.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would change and write nothing.")] = False,
    delete: Annotated[bool, typer.Option(
        "--delete", help="Delete the files of records whose rows were removed from the "
                         "workbook (without it they are only reported).")] = False,
    path: Annotated[Path | None, typer.Option(
        "--project", "-p", help="The project folder (default: found from the current folder).",
        show_default=False)] = None,
) -> None:
    """Read the record sheets of a workbook back into the records: a changed cell changes
    that field of that record, a new row becomes a new record file, breakdowns come from the
    Breakdowns sheet. Comments and the order of the fields left alone stay as they were;
    files with no change are not touched. Shows the change, record by record, and writes
    only after --yes or a yes at the prompt.

    Nothing is written while any row has a problem; each is shown as
    WORKBOOK:Sheet!C12 with what to do. A row removed from a sheet is reported, and its
    file deleted only with --delete. Workbooks written with --public are refused (their
    counts about children are rounded), formulas are not worked out, and columns of names
    are never read.

    Examples:

        cepa export -o evidence.xlsx && cepa import records evidence.xlsx --dry-run

        cepa export --template -o entry.xlsx && cepa import records entry.xlsx
    """
    from cepa.intake import roundtrip
    from cepa.records.kinds import KINDS

    if not workbook.is_file():
        fail(f"{workbook} does not exist", 2)
    ws = open_project(path)
    warn_if_broken(ws)
    shown = str(workbook)
    try:
        plan = roundtrip.plan(workbook, ws)
    except roundtrip.WorkbookError as e:
        fail(f"{shown}: {e}")
    for p in plan.problems:
        typer.echo(p.text(shown), err=True)
    errors = sum(p.level == "error" for p in plan.problems)
    if errors:
        fail(f"{errors} problem(s) in {shown}; nothing written")
    for c in plan.changes:
        what = "new record" if c.created else "changed: " + ", ".join(c.fields)
        typer.echo(f"# {c.sheet} row {c.row}, {c.id}: {what}")
        typer.echo(c.diff(), nl=False)
    for r in plan.removed:
        if r.changed:
            fate = "it changed after the workbook was written, so it is kept even with --delete"
        elif delete:
            fate = "it will be deleted (--delete)"
        else:
            fate = "the file is kept (--delete removes it)"
        note(f"{r.shown}: its row is gone from the {KINDS[r.kind].title} sheet; {fate}")
    for later in plan.after:
        note(f"warning: after this import 'cepa validate' reports: {later}")
    new = sum(c.created for c in plan.changes)
    gone = sum(delete and not r.changed for r in plan.removed)
    note(f"{shown}: {new} new record(s), {len(plan.changes) - new} changed, "
         f"{len(plan.removed)} removed from the sheets")
    if not plan.changes and not gone:
        note("nothing to write")
        return
    if dry_run:
        note("--dry-run: nothing written")
        return
    if not yes and not typer.confirm(f"Write {len(plan.changes)} file(s)"
                                     + (f" and delete {gone}" if gone else "") + "?",
                                     default=False):
        note("nothing written")
        raise typer.Exit(1)
    try:
        written, deleted = roundtrip.apply(plan, delete=delete)
    except OSError as e:
        fail(f"cannot write {getattr(e, 'filename', '') or 'a record'}: {e.strerror or e}")
    note(f"wrote {len(written)} file(s)" + (f", deleted {len(deleted)}" if deleted else "")
         + "; run 'cepa validate' to check them")
