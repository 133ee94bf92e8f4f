"""cepa templates: the report's section texts - list them, show one, copy one to edit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import escape, fail, note, project_root, user_errors

templates_app = typer.Typer(
    help="The report's section texts (templates/report/*.md.j2): list them, show one, "
         "copy one into the project to reword it, or see what changed in cepa's since the "
         "project's copy was written. A project's own copy replaces cepa's of the same "
         "name; every other comes from cepa. 'cepa templates docs' prints the outline's "
         "parts, the styles and the header fields a report's look may use.\n\n"
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
    from cepa.records.workspace import display

    file = _name(name)
    root = project_root(path)
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
    from cepa.records.workspace import display

    file = _name(name)
    root = project_root(path)
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


@templates_app.command("docs")
def docs() -> None:
    """Print docs/templates.md: the parts of the report's outline, the styles a reference
    document may define, the fields its headers and footers may hold, and cepa's section
    texts with their versions.

    Example:

        cepa templates docs
    """
    typer.echo(docs_markdown(), nl=False)


def escape_lines(text: str) -> str:
    """Text of several lines with every unsafe character of each line escaped."""
    return "".join(escape(line) + "\n" for line in text.splitlines())


def docs_markdown() -> str:
    """docs/templates.md, made from the code: the outline's parts (cepa/records/outline.py),
    the styles (cepa/writers/look.py), the fields (cepa/document/report.py) and the section
    texts (templates/report/)."""
    from cepa.document.report import FIELD_ALIASES, FIELDS
    from cepa.document.templates import shipped_names, shipped_text, version_of
    from cepa.records.outline import ANNEXES, SECTIONS
    from cepa.writers.look import METRIC_TWINS, STYLES

    out = [
        "# The report's outline and look",
        "",
        "Generated by `cepa templates docs` from cepa's code; do not edit by hand.",
        "",
        "## The outline",
        "",
        "`report: outline:` in the project file lists the report's sections and annexes in "
        "order (`cepa init` writes cepa's as a commented example). A name alone is one of "
        "cepa's parts under its own heading; `{part: NAME, title: ...}` gives it your "
        "heading (`{en: ..., nl: ...}` per language); `{own: NAME, title: ...}` is a section "
        "of your own, the Markdown file `NAME.md` beside the project file (`NAME.nl.md` in "
        "Dutch, `NAME.public.md` for a public report). A part left out of a list is left out "
        "of the report with all it holds; a list left out is cepa's. Annexes are numbered "
        "in the order given.",
        "",
        "| part | heading | what it holds |",
        "|---|---|---|",
        *(f"| `{p.name}` | {p.title} | {p.holds} |" for p in SECTIONS),
        *(f"| `{p.name}` (annex) | Annex N: {p.title} | {p.holds} |" for p in ANNEXES),
        "",
        "## The reference document",
        "",
        "The report takes its look from `templates/reference.docx` (or `.dotx`) in the "
        "project, or from `cepa report --template FILE`, else from cepa's own: a document "
        "saved by Word (.docx, .dotx) or LibreOffice Writer (as Word 2007-365). Its page "
        "size, margins, headers, footers (a logo in the first page's header makes a cover) "
        "and these styles are the report's; cepa changes none of a style's properties. A "
        "style it lacks is copied from cepa's, and `cepa validate` and `cepa report` say "
        "which. Charts take the theme's accent colours and the font of Normal.",
        "",
        "| style | kind | used for |",
        "|---|---|---|",
        *(f"| {s.name} | {s.kind} | {s.used_for} |" for s in STYLES),
        "",
        "A font the styles name that this machine lacks is named by `cepa validate`: the "
        "PDF, its page breaks and the contents' page numbers would use another. A font of "
        "the same widths is as good: "
        + ", ".join(sorted({" and ".join(sorted((a.title(), b)))
                            for a, twins in METRIC_TWINS.items() for b in twins})) + ".",
        "",
        "## Fields in headers and footers",
        "",
        "Write a field as `{{ name }}` anywhere in a header or footer (the first page's "
        "too); `Page` and `of` around page numbers are written in the report's language.",
        "",
        "| field | prints |",
        "|---|---|",
        *(f"| `{{{{ {name} }}}}` | {what} |" for name, what in FIELDS.items()),
        "",
        "Also: " + ", ".join(f"`{{{{ {a} }}}}` (`{f}`)" for a, f in FIELD_ALIASES.items())
        + ".",
        "",
        "## Section texts",
        "",
        "`cepa templates copy NAME` copies one into `templates/report/` to reword it; its "
        "first line is the version of cepa's template it was copied from, which `cepa "
        "validate` compares with cepa's own (`cepa templates diff NAME` shows what "
        "changed). templates/report/README.md says what a text can use.",
        "",
        "| template | version |",
        "|---|---|",
        *(f"| {n[:-len('.md.j2')]} | {version_of(shipped_text(n))} |" for n in shipped_names()),
    ]
    return "\n".join(out) + "\n"
