"""cepa init and cepa new: what a new user does, step by step, as the README says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cepa.cli import app
from cepa.intake import scaffold

runner = CliRunner()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_new_user_init_new_edit_validate(in_tmp: Path) -> None:
    r = runner.invoke(app, ["init", "my-project"])
    assert r.exit_code == 0, r.output
    root = in_tmp / "my-project"
    assert (root / "cepa-project.yaml").read_text().startswith("# yaml-language-server")
    assert ".cepa-secret" in (root / ".gitignore").read_text()
    assert (root / "schemas" / "seminar.json").is_file()
    for kind in ("visits", "seminars", "interviews", "feedback", "outcomes"):
        assert (root / kind).is_dir()
    os.chdir(root / "seminars")  # cepa new finds the project from any folder inside it
    r = runner.invoke(app, ["new", "seminar"])
    assert r.exit_code == 0, r.output
    path = Path.cwd() / r.stdout.strip()
    assert path.name == "seminar-001.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/seminar.json\n")
    for field in ("co_organisers", "by_organisation", "by_country", "by_sector", "estimated",
                  "notes", "sources"):
        assert f"# {field}:" in text, field
    # fill in the fields as the comments say
    year = date.today().year
    # what cepa cannot know starts as unknown, never as a guess
    for field in ("date", "city", "country", "convenor"):
        assert re.search(rf"^{field}: unknown ", text, re.M), field
    assert re.search(r"^  total: unknown ", text, re.M)
    text = (text.replace("Title of the seminar", "First expert seminar")
                .replace("date: unknown", f"date: {year}-03-14")
                .replace("city: unknown", "city: Leeds")
                .replace("country: unknown", "country: UK")
                .replace("  total: unknown", "  total: 25")
                .replace("  # by_country: {UK: 15}", "  by_country: {UK: 20, NL: 5}"))
    path.write_text(text, encoding="utf-8")
    os.chdir(root)
    r = runner.invoke(app, ["validate"])
    assert r.exit_code == 0, r.output
    assert "0 error(s)" in r.output
    rec = yaml.safe_load(path.read_text())
    assert rec["participants"] == {"total": 25, "by_country": {"UK": 20, "NL": 5}}
    r = runner.invoke(app, ["new", "seminar"])
    assert r.stdout.strip().endswith("seminar-002.yaml")


def test_every_kind_validates_as_written(in_tmp: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    for kind in ("visit", "seminar", "interview", "feedback", "outcome"):
        r = runner.invoke(app, ["new", kind])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["validate"])
    assert r.exit_code == 0, r.output


def test_init_refuses_an_existing_project(in_tmp: Path) -> None:
    assert runner.invoke(app, ["init", "p"]).exit_code == 0
    before = (in_tmp / "p" / "cepa-project.yaml").read_text()
    r = runner.invoke(app, ["init", "p"])
    assert r.exit_code == 1 and "already holds a project" in r.output
    r = runner.invoke(app, ["init", "p/seminars"])
    assert r.exit_code == 1 and "inside the project" in r.output
    assert (in_tmp / "p" / "cepa-project.yaml").read_text() == before


def test_new_outside_a_project_and_unknown_kind(in_tmp: Path) -> None:
    r = runner.invoke(app, ["new", "seminar"])
    assert r.exit_code == 2 and "cepa init" in r.output
    runner.invoke(app, ["init"])
    r = runner.invoke(app, ["new", "banana"])
    assert r.exit_code == 2 and "seminar" in r.output


def test_next_id_follows_existing_ids(tmp_path: Path) -> None:
    (tmp_path / "visits").mkdir()
    (tmp_path / "visits" / "visit-007.yaml").write_text("")
    assert scaffold.next_id(tmp_path, "visits", {"visit-002"}) == "visit-008"
    assert scaffold.next_id(tmp_path, "outcomes", set()) == "outcome-001"


def test_new_in_the_shipped_project_uses_its_activities(agis: Path) -> None:
    r = runner.invoke(app, ["new", "outcome", "--project", str(agis)])
    assert r.exit_code == 0, r.output
    rec = yaml.safe_load((agis / "outcomes" / "outcome-001.yaml").read_text())
    # the activity is the project's; who ran it is not guessed
    assert rec["activity"] == "E" and rec["partner"] == "unknown"


def test_help_has_an_example_for_every_command() -> None:
    for cmd in (["init"], ["new"], ["export"], ["import", "attendance"], ["validate"],
                ["summarize"], ["coverage"]):
        r = runner.invoke(app, [*cmd, "--help"])
        assert r.exit_code == 0
        assert "Example" in r.output, cmd
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and "cepa" in r.output


def test_init_in_a_subprocess(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "cepa", "init", "fresh"], cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(Path("fresh") / "cepa-project.yaml")


@pytest.mark.parametrize("where", ["init", "shipped"])
def test_the_editor_schema_line_points_at_a_schema_that_exists(in_tmp: Path, agis: Path,
                                                               where: str) -> None:
    import json

    if where == "init":
        assert runner.invoke(app, ["init", "p"]).exit_code == 0
        os.chdir(in_tmp / "p")
    else:
        (agis.parent / "schemas").mkdir()
        assert runner.invoke(app, ["schema", "all", "--write", str(agis.parent / "schemas")]
                             ).exit_code == 0
        os.chdir(agis)
    r = runner.invoke(app, ["new", "seminar"])
    path = Path(r.stdout.strip())
    first = path.read_text().splitlines()[0]
    ref = first.split("$schema=", 1)[1]
    schema = (path.parent / ref).resolve()
    assert json.loads(schema.read_text())["title"] == "cepa seminar record"


def test_placeholders_are_warned_until_replaced(in_tmp: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    path = Path(runner.invoke(app, ["new", "seminar"]).stdout.strip())
    r = runner.invoke(app, ["validate", "--format", "json"])
    import json

    found = {(Path(p["path"]).name, p["message"].split(" is still")[0])
             for p in json.loads(r.stdout)["problems"] if p["code"] == "placeholder"}
    assert r.exit_code == 0  # warnings only
    assert {("seminar-001.yaml", "title"), ("cepa-project.yaml", "title"),
            ("cepa-project.yaml", "partners.0.name")} <= found
    path.write_text(path.read_text().replace("Title of the seminar", "Expert seminar"))
    r = runner.invoke(app, ["validate", "--format", "json"])
    assert not [p for p in json.loads(r.stdout)["problems"]
                if p["code"] == "placeholder" and "seminar-001" in p["path"]]
