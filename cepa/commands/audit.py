"""cepa audit-disclosure: what an attacker who knows cepa's rules can learn about each count."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import (
    FromOpt,
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
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Project folders; several are audited together with their programme roll-up "
             "(default: the current one).", show_default=False)] = None,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    primary_only: Annotated[bool, typer.Option(
        "--primary-only",
        help="Audit what publishing each count in its plain class (0, c, rounded) would "
             "give, without the plan's merging: shows which counts the merging protects."
    )] = False,
    show_all: Annotated[bool, typer.Option(
        "--all", help="List every figure, not only those shown 'c'.")] = False,
    fmt: Annotated[AuditFormat, typer.Option("--format", "-f",
                                             help="text or json.")] = AuditFormat.text,
) -> None:
    """Check that no count about children can be worked out from what the project
    publishes with --public, by an attacker who knows cepa's rules.

    The attacker sees every public output of every reporting period and every roll-up
    that includes the project. For every figure those outputs show, this command works
    out by linear programming, from everything published at once, the smallest range the
    attacker can confine it to, and fails (exit 1) when a count that could be 1 to the
    threshold keeps fewer than 'threshold' possible values. With several project folders
    it also audits their programme roll-up. The ranges are for you: do not publish them.

    Examples:

        cepa audit-disclosure

        cepa audit-disclosure projects/agis projects/daphne

        cepa audit-disclosure --period interim --primary-only
    """
    from cepa.publication import programme
    from cepa.publication.audit import audit
    from cepa.publication.gate import PublicationError, gate_for

    folders: list[Path | None] = list(paths) if paths else [None]
    workspaces, pers = [], []
    for p in folders:
        ws = open_project(p)
        warn_if_broken(ws)
        per = period_of(ws, period, start, end)
        public_period(ws, per)
        workspaces.append(ws)
        pers.append(per)
    try:
        gate = gate_for(workspaces, pers, merge=not primary_only)
    except PublicationError as e:
        fail(str(e))
    several = len(workspaces) > 1
    cells = []
    for prefix, plan in gate.members:
        label = f"{plan.code} " if several else ""
        for cell in plan.cells.values():
            places = [label + w for w in cell.where
                      if period is None or w.startswith(f"{period}: ")]
            if places:
                atoms = frozenset((prefix + r, p) for r, p in cell.atoms)
                cells.append((atoms, places, plan.rules.threshold))
    if several:
        _summaries, roll = programme(workspaces, pers)
        for row in roll.rows:
            if gate.protected(row.total):
                atoms = gate.atoms(row.total, "")
                if atoms:
                    cells.append((atoms, [f"roll-up: {row.measure} (total)"],
                                  gate.rules.threshold))
    found = audit(gate, cells)
    unsafe = [c for c in found if not c.safe]
    listed = [c for c in found if show_all or c.value is None or not c.safe]
    if fmt is AuditFormat.json:
        print_json({"threshold": gate.rules.threshold, "base": gate.rules.base,
                    "figures": len(found), "suppressed": sum(c.value is None for c in found),
                    "unsafe": len(unsafe), "safe": not unsafe,
                    "cells": [{"where": c.where, "places": c.shown_in, "shown": c.value,
                               "low": c.low,
                               "high": None if c.high == float("inf") else int(c.high),
                               "values": None if c.values == float("inf") else int(c.values),
                               "safe": c.safe} for c in listed]})
    else:
        for c in listed:
            high = "no upper limit" if c.high == float("inf") else f"{int(c.high):,}"
            values = "" if c.high == float("inf") else f" ({int(c.values):,} values)"
            more = f" (and {c.shown_in - 1} more place(s))" if c.shown_in > 1 else ""
            shown = "c" if c.value is None else f"{c.value:,}"
            verdict = "safe" if c.safe else (f"UNSAFE: fewer than the threshold of "
                                              f"{c.threshold} values")
            typer.echo(f"{c.where}{more}: shown {shown}; an attacker can confine it to "
                       f"{c.low:,} to {high}{values}: {verdict}")
        note(f"{len(found)} figure(s), {sum(c.value is None for c in found)} shown 'c', "
             f"{len(unsafe)} unsafe; threshold {gate.rules.threshold}, rounding base "
             f"{gate.rules.base}")
    raise typer.Exit(1 if unsafe else 0)
