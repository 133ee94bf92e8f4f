"""cepa init: start a new project folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import escape, note, user_errors


def init(
    folder: Annotated[Path, typer.Argument(
        help="The folder for the new project (default: the current folder).")] = Path("."),
) -> None:
    """Start a project: a commented project file, a folder per kind of record, the JSON
    Schemas editors use and a .gitignore (the report's templates stay cepa's until you
    copy one: cepa templates copy NAME). Refuses a folder that already holds a project.

    Example:

        cepa init my-project && cd my-project && cepa new seminar
    """
    from cepa.intake.scaffold import ScaffoldError
    from cepa.intake.scaffold import init as start
    with user_errors(ScaffoldError, writing=folder):
        start(folder)
    typer.echo(escape(str(folder / "cepa-project.yaml")))
    note(f"started a project in {folder}: fill in cepa-project.yaml, then 'cepa new event' "
         "(or seminar, visit, interview, feedback, outcome, output) and 'cepa validate'")
