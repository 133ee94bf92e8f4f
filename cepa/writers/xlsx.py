"""A ``Book`` (cepa/document/nodes.py) as an xlsx workbook that reads well on screen and on A4.

Every sheet prints on A4: portrait where its columns fit, landscape where they are wide,
fitted to the page width only when that keeps the text readable (a dozen columns at most,
shrunk to no less than ``MIN_SCALE``); wider sheets print across pages in reading order,
with the header row and the id column repeated. Long text wraps in rows tall enough to
show it. The Summary page draws its charts as native Excel charts of its own cells, so they
stay live and editable. Estimates are marked ``*``, gaps shaded, and words such as 'not
recorded' and 'c' are the report's. Per-kind sheets carry the comments and drop-down lists
of their columns; a hidden sheet holds what ``cepa import records`` needs.

openpyxl is imported when a workbook is written (here) or read (cepa/intake/), never at
start-up; its write-only mode writes the rows as they come.
"""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

from cepa.document.book import (
    BREAKDOWNS_SHEET,
    LISTS_SHEET,
    META_SHEET,
    PUBLIC_PROPERTY,
    WORKBOOK_FORMAT,
)
from cepa.document.nodes import Book, Cell, Chart, Meta, Page, Sheet, Table
from cepa.writers.flat import flat
from cepa.writers.rows import Rows, row_xml

HEADER_FILL = "1F3864"
#: The heading of a column cepa works out, which import does not read.
DERIVED_FILL = "767171"
#: The report's shade for gaps and objectives short of evidence.
SHADE = "A6A6A6"
ESTIMATE_FORMAT = '#,##0"*"'


def estimate_format(c: Cell) -> str:
    """An estimate's number with its mark ('*', '≈', '?', '~': how it was obtained)."""
    sign = c.sign or "*"
    return ESTIMATE_FORMAT if sign == "*" else f'#,##0"{sign}"'


NUMBER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
PERCENT_FORMAT = "0.0%"

#: Widths, in characters, that fit on an A4 page with half-inch margins (as LibreOffice
#: prints them), and the least a sheet is shrunk to fit its width.
PORTRAIT, LANDSCAPE = 76, 110
MIN_SCALE = 0.8
MAX_FIT_COLUMNS = 12
#: Width caps: free text wraps in columns this wide; other columns stop here. A kind's
#: sheet, read a record a row, gets more room than the sheets of figures.
WIDE, NARROW = 34, 24
FIGURES_WIDE, FIGURES_NARROW = 24, 12
#: The most a sheet of figures widens a text column into room left on its page.
ROOMY = 60
LINE_HEIGHT = 15
MAX_LINES = 26
#: Rows below the records that still get drop-down lists, for new records.
ROOM = 500
TEMPLATE_ROWS = 200
FORM_ROWS = 20

#: The Summary page's columns.
PAGE_WIDTHS = (40, 13, 13, 13, 13)


