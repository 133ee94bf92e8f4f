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

from cepa.figures import (
    ESTIMATE_MARK,
    NOT_PUBLISHED,
    NOT_RECORDED,
    SUPPRESSED_MARK,
    Breakdown,
    Figure,
)
from cepa.results import ClaimRow, Coverage, Planned, PlannedRow, RollUp, Summary, TargetRow

SUPPRESSED_NOTE = (f"{SUPPRESSED_MARK}: suppressed so that no child or young person can be "
                   "identified; other counts about children are rounded to the nearest 5")
PARTIAL_NOTE = ("at least: some records behind the figure hold no count, so it is the sum of "
                "those that do")
UNRECORDED_NOTE = f"{NOT_RECORDED}: no record behind the figure holds a count"
WITHHELD_NOTE = (f"{NOT_PUBLISHED}: a figure about children that is not published (it would "
                 "add children to adults, or give a suppressed count away)")


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
        return "yes" if cell else "no"
    if isinstance(cell, int):
        return f"{cell:,}"
    if isinstance(cell, float):
        return f"{cell:g}"
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
    why: list[str] = []
    any_estimate = False
    for f in figures:
        if f.estimated and f.known:
            any_estimate = True
            why.extend(w for w in f.why if w not in why)
    if not any_estimate:
        return None
    return f"{ESTIMATE_MARK} estimated" + (": " + " ".join(_sentence(w) for w in why)
                                           if why else "")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def annotate(t: Table) -> Table:
    """Footnotes saying what the marks in a table mean, where they appear (once)."""
    figs = list(t.figures())
    notes = [
        estimate_note(figs),
        PARTIAL_NOTE if any(f.partial and f.known for f in figs) else None,
        UNRECORDED_NOTE if any(f.value is None and not f.suppressed and not f.withheld
                               for f in figs) else None,
        SUPPRESSED_NOTE if t.has_suppressed else None,
        WITHHELD_NOTE if any(f.withheld for f in figs) else None,
    ]
    t.notes.extend(n for n in notes if n and n not in t.notes)
    return t


def _figs(b: Breakdown | dict[str, Figure], label: str, value: str, title: str, key: str,
          names: dict[str, str] | None = None) -> Table:
    names = names or {}
    return Table(key, title, [label, value], [[names.get(k, k), f] for k, f in b.items()])


# --- summary -------------------------------------------------------------------------


def overview_rows(s: Summary) -> list[list[Any]]:
    att = s.attendance
    rows: list[list[Any]] = [
        ["Visits", s.visits.count],
        ["Host organisations visited", s.visits.hosts_total],
        ["Seminars", s.records["seminars"]],
        ["Seminar participants (attendances)", att.total],
    ]
    if att.unique_people:
        rows.append(["Unique people (from participant keys)", att.unique_people.people])
    rows += [
        ["Interviews", s.interviews.total],
        ["Feedback sessions", s.feedback.sessions],
        ["Young people heard", s.feedback.young_people],
        ["Children and young people monitored", s.outcomes.children],
        ["Services monitoring outcomes", s.outcomes.services],
        ["Primary participants", s.primary_participants.total],
    ]
    return rows


