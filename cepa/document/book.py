"""The evidence as a workbook (xlsx), a folder of CSV files, or one JSON document.

``build`` arranges the summary, the coverage matrix and every record into a ``Book``: a
Summary page to read (titled tables from ``cepa.document.tables`` and charts of them), a sheet per
kind of record that has records (its columns from ``cepa.records.columns``, so a workbook can be
edited and imported back), Breakdowns, Coverage, Claims, and a Data sheet of every figure,
one a row. ``template`` is the same layout without records, for entering new ones. The
writers turn a book into a file: cepa/workbook.py the xlsx, this module CSV and JSON. A
figure reads the same here as in ``cepa summarize``; nothing here adds one up.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cepa.base.files import atomic_write
from cepa.document import tables as t
from cepa.evidence.figures import Figure, Tally
from cepa.records import columns as cols
from cepa.records.kinds import CHILD_KINDS, KINDS, NAMES
from cepa.records.workspace import Entry, Workspace

if TYPE_CHECKING:
    from cepa.evidence.results import Coverage, Summary

FORMATS = ("xlsx", "csv", "json")
#: The layout of the workbook, written in its hidden metadata sheet for ``cepa import``.
WORKBOOK_FORMAT = "cepa.writers.xlsx/1"

CHILD_WARNING = ("This workbook holds row-level records about children and young people "
                 "(feedback sessions and outcome monitoring). Keep it private; use --public "
                 "for anything you share.")
PUBLIC_NOTE = ("Publication mode: row-level feedback and outcome records are left out; "
               "counts about children are suppressed or rounded.")
TEMPLATE_NOTE = ("An entry sheet: fill in a row per new record on the sheet of its kind, "
                 "picking from the drop-down lists, then run: cepa import records FILE.xlsx")


class ExportError(Exception):
    """Something the user can fix: an unknown format, a missing module for --public."""


@dataclass
class Sheet:
    """One table on a sheet: a header row and rows of cells, with notes written above it.

    A cell is text, a number, a bool, a ``date``, None, or a ``Figure``. ``kind`` names the
    kind of record on a per-kind sheet, whose columns are ``cepa.records.columns.columns(kind)``.
    """

    name: str
    columns: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    #: cells shaded as gaps, as (row index, column index), as the report shades them
    shaded: set[tuple[int, int]] = field(default_factory=set)
    kind: str | None = None


@dataclass
class Chart:
    """A bar chart of the figures of one table on a page."""

    table: str
    title: str
    axis: str


@dataclass
class Page:
    """A page to read: a title block, then titled tables and charts of them."""

    name: str
    heading: list[str]
    notes: list[str]
    tables: list[t.Table]
    charts: list[Chart] = field(default_factory=list)
    #: per table key, the cells to shade
    shaded: dict[str, set[tuple[int, int]]] = field(default_factory=dict)


@dataclass
class Meta:
    """What ``cepa import records`` needs to know about a workbook."""

    project: str
    public: bool = False
    template: bool = False
    period: tuple[str, str] = ("", "")
    #: every record on the kind sheets: (kind, id, fingerprint of what the sheets show)
    records: list[tuple[str, str, str]] = field(default_factory=list)
    #: the drop-down lists, by name (see ``cepa.records.columns.Choices``)
    choices: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Book:
    sheets: list[Sheet | Page]
    meta: Meta


# --- arranging ------------------------------------------------------------------------


def _order(e: Entry) -> tuple[date, str]:
    return e.record.date.start, e.record.id


def record_sheet(kind: str, entries: list[Entry], tally: Tally,
                 source: Callable[[str], str] = str) -> Sheet:
    """A row per record, a column per ``cepa.records.columns`` column; the count as a figure."""
    columns = cols.columns(kind)
    count = (*cols.count_paths(kind), "total")
    rows = []
    for e in sorted(entries, key=_order):
        r = e.record
        row: list[Any] = []
        for c in columns:
            if not c.path:
                row.append(source(e.path))
            elif c.path == count:
                row.append(tally.people([e]))
            else:
                row.append(c.cell(c.value(r)))
        rows.append(row)
    return Sheet(KINDS[kind].title, [c.heading for c in columns], rows, kind=kind)


def breakdowns_sheet(entries: list[Entry], tally: Tally) -> Sheet:
    rows = []
    for e in sorted(entries, key=lambda e: (e.kind, *_order(e))):
        c = KINDS[e.kind].count_of(e.record)
        if c is None:
            continue
        for name, mapping in c.breakdowns().items():
            for key in mapping:
                rows.append([e.record.id, e.kind, name, key, tally.cell([e], name, key)])
    return Sheet(BREAKDOWNS, BREAKDOWN_COLUMNS, rows,
                 ["Every breakdown of every record, one figure a row. Each record's "
                  "breakdowns add up to its total."])


BREAKDOWNS = "Breakdowns"
BREAKDOWN_COLUMNS = ["record", "kind", "breakdown", "key", "value"]


def summary_page(s: Summary, cov: Coverage, tabs: list[t.Table], extra_notes: list[str]
                 ) -> Page:
    """The Summary an evaluator reads: overview, targets, planned and implemented,
    coverage at a glance, and participants by activity and by country with their charts."""
    by_key = {tab.key: tab for tab in tabs}
    keys = ["overview", "targets", "implemented", "not_implemented", "unforeseen"]
    tables = [by_key[k] for k in keys if k in by_key]
    glance = t.coverage_glance(cov)
    tables.append(glance)
    charts = []
    for key, title in (("by_activity", "Seminar participants by activity"),
                       ("by_country", "Seminar participants by country where held")):
        if by_key[key].rows:
            tables.append(by_key[key])
            charts.append(Chart(key, title, "participants"))
    shaded = {glance.key: {(i, 2) for i, o in enumerate(cov.objectives)
                           if o.status != "covered"}}
    if any(shaded.values()):
        glance.notes.append(t.SHADED_NOTE)
    if s.disclosure:  # summary_tables put it above the overview: it heads the page here
        tables[0].notes = [n for n in tables[0].notes if n != s.disclosure.statement]
    p = s.project
    heading = [f"{p.code}: {p.title}", p.programme, f"Period: {s.period.label}"]
    return Page("Summary", heading, extra_notes, tables, charts, shaded)


def data_sheet(tabs: list[t.Table]) -> Sheet:
    """Every figure of the summary's tables, one a row, for filters and pivot tables."""
    rows: list[list[Any]] = []
    for tab in tabs:
        for r in tab.rows:
            label = t.cell_text(r[0])
            for col, c in zip(tab.columns[1:], r[1:], strict=True):
                if isinstance(c, Figure):
                    rows.append([tab.title, label, col, c.number(),
                                 "yes" if c.estimated and c.known else "no", c.text(),
                                 c.counts, "yes" if c.children else "no"])
                elif isinstance(c, int | float) and not isinstance(c, bool):
                    rows.append([tab.title, label, col, c, "no", t.cell_text(c), None, "no"])
    return Sheet("Data", ["table", "row", "column", "value", "estimated", "shown as",
                          "counts", "about children"], rows,
                 ["Every figure of the summary, one a row: filter it, or make a pivot table "
                  "of it. 'value' is empty where a figure is not recorded or not published; "
                  "'shown as' is how the summary shows it."])


