"""Every number in every public output is a number of the gated results.

A project with a protected adult kind (events, by ``disclosure: protected``) and two kinds
about children: every output cepa can publish - summarize in each format and by each
field, coverage, the report, the workbook as xlsx, CSV and JSON - is read, every number in
it is collected, and each must be one the gated results hold (or a date or an id of the
project's own). The true counts the gate hides are chosen so that none of them is such a
number: were one published, this test would see it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import build_tree

runner = CliRunner()

PROJECT = """\
code: PROTECT-A
title: Protected kinds
programme: Test programme
period: {start: 2023-01, end: 2023-03}
partners:
  - {id: pa, name: Partner Alpha, country: LV, type: NGO, role: lead}
objectives:
  - {id: ob-a, short: Reach, text: Reach young people}
activities:
  - {id: A, title: Seminars, kind: seminars, objectives: [ob-a]}
  - {id: B, title: School sessions, kind: events, objectives: [ob-a]}
  - {id: C, title: Feedback, kind: feedback, objectives: [ob-a]}
  - {id: D, title: Monitoring, kind: outcomes, objectives: [ob-a]}
reporting_periods:
  first: {start: 2023-01, end: 2023-02}
disclosure:
  threshold: 7
  base: 5
  protected: [event_participants]
"""

FILES = {
    "cepa-project.yaml": PROJECT,
    "seminars/sem-a.yaml": "id: sem-a\nactivity: A\nobjectives: [ob-a]\ntitle: Seminar\n"
                           "date: 2023-01\ncity: Riga\ncountry: LV\nconvenor: pa\n"
                           "participants: {total: 41}\n",
    "events/ev-a.yaml": "id: ev-a\nactivity: B\nobjectives: [ob-a]\ntitle: Session\n"
                        "type: awareness session\ndate: 2023-01\ncity: Riga\ncountry: LV\n"
                        "convenor: pa\nparticipants: {total: 6, by_function: {pupils: 6}}\n",
    "events/ev-b.yaml": "id: ev-b\nactivity: B\nobjectives: [ob-a]\ntitle: Session\n"
                        "type: awareness session\ndate: 2023-03\ncity: Riga\ncountry: LV\n"
                        "convenor: pa\nparticipants: {total: 23, by_function: {pupils: 23}}\n",
    "feedback/fb-a.yaml": "id: fb-a\nactivity: C\nobjectives: [ob-a]\ntitle: Session\n"
                          "date: 2023-01\ncountry: LV\nhost: Youth club\n"
                          "young_people: {total: 4, by_age_band: {under 14: 4}}\n",
    "feedback/fb-b.yaml": "id: fb-b\nactivity: C\nobjectives: [ob-a]\ntitle: Session\n"
                          "date: 2023-03\ncountry: LV\nhost: Youth club\n"
                          "young_people: {total: 19, by_age_band: {under 14: 9, over 14: 10}}\n",
    "outcomes/oc-a.yaml": "id: oc-a\nactivity: D\nobjectives: [ob-a]\ntitle: Monitoring\n"
                          "date: 2023-03\ncountry: LV\nservice: Service\npartner: pa\n"
                          "children: {total: 29}\nrisk: {reduced: 20, unchanged: 9}\n",
}

#: A number as the outputs write it: 1,234 / 1.234 / 1 234 (and the digits of a date alone)
NUMBER = re.compile(r"(?<!\d)(?:\d{1,3}(?:[.,\u00a0 ]\d{3}(?!\d))+|\d+)")


def numbers(text: str) -> set[int]:
    text = re.sub(r"Figure \d+\.", "", text)
    # file paths: the test's own temporary folders are numbered (pytest-52/...)
    text = re.sub(r"[^\s\"',|]*[/\\][^\s\"',|]*", "", text)
    return {int(re.sub(r"\D", "", m.group())) for m in NUMBER.finditer(text)}


def run(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tree(tmp_path_factory.mktemp("p") / "protect", FILES)


@pytest.fixture(scope="module")
def gated(root: Path) -> set[int]:
    """Every number of the gated results (and of the project's own dates and ids)."""
    from cepa.evidence.results import as_json
    from cepa.publication import ledger, results
    from cepa.records.workspace import load

    ws = load(root)
    found: set[int] = set()
    for period in (None, "first"):
        from cepa.evidence.periods import resolve_period

        per = resolve_period(ws.project, period)  # type: ignore[arg-type]
        s, cov = results(ws, per, public=True)
        # the coverage tables count each objective's kinds of record (a list in the JSON)
        found |= {len(o.kinds) for o in cov.objectives}
        found |= numbers(json.dumps(as_json(s)) + json.dumps(as_json(cov))
                         + json.dumps(as_json(ledger(ws, per, public=True)), default=str))
    for field in ("activity", "country", "partner", "year", "kind", "city", "mode", "sector",
                  "function", "organisation", "participant_country", "age_band"):
        found |= numbers(run("summarize", str(root), "--public", "--by", field, "--kind", "all",
                             "-f", "json"))
    return found


def _hidden(private: Any, public: Any, out: set[int]) -> None:
    """The true values of figures the gate suppressed or rounded to another value."""
    if isinstance(public, dict) and "value" in public and "counts" in public:
        true = private.get("value")
        if true is not None and public.get("value") != true and (
                public.get("suppressed") or public.get("rounded")):
            out.add(true)
        return
    if isinstance(public, dict) and isinstance(private, dict):
        pairs = (zip(private.values(), public.values(), strict=False)
                 if set(private) != set(public) else
                 ((private[k], public[k]) for k in public))
        for a, b in pairs:
            _hidden(a, b, out)
    elif isinstance(public, list) and isinstance(private, list):
        for a, b in zip(private, public, strict=False):
            _hidden(a, b, out)


@pytest.fixture(scope="module")
def hidden(root: Path) -> set[int]:
    """The true counts the gate hides that are above the threshold (a smaller one is
    bound to be some count of records, a month or the threshold itself)."""
    out: set[int] = set()
    for period in ([], ["--period", "first"]):
        for command in ("summarize", "coverage"):
            _hidden(json.loads(run(command, str(root), "-f", "json", *period)),
                    json.loads(run(command, str(root), "--public", "-f", "json", *period)),
                    out)
    return {n for n in out if n > 7}


def test_the_hidden_counts_would_be_seen(hidden: set[int], gated: set[int]) -> None:
    """The test can fail: the true counts it hides are there to be hidden, and none is a
    number the public outputs may show."""
    assert {23, 19, 29, 9} <= hidden
    assert not hidden & gated, sorted(hidden & gated)


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    out: list[str] = []
    wb = load_workbook(path)
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            out += [str(v) for row in ws.iter_rows(values_only=True) for v in row
                    if v is not None and not isinstance(v, bool)]
    return "\n".join(out)


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    text = [p.text for p in d.paragraphs]
    text += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(text)


def outputs(root: Path, tmp: Path) -> dict[str, str]:
    """The text of every public output, by what it is."""
    got: dict[str, str] = {}
    for period in ([], ["--period", "first"]):
        tag = " ".join(period)
        for fmt in ("table", "json", "csv", "markdown"):
            for command in ("summarize", "coverage"):
                got[f"{command} {fmt} {tag}"] = run(command, str(root), "--public", "-f", fmt,
                                                    *period)
        for field in ("country", "function", "age_band", "year", "city"):
            got[f"by {field} {tag}"] = run("summarize", str(root), "--public", "--by", field,
                                           "--kind", "all", "-f", "csv", *period)
        name = tag.replace(" ", "-") or "whole"
        docx_path = tmp / f"r-{name}.docx"
        run("report", str(root), "--public", "-o", str(docx_path), *period)
        got[f"report {tag}"] = _docx_text(docx_path)
        xlsx = tmp / f"e-{name}.xlsx"
        run("export", str(root), "--public", "-o", str(xlsx), *period)
        got[f"xlsx {tag}"] = _xlsx_text(xlsx)
        folder = tmp / f"csv-{name}"
        run("export", str(root), "--public", "-f", "csv", "-o", str(folder), *period)
        got[f"csv {tag}"] = "\n".join(p.read_text(encoding="utf-8-sig")
                                       for p in sorted(folder.iterdir()))
        js = tmp / f"e-{name}.json"
        run("export", str(root), "--public", "-f", "json", "-o", str(js), *period)
        got[f"json {tag}"] = js.read_text()
    return got


def _where(text: str, n: int) -> str:
    m = re.search(rf"(?<!\d){n}(?!\d)", text)
    return text[max(0, m.start() - 120):m.end() + 20] if m else ""


def test_every_public_number_is_a_gated_one(root: Path, gated: set[int], hidden: set[int],
                                            tmp_path: Path) -> None:
    from datetime import date

    # what the outputs' own words hold: the rules (1 to 7, nearest 5), percentages, "under
    # 18", the day the report was written
    today = date.today()
    words = {1, 7, 5, 100, 18, today.day, today.year}
    for where, text in outputs(root, tmp_path).items():
        found = numbers(text)
        stray = found - gated - words
        assert not stray, (f"{where} shows {sorted(stray)}, which no gated figure holds: "
                           f"{_where(text, min(stray))!r}")
        shown = found & hidden
        assert not shown, f"{where} shows a hidden count: {_where(text, min(shown))!r}"


def test_without_public_the_true_counts_are_there(root: Path, tmp_path: Path) -> None:
    """The same reading of the private outputs finds the true counts: the test reads what
    it says it reads."""
    got: Any = numbers(run("summarize", str(root), "-f", "json"))
    assert {6, 23, 4, 19, 29} <= got