def summary_tables(s: Summary) -> list[Table]:
    """Every table of a one-project summary, in reading order."""
    att = s.attendance
    countries = s.country_names
    tables: list[Table] = []
    tables.append(Table("overview", "Overview", ["measure", "value"], overview_rows(s)))
    tables.append(Table("seminars", "Seminars",
                        ["id", "activity", "date", "city", "country", "convenor",
                         "participants"],
                        [[r.id, r.activity, r.date, r.city, r.country, r.convenor,
                          r.participants] for r in s.seminars]))
    tables.append(_figs(att.by_activity, "activity", "participants",
                        "Seminar participants by activity", "by_activity",
                        {a.id: f"{a.id}: {a.title}" for a in s.activities}))
    tables.append(_figs(att.by_country, "country", "participants",
                        "Seminar participants by country where held", "by_country", countries))
    tables.append(_figs(att.by_partner, "partner", "participants",
                        "Seminar participants by convening partner", "by_partner",
                        s.partner_names))
    tables.append(_figs(att.by_year, "year", "participants",
                        "Seminar participants by year", "by_year"))
    tables.append(_figs(att.by_sector, "sector", "participants",
                        "Seminar participants by sector", "by_sector"))
    tables.append(_figs(att.by_organisation, "organisation", "participants",
                        "Seminar participants by organisation", "by_organisation"))
    if att.unique_people:
        u = att.unique_people
        tables.append(Table("unique_people", "Attendances and unique people",
                            ["seminars with participant keys", "attendances", "unique people"],
                            [[f"{u.seminars} of {u.of_seminars}", u.attendances, u.people]]))
    v = s.visits
    tables.append(Table("visits", "Visits", ["id", "date", "from", "to", "host organisations"],
                        [[r.id, r.date, r.from_, r.to, len(r.hosts)] for r in v.visits]))
    tables.append(_figs(v.hosts_by_country, "country", "organisations",
                        "Host organisations by country", "hosts_by_country", countries))
    iv = s.interviews
    tables.append(_figs(iv.by_group, "group", "interviews", "Interviews by group",
                        "interviews_by_group"))
    tables.append(_figs(iv.by_country, "country", "interviews", "Interviews by country",
                        "interviews_by_country", countries))
    tables.append(_figs(iv.by_sector, "sector", "interviews", "Interviews by sector",
                        "interviews_by_sector"))
    fb = s.feedback
    tables.append(Table("feedback", "Service-user feedback sessions",
                        ["id", "date", "country", "host", "young people"],
                        [[r.id, r.date, r.country, r.host, r.young_people]
                         for r in fb.sessions_list]))
    if len(fb.by_age_band):
        tables.append(_figs(fb.by_age_band, "age band", "young people",
                            "Young people heard by age band", "feedback_by_age_band"))
    oc = s.outcomes
    tables.append(_figs(oc.by_service, "service", "children monitored",
                        "Outcome monitoring by service", "outcomes_by_service"))
    if len(oc.by_age_band):
        tables.append(_figs(oc.by_age_band, "age band", "children monitored",
                            "Children monitored by age band", "outcomes_by_age_band"))
    if oc.risk is not None:
        tables.append(_figs(oc.risk, "change in risk", "children",
                            "Change in risk of the children monitored", "risk"))
    pp = s.primary_participants
    tables.append(Table("primary_participants", "Primary participants", ["partner", "people"],
                        [[k, n] for k, n in pp.by_partner.items()] + [["Total", pp.total]]))
    if s.targets:
        tables.append(targets_table(s.targets))
    tables.extend(planned_tables(s.planned))
    if s.claims:
        tables.append(claims_table(s.claims))
    for t in tables:
        annotate(t)
    if s.disclosure and tables:
        tables[0].notes.insert(0, s.disclosure.statement)
    return tables


def targets_table(targets: Sequence[TargetRow]) -> Table:
    rows = []
    for t in targets:
        if t.status == "not published":
            achieved = NOT_PUBLISHED
        elif t.percent is None:
            achieved = "-"
        else:
            achieved = ("at least " if t.actual is not None and t.actual.partial else "") \
                + f"{t.percent:g}%"
        rows.append([t.text, t.target,
                     t.actual if t.actual is not None else
                     (NOT_PUBLISHED if t.status == "not published" else "-"),
                     achieved])
    return Table("targets", "Targets against actuals", ["target", "planned", "actual",
                                                        "achieved"], rows)


def planned_tables(p: Planned) -> list[Table]:
    def rows(items: Iterable[PlannedRow], reason: bool) -> list[list[Any]]:
        out = []
        for a in items:
            planned = "-" if a.planned_events is None else a.planned_events
            row: list[Any] = [f"{a.id}: {a.title}", planned, a.held, a.participants]
            if reason:
                row.append(a.reason or "no reason recorded")
            out.append(row)
        return out

    cols = ["activity", "events planned", "held", "people"]
    return [
        Table("implemented", "Planned activities implemented", cols,
              rows(p.implemented, False)),
        Table("not_implemented", "Planned activities not (fully) implemented", [*cols, "reason"],
              rows(p.not_implemented, True),
              [] if p.not_implemented else ["Every planned activity was implemented."]),
        Table("unforeseen", "Activities implemented that were not planned", cols,
              rows(p.unforeseen, False),
              [] if p.unforeseen else ["No unplanned activities."]),
    ]


STATUS_TEXT = {"holds": "holds", "contradicted": "CONTRADICTED",
               "unknown": "cannot be checked (not recorded)", "invalid": "cannot compute",
               "not published": NOT_PUBLISHED}


def claims_table(claims: Sequence[ClaimRow]) -> Table:
    return annotate(Table(
        "claims", "Claims checked against the records",
        ["claim", "claimed", "computed", "status"],
        [[c.text, NOT_PUBLISHED if c.claimed is None else
          f"{c.op} {c.claimed:g}" if isinstance(c.claimed, float) else f"{c.op} {c.claimed}",
          c.computed if c.computed is not None else
          (NOT_PUBLISHED if c.status == "not published" else "-"),
          STATUS_TEXT[c.status]]
         for c in claims]))


