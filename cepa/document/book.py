"""The evidence as a workbook for evaluators: a ``Book`` of pages and sheets of cells.

``build`` arranges the summary, the coverage matrix and the ledger of records - all three
through the publication gate when the workbook is public - into a Summary page to read
(the overview, targets, planned and implemented, coverage at a glance, participants by
activity and by country with their charts), a sheet per kind of record that has records
(its columns from cepa/records/columns.py, so a workbook can be edited and imported
back), Breakdowns, Coverage, Claims, and a Data sheet of every figure, one a row.
``template`` is the same layout without records, for entering new ones. Every figure is a
gated figure of those results, shown as ``cepa summarize`` shows it; nothing here adds one
up. The writers (cepa/writers/xlsx.py, csv.py, json.py) turn a book into files.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cepa.base.text import N_
from cepa.document.language import _, local, ngettext
from cepa.document.nodes import (
    EMPTY,
    Book,
    Cell,
    Chart,
    Meta,
    Page,
    Sheet,
    SheetColumn,
    Table,
)
from cepa.document.tables import (
    claims_table,
    coverage_glance,
    coverage_grades,
    coverage_table,
    left_out_sentences,
    statement,
    summary_tables,
)
from cepa.document.words import P_, cell, figure_cell, grade_word, record_name
from cepa.evidence.results import Coverage, Ledger, Summary
from cepa.records import columns as cols
from cepa.records.kinds import KINDS
from cepa.records.model import BREAKDOWNS

#: The layout of the workbook, written in its hidden metadata sheet for ``cepa import``.
WORKBOOK_FORMAT = cols.WORKBOOK_FORMAT
BREAKDOWNS_SHEET = cols.BREAKDOWNS_SHEET
LISTS_SHEET = cols.LISTS_SHEET
META_SHEET = cols.META_SHEET
PUBLIC_PROPERTY = cols.PUBLIC_PROPERTY

CHILD_WARNING = N_("This workbook holds row-level records about children and young people "
                   "(feedback sessions and outcome monitoring). Keep it private; share only "
                   "a workbook written for publication.")
PUBLIC_NOTE = N_("Written for publication: row-level records about children are left out, "
                 "and counts about children are suppressed or rounded.")
EVALUATOR_NOTE = N_("Written for the evaluator: exact figures, without the records about "
                    "children and service users row by row. Not for publication.")
TEMPLATE_NOTE = N_("An entry sheet: fill in a row per new record on the sheet of its kind, "
                   "picking from the drop-down lists, then run: cepa import records FILE.xlsx")


def has_child_records(ledger: Ledger) -> bool:
    return any(KINDS[k].children and rows for k, rows in ledger.rows.items())


# --- a kind's sheet -----------------------------------------------------------------------


def sheet_columns(kind: str) -> list[SheetColumn]:
    """The columns of a kind's sheet, as the record model describes them."""
    out = []
    for c in cols.columns(kind):
        out.append(SheetColumn(
            c.heading, f"{c.heading}: {c.help}", cols.list_name(kind, c.choices),
            several=c.list_like, count=c.type == "count", read_only=c.read_only,
            text=c.type in cols.TEXT_TYPES, wide=c.wide or not c.path, printed=c.printed,
            key=c.key))
    return out


def record_sheet(kind: str, ledger: Ledger) -> Sheet:
    """A row per record, a column per ``cepa.records.columns`` column, the count as a
    gated figure. Its name and headings are the kind's and its fields' own (not
    translated): ``cepa import records`` reads them back."""
    specs = cols.columns(kind)
    count = cols.count_heading(kind)
    rows = []
    # cells are frozen: one per value is shared (a column of countries, activities or
    # yes/no holds a few values 100,000 times)
    made: dict[tuple[type, Any], Cell] = {}
    for r in ledger.rows.get(kind, []):
        row: list[Cell] = []
        for c in specs:
            if not c.path:
                row.append(Cell.of(r.source))
            elif c.heading == count:
                row.append(figure_cell(r.count) if r.count is not None else EMPTY)
            else:
                value = r.cells.get(c.heading)
                key: tuple[type, Any] | None = (value.__class__, value)
                try:
                    cell = made.get(key)  # type: ignore[arg-type]
                except TypeError:  # a value that cannot be a key
                    cell, key = None, None
                if cell is None:
                    cell = Cell("" if value is None else str(value), value)
                    if key is not None:
                        made[key] = cell
                row.append(cell)
        rows.append(row)
    return Sheet(KINDS[kind].title, sheet_columns(kind), rows, records=True)


def breakdowns_sheet(s: Summary) -> Sheet:
    """Every breakdown of every record, one figure a row: from the summary's rows, so each
    cell is the gated figure the summary shows."""
    heads = [SheetColumn(h) for h in cols.BREAKDOWN_COLUMNS]
    rows = []
    for k in KINDS.values():
        for r in s.kinds[k.name].rows:
            if r.private and k.children and s.disclosure:
                continue
            for name, b in r.breakdowns.items():
                if name not in k.breakdowns():  # whole-number parts (risk) are fields
                    continue
                for key, f in b.items():
                    rows.append([Cell.of(record_name(r.id)), Cell.of(k.name), Cell.of(name),
                                 Cell.of(key),
                                 figure_cell(f)])
    return Sheet(BREAKDOWNS_SHEET, heads, rows,
                 [_("Every breakdown of every record, one figure a row. Each record's "
                    "breakdowns add up to its total.")], estimates=True)


