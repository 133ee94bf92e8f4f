"""cepa coverage: the matrix, its gaps, --strict and --explain."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import RECORDS, edit_yaml

runner = CliRunner()


def test_all_four_objectives_covered() -> None:
    r = runner.invoke(app, ["coverage", str(RECORDS), "--format", "json", "--strict"])
    assert r.exit_code == 0
    cov = json.loads(r.stdout)
    assert [o["status"] for o in cov["objectives"]] == ["covered"] * 4
    o2 = cov["objectives"][1]
    assert o2["cells"]["E"]["records"] == 10 and o2["cells"]["E"]["people"]["value"] == 226
    assert set(o2["kinds"]) == {"visits", "seminars", "interviews", "feedback", "outcomes",
                                "outputs"}


def test_removing_objective_3_fails_strict_and_names_it(agis: Path) -> None:
    for p in agis.glob("*/*.yaml"):
        edit_yaml(p, lambda d: d.update(objectives=[o for o in d["objectives"] if o != 3]))
    r = runner.invoke(app, ["coverage", str(agis), "--strict"])
    assert r.exit_code == 1
    assert "3 (uncovered)" in r.stderr
    assert "3. Legislation" in r.stdout
    # without --strict it still reports, but exits 0
    assert runner.invoke(app, ["coverage", str(agis)]).exit_code == 0


def test_thin_objective_below_the_project_threshold(agis: Path) -> None:
    edit_yaml(agis / "cepa-project.yaml", lambda d: d["coverage"].update(min_records=20))
    r = runner.invoke(app, ["coverage", str(agis), "-f", "json"])
    statuses = {o["id"]: o["status"] for o in json.loads(r.stdout)["objectives"]}
    assert statuses == {"1": "thin", "2": "covered", "3": "thin", "4": "thin"}


def test_explain_lists_the_records_behind_a_cell() -> None:
    r = runner.invoke(app, ["coverage", str(RECORDS), "--explain", "2:D", "-f", "json"])
    data = json.loads(r.stdout)
    assert [x["id"] for x in data["records"]] == ["feedback-nl", "feedback-uk"]
    assert data["records"][0]["file"].endswith("feedback/feedback-nl.yaml")
    r = runner.invoke(app, ["coverage", str(RECORDS), "--explain", "2"])
    assert "outcomes-service-10" in r.stdout


def test_explain_unknown_objective_is_a_usage_error() -> None:
    r = runner.invoke(app, ["coverage", str(RECORDS), "--explain", "9"])
    assert r.exit_code == 2 and "objectives: 1, 2, 3, 4" in r.stderr
