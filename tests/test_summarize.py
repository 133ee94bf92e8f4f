"""cepa summarize: the AGIS figures, the JSON contract, periods and the programme roll-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from cepa.evidence import summary as aggregate
from cepa.records.workspace import load
from tests.conftest import RECORDS, build_tree

runner = CliRunner()


def summary_json(*args: str) -> dict:  # type: ignore[type-arg]
    r = runner.invoke(app, ["summarize", *args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def agis_summary() -> dict:  # type: ignore[type-arg]
    return summary_json(str(RECORDS))


def v(fig: dict) -> object:  # type: ignore[type-arg]
    return fig["value"]


def test_agis_figures(agis_summary: dict) -> None:  # type: ignore[type-arg]
    s = agis_summary
    assert v(s["visits"]["count"]) == 5
    assert {k: v(f) for k, f in s["visits"]["hosts_by_country"].items()} == {
        "EE": 8, "NL": 4, "UK": 5}
    rows = s["seminars"]["rows"]
    uk = [r for r in rows if r["activity"] == "B" and r["place"]["country"] == "UK"]
    nl = [r for r in rows if r["activity"] == "B" and r["place"]["country"] == "NL"]
    assert len(uk) == 3 and sum(v(r["count"]) for r in uk) == 127
    assert min(v(r["count"]) for r in uk) >= 30
    assert len(nl) == 3 and sum(v(r["count"]) for r in nl) == 111
    assert v(s["attendance"]["by_activity"]["B"]) == 238
    assert v(s["attendance"]["by_activity"]["F"]) == 64
    final = next(r for r in rows if r["activity"] == "F")
    assert v(final["count"]) == 64 and final["count"]["estimated"] is False
    assert v(s["attendance"]["total"]) == 302
    assert v(s["interviews"]["by_group"]["inter-agency"]) == 64
    assert v(s["interviews"]["by_group"]["practitioner"]) == 58
    assert v(s["interviews"]["total"]) == 122
    assert v(s["outcomes"]["children"]) == 226 and v(s["outcomes"]["services"]) == 10
    assert v(s["primary_participants"]["total"]) == 34
    assert {k: v(f) for k, f in s["primary_participants"]["by_partner"].items()} == {
        "barnardos": 15, "stade": 13, "tcsc": 6}
    assert v(s["feedback"]["sessions"]) == 2
    # the summary gives no count of the young people heard: unknown, not 0
    assert v(s["feedback"]["young_people"]) is None
    assert s["feedback"]["young_people"]["unrecorded"] == 2


def test_final_seminar_breakdown_is_38_6_9_11() -> None:
    ws = load(RECORDS)
    final = next(e.record for e in ws.entries if e.record.activity == "F")
    assert sorted(final.participants.by_organisation.values()) == [6, 9, 11, 38]


def test_estimates_are_marked(agis_summary: dict) -> None:  # type: ignore[type-arg]
    s = agis_summary
    uk1 = next(r for r in s["seminars"]["rows"] if r["id"] == "uk-seminar-2005-06")
    assert uk1["count"]["estimated"] is True
    # in the records' own words, from the count's note
    # the records give their notes in English, Dutch and Estonian
    assert "127 for the three UK seminars together" in uk1["count"]["why"][0]["en"]
    assert s["attendance"]["by_year"]["2005"]["estimated"] is True
    assert s["attendance"]["by_sector"]["child protection"]["estimated"] is True


@pytest.mark.parametrize(("where", "value"), [
    (("attendance", "by_activity", "B"), 238), (("attendance", "by_activity", "F"), 64),
    (("attendance", "by_country", "UK"), 127), (("attendance", "by_country", "NL"), 111),
    (("attendance", "total"), 302), (("interviews", "by_group", "inter-agency"), 64),
    (("interviews", "total"), 122), (("outcomes", "children"), 226)])
def test_exact_published_totals_carry_no_estimate_mark(agis_summary: dict, where: tuple,  # type: ignore[type-arg]
                                                       value: int) -> None:
    """The summary gives these totals exactly; the records split them by estimate, and
    the project file's known_totals say which records make up each."""
    f = agis_summary
    for key in where:
        f = f[key]
    assert f["value"] == value and f["estimated"] is False


