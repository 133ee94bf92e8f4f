"""cepa templates: the report's section texts - list them, show one, copy one to edit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import escape, fail, note, user_errors

templates_app = typer.Typer(
    help="The report's section texts (templates/report/*.md.j2): list them, show one, "
         "copy one into the project to reword it, or see what changed in cepa's since the "
         "project's copy was written. A project's own copy replaces cepa's of the same "
         "name; every other comes from cepa.\n\n"
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
    from cepa.document.templates import stale

    for file in shipped_names():
        mine = own is not None and (own / file).is_file()
        said = ""
        if mine and own is not None:
            text = (own / file).read_text(encoding="utf-8", errors="replace")
            said = ("  (the project has its own, written for an older cepa: 'cepa templates "
                    f"diff {file[:-6]}')" if stale(own / file, text) else
                    "  (the project has its own)")
        typer.echo(escape(f"{file[:-6]:<22}{said}".rstrip()))


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


@templates_app.command("diff")
def diff(name: Annotated[str, typer.Argument(help="A template's name, e.g. claims.")],
         path: ProjectOpt = None) -> None:
    """Show what changed in cepa's template since the project's own copy was written (its
    version mark says from which), or, when cepa keeps no copy of that version, how the
    project's copy differs from cepa's: bring the changes into the project's copy, then set
    its first line to cepa's.

    Example:

        cepa templates diff claims
    """
    from cepa.document.templates import changes
    from cepa.records.workspace import ProjectNotFound, display, find_root

    file = _name(name)
    try:
        root = find_root(path or Path.cwd())
    except ProjectNotFound as e:
        fail(str(e), 2)
    own = root / "templates" / "report" / file
    if not own.is_file():
        note(f"the project has no {file} of its own: its report uses cepa's ('cepa templates "
             f"show {name}' prints it)")
        return
    theirs = own.read_text(encoding="utf-8", errors="replace")
    found = changes(file, theirs, display(own))
    sys.stdout.write(escape_lines("".join(found.lines)))
    if not found.lines:
        note(f"{display(own)} is the same as cepa's {file}")
    elif found.since:
        note(f"what changed in cepa's {file} since the version {display(own)} was written "
             "from; bring the changes into it, then set its first line to cepa's")
    else:
        note(f"how {display(own)} differs from cepa's {file} (lines with - are the "
             "project's, + cepa's); keep the project's words, take cepa's changes, then "
             "set its first line to cepa's")


def escape_lines(text: str) -> str:
    """Text of several lines with every unsafe character of each line escaped."""
    return "".join(escape(line) + "\n" for line in text.splitlines())
