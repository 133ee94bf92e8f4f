"""cepa diff: what changed since a reporting period was submitted."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import (
    Format,
    FormatOpt,
    LangOpt,
    fail,
    language,
    note,
    open_project,
    print_json,
    show_tables,
    warn_if_broken,
)


def diff(
    period: Annotated[str, typer.Argument(
        help="The submitted period, e.g. final (a file of submissions/).",
        show_default=False)],
    path: Annotated[Path | None, typer.Option(
        "--project", "-p", help="The project folder (default: found from the current "
                                "folder upwards).", show_default=False)] = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = None,
) -> None:
    """Every figure of a submitted period that moved since 'cepa submit', with the value
    submitted and the value now, and the records behind it that changed, were added or
    are gone, with the reason each gives ('revision:'). Exit 0 when no figure moved, 1 when
    some did.

    Examples:

        cepa diff final

        cepa diff interim --format json
    """
    from cepa.document import tables
    from cepa.evidence.results import as_json
    from cepa.evidence.submission import compare, path_of, read, submitted

    ws = open_project(path)
    warn_if_broken(ws)
    if not path_of(ws, period).is_file():
        done = ", ".join(submitted(ws)) or "none yet"
        fail(f"'{period}' has not been submitted (submitted: {done}); "
             f"'cepa submit --period {period}' freezes it", 2)
    sub, problems = read(ws, period)
    if sub is None:
        for p in problems:
            typer.echo(str(p), err=True)
        fail(f"cannot read {path_of(ws, period)}; restore it from git, or submit again")
    d = compare(ws, sub)
    if fmt is Format.json:
        print_json(as_json(d))
    else:
        with language(lang, ws):
            from cepa.document.language import _

            header = _("{code}: '{period}' as submitted on {day} (records {old}), and now "
                       "(records {new})").format(code=d.project, period=d.period,
                                                 day=d.submitted,
                                                 old=d.fingerprint_submitted[:12],
                                                 new=d.fingerprint_now[:12])
            show_tables(tables.diff_tables(d), fmt, header)
    if d.changed:
        note(f"{len(d.figures)} figure(s) of '{period}' moved since it was submitted, "
             f"behind {len(d.records)} changed record(s)")
        raise typer.Exit(1)
