"""A new kind of record is one module: tests/kinds/helplines.py, registered here, and every
command works on a project that uses it - nothing else in cepa names it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from cepa.records import kinds
from tests.conftest import build_tree
from tests.kinds.helplines import KIND

runner = CliRunner()

PROJECT = """\
code: HELP/2024/01
title: Calls for help
programme: A programme
period: {start: 2024-01, end: 2024-12}
partners:
  - {id: line, name: Help Line Org, country: NL, type: NGO, role: lead}
objectives:
  - {id: 1, short: Reach, text: Reach people who need help}
activities:
  - {id: A, title: Run the helpline, kind: helplines, objectives: [1]}
  - {id: B, title: Expert seminar, kind: seminars, objectives: [1]}
claims:
  - text: The helplines answered 310 calls
    quantity: {measure: helpline_calls}
    value: 310
"""

FILES = {
    "cepa-project.yaml": PROJECT,
    "helplines/line-2024-01.yaml": """\
id: line-2024-01
activity: A
objectives: [1]
title: Helpline calls in January
date: 2024-01
service: Kindertelefoon Utrecht
partner: line
country: NL
calls: {total: 130, by_sector: {family: 80, school: 50}}
topics: [Bullying at school]
""",
    "helplines/line-2024-02.yaml": """\
id: line-2024-02
activity: A
objectives: [1]
title: Helpline calls in February
date: 2024-02
service: Kindertelefoon Utrecht
partner: line
country: NL
calls: {total: 180}
""",
    "seminars/s1.yaml": """\
id: s1
activity: B
objectives: [1]
title: Seminar
date: 2024-03
city: Utrecht
country: NL
convenor: line
participants: {total: 25}
""",
}


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    kinds.register(KIND)
    try:
        yield build_tree(tmp_path / "help", FILES)
    finally:
        kinds.unregister(KIND.name)


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_validate_and_its_claim(project: Path) -> None:
    code, out, err = run("validate", str(project))
    assert code == 0 and out == "", out + err
    bad = project / "helplines" / "line-2024-02.yaml"
    bad.write_text(bad.read_text().replace("partner: line", "partner: nobody"))
    code, out, _ = run("validate", str(project))
    assert code == 1 and "partner 'nobody' is not defined" in out
    bad.write_text(bad.read_text().replace("total: 180", "total: 181"))
    code, out, _ = run("validate", str(project))
    assert "says = 310, but the records give 311 (claim-contradicted)" in out


def test_summarize_in_every_format(project: Path) -> None:
    code, out, _ = run("summarize", str(project), "-f", "json")
    s = json.loads(out)
    assert s["helplines"]["calls"]["value"] == 310 and s["helplines"]["months"]["value"] == 2
    assert s["helplines"]["by_service"]["Kindertelefoon Utrecht"]["value"] == 310
    assert [r["id"] for r in s["helplines"]["rows"]] == ["line-2024-01", "line-2024-02"]
    assert s["claims"][0]["status"] == "holds"
    code, out, _ = run("summarize", str(project))
    assert code == 0 and "Helpline calls" in out and "Calls by helpline" in out
    for fmt in ("csv", "markdown"):
        code, out, _ = run("summarize", str(project), "-f", fmt)
        assert code == 0 and "310" in out
    code, out, _ = run("summarize", str(project), "--by", "sector", "--kind", "helplines",
                       "-f", "json")
    figures = json.loads(out)["figures"]
    assert figures["family"]["value"] == 80 and figures["(not broken down)"]["value"] == 180
    code, out, _ = run("summarize", str(project), "--public", "-f", "json")
    assert code == 0 and json.loads(out)["helplines"]["calls"]["value"] == 310


def test_coverage(project: Path) -> None:
    code, out, _ = run("coverage", str(project), "-f", "json")
    cov = json.loads(out)
    assert cov["objectives"][0]["cells"]["A"]["records"] == 2
    assert cov["objectives"][0]["cells"]["A"]["people"]["value"] == 310


def test_report(project: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "r.docx"
    code, _, err = run("report", str(project), "-o", str(out))
    assert code == 0, err
    d = docx.Document(str(out))
    text = "\n".join(p.text for p in d.paragraphs)
    # the kind's own paragraph, and its tables under its activity
    assert "The helplines answered 310 calls in 2 months of calls." in text
    tables = [[c.text for c in t.rows[0].cells] for t in d.tables]
    assert ["month", "helpline", "country", "calls"] in tables
    assert ["helpline", "calls"] in tables


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_export(project: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / ("e-csv" if fmt == "csv" else f"e.{fmt}")
    code, _, err = run("export", str(project), "-f", fmt, "-o", str(out))
    assert code == 0, err
    if fmt == "json":
        data = json.loads(out.read_text())
        rows = data["Helpline logs"]["rows"]
        assert [r["calls"]["value"] for r in rows] == [130, 180]
    elif fmt == "csv":
        assert (out / "helpline-logs.csv").is_file()


def test_import_records_round_trip(project: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "e.xlsx"
    assert run("export", str(project), "-o", str(out))[0] == 0
    wb = load_workbook(out)
    ws = wb["Helpline logs"]
    head = [c.value for c in ws[1]]
    col = head.index("service") + 1
    ws.cell(3, col).value = "Kindertelefoon Utrecht-Oost"
    wb.save(out)
    code, out_text, err = run("import", "records", str(out), "--dry-run", "-p", str(project))
    assert code == 0, out_text + err
    assert "Kindertelefoon Utrecht-Oost" in out_text
    code, _, err = run("import", "records", str(out), "--yes", "-p", str(project))
    assert code == 0, err
    assert "Utrecht-Oost" in (project / "helplines" / "line-2024-02.yaml").read_text()


def test_schema_and_new(project: Path) -> None:
    code, out, _ = run("schema", "helpline")
    assert code == 0 and json.loads(out)["title"] == "cepa helpline record"
    code, out, _ = run("schema", "project")
    assert "helplines" in json.loads(out)["$defs"]["Activity"]["properties"]["kind"]["enum"]
    code, out, err = run("new", "helpline", "-p", str(project))
    assert code == 0, err
    written = Path(out.strip())
    assert written.parent.name == "helplines" and "calls:" in written.read_text()
    text = written.read_text().replace("Name of the service", "Helpline Noord").replace(
        "Title of the helpline", "Calls in March").replace("Town", "Utrecht")
    written.write_text(text)
    code, out, _ = run("validate", str(project))
    assert code == 0 and out == "", out


def test_unregistered_it_is_unknown(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "p", FILES)
    code, out, _ = run("validate", str(root))
    assert code == 1 and "'helplines' is not a kind of record" in out
