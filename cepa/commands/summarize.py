"""cepa summarize: attendance and activity totals, targets, planned and implemented, claims."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cepa.commands._common import (
    AudienceOpt,
    Format,
    FormatOpt,
    FromOpt,
    LangOpt,
    PeriodOpt,
    PublicOpt,
    ToOpt,
    audience_gate,
    audience_of,
    fail,
    language,
    open_project,
    period_of,
    print_json,
    public_period,
    show_tables,
    user_errors,
    warn_if_broken,
)


def summarize(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Project folders; several give a programme roll-up (default: the current one).",
        show_default=False)] = None,
    by: Annotated[str | None, typer.Option(
        "--by", help="Only one breakdown of people: activity, country, partner, year, "
                     "kind, city, mode, sector, function, organisation, participant_country, "
                     "age_band, gender.")] = None,
    kind: Annotated[str, typer.Option(
        "--kind", help="With --by: which records' people to count (seminars, events, "
                       "interviews, feedback, outcomes, visits), or all (a column for each "
                       "kind the project has). Default: the seminars and events.")] = "",
    fmt: FormatOpt = Format.table,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    public: PublicOpt = False,
    audience: AudienceOpt = None,
    lang: LangOpt = None,
) -> None:
    """Attendance and activity totals, targets, planned against implemented, and claims.

    Totals by activity, country, partner, sector and year; visits, interviews, feedback and
    outcome monitoring; targets against actuals; the planned activities implemented, not
    implemented and unforeseen; every claim with its status. Estimates are marked by how
    they were obtained: * a share of a total the source gives, ≈ estimated from a source,
    ? estimated with no source, ~ assumed; 'at least' means some records hold no count. A
    claim that holds only on estimates is 'consistent, on estimates'. A period's summary
    judges only the claims about that period and lists the records it leaves out. With
    --public, counts about children are suppressed (c) or rounded by the project's
    publication rules; --audience evaluator keeps every figure exact but lists no record
    about children. Several project folders give a programme roll-up with a column per
    project. The JSON form is a stable interface (see README).

    Examples:

        cepa summarize

        cepa summarize --by sector --period interim

        cepa summarize projects/agis projects/daphne --format csv

        cepa summarize --audience evaluator --format json

        cepa summarize --lang nl
    """
    from cepa.document import tables
    from cepa.document.language import _, local
    from cepa.document.language import period as dates
    from cepa.document.report import label
    from cepa.evidence.figures import Tally
    from cepa.evidence.periods import in_period
    from cepa.evidence.results import as_json, json_step
    from cepa.evidence.rollup import labels
    from cepa.evidence.summary import by as by_field
    from cepa.evidence.summary import by_choices
    from cepa.evidence.summary import summarize as summary_of
    from cepa.publication import PublicationError, breakdowns, programme, results
    from cepa.records.kinds import KINDS

    who = audience_of(public, audience)
    folders: list[Path | None] = list(paths) if paths else [None]
    seen: dict[Path, Path] = {}
    for p in folders:
        if p is not None:
            try:
                where = p.resolve()
            except (OSError, RuntimeError):  # a loop of links: open_project says so
                where = p.absolute()
            same = seen.setdefault(where, p)
            if same is not p:
                fail(f"{p} is given twice (as {same}); a roll-up would count it twice", 2)
    workspaces = []
    pers = []
    for p in folders:
        ws = open_project(p)
        warn_if_broken(ws)
        per = period_of(ws, period, start, end)
        if who == "public":
            public_period(ws, per)
        workspaces.append(ws)
        pers.append(per)
    if len(workspaces) > 1:  # a name for each, unique, for the roll-up and the gate
        for ws, name in zip(workspaces, labels([_name(ws) for ws in workspaces],
                                               [ws.root.name for ws in workspaces]),
                            strict=True):
            ws.label = name

    if by is not None:
        if by not in by_choices():
            fail(f"cannot break down by '{by}'; choose one of: {', '.join(by_choices())}", 2)
        counted = [k for k in KINDS if KINDS[k].count]
        entries = [in_period(ws.entries, per)[0] for ws, per in zip(workspaces, pers,
                                                                     strict=True)]
        present = [k for k in counted if any(e.kind == k for es in entries for e in es)] \
            or counted[:1]
        gatherings = [k for k in present if KINDS[k].attendance] or present
        kinds = present if kind == "all" else gatherings if not kind else [kind]
        if any(k not in counted for k in kinds):
            fail(f"unknown kind '{kind}' for --kind; choose one of: {', '.join(counted)}, all",
                 2)
        figures = [by_field(Tally(ws.project), es, by, kinds)
                   for ws, es in zip(workspaces, entries, strict=True)]
        if len(workspaces) > 1:
            _by_rollup(workspaces, pers, figures, by, fmt, who, lang)
            return
        ws, per = workspaces[0], pers[0]
        assert ws.project is not None
        plan = audience_gate([ws], [per], who)
        with user_errors(PublicationError):
            one = breakdowns(ws, per, by, kinds, audience=who) if plan is not None \
                else figures[0]
        if fmt is Format.json:
            print_json({"period": as_json(per.info()), "by": by, "kind": kind,
                        "figures": as_json(one[kinds[0]]) if len(kinds) == 1
                        else as_json(one)})  # one kind: its figures; several: by kind
        else:
            with language(lang, ws):
                from cepa.evidence.summary import project_info

                info = per.info()
                names = tables.Names.of(project_info(ws.project),
                                        {k for b in one.values() for k in b})
                show_tables([tables.by_table(by, one,
                                             plan.info() if plan is not None else None,
                                             names.countries)],
                            fmt, f"{_name(ws)}, "
                                 f"{label(info.name, dates(info.start, info.end))}")
        return

    if len(workspaces) == 1:
        with user_errors(PublicationError):
            s = results(workspaces[0], pers[0], audience=who)[0] if who != "team" else \
                summary_of(workspaces[0], pers[0])
        if fmt is Format.json:
            print_json(s, step=json_step)
        else:
            with language(lang, workspaces[0]):
                when = label(s.period.name, dates(s.period.start, s.period.end))
                header = (f"{_name(workspaces[0])}: {local(s.project.title)}\n"
                          + _("Period: {period}").format(period=when))
                show_tables(tables.summary_tables(s), fmt, header)
        return
    with user_errors(PublicationError):
        summaries, roll = programme(workspaces, pers, audience=who,
                                    names=[ws.label or _name(ws) for ws in workspaces])
    if fmt is Format.json:
        print_json({"projects": summaries, "rollup": roll.mapping()}, step=json_step)
    else:
        with language(lang, workspaces[0]):
            show_tables([tables.rollup_table(roll)], fmt,
                        _("Programme roll-up of {n} projects").format(n=len(summaries)))


def _name(ws: Any) -> str:
    """The project's code, or its folder's name where the code is unknown."""
    from cepa.base.dates import UNKNOWN

    code = ws.project.code if ws.project is not None else UNKNOWN
    return str(code) if code != UNKNOWN else str(ws.root.name)


def _by_rollup(workspaces: list[Any], pers: list[Any], figures: list[Any], by: str,
               fmt: Format, who: str, lang: str | None) -> None:
    """``summarize A B --by FIELD``: a table per kind, a column per project and the total."""
    from cepa.document import tables
    from cepa.document.language import _
    from cepa.evidence.results import as_json
    from cepa.evidence.rollup import rollup_by
    from cepa.publication.gate import prefix_of, published_totals

    codes = [ws.label or _name(ws) for ws in workspaces]
    plan = audience_gate(workspaces, pers, who)  # public: each project's own plan
    if plan is not None:
        figures = [plan.apply(f, prefix_of(ws, True))
                   for f, ws in zip(figures, workspaces, strict=True)]
    rolls = rollup_by(codes, figures, countries=by in ("country", "participant_country"))
    if who != "team":  # the totals are sums of what the projects show
        rolls = {k: published_totals(r) for k, r in rolls.items()}
    if fmt is Format.json:
        print_json({"by": by, "projects": codes,
                    "kinds": {k: as_json(r.mapping()) for k, r in rolls.items()}})
        return
    with language(lang, workspaces[0]):
        from cepa.evidence.summary import project_info
        from cepa.records.kinds import KINDS

        field = _(by.replace("_", " "))
        keys = {row.measure for r in rolls.values() for row in r.rows}
        countries: dict[str, str] = {}
        if by in ("country", "participant_country"):
            for ws in workspaces:
                countries.update(tables.Names.of(project_info(ws.project), keys).countries)
        show_tables([tables.rollup_table(
            r, _("{kind}: {counts} by {field}").format(
                kind=tables.kind_title(KINDS[k]), counts=_(KINDS[k].counts), field=field),
            field, countries) for k, r in rolls.items()], fmt,
            _("Programme roll-up of {n} projects").format(n=len(codes)))
