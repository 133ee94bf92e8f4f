"""Every shape of project: any subset of the kinds (none included), activities in every
status, unknown values, one or several periods. Every command runs on each without a
traceback, and a figure reads the same in the JSON, the workbook and the report.

Derandomized in CI (the `ci` profile of tests/conftest.py), random locally; each example
runs a dozen commands, so the examples are few."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import RECORDS, build_tree

runner = CliRunner()

KINDS = ("visits", "seminars", "events", "interviews", "feedback", "outcomes", "outputs")
STATUSES = (None, "implemented", "partly implemented", "moved", "postponed",
            "not implemented", "unforeseen")
MONTHS = ("2021-02", "2021-06", "2021-11", "2022-03", "2022-09", "unknown")
count = st.one_of(st.integers(0, 60), st.just("unknown"))


def _record(kind: str, i: int, activity: str, n: Any, month: str, unknown_place: bool) -> str:
    head = (f"id: {kind}-{i}\nactivity: {activity}\nobjectives: [1]\n"
            f"title: {kind} {i}\ndate: {month}\n")
    city = "city: unknown\ncountry: unknown\n" if unknown_place else "city: Graz\ncountry: AT\n"
    if kind == "visits":
        return head + f"from_partners: [p1]\ncountry: AT\ntravellers: {{total: {n}}}\n"
    if kind in ("seminars", "events"):
        extra = "type: training\n" if kind == "events" else ""
        return (head + extra + city + "convenor: p1\n"
                f"participants: {{total: {n}}}\n")
    if kind == "interviews":
        return head + f"group: staff\nconducted_by: p1\ncountry: AT\ninterviews: {{total: {n}}}\n"
    if kind == "feedback":
        return head + f"country: AT\nhost: Club\nyoung_people: {{total: {n}}}\n"
    if kind == "outcomes":
        return head + f"country: AT\nservice: Service {i}\npartner: p1\nchildren: {{total: {n}}}\n"
    return head + "type: toolkit\npartners: [p1]\nlanguages: [de]\n"


@st.composite
def projects(draw: st.DrawFn) -> dict[str, str]:
    kinds = draw(st.lists(st.sampled_from(KINDS), unique=True, max_size=4))
    activities = []
    files: dict[str, str] = {}
    for j, kind in enumerate(kinds or ["seminars"], start=1):
        status = draw(st.sampled_from(STATUSES))
        line = f"  - {{id: {j}, title: Activity {j}, kind: {kind}, objectives: [1]"
        if status:
            line += f", status: {status}, reason: Because"
        activities.append(line + "}")
        if kind not in kinds:
            continue
        for i in range(draw(st.integers(0, 3))):
            files[f"{kind}/{kind}-{j}-{i}.yaml"] = _record(
                kind, j * 10 + i, str(j), draw(count), draw(st.sampled_from(MONTHS)),
                draw(st.booleans()))
    periods = draw(st.sampled_from(["", "reporting_periods:\n  first: {start: 2021-01, "
                                        "end: 2021-12}\n",
                                    "reporting_periods:\n  first: {start: 2021-01, end: "
                                    "2021-12}\n  second: {start: 2022-01, end: 2022-12}\n"]))
    files["cepa-project.yaml"] = (
        "code: SHAPE/1\ntitle: A shape\nprogramme: P\nperiod: {start: 2021-01, end: 2022-12}\n"
        "partners:\n  - {id: p1, name: Partner One, country: AT, type: NGO, role: lead}\n"
        "objectives:\n  - {id: 1, short: One, text: The one objective}\n"
        "activities:\n" + "\n".join(activities) + "\n" + periods
        + "disclosure: {threshold: 3, base: 5}\n")
    return files


def run(*args: str) -> tuple[int, str]:
    r = runner.invoke(app, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), (
        f"cepa {' '.join(args)} raised {r.exception!r}")
    assert "Traceback" not in r.output, r.output
    return r.exit_code, r.stdout


def _workbook_overview(path: Path) -> dict[str, Any]:
    from openpyxl import load_workbook

    ws = load_workbook(path)["Data"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "table")
    return {r[1]: r[3] for r in rows[head + 1:] if r[0] == "Overview"}


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(projects())
def test_every_command_on_every_shape(files: dict[str, str]) -> None:
    import docx

    with tempfile.TemporaryDirectory() as tmp:
        root = build_tree(Path(tmp) / "p", files)
        out = Path(tmp)
        code, _ = run("validate", str(root))
        assert code in (0, 1)
        allow = ["--allow-errors"] if code else []
        _, text = run("summarize", str(root), "-f", "json")
        s = json.loads(text)
        run("summarize", str(root))
        for field in ("activity", "country", "year", "partner", "sector", "age_band"):
            run("summarize", str(root), "--by", field, "--kind", "all", "-f", "csv")
        run("coverage", str(root), "-f", "json")
        assert run("report", str(root), "-o", str(out / "r.docx"), *allow)[0] == 0
        for fmt, name in (("xlsx", "e.xlsx"), ("csv", "e-csv"), ("json", "e.json")):
            assert run("export", str(root), "-f", fmt, "-o", str(out / name), *allow)[0] == 0
        for period in ([], ["--period", "first"]) if "first:" in files["cepa-project.yaml"] \
                else ([],):
            run("summarize", str(root), "--public", "-f", "json", *period)
            run("report", str(root), "--public", "-o", str(out / "p.docx"), "--force",
                *allow, *period)
            run("export", str(root), "--public", "-o", str(out / "p.xlsx"), "--force", *allow,
                *period)
        run("summarize", str(root), str(RECORDS), "-f", "json")
        run("summarize", str(root), str(RECORDS), "--by", "country")
        # one figure, three outputs: the overview in the workbook, the JSON, the report
        from cepa.records.kinds import KINDS as REGISTRY

        overview = _workbook_overview(out / "e.xlsx")
        for k, kind in REGISTRY.items():
            if k not in s or (not s["records"][k] and not any(
                    a["kind"] == k for a in s["activities"])):
                continue
            for stat, label in kind.overview:
                assert overview[label] == s[k][stat]["value"], (k, stat)
        report = docx.Document(str(out / "r.docx"))
        planned = [t for t in report.tables if len(t.rows[0].cells) > 3
                   and t.rows[0].cells[0].text == "activity"
                   and t.rows[0].cells[2].text == "carried out"]
        for t in planned:
            for row in t.rows[1:]:
                aid = row.cells[0].text.split(":")[0]
                json_row = next(r for part in s["planned"].values() for r in part
                                if r["id"] == aid)
                held = json_row["held"]["value"]
                done = row.cells[2].text
                assert done == "not recorded" if held is None else \
                    done.split()[0] == str(held), (done, held)
                people = json_row["participants"]
                if people is not None and people["value"] is None and not people.get(
                        "unrecorded"):
                    assert row.cells[3].text == "not recorded"
