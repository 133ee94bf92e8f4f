"""Unknown is a value: a count, a place, a convenor, a mode, a date or the objectives of a
record can be written 'unknown'; every output says 'not recorded', a total over unknown
parts is 'at least N', an activity that happened with nothing recorded is never 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
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
        f"{unknowns / 'cepa-project.yaml'}:11:69: warning: activity 2 is implemented, but no "
        "record belongs to it; add its records (cepa new event), or correct its status "
        "(activity-unrecorded)"], out
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
