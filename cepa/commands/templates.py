"""cepa templates: the report's section texts - list them, show one, copy one to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import escape, fail, note, user_errors

templates_app = typer.Typer(
    help="The report's section texts (templates/report/*.md.j2): list them, show one, or "
         "copy one into the project to reword it. A project's own copy replaces cepa's of "
         "the same name; every other comes from cepa.\n\n"
         "Example:\n\n    cepa templates copy annexes",
    rich_markup_mode="markdown",
    no_args_is_help=True)

ProjectOpt = Annotated[Path | None, typer.Option(
    "--project", "-p", help="The project folder (default: found from the current folder).",
    show_default=False)]


def _name(name: str) -> str:
    from cepa.document.templates import shipped_names

    file = name if name.endswith(".md.j2") else f"{name}.md.j2"
    if file not in shipped_names():
        fail(f"cepa has no template '{name}'; 'cepa templates list' names them", 2)
    return file


@templates_app.command("list")
def list_templates(path: ProjectOpt = None) -> None:
    """List cepa's templates, and which the project replaces with its own.

    Example:

        cepa templates list
    """
    from cepa.document.templates import shipped_names
    from cepa.records.workspace import ProjectNotFound, find_root

    try:
        own = find_root(path or Path.cwd()) / "templates" / "report"
    except ProjectNotFound:
        own = None
    for file in shipped_names():
        mine = own is not None and (own / file).is_file()
        line = f"{file[:-6]:<22}{'  (the project has its own)' if mine else ''}"
        typer.echo(escape(line.rstrip()))


@templates_app.command("show")
def show(name: Annotated[str, typer.Argument(help="A template's name, e.g. annexes.")]) -> None:
    """Print cepa's own template of a name.

    Example:

        cepa templates show annexes
    """
    from cepa.document.templates import shipped

    typer.echo((shipped() / "report" / _name(name)).read_text(encoding="utf-8"), nl=False)


@templates_app.command("copy")
def copy(name: Annotated[str, typer.Argument(help="A template's name, e.g. annexes.")],
         path: ProjectOpt = None) -> None:
    """Copy cepa's template into the project's templates/report/ to reword it; the report
    then uses the project's copy. An existing copy is never replaced.

    Example:

        cepa templates copy annexes
    """
    from cepa.document.templates import shipped
    from cepa.intake.scaffold import ScaffoldError, copy_template
    from cepa.records.workspace import ProjectNotFound, display, find_root

    file = _name(name)
    try:
        root = find_root(path or Path.cwd())
    except ProjectNotFound as e:
        fail(str(e), 2)
    with user_errors(ScaffoldError, writing=root / "templates"):
        written = copy_template(root, file, shipped() / "report" / file)
    typer.echo(escape(display(written)))
    note("edit it in a text editor; 'cepa report' uses it from now on")