def table_sheet(name: str, tab: t.Table) -> Sheet:
    return Sheet(name, list(tab.columns), [list(r) for r in tab.rows], list(tab.notes))


def coverage_sheet(cov: Coverage) -> Sheet:
    tab = t.coverage_tables(cov)[0]
    sheet = table_sheet("Coverage", tab)
    sheet.shaded = t.coverage_shading(cov)
    if sheet.shaded:
        sheet.notes.append(t.SHADED_NOTE)
    return sheet


def choices(ws: Workspace) -> dict[str, list[str]]:
    """The drop-down lists the kinds' columns point at, by the names ``cepa.records.columns`` gives
    them (``activity:seminars`` for a kind's activities): only those a column uses."""
    assert ws.project is not None
    p = ws.project
    out: dict[str, list[str]] = {}
    for k in NAMES:
        for c in cols.columns(k):
            if c.choices == "activity":
                out[f"activity:{k}"] = [a.id for a in p.activities if a.kind == k]
            elif c.choices == "objective":
                out["objective"] = [str(o.id) for o in p.objectives]
            elif c.choices == "organisation":
                out["organisation"] = [o.id for o in p.organisations()]
            elif c.choices == "country":
                out["country"] = sorted(set(p.countries) | {o.country for o in p.organisations()})
            elif isinstance(c.choices, str) and c.choices.startswith("records:"):
                of = c.choices.split(":", 1)[1]
                out[c.choices] = sorted(e.record.id for e in ws.entries if e.kind == of)
    return out


