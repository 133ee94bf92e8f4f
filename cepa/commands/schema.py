"""cepa schema: the JSON Schema of a record kind, for editors and other checkers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import escape, fail, print_json, user_errors

KINDS_HELP = ("project, or a kind of record: visit, seminar, event, interview, feedback, "
              "outcome or output")


def schema(
    kind: Annotated[str, typer.Argument(help=f"The kind: {KINDS_HELP}")],
    write: Annotated[Path | None, typer.Option(
        "--write", help="Write every kind's schema as KIND.json into this folder instead.")] =
    None,
) -> None:
    """Print the JSON Schema of a kind of record.

    Editors with a YAML extension (VS Code's "YAML" by Red Hat, for one) read the first
    line of each record, '# yaml-language-server: $schema=../../schemas/seminar.json', and
    then complete and check fields as you type.

    Examples:

        cepa schema seminar

        cepa schema all --write schemas/
    """
    from cepa.records.kinds import json_schema, kind_of, names, names_help

    if write is not None:
        from cepa.intake.scaffold import write_schemas

        if kind != "all" and kind_of(kind) is None:
            fail(f"unknown kind '{kind}'; use project, or {names_help()}", 2)
        if write.exists() and not write.is_dir():
            fail(f"{write} is a file; --write takes a folder, where the schemas are written "
                 "as KIND.json", 2)
        kinds = ["project", *names()] if kind == "all" else [kind_of(kind) or kind]
        with user_errors(writing=write):
            for path in write_schemas(write, kinds):
                typer.echo(escape(str(path)))
        return
    k = kind_of(kind)
    if k is None:
        fail(f"unknown kind '{kind}'; use project, or {names_help()}", 2)
    print_json(json_schema(k))