class _Styles:
    """One style object of each kind, shared: a new one per cell costs seconds."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.title = Font(bold=True, size=14)
        self.subtitle = Font(bold=True, size=12)
        self.note = Font(italic=True)
        self.bold = Font(bold=True)
        self.header = Font(bold=True, color="FFFFFF")
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.derived_fill = PatternFill("solid", fgColor=DERIVED_FILL)
        self.shade = PatternFill("solid", fgColor=SHADE)
        self.wrap = Alignment(vertical="top", wrap_text=True)
        self.top = Alignment(vertical="top")
        self.right = Alignment(vertical="top", horizontal="right", wrap_text=True)
        #: a text column after the first: set off from a figure's column on its left
        self.beside = Alignment(vertical="top", horizontal="left", wrap_text=True, indent=1)
        self._made: dict[tuple[int, int, str | None, int], Any] = {}
        self._sheet: Any = None  # the sheet being written, for the cells of ``style``
        self._xf: dict[int, int] = {}
        self.rows = Rows()
        self.footer = "&A, page &P of &N"
        self.estimated = "estimated"
        self.yes = "yes"
        self.at_least = "at least {n}"
        from openpyxl.cell import WriteOnlyCell

        self._new = WriteOnlyCell

    def style(self, font: Any = None, fill: Any = None, fmt: str | None = None,
              align: Any = None) -> Any:
        """The style ``cell`` gives a cell, for a cell written as text (``xf``)."""
        key = (id(font), id(fill), fmt, id(align))
        style = self._made.get(key)
        if style is None:
            style = self.cell(self._sheet, None, font, fill, fmt, align)._style
        return style

    def xf(self, ws: Any, style: Any) -> int:
        """The workbook's number of a cell's style, as openpyxl gives it when the cell is
        written (0: a plain cell)."""
        if style is None:
            return 0
        sid = self._xf.get(id(style))
        if sid is None:  # the first cell of this style: it takes its number now
            sid = self._xf[id(style)] = (int(ws.parent._cell_styles.add(style))
                                         if any(style) else 0)
        return sid

    def cell(self, ws: Any, value: Any, font: Any = None, fill: Any = None,
             fmt: str | None = None, align: Any = None) -> Any:
        """A cell holding ``value`` in a style; text is text, never a formula. A style is
        looked up in the workbook once, then shared (a lookup per cell costs seconds)."""
        c = self._new(ws)
        c.value = value
        if isinstance(value, str):
            c.data_type = "s"
        key = (id(font), id(fill), fmt, id(align))
        style = self._made.get(key)
        if style is None:
            if font is not None:
                c.font = font
            if fill is not None:
                c.fill = fill
            if fmt is not None:
                c.number_format = fmt
            if align is not None:
                c.alignment = align
            self._made[key] = c._style
        else:
            c._style = style
        return c


def write_xlsx(book: Book, f: BinaryIO) -> None:
    from openpyxl import Workbook
    from openpyxl.packaging.custom import BoolProperty

    wb = Workbook(write_only=True)
    st = _Styles()
    st.footer = "&A, {page} &P {of} &N".format(page=book.words.get("page", "page"),
                                                 of=book.words.get("of", "of"))
    st.estimated = book.words.get("estimated", "estimated")
    st.yes = book.words.get("yes", "yes")
    st.at_least = book.words.get("at least", "at least {n}")
    lists = _list_places(book.meta)
    for sh in book.sheets:
        if isinstance(sh, Page):
            _page(wb, sh, st, book.meta)
        else:
            _sheet(wb, sh, st, book.meta, lists)
    if lists:
        _lists_sheet(wb, book.meta, st)
    _meta_sheet(wb, book.meta, st)
    wb.custom_doc_props.append(BoolProperty(PUBLIC_PROPERTY, book.meta.public))
    _properties(wb, book.meta)
    if not st.rows.parts:
        wb.save(f)
        return
    import io

    saved = io.BytesIO()
    wb.save(saved)
    st.rows.splice(saved.getvalue(), f)


def _properties(wb: Any, meta: Meta) -> None:
    """The workbook's own properties: its title, when it was made, for whom, and the
    fingerprint of the records it came from (``cepa submit`` and ``cepa diff`` read it)."""
    from openpyxl.packaging.custom import StringProperty

    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    props = wb.properties
    props.title = meta.title or meta.project
    props.created = props.modified = now
    props.creator = "cepa"
    if meta.fingerprint:
        props.identifier = f"cepa-records:{meta.fingerprint}"
    wb.custom_doc_props.append(StringProperty("cepa:audience", meta.audience))


# --- cells -------------------------------------------------------------------------------


def _lines(text: str, width: int) -> int:
    """Lines a text takes wrapped at spaces in a column ``width`` characters wide (a long
    text by its length alone: most characters are narrower than the '0' a width counts)."""
    width = max(1, int(width * 1.1))
    lines = 0
    for part in text.split("\n"):
        if len(part) > 4 * width:
            lines += -(-len(part) // width)
            continue
        n, used = 1, 0
        for word in part.split(" "):
            if used and used + 1 + len(word) > width:
                n, used = n + 1, 0
            used += (1 if used else 0) + len(word)
            while used > width:  # a word longer than the column breaks where it must
                n, used = n + 1, used - width
        lines += n
    return lines


#: What Excel allows in no sheet's name, and what stands for it.
_NOT_IN_TITLES = str.maketrans({"[": "(", "]": ")", ":": "-", "*": "-", "?": "", "/": "-",
                                "\\": "-"})


def sheet_title(name: str) -> str:
    """A sheet's name as Excel takes it: no [ ] : * ? / \\, at most 31 characters."""
    return name.translate(_NOT_IN_TITLES).strip("'")[:31] or "Sheet"


