"""The workbook an evaluator opens: a Summary to read, charts, a tidy Data sheet, sheets
that print legibly on A4, and the report's conventions for estimates, gaps and words.

Expected figures are the shipped source's: 5 visits, 302 seminar participants (127 UK, 111
NL, 64 at the final seminar in Tartu), 122 interviews, 226 children monitored in 10 services,
34 primary participants.
"""

from __future__ import annotations

import re
import statistics
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import NO_LIBREOFFICE, build_tree, edit_yaml
from tests.projects import YOUTH_NET

runner = CliRunner()
KIND_SHEETS = ["Visits", "Seminars", "Interviews", "Feedback", "Outcomes"]


def _export(project: Path, out: Path, *args: str) -> Path:
    r = runner.invoke(app, ["export", str(project), "-o", str(out), *args])
    assert r.exit_code == 0, r.output
    return out


def _cells(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _below(rows: list[list[Any]], title: str) -> dict[Any, list[Any]]:
    """The rows of the table titled ``title`` on a page, by their first cell."""
    at = next(i for i, r in enumerate(rows) if r[0] == title)
    out = {}
    for r in rows[at + 2:]:
        if r[0] is None or all(v is None for v in r[1:]):
            break
        out[r[0]] = r[1:]
    return out


def test_the_summary_is_a_page_to_read(agis: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(_export(agis, tmp_path / "e.xlsx"))
    ws = wb["Summary"]
    rows = _cells(ws)
    assert rows[0][0] == ("JAI/2004/AGIS/143: Best practice in reducing and preventing the "
                          "commercial sexual exploitation of children")
    assert rows[1][0] == "AGIS (European Commission, Justice and Home Affairs)"
    assert rows[2][0] == "Period: January 2005 to December 2006"
    overview = {k: v[0] for k, v in _below(rows, "Overview").items()}
    assert overview["Visits"] == 5
    assert overview["Seminar participants"] == 302
    assert overview["Interviews"] == 122
    assert overview["Children and young people monitored"] == 226
    assert overview["Services monitoring outcomes"] == 10
    assert overview["Primary participants"] == 34
    assert overview["Young people heard"] == "not recorded"  # the report's words
    targets = _below(rows, "Targets against actuals")
    assert targets["Stakeholder participants engaged in the expert seminars"][:2] == [300, 302]
    planned = _below(rows, "Planned activities implemented")
    assert planned["F: Final international expert seminar in Tartu, Estonia"][:3] == [1, 1, 64]
    assert any(r[0] == "Every planned activity was implemented." for r in rows)
    assert any(r[0] == "No unplanned activities." for r in rows)
    glance = _below(rows, "Coverage of the objectives at a glance")
    # records, their weighed evidence (see test_coverage), kinds of record, status
    assert [v[:4] for v in glance.values()] == [[17, 8.5, 4, "covered"], [27, 10.5, 6, "covered"],
                                            [16, 7.5, 4, "covered"], [16, 7.5, 4, "covered"]]
    grades = _below(rows, "Evidence of each objective by how its figures were obtained")
    # objective 2: the Barnardo's interviews, Tartu and the two outputs are exact; six UK
    # and NL seminars and ten outcome records share out known totals; five visits and two
    # feedback sessions record no count
    assert grades["2. Prevention and victim protection"] == [4, 16, 7, 10.5, 6]
    by_country = {k: v[0] for k, v in _below(rows,
                  "Seminar participants by country where held").items()}
    assert by_country == {"United Kingdom": 127, "Netherlands": 111, "Estonia": 64}
    # no long table/row/column/value list: that is the Data sheet now
    assert len(rows) < 120
    # a native chart of participants by country, drawn from these cells; by activity has
    # two bars, which say no more than its table
    charts = ws._charts
    assert len(charts) == 1
    refs = [c.series[0].val.numRef.f for c in charts]
    assert all(f.startswith("'Summary'!$B$") or f.startswith("Summary!$B$") for f in refs)


def test_the_data_sheet_has_a_row_per_figure(agis: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(_export(agis, tmp_path / "e.xlsx"))
    rows = _cells(wb["Data"])
    head = next(i for i, r in enumerate(rows) if r[0] == "table")
    assert rows[head] == ["table", "row", "column", "value", "estimated", "grade", "shown as",
                          "counts", "about children"]
    data = {(r[0], r[1], r[2]): r[3:] for r in rows[head + 1:]}
    assert data[("Overview", "Seminar participants", "value")][:4] == \
        [302, "no", "exact", "302"]
    # the 64 inter-agency interviews, split evenly over three countries by estimate (22+21+21)
    assert data[("Interviews by country", "Estonia", "interviews")][:4] == [
        21, "yes", "share of a known total", "21*"]
    # the records' own rows are on their sheets, not repeated here
    assert not any(k[0] == "Seminars" for k in data)
    assert data[("Overview", "Young people heard", "value")][:4] == [
        None, "no", "not recorded", "not recorded"]
    assert data[("Overview", "Children and young people monitored", "value")][5] == "yes"
    # a filterable table over the whole sheet
    assert len(wb["Data"].tables) == 1


def test_estimates_are_marked_as_in_the_report(agis: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(_export(agis, tmp_path / "e.xlsx"))
    ws = wb["Seminars"]
    heads = {c.value: c.column for c in ws[1]}
    cells = {ws.cell(r, 1).value: ws.cell(r, heads["participants"]) for r in range(2, 9)}
    assert cells["uk-seminar-2005-06"].value == 45
    assert cells["uk-seminar-2005-06"].number_format == '#,##0"*"'
    assert cells["final-seminar-tartu"].number_format != '#,##0"*"'
    notes = " ".join(str(r[0]) for r in _cells(wb["Claims"])[:3] if r[0])
    assert notes.startswith("* estimated share of a total the source gives (that total is "
                            "exact): The summary gives 127")


def test_no_sheet_for_a_kind_without_records(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    root = build_tree(tmp_path / "youth", YOUTH_NET)
    wb = load_workbook(_export(root, tmp_path / "y.xlsx"))
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == ["Summary", "Seminars", "Feedback", "Outcomes", "Breakdowns", "Coverage",
                       "Claims", "Data"]
    for ws in wb.worksheets:
        assert not any(v == "(none)" for r in ws.iter_rows(values_only=True) for v in r)


def test_every_sheet_is_set_up_for_a4(agis: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils import column_index_from_string

    wb = load_workbook(_export(agis, tmp_path / "e.xlsx"))
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert str(ws.page_setup.paperSize) == "9", ws.title
        assert ws.oddFooter.center.text, ws.title
        area = ws.print_area  # a sheet of records prints its first, key columns
        columns = (column_index_from_string(area.split(":")[-1].split("$")[1])
                   if area else ws.max_column)
        fitted = bool(ws.sheet_properties.pageSetUpPr.fitToPage)
        if fitted:
            assert columns <= 12 and ws.page_setup.fitToWidth == 1, ws.title
        else:  # printed across pages, the first column repeated on each
            assert ws.print_title_cols == "$A:$A", ws.title
        if ws.title != "Summary":
            assert ws.print_title_rows, ws.title  # the header row on every page
    sem = wb["Seminars"]
    assert sem.page_setup.orientation == "landscape"  # its key columns are wider than A4
    assert wb["Summary"].page_setup.orientation == "portrait"
    # a long title wraps, in a row made tall enough for it; the notes, which are not
    # printed, keep the rows short on the screen
    heads = {c.value: c.column for c in sem[1]}
    title = sem.cell(2, heads["title"])
    assert len(title.value) > sem.column_dimensions[title.column_letter].width
    assert title.alignment.wrap_text and sem.row_dimensions[2].height >= 30
    assert not sem.cell(2, heads["notes"]).alignment.wrap_text


def test_coverage_gaps_are_shaded_as_in_the_report(agis: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from cepa.document.tables import SHADED_NOTE

    # activity D (feedback) planned for objective 3 too, with no feedback record behind it
    def change(d: dict[str, Any]) -> None:
        d["activities"][3]["objectives"] = [2, 3]

    edit_yaml(agis / "cepa-project.yaml", change)
    wb = load_workbook(_export(agis, tmp_path / "e.xlsx"))
    ws = wb["Coverage"]
    rows = _cells(ws)
    head = next(i for i, r in enumerate(rows) if r[0] == "objective")
    col = rows[head].index("D") + 1
    row = next(i for i, r in enumerate(rows) if str(r[0]).startswith("3.")) + 1
    gap = ws.cell(row, col)
    assert gap.value == "gap" and gap.fill.fgColor.rgb.endswith("A6A6A6") and gap.font.bold
    # E (outcomes) is not planned for objective 3: not a gap, and not shaded
    not_planned = ws.cell(row, rows[head].index("E") + 1)
    assert not_planned.value == "-" and not_planned.fill.fgColor.rgb in (None, "00000000")
    covered = ws.cell(row, rows[head].index("B") + 1)
    assert covered.fill.fgColor.rgb in (None, "00000000")  # evidence is not coloured
    assert SHADED_NOTE in [r[0] for r in rows]


def test_a_public_workbook_says_so(agis: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(_export(agis, tmp_path / "p.xlsx", "--public"))
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props["cepa:public"] is True
    meta = {r[0]: r[1] for r in wb["cepa"].iter_rows(values_only=True) if r[0]}
    assert meta["public"] == "true"
    assert "Lists" not in wb.sheetnames  # no drop-down lists: it is not for editing
    assert not {"Feedback", "Outcomes"} & set(wb.sheetnames)
    data = {(r[0], r[1]): list(r[3:7]) for r in wb["Data"].iter_rows(values_only=True)}
    # published rounded (226 to 225): its grade says so, not 'exact'
    assert data[("Overview", "Children and young people monitored")] == [225, "no", "rounded",
                                                                         "225"]
    # no fingerprint of the records: it would hash the counts that are not published
    assert meta["records fingerprint"] is None and meta["audience"] == "public"


def _page_text_heights(pdf: Path) -> list[tuple[str, float]]:
    """Each page's text, and the median height of its words in points."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    out = []
    for page in bbox.split("<page ")[1:]:
        heights = [float(b) - float(a) for a, b in
                   re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)]
        words = " ".join(re.findall(r">([^<]*)</word>", page))
        out.append((words, statistics.median(heights) if heights else 0.0))
    return out


@pytest.mark.skipif(NO_LIBREOFFICE, reason="LibreOffice is not installed "
                                           "(CI installs it and never skips this)")
def test_every_printed_page_is_readable(agis: Path, tmp_path: Path) -> None:
    book = _export(agis, tmp_path / "evidence.xlsx")
    r = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    pages = _page_text_heights(tmp_path / "evidence.pdf")
    summary = [t for t, _ in pages if "Summary, page" in t]
    first = summary[0]
    assert "JAI/2004/AGIS/143" in first and "Seminar participants" in first
    assert "302" in first and "226" in first
    # the charts are drawn: their titles stand beside the tables' own
    text = " ".join(summary)
    assert text.count("Seminar participants by country where held") >= 2
    # 11-point text prints 14.3 points high; nothing may shrink below about 8 points
    small = [(i, h) for i, (_, h) in enumerate(pages, start=1) if h < 10.5]
    assert not small, small
    # every sheet is printed, and each page names its sheet
    for name in ["Summary", *KIND_SHEETS, "Breakdowns", "Coverage", "Claims", "Data"]:
        assert any(f"{name}, page" in t for t, _ in pages), name
    # the Data sheet is for filtering on the screen: it prints its note, whole, on one page
    data = [t for t, _ in pages if "Data, page" in t]
    assert len(data) == 1 and "Only this note is printed" in data[0], data
