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
    load_project,
    note,
    print_json,
)


class ProblemFormat(StrEnum):
    text = "text"
    json = "json"


def validate(
    path: PathArg = None,
    fmt: Annotated[ProblemFormat, typer.Option("--format", "-f",
                                               help="text (one problem a line) or json.")] =
    ProblemFormat.text,
    max_bytes: MaxBytesOpt = 1 << 20,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Also list the project's texts not given in this language (nl, et, "
                       "...), for a translator.")] = None,
    final: Annotated[bool, typer.Option(
        "--final", help="Also name the sections a final report needs that are not written "
                        "yet (difficulties.md, dissemination.md, ... next to the project "
                        "file).")] = False,
) -> None:
    """Check the project file and every record: schema, references, dates, sums, claims.

    Problems are printed one a line as path:line:col: level: message (code), sorted, so
    editors and CI can point at them. Exit 0 when there are no errors (warnings allowed),
    1 when there are, 2 when the command itself is misused.

    Examples:

        cepa validate records/

        cepa validate --final

        cepa validate --lang nl
    """
    from cepa.records.checks import validate as check

    as_json = fmt is ProblemFormat.json
    try:
        ws = load_project(path, max_bytes)
    except NoProject as e:
        if as_json:  # scripts read stdout: JSON there, whatever happens
            print_json({"valid": False, "records": 0, "errors": 0, "warnings": 0,
                        "problems": [], "usage_error": str(e)})
        fail(str(e), 2)
    problems = check(ws)
    if final:
        from cepa.records.checks import narrative_problems

        problems = sorted([*problems, *narrative_problems(ws)])
    if lang and ws.project is not None:
        from cepa.records.checks import translation_problems

        problems = sorted([*problems, *translation_problems(ws, lang)])
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    if as_json:
        print_json({"valid": errors == 0, "records": ws.files, "errors": errors,
                    "warnings": warnings, "problems": [p.as_dict() for p in problems]})
    else:
        for p in problems:
            typer.echo(str(p))
        note(f"{ws.root}: the project file and {ws.files} record file(s) checked: "
             f"{errors} error(s), {warnings} warning(s)")
    raise typer.Exit(1 if errors else 0)