def build(ws: Workspace, period: Any = None, *, public: bool = False) -> Book:
    """Every sheet of the export, in order, and what import needs to know of them."""
    from cepa.evidence import aggregate

    assert ws.project is not None
    s, cov = aggregate.results(ws, period, public=public)
    notes = [PUBLIC_NOTE, s.disclosure.statement] if s.disclosure else [CHILD_WARNING]
    broken = ws.broken_files()
    if broken:
        notes.append(f"Left out: {len(broken)} record file(s) with errors, whose figures are "
                     f"missing here: {', '.join(broken[:5])}" + (" ..." if len(broken) > 5
                                                                  else ""))
    per = period or aggregate.Period(ws.project.period, None)
    entries, _ = aggregate.in_period(ws.entries, per)
    tally = Tally(ws.project)
    tabs = t.summary_tables(s)
    sheets: list[Sheet | Page] = [summary_page(s, cov, tabs, notes)]
    # a public workbook is for reading: no drop-down lists (they would list record ids)
    meta = Meta(ws.project.code, public=public,
                period=(per.span.start.isoformat(), per.span.end.isoformat()),
                choices={} if public else choices(ws))
    shown: list[Entry] = []
    for k in NAMES:
        of_kind = [e for e in entries if e.kind == k]
        if not of_kind or (public and k in CHILD_KINDS):
            continue
        sheets.append(record_sheet(k, of_kind, tally, ws.source))
        shown.extend(of_kind)
        if not public:  # a public workbook is never imported: it needs no fingerprints
            meta.records.extend((k, e.record.id, cols.fingerprint(k, e.record))
                                for e in of_kind)
    brk = breakdowns_sheet(shown, tally)
    if brk.rows:
        sheets.append(brk)
    sheets.append(coverage_sheet(cov))
    if s.claims:
        sheets.append(table_sheet("Claims", t.claims_table(s.claims)))
    sheets.append(data_sheet(tabs))
    return Book(sheets, meta)


def template(ws: Workspace) -> Book:
    """The per-kind sheets and Breakdowns, empty, with the project's drop-down lists."""
    assert ws.project is not None
    sheets: list[Sheet | Page] = [
        Sheet(KINDS[k].title, [c.heading for c in cols.columns(k)], [], kind=k)
        for k in NAMES]
    sheets.append(Sheet(BREAKDOWNS, BREAKDOWN_COLUMNS, [],
                        ["A record's breakdowns, one figure a row (e.g. record seminar-008, "
                         "kind seminars, breakdown by_country, key UK, value 30); they add up "
                         "to the record's total."]))
    how = Page("How to", [f"{ws.project.code}: entering new records"],
               [TEMPLATE_NOTE, *HOW_TO], [])
    return Book([how, *sheets], Meta(ws.project.code, template=True, choices=choices(ws)))


HOW_TO = [
    "Each sheet is a kind of record: Visits, Seminars, Interviews, Feedback, Outcomes. A row is "
    "a record; the comment on each heading says what the column holds.",
    "Give each record an id of its own (letters, digits, '.', '_' and '-'): it becomes the "
    "name of its file, e.g. seminars/seminar-008.yaml.",
    "Pick activities, objectives, partners and countries from the drop-down lists. Lists of "
    "several ids are separated by commas (objectives: 1, 2); lists of text by semicolons.",
    "Dates: 2006-03-14 for a day, 2006-03 for a month, or 2005-01 to 2006-12 for a span.",
    "Breakdowns of a count (by country, by sector, ...) go on the Breakdowns sheet, one "
    "figure a row; they must add up to the record's total.",
    "Feedback and outcome records are about children and young people: counts, age bands "
    "and themes only, never a name.",
    "Grey columns are worked out by cepa and are not read back. cepa import records shows "
    "every change and writes nothing until you say yes.",
]


# --- plain values -----------------------------------------------------------------------


def _has_figures(sheet: Sheet, i: int) -> bool:
    return any(isinstance(r[i], Figure) for r in sheet.rows)


