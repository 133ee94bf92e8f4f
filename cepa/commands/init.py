"""cepa init: start a new project folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import fail, note


def init(
    folder: Annotated[Path, typer.Argument(
        help="The folder for the new project (default: the current folder).")] = Path("."),
) -> None:
    """Start a project: a commented project file, a folder per kind of record, the JSON
    Schemas editors use, the report templates and a .gitignore. Refuses a folder that
    already holds a project.

    Example:

        cepa init my-project && cd my-project && cepa new seminar
    """
    from cepa.scaffold import ScaffoldError
    from cepa.scaffold import init as start
    from cepa.writing import WontOverwrite

    try:
        start(folder)
    except (ScaffoldError, WontOverwrite) as e:
        fail(str(e))
    except OSError as e:
        fail(f"cannot write in {folder}: {e.strerror or e}")
    typer.echo(f"{folder / 'cepa-project.yaml'}")
    note(f"started a project in {folder}: fill in cepa-project.yaml, then 'cepa new seminar' "
         "(or visit, interview, feedback, outcome) and 'cepa validate'")