def _print_setup(ws: Any, widths: list[float], header_row: int | None, code: str,
                 footer: str, upright: bool = False) -> None:
    """A4, portrait or landscape, fitted to the width only where the text stays readable;
    ``upright``: portrait wherever shrinking fits it (a page read top to bottom)."""
    total = sum(widths)
    ws.page_setup.paperSize = "9"  # A4
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    fits = len(widths) <= MAX_FIT_COLUMNS
    if total <= PORTRAIT or (upright and total * MIN_SCALE <= PORTRAIT):
        ws.page_setup.orientation = "portrait"
    else:
        ws.page_setup.orientation = "landscape"
        fits = fits and total * MIN_SCALE <= LANDSCAPE
    if fits:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    else:  # across pages, a band of columns at a time, the first repeated on each
        ws.page_setup.pageOrder = "overThenDown"
        ws.print_title_cols = "A:A"
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.print_options.gridLines = True
    ws.oddHeader.left.text = code.replace("&", "&&")
    ws.oddFooter.center.text = footer


# --- the summary page ----------------------------------------------------------------------


def _page(wb: Any, page: Page, st: _Styles, meta: Meta) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    ws = wb.create_sheet(sheet_title(page.name))
    ncol = len(PAGE_WIDTHS)
    last = get_column_letter(ncol)
    for j, w in enumerate(PAGE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    width = sum(PAGE_WIDTHS)
    _print_setup(ws, list(PAGE_WIDTHS), None, meta.project, st.footer, upright=True)
    row = 0

    def line(text: str, font: Any, height: float = LINE_HEIGHT) -> None:
        nonlocal row
        row += 1
        ws.merged_cells.add(f"A{row}:{last}{row}")
        # a larger font puts fewer characters on a line
        ws.row_dimensions[row].height = height * _lines(text, int(width * LINE_HEIGHT / height))
        ws.append([st.cell(ws, text, font, align=st.wrap)])

    def blank() -> None:
        nonlocal row
        row += 1
        ws.append([])

    line(page.heading[0], st.title, 20)
    for h in page.heading[1:]:
        line(h, st.bold)
    for n in page.notes:
        line(n, st.note)
    charts = {c.key: c for c in page.charts}
    # the points of rows a page holds, at the scale that fits the page's width
    printable = 523 if ws.page_setup.orientation == "portrait" else 770  # A4 less margins
    scale = min(1.0, printable / sum((w * 7 + 5) * 0.75 for w in PAGE_WIDTHS))
    usable = PAGE_HEIGHT[str(ws.page_setup.orientation)] / scale
    used = sum(_row_height(ws, r) for r in range(1, row + 1)) % usable
    for tab in page.tables:
        chart = charts.get(tab.key) if tab.rows else None
        # a table (with its chart) that does not fit below starts a page, unless it is
        # longer than a page anyway
        block = _block_height(tab, chart)
        if used + block > usable and block <= usable:
            ws.row_breaks.append(Break(id=row))
            used = 0
        start = row
        blank()
        line(tab.title, st.subtitle, 18)
        row += 1
        ws.row_dimensions[row].height = LINE_HEIGHT * max(
            _lines(h, w - 1) for h, w in zip(tab.columns, PAGE_WIDTHS, strict=False))
        right = [_figure_column(tab, j) for j in range(len(tab.columns))]
        aligns = [st.right if right[j] else st.beside if j else st.wrap
                  for j in range(len(tab.columns))]
        ws.append([st.cell(ws, h, st.header, st.header_fill, align=aligns[j])
                   for j, h in enumerate(tab.columns)])
        first = row + 1
        shaded = tab.shaded
        for i, r in enumerate(tab.rows):
            row += 1
            high = _row_lines(r)
            if high > 1:
                ws.row_dimensions[row].height = LINE_HEIGHT * min(high, MAX_LINES)
            ws.append([_value_cell(ws, c, st, (i, j) in shaded, align=aligns[j])
                       for j, c in enumerate(r)])
        for n in tab.notes:
            line(n, st.note)
        if chart is not None:
            blank()
            at = row + 1
            ws.add_chart(_chart(ws, chart, first, first + len(tab.rows) - 1,
                                len(tab.rows)), f"A{at}")
            for _ in range(_chart_rows(len(tab.rows))):
                blank()
        used = (used + sum(_row_height(ws, r) for r in range(start + 1, row + 1))) % usable


#: Points of a page's height that rows can fill (A4 less the margins, as _print_setup sets
#: them), by orientation.
PAGE_HEIGHT = {"portrait": 842 - 108 - 20, "landscape": 595 - 108 - 20}


def _row_height(ws: Any, r: int) -> float:
    return ws.row_dimensions[r].height or LINE_HEIGHT


def _row_lines(r: list[Cell]) -> int:
    return max(_lines(c.text, w) for c, w in zip(r, PAGE_WIDTHS, strict=False))


def _block_height(tab: Table, chart: Chart | None) -> float:
    """Points a table of the Summary takes: blank, title, header, rows, notes, chart."""
    width = int(sum(PAGE_WIDTHS))
    rows = sum(LINE_HEIGHT * min(_row_lines(r), MAX_LINES) for r in tab.rows)
    notes = sum(LINE_HEIGHT * _lines(n, width) for n in tab.notes)
    head = LINE_HEIGHT * max(_lines(h, w - 1) for h, w in
                             zip(tab.columns, PAGE_WIDTHS, strict=False))
    drawn = LINE_HEIGHT * (1 + _chart_rows(len(tab.rows))) if chart is not None else 0
    return LINE_HEIGHT + 18 * _lines(tab.title, width * 15 // 18) + head + rows + notes + drawn


def _chart_height(bars: int) -> float:
    """Centimetres: room for the title, the axis and a bar a line."""
    return max(7.5, 4 + 1.2 * min(bars, 25))


def _chart_rows(bars: int) -> int:
    return int(_chart_height(bars) / 0.53) + 2


def _chart(ws: Any, spec: Chart, first: int, last: int, bars: int) -> Any:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList

    ch = BarChart()
    ch.type = "bar"
    ch.title = _chart_text(spec.title, 1100)
    ch.legend = None
    ch.style = 2
    ch.add_data(Reference(ws, min_col=2, min_row=first, max_row=last), titles_from_data=False)
    ch.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    ch.x_axis.scaling.orientation = "maxMin"  # the first row at the top, as in the table
    ch.x_axis.delete = False
    ch.x_axis.tickLblSkip = 1  # every category named
    ch.y_axis.delete = False
    ch.y_axis.crosses = "max"  # the value axis below the bars, the first bar at the top
    ch.y_axis.title = _chart_text(spec.axis, 900)
    ch.y_axis.majorGridlines = None
    ch.dataLabels = DataLabelList(showVal=True, showCatName=False, showSerName=False,
                                  showLegendKey=False, showPercent=False)
    ch.series[0].graphicalProperties.solidFill = "595959"
    ch.series[0].graphicalProperties.line.solidFill = "262626"
    ch.gapWidth = 60
    ch.width = 17
    ch.height = _chart_height(bars)
    return ch


def _chart_text(text: str, size: int) -> Any:
    """A chart's or an axis's title at ``size`` hundredths of a point (Excel's default
    title is 14 pt, large beside a table's 11)."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import (
        CharacterProperties,
        Paragraph,
        ParagraphProperties,
        RegularTextRun,
    )

    props = CharacterProperties(sz=size, b=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props),
                     r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _figure_like(c: Cell) -> bool:
    """A figure, a number, a percentage or a word standing for a figure."""
    return c.numeric or c.text == "-" or c.text.endswith("%")


def _figure_column(tab: Table, j: int) -> bool:
    return j > 0 and bool(tab.rows) and all(_figure_like(r[j]) for r in tab.rows)


def _value_cell(ws: Any, c: Cell, st: _Styles, shaded: bool, align: Any) -> Any:
    """A cell of a table: a figure's number (marked when estimated) or its words."""
    fill = st.shade if shaded else None
    font = st.bold if shaded else None
    value = c.value
    if c.percent and isinstance(value, int | float):
        return st.cell(ws, value / 100, font, fill, PERCENT_FORMAT, align)
    if c.numeric and isinstance(value, int | float) and not isinstance(value, bool):
        plain = NUMBER_FORMAT if not isinstance(value, float) or value.is_integer() \
            else DECIMAL_FORMAT  # weighed evidence: 8.5
        fmt = estimate_format(c) if c.estimated else plain
        if c.unrecorded:  # a lower bound: the number stays a number, shown 'at least 72'
            fmt = lower_bound_format(st.at_least, fmt)
        return st.cell(ws, value, font, fill, fmt, align)
    return st.cell(ws, c.text or "-", font, fill, align=align)


def lower_bound_format(words: str, fmt: str) -> str:
    """A number format that shows a number as the language's 'at least {n}' does."""
    before, _, after = words.partition("{n}")

    def quoted(text: str) -> str:
        return f'"{text.replace(chr(34), "")}"' if text else ""

    return quoted(before) + fmt + quoted(after)


# --- table sheets ------------------------------------------------------------------------


def _widths(sheet: Sheet, heads: list[str], rows: list[list[Any]], wide: set[int]
            ) -> list[float]:
    """Each column as wide as what it holds (a sample of rows), free text capped at WIDE and
    wrapped, other columns at NARROW; headings wrap onto a second line rather than widen."""
    out: list[float] = []
    need: list[float] = []
    for j, h in enumerate(heads):
        if sheet.records:
            cap = WIDE if j in wide else NARROW
        else:
            cap = FIGURES_WIDE if j in wide else FIGURES_NARROW
        # an empty sheet (the entry template) leaves room to type free text
        longest = max((len(_text(r[j])) for r in rows[:400]),
                      default=cap if j in wide else 0)
        head = min(len(h), 10)
        out.append(float(max(6, min(max(longest, head), cap) + 2)))
        need.append(min(longest, ROOMY) + 2 if j in wide else out[-1])
    if not sheet.records:  # a sheet of figures fits a page: its text gets the room left
        total = sum(out)
        page = PORTRAIT if total <= PORTRAIT else LANDSCAPE
        spare = page - total
        short = {j: need[j] - out[j] for j in range(len(out)) if need[j] > out[j]}
        if spare > 0 and short:
            share = min(1.0, spare / sum(short.values()))
            for j, lack in short.items():
                out[j] += int(lack * share)
    return out


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _wide_columns(sheet: Sheet, where: list[int]) -> set[int]:
    """Columns of free text: a kind's own wide fields, else those holding long words."""
    if sheet.records:
        return {where[j] for j, c in enumerate(sheet.columns) if c.wide}
    return {where[j] for j, c in enumerate(sheet.columns)
            if any(not r[j].numeric and len(r[j].text) > 24 for r in sheet.rows[:400])}


def _sheet(wb: Any, sh: Sheet, st: _Styles, meta: Meta, lists: dict[str, str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table as XlTable
    from openpyxl.worksheet.table import TableColumn, TableStyleInfo

    ws = wb.create_sheet(sheet_title(sh.name))
    st._sheet = ws
    heads, rows, where = flat(sh, marked=True, estimated=st.estimated, yes=st.yes,
                              shown=not sh.records)
    specs = sh.columns if sh.records else None
    widths = _widths(sh, heads, rows, _wide_columns(sh, where))
    for j, w in enumerate(widths, start=1):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = w
        if specs is not None and specs[j - 1].text:
            ws.column_dimensions[letter].number_format = "@"  # typed ids stay text
    header = len(sh.notes) + (2 if sh.notes else 1)
    ws.freeze_panes = f"B{header + 1}" if specs is not None else f"A{header + 1}"
    # a sheet of records prints its key columns (id, title, date, place, count); the rest
    # is for the screen and for editing
    printed = (sum(c.key for c in specs) or len([c for c in specs if c.printed])
               if specs is not None else len(heads))
    last = get_column_letter(len(heads))
    total = sum(widths)
    if not sh.printed:  # only its notes print: across the columns that fit a page
        printed = max(1, sum(1 for k in range(len(widths)) if sum(widths[:k + 1]) <= PORTRAIT))
        total = sum(widths[:printed])
    # a sheet of records prints portrait when shrinking a little fits its key columns
    _print_setup(ws, widths[:printed], header, meta.project, st.footer,
                 upright=specs is not None)
    noted = get_column_letter(printed) if not sh.printed else last
    for i, n in enumerate(sh.notes, start=1):
        ws.merged_cells.add(f"A{i}:{noted}{i}")
        ws.row_dimensions[i].height = LINE_HEIGHT * min(_lines(n, int(total)), MAX_LINES)
        ws.append([st.cell(ws, n, st.note, align=st.wrap)])
    if sh.notes:
        ws.append([])
    head_lines = max(_lines(h, int(w) - 1) for h, w in zip(heads, widths, strict=True))
    ws.row_dimensions[header].height = LINE_HEIGHT * head_lines
    cells = []
    for j, h in enumerate(heads):
        derived = specs is not None and specs[j].read_only
        c = st.cell(ws, h, st.header, st.derived_fill if derived else st.header_fill,
                    align=st.wrap)
        if specs is not None and specs[j].help:
            c.comment = Comment(specs[j].help, "cepa", width=260, height=110)
        cells.append(c)
    ws.append(cells)

    # the style of each column's cells, decided once
    fmt_of: dict[int, str] = {}
    for j in range(len(heads)):
        sample = next((r[j] for r in rows if r[j] is not None), None)
        if isinstance(sample, date):
            fmt_of[j] = "yyyy-mm-dd"
    shaded: dict[int, list[int]] = {}
    for si, sj in sh.shaded:
        shaded.setdefault(si, []).append(sj)
    # Each cell's style, decided as openpyxl would meet it cell by cell (so the workbook's
    # styles come in the same order), and the rows written as text when the sheet is saved.
    marked = list(enumerate(where))
    ncol = len(heads)
    plans: list[tuple[list[int], float | None]] = []
    for i, (r, orig) in enumerate(zip(rows, sh.rows, strict=True)):
        styles: list[Any] = [None] * ncol
        # only the printed columns' long texts wrap and make a row tall
        long = [j for j, v in enumerate(r) if j < printed and isinstance(v, str)
                and len(v) > widths[j] - 2]
        height = None
        if long:
            high = max(_lines(r[j], int(widths[j]) - 2) for j in long)
            height = LINE_HEIGHT * min(high, MAX_LINES)
            for j, v in enumerate(r):
                if v is not None:  # an empty cell has nothing to align
                    styles[j] = st.style(align=st.wrap if j in long else st.top,
                                         fmt=fmt_of.get(j))
        for j, fmt in fmt_of.items():
            if styles[j] is None and r[j] is not None:
                styles[j] = st.style(fmt=fmt)
        for si, j in marked:
            c = orig[si]
            if c.estimated and isinstance(c.value, int | float):
                styles[j] = st.style(fmt=estimate_format(c), align=st.top if long else None)
        for sj in shaded.get(i, ()):
            styles[where[sj]] = st.style(st.bold, st.shade, align=st.wrap)
        for j, v in enumerate(r):  # a date openpyxl would have formatted itself
            if styles[j] is None and isinstance(v, date):
                styles[j] = st.style(fmt=_DATE_FORMATS[type(v)])
        plans.append(([st.xf(ws, x) for x in styles], height))
    if rows:
        st.rows.add(ws, (row_xml(header + 1 + i, r, sids, height)
                         for i, (r, (sids, height)) in enumerate(zip(rows, plans, strict=True))))
    body_rows = max(len(rows), TEMPLATE_ROWS if meta.template else 1)
    end = header + body_rows
    if not rows:
        for _ in range(body_rows):
            ws.append([])
    if specs is not None:
        _validations(ws, specs, header + 1, header + len(rows) + ROOM, lists)
    elif sh.name == meta_breakdowns(meta) and meta.lists:
        _breakdown_validations(ws, header + 1, header + len(rows) + ROOM, lists)
    if not sh.printed:  # for filtering on the screen: the print is its notes
        ws.print_area = f"A1:{noted}{max(len(sh.notes), 1)}"
    elif printed < len(heads) or meta.template:  # a template prints as a form of a few rows
        bottom = header + (FORM_ROWS if meta.template else len(rows))
        ws.print_area = f"A1:{get_column_letter(printed)}{bottom}"
    ref = f"A{header}:{last}{end}"
    tab = XlTable(displayName="".join(ch for ch in sh.name if ch.isalnum()) or "Sheet",
                  ref=ref, autoFilter=AutoFilter(ref=ref),
                  tableColumns=[TableColumn(id=j, name=name) for j, name in
                                enumerate(heads, start=1)])
    tab.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    with warnings.catch_warnings():  # openpyxl warns in write-only mode even when, as
        warnings.simplefilter("ignore")  # here, the table's columns are given
        ws.add_table(tab)


#: The number format openpyxl gives a date or time written without one.
_DATE_FORMATS = {date: "yyyy-mm-dd", datetime: "yyyy-mm-dd h:mm:ss"}


def meta_breakdowns(meta: Meta) -> str:
    return BREAKDOWNS_SHEET


# --- drop-down lists ------------------------------------------------------------------------


def _list_places(meta: Meta) -> dict[str, str]:
    """Each list's cells on the Lists sheet, as a formula: ``'Lists'!$C$2:$C$5``."""
    from openpyxl.utils import get_column_letter

    lists = {k: v for k, v in meta.lists.items() if v}
    return {name: f"{LISTS_SHEET}!${get_column_letter(j)}$2:${get_column_letter(j)}$"
                  f"{len(values) + 1}"
            for j, (name, values) in enumerate(lists.items(), start=1)}


def _lists_sheet(wb: Any, meta: Meta, st: _Styles) -> None:
    lists = {k: v for k, v in meta.lists.items() if v}
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    names = list(lists)
    ws.append([st.cell(ws, n) for n in names])
    for i in range(max(len(v) for v in lists.values())):
        ws.append([st.cell(ws, lists[n][i]) if i < len(lists[n]) else None for n in names])


def _validations(ws: Any, specs: list[Any], first: int, last: int,
                 lists: dict[str, str]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for j, c in enumerate(specs, start=1):
        area = f"{get_column_letter(j)}{first}:{get_column_letter(j)}{last}"
        if c.read_only:
            continue
        help_text = c.help.split(": ", 1)[-1]
        if c.choices in lists:
            # a list column takes several values: the drop-down offers one, typing more is
            # fine; a single value must be one of the list
            dv = DataValidation(type="list", formula1=f"={lists[c.choices]}", allow_blank=True,
                                showErrorMessage=True,
                                errorStyle="information" if c.several else "stop",
                                errorTitle=c.heading,
                                error=f"Pick one from the list. {help_text}")
        elif c.count:
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                allow_blank=True, showErrorMessage=True, errorStyle="stop",
                                errorTitle=c.heading, error="A whole number, 0 or more.")
        else:
            continue
        dv.add(area)
        ws.data_validations.append(dv)


def _breakdown_validations(ws: Any, first: int, last: int, lists: dict[str, str]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    for col, name in (("B", "kinds"), ("C", "breakdowns")):
        if name in lists:
            dv = DataValidation(type="list", formula1=f"={lists[name]}", allow_blank=True,
                                showErrorMessage=True, errorStyle="stop")
            dv.add(f"{col}{first}:{col}{last}")
            ws.data_validations.append(dv)
    dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                        allow_blank=True, showErrorMessage=True, errorStyle="stop",
                        error="A whole number, 0 or more.")
    dv.add(f"E{first}:E{last}")
    ws.data_validations.append(dv)


# --- what import reads ------------------------------------------------------------------------


def _meta_sheet(wb: Any, meta: Meta, st: _Styles) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"
    keys = (("format", WORKBOOK_FORMAT), ("project", meta.project),
            ("public", "true" if meta.public else "false"),
            ("template", "true" if meta.template else "false"),
            ("period start", meta.period[0]), ("period end", meta.period[1]),
            ("audience", meta.audience), ("records fingerprint", meta.fingerprint))
    for key, value in keys:
        ws.append([key, st.cell(ws, value)])
    ws.append([])
    ws.append(["kind", "id", "fingerprint"])
    first = len(keys) + 3  # below the keys, a blank row and the heading
    if meta.records:  # ids and hex digests: never read as formulas
        plain: list[int | None] = [None, None, None]
        st.rows.add(ws, (row_xml(first + i, list(r), plain, None)
                         for i, r in enumerate(meta.records)))
