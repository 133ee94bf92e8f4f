"""Graded estimates: how each figure was obtained, the mark each grade carries in every
output, and claims that hold only on estimates (tests/projects.py HELLAS, by hand)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import RECORDS, build_tree
from tests.projects import HELLAS

runner = CliRunner()


@pytest.fixture
def hellas(tmp_path: Path) -> Path:
    return build_tree(tmp_path / "hellas", HELLAS)


def _summary(root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    r = runner.invoke(app, ["summarize", str(root), "-f", "json", *args])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_the_shipped_estimates_are_shares_of_known_totals() -> None:
    s = _summary(RECORDS)
    rows = {r["id"]: r for r in s["seminars"]["rows"]}
    # 45 is the records' split of the 127 the summary gives for three UK seminars; the Tartu
    # 64 is the summary's own figure
    assert rows["uk-seminar-2005-06"]["count"]["grade"] == "split"
    assert rows["uk-seminar-2005-06"]["count"]["estimates"] == ["uk-seminar-2005-06"]
    assert rows["final-seminar-tartu"]["count"]["grade"] == "exact"
    # a sum over the whole of two known totals and the Tartu count: exact
    assert s["attendance"]["total"] == {**s["attendance"]["total"], "value": 302,
                                        "grade": "exact", "estimated": False}
    # the facts the summary does not give are marked assumed where they stand
    assert rows["final-seminar-tartu"]["basis"] == {"convenor": "assumed"}
    visits = {r["id"]: r["basis"] for r in s["visits"]["rows"]}
    assert visits["visit-uk-to-ee"] == {"hosts": "assumed"}
    assert visits["visit-ee-to-uk"] == {}  # the summary names the UK hosts
    text = runner.invoke(app, ["summarize", str(RECORDS)]).stdout
    assert re.search(r"^final-seminar-tartu .*Tartu Child Support Centre, Barnardo's, Stade ~ ",
                     text, re.M)
    assert re.search(r"^visit-uk-to-ee .*\(Tallinn\) ~$", text, re.M)
    assert "~ assumed: the source does not say; a stand-in is given." in text


def test_every_grade_has_its_grade_and_mark(hellas: Path) -> None:
    s = _summary(hellas)
    rows = {r["id"]: r["count"] for r in s["events"]["rows"]}
    assert {k: v["grade"] for k, v in rows.items()} == {
        "t-athens": "exact", "t-london": "unsourced", "t-thess": "estimated"}
    # 30 + 20 + 60, as good as its weakest part: an estimate nobody sourced
    total = s["events"]["participants"]
    assert (total["value"], total["grade"], total["estimates"]) == (
        110, "unsourced", ["t-london", "t-thess"])
    # where held: GR 30 (exact) + 60 (sourced estimate); GB 20 (unsourced)
    by_country = s["attendance"]["by_country"]
    assert (by_country["GR"]["value"], by_country["GR"]["grade"]) == (90, "estimated")
    assert (by_country["GB"]["value"], by_country["GB"]["grade"]) == (20, "unsourced")
    # the leaflet's date is assumed
    outputs = {r["id"]: r["basis"] for r in s["outputs"]["rows"]}
    assert outputs == {"guide": {}, "leaflet": {"date": "assumed"}}
    r = runner.invoke(app, ["summarize", str(hellas)])
    text = r.stdout
    assert " 20?" in text and " 60≈" in text and "110?" in text
    assert re.search(r"^t-athens .* 30$", text, re.M)  # counted: no mark
    assert "? estimated, with no source given: the organisers' recollection." in text
    assert "≈ estimated: the sign-in sheet of the first of two days." in text


def test_a_claim_that_holds_only_on_estimates_names_them(hellas: Path) -> None:
    claims = {c["id"]: c for c in _summary(hellas)["claims"]}
    # over 100 trained: 110 holds, but only on London's guess and Thessaloniki's estimate
    assert claims["trained"]["status"] == "holds on estimates"
    assert claims["trained"]["estimates"] == ["t-london", "t-thess"]
    # 50 in the first year: 30 counted + 20 guessed
    assert claims["trained-2019"]["status"] == "holds on estimates"
    assert claims["trained-2019"]["estimates"] == ["t-london"]
    r = runner.invoke(app, ["summarize", str(hellas)])
    assert "consistent, on estimates: t-london, t-thess" in r.stdout
    # validate does not call it an error: it is consistent
    r = runner.invoke(app, ["validate", str(hellas)])
    assert "claim-" not in r.stdout


def test_the_old_estimated_list_is_read_as_a_grade(tmp_path: Path) -> None:
    """estimated: [total] of a record in no known total and naming no source: unsourced;
    with sources: estimated; in a known total: split."""
    files = dict(HELLAS)
    files["events/t-london.yaml"] = files["events/t-london.yaml"].replace(
        "participants: {total: 20, basis: {total: estimated}, note: the organisers' "
        "recollection}", "participants: {total: 20, estimated: [total]}")
    root = build_tree(tmp_path / "h", files)
    rows = {r["id"]: r["count"] for r in _summary(root)["events"]["rows"]}
    assert rows["t-london"]["grade"] == "unsourced"
    p = root / "events" / "t-london.yaml"
    p.write_text(p.read_text() + "sources: [sign-in sheet, page 1]\n")
    rows = {r["id"]: r["count"] for r in _summary(root)["events"]["rows"]}
    assert rows["t-london"]["grade"] == "estimated"


def test_the_workbook_marks_each_grade(hellas: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "e.xlsx"
    assert runner.invoke(app, ["export", str(hellas), "-o", str(out)]).exit_code == 0
    ws = load_workbook(out)["Events"]
    heads = {c.value: c.column for c in ws[1]}
    formats = {ws.cell(r, 1).value: ws.cell(r, heads["participants"]).number_format
               for r in range(2, 5)}
    assert formats["t-london"] == '#,##0"?"' and formats["t-thess"] == '#,##0"≈"'
    assert '"' not in formats["t-athens"]  # counted: no mark


@pytest.mark.parametrize(("path", "change", "said"), [
    ("outputs/leaflet.yaml", ("basis: {date: assumed}", "basis: {colour: assumed}"),
     "basis.colour: a output record has no fact 'colour'"),
    ("events/t-athens.yaml", ("convenor: hellas", "convenor: hellas\nbasis: {participants: "
                                                  "estimated}"),
     "basis.participants: say how the count was obtained in its own basis"),
    ("outputs/leaflet.yaml", ("basis: {date: assumed}", "basis: {date: split}"),
     "basis.date: only a count can be a split of a known total"),
    ("events/t-athens.yaml", ("{total: 30,", "{total: 30, basis: {total: split},"),
     "participants.basis.total says split, but no known total in the project file lists "
     "'t-athens'"),
    ("events/t-athens.yaml", ("{total: 30,", "{total: 30, basis: {total: {how: split, of: "
                                             "greece}},"),
     "participants.basis.total: no known total 'greece' in the project file"),
])
def test_a_basis_that_cannot_be_is_an_error(hellas: Path, path: str, change: tuple[str, str],
                                           said: str) -> None:
    p = hellas / path
    text = p.read_text()
    assert change[0] in text
    p.write_text(text.replace(*change))
    r = runner.invoke(app, ["validate", str(hellas)])
    assert r.exit_code == 1
    line = next(x for x in r.stdout.splitlines() if "(invalid-basis)" in x)
    assert said in line and f"{path}:" in line


def test_a_split_of_a_known_total_that_lists_the_record(tmp_path: Path) -> None:
    files = dict(HELLAS)
    files["cepa-project.yaml"] += (
        "known_totals:\n  - {id: greece, text: 90 trained in Greece, records: [t-athens, "
        "t-thess], total: 90}\n")
    files["events/t-thess.yaml"] = files["events/t-thess.yaml"].replace(
        "basis: {total: {how: estimated, source: the sign-in sheet of the first of two days}}",
        "basis: {total: {how: split, of: greece}}")
    root = build_tree(tmp_path / "h", files)
    assert "invalid-basis" not in runner.invoke(app, ["validate", str(root)]).stdout
    s = _summary(root)
    assert {r["id"]: r["count"]["grade"] for r in s["events"]["rows"]}["t-thess"] == "split"
    # Greece's 90 is the known total itself: exact
    assert s["attendance"]["by_country"]["GR"]["grade"] == "exact"
