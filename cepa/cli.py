"""The cepa command line: one Typer app, one module per command."""

from __future__ import annotations

from typing import Annotated

import typer

from cepa import __version__
from cepa.commands.audit import audit_disclosure
from cepa.commands.codes import codes
from cepa.commands.coverage import coverage
from cepa.commands.diff import diff
from cepa.commands.export import export
from cepa.commands.import_records import records
from cepa.commands.importer import import_app
from cepa.commands.init import init
from cepa.commands.new import new
from cepa.commands.report import report
from cepa.commands.schema import schema
from cepa.commands.secret import secret
from cepa.commands.submit import submit
from cepa.commands.summarize import summarize
from cepa.commands.templates import templates_app
from cepa.commands.validate import validate

app = typer.Typer(
    name="cepa",
    help="Keep a project's evidence as YAML records; check it and report from it.\n\n"
         "New project: 'cepa init my-project', then 'cepa new seminar'. In a project: "
         "'cepa validate', 'cepa summarize', 'cepa report -o report.docx'.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)

for command in (init, new, validate, summarize, coverage, report, export, submit, diff,
                schema, codes, secret):
    app.command()(command)
app.command("audit-disclosure")(audit_disclosure)
import_app.command("records")(records)
app.add_typer(import_app, name="import")
app.add_typer(templates_app, name="templates")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cepa {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Keep a project's evidence as YAML records; check it and report from it."""


def main() -> None:
    app()