def test_a_sum_over_part_of_a_known_group_stays_estimated(agis_summary: dict) -> None:  # type: ignore[type-arg]
    # 2006: two of the three UK seminars and two of the three Dutch ones
    assert agis_summary["attendance"]["by_year"]["2006"] == {
        **agis_summary["attendance"]["by_year"]["2006"], "value": 179, "estimated": True}


def test_every_claim_holds(agis_summary: dict) -> None:  # type: ignore[type-arg]
    assert len(agis_summary["claims"]) >= 12
    statuses = {c["id"]: c["status"] for c in agis_summary["claims"]}
    # "at least 30 at each": the least UK seminar, York's 40, is the records' own split of
    # the published 127, made from that very sentence; the claim holds on it alone
    assert statuses.pop("uk-seminars-each") == "holds on estimates"
    each = next(c for c in agis_summary["claims"] if c["id"] == "uk-seminars-each")
    assert each["estimates"] == ["uk-seminar-2005-12"]
    assert each["computed"]["grade"] == "split" and each["computed"]["value"] == 40
    assert set(statuses.values()) == {"holds"}


def test_targets_against_actuals(agis_summary: dict) -> None:  # type: ignore[type-arg]
    t = {x["id"]: x for x in agis_summary["targets"]}
    assert v(t["stakeholders"]["actual"]) == 302 and t["stakeholders"]["percent"] == 100.7
    assert t["visits"]["percent"] == 100.0


def test_planned_and_implemented(agis_summary: dict) -> None:  # type: ignore[type-arg]
    p = agis_summary["planned"]
    assert [a["id"] for a in p["implemented"]] == list("ABCDEFG")
    assert p["not_implemented"] == [] and p["unforeseen"] == []


def test_json_equals_the_core() -> None:
    from cepa.evidence.results import as_json

    ws = load(RECORDS)
    core = aggregate.summarize(ws)
    assert summary_json(str(RECORDS)) == json.loads(json.dumps(as_json(core)))


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_other_formats_carry_the_figures_and_estimates(fmt: str) -> None:
    r = runner.invoke(app, ["summarize", str(RECORDS), "--format", fmt])
    assert r.exit_code == 0
    assert "302" in r.stdout and "226" in r.stdout
    if fmt == "csv":
        assert "seminars,uk-seminar-2005-06,participants,45,yes" in r.stdout
    else:
        assert "45*" in r.stdout and "estimated" in r.stdout


def test_by_sector_and_year() -> None:
    r = runner.invoke(app, ["summarize", str(RECORDS), "--by", "sector", "-f", "json"])
    figs = json.loads(r.stdout)["figures"]
    assert v(figs["child protection"]) + v(figs["criminal justice"]) == 238
    r = runner.invoke(app, ["summarize", str(RECORDS), "--by", "year", "-f", "json"])
    figs = json.loads(r.stdout)["figures"]
    assert v(figs["2005"]) + v(figs["2006"]) == 302


def test_unknown_by_is_a_usage_error() -> None:
    r = runner.invoke(app, ["summarize", str(RECORDS), "--by", "colour"])
    assert r.exit_code == 2 and "sector" in r.stderr


def test_reporting_period_counts_only_its_records() -> None:
    s = summary_json(str(RECORDS), "--period", "interim")
    assert s["period"]["name"] == "interim"
    # 2005: UK June (45) and December (40), NL November (38)
    assert v(s["attendance"]["total"]) == 123
    assert s["records_outside_period"] > 0
    s = summary_json(str(RECORDS), "--from", "2006-01", "--to", "2006-12")
    assert v(s["attendance"]["total"]) == 179


def test_bad_period_is_a_usage_error() -> None:
    r = runner.invoke(app, ["summarize", str(RECORDS), "--period", "nope"])
    assert r.exit_code == 2 and "interim" in r.stderr
    r = runner.invoke(app, ["summarize", str(RECORDS), "--from", "2006-13"])
    assert r.exit_code == 2


