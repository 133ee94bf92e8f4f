"""Periods that make sense: a claim or target is about the whole project unless it names a
period; a period's summary judges only what belongs to it, and lists the records it leaves
out, in words, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import RECORDS, build_tree
from tests.projects import HELLAS

runner = CliRunner()

#: The shipped records the interim (2005) leaves out, by hand: the four interview batches,
#: the two feedback sessions and the ten outcome records are dated over both years; the five
#: visits and two outputs are not dated; four seminars were held in 2006.
LEFT_OUT = {("interviews", "reaches outside"): 4, ("feedback", "reaches outside"): 2,
            ("outcomes", "reaches outside"): 10, ("visits", "date not recorded"): 5,
            ("outputs", "date not recorded"): 2, ("seminars", "after"): 4}


def _run(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.stdout


def test_an_interim_summary_contradicts_no_whole_project_claim() -> None:
    s = json.loads(_run("summarize", str(RECORDS), "--period", "interim", "-f", "json"))
    assert len(s["claims"]) == 13
    assert {c["status"] for c in s["claims"]} == {"other period"}
    assert all(c["period"] is None for c in s["claims"])  # all about the whole project
    left = {(x["kind"], x["reason"]): len(x["records"]) for x in s["left_out"]}
    assert left == LEFT_OUT and sum(left.values()) == 27 == s["records_outside_period"]
    text = _run("summarize", str(RECORDS), "--period", "interim")
    assert "CONTRADICTED" not in text
    assert "not checked here: about the whole project" in text


def test_the_final_period_is_the_whole_project() -> None:
    """A reporting period spanning the project holds the undated records too."""
    s = json.loads(_run("summarize", str(RECORDS), "--period", "final", "-f", "json"))
    assert s["left_out"] == [] and s["records"]["total"] == 30
    assert s["attendance"]["total"]["value"] == 302
    assert {c["status"] for c in s["claims"]} == {"holds", "holds on estimates"}


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_the_records_left_out_are_listed_in_words(fmt: str) -> None:
    text = _run("summarize", str(RECORDS), "--period", "interim", "-f", fmt)
    if fmt == "csv":
        assert "left_out,Outcomes,records,10" in text
        assert "outcomes-service-01, outcomes-service-02" in text
    else:
        assert "Records left out of this period" in text
        assert "dated across the period's edge" in text and "date not recorded" in text
        assert "visit-uk-to-ee" in text


def test_the_report_and_workbook_say_what_they_leave_out(tmp_path: Path) -> None:
    import docx
    from openpyxl import load_workbook

    out = tmp_path / "interim.docx"
    _run("report", str(RECORDS), "--period", "interim", "-o", str(out))
    d = docx.Document(str(out))
    text = "\n".join([p.text for p in d.paragraphs]
                     + [c.text for t in d.tables for r in t.rows for c in r.cells])
    assert ("10 services dated across the period's edge, which the records do not divide: "
            "outcomes-service-01") in text
    assert "5 visits whose date is not recorded" in text
    book = tmp_path / "interim.xlsx"
    _run("export", str(RECORDS), "--period", "interim", "-o", str(book))
    notes = [str(r[0]) for r in load_workbook(book)["Summary"].iter_rows(values_only=True)
             if r and r[0]]
    assert any(n.startswith("Left out of this period's figures: 4 sets of interviews dated "
                            "across the period's edge") and
               "4 seminars dated after the period" in n for n in notes)


@pytest.fixture
def hellas(tmp_path: Path) -> Path:
    return build_tree(tmp_path / "hellas", HELLAS)


def test_a_claim_about_a_period_is_judged_on_that_period(hellas: Path) -> None:
    whole = {c["id"]: c for c in json.loads(_run("summarize", str(hellas), "-f", "json"))
             ["claims"]}
    # in the whole project's summary each claim is judged on its own period: 50 in 2019
    assert whole["trained-2019"]["computed"]["value"] == 50
    assert whole["trained"]["computed"]["value"] == 110
    first = {c["id"]: c for c in json.loads(_run("summarize", str(hellas), "--period",
                                                 "year-1", "-f", "json"))["claims"]}
    assert first["trained-2019"]["status"] == "holds on estimates"
    assert first["trained"]["status"] == "other period" and first["trained"]["computed"] is None
    # an unknown period is an error where it is named
    p = hellas / "cepa-project.yaml"
    p.write_text(p.read_text().replace("period: year-1}", "period: year-one}"))
    r = runner.invoke(app, ["validate", str(hellas)])
    assert r.exit_code == 1
    assert "reporting period 'year-one' is not defined in the project file" in r.stdout


def test_a_target_for_a_period_and_the_whole_projects_in_a_period(hellas: Path) -> None:
    p = hellas / "cepa-project.yaml"
    p.write_text(p.read_text() + """\
