"""cepa submit: freeze a reporting period's figures, the records behind them and the
documents sent, in a file of the project (submissions/PERIOD.json) to keep in git."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cepa.base.files import atomic_write
from cepa.commands._common import (
    AllowErrorsOpt,
    fail,
    note,
    open_project,
    period_of,
    refuse_if_broken,
    user_errors,
)


def submit(
    documents: Annotated[list[Path] | None, typer.Argument(
        help="The documents sent to the funder (the report, the workbook, ...): their "
             "SHA-256 is kept, and one cepa wrote must come from these records.",
        show_default=False)] = None,
    period: Annotated[str, typer.Option(
        "--period", help="The reporting period submitted, as the project file names it, "
                         "e.g. final.", show_default=False)] = ...,  # type: ignore[assignment]
    path: Annotated[Path | None, typer.Option(
        "--project", "-p", help="The project folder (default: found from the current "
                                "folder upwards).", show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Submit the period again, replacing the file of the last submission "
                        "(git keeps the old one).")] = False,
    allow_errors: AllowErrorsOpt = False,
) -> None:
    """Freeze what was submitted for a period: every figure of its summary, the fingerprint
    of each record behind them, and the SHA-256 of the documents sent, in
    submissions/PERIOD.json beside the project file. Commit it: 'cepa diff PERIOD' then
    lists every figure a later edit moves, and 'cepa validate' warns about each record
    changed since without a 'revision:' saying why.

    Examples:

        cepa submit --period final

        cepa submit --period interim interim-report.pdf interim-report.docx evidence.xlsx

        cepa submit --period final --force
    """
    from cepa.evidence.submission import SubmissionError, dump, freeze, path_of

    ws = open_project(path)
    assert ws.project is not None
    if period not in ws.project.reporting_periods:
        known = ", ".join(ws.project.reporting_periods) or "none are defined"
        fail(f"no reporting period named '{period}' in the project file (known: {known}); "
             "a submission is of a named period", 2)
    for d in documents or []:
        if not d.is_file():
            fail(f"{d} does not exist", 2)
    refuse_if_broken(ws, allow_errors)
    per = period_of(ws, period, None, None)
    target = path_of(ws, period)
    if target.exists() and not force:
        fail(f"'{period}' was submitted already ({target}); 'cepa diff {period}' shows what "
             "changed since, and --force submits it again")
    with user_errors(SubmissionError, writing=target):
        sub = freeze(ws, per, list(documents or []))
        target.parent.mkdir(exist_ok=True)
        atomic_write(target, dump(sub).encode("utf-8"), force=True)
    note(f"wrote {target}: {len(sub.figures)} figures of '{period}' from {len(sub.records)} "
         f"records (fingerprint {sub.fingerprint[:12]})"
         + (f" and {len(sub.documents)} document(s)" if sub.documents else "")
         + "; commit it")
