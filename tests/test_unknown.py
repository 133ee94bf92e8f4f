"""Unknown is a value: a count, a place, a convenor, a mode, a date or the objectives of a
record can be written 'unknown'; every output says 'not recorded', a total over unknown
parts is 'at least N', an activity that happened with nothing recorded is never 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from cepa.records.workspace import display
from tests.conftest import build_tree

runner = CliRunner()

PROJECT = """\
code: DAPHNE/2005/002
title: Unknowns
programme: Daphne
period: {start: 2005-01, end: 2006-12}
partners:
  - {id: p1, name: Partner One, country: DE, type: NGO, role: lead}
objectives:
  - {id: 1, short: Reach, text: Reach professionals}
activities:
  - {id: 1, title: Network meetings, kind: events, objectives: [1]}
  - {id: 2, title: Press conference, kind: events, objectives: [1], status: implemented}
  - {id: 3, title: Final report, kind: outputs, objectives: [1]}
"""

CLAIM = """\
claims:
  - text: The meetings had 60 participants
    quantity: {measure: event_participants, where: {activity: 1}}
    value: 60
"""

MEETING = """\
id: {id}
activity: 1
objectives: {objectives}
title: Network meeting
type: meeting
mode: {mode}
date: {date}
{venue}convenor: {convenor}
participants: {{total: {total}{note}}}
"""


def meeting(id: str = "m1", total: str = "25", mode: str = "in person",
            venue: str = "city: Berlin\ncountry: DE\n", date: str = "2005-05",
            convenor: str = "p1", objectives: str = "[1]", note: str = "") -> str:
    return MEETING.format(id=id, total=total, mode=mode, venue=venue, date=date,
                          convenor=convenor, objectives=objectives, note=note)


REPORT = ("id: final\nactivity: 3\nobjectives: [1]\ntitle: Final report\ntype: report\n"
          "date: {date}\npartners: [p1]\nlanguages: [en]\n")


def project(tmp: Path, files: dict[str, str], claim: bool = False) -> Path:
    return build_tree(tmp / "p", {"cepa-project.yaml": PROJECT + (CLAIM if claim else ""),
                                  **files})


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def summary(root: Path) -> dict:  # type: ignore[type-arg]
    code, out, err = run("summarize", str(root), "-f", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def unknowns(tmp_path: Path) -> Path:
    return project(tmp_path, {
        "events/m1.yaml": meeting(),
        "events/m2.yaml": meeting("m2", total="unknown",
                                  note=", note: the sign-in sheet was lost"),
        "events/m3.yaml": meeting("m3", total="null", mode="unknown", venue="",
                                  date="unknown", convenor="unknown", objectives="unknown"),
        "events/m4.yaml": meeting("m4", venue="city: unknown\ncountry: unknown\n"),
        "outputs/final.yaml": REPORT.format(date="unknown"),
    }, claim=True)


def test_unknown_values_validate_and_final_lists_them(unknowns: Path) -> None:
    code, out, _ = run("validate", str(unknowns))
    # the press conference says it was implemented, and no record belongs to it
    assert code == 0 and out.splitlines() == [
        f"{display(unknowns / 'cepa-project.yaml')}:11:69: warning: activity 2 is "
        "implemented, but no record belongs to it; add its records (cepa new event), or "
        "correct its status (activity-unrecorded)"], out
    code, out, _ = run("validate", str(unknowns), "--final")
    assert code == 0
    found = [x for x in out.splitlines() if "(not-recorded)" in x]
    assert any("m2.yaml" in x and "participants.total is not known" in x for x in found)
    assert any("m3.yaml" in x and "convenor is not known" in x for x in found)
    assert any("m3.yaml" in x and "date is not known" in x for x in found)
    assert any("m3.yaml" in x and "names no objective" in x for x in found)
    assert any("m4.yaml" in x and "city is not known" in x for x in found)
    assert any("final.yaml" in x and "date is not known" in x for x in found)


def test_totals_over_unknown_parts_are_at_least(unknowns: Path) -> None:
    s = summary(unknowns)
    events = s["events"]
    # 25 + unknown + unknown + 25
    assert events["participants"]["value"] == 50 and events["participants"]["unrecorded"] == 2
    rows = {r["id"]: r for r in events["rows"]}
    assert rows["m2"]["count"]["value"] is None and rows["m3"]["count"]["value"] is None
    assert rows["m3"]["place"] == {"city": None, "country": None, "mode": "unknown"}
    assert rows["m3"]["partners"] == []
    assert rows["m4"]["place"]["country"] is None
    # at least 50: "= 60" cannot be checked, neither holds nor is contradicted
    assert s["claims"][0]["status"] == "unknown"
    assert s["attendance"]["by_country"]["(not recorded)"]["value"] == 25
    _, table, _ = run("summarize", str(unknowns))
    assert "at least 50" in table and "not recorded" in table


def test_a_claim_on_unknown_parts_cannot_be_checked(tmp_path: Path) -> None:
    root = project(tmp_path, {"events/m1.yaml": meeting(total="70"),
                              "events/m2.yaml": meeting("m2", total="unknown")}, claim=True)
    s = summary(root)
    assert s["claims"][0]["status"] == "contradicted"  # at least 70: never 60
    (root / "events" / "m1.yaml").write_text(meeting(total="20"))
    s = summary(root)
    assert s["claims"][0]["status"] == "unknown"  # at least 20: 60 may hold
    code, out, _ = run("validate", str(root))
    assert code == 0 and "(claim-" not in out


def test_an_activity_that_happened_with_nothing_recorded_is_not_zero(unknowns: Path,
                                                                     tmp_path: Path) -> None:
    import docx

    s = summary(unknowns)
    press = next(a for a in s["activities"] if a["id"] == "2")
    assert press["status"] == "implemented" and press["people"]["value"] is None
    row = next(a for a in s["planned"]["implemented"] if a["id"] == "2")
    assert row["held"]["value"] is None and row["participants"]["value"] is None
    out = tmp_path / "r.docx"
    assert run("report", str(unknowns), "-o", str(out))[0] == 0
    d = docx.Document(str(out))
    planned = next(t for t in d.tables if t.rows[0].cells[0].text == "activity"
                   and "2: Press conference" in [r.cells[0].text for r in t.rows])
    press_row = next(r for r in planned.rows if r.cells[0].text == "2: Press conference")
    assert [c.text for c in press_row.cells][2:] == ["not recorded", "not recorded"]
    text = "\n".join(p.text for p in d.paragraphs)
    assert "who took part, and how many, is not recorded" in text


def test_an_output_after_the_end_is_a_warning_a_meeting_an_error(tmp_path: Path) -> None:
    root = project(tmp_path, {"events/m1.yaml": meeting(),
                              "outputs/final.yaml": REPORT.format(date="2007-03")})
    code, out, _ = run("validate", str(root))
    assert code == 0 and "date-after-period" in out and ": warning:" in out
    s = summary(root)
    assert [r["id"] for r in s["outputs"]["rows"]] == ["final"]  # in the whole project
    (root / "events" / "m2.yaml").write_text(meeting("m2", date="2007-03"))
    code, out, _ = run("validate", str(root))
    assert code == 1 and "m2.yaml" in out and "date-outside-period" in out


def test_a_project_with_only_its_project_file(tmp_path: Path) -> None:
    import docx

    root = project(tmp_path, {})
    assert run("validate", str(root))[0] == 0
    s = summary(root)
    press = next(a for a in s["activities"] if a["id"] == "2")
    assert press["people"]["value"] is None  # implemented, nothing recorded: not 0
    for fmt, name in (("xlsx", "e.xlsx"), ("csv", "e-csv"), ("json", "e.json")):
        code, _, err = run("export", str(root), "-f", fmt, "-o", str(tmp_path / name))
        assert code == 0, err
    out = tmp_path / "r.docx"
    assert run("report", str(root), "-o", str(out))[0] == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "No gathering has been recorded." in text
    assert " 0 participants" not in text and "0 gatherings" not in text


def test_new_refuses_a_kind_the_project_has_no_activity_for(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    code, _, err = run("new", "visit", "-p", str(root))
    assert code == 1 and "no activity of kind visits" in err
    code, out, err = run("new", "output", "-p", str(root))
    assert code == 0, err
    assert "activity: 3" in Path(out.strip()).read_text()


# --- what a new user met recording three real projects -------------------------------------


def _named(tmp: Path, folder: str, code: str, files: dict[str, str] | None = None) -> Path:
    return build_tree(tmp / folder, {
        "cepa-project.yaml": PROJECT.replace("DAPHNE/2005/002", code), **(files or {})})


def test_a_roll_up_names_projects_without_a_code_by_their_folder(tmp_path: Path) -> None:
    a = _named(tmp_path, "lyon", "unknown", {"events/m1.yaml": meeting(total="10")})
    b = _named(tmp_path, "porto", "unknown", {"events/m1.yaml": meeting(total="20")})
    c = _named(tmp_path, "agis", "JAI/2004/AGIS/143", {"events/m1.yaml": meeting(total="5")})
    code, out, err = run("summarize", str(a), str(b), str(c), "-f", "json")
    assert code == 0, err
    row = json.loads(out)["rollup"]["event_participants"]
    # each project its own column, and the parts add up to the total: 10 + 20 + 5
    assert {k: v["value"] for k, v in row.items()} == {"lyon": 10, "porto": 20,
                                                       "JAI/2004/AGIS/143": 5, "total": 35}
    code, out, _ = run("summarize", str(a), str(b), "--by", "country", "-f", "csv")
    assert code == 0 and "lyon" in out and "porto" in out
    # the same project twice would be counted twice: refused
    code, _, err = run("summarize", str(a), str(tmp_path / "lyon" / "."))
    assert code == 2 and "is given twice" in err


def test_a_partner_whose_name_is_unknown_is_named_by_its_country(tmp_path: Path) -> None:
    import docx

    root = build_tree(tmp_path / "p", {
        "cepa-project.yaml": PROJECT.replace("name: Partner One", "name: unknown"),
        "events/m1.yaml": meeting(total="unknown", venue="city: unknown\ncountry: DE\n")})
    out = tmp_path / "r.docx"
    code, _, err = run("report", str(root), "-o", str(out))
    assert code == 0, err
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "The project was led by the partner in Germany." in text
    assert "convened by the partner in Germany" in text
    assert "convened by unknown" not in text and "convened by not recorded" not in text
    # a place that is not known is left out, not written 'not recorded, not recorded'
    assert '"Network meeting" (Germany, May 2005) was convened' in text


def test_the_chart_never_says_online_for_a_place_not_known(tmp_path: Path) -> None:
    from cepa.document.charts import attendance_charts
    from cepa.document.tables import Names
    from cepa.evidence.summary import summarize
    from cepa.records.workspace import load

    root = project(tmp_path, {
        "events/m1.yaml": meeting(),
        "events/m2.yaml": meeting("m2", venue="city: unknown\ncountry: DE\n"),
        "events/m3.yaml": meeting("m3", mode="unknown", venue="", date="unknown"),
        "events/m4.yaml": meeting("m4", mode="online", venue="")})
    s = summarize(load(root))
    chart = next(c for c in attendance_charts(s, Names.of(s.project, s.countries))
                 if c.key == "gatherings")
    labels = sorted(b.label for b in chart.bars)
    assert labels == sorted(["May 2005, Berlin", "May 2005, Germany", "Network meeting",
                             "May 2005, online"])


def test_records_without_a_count_are_not_broken_down_and_never_zero(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "events/m1.yaml": meeting(total="20").replace(
            "participants: {total: 20", "participants: {total: 20, by_function: {teachers: 20}"),
        "events/m2.yaml": meeting("m2", total="unknown")})
    code, out, err = run("summarize", str(root), "--by", "function", "-f", "json")
    assert code == 0, err
    cells = json.loads(out)["figures"]
    assert cells["teachers"]["value"] == 20
    assert cells["(not broken down)"]["value"] is None  # m2: not recorded, not 0
    only_unknown = project(tmp_path / "b", {"events/m2.yaml": meeting("m2", total="unknown")})
    code, out, _ = run("summarize", str(only_unknown), "--by", "function")
    assert code == 0 and "(not broken down)  not recorded" in out


def test_the_workbook_and_csv_keep_at_least(unknowns: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    code, out, _ = run("summarize", str(unknowns), "-f", "csv")
    assert code == 0
    row = next(r for r in out.splitlines() if r.startswith("overview,Event participants,"))
    assert row.endswith(",50,,at least 50")  # 25 + 25 known, two not recorded
    book = tmp_path / "e.xlsx"
    assert run("export", str(unknowns), "-o", str(book))[0] == 0
    ws = load_workbook(book)["Summary"]
    cell = next(c for r in ws.iter_rows() for c in r
                if c.value == 50 and ws.cell(c.row, 1).value == "Event participants")
    assert cell.number_format.startswith('"at least "')


def test_a_primary_participants_figure_no_partner_gives_is_not_recorded(
        unknowns: Path, tmp_path: Path) -> None:
    other = _named(tmp_path, "other", "OTHER/1")
    code, out, err = run("summarize", str(unknowns), str(other), "-f", "json")
    assert code == 0, err
    assert json.loads(out)["rollup"]["primary_participants"]["OTHER/1"]["value"] is None


def test_a_year_alone_is_a_date(tmp_path: Path) -> None:
    root = project(tmp_path, {"events/m1.yaml": meeting(date="2006")})
    code, out, _ = run("validate", str(root))
    assert code == 0, out
    s = summary(root)
    assert s["events"]["rows"][0]["start"] == "2006-01-01"
    assert s["events"]["rows"][0]["end"] == "2006-12-31"


@pytest.mark.parametrize(("change", "message"), [
    (("country: DE", "country: Spain"), "country is 'Spain'; write its two-letter code, ES"),
    (("total: 25", "total: not known"),
     "should be a whole number, not 'not known' (write the number without quotes, or unknown "
     "when it is not known)"),
    (("total: 25", "total: 25, by_age_band: {13-15: 25}"),
     "'by_age_band' is not a field of participants in an event record; other kinds of record "
     "have it, this one does not"),
    (("total: 25", "total: 25, estimated: [by_sector]"),
     "estimated names 'by_sector', but the count gives no by_sector"),
])
def test_messages_a_new_user_can_act_on(tmp_path: Path, change: tuple[str, str],
                                        message: str) -> None:
    root = project(tmp_path, {"events/m1.yaml": meeting().replace(*change)})
    code, out, _ = run("validate", str(root))
    assert code == 1 and message in out, out


def test_a_gathering_can_give_its_participants_by_gender(tmp_path: Path) -> None:
    root = project(tmp_path, {"events/m1.yaml": meeting(total="18").replace(
        "total: 18", "total: 18, by_gender: {women: 14, men: 4}")})
    code, out, _ = run("validate", str(root))
    assert code == 0, out
    code, out, _ = run("summarize", str(root), "--by", "gender", "-f", "json")
    cells = json.loads(out)["figures"]
    assert cells["women"]["value"] == 14 and cells["men"]["value"] == 4
