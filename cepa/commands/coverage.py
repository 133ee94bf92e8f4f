"""cepa coverage: the objective-coverage matrix, its gaps, and the records behind each cell."""

from __future__ import annotations

from typing import Annotated

import typer

from cepa.commands._common import (
    Format,
    FormatOpt,
    FromOpt,
    LangOpt,
    PathArg,
    PeriodOpt,
    PublicOpt,
    ToOpt,
    fail,
    language,
    note,
    open_project,
    period_of,
    print_json,
    public_period,
    show_tables,
    user_errors,
    warn_if_broken,
)


def coverage(
    path: PathArg = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit 1 when any objective is thin or uncovered (for CI).")] = False,
    explain: Annotated[str | None, typer.Option(
        "--explain", metavar="OBJECTIVE[:ACTIVITY]",
        help="List the records behind an objective, or one cell, e.g. 2 or 2:B.")] = None,
    fmt: FormatOpt = Format.table,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    public: PublicOpt = False,
    lang: LangOpt = None,
) -> None:
    """The objective-coverage matrix: which records back each objective.

    Objectives as rows, activities as columns, each cell the records and people behind
    it; objectives with too little evidence are flagged. The thresholds come from
    'coverage:' in the project file (min_records, min_kinds).

    Examples:

        cepa coverage

        cepa coverage --explain 2:B

        cepa coverage --strict --period interim
    """
    from cepa.document import tables
    from cepa.document.language import _
    from cepa.document.language import period as dates
    from cepa.document.report import label
    from cepa.evidence.coverage import explain as explain_of
    from cepa.evidence.results import CoverageStatus, json_step
    from cepa.publication import PublicationError
    from cepa.publication import coverage_of as public_coverage

    ws = open_project(path)
    warn_if_broken(ws)
    per = period_of(ws, period, start, end)
    if public:
        public_period(ws, per)
    with user_errors(PublicationError):
        cov = public_coverage(ws, per, public=public)
    if explain is not None:
        objective, _sep, activity = explain.partition(":")
        ids = {o.id for o in cov.objectives}
        if objective not in ids:
            fail(f"no objective '{objective}' (objectives: {', '.join(sorted(ids))})", 2)
        if activity and activity not in cov.activities:
            fail(f"no activity '{activity}' (activities: {', '.join(cov.activities)})", 2)
        rows = list(explain_of(cov, objective, activity or None))
        if fmt is Format.json:
            print_json({"objective": objective, "activity": activity or None,
                        "records": [{"activity": a, "id": i, "file": f} for a, i, f in rows]})
        else:
            with language(lang, ws):
                show_tables([tables.explain_table(objective, activity or None, rows)], fmt,
                            f"{cov.project.code}: {per.describe()}")
        return
    if fmt is Format.json:
        print_json(cov, step=json_step)
    else:
        with language(lang, ws):
            when = label(cov.period.name, dates(cov.period.start, cov.period.end))
            show_tables([tables.coverage_table(cov)], fmt,
                        _("{code}: objective coverage, {period}").format(
                            code=cov.project.code, period=when))
    if cov.short:
        short = ", ".join(f"{o.id} ({o.status})" for o in cov.objectives
                          if o.status is not CoverageStatus.COVERED)
        note(f"objectives short of evidence: {short}")
        if strict:
            raise typer.Exit(1)