SMALL_PROJECT = {
    "cepa-project.yaml": """\
code: DAPHNE/2007/001
title: A small second project
programme: DAPHNE
period: {start: 2007-01, end: 2007-12}
partners:
  - {id: fri, name: Friends of Youth, country: FI, type: NGO, primary_participants: 4}
objectives:
  - {id: A1, text: Train youth workers}
activities:
  - {id: S, title: Training seminars, kind: seminars, objectives: [A1]}
claims:
  - {text: 40 trained, quantity: {measure: seminar_participants}, value: 40}
""",
    "seminars/s1.yaml": """\
id: s1
activity: S
objectives: [A1]
title: Training day
date: 2007-03-02
city: Helsinki
country: FI
convenor: fri
participants: {total: 40, by_sector: {youth work: 40}}
""",
}


def test_rollup_of_two_projects(tmp_path: Path) -> None:
    small = build_tree(tmp_path / "small", SMALL_PROJECT)
    r = runner.invoke(app, ["summarize", str(RECORDS), str(small), "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [p["project"]["code"] for p in data["projects"]] == [
        "JAI/2004/AGIS/143", "DAPHNE/2007/001"]
    part = data["rollup"]["seminar_participants"]
    assert v(part["JAI/2004/AGIS/143"]) == 302 and v(part["DAPHNE/2007/001"]) == 40
    assert v(part["total"]) == 342
    assert data["rollup"]["primary_participants"]["total"]["value"] == 38
    # 2 AGIS sessions without a count, none in the other project: still not recorded
    assert v(data["rollup"]["young_people"]["total"]) is None
    table = runner.invoke(app, ["summarize", str(RECORDS), str(small)]).stdout
    assert "DAPHNE/2007/001" in table and "342" in table


def test_unique_people_beside_attendances(tmp_path: Path) -> None:
    files = dict(SMALL_PROJECT)
    files["seminars/s1.yaml"] = files["seminars/s1.yaml"].replace(
        "participants: {total: 40, by_sector: {youth work: 40}}",
        "participants: {total: 3, people: [aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb, cccccccccccccccc]}")
    files["seminars/s2.yaml"] = files["seminars/s1.yaml"].replace("id: s1", "id: s2").replace(
        "cccccccccccccccc", "dddddddddddddddd")
    root = build_tree(tmp_path / "p", files)
    s = summary_json(str(root))
    assert s["attendance"]["unique_people"] == {"people": 4, "attendances": 6, "gatherings": 2,
                                                "of_gatherings": 2}


def test_piped_output_is_plain_text_through_a_real_process() -> None:
    out = subprocess.run([sys.executable, "-m", "cepa", "summarize", str(RECORDS)],
                         capture_output=True, text=True, check=True).stdout
    assert "Overview\n========" in out and "\x1b[" not in out


def test_an_activity_held_in_part_is_listed_once_as_not_fully_implemented(agis: Path) -> None:
    from tests.conftest import edit_yaml

    def change(d: dict) -> None:  # type: ignore[type-arg]
        d["activities"][1]["planned_events"] = 8
        d["activities"][1]["not_implemented_reason"] = "Two seminars were cancelled"
        d["activities"].append({"id": "X", "title": "Study tour", "kind": "visits",
                                "objectives": [1], "not_implemented_reason": "No funds"})
        d["activities"].append({"id": "Y", "title": "Extra", "kind": "visits",
                                "objectives": [1], "planned": False})

    edit_yaml(agis / "cepa-project.yaml", change)
    p = summary_json(str(agis))["planned"]
    assert [a["id"] for a in p["implemented"]] == ["A", "C", "D", "E", "F", "G"]
    assert [(a["id"], a["partly"], a["reason"]) for a in p["not_implemented"]] == [
        ("B", True, "Two seminars were cancelled"), ("X", False, "No funds")]
    assert [a["id"] for a in p["unforeseen"]] == ["Y"]