# --- the summary page ---------------------------------------------------------------------


#: The fewest bars a chart of the workbook's Summary is drawn with.
MIN_BARS = 3


def summary_page(s: Summary, cov: Coverage, tables: list[Table], notes: list[str]) -> Page:
    """The Summary an evaluator reads: overview, targets, planned and implemented,
    coverage at a glance, and participants by activity and by country with their charts."""
    by_key = {t.key: t for t in tables}
    keys = ["overview", "targets", "implemented", "not_implemented", "unforeseen"]
    # an empty table is its note alone, under the planned activities ("Every planned
    # activity was implemented.")
    chosen = [by_key[k] for k in keys if k in by_key and (by_key[k].rows or k == "overview")]
    empty = [n for k in keys if k in by_key and not by_key[k].rows for n in by_key[k].notes]
    planned = by_key.get("implemented")
    if planned is not None and planned in chosen:
        chosen[chosen.index(planned)] = replace(planned, notes=[*planned.notes, *empty])
    else:
        notes = [*notes, *empty]
    chosen.append(coverage_glance(cov))
    chosen.append(coverage_grades(cov))
    charts: list[Chart] = []
    for key in ("by_activity", "by_country"):  # drawn in the workbook from the table's cells
        if key in by_key and by_key[key].rows:
            chosen.append(by_key[key])
            if len(by_key[key].rows) >= MIN_BARS:  # two bars say no more than the table
                charts.append(Chart(key, by_key[key].title, "", _("participants"), []))
    if s.disclosure:  # it heads the page here
        chosen[0].notes = [n for n in chosen[0].notes if n != statement(s.disclosure)]
    p = s.project
    period = _("Period: {period}").format(period=_period(s))
    heading = [f"{p.code}: {local(p.title)}", p.programme, period]
    if s.fingerprint:
        heading.append(records_line(s.fingerprint))
    return Page(_("Summary"), heading, notes, chosen, charts)


def records_line(fingerprint: str) -> str:
    """'Records fingerprint: 3f2a...': which records it is made from (cepa diff compares
    them with a submitted period), in a line a printed page keeps whole."""
    return _("Records fingerprint: {fingerprint}").format(fingerprint=fingerprint[:12])


def _period(s: Summary) -> str:
    from cepa.document.language import period
    from cepa.document.report import label

    return label(s.period.name, period(s.period.start, s.period.end))


def data_sheet(tables: list[Table]) -> Sheet:
    """Every figure of the summary's tables, one a row, for filters and pivot tables."""
    rows: list[list[Cell]] = []
    for t in tables:
        if t.key in KINDS:  # a kind's list of records: its sheet has them, row by row
            continue
        for r in t.rows:
            for col, c in zip(t.columns[1:], r[1:], strict=True):
                if not c.numeric:
                    continue
                number = c.value if isinstance(c.value, int | float) else None
                rows.append([Cell.of(t.title), Cell.of(r[0].text), Cell.of(col),
                             Cell("" if number is None else str(number), number,
                                  numeric=True),
                             cell(c.estimated), Cell.of(grade_word(c.grade) if c.grade else ""),
                             Cell.of(c.text), Cell.of(c.counts or ""), cell(c.children)])
    heads = [SheetColumn(h) for h in (P_("column", "table"), P_("column", "row"),
                                      P_("column", "column"), P_("column", "value"),
                                      P_("column", "estimated"), P_("column", "grade"),
                                      P_("column", "shown as"), P_("column", "counts"),
                                      P_("column", "about children"))]
    return Sheet(_("Data"), heads, rows,
                 [_("Every figure of the summary, one a row: filter it, or make a pivot "
                    "table of it. 'value' is empty where a figure is not recorded or not "
                    "published; 'shown as' is how the summary shows it. Only this note is "
                    "printed: the figures are those of the other sheets.")], printed=False)


def table_sheet(name: str, t: Table) -> Sheet:
    return Sheet(name, [SheetColumn(c) for c in t.columns], [list(r) for r in t.rows],
                 list(t.notes), set(t.shaded))


