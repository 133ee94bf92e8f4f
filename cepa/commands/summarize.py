"""cepa summarize: attendance and activity totals, targets, planned and implemented, claims."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cepa.commands._common import (
    Format,
    FormatOpt,
    FromOpt,
    PeriodOpt,
    PublicOpt,
    ToOpt,
    fail,
    open_project,
    period_of,
    print_json,
    show_tables,
    warn_if_broken,
)

if TYPE_CHECKING:
    from cepa.tables import Table


def summarize(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Project folders; several give a programme roll-up (default: the current one).",
        show_default=False)] = None,
    by: Annotated[str | None, typer.Option(
        "--by", help="Only one breakdown of participants: activity, country, partner, year, "
                     "kind, city, sector, organisation, participant_country, age_band.")] = None,
    kind: Annotated[str, typer.Option(
        "--kind", help="With --by: which records' people to count (seminars, interviews, "
                       "feedback, outcomes, visits, all).")] = "seminars",
    fmt: FormatOpt = Format.table,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    public: PublicOpt = False,
) -> None:
    """Attendance and activity totals, targets, planned against implemented, and claims.

    Totals by activity, country, partner, sector and year; visits, interviews, feedback and
    outcome monitoring; targets against actuals; the planned activities implemented, not
    implemented and unforeseen; every claim with its status. Figures marked * are
    estimates (the source gave only a total). With --public, counts about children are
    suppressed (c) or rounded by the project's publication rules. Several project folders
    give a programme roll-up with a column per project. The JSON form is a stable
    interface (see README).

    Examples:

        cepa summarize

        cepa summarize --by sector --period interim

        cepa summarize projects/agis projects/daphne --format csv
    """
    from cepa import aggregate, disclosure, tables

    summaries = []
    folders: list[Path | None] = list(paths) if paths else [None]
    for p in folders:
        ws = open_project(p)
        warn_if_broken(ws)
        per = period_of(ws, period, start, end)
        if by is not None:
            if len(paths or []) > 1:
                fail("--by works on one project at a time", 2)
            kinds = tuple(aggregate.PEOPLE_FIELD) if kind == "all" else (kind,)
            if any(k not in aggregate.PEOPLE_FIELD for k in kinds):
                fail(f"unknown kind '{kind}' for --kind", 2)
            try:
                figures = aggregate.by(aggregate.in_period(ws.entries, per)[0], by, kinds)
            except KeyError:
                fail(f"cannot break down by '{by}'; choose one of: "
                     f"{', '.join(aggregate.by_choices())}", 2)
            if public and set(kinds) & disclosure.PROTECTED_KINDS:
                figures = disclosure.public_breakdown(figures, ws.project)
            if fmt is Format.json:
                print_json({"period": per.as_dict(), "by": by, "kind": kind,
                            "figures": figures})
            else:
                show_tables([tables.by_table(by, figures, kind)], fmt,
                            f"{ws.project.code if ws.project else ''}, {per.label}")
            return
        s = aggregate.summarize(ws, per)
        summaries.append(disclosure.public_summary(s, ws.project) if public else s)

    if len(summaries) == 1:
        s = summaries[0]
        if fmt is Format.json:
            print_json(s)
        else:
            header = (f"{s['project']['code']}: {s['project']['title']}\n"
                      f"Period: {s['period']['label']}")
            show_tables(tables.summary_tables(s), fmt, header)
        return
    if fmt is Format.json:
        print_json({"projects": summaries,
                    "rollup": _rollup_json(tables.rollup_table(summaries))})
    else:
        show_tables([tables.rollup_table(summaries)], fmt,
                    f"Programme roll-up of {len(summaries)} projects")


def _rollup_json(table: Table) -> dict[str, dict[str, object]]:
    return {row[0]: dict(zip(table.columns[1:], row[1:], strict=True)) for row in table.rows}
