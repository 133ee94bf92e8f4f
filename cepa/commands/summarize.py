"""cepa summarize: attendance and activity totals, targets, planned and implemented, claims."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cepa.commands._common import (
    Format,
    FormatOpt,
    FromOpt,
    LangOpt,
    PeriodOpt,
    PublicOpt,
    ToOpt,
    fail,
    gate,
    language,
    open_project,
    period_of,
    print_json,
    public_period,
    show_tables,
    warn_if_broken,
)


def summarize(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Project folders; several give a programme roll-up (default: the current one).",
        show_default=False)] = None,
    by: Annotated[str | None, typer.Option(
        "--by", help="Only one breakdown of people: activity, country, partner, year, "
                     "kind, city, mode, sector, function, organisation, participant_country, "
                     "age_band.")] = None,
    kind: Annotated[str, typer.Option(
        "--kind", help="With --by: which records' people to count (seminars, events, "
                       "interviews, feedback, outcomes, visits), or all (a column for each "
                       "kind the project has). Default: the seminars and events.")] = "",
    fmt: FormatOpt = Format.table,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    public: PublicOpt = False,
    lang: LangOpt = None,
) -> None:
    """Attendance and activity totals, targets, planned against implemented, and claims.

    Totals by activity, country, partner, sector and year; visits, interviews, feedback and
    outcome monitoring; targets against actuals; the planned activities implemented, not
    implemented and unforeseen; every claim with its status. Figures marked * are
    estimates (the source gave only a total); 'at least' means some records hold no
    count. With --public, counts about children are suppressed (c) or rounded by the
    project's publication rules. Several project folders give a programme roll-up with a
    column per project. The JSON form is a stable interface (see README).

    Examples:

        cepa summarize

        cepa summarize --by sector --period interim

        cepa summarize projects/agis projects/daphne --format csv

        cepa summarize --lang nl
    """
    from cepa.document import tables
    from cepa.document.language import _, local
    from cepa.document.language import period as dates
    from cepa.document.report import label
    from cepa.evidence.figures import Tally
    from cepa.evidence.periods import in_period
    from cepa.evidence.results import as_json, json_step
    from cepa.evidence.rollup import rollup
    from cepa.evidence.summary import by as by_field
    from cepa.evidence.summary import by_choices
    from cepa.evidence.summary import summarize as summary_of
    from cepa.publication.gate import prefix_of
    from cepa.records.kinds import KINDS

    folders: list[Path | None] = list(paths) if paths else [None]
    if by is not None and len(folders) > 1:
        fail("--by works on one project at a time", 2)
    workspaces = []
    pers = []
    for p in folders:
        ws = open_project(p)
        warn_if_broken(ws)
        per = period_of(ws, period, start, end)
        if public:
            public_period(ws, per)
        workspaces.append(ws)
        pers.append(per)

    if by is not None:
        ws, per = workspaces[0], pers[0]
        assert ws.project is not None
        counted = [k for k in KINDS if KINDS[k].count]
        present = [k for k in counted if any(e.kind == k for e in ws.entries)] or counted[:1]
        gatherings = [k for k in present if KINDS[k].attendance] or present
        kinds = present if kind == "all" else gatherings if not kind else [kind]
        if any(k not in counted for k in kinds):
            fail(f"unknown kind '{kind}' for --kind; choose one of: {', '.join(counted)}, all",
                 2)
        if by not in by_choices():
            fail(f"cannot break down by '{by}'; choose one of: {', '.join(by_choices())}", 2)
        figures = by_field(Tally(ws.project), in_period(ws.entries, per)[0], by, kinds)
        plan = gate([ws], [per]) if public else None
        if plan is not None:
            figures = plan.apply(figures)
        if fmt is Format.json:
            print_json({"period": as_json(per.info()), "by": by, "kind": kind,
                        "figures": as_json(figures[kinds[0]]) if len(kinds) == 1
                        else as_json(figures)})  # one kind: its figures; several: by kind
        else:
            with language(lang, ws):
                info = per.info()
                from cepa.evidence.summary import project_info

                names = tables.Names.of(project_info(ws.project),
                                        {k for b in figures.values() for k in b})
                show_tables([tables.by_table(by, figures,
                                             plan.info() if plan is not None else None,
                                             names.countries)],
                            fmt, f"{ws.project.code}, "
                                 f"{label(info.name, dates(info.start, info.end))}")
        return

    summaries = [summary_of(ws, per) for ws, per in zip(workspaces, pers, strict=True)]
    if len(summaries) == 1:
        s = summaries[0]
        if public:
            s = gate(workspaces, pers).apply(s)
        if fmt is Format.json:
            print_json(s, step=json_step)
        else:
            with language(lang, workspaces[0]):
                when = label(s.period.name, dates(s.period.start, s.period.end))
                header = (f"{s.project.code}: {local(s.project.title)}\n"
                          + _("Period: {period}").format(period=when))
                show_tables(tables.summary_tables(s), fmt, header)
        return
    roll = rollup(summaries)
    if public:
        plan = gate(workspaces, pers, also=[roll])
        roll = plan.apply(roll)
        summaries = [plan.apply(s, prefix_of(ws, True))
                     for s, ws in zip(summaries, workspaces, strict=True)]
    if fmt is Format.json:
        print_json({"projects": summaries, "rollup": roll.mapping()}, step=json_step)
    else:
        with language(lang, workspaces[0]):
            show_tables([tables.rollup_table(roll)], fmt,
                        _("Programme roll-up of {n} projects").format(n=len(summaries)))
