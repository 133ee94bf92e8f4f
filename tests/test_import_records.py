"""cepa import records: a workbook's record sheets back into the records, and what it refuses.

Expected figures are the shipped records' (302 seminar participants: 127 UK + 111 NL + 64
Tartu) changed by hand: nl-seminar-2006-09 goes from 37 to 40 participants (its by_sector
child protection from 21 to 24) and a new UK seminar of 31 is added, so 336 in all, 158 in
the UK and 114 in the Netherlands.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import NO_LIBREOFFICE, build_tree, edit_yaml

runner = CliRunner()
NEW = {"id": "uk-seminar-2006-11", "activity": "B", "objectives": "1, 2", "date": "2006-11-14",
       "city": "Leeds", "country": "UK", "convenor": "barnardos", "participants": 31,
       "title": "UK expert seminar 4: what we learnt, and what next"}


def _export(project: Path, out: Path, *args: str) -> Path:
    r = runner.invoke(app, ["export", str(project), "-o", str(out), *args])
    assert r.exit_code == 0, r.output
    return out


def _import(project: Path, book: Path, *args: str, input: str | None = None) -> Any:
    return runner.invoke(app, ["import", "records", str(book), "-p", str(project), *args],
                         input=input)


def _snapshot(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted(project.rglob("*.yaml"))}


def _edit(book: Path, change: Callable[[Any], None]) -> Path:
    """Change the workbook as a user would, through openpyxl, and save it."""
    from openpyxl import load_workbook

    wb = load_workbook(book)
    change(wb)
    wb.save(book)
    return book


def _heads(ws: Any) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value}


def _row_of(ws: Any, rid: str) -> int:
    return next(c.row for c in ws["A"] if c.value == rid)


def _set(ws: Any, rid: str, heading: str, value: Any) -> None:
    ws.cell(_row_of(ws, rid), _heads(ws)[heading], value)


def _add(ws: Any, values: dict[str, Any]) -> int:
    heads = _heads(ws)
    n = ws.max_row + 1
    for h, v in values.items():
        ws.cell(n, heads[h], v)
    return n


def _add_breakdown(wb: Any, values: list[Any]) -> None:
    b = wb["Breakdowns"]
    n = b.max_row + 1
    for j, v in enumerate(values, start=1):
        b.cell(n, j, v)


def _raise_nl_seminar(wb: Any) -> None:
    _set(wb["Seminars"], "nl-seminar-2006-09", "participants", 40)
    for row in wb["Breakdowns"].iter_rows():
        if (row[0].value, row[2].value, row[3].value) == ("nl-seminar-2006-09", "by_sector",
                                                          "child protection"):
            assert row[4].value == 21
            row[4].value = 24


def _summary(project: Path) -> dict[str, Any]:
    r = runner.invoke(app, ["summarize", str(project), "-f", "json"])
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_change_and_add_a_seminar_through_the_workbook(agis: Path, tmp_path: Path) -> None:
    book = _export(agis, tmp_path / "evidence.xlsx")
    before = _snapshot(agis)

    def change(wb: Any) -> None:
        _raise_nl_seminar(wb)
        _add(wb["Seminars"], NEW)
        _add_breakdown(wb, ["uk-seminar-2006-11", "seminars", "by_country", "UK", 31])

    _edit(book, change)
    r = _import(agis, book, "--yes")
    assert r.exit_code == 0, r.output
    assert "uk-seminar-2006-11: new record" in r.stdout
    att = _summary(agis)["attendance"]
    assert att["total"]["value"] == 336
    assert att["by_country"]["UK"]["value"] == 158
    assert att["by_country"]["NL"]["value"] == 114
    after = _snapshot(agis)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {"seminars/nl-seminar-2006-09.yaml", "seminars/uk-seminar-2006-11.yaml"}
    # the change is the two figures, nothing else: comments, order and style stay
    old = before["seminars/nl-seminar-2006-09.yaml"].decode().splitlines()
    new = after["seminars/nl-seminar-2006-09.yaml"].decode().splitlines()
    assert len(old) == len(new)
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        ("  total: 37", "  total: 40"), ("    child protection: 21", "    child protection: 24")]
    # the new record reads and validates on its own, with what the row said
    text = (agis / "seminars" / "uk-seminar-2006-11.yaml").read_text(encoding="utf-8")
    rec = yaml.safe_load(text)
    assert rec["participants"] == {"total": 31, "by_country": {"UK": 31}}
    assert rec["objectives"] == [1, 2] and rec["title"] == NEW["title"]
    assert text.startswith("# yaml-language-server: $schema=")
    v = runner.invoke(app, ["validate", str(agis)])
    assert "uk-seminar-2006-11" not in v.stdout and "nl-seminar-2006-09" not in v.stdout


def test_an_unchanged_workbook_changes_nothing(agis: Path, tmp_path: Path) -> None:
    book = _export(agis, tmp_path / "e.xlsx")
    before = _snapshot(agis)
    r = _import(agis, book, "--yes")
    assert r.exit_code == 0, r.output
    assert "nothing to write" in r.stderr
    assert _snapshot(agis) == before


def test_nothing_is_written_without_a_yes(agis: Path, tmp_path: Path) -> None:
    book = _edit(_export(agis, tmp_path / "e.xlsx"),
                 lambda wb: _set(wb["Visits"], "visit-ee-to-nl", "title", "A new title"))
    before = _snapshot(agis)
    r = _import(agis, book, "--dry-run")
    # the title is given per language: the sheet's text is its first language's, and the
    # Dutch and Estonian stay as they are
    assert r.exit_code == 0 and "+  en: A new title" in r.stdout
    assert _snapshot(agis) == before
    r = _import(agis, book, input="n\n")
    assert r.exit_code == 1 and _snapshot(agis) == before
    r = _import(agis, book, input="y\n")
    assert r.exit_code == 0
    title = yaml.safe_load((agis / "visits" / "visit-ee-to-nl.yaml").read_text())["title"]
    assert title == {"en": "A new title",
                     "nl": "Studiebezoek van het Tartu Child Support Centre aan Nederland",
                     "et": "Organisatsiooni Tartu Child Support Centre õppevisiit Madalmaadesse"}


def test_comments_of_a_record_about_children_stay(agis: Path, tmp_path: Path) -> None:
    p = agis / "feedback" / "feedback-uk.yaml"
    old = p.read_text(encoding="utf-8")
    book = _edit(_export(agis, tmp_path / "e.xlsx"),
                 lambda wb: _set(wb["Feedback"], "feedback-uk", "young people", 9))
    r = _import(agis, book, "--yes")
    assert r.exit_code == 0, r.output
    new = p.read_text(encoding="utf-8")
    assert "# young_people: the summary gives no count" in new
    assert [line for line in old.splitlines() if line not in new.splitlines()] == []
    assert yaml.safe_load(new)["young_people"] == {"total": 9}


def test_a_removed_row_is_reported_and_deleted_only_when_asked(agis: Path,
                                                                tmp_path: Path) -> None:
    def change(wb: Any) -> None:
        wb["Visits"].delete_rows(_row_of(wb["Visits"], "visit-ee-to-nl"))
        # its breakdowns left behind on the Breakdowns sheet are no problem
        wb["Seminars"].delete_rows(_row_of(wb["Seminars"], "final-seminar-tartu"))

    book = _edit(_export(agis, tmp_path / "e.xlsx"), change)
    p = agis / "visits" / "visit-ee-to-nl.yaml"
    before = _snapshot(agis)
    r = _import(agis, book, "--yes")
    assert r.exit_code == 0, r.output
    assert _snapshot(agis) == before
    assert "visit-ee-to-nl.yaml: its row is gone from the Visits sheet" in r.stderr
    assert "final-seminar-tartu.yaml: its row is gone from the Seminars sheet" in r.stderr
    r = _import(agis, book, "--yes", "--delete")
    assert r.exit_code == 0, r.output
    assert not p.exists() and not (agis / "seminars" / "final-seminar-tartu.yaml").exists()
    assert set(before) - set(_snapshot(agis)) == {"visits/visit-ee-to-nl.yaml",
                                                  "seminars/final-seminar-tartu.yaml"}


def test_a_record_changed_since_the_export_is_not_overwritten(agis: Path,
                                                               tmp_path: Path) -> None:
    book = _edit(_export(agis, tmp_path / "e.xlsx"),
                 lambda wb: _set(wb["Visits"], "visit-ee-to-nl", "title", "From the sheet"))
    edit_yaml(agis / "visits" / "visit-ee-to-nl.yaml", lambda d: d.update(city="Zeist"))
    before = _snapshot(agis)
    r = _import(agis, book, "--yes")
    assert r.exit_code == 1
    assert "Visits!A" in r.stderr and "changed after this workbook was written" in r.stderr
    assert _snapshot(agis) == before


def test_a_numeric_id_and_text_that_yaml_would_misread_are_written_safely(
        agis: Path, tmp_path: Path) -> None:
    row = {**NEW, "id": 2006, "title": "Seminar: yes, no, 12, [x], {y}", "city": "Null"}

    def change(wb: Any) -> None:
        _add(wb["Seminars"], row)

    book = _edit(_export(agis, tmp_path / "e.xlsx"), change)
    r = _import(agis, book, "--yes")
    assert r.exit_code == 0, r.output
    rec = yaml.safe_load((agis / "seminars" / "2006.yaml").read_text(encoding="utf-8"))
    assert rec["id"] == "2006" and rec["title"] == row["title"] and rec["city"] == "Null"
    v = runner.invoke(app, ["validate", str(agis)])
    assert "2006.yaml" not in v.stdout


# --- what is refused: by sheet, row and column, nothing written, no traceback --------------


def _refused(agis: Path, book: Path, *where: str) -> str:
    before = _snapshot(agis)
    r = _import(agis, book, "--yes")
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    for w in where:
        assert w in r.stderr, (w, r.stderr)
    assert "nothing written" in r.stderr or "cepa: error:" in r.stderr
    assert _snapshot(agis) == before
    return r.stderr  # type: ignore[no-any-return]


def test_a_public_workbook_is_refused(agis: Path, tmp_path: Path) -> None:
    book = _export(agis, tmp_path / "public.xlsx", "--public")
    err = _refused(agis, book, "--public")
    assert "rounded" in err


def test_a_formula_is_flagged_not_worked_out(agis: Path, tmp_path: Path) -> None:
    book = _export(agis, tmp_path / "e.xlsx")
    at: dict[str, Any] = {}

    def change(wb: Any) -> None:
        ws = wb["Seminars"]
        at["row"] = _row_of(ws, "uk-seminar-2005-06")
        at["col"] = _heads(ws)["participants"]
        ws.cell(at["row"], at["col"], "=40+5")

    _edit(book, change)
    from openpyxl.utils import get_column_letter

    cell = f"e.xlsx:Seminars!{get_column_letter(at['col'])}{at['row']}: error:"
    err = _refused(agis, book, cell, "=40+5", "formula")
    assert "(formula-cell)" in err


def test_an_id_that_would_leave_the_folder_is_refused(agis: Path, tmp_path: Path) -> None:
    book = _edit(_export(agis, tmp_path / "e.xlsx"),
                 lambda wb: _add(wb["Seminars"], {**NEW, "id": "../x"}))
    _refused(agis, book, "e.xlsx:Seminars!A9: error: id: '../x' is not an id")
    assert not (agis / "x.yaml").exists() and not (agis.parent / "x.yaml").exists()


def test_a_name_column_on_a_sheet_about_children_is_refused(agis: Path, tmp_path: Path) -> None:
    def change(wb: Any) -> None:
        ws = wb["Outcomes"]
        col = ws.max_column + 1
        ws.cell(1, col, "Name")
        ws.cell(2, col, "A child's name")
        ws.cell(3, col + 2, "Another name, under no heading")

    book = _edit(_export(agis, tmp_path / "e.xlsx"), change)
    err = _refused(agis, book, "Outcomes!", "looks like a column of names", "(name-column)",
                   "a value in a column without a heading")
    assert "child's name" not in "".join(p.read_text() for p in agis.rglob("*.yaml"))
    assert err.count("error:") >= 1


def test_a_total_whose_breakdown_no_longer_adds_up_is_refused(agis: Path,
                                                               tmp_path: Path) -> None:
    book = _edit(_export(agis, tmp_path / "e.xlsx"),
                 lambda wb: _set(wb["Seminars"], "uk-seminar-2005-06", "participants", 50))
    _refused(agis, book, "e.xlsx:Seminars!", "by_sector adds up to 45, but participants.total "
             "is 50", "(breakdown-mismatch)")


def test_an_unknown_activity_is_refused_at_its_cell(agis: Path, tmp_path: Path) -> None:
    book = _edit(_export(agis, tmp_path / "e.xlsx"),
                 lambda wb: _add(wb["Seminars"], {**NEW, "activity": "Z"}))
    _refused(agis, book, "e.xlsx:Seminars!G9: error: activity 'Z' is not defined",
             "(unknown-reference)")


def test_a_workbook_cepa_did_not_write_is_refused(agis: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["id", "activity"])
    wb.save(tmp_path / "mine.xlsx")
    _refused(agis, tmp_path / "mine.xlsx", "not written by 'cepa export'")
    (tmp_path / "junk.xlsx").write_bytes(b"not a zip")
    _refused(agis, tmp_path / "junk.xlsx", "not a readable .xlsx workbook")


# --- the entry template ------------------------------------------------------------------


def _fill_template(book: Path) -> None:
    def change(wb: Any) -> None:
        _add(wb["Seminars"], {**NEW, "id": "seminar-101", "estimated": "total"})
        _add(wb["Feedback"], {"id": "feedback-101", "activity": "D", "objectives": 2,
                              "date": "2006-02", "country": "NL", "host": "Stade",
                              "young people": 8, "publishable": "no",
                              "title": "Feedback session in Amsterdam",
                              "themes": "Being believed; Safe places"})
        _add_breakdown(wb, ["feedback-101", "feedback", "by_age_band", "13-15", 3])
        _add_breakdown(wb, ["feedback-101", "feedback", "by_age_band", "16-17", 5])

    _edit(book, change)


def _check_template_records(agis: Path) -> None:
    sem = yaml.safe_load((agis / "seminars" / "seminar-101.yaml").read_text(encoding="utf-8"))
    assert sem["participants"] == {"total": 31, "estimated": ["total"]}
    fb = yaml.safe_load((agis / "feedback" / "feedback-101.yaml").read_text(encoding="utf-8"))
    assert fb["young_people"] == {"total": 8, "by_age_band": {"13-15": 3, "16-17": 5}}
    assert fb["themes"] == ["Being believed", "Safe places"] and fb["publishable"] is False
    v = runner.invoke(app, ["validate", str(agis)])
    assert "-101" not in v.stdout, v.stdout
    assert _summary(agis)["attendance"]["total"]["value"] == 302 + 31


def test_the_entry_template_has_lists_and_comments(agis: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = tmp_path / "entry.xlsx"
    r = runner.invoke(app, ["export", str(agis), "--template", "-o", str(book)])
    assert r.exit_code == 0, r.output
    wb = load_workbook(book)
    ws = wb["Seminars"]
    heads = _heads(ws)
    assert ws.max_row >= 1 and ws.cell(2, 1).value is None
    lists = wb["Lists"]
    columns = {c.value: [x.value for x in lists[c.column_letter][1:] if x.value is not None]
               for c in lists[1]}
    assert columns["activity:seminars"] == ["B", "F"]
    assert columns["objective"] == ["1", "2", "3", "4"]
    assert columns["organisation"] == ["barnardos", "stade", "tcsc", "transact"]
    assert columns["country"] == ["EE", "NL", "UK"]
    validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    letter = ws.cell(1, heads["activity"]).column_letter
    dv = validations[f"{letter}2"]
    assert dv.type == "list" and "Lists!" in dv.formula1 and dv.errorStyle == "stop"
    assert lists[dv.formula1.split("!$")[1].split("$")[0] + "1"].value == "activity:seminars"
    assert "participants" in ws.cell(1, heads["participants"]).comment.text
    assert "whole number" in ws.cell(1, heads["participants"]).comment.text
    assert "Read-only" in ws.cell(1, heads["file"]).comment.text
    # records about children: the lists never name their records
    assert not any(k.startswith(("records:feedback", "records:outcomes")) for k in columns)


def test_an_entry_template_filled_in_imports_as_new_records(agis: Path, tmp_path: Path) -> None:
    book = tmp_path / "entry.xlsx"
    assert runner.invoke(app, ["export", str(agis), "--template", "-o",
                               str(book)]).exit_code == 0
    _fill_template(book)
    r = _import(agis, book, "--yes")
    assert r.exit_code == 0, r.output
    _check_template_records(agis)
    # imported once: the same rows again would make duplicates, and are refused
    _refused(agis, book, "is already used by", "(id-taken)")


@pytest.mark.skipif(NO_LIBREOFFICE, reason="LibreOffice is not installed "
                                           "(CI installs it and never skips this)")
def test_a_template_saved_by_libreoffice_imports(agis: Path, tmp_path: Path) -> None:
    book = tmp_path / "entry.xlsx"
    assert runner.invoke(app, ["export", str(agis), "--template", "-o",
                               str(book)]).exit_code == 0
    _fill_template(book)
    out = tmp_path / "lo"
    r = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/p",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                        str(book)], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    r = _import(agis, out / "entry.xlsx", "--yes")
    assert r.exit_code == 0, r.output
    _check_template_records(agis)


@pytest.mark.skipif(NO_LIBREOFFICE, reason="LibreOffice is not installed "
                                           "(CI installs it and never skips this)")
def test_a_public_workbook_saved_by_libreoffice_is_still_refused(agis: Path,
                                                                  tmp_path: Path) -> None:
    book = _export(agis, tmp_path / "public.xlsx", "--public")
    out = tmp_path / "lo"
    r = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/p",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                        str(book)], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    _refused(agis, out / "public.xlsx", "--public")


def test_a_new_kind_of_project_round_trips(tmp_path: Path) -> None:
    """A project that is not the model case: no visits or interviews, records about
    children with age bands; its export reads back without a change."""
    from tests.projects import YOUTH_NET

    root = build_tree(tmp_path / "youth", YOUTH_NET)
    book = _export(root, tmp_path / "y.xlsx")
    before = _snapshot(root)
    r = _import(root, book, "--yes")
    assert r.exit_code == 0 and "nothing to write" in r.stderr, r.output
    assert _snapshot(root) == before
    shutil.rmtree(root / ".cepa-cache", ignore_errors=True)


def test_help_has_examples_and_template_options_are_checked(agis: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["import", "records", "--help"])
    assert r.exit_code == 0 and "Example" in r.stdout and "cepa import records" in r.stdout
    r = runner.invoke(app, ["export", str(agis), "--template", "--public", "-o",
                            str(tmp_path / "t.xlsx")])
    assert r.exit_code == 2 and not (tmp_path / "t.xlsx").exists()
    r = _import(agis, tmp_path / "missing.xlsx")
    assert r.exit_code == 2 and "does not exist" in r.stderr
