"""The evidence as a workbook (xlsx), a folder of CSV files, or one JSON document.

``build`` arranges the summary, the coverage matrix and every record into sheets
(plain values: text, numbers, dates, figures); the writers turn the sheets into a
file. Summary, Coverage, Claims and Targets come from ``cepa.tables``, so a figure
reads the same here as in ``cepa summarize``. Text a spreadsheet would run as a
formula is written as text. openpyxl is imported only inside the xlsx writer.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cepa import tables as t
from cepa.figures import Figure, Tally
from cepa.kinds import CHILD_KINDS, KINDS, NAMES
from cepa.project import Entry, Workspace
from cepa.writing import atomic_write

if TYPE_CHECKING:
    from cepa.results import Coverage, Summary

FORMATS = ("xlsx", "csv", "json")

CHILD_WARNING = ("This workbook holds row-level records about children and young people "
                 "(feedback sessions and outcome monitoring). Keep it private; use --public "
                 "for anything you share.")
PUBLIC_NOTE = ("Publication mode: row-level feedback and outcome records are left out; "
               "counts about children are suppressed or rounded.")


class ExportError(Exception):
    """Something the user can fix: an unknown format, a missing module for --public."""


@dataclass
class Sheet:
    """One sheet: a header row and rows of cells, with notes written above it.

    A cell is text, a number, a bool, a ``date``, None, or a ``Figure``.
    """

    name: str
    columns: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    #: coverage colouring: row index -> column index -> strength 0..3
    strength: dict[int, dict[int, int]] = field(default_factory=dict)


# --- arranging ------------------------------------------------------------------------


def _span(e: Entry) -> tuple[str, date, date]:
    d = e.record.date
    return d.text, d.start, d.end


def _est(c: Any) -> str:
    return ", ".join(c.estimated) if c is not None and c.estimated else ""


def _join(items: Any) -> str:
    return ", ".join(str(x) for x in items or [])


# Per kind: (column, getter) after the common columns; a getter gets the record and the
# record's count as a figure.
Getter = Callable[[Any, Figure], Any]
KIND_COLUMNS: dict[str, list[tuple[str, Getter]]] = {
    "visits": [
        ("from partners", lambda r, n: _join(r.from_partners)),
        ("host organisations", lambda r, n: len(r.hosts)),
        ("hosts", lambda r, n: "; ".join(h.name for h in r.hosts)),
        ("travellers", lambda r, n: n),
        ("estimated", lambda r, n: _est(r.travellers)),
    ],
    "seminars": [
        ("mode", lambda r, n: r.mode),
        ("convenor", lambda r, n: r.convenor),
        ("co-organisers", lambda r, n: _join(r.co_organisers)),
        ("participants", lambda r, n: n),
        ("unique people keys",
         lambda r, n: len(set(r.participants.people)) if r.participants.people else None),
        ("estimated", lambda r, n: _est(r.participants)),
    ],
    "interviews": [
        ("group", lambda r, n: r.group),
        ("conducted by", lambda r, n: r.conducted_by),
        ("interviews", lambda r, n: n),
        ("estimated", lambda r, n: _est(r.interviews)),
    ],
    "feedback": [
        ("host", lambda r, n: r.host),
        ("visit", lambda r, n: r.visit),
        ("young people", lambda r, n: n),
        ("estimated", lambda r, n: _est(r.young_people)),
        ("themes", lambda r, n: "; ".join(r.themes)),
        ("publishable", lambda r, n: r.publishable),
    ],
    "outcomes": [
        ("service", lambda r, n: r.service),
        ("partner", lambda r, n: r.partner),
        ("children", lambda r, n: n),
        ("estimated", lambda r, n: _est(r.children)),
        ("risk reduced", lambda r, n: r.risk.reduced if r.risk else None),
        ("risk unchanged", lambda r, n: r.risk.unchanged if r.risk else None),
        ("risk increased", lambda r, n: r.risk.increased if r.risk else None),
        ("risk not known", lambda r, n: r.risk.not_known if r.risk else None),
    ],
    "events": [
        ("type", lambda r, n: r.type),
        ("mode", lambda r, n: r.mode),
        ("convenor", lambda r, n: r.convenor),
        ("co-organisers", lambda r, n: _join(r.co_organisers)),
        ("participants", lambda r, n: n),
        ("estimated", lambda r, n: _est(r.participants)),
        ("comments", lambda r, n: "; ".join(r.comments)),
    ],
    "outputs": [
        ("type", lambda r, n: r.type),
        ("partners", lambda r, n: _join(r.partners)),
        ("languages", lambda r, n: _join(r.languages)),
        ("location", lambda r, n: r.location),
        ("audience", lambda r, n: r.audience),
        ("reach", lambda r, n: r.reach),
        ("reach counts", lambda r, n: r.reach_counts),
    ],
}
COMMON = ["id", "source", "activity", "objectives", "title", "date", "date start", "date end",
          "city", "country"]
TRAILING = ["notes", "sources"]


def record_sheet(kind: str, entries: list[Entry], tally: Tally,
                 source: Callable[[str], str] = str) -> Sheet:
    extra = KIND_COLUMNS[kind]
    rows = []
    for e in sorted(entries, key=lambda e: (e.record.date.start, e.record.id)):
        r = e.record
        text, start, end = _span(e)
        n = tally.people([e])
        rows.append([r.id, source(e.path), r.activity, _join(r.objectives), r.title,
                     text, start, end, r.city, r.country,
                     *(get(r, n) for _, get in extra), r.notes, "; ".join(r.sources)])
    return Sheet(KINDS[kind].title, [*COMMON, *(c for c, _ in extra), *TRAILING], rows)


def breakdowns_sheet(entries: list[Entry], tally: Tally) -> Sheet:
    rows = []
    for e in sorted(entries, key=lambda e: (e.kind, e.record.date.start, e.record.id)):
        c = KINDS[e.kind].count_of(e.record)
        if c is None:
            continue
        for name, mapping in c.breakdowns().items():
            for key in mapping:
                rows.append([e.record.id, e.kind, name, key, tally.cell([e], name, key)])
    return Sheet("Breakdowns", ["record", "kind", "breakdown", "key", "value"], rows,
                 ["Every breakdown of every record, one figure a row."])


def summary_sheet(s: Summary, extra_notes: list[str]) -> Sheet:
    rows = []
    notes: list[str] = []
    for tab in t.summary_tables(s):
        if tab.key in ("claims", "targets"):
            continue
        for r in tab.rows:
            label = t.cell_text(r[0])
            for col, c in zip(tab.columns[1:], r[1:], strict=True):
                rows.append([tab.title, label, col, c])
        notes.extend(n for n in tab.notes if n not in notes and n not in extra_notes)
    p = s.project
    return Sheet("Summary", ["table", "row", "column", "value"], rows,
                 [f"{p.code}: {p.title}", f"Period: {s.period.label}", *extra_notes, *notes])


def table_sheet(name: str, tab: t.Table) -> Sheet:
    return Sheet(name, list(tab.columns), [list(r) for r in tab.rows], list(tab.notes))


def coverage_sheet(cov: Coverage) -> Sheet:
    tab = t.coverage_tables(cov)[0]
    sheet = table_sheet("Coverage", tab)
    acts = cov.activities
    for i, o in enumerate(cov.objectives):
        row = {}
        for j, a in enumerate(acts, start=1):
            n = o.cells[a].records
            row[j] = 0 if n == 0 else 1 if n == 1 else 2 if n <= 3 else 3
        status = {"uncovered": 0, "thin": 1, "covered": 3}.get(o.status, 0)
        row[len(tab.columns) - 1] = status
        sheet.strength[i] = row
    sheet.notes.append("Colour: none = no records, pale = 1, medium = 2-3, strong = 4 or more.")
    return sheet


def build(ws: Workspace, period: Any = None, *, public: bool = False) -> list[Sheet]:
    """Every sheet of the export, in order."""
    from cepa import aggregate

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
    kinds = [k for k in NAMES if not (public and k in CHILD_KINDS)]
    tally = Tally(ws.project)
    sheets = [summary_sheet(s, notes)]
    for k in kinds:
        of_kind = [e for e in entries if e.kind == k]
        if of_kind:  # no sheet for a kind with no records
            sheets.append(record_sheet(k, of_kind, tally, ws.source))
    sheets.append(breakdowns_sheet([e for e in entries if e.kind in kinds], tally))
    sheets.append(coverage_sheet(cov))
    sheets.append(table_sheet("Claims", t.claims_table(s.claims)))
    sheets.append(table_sheet("Targets", t.annotate(t.targets_table(s.targets)))
                  if s.targets else Sheet(
        "Targets", ["target", "planned", "actual", "achieved"], [],
        ["The project file sets no targets."]))
    return sheets


# --- plain values -----------------------------------------------------------------------


def _has_figures(sheet: Sheet, i: int) -> bool:
    return any(isinstance(r[i], Figure) for r in sheet.rows)


def flat(sheet: Sheet) -> tuple[list[str], list[list[Any]]]:
    """Columns and rows with each figure column followed by an 'estimated' column."""
    fig_cols = [i for i in range(len(sheet.columns)) if _has_figures(sheet, i)]
    cols: list[str] = []
    for i, c in enumerate(sheet.columns):
        cols.append(c)
        if i in fig_cols:
            cols.append(f"{c} estimated" if len(fig_cols) > 1 or c != "value" else "estimated")
    rows = []
    for r in sheet.rows:
        out: list[Any] = []
        for i, c in enumerate(r):
            out.append(t.cell_value(c))
            if i in fig_cols:
                out.append("yes" if isinstance(c, Figure) and c.estimated and c.known else "")
        rows.append(out)
    return cols, rows


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Figure):
        return t.cell_value(value)
    return value


def to_json(sheets: list[Sheet]) -> dict[str, Any]:
    """One document: a list of rows (objects) per sheet, with the notes; figures as in
    ``cepa summarize --format json``."""
    from cepa.results import figure_json

    out: dict[str, Any] = {}
    for sh in sheets:
        out[sh.name] = {
            "notes": sh.notes,
            "rows": [{c: figure_json(v) if isinstance(v, Figure) else _plain(v)
                      for c, v in zip(sh.columns, r, strict=True)} for r in sh.rows],
        }
    return out


def csv_text(sheet: Sheet) -> str:
    cols, rows = flat(sheet)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([t.safe_text(c) for c in cols])
    for r in rows:
        w.writerow([t.safe_text(_plain(v)) for v in r])
    return buf.getvalue()


def csv_name(sheet: Sheet) -> str:
    return sheet.name.lower().replace(" ", "-") + ".csv"


# --- writing ----------------------------------------------------------------------------


def write(sheets: list[Sheet], path: Path, fmt: str = "xlsx", *, force: bool = False,
          mode: int | None = None) -> list[Path]:
    """Write the sheets as ``fmt``; returns the files written. Raises WontOverwrite."""
    if fmt == "xlsx":
        return [atomic_write(path, lambda f: _xlsx(sheets, f), force=force, mode=mode)]
    if fmt == "json":
        data = json.dumps(to_json(sheets), indent=2, ensure_ascii=False, default=str) + "\n"
        return [atomic_write(path, data.encode("utf-8"), force=force, mode=mode)]
    if fmt == "csv":
        from cepa.writing import WontOverwrite

        if path.exists() and not path.is_dir():
            raise WontOverwrite(f"{path} exists and is not a folder")
        targets = [(path / csv_name(sh), sh) for sh in sheets]
        if not force:
            for p, _ in targets:
                if p.exists():
                    raise WontOverwrite(f"{p} already exists; use --force to replace it")
        # utf-8-sig: Excel reads the BOM as UTF-8; every other tool ignores it.
        return [atomic_write(p, csv_text(sh).encode("utf-8-sig"), force=force, mode=mode)
                for p, sh in targets]
    raise ExportError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")


FILLS = {0: None, 1: "DDEBF7", 2: "9DC3E6", 3: "2E75B6"}
HEADER_FILL = "1F3864"
ESTIMATE_FORMAT = '#,##0"*"'


def _xlsx(sheets: list[Sheet], f: Any) -> None:
    """The workbook, written row by row (openpyxl's write-only mode): a programme of
    100,000 records never holds every cell as an object."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    # One style object of each kind, shared: a new one per cell costs seconds.
    note_font, title_font = Font(italic=True), Font(italic=True, bold=True)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    strong_font = Font(color="FFFFFF", bold=True)
    fills = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items() if v}
    top, top_wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)

    wb = Workbook(write_only=True)
    for sh in sheets:
        ws = wb.create_sheet(sh.name)
        cols, rows = flat(sh)
        # map the sheet's column index to the flat column index
        flat_index: list[int] = []
        k = 0
        for i in range(len(sh.columns)):
            flat_index.append(k)
            k += 2 if _has_figures(sh, i) else 1
        if not rows:
            rows = [["(none)", *([None] * (len(cols) - 1))]]
        widths = [len(c) for c in cols]
        for r in rows:
            for j, v in enumerate(r):
                widths[j] = max(widths[j], min(len(t.cell_text(v)), 60))
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = max(8, w + 2)

        def cell(value: Any, font: Any = None, fill: Any = None, fmt: str | None = None,
                 align: Any = None, ws: Any = ws) -> Any:
            c = WriteOnlyCell(ws)
            _set(c, value)
            if font is not None:
                c.font = font
            if fill is not None:
                c.fill = fill
            if fmt is not None:
                c.number_format = fmt
            if align is not None:
                c.alignment = align
            return c

        header = len(sh.notes) + (2 if sh.notes else 1)
        # before the first row: these head the sheet's XML
        ws.freeze_panes = f"A{header + 1}"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        for i, n in enumerate(sh.notes):
            ws.append([cell(n, title_font if i == 0 and sh.name == "Summary" else note_font)])
        if sh.notes:
            ws.append([])
        ws.append([cell(name, header_font, header_fill) for name in cols])
        originals = sh.rows or [[None] * len(sh.columns)]
        for i, (r, orig) in enumerate(zip(rows, originals, strict=True)):
            styled: dict[int, dict[str, Any]] = {}
            for j, v in enumerate(r):
                if isinstance(v, date):
                    styled.setdefault(j, {})["fmt"] = "yyyy-mm-dd"
            for si, c in enumerate(orig):
                if isinstance(c, Figure) and c.estimated and c.known:
                    styled.setdefault(flat_index[si], {})["fmt"] = ESTIMATE_FORMAT
            for si, strength in sh.strength.get(i, {}).items():
                if strength in fills:
                    st = styled.setdefault(flat_index[si], {})
                    st["fill"] = fills[strength]
                    if strength == 3:
                        st["font"] = strong_font
            # Rows with text too long for its column are wrapped and top-aligned, and given
            # a height: spreadsheets do not grow a row for wrapped text on their own.
            long = [j for j, v in enumerate(r) if isinstance(v, str) and len(v) > widths[j]]
            if long:
                for j in range(len(r)):
                    styled.setdefault(j, {})["align"] = top_wrap if j in long else top
                lines = max(-(-len(r[j]) // widths[j]) for j in long)
                ws.row_dimensions[header + 1 + i].height = 15 * min(lines, 8)
            ws.append([cell(v, **styled.get(j, {})) if j in styled or isinstance(v, str) else v
                       for j, v in enumerate(r)])
        last = header + len(rows)
        ref = f"A{header}:{get_column_letter(len(cols))}{last}"
        tab = Table(displayName="".join(ch for ch in sh.name if ch.isalnum()), ref=ref,
                    autoFilter=AutoFilter(ref=ref),
                    tableColumns=[TableColumn(id=j, name=name)
                                  for j, name in enumerate(cols, start=1)])
        tab.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        with warnings.catch_warnings():  # openpyxl warns in write-only mode even when, as
            warnings.simplefilter("ignore")  # here, the table's columns are given
            ws.add_table(tab)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = f"{header}:{header}"
    wb.save(f)


def _set(cell: Any, value: Any) -> None:
    """Put a value in a cell; text is always text, never a formula."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
