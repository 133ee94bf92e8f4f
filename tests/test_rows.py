"""The workbook's long sheets are written as text (cepa/writers/rows.py): every kind of value
reads back as openpyxl would have written it."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from cepa.document.nodes import Book, Cell, Meta, Sheet, SheetColumn
from cepa.writers.xlsx import write_xlsx

VALUES = ["=1+1", "#N/A", " padded ", "a & b < c > d", "", "line\nbreak", "Müller – Tartu",
          "x" * 40_000]


def test_every_kind_of_value_reads_back() -> None:
    rows = [[Cell(v, v) for v in VALUES],
            [Cell("3", 3), Cell("2.5", 2.5), Cell("yes", True), Cell("", None),
             Cell("2005-06-01", date(2005, 6, 1)), Cell("-", "-"), Cell("0", 0),
             Cell("big", 12345678901234567)]]
    sheet = Sheet("Mixed", [SheetColumn(f"c{i}") for i in range(len(VALUES))], rows)
    out = io.BytesIO()
    write_xlsx(Book([sheet], Meta("TEST")), out)
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Mixed"]
    first = [c.value for c in ws[2]]
    assert first[:4] == ["=1+1", "#N/A", " padded ", "a & b < c > d"]
    assert ws.cell(2, 1).data_type == "s"  # text, never a formula
    assert first[4] is None and first[5] == "line\nbreak" and first[6] == "Müller – Tartu"
    assert first[7] == "x" * 32_767  # as long as a cell holds
    second = [c.value for c in ws[3]]
    assert second[:3] == [3, 2.5, True] and second[3] is None
    assert second[4].date() == date(2005, 6, 1) and ws.cell(3, 5).number_format == "yyyy-mm-dd"
    assert second[5:] == ["-", 0, 1.234567890123457e16]  # 16 digits, as openpyxl writes it
