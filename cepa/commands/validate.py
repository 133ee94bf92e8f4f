"""cepa validate: every problem in every file, in one run."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cepa.commands._common import MaxBytesOpt, PathArg, note, open_project, print_json


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
    from cepa.checks import validate as check

    ws = open_project(path, max_bytes)
    problems = check(ws)
    if final:
        from cepa.checks import narrative_problems

        problems = sorted([*problems, *narrative_problems(ws)])
    if lang and ws.project is not None:
        from cepa.checks import translation_problems

        problems = sorted([*problems, *translation_problems(ws, lang)])
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    if fmt is ProblemFormat.json:
        print_json({"valid": errors == 0, "records": len(ws.entries) + errors,
                    "errors": errors, "warnings": warnings,
                    "problems": [p.as_dict() for p in problems]})
    else:
        for p in problems:
            typer.echo(str(p))
        paths = {e.path for e in ws.entries} | {p.path for p in problems
                                                 if p.path.endswith((".yaml", ".yml"))}
        files = len(paths - {ws.project_path})
        note(f"{ws.root}: the project file and {files} record file(s) checked: "
             f"{errors} error(s), {warnings} warning(s)")
    raise typer.Exit(1 if errors else 0)
