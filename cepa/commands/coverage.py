"""cepa coverage: the objective-coverage matrix, its gaps, and the records behind each cell."""

from __future__ import annotations

from typing import Annotated

import typer

from cepa.commands._common import (
    AudienceOpt,
    Format,
    FormatOpt,
    FromOpt,
    LangOpt,
    PathArg,
    PeriodOpt,
    PublicOpt,
    ToOpt,
    audience_of,
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
    min_records: Annotated[int | None, typer.Option(
        "--min-records", min=0, max=1_000_000, show_default=False,
        help="The evidence an objective needs to be covered, in records weighed by how "
             "their figures were obtained (default: the project file's coverage: "
             "min_records, else 1).")] = None,
    min_kinds: Annotated[int | None, typer.Option(
        "--min-kinds", min=0, max=100, show_default=False,
        help="The kinds of record an objective needs (default: the project file's "
             "coverage: min_kinds, else 1).")] = None,
    public: PublicOpt = False,
    audience: AudienceOpt = None,
    lang: LangOpt = None,
) -> None:
    """The objective-coverage matrix: which records back each objective.

    Objectives as rows, activities as columns, each cell the records and people behind
    it, 'gap' where an activity planned for the objective was held with no record for it,
    'not held', or '-' where the activity is not planned for it. A record weighs 1 as
    evidence when its count is counted or sourced, half when it is an unsourced estimate,
    assumed or not recorded; the records that share out one known total weigh 1 together.
    An objective is covered when its evidence reaches min_records, of min_kinds kinds of
    record, with no gap. --strict exits 1 when an objective is not covered or an activity
    said to have happened has no records. CSV and JSON hold values: numbers and statuses.

    Examples:

        cepa coverage

        cepa coverage --explain 2:B

        cepa coverage --strict --period interim

        cepa coverage --min-records 5 --min-kinds 2 --format csv

        cepa coverage --audience evaluator --format json
    """
    from cepa.document import tables
    from cepa.document.language import _
    from cepa.document.language import period as dates
    from cepa.document.report import label
    from cepa.evidence.coverage import explain as explain_of
    from cepa.evidence.results import CoverageStatus, json_step
    from cepa.publication import PublicationError
    from cepa.publication import coverage_of as public_coverage

    who = audience_of(public, audience)
    ws = open_project(path)
    warn_if_broken(ws)
    per = period_of(ws, period, start, end)
    if who == "public":
        public_period(ws, per)
    with user_errors(PublicationError):
        cov = public_coverage(ws, per, audience=who, min_records=min_records,
                              min_kinds=min_kinds)
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
            shown = (tables.coverage_values(cov) if fmt is Format.csv else
                     [tables.coverage_table(cov), tables.coverage_grades(cov)])
            show_tables(shown, fmt, _("{code}: objective coverage, {period}").format(
                code=cov.project.code, period=when))
    if cov.short:
        from cepa.document.words import coverage_word

        with language(None, ws):  # the words the matrix gives each status
            short = ", ".join(f"{o.id} ({coverage_word(o.status)})" for o in cov.objectives
                              if o.status is not CoverageStatus.COVERED)
        note(f"objectives not fully covered: {short}")
    if cov.unrecorded:
        note(f"activities said to have happened, with no records: {', '.join(cov.unrecorded)}"
             " (their status in the project file says so)")
    if strict and (cov.short or cov.unrecorded):
        raise typer.Exit(1)
