"""``cepa validate``'s run, without the command-line framework.

The Typer command (cepa/commands/validate.py) fills its options and calls ``run``. A warm
``cepa validate`` - nothing changed since the last run - is answered from the cache of
checked results in a few hundredths of a second, less than loading Typer and building the
app takes, so ``cepa`` (cepa/__main__.py) first asks ``answer_argv`` whether the command
line is a plain ``cepa validate [PATH] [--format FORMAT]``, and runs it here when it is.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cepa.base.text import escape

FORMATS = ("text", "json", "github")
MAX_BYTES = 1 << 20


def note(message: str) -> None:
    sys.stderr.write(escape(message) + "\n")


def run(root: Path, fmt: str, max_bytes: int = MAX_BYTES, *, final: bool = False,
        lang: str | None = None) -> int:
    """Check the project at ``root`` and print what was found: the problems on stdout in
    ``fmt``, a line of totals on stderr; the exit code (0 clean, 1 errors)."""
    from cepa.base.files import finish
    from cepa.records.checked import look
    from cepa.writers.problems import REPORTER_BY_NAME

    done = finish(root)  # an import stopped half-way is completed before anything is read
    if done:
        note(f"{root}: {done}")

    sight = look(root, max_bytes)
    result = sight.answer if sight is not None else None
    if result is None:
        from cepa.evidence.checks import validate_root

        result = validate_root(root, max_bytes, sight=sight)
    for n in result.notes:
        note(f"warning: {n}")
    own = root / "templates"  # the project's own report templates and reference document
    sent = root / "submissions"  # figures submitted to the funder (cepa submit)
    if final or lang or own.is_dir() or sent.is_dir():
        from cepa.records.checks import (
            narrative_problems,
            translation_problems,
            unknown_problems,
        )
        from cepa.records.workspace import load

        # the records' texts and unknowns are read from the records themselves
        ws = load(root, max_bytes=max_bytes)
        if final:
            result = result.adding([*narrative_problems(ws), *unknown_problems(ws)])
        if lang and ws.project is not None:
            result = result.adding(translation_problems(ws, lang))
        if own.is_dir() and ws.project is not None:
            from cepa.api import Evidence

            result = result.adding(Evidence(ws).template_problems())
        if sent.is_dir():
            from cepa.evidence.checks import check_submitted

            result = result.adding(check_submitted(ws))
    sys.stdout.write(REPORTER_BY_NAME[fmt](result))
    if fmt == "text":
        note(f"{root}: the project file and {result.files} record file(s) checked: "
             f"{result.errors} error(s), {result.warnings} warning(s)")
    return 0 if result.valid else 1


def answer_argv(argv: list[str]) -> int | None:
    """Run a plain ``validate [PATH] [--format FORMAT]`` command line, and return its exit
    code; None for any other command line (or a path that is not a project), which the
    Typer app then runs and words its own messages for."""
    if not argv or argv[0] != "validate":
        return None
    path: str | None = None
    fmt = "text"
    rest = argv[1:]
    while rest:
        token = rest.pop(0)
        if token in ("--format", "-f") and rest:
            fmt = rest.pop(0)
        elif token.startswith("--format="):
            fmt = token.split("=", 1)[1]
        elif path is None and token and not token.startswith("-"):
            path = token
        else:
            return None
    if fmt not in FORMATS:
        return None
    from cepa.records.files import ProjectNotFound, find_root

    if path is not None and not os.path.lexists(path):
        return None
    try:
        root = find_root(Path(path) if path is not None else Path.cwd())
    except (ProjectNotFound, OSError):
        return None
    return run(root, fmt)
