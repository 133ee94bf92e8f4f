"""The evaluator's view, on every output: exact totals, claims and coverage checkable, no
row-level record and no free text about protected people.

tests/projects.py YOUTH_NET, by hand: young people heard 3 + 20 + 25 = 48 in three sessions,
children monitored 12 + 4 = 16 in two services; the public sees them rounded (50, 15), the
evaluator exactly. A figure of one such record alone (a session's 3, a service's 12) is
row-level: never in an evaluator's output, nor the texts of the unpublishable records
(YOUTH_NET_PRIVATE). Every output is made through the one gate (the evaluator's rules), so
each is read here: summarize and coverage in every format, the report, the workbook as
xlsx, CSV and JSON, and the Python frames.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import cepa
from cepa.cli import app
from tests.conftest import build_tree
from tests.projects import YOUTH_NET, YOUTH_NET_PRIVATE

runner = CliRunner()
#: the ids of the records about children not marked publishable: they read "feedback record
#: 1" (a publishable one keeps its id, as in a public output)
CHILD_IDS = ("fb-2021-03", "out-b")


def _run(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tree(tmp_path_factory.mktemp("e") / "youth", YOUTH_NET)


def _figures(obj: Any) -> list[dict[str, Any]]:
    """Every figure object of a JSON document."""
    if isinstance(obj, dict):
        if "value" in obj and "counts" in obj and "records" in obj:
            return [obj]
        return [f for v in obj.values() for f in _figures(v)]
    if isinstance(obj, list):
        return [f for v in obj for f in _figures(v)]
    return []


def _no_row_level(doc: Any, where: str) -> None:
    for f in _figures(doc):  # one record's figure only as the public sees it: rounded
        if f.get("children") and f["value"] and not f.get("rounded"):
            assert len(f["records"]) >= 2, f"{where}: a figure of one child record: {f}"


def _clean(text: str, where: str) -> None:
    for word in (*YOUTH_NET_PRIVATE, *CHILD_IDS):
        assert word not in text, f"{where} shows {word!r}"


def test_the_summary_is_exact_and_lists_no_child(root: Path) -> None:
    s = json.loads(_run("summarize", str(root), "--audience", "evaluator", "-f", "json"))
    assert s["disclosure"]["audience"] == "evaluator"
    assert s["feedback"]["young_people"]["value"] == 48  # exact: the public sees 50
    assert s["outcomes"]["children"]["value"] == 16      # the public sees 15
    assert s["feedback"]["rows"] == [] and s["outcomes"]["rows"] == []
    # the exact total of adults is as recorded; the claim about 95 is checkable
    claims = {c["id"]: c for c in s["claims"]}
    assert claims["trained"]["status"] == "holds" and claims["trained"]["computed"]["value"] == 95
    # a claim about one session is row-level: not shown
    assert claims["small-session"]["status"] == "not published"
    assert claims["small-session"]["computed"] is None
    # a service's own count is row-level: shown as the public sees it (12 as 10, 4 as 'c');
    # the age bands over three sessions are not
    public = json.loads(_run("summarize", str(root), "--public", "-f", "json"))
    assert s["outcomes"]["by_service"] == public["outcomes"]["by_service"]
    assert [f["value"] for f in s["outcomes"]["by_service"].values()] == [10, None]
    assert s["feedback"]["by_age_band"]["13-15"]["value"] == 2 + 9 + 12
    _no_row_level(s, "summarize json")
    _clean(json.dumps(s), "summarize json")
    # the team's own records' fingerprint: the evaluator can tell which records it is from
    team = json.loads(_run("summarize", str(root), "-f", "json"))
    assert s["fingerprint"] == team["fingerprint"] != ""


@pytest.mark.parametrize("period", [[], ["--period", "interim"]])
def test_every_text_output_is_clean(root: Path, period: list[str]) -> None:
    for command in ("summarize", "coverage"):
        for fmt in ("table", "csv", "markdown", "json"):
            text = _run(command, str(root), "--audience", "evaluator", "-f", fmt, *period)
            _clean(text, f"{command} {fmt} {period}")
            if fmt == "json":
                _no_row_level(json.loads(text), f"{command} json {period}")
    for field in ("country", "age_band", "city", "year"):
        text = _run("summarize", str(root), "--audience", "evaluator", "--by", field,
                    "--kind", "all", "-f", "json", *period)
        _clean(text, f"by {field}")
        _no_row_level(json.loads(text), f"by {field}")


def test_coverage_is_checkable(root: Path) -> None:
    cov = json.loads(_run("coverage", str(root), "--audience", "evaluator", "-f", "json"))
    o1 = cov["objectives"][0]
    assert o1["children"]["value"] == 48 + 16 and o1["people"]["value"] == 95
    assert o1["cells"]["F"]["records"] == 3 and o1["cells"]["F"]["people"]["value"] == 48
    # the records behind a cell are counted and named, not identified
    assert o1["cells"]["O"]["ids"] == ["out-a", "outcome record 1"]
    assert o1["cells"]["O"]["files"][1] == "not published"


def test_the_report_is_for_the_evaluator(root: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "r.docx"
    _run("report", str(root), "--audience", "evaluator", "-o", str(out))
    d = docx.Document(str(out))
    text = "\n".join([p.text for p in d.paragraphs]
                     + [c.text for t in d.tables for r in t.rows for c in r.cells])
    _clean(text, "report")
    assert "For the evaluator, every figure is exact" in text and "48" in text


def test_the_workbook_says_for_whom_and_holds_no_child_row(root: Path,
                                                          tmp_path: Path) -> None:
    from openpyxl import load_workbook

    xlsx = tmp_path / "e.xlsx"
    _run("export", str(root), "--audience", "evaluator", "-o", str(xlsx))
    wb = load_workbook(xlsx)
    assert not {"Feedback", "Outcomes"} & set(wb.sheetnames)
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props["cepa:audience"] == "evaluator" and props["cepa:public"] is False
    summary = [str(v) for r in wb["Summary"].iter_rows(values_only=True) for v in r if v]
    assert any(v.startswith("Written for the evaluator: exact figures") for v in summary)
    data = {(r[0], r[1]): r[3] for r in wb["Data"].iter_rows(values_only=True)}
    assert data[("Overview", "Young people heard")] == 48
    everything = "\n".join(str(v) for ws in wb.worksheets if ws.sheet_state == "visible"
                           for r in ws.iter_rows(values_only=True) for v in r if v)
    _clean(everything, "xlsx")
    folder = tmp_path / "csv"
    _run("export", str(root), "--audience", "evaluator", "-f", "csv", "-o", str(folder))
    _clean("\n".join(p.read_text("utf-8-sig") for p in folder.iterdir()), "csv")
    js = tmp_path / "e.json"
    _run("export", str(root), "--audience", "evaluator", "-f", "json", "-o", str(js))
    doc = json.loads(js.read_text())
    assert doc["about"]["audience"] == "evaluator"
    _clean(js.read_text(), "json")


def test_the_frames_for_the_evaluator(root: Path) -> None:
    f = cepa.open(root).frames(audience="evaluator")
    assert set(f.records["kind"]) == {"seminars"}  # no row about children
    shown = f.figures["value"].fillna(0) > 0
    children = f.figures[f.figures["children"] & shown & ~f.figures["rounded"]]
    assert (children["records"].map(len) >= 2).all()
    assert f.figures.set_index("figure").loc["feedback.young_people", "value"] == 48


def test_public_and_evaluator_cannot_both_be_asked(root: Path) -> None:
    r = runner.invoke(app, ["summarize", str(root), "--public", "--audience", "evaluator"])
    assert r.exit_code == 2 and "--public is --audience public" in r.stderr