def lists(project: Any, kinds_with_records: dict[str, list[str]]) -> dict[str, list[str]]:
    """The drop-down lists the kinds' columns point at, by name: only those a column
    uses."""
    out: dict[str, list[str]] = {}
    for k in KINDS:
        for c in cols.columns(k):
            name = cols.list_name(k, c.choices)
            if name is None:
                continue
            if c.choices == "activity":
                out[name] = [a.id for a in project.activities if a.kind == k]
            elif c.choices == "objective":
                out[name] = [str(o.id) for o in project.objectives]
            elif c.choices == "organisation":
                out[name] = [o.id for o in project.organisations()]
            elif c.choices == "country":
                out[name] = sorted(set(project.countries)
                                   | {o.country for o in project.organisations()})
            elif isinstance(c.choices, str) and c.choices.startswith("records:"):
                out[name] = sorted(kinds_with_records.get(c.choices.split(":", 1)[1], []))
            elif isinstance(c.choices, tuple):
                out[name] = list(c.choices)
    out["kinds"] = list(KINDS)
    out["breakdowns"] = list(BREAKDOWNS)
    return out


def words() -> dict[str, str]:
    return {"page": _("page"), "of": _("of"), "yes": P_("answer", "yes"),
            "no": P_("answer", "no"), "estimated": P_("column", "estimated"),
            "at least": _("at least {n}")}


def build(s: Summary, cov: Coverage, ledger: Ledger, project: Any, *,
          broken: list[str] | None = None) -> Book:
    """Every sheet of the export, in order, and what import needs to know of them; from
    results that went through the gate when the workbook is public (``s.disclosure``)."""
    public = s.disclosure is not None
    audience = s.disclosure.audience if s.disclosure else "team"
    lead = _(EVALUATOR_NOTE) if audience == "evaluator" else _(PUBLIC_NOTE)
    notes = [lead, statement(s.disclosure)] if s.disclosure else (
        [_(CHILD_WARNING)] if has_child_records(ledger) else [])
    if s.left_out:
        notes.append(_("Left out of this period's figures:") + " "
                     + " ".join(f"{x}." for x in left_out_sentences(s.left_out)))
    if broken:
        notes.append(ngettext(
            "Left out: {n} record file with errors, whose figures are missing here: {files}",
            "Left out: {n} record files with errors, whose figures are missing here: {files}",
            len(broken)).format(n=len(broken), files=", ".join(broken[:5])
                                + (" ..." if len(broken) > 5 else "")))
    tables = summary_tables(s)
    sheets: list[Sheet | Page] = [summary_page(s, cov, tables, notes)]
    ids = {k: [r.id for r in rows] for k, rows in ledger.rows.items()}
    # a public workbook is for reading: no drop-down lists (they would list record ids)
    meta = Meta(s.project.code, public=audience == "public",
                period=(s.period.start, s.period.end),
                lists={} if public else lists(project, ids),
                children=has_child_records(ledger), audience=audience,
                fingerprint=s.fingerprint, title=f"{s.project.code}: {local(s.project.title)}")
    for k in KINDS:
        if not ledger.rows.get(k):
            continue
        sheets.append(record_sheet(k, ledger))
        if not public:  # a public workbook is never imported: it needs no fingerprints
            meta.records.extend((k, r.id, r.fingerprint) for r in ledger.rows[k])
    brk = breakdowns_sheet(s)
    if brk.rows:
        sheets.append(brk)
    sheets.append(table_sheet(_("Coverage"), coverage_table(cov)))
    if s.claims:
        sheets.append(table_sheet(_("Claims"), claims_table(s.claims, s.disclosure)))
    sheets.append(data_sheet(tables))
    return Book(sheets, meta, words())


def template(project: Any) -> Book:
    """The per-kind sheets and Breakdowns, empty, with the project's drop-down lists."""
    sheets: list[Sheet | Page] = [
        Sheet(KINDS[k].title, sheet_columns(k), [], records=True) for k in KINDS]
    heads = [SheetColumn(h) for h in cols.BREAKDOWN_COLUMNS]
    sheets.append(Sheet(BREAKDOWNS_SHEET, heads, [],
                        [_("A record's breakdowns, one figure a row (e.g. record seminar-008, "
                           "kind seminars, breakdown by_country, key UK, value 30); they add "
                           "up to the record's total.")]))
    how = Page(_("How to"), [_("{code}: entering new records").format(code=project.code)],
               [_(TEMPLATE_NOTE), *(_(line) for line in HOW_TO)], [])
    return Book([how, *sheets], Meta(project.code, template=True, lists=lists(project, {})),
                words())


HOW_TO = [
    N_("Each sheet is a kind of record. A row is a record; the comment on each heading says "
       "what the column holds."),
    N_("Give each record an id of its own (letters, digits, '.', '_' and '-'): it becomes the "
       "name of its file, e.g. seminars/seminar-008.yaml."),
    N_("Pick activities, objectives, partners and countries from the drop-down lists. Lists "
       "of several ids are separated by commas (objectives: 1, 2); lists of text by "
       "semicolons."),
    N_("Dates: 2006-03-14 for a day, 2006-03 for a month, or 2005-01 to 2006-12 for a span."),
    N_("Breakdowns of a count (by country, by sector, ...) go on the Breakdowns sheet, one "
       "figure a row; they must add up to the record's total."),
    N_("Feedback and outcome records are about children and young people: counts, age bands "
       "and themes only, never a name."),
    N_("Grey columns are worked out by cepa and are not read back. cepa import records shows "
       "every change and writes nothing until you say yes."),
]
