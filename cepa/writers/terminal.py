"""Tables for a terminal, a pipe, Markdown and CSV.

``to_plain`` lays tables out as aligned text (what a pipe or CI log gets), ``to_markdown``
as Markdown, ``to_csv`` as one long CSV (table, row, column, value, estimated), and
``print_rich`` as rich tables on a terminal. Each takes tables of cells
(cepa/document/nodes.py) and only lays them out.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from cepa.document.nodes import Table

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value: Any) -> Any:
    """A value a spreadsheet shows as written: text that would run as a formula is quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_plain(tables: list[Table], header: str = "") -> str:
    out = [header] if header else []
    for t in tables:
        texts = [[c.text for c in r] for r in t.rows]
        widths = [max([len(h)] + [len(r[i]) for r in texts]) for i, h in enumerate(t.columns)]
        right = [t.numeric_column(i) for i in range(len(t.columns))]

        def line(cells: list[str], widths: list[int] = widths, right: list[bool] = right
                 ) -> str:
            return "  ".join(c.rjust(w) if n else c.ljust(w)
                             for c, w, n in zip(cells, widths, right, strict=True)).rstrip()

        out += ["", t.title, "=" * len(t.title), line(t.columns),
                line(["-" * w for w in widths])]
        out += [line(r) for r in texts]
        out += t.notes
    return "\n".join(out).lstrip("\n") + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(tables: list[Table], header: str = "") -> str:
    out = [header, ""] if header else []
    for t in tables:
        out += [f"## {t.title}", "",
                "| " + " | ".join(map(_md, t.columns)) + " |",
                "|" + "|".join("---:" if t.numeric_column(i) else "---"
                               for i in range(len(t.columns))) + "|"]
        out += ["| " + " | ".join(_md(c.text) for c in r) + " |" for r in t.rows]
        if t.notes:
            out += [""] + [f"{n}  " for n in t.notes]
        out.append("")
    return "\n".join(out)


def to_csv(tables: list[Table]) -> str:
    """One long CSV: table, row label, column, value, estimated, and the value as the
    summary shows it ('at least 72', '45*', 'not recorded'). Safe to open in Excel."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["table", "row", "column", "value", "estimated", "shown as"])
    for t in tables:
        for r in t.rows:
            label = r[0].text
            for col, c in zip(t.columns[1:], r[1:], strict=True):
                value = c.value if c.value is not None else ""
                w.writerow([safe_text(t.key), safe_text(label), safe_text(col),
                            safe_text(value), "yes" if c.estimated else "", safe_text(c.text)])
    return buf.getvalue()


def print_rich(tables: list[Table], header: str) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console()
    if header:
        console.print(Text(header, style="bold"))
    for tab in tables:
        rt = RichTable(title=Text(tab.title, style="bold"), title_justify="left",
                       caption=Text("\n".join(tab.notes)) if tab.notes else None,
                       caption_justify="left")
        for i, col in enumerate(tab.columns):
            rt.add_column(col, justify="right" if tab.numeric_column(i) else "left")
        for row in tab.rows:
            rt.add_row(*(Text(c.text) for c in row))
        console.print(rt)