def figure_columns(sheet: Sheet, marked: bool = False) -> list[int]:
    """The columns followed by an 'estimated' column: those holding figures, except on a
    kind's sheet, whose 'estimated' column says which figures are estimates. Where
    estimates are ``marked`` with '*' (a workbook), only the long-form Breakdowns sheet,
    made for filtering, keeps the column."""
    if sheet.kind is not None or (marked and sheet.name != BREAKDOWNS):
        return []
    return [i for i in range(len(sheet.columns)) if _has_figures(sheet, i)]


def flat(sheet: Sheet, marked: bool = False) -> tuple[list[str], list[list[Any]]]:
    """Columns and rows with each figure column followed by an 'estimated' column."""
    fig_cols = figure_columns(sheet, marked)
    heads: list[str] = []
    for i, c in enumerate(sheet.columns):
        heads.append(c)
        if i in fig_cols:
            heads.append(f"{c} estimated" if len(fig_cols) > 1 or c != "value"
                         else "estimated")
    rows = []
    for r in sheet.rows:
        out: list[Any] = []
        for i, c in enumerate(r):
            out.append(t.cell_value(c))
            if i in fig_cols:
                out.append("yes" if isinstance(c, Figure) and c.estimated and c.known else "")
        rows.append(out)
    return heads, rows


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Figure):
        return t.cell_value(value)
    return value


def _json_rows(columns: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    from cepa.evidence.results import figure_json

    return [{c: figure_json(v) if isinstance(v, Figure) else _plain(v)
             for c, v in zip(columns, r, strict=True)} for r in rows]


def to_json(book: Book) -> dict[str, Any]:
    """One document: a list of rows (objects) per sheet, with the notes; figures as in
    ``cepa summarize --format json``. The Summary holds its tables, each with its rows."""
    out: dict[str, Any] = {}
    for sh in book.sheets:
        if isinstance(sh, Page):
            out[sh.name] = {"notes": [*sh.heading, *sh.notes], "tables": [
                {"title": tab.title, "notes": tab.notes,
                 "rows": _json_rows(tab.columns, tab.rows)} for tab in sh.tables]}
        else:
            out[sh.name] = {"notes": sh.notes, "rows": _json_rows(sh.columns, sh.rows)}
    return out


def csv_text(sheet: Sheet | Page) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if isinstance(sheet, Page):  # the tables one after another, each under its title
        for line in [*sheet.heading, *sheet.notes]:
            w.writerow([t.safe_text(line)])
        for tab in sheet.tables:
            part = Sheet(tab.title, tab.columns, tab.rows)
            w.writerow([])
            w.writerow([t.safe_text(tab.title)])
            heads, rows = flat(part)
            w.writerow([t.safe_text(c) for c in heads])
            w.writerows([t.safe_text(_plain(v)) for v in r] for r in rows)
            w.writerows([t.safe_text(n)] for n in tab.notes)
        return buf.getvalue()
    heads, rows = flat(sheet)
    w.writerow([t.safe_text(c) for c in heads])
    for r in rows:
        w.writerow([t.safe_text(_plain(v)) for v in r])
    return buf.getvalue()


def csv_name(sheet: Sheet | Page) -> str:
    return sheet.name.lower().replace(" ", "-") + ".csv"


# --- writing ----------------------------------------------------------------------------


def write(book: Book, path: Path, fmt: str = "xlsx", *, force: bool = False,
          mode: int | None = None) -> list[Path]:
    """Write the book as ``fmt``; returns the files written. Raises WontOverwrite."""
    if fmt == "xlsx":
        from cepa.writers.xlsx import write_xlsx

        return [atomic_write(path, lambda f: write_xlsx(book, f), force=force, mode=mode)]
    if fmt == "json":
        data = json.dumps(to_json(book), indent=2, ensure_ascii=False, default=str) + "\n"
        return [atomic_write(path, data.encode("utf-8"), force=force, mode=mode)]
    if fmt == "csv":
        from cepa.base.files import WontOverwrite

        if path.exists() and not path.is_dir():
            raise WontOverwrite(f"{path} exists and is not a folder")
        targets = [(path / csv_name(sh), sh) for sh in book.sheets]
        if not force:
            for p, _ in targets:
                if p.exists():
                    raise WontOverwrite(f"{p} already exists; use --force to replace it")
        # utf-8-sig: Excel reads the BOM as UTF-8; every other tool ignores it.
        return [atomic_write(p, csv_text(sh).encode("utf-8-sig"), force=force, mode=mode)
                for p, sh in targets]
    raise ExportError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
