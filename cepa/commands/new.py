"""cepa new: a new record of a kind, with the next free id."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import escape, fail, note, project_root, user_errors


def new(
    kind: Annotated[str, typer.Argument(
        help="visit, seminar, event, interview, feedback, outcome or output.", show_default=False)],
    path: Annotated[Path | None, typer.Option(
        "--project", "-p", help="The project folder (default: found from the current folder).",
        show_default=False)] = None,
) -> None:
    """Write a new record with the next free id, every field present or commented, and
    the line that gives editors its schema. Prints the new file's path; open it, replace
    the placeholders as the comments say, then run 'cepa validate'.

    Example:

        cepa new seminar
    """
    from cepa.intake import scaffold
    from cepa.records import workspace as proj
    from cepa.records.kinds import KINDS, kind_of, names_help

    k = kind_of(kind)
    if k not in KINDS:
        fail(f"unknown kind '{kind}'; choose one of: {names_help()}", 2)
    root = project_root(path)
    ws = proj.load(root)
    if ws.project is None:
        note(f"warning: {ws.project_path} has errors; the new record uses placeholders")
    taken = {e.record.id for e in ws.entries}
    with user_errors(scaffold.ScaffoldError, writing=root / k):
        written = scaffold.new_record(root, k, ws.project, taken)
    typer.echo(escape(proj.display(written)))