def by_table(field_name: str, breakdowns: dict[str, Breakdown]) -> Table:
    """``summarize --by``: one column per kind of record, never one that adds them up."""
    from cepa.kinds import KINDS

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
    return annotate(Table("rollup", "Programme roll-up", ["measure", *r.projects, "total"],
                          rows))


# --- coverage --------------------------------------------------------------------------


def coverage_tables(cov: Coverage) -> list[Table]:
    acts = cov.activities
    rows = []
    for o in cov.objectives:
        cells: list[Any] = []
        for a in acts:
            c = o.cells[a]
            cells.append(f"{c.records} / {c.people.text()}" if c.records else "-")
        rows.append([f"{o.id}. {o.short}", *cells, o.records, ", ".join(o.kinds) or "-",
                     o.status])
    rules = cov.rules
    notes = [
        "Each cell: records / people behind it (participants, interviews, young people, "
        "children).",
        f"An objective is covered with at least {rules.min_records} record(s) of at least "
        f"{rules.min_kinds} kind(s); 'thin' below that, 'uncovered' with none.",
    ]
    t = Table("coverage", "Objective coverage", ["objective", *acts, "records", "kinds",
                                                  "status"], rows, notes)
    figs = [o.cells[a].people for o in cov.objectives for a in acts if o.cells[a].records]
    note = estimate_note(figs)
    if note:
        t.notes.append(note)
    if any(f.suppressed for f in figs):
        t.notes.append(SUPPRESSED_NOTE)
    if any(f.partial and f.known for f in figs):
        t.notes.append(PARTIAL_NOTE)
    if cov.disclosure:
        t.notes.insert(0, cov.disclosure.statement)
    return [t]


#: What shaded cells of the coverage matrix mean, in the report and the workbook alike.
SHADED_NOTE = ("Shaded: a gap (an activity planned for the objective with no record behind "
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
    return Table("coverage_glance", "Coverage of the objectives at a glance",
                 ["objective", "records", "status", "kinds of record"], rows,
                 [f"An objective is covered with at least {rules.min_records} record(s) of at "
                  f"least {rules.min_kinds} kind(s); 'thin' below that, 'uncovered' with none. "
                  "The Coverage sheet has the full matrix."])


def explain_table(objective: str, activity: str | None,
                  rows: list[tuple[str, str, str]]) -> Table:
    where = f"objective {objective}" + (f", activity {activity}" if activity else "")
    return Table("explain", f"Records behind {where}", ["activity", "record", "file"],
                 [list(r) for r in rows], [] if rows else ["No records."])


# --- plain renderings ------------------------------------------------------------------


def to_plain(tables: list[Table], header: str = "") -> str:
    out = [header] if header else []
    for t in tables:
        texts = [[cell_text(c) for c in r] for r in t.rows]
        widths = [max([len(h)] + [len(r[i]) for r in texts]) for i, h in enumerate(t.columns)]
        numeric = [_col_numeric(t, i) for i in range(len(t.columns))]

        def line(cells: list[str], widths: list[int] = widths, numeric: list[Any] = numeric) -> str:
            return "  ".join(c.rjust(w) if n else c.ljust(w)
                             for c, w, n in zip(cells, widths, numeric, strict=True)).rstrip()

        out += ["", t.title, "=" * len(t.title), line(t.columns),
                line(["-" * w for w in widths])]
        out += [line(r) for r in texts]
        out += t.notes
    return "\n".join(out).lstrip("\n") + "\n"


def numeric(cell: Any) -> bool:
    return cell is None or isinstance(cell, Figure) or (isinstance(cell, int | float)
                                                         and not isinstance(cell, bool))


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(tables: list[Table], header: str = "") -> str:
    out = [header, ""] if header else []
    for t in tables:
        out += [f"## {t.title}", "", "| " + " | ".join(map(_md_escape, t.columns)) + " |",
                "|" + "|".join("---:" if _col_numeric(t, i) else "---"
                               for i in range(len(t.columns))) + "|"]
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
                w.writerow([safe_text(t.key), safe_text(label), safe_text(col),
                            safe_text(cell_value(c)), "yes" if est else ""])
    return buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value: Any) -> Any:
    """A value a spreadsheet shows as written: text that would run as a formula is quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
