"""Projects of other shapes than the model one: every command works and says what is so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import RECORDS, build_tree

runner = CliRunner()

HEAD = """\
code: {code}
title: A project
programme: A programme
period: {{start: 2022-01, end: 2022-12}}
partners:
  - {{id: p1, name: Partner One, country: DE, type: NGO, role: lead}}
objectives:
  - {{id: 1, short: Skills, text: Give staff skills}}
activities:
{activities}
"""


def project(tmp: Path, code: str, activities: str, files: dict[str, str]) -> Path:
    return build_tree(tmp / code.replace("/", "-"),
                      {"cepa-project.yaml": HEAD.format(code=code, activities=activities),
                       **files})


def seminar(i: int, n: int) -> str:
    return (f"id: s{i}\nactivity: 1\nobjectives: [1]\ntitle: Seminar {i}\ndate: 2022-0{i}\n"
            f"city: Berlin\ncountry: DE\nconvenor: p1\nparticipants: {{total: {n}}}\n")


EVENT = ("id: e1\nactivity: 2\nobjectives: [1]\ntitle: Training\ntype: training\n"
         "mode: online\ndate: 2022-09\nconvenor: p1\nparticipants: {total: 20}\n")

OUTPUT = ("id: o1\nactivity: 1\nobjectives: [1]\ntitle: Toolkit\ntype: toolkit\n"
          "date: 2022-11\npartners: [p1]\nlanguages: [en, de]\n")


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    files = {f"seminars/s{i}.yaml": seminar(i, 10 * i) for i in range(1, 8)}
    files["events/e1.yaml"] = EVENT
    return project(tmp_path, "MIX/1",
                   "  - {id: 1, title: Seminars, kind: seminars, objectives: [1]}\n"
                   "  - {id: 2, title: Training, kind: events, objectives: [1]}", files)


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_seven_seminars_and_an_event_are_eight_gatherings(mixed: Path, tmp_path: Path) -> None:
    import docx

    s = json.loads(run("summarize", str(mixed), "-f", "json")[1])
    # 10 + 20 + ... + 70 = 280 at the seminars, 20 at the training
    assert s["attendance"]["gatherings"]["value"] == 8
    assert s["attendance"]["total"]["value"] == 300
    assert s["seminars"]["participants"]["value"] == 280
    assert s["events"]["participants"]["value"] == 20
    out = tmp_path / "r.docx"
    assert run("report", str(mixed), "-o", str(out))[0] == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "8 gatherings were held, with 300 participants in all." in text
    _, table, _ = run("summarize", str(mixed))
    overview = table.split("\n\n")[1]
    assert "Seminar participants" in overview and "Event participants" in overview
    assert "Participants at all gatherings" in overview


def test_the_roll_up_keeps_events_apart_from_seminars(mixed: Path) -> None:
    code, out, err = run("summarize", str(RECORDS), str(mixed), "-f", "json")
    assert code == 0, err
    roll = json.loads(out)["rollup"]
    assert roll["seminar_participants"]["MIX/1"]["value"] == 280
    assert roll["seminar_participants"]["JAI/2004/AGIS/143"]["value"] == 302
    assert roll["seminar_participants"]["total"]["value"] == 582
    assert roll["event_participants"]["MIX/1"]["value"] == 20
    assert roll["event_participants"]["JAI/2004/AGIS/143"]["value"] == 0
    assert roll["seminars"]["total"]["value"] == 14 and roll["events"]["total"]["value"] == 1
    _, table, _ = run("summarize", str(RECORDS), str(mixed))
    assert "Seminar participants" in table and "Event participants" in table


@pytest.mark.parametrize("files", [{"outputs/o1.yaml": OUTPUT}, {}],
                         ids=["outputs only", "no records"])
def test_a_project_of_outputs_or_of_nothing_yet(tmp_path: Path, files: dict[str, str]) -> None:
    root = project(tmp_path, "OUT/1",
                   "  - {id: 1, title: Toolkit, kind: outputs, objectives: [1]}", files)
    for fmt, name in (("xlsx", "e.xlsx"), ("csv", "e-csv"), ("json", "e.json")):
        code, _, err = run("export", str(root), "-f", fmt, "-o", str(tmp_path / name))
        assert code == 0, err
        code, _, err = run("export", str(root), "-f", fmt, "--public", "-o",
                           str(tmp_path / f"public-{name}"))
        assert code == 0, err
    code, _, err = run("report", str(root), "-o", str(tmp_path / "r.docx"))
    assert code == 0, err
    code, out, err = run("summarize", str(root))
    assert code == 0, err
    assert "Outputs" in out
    data = json.loads((tmp_path / "e.json").read_text())
    assert ("Outputs" in data) == bool(files)
