"""A document: what the document stage builds once and every writer lays out.

Like docutils' node tree, a ``Document`` is blocks in reading order - headings,
paragraphs of inline runs, lists, tables, charts, facts, page breaks and the place of the
contents - in one language, every word and figure already written as it is shown. A
``Book`` is the same for a workbook: sheets of cells and pages of tables and charts. A
writer (cepa/writers/) turns either into a file; it needs nothing else, and adds nothing:
a cell carries both its text and the value a machine format writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

Value = int | float | str | date | None


@dataclass(frozen=True, slots=True)
class Cell:
    """A table's cell: its text as shown ('45*', 'c', 'not recorded', 'London'), the value
    a machine format writes (a number, or the text), and how to show it."""

    text: str
    value: Value = None
    numeric: bool = False
    estimated: bool = False
    #: the number of a note that explains it (an estimate's reason)
    mark: str | None = None
    #: a figure's: what it counts, in words, whether that is children, how many records
    #: behind it hold no count, and the records it is made of
    counts: str | None = None
    children: bool = False
    unrecorded: int = 0
    records: tuple[str, ...] = ()
    #: an estimate's reasons, in the records' words
    why: tuple[str, ...] = ()
    #: the value is a percentage (100.7 for 100.7%)
    percent: bool = False
    #: an estimate's mark (by its grade: '*', '≈', '?', '~'), and a figure's grade
    sign: str = ""
    grade: str = ""

    @staticmethod
    def of(text: str) -> Cell:
        """A cell of text (cells are frozen: one per text is shared, as workbook sheets
        repeat ids, kinds and keys hundreds of thousands of times)."""
        cell = _TEXT_CELLS.get(text)
        if cell is None:
            if len(_TEXT_CELLS) > 200_000:
                _TEXT_CELLS.clear()
            cell = _TEXT_CELLS[text] = Cell(text, text)
        return cell


EMPTY = Cell("-", None)
_TEXT_CELLS: dict[str, Cell] = {}


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    #: cells shaded as gaps, as (row, column)
    shaded: set[tuple[int, int]] = field(default_factory=set)
    #: printed small (a wide matrix, an appendix)
    small: bool = False
    #: its title printed above it
    caption: bool = True
    #: what it says when it has no rows
    empty: str = ""

    def numeric_column(self, j: int) -> bool:
        return bool(self.rows) and all(r[j].numeric or r[j] is EMPTY or r[j].text == "-"
                                       for r in self.rows) and j > 0


@dataclass(frozen=True)
class Run:
    """A run of text in a paragraph."""

    text: str
    strong: bool = False
    emphasis: bool = False
    link: str | None = None


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    runs: list[Run]
    #: body, caption, note, title, subtitle
    style: str = "body"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Items:
    """A list: each item a list of runs."""

    items: list[list[Run]]
    ordered: bool = False


@dataclass
class Bar:
    label: str
    cell: Cell
    group: int = 0


@dataclass
class Chart:
    key: str
    title: str
    caption: str
    axis: str
    bars: list[Bar]
    legend: list[str] = field(default_factory=list)


@dataclass
class Facts:
    """Labelled facts: a title page's reference, programme, period, partners."""

    rows: list[tuple[str, str]]


@dataclass
class PageBreak:
    pass


@dataclass
class Contents:
    """Where the contents go: a heading, and what to say until page numbers are known."""

    title: str
    placeholder: str


Block = Heading | Paragraph | Items | Table | Chart | Facts | PageBreak | Contents


@dataclass
class Document:
    title: str
    subject: str
    language: str
    blocks: list[Block] = field(default_factory=list)
    #: the values a template's header and footer may show: {{ report_title }}, ...
    fields: dict[str, str] = field(default_factory=dict)
    #: words a writer puts around the content: 'Page', 'of'
    words: dict[str, str] = field(default_factory=dict)
    #: the fingerprint of the records it is made from (in the file's metadata)
    fingerprint: str = ""
    #: the day it is written (in the file's metadata)
    created: date | None = None

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


# --- a workbook ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetColumn:
    """A column of a sheet, and what a spreadsheet should know of it."""

    heading: str
    #: the comment on its heading
    help: str = ""
    #: the drop-down list its cells pick from (a name of ``Meta.lists``)
    choices: str | None = None
    #: several values from the list may be typed (a list column)
    several: bool = False
    #: a whole number, 0 or more
    count: bool = False
    #: worked out by cepa: shown grey, never read back
    read_only: bool = False
    #: typed values stay text (an id of digits, '2005-06')
    text: bool = False
    #: free text that wraps in a wide column
    wide: bool = False
    #: printed (False: only for sorting and filtering)
    printed: bool = True
    #: one of the first columns, which a printed sheet of records shows
    key: bool = False


@dataclass
class Sheet:
    """A table on a sheet of its own: a header row and rows of cells, notes above it."""

    name: str
    columns: list[SheetColumn]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    shaded: set[tuple[int, int]] = field(default_factory=set)
    #: the sheet of a kind of record (its rows are records, its columns fields)
    records: bool = False
    #: keep the long-form "estimated" column beside each figure column (for filtering)
    estimates: bool = False
    #: printed in full; False for a sheet that is only for filtering (it prints its notes)
    printed: bool = True


@dataclass
class Page:
    """A page to read: a title block, then titled tables and charts of them."""

    name: str
    heading: list[str]
    notes: list[str]
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Meta:
    """What ``cepa import records`` needs to know about a workbook."""

    project: str
    public: bool = False
    template: bool = False
    period: tuple[str, str] = ("", "")
    #: every record on the kind sheets: (kind, id, fingerprint of what the sheets show)
    records: list[tuple[str, str, str]] = field(default_factory=list)
    #: the drop-down lists, by name
    lists: dict[str, list[str]] = field(default_factory=dict)
    #: it holds row-level records about children (written readable only by its owner)
    children: bool = False
    #: for whom it is written: team, evaluator or public
    audience: str = "team"
    #: the fingerprint of the records it is made from, and its title
    fingerprint: str = ""
    title: str = ""


@dataclass
class Book:
    sheets: list[Sheet | Page]
    meta: Meta
    #: words a writer puts around the content: the footer's 'page' and 'of', yes and no
    words: dict[str, str] = field(default_factory=dict)

