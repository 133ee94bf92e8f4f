"""cepa audit-disclosure: what an attacker could learn about each suppressed count."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cepa.commands._common import (
    FromOpt,
    PathArg,
    PeriodOpt,
    ToOpt,
    fail,
    note,
    open_project,
    period_of,
    print_json,
    public_period,
    warn_if_broken,
)


class AuditFormat(StrEnum):
    text = "text"
    json = "json"


def audit_disclosure(
    path: PathArg = None,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    primary_only: Annotated[bool, typer.Option(
        "--primary-only",
        help="Audit what suppressing only the small counts themselves would publish: shows "
             "which counts the further suppressions protect.")] = False,
    fmt: Annotated[AuditFormat, typer.Option("--format", "-f",
                                             help="text or json.")] = AuditFormat.text,
) -> None:
    """Check that no suppressed count about children can be worked out from what the
    project publishes with --public.

    Publication mode plans suppression once for everything the project can publish (the
    summary, the coverage matrix and every breakdown, for the whole project and each
    reporting period). For every suppressed cell this command computes, by linear
    programming over all the published figures at once, the smallest range an attacker
    can confine it to, and fails (exit 1) when a range is narrower than the project's
    threshold. The ranges are for you: do not publish them.

    Examples:

        cepa audit-disclosure

        cepa audit-disclosure --period interim --primary-only
    """
    from cepa.publication.gate import PublicationError, gate_for

    ws = open_project(path)
    warn_if_broken(ws)
    per = period_of(ws, period, start, end)
    public_period(ws, per)
    try:
        gate = gate_for([ws], [per], secondary=not primary_only)
    except PublicationError as e:
        fail(str(e))
    cells = gate.audit()
    unsafe = [c for c in cells if not c.safe]
    if fmt is AuditFormat.json:
        print_json({"threshold": gate.rules.threshold, "base": gate.rules.base,
                    "suppressed": len(cells), "unsafe": len(unsafe), "safe": not unsafe,
                    "cells": [{"where": c.where, "places": c.shown_in, "low": c.low,
                               "high": None if c.high == float("inf") else int(c.high),
                               "width": None if c.width == float("inf") else int(c.width),
                               "safe": c.safe} for c in cells]})
    else:
        for c in cells:
            high = "no upper limit" if c.high == float("inf") else f"{int(c.high):,}"
            more = f" (and {c.shown_in - 1} more place(s))" if c.shown_in > 1 else ""
            verdict = "safe" if c.safe else (f"UNSAFE: narrower than the threshold of "
                                              f"{c.threshold}")
            typer.echo(f"{c.where}{more}: an attacker can confine it to {c.low:,} to {high}: "
                       f"{verdict}")
        note(f"{len(cells)} suppressed cell(s), {len(unsafe)} unsafe; threshold "
             f"{gate.rules.threshold}, rounding base {gate.rules.base}")
    raise typer.Exit(1 if unsafe else 0)
