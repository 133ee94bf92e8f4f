"""What an attacker found after the evaluator's view was merged into the publication plan:
each leak reproduced as found, and what it now meets. Expected values by hand from the
records written here (threshold 7, base 5: a count of 1 to 7 is 'c')."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_attacks import PROJECT, ok, outcome, project


def test_an_undated_record_about_children_is_planned_like_any_other(tmp_path: Path) -> None:
    # the whole project counts a record whose date is not known: so does the plan
    root = project(tmp_path / "p", {"outcomes/o1.yaml": outcome("o1", "UK", 3, "unknown")})
    s = json.loads(ok("summarize", str(root), "--public", "-f", "json"))
    assert s["outcomes"]["children"]["value"] is None and s["outcomes"]["children"]["suppressed"]
    assert "3" not in ok("summarize", str(root), "--public").split("monitored", 1)[1][:40]


def test_a_private_records_revision_is_not_published(tmp_path: Path) -> None:
    said = "Jane Doe moved to foster care"
    root = project(tmp_path / "p", {
        "outcomes/o1.yaml": outcome("o1", "UK", 30) + f"revision: {said}\n",
        "outcomes/o2.yaml": outcome("o2", "UK", 40)})
    for audience in ("public", "evaluator"):
        assert said not in ok("summarize", str(root), "--audience", audience, "-f", "json")


def test_the_smallest_record_says_nothing_of_which_it_is(tmp_path: Path) -> None:
    seen = set()
    for first in ("3", "5"):
        root = project(tmp_path / first, {
            "outcomes/o1.yaml": outcome("o1", "NL", int(first)).replace(
                "children: {total: " + first + "}",
                "children: {total: " + first + ", estimated: [total]}") + "sources: [s]\n",
            "outcomes/o2.yaml": outcome("o2", "NL", 4)})
        s = json.loads(ok("summarize", str(root), "--public", "-f", "json"))
        smallest = next(a for a in s["activities"] if a["id"] == "E")["smallest"]
        seen.add(json.dumps(smallest, sort_keys=True))
    assert len(seen) == 1


def test_an_evaluator_sees_no_figure_that_one_record_alone_gives(tmp_path: Path) -> None:
    # o2's count is not known and o3's is 0: 'children monitored' is o1's 7 alone
    root = project(tmp_path / "p", {
        "outcomes/o1.yaml": outcome("o1", "UK", 7),
        "outcomes/o2.yaml": outcome("o2", "UK", 0).replace("{total: 0}", "{total: unknown}"),
        "outcomes/o3.yaml": outcome("o3", "NL", 0)})
    s = json.loads(ok("summarize", str(root), "--audience", "evaluator", "-f", "json"))
    children = s["outcomes"]["children"]
    # shown as the public sees it ('c'), never as 7
    assert children["value"] is None and (children.get("withheld") or children.get("suppressed"))


def test_an_evaluators_roll_up_total_tells_nothing_a_project_withholds(tmp_path: Path) -> None:
    a = project(tmp_path / "a", {"outcomes/o1.yaml": outcome("o1", "UK", 57),
                                 "outcomes/o2.yaml": outcome("o2", "UK", 113)})
    b = project(tmp_path / "b", {"outcomes/o1.yaml": outcome("o1", "NL", 7)})
    b.joinpath("cepa-project.yaml").write_text(PROJECT.replace("T/20", "T/21"))
    out = json.loads(ok("summarize", str(a), str(b), "--audience", "evaluator", "-f", "json"))
    row = out["rollup"]["children_monitored"]
    assert row["T/20"]["value"] == 170
    assert row["T/21"]["value"] is None and row["total"]["value"] is None


def test_a_small_count_in_a_records_text_is_refused_naming_its_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cepa.cli import app

    root = project(tmp_path / "p", {
        "outcomes/o1.yaml": outcome("o1", "UK", 30) + "publishable: true\n"
                            "revision: one child moved away\n",
        "outcomes/o2.yaml": outcome("o2", "UK", 40)})
    r = CliRunner().invoke(app, ["report", str(root), "--public", "-o",
                                 str(tmp_path / "r.docx")])
    assert r.exit_code == 1
    assert "would print 'one child' (outcomes record o1 (" in r.stderr
    assert "o1.yaml), its revision, in the summary)" in r.stderr, r.stderr
    assert not (tmp_path / "r.docx").exists()


def test_an_indicator_of_the_smallest_record_says_not_which_it_is(tmp_path: Path) -> None:
    # records a (7) and b (6): 'aggregate: min' is b; its alias would order the two 'c's
    extra_indicator = PROJECT.replace(
        "  - {id: E, title: Outcome monitoring, kind: outcomes, objectives: [1]}",
        "  - {id: E, title: Outcome monitoring, kind: outcomes, objectives: [1],\n"
        "     indicators: [{text: Smallest service, quantity: {measure: children_monitored,"
        " aggregate: min}}]}")
    assert extra_indicator != PROJECT
    seen = set()
    for a, b in ((7, 6), (6, 7)):
        root = tmp_path / f"{a}-{b}"
        project(root, {"outcomes/a.yaml": outcome("a", "LV", a, "2021-03"),
                       "outcomes/b.yaml": outcome("b", "LT", b, "2021-04")})
        (root / "cepa-project.yaml").write_text(extra_indicator)
        for audience in ("public", "evaluator"):
            s = json.loads(ok("summarize", str(root), "--audience", audience, "-f", "json"))
            indicator = next(x for x in s["activities"] if x["id"] == "E")["indicators"][0]
            assert not indicator["actual"].get("records"), indicator
            seen.add((audience, json.dumps(indicator, sort_keys=True)))
    assert len(seen) == 2  # one per audience: the same whichever record is smaller