targets:
  - {id: all, text: Professionals trained, target: 100,
     quantity: {measure: event_participants}}
  - {id: first, text: Professionals trained in the first year, target: 40, period: year-1,
     quantity: {measure: event_participants}}
""")
    whole = {t["id"]: t for t in json.loads(_run("summarize", str(hellas), "-f", "json"))
             ["targets"]}
    assert whole["all"]["actual"]["value"] == 110 and whole["first"]["actual"]["value"] == 50
    first = json.loads(_run("summarize", str(hellas), "--period", "year-1", "-f", "json"))
    targets = {t["id"]: t for t in first["targets"]}
    # the whole project's target: the period's progress towards it (50 of 100)
    assert targets["all"]["actual"]["value"] == 50 and targets["all"]["percent"] == 50.0
    assert targets["first"]["percent"] == 125.0
    text = _run("summarize", str(hellas), "--period", "year-1")
    assert "the share is the progress made in it" in text


def test_validate_judges_a_claim_about_a_period_on_that_period_warm_or_cold(hellas: Path
                                                                           ) -> None:
    # 'validate' checks claims from the cache of checked results: a claim about year-1
    # counts only the records dated in it (50), on the first run and on the next
    for _ in range(2):
        r = runner.invoke(app, ["validate", str(hellas)])
        assert r.exit_code == 0 and "claim-contradicted" not in r.stdout, r.output
    p = hellas / "cepa-project.yaml"
    p.write_text(p.read_text().replace("value: 50,\n     period: year-1",
                                       "value: 110,\n     period: year-1"))
    for _ in range(2):
        r = runner.invoke(app, ["validate", str(hellas)])
        assert "claim '50 professionals trained in the first year' says = 110, but the " \
               "records give 50" in r.stdout, r.output


def test_a_period_does_not_count_as_0_what_may_fall_in_it() -> None:
    # interim 2005, by hand: the five visits are not dated and the interviews span both
    # years, so neither count is known for 2005; three seminars were held in 2005, and the
    # four of 2006 are after it: 3, exact
    s = json.loads(_run("summarize", str(RECORDS), "--period", "interim", "-f", "json"))
    assert s["visits"]["count"]["value"] is None
    assert s["interviews"]["total"]["value"] is None
    assert s["seminars"]["count"]["value"] == 3
    assert s["seminars"]["count"].get("unrecorded", 0) == 0
    text = _run("summarize", str(RECORDS), "--period", "interim")
    assert "Visits                               not recorded" in text


def test_an_activity_whose_records_are_not_dated_is_not_unimplemented_in_a_period() -> None:
    # interim 2005, by hand: the visits (A) are not dated, so they may have been made in
    # 2005; the final seminar (F, October 2006) was held after it
    s = json.loads(_run("summarize", str(RECORDS), "--period", "interim", "-f", "json"))
    status = {a["id"]: a["status"] for a in s["activities"]}
    assert status["A"] == "implemented" and status["F"] == "not implemented"
    implemented = {r["id"]: r for r in s["planned"]["implemented"]}
    assert implemented["A"]["held"]["value"] is None  # not recorded in the period, not 0
    assert "F" not in implemented
