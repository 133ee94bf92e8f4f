"""The results as titled tables, and their plain renderings.

The aggregation core computes; this module only arranges its typed results (cepa/results.py)
into ``Table`` values (a title, column headings, rows of cells, notes). The terminal (rich),
plain text, Markdown and CSV renderings here, the Word report and the workbook all draw
the same tables, so a figure reads the same everywhere. A cell is text, a number, None, or
a ``Figure``, shown by ``Figure.text`` ('45*', 'at least 20', 'not recorded', 'c').
Nothing here adds figures up.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cepa.document.language import N_, _, number
from cepa.evidence.figures import (
    ESTIMATE_MARK,
    NOT_PUBLISHED,
    Breakdown,
    Figure,
)
from cepa.evidence.results import (
    ClaimRow,
    Coverage,
    Planned,
    PlannedRow,
    RollUp,
    Summary,
    TargetRow,
)

SUPPRESSED_NOTE = N_(
    "c: suppressed so that no child or young person can be identified; "
    "other counts about children are rounded to the nearest 5"
)
PARTIAL_NOTE = N_(
    "at least: some records behind the figure hold no count, so it is the sum of those that do"
)
UNRECORDED_NOTE = N_("not recorded: no record behind the figure holds a count")
WITHHELD_NOTE = N_(
    "not published: a figure about children that is not published (it would "
    "add children to adults, or give a suppressed count away)"
)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)

    def figures(self) -> Iterable[Figure]:
        return (c for r in self.rows for c in r if isinstance(c, Figure))

    @property
    def has_estimates(self) -> bool:
        return any(f.estimated and f.known for f in self.figures())

    @property
    def has_suppressed(self) -> bool:
        return any(f.suppressed for f in self.figures())


def is_figure(cell: Any) -> bool:
    return isinstance(cell, Figure)


def cell_text(cell: Any) -> str:
    if cell is None:
        return "-"
    if isinstance(cell, Figure):
        return cell.text()
    if isinstance(cell, bool):
        return _("yes") if cell else _("no")
    if isinstance(cell, int | float):
        from cepa.document.language import number

        return number(cell)
    if isinstance(cell, list):
        return ", ".join(str(x) for x in cell)
    return str(cell)


def cell_value(cell: Any) -> Any:
    """The raw value of a cell, for machine formats (CSV, spreadsheets): a figure's number,
    or its words where it has none ('c', 'not recorded')."""
    if isinstance(cell, Figure):
        n = cell.number()
        return cell.text() if n is None else n
    if isinstance(cell, list):
        return ", ".join(str(x) for x in cell)
    return cell


def estimate_note(figures: Iterable[Figure]) -> str | None:
    """'* estimated: <why, in the records' words>' for the estimated figures given."""
    why: dict[str, None] = {}
    any_estimate = False
    for f in figures:
        if f.estimated and f.known:
            any_estimate = True
            why.update(dict.fromkeys(f.why))
    if not any_estimate:
        return None
    return (
        f"{ESTIMATE_MARK} "
        + _("estimated")
        + (": " + " ".join(_sentence(w) for w in why) if why else "")
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def annotate(t: Table) -> Table:
    """Footnotes saying what the marks in a table mean, where they appear (once)."""
    figs = list(t.figures())
    notes = [
        estimate_note(figs),
        _(PARTIAL_NOTE) if any(f.partial and f.known for f in figs) else None,
        _(UNRECORDED_NOTE)
        if any(f.value is None and not f.suppressed and not f.withheld for f in figs)
        else None,
        _(SUPPRESSED_NOTE) if t.has_suppressed else None,
        _(WITHHELD_NOTE) if any(f.withheld for f in figs) else None,
    ]
    t.notes.extend(n for n in notes if n and n not in t.notes)
    return t


def when(text: str | None) -> str:
    from cepa.document.language import when as in_words

    return in_words(text)


def _figs(
    b: Breakdown | dict[str, Figure],
    label: str,
    value: str,
    title: str,
    key: str,
    names: dict[str, str] | None = None,
) -> Table:
    names = names or {}
    from cepa.evidence.figures import NOT_BROKEN_DOWN

    return Table(key, _(title), [_(label), _(value)],
                 [[_(k) if k == NOT_BROKEN_DOWN else names.get(k, k), f] for k, f in b.items()])


# --- summary -------------------------------------------------------------------------


def gatherings_word(s: Summary) -> str:
    """'Seminar participants', 'Event participants', or 'Participants (seminars and events)':
    what the attendance figures count, in the project's own kinds of gathering."""
    kinds = {a.kind for a in s.activities} & {"seminars", "events"}
    if kinds == {"seminars"}:
        return _("Seminar participants")
    if kinds == {"events"}:
        return _("Event participants")
    return _("Participants (seminars and events)")


def _has(s: Summary, kind: str) -> bool:
    """Does the project plan or record this kind of activity?"""
    return bool(s.records.get(kind)) or any(a.kind == kind for a in s.activities)


def overview_rows(s: Summary) -> list[list[Any]]:
    att = s.attendance
    rows: list[list[Any]] = []
    if _has(s, "visits"):
        rows += [
            [_("Visits"), s.visits.count],
            [_("Host organisations visited"), s.visits.hosts_total],
        ]
    if _has(s, "seminars"):
        rows.append([_("Seminars"), s.records["seminars"]])
    if _has(s, "events"):
        rows.append([_("Events"), s.records["events"]])
    if _has(s, "seminars") or _has(s, "events"):
        rows.append([_("{who} (attendances)").format(who=gatherings_word(s)), att.total])
        if att.unique_people:
            rows.append([_("Unique people (from participant keys)"), att.unique_people.people])
    if _has(s, "interviews"):
        rows.append([_("Interviews"), s.interviews.total])
    if _has(s, "feedback"):
        rows += [
            [_("Feedback sessions"), s.feedback.sessions],
            [_("Young people heard"), s.feedback.young_people],
        ]
    if _has(s, "outcomes"):
        rows += [
            [_("Children and young people monitored"), s.outcomes.children],
            [_("Services monitoring outcomes"), s.outcomes.services],
        ]
    if _has(s, "outputs"):
        rows.append([_("Outputs"), s.outputs.count])
    if s.primary_participants.by_partner:
        rows.append([_("Primary participants"), s.primary_participants.total])
    return rows


def _broken_down(b: Breakdown) -> bool:
    """Does a breakdown say more than '(not broken down)'?"""
    from cepa.evidence.figures import NOT_BROKEN_DOWN

    return any(k != NOT_BROKEN_DOWN for k in b)


def summary_tables(s: Summary) -> list[Table]:
    """Every table of a one-project summary, in reading order; tables of kinds the project
    does not have are left out."""
    att = s.attendance
    from cepa.document.language import country

    countries = {c: country(c, s.country_names) for c in s.country_names}
    word = gatherings_word(s)
    tables: list[Table] = []
    tables.append(Table("overview", _("Overview"), [_("measure"), _("value")], overview_rows(s)))
    if s.seminars:
        tables.append(
            Table(
                "seminars",
                _("Seminars"),
                [
                    _("id"),
                    _("activity"),
                    _("date"),
                    _("city"),
                    _("country"),
                    _("convenor"),
                    _("participants"),
                ],
                [
                    [
                        r.id,
                        r.activity,
                        when(r.date),
                        r.city or _("online"),
                        r.country,
                        r.convenor,
                        r.participants,
                    ]
                    for r in s.seminars
                ],
            )
        )
    if s.events:
        tables.append(
            Table(
                "events",
                _("Events"),
                [
                    _("id"),
                    _("activity"),
                    _("type"),
                    _("date"),
                    _("place"),
                    _("convenor"),
                    _("participants"),
                ],
                [
                    [
                        r.id,
                        r.activity,
                        r.type,
                        when(r.date),
                        _("online")
                        if r.mode == "online"
                        else f"{r.city}, {r.country}"
                        + (" + " + _("online") if r.mode == "hybrid" else ""),
                        r.convenor,
                        r.participants,
                    ]
                    for r in s.events
                ],
            )
        )
    if s.seminars or s.events:
        tables.append(
            _figs(
                att.by_activity,
                N_("activity"),
                N_("participants"),
                _("{who} by activity").format(who=word),
                "by_activity",
                {a.id: f"{a.id}: {a.title}" for a in s.activities},
            )
        )
        tables.append(
            _figs(
                att.by_country,
                N_("country"),
                N_("participants"),
                _("{who} by country where held").format(who=word),
                "by_country",
                countries,
            )
        )
        tables.append(
            _figs(
                att.by_partner,
                N_("partner"),
                N_("participants"),
                _("{who} by convening partner").format(who=word),
                "by_partner",
                s.partner_names,
            )
        )
        tables.append(
            _figs(
                att.by_year, N_("year"), N_("participants"), _("{who} by year").format(who=word),
                "by_year"
            )
        )
        for b, label, key, title in (
            (att.by_sector, N_("sector"), "by_sector", N_("{who} by sector")),
            (att.by_function, N_("function"), "by_function", N_("{who} by function")),
            (
                att.by_organisation,
                N_("organisation"),
                "by_organisation",
                N_("{who} by organisation"),
            ),
            (
                att.by_participant_country,
                N_("country"),
                "by_participant_country",
                N_("{who} by the country they came from"),
            ),
        ):
            if _broken_down(b):
                tables.append(
                    _figs(
                        b,
                        _(label),
                        _("participants"),
                        _(title).format(who=word),
                        key,
                        countries if key == "by_participant_country" else None,
                    )
                )
    if att.unique_people:
        u = att.unique_people
        tables.append(
            Table(
                "unique_people",
                _("Attendances and unique people"),
                [_("gatherings with participant keys"), _("attendances"), _("unique people")],
                [
                    [
                        _("{n} of {all}").format(n=u.seminars, all=u.of_seminars),
                        u.attendances,
                        u.people,
                    ]
                ],
            )
        )
    v = s.visits
    if v.visits:
        tables.append(
            Table(
                "visits",
                _("Visits"),
                [_("id"), _("date"), _("from"), _("to"), _("host organisations")],
                [[r.id, when(r.date), r.from_, r.to, r.host_organisations] for r in v.visits],
            )
        )
        tables.append(
            _figs(
                v.hosts_by_country,
                _("country"),
                _("organisations"),
                _("Host organisations by country"),
                "hosts_by_country",
                countries,
            )
        )
    iv = s.interviews
    if iv.records:
        tables.append(
            _figs(iv.by_group, N_("group"), N_("interviews"), N_("Interviews by group"),
                  "interviews_by_group")
        )
        tables.append(
            _figs(
                iv.by_country,
                N_("country"),
                N_("interviews"),
                N_("Interviews by country"),
                "interviews_by_country",
                countries,
            )
        )
        if _broken_down(iv.by_sector):
            tables.append(
                _figs(
                    iv.by_sector,
                    N_("sector"),
                    N_("interviews"),
                    N_("Interviews by sector"),
                    "interviews_by_sector",
                )
            )
    fb = s.feedback
    if fb.sessions_list:
        tables.append(
            Table(
                "feedback",
                _("Service-user feedback sessions"),
                [_("id"), _("date"), _("country"), _("host"), _("young people")],
                [[r.id, when(r.date), countries.get(r.country, r.country), r.host, r.young_people]
                 for r in fb.sessions_list],
            )
        )
        if len(fb.by_age_band):
            tables.append(
                _figs(
                    fb.by_age_band,
                    _("age band"),
                    _("young people"),
                    _("Young people heard by age band"),
                    "feedback_by_age_band",
                )
            )
    oc = s.outcomes
    if oc.records:
        tables.append(
            _figs(
                oc.by_service,
                _("service"),
                _("children monitored"),
                _("Outcome monitoring by service"),
                "outcomes_by_service",
            )
        )
        if _broken_down(oc.by_age_band):
            tables.append(
                _figs(
                    oc.by_age_band,
                    _("age band"),
                    _("children monitored"),
                    _("Children monitored by age band"),
                    "outcomes_by_age_band",
                )
            )
        if oc.risk is not None:
            tables.append(
                _figs(
                    oc.risk,
                    _("change in risk"),
                    _("children"),
                    _("Change in risk of the children monitored"),
                    "risk",
                )
            )
    if s.outputs.rows:
        tables.append(
            Table(
                "outputs",
                _("Outputs"),
                [_("id"), _("activity"), _("type"), _("title"), _("delivered"), _("languages")],
                [
                    [o.id, o.activity, o.type, o.title, when(o.date), o.languages]
                    for o in s.outputs.rows
                ],
            )
        )
    pp = s.primary_participants
    if pp.by_partner:
        tables.append(
            Table(
                "primary_participants",
                _("Primary participants"),
                [_("partner"), _("people")],
                [[k, n] for k, n in pp.by_partner.items()] + [[_("Total"), pp.total]],
            )
        )
    if s.targets:
        tables.append(targets_table(s.targets))
    tables.extend(planned_tables(s.planned))
    if s.claims:
        tables.append(claims_table(s.claims))
    for t in tables:
        annotate(t)
    if s.disclosure and tables:
        from cepa.publication.gate import statement

        tables[0].notes.insert(0, statement(s.disclosure))
    return tables


def targets_table(targets: Sequence[TargetRow]) -> Table:
    rows = []
    for t in targets:
        if t.status == "not published":
            achieved = _(NOT_PUBLISHED)
        elif t.percent is None:
            achieved = "-"
        else:
            achieved = f"{number(t.percent)}%"
            if t.actual is not None and t.actual.partial:
                achieved = _("at least {n}").format(n=achieved)
        rows.append(
            [
                t.text,
                t.target,
                t.actual
                if t.actual is not None
                else (_(NOT_PUBLISHED) if t.status == "not published" else "-"),
                achieved,
            ]
        )
    return Table(
        "targets",
        _("Targets against actuals"),
        [_("target"), _("planned"), _("actual"), _("achieved")],
        rows,
    )


def planned_tables(p: Planned) -> list[Table]:
    def rows(items: Iterable[PlannedRow], reason: bool) -> list[list[Any]]:
        out = []
        for a in items:
            planned = "-" if a.planned_events is None else a.planned_events
            row: list[Any] = [f"{a.id}: {a.title}", planned, a.held, a.participants]
            if reason:
                row.append(a.reason or _("no reason recorded"))
            out.append(row)
        return out

    cols = [_("activity"), _("events planned"), _("held"), _("people")]
    return [
        Table("implemented", _("Planned activities implemented"), cols, rows(p.implemented, False)),
        Table(
            "not_implemented",
            _("Planned activities not (fully) implemented"),
            [*cols, _("reason")],
            rows(p.not_implemented, True),
            [] if p.not_implemented else [_("Every planned activity was implemented.")],
        ),
        Table(
            "unforeseen",
            _("Activities implemented that were not planned"),
            cols,
            rows(p.unforeseen, False),
            [] if p.unforeseen else [_("No unplanned activities.")],
        ),
    ]


#: Words of the coverage matrix's status and kinds columns.
COVERAGE_WORDS = (N_("covered"), N_("thin"), N_("uncovered"), N_("feedback"), N_("outcomes"))

STATUS_TEXT = {
    "holds": N_("holds"),
    "contradicted": N_("CONTRADICTED"),
    "unknown": N_("cannot be checked (not recorded)"),
    "invalid": N_("cannot compute"),
    "not published": N_("not published"),
}


def claims_table(claims: Sequence[ClaimRow]) -> Table:
    return annotate(
        Table(
            "claims",
            _("Claims checked against the records"),
            [_("claim"), _("claimed"), _("computed"), _("status")],
            [
                [
                    c.text,
                    _(NOT_PUBLISHED)
                    if c.claimed is None
                    else f"{c.op} {c.claimed:g}"
                    if isinstance(c.claimed, float)
                    else f"{c.op} {c.claimed}",
                    c.computed
                    if c.computed is not None
                    else (_(NOT_PUBLISHED) if c.status == "not published" else "-"),
                    _(STATUS_TEXT[c.status]),
                ]
                for c in claims
            ],
        )
    )


def by_table(field_name: str, breakdowns: dict[str, Breakdown]) -> Table:
    """``summarize --by``: one column per kind of record, never one that adds them up."""
    from cepa.records.kinds import KINDS

    kinds = [k for k, b in breakdowns.items() if len(b)] or list(breakdowns)[:1]
    keys: list[str] = []
    for b in breakdowns.values():
        keys.extend(k for k in b if k not in keys)
    label = field_name.replace("_", " ")
    if len(kinds) == 1:
        k = kinds[0]
        title = f"{KINDS[k].title}: {KINDS[k].counts} by {label}"
        columns = [label, KINDS[k].counts]
    else:
        title = f"People by {label}"
        columns = [label, *(f"{KINDS[k].title.lower()}: {KINDS[k].counts}" for k in kinds)]
    rows = [[key, *(breakdowns[k].get(key) for k in kinds)] for key in keys]
    return annotate(Table("by", title, columns, rows))


def rollup_table(r: RollUp) -> Table:
    """A programme-level roll-up: a column per project and a total."""
    rows = [[row.measure, *row.projects, row.total] for row in r.rows]
    return annotate(
        Table("rollup", _("Programme roll-up"), [_("measure"), *r.projects, _("total")], rows)
    )


# --- coverage --------------------------------------------------------------------------


def coverage_tables(cov: Coverage) -> list[Table]:
    acts = cov.activities
    rows = []
    for o in cov.objectives:
        cells: list[Any] = []
        for a in acts:
            c = o.cells[a]
            if not c.records:
                cells.append("-")
            elif c.people is None:
                cells.append(str(c.records))
            else:
                cells.append(f"{c.records} / {c.people.text()}")
        rows.append(
            [
                f"{o.id}. {o.short}",
                *cells,
                o.records,
                ", ".join(_(k) for k in o.kinds) or "-",
                _(o.status),
            ]
        )
    rules = cov.rules
    notes = [
        _(
            "Each cell: records / people behind it (participants, interviews, young people, "
            "children)."
        ),
        _(
            "An objective is covered with at least {records} record(s) of at least {kinds} "
            "kind(s); 'thin' below that, 'uncovered' with none."
        ).format(records=rules.min_records, kinds=rules.min_kinds),
    ]
    t = Table(
        "coverage",
        _("Objective coverage"),
        [_("objective"), *acts, _("records"), _("kinds"), _("status")],
        rows,
        notes,
    )
    figs = [p for o in cov.objectives for a in acts
            if o.cells[a].records and (p := o.cells[a].people) is not None]
    note = estimate_note(figs)
    if note:
        t.notes.append(note)
    if any(f.suppressed for f in figs):
        t.notes.append(_(SUPPRESSED_NOTE))
    if any(f.partial and f.known for f in figs):
        t.notes.append(_(PARTIAL_NOTE))
    if cov.disclosure:
        from cepa.publication.gate import statement

        t.notes.insert(0, statement(cov.disclosure))
    return [t]


#: What shaded cells of the coverage matrix mean, in the report and the workbook alike.
SHADED_NOTE = N_("Shaded: a gap (an activity planned for the objective with no record behind "
               "it) or an objective short of evidence.")


def coverage_shading(cov: Coverage) -> set[tuple[int, int]]:
    """The cells of ``coverage_tables(cov)[0]`` to shade, as (row, column): the gaps and the
    status of each objective short of evidence. Every output shades the same cells."""
    acts = cov.activities
    gaps = {(i, 1 + j) for i, o in enumerate(cov.objectives) for j, a in enumerate(acts)
            if o.cells[a].planned and not o.cells[a].records}
    short = {(i, len(acts) + 3) for i, o in enumerate(cov.objectives) if o.status != "covered"}
    return gaps | short


def coverage_glance(cov: Coverage) -> Table:
    """Each objective with its records, the kinds of record behind it and its status: the
    coverage matrix without its cells, for a summary page."""
    rows = [[f"{o.id}. {o.short}", o.records, o.status, ", ".join(o.kinds) or "-"]
            for o in cov.objectives]
    rules = cov.rules
    return Table("coverage_glance", _("Coverage of the objectives at a glance"),
                 [_("objective"), _("records"), _("status"), _("kinds of record")], rows,
                 [f"An objective is covered with at least {rules.min_records} record(s) of at "
                  f"least {rules.min_kinds} kind(s); 'thin' below that, 'uncovered' with none. "
                  "The Coverage sheet has the full matrix."])


def explain_table(objective: str, activity: str | None,
                  rows: list[tuple[str, str, str]]) -> Table:
    where = f"objective {objective}" + (f", activity {activity}" if activity else "")
    return Table(
        "explain",
        f"Records behind {where}",
        [_("activity"), _("record"), _("file")],
        [list(r) for r in rows],
        [] if rows else ["No records."],
    )


# --- plain renderings ------------------------------------------------------------------


def to_plain(tables: list[Table], header: str = "") -> str:
    out = [header] if header else []
    for t in tables:
        texts = [[cell_text(c) for c in r] for r in t.rows]
        widths = [max([len(h)] + [len(r[i]) for r in texts]) for i, h in enumerate(t.columns)]
        numeric = [_col_numeric(t, i) for i in range(len(t.columns))]

        def line(cells: list[str], widths: list[int] = widths, numeric: list[Any] = numeric) -> str:
            return "  ".join(
                c.rjust(w) if n else c.ljust(w)
                for c, w, n in zip(cells, widths, numeric, strict=True)
            ).rstrip()

        out += ["", t.title, "=" * len(t.title), line(t.columns), line(["-" * w for w in widths])]
        out += [line(r) for r in texts]
        out += t.notes
    return "\n".join(out).lstrip("\n") + "\n"


def numeric(cell: Any) -> bool:
    return (
        cell is None
        or isinstance(cell, Figure)
        or (isinstance(cell, int | float) and not isinstance(cell, bool))
    )


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(tables: list[Table], header: str = "") -> str:
    out = [header, ""] if header else []
    for t in tables:
        out += [
            f"## {t.title}",
            "",
            "| " + " | ".join(map(_md_escape, t.columns)) + " |",
            "|"
            + "|".join("---:" if _col_numeric(t, i) else "---" for i in range(len(t.columns)))
            + "|",
        ]
        out += ["| " + " | ".join(_md_escape(cell_text(c)) for c in r) + " |" for r in t.rows]
        if t.notes:
            out += [""] + [f"{n}  " for n in t.notes]
        out.append("")
    return "\n".join(out)


def _col_numeric(t: Table, i: int) -> bool:
    return bool(t.rows) and all(numeric(r[i]) for r in t.rows)


col_numeric = _col_numeric


def to_csv(tables: list[Table]) -> str:
    """One long CSV: table, row label, column, value, estimated. Safe to open in Excel."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["table", "row", "column", "value", "estimated"])
    for t in tables:
        for r in t.rows:
            label = cell_text(r[0])
            for col, c in zip(t.columns[1:], r[1:], strict=True):
                est = bool(isinstance(c, Figure) and c.estimated and c.known)
                w.writerow(
                    [
                        safe_text(t.key),
                        safe_text(label),
                        safe_text(col),
                        safe_text(cell_value(c)),
                        "yes" if est else "",
                    ]
                )
    return buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value: Any) -> Any:
    """A value a spreadsheet shows as written: text that would run as a formula is quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
