"""A sheet of cells as plain rows of values, each figure column followed, where asked, by
a column saying whether its figure is estimated (for CSV, JSON and filtering)."""

from __future__ import annotations

from typing import Any

from cepa.document.nodes import Cell, Sheet


def _figure(c: Cell) -> bool:
    return c.counts is not None


def figure_columns(sheet: Sheet, marked: bool = False) -> list[int]:
    """The columns followed by an 'estimated' column: those holding figures, except on a
    kind's sheet (whose own column says which figures are estimates). Where estimates are
    ``marked`` with '*' (a workbook), only a sheet made for filtering keeps the column."""
    if sheet.records or (marked and not sheet.estimates):
        return []
    return [i for i in range(len(sheet.columns)) if any(_figure(r[i]) for r in sheet.rows)]


def value(c: Cell, shown: bool = False) -> Any:
    """What a machine format writes for a cell: its number or value, else its words ('c',
    'not recorded'); nothing for an empty cell, or '-' where the cell is ``shown``."""
    if c.value is None:
        if shown and c.text:
            return c.text
        return c.text if c.numeric and c.text not in ("", "-") else None
    return c.value


def flat(sheet: Sheet, marked: bool = False, estimated: str = "estimated", yes: str = "yes",
         shown: bool = False) -> tuple[list[str], list[list[Any]], list[int]]:
    """Headings, rows of values, and for each of the sheet's columns its place among them."""
    fig_cols = set(figure_columns(sheet, marked))
    heads: list[str] = []
    where: list[int] = []
    for i, col in enumerate(sheet.columns):
        where.append(len(heads))
        heads.append(col.heading)
        if i in fig_cols:
            heads.append(f"{col.heading} {estimated}" if len(fig_cols) > 1 else estimated)
    rows = []
    for r in sheet.rows:
        out: list[Any] = []
        for i, c in enumerate(r):
            out.append(value(c, shown))
            if i in fig_cols:
                out.append(yes if c.estimated else "")
        rows.append(out)
    return heads, rows, where
