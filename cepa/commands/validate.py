"""cepa validate: every problem in every file, in one run."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cepa.commands._common import (
    MaxBytesOpt,
    NoProject,
    PathArg,
    fail,
    find_project,
    print_json,
)


class ProblemFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    path: PathArg = None,
    fmt: Annotated[ProblemFormat, typer.Option(
        "--format", "-f", help="text (one problem a line), json, or github (annotations "
                               "beside the line in GitHub Actions).")] = ProblemFormat.text,
    max_bytes: MaxBytesOpt = 1 << 20,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Also list the project's texts not given in this language (nl, et, "
                       "...), for a translator.")] = None,
    final: Annotated[bool, typer.Option(
        "--final", help="Also name the sections a final report needs that are not written "
                        "yet (difficulties.md, dissemination.md, ... next to the project "
                        "file), and every fact recorded as unknown.")] = False,
) -> None:
    """Check the project file and every record: schema, references, dates, sums, claims,
    and the project's own report templates (templates/report/*.md.j2, rendered against the
    project; templates/reference.docx).

    Problems are printed one a line as path:line:col: level: message (code), sorted, so
    editors and CI can point at them. Exit 0 when there are no errors (warnings allowed),
    1 when there are, 2 when the command itself is misused.

    Examples:

        cepa validate records/

        cepa validate --final

        cepa validate --lang nl

        cepa validate --format github
    """
    from cepa.commands.checking import run

    try:
        root = find_project(path)
    except NoProject as e:
        if fmt is ProblemFormat.json:  # scripts read stdout: JSON there, whatever happens
            print_json({"valid": False, "records": 0, "errors": 0, "warnings": 0,
                        "problems": [], "usage_error": str(e)})
        fail(str(e), 2)
    raise typer.Exit(run(root, fmt.value, max_bytes, final=final, lang=lang))
