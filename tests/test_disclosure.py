"""Publication mode: small counts about children suppressed, the rest rounded half up,
and no suppressed count recoverable by subtraction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cepa import aggregate
from cepa.cli import app
from cepa.disclosure import Rules, public_breakdown, public_coverage, public_summary, publish
from cepa.disclosure import round_half_up as rhu
from cepa.project import load
from cepa.tables import cell_text, coverage_tables, summary_tables

runner = CliRunner()


@pytest.mark.parametrize(("n", "rounded"), [(8, 10), (12, 10), (13, 15), (15, 15), (17, 15),
                                             (18, 20), (22, 20), (23, 25), (225, 225),
                                             (226, 225), (227, 225), (228, 230)])
def test_round_half_up(n: int, rounded: int) -> None:
    assert rhu(n, 5) == rounded


def test_halves_go_up_unlike_round() -> None:
    assert rhu(25, 10) == 30 and round(25, -1) == 20
    assert rhu(15, 10) == 20 and rhu(5, 10) == 10


def test_primary_rules() -> None:
    r = Rules()
    assert publish(0, r) == {"value": 0, "suppressed": False, "rounded": False}
    assert all(publish(n, r)["suppressed"] for n in range(1, 8))
    assert publish(8, r) == {"value": 10, "suppressed": False, "rounded": True}


def feedback(rid: str, n: int, country: str = "UK") -> str:
    return f"""\
id: {rid}
activity: D
objectives: [2]
title: Feedback session {rid}
date: 2006-03
country: {country}
host: Barnardo's specialist sexual exploitation services
young_people:
  total: {n}
themes: [Feeling listened to]
publishable: true
"""


@pytest.fixture
def small_session(agis: Path) -> Path:
    """Three sessions: 3 young people among 20 and 25."""
    (agis / "feedback" / "feedback-uk.yaml").write_text(feedback("feedback-uk", 20))
    (agis / "feedback" / "feedback-nl.yaml").write_text(feedback("feedback-nl", 25, "NL"))
    (agis / "feedback" / "feedback-small.yaml").write_text(feedback("feedback-small", 3))
    return agis


def published_cells(tables: list[Any]) -> str:
    return "\n".join(" | ".join(cell_text(c) for c in row) for t in tables for row in t.rows)


def test_small_session_is_suppressed_with_a_second_cell(small_session: Path) -> None:
    ws = load(small_session)
    s = public_summary(aggregate.summarize(ws), ws.project)
    sessions = {r["id"]: r["young_people"] for r in s["feedback"]["sessions_list"]}
    assert sessions["feedback-small"]["suppressed"]
    # the second-smallest session goes too, so 48 - 25 - 20 cannot be worked out
    assert sessions["feedback-uk"]["suppressed"]
    assert sessions["feedback-nl"] == {"value": 25, "suppressed": False, "rounded": True,
                                       "estimated": False}
    assert s["feedback"]["young_people"]["value"] == 50  # 48 rounded
    # by country: UK 23 and NL 25 -> rounded, nothing suppressed, no true value leaks
    text = json.dumps(s)
    assert '"_true"' not in text
    assert "23" not in json.dumps(s["feedback"]) and "48" not in json.dumps(s["feedback"])


def test_summarize_public_shows_c_and_private_shows_the_truth(small_session: Path) -> None:
    pub = runner.invoke(app, ["summarize", str(small_session), "--public"]).stdout
    private = runner.invoke(app, ["summarize", str(small_session)]).stdout
    assert "feedback-small" in pub
    row = next(x for x in pub.splitlines() if x.startswith("feedback-small"))
    assert row.rstrip().endswith(" c")
    assert "Publication rules applied" in pub and "c: suppressed" in pub
    row = next(x for x in private.splitlines() if x.startswith("feedback-small"))
    assert row.rstrip().endswith(" 3")
    assert "Publication rules" not in private


def test_adult_counts_are_not_touched(small_session: Path) -> None:
    ws = load(small_session)
    s = public_summary(aggregate.summarize(ws), ws.project)
    assert s["attendance"]["total"]["value"] == 302
    assert s["interviews"]["total"]["value"] == 122


def test_unpublishable_themes_and_quotes_are_dropped(agis: Path) -> None:
    p = agis / "feedback" / "feedback-uk.yaml"
    text = p.read_text().replace("publishable: true", "publishable: false")
    p.write_text(text + "quotes:\n  - {text: They listened, publishable: true}\n"
                        "  - {text: Not for print}\n")
    ws = load(agis)
    s = public_summary(aggregate.summarize(ws), ws.project)
    row = next(r for r in s["feedback"]["sessions_list"] if r["id"] == "feedback-uk")
    assert row["themes"] == [] and [q["text"] for q in row["quotes"]] == ["They listened"]


def test_public_coverage_protects_the_row_total(small_session: Path) -> None:
    ws = load(small_session)
    cov = public_coverage(aggregate.coverage(ws), ws.project)
    o2 = cov["objectives"][1]
    assert o2["cells"]["D"]["people"]["value"] == 50
    assert o2["cells"]["E"]["people"]["value"] == 225
    assert o2["people"]["rounded"]  # not the exact sum, which would undo the rounding
    assert "Publication rules" in coverage_tables(cov)[0].notes[0]


def test_threshold_and_base_come_from_the_project(small_session: Path) -> None:
    ws = load(small_session)
    assert ws.project is not None
    ws.project.disclosure.threshold = 2
    ws.project.disclosure.base = 1
    s = public_summary(aggregate.summarize(ws), ws.project)
    sessions = {r["id"]: r["young_people"] for r in s["feedback"]["sessions_list"]}
    assert sessions["feedback-small"]["value"] == 3


def test_every_published_table_has_no_lone_suppressed_cell(small_session: Path) -> None:
    ws = load(small_session)
    s = public_summary(aggregate.summarize(ws), ws.project)
    for t in summary_tables(s):
        cells = [row[-1] for row in t.rows]
        marks = [c for c in cells if isinstance(c, dict) and c.get("suppressed")]
        assert len(marks) != 1 or t.key in ("overview", "claims", "targets"), t.title


# --- property-based ---------------------------------------------------------------------

counts = st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 60), min_size=1,
                         max_size=8)


class P:
    class disclosure:  # noqa: N801 - stands in for the project file's section
        threshold = 7
        base = 5
        protected: list[str] = []


@settings(max_examples=300, deadline=None)
@given(counts)
def test_no_lone_suppressed_cell_beside_a_visible_total(parts: dict[str, int]) -> None:
    figures = {k: {"value": n, "estimated": False} for k, n in parts.items()}
    out = public_breakdown(figures, P)
    suppressed = [k for k, f in out.items() if f["suppressed"]]
    total = publish(sum(parts.values()), Rules())
    if not total["suppressed"]:
        assert len(suppressed) != 1 or all(
            out[k]["suppressed"] or out[k]["value"] == 0 for k in out)
    for k, f in out.items():
        n = parts[k]
        if n == 0:
            assert f["value"] == 0
        elif not f["suppressed"]:
            assert f["value"] % 5 == 0 and abs(f["value"] - n) <= 2
            assert n > 7


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 100))
def test_rounding_is_half_up_to_the_nearest_multiple(n: int, base: int) -> None:
    r = rhu(n, base)
    assert r % base == 0
    assert abs(r - n) * 2 <= base
    if (n % base) * 2 == base:
        assert r > n


# --- the report and the workbook in publication mode ---------------------------------------


def _docx_rows(path: Path) -> list[list[str]]:
    import docx

    doc = docx.Document(str(path))
    return [[c.text for c in row.cells] for t in doc.tables for row in t.rows]


def _docx_text(path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_public_report_suppresses_the_small_session(small_session: Path, tmp_path: Path) -> None:
    out = tmp_path / "public.docx"
    r = runner.invoke(app, ["report", str(small_session), "-o", str(out), "--public"])
    assert r.exit_code == 0, r.output
    rows = [r for r in _docx_rows(out) if r and r[0].startswith("feedback-")]
    by_id: dict[str, list[list[str]]] = {}
    for row in rows:
        by_id.setdefault(row[0], []).append(row)
    for rid in ("feedback-small", "feedback-uk"):  # the small one, and the second cell
        assert all("c" in row for row in by_id[rid]), by_id[rid]
    assert all("3" not in row and "20" not in row for rs in by_id.values() for row in rs)
    assert "Publication rules applied" in _docx_text(out)

    private = tmp_path / "private.docx"
    runner.invoke(app, ["report", str(small_session), "-o", str(private)])
    rows = [r for r in _docx_rows(private) if r and r[0] == "feedback-small"]
    assert rows and all("3" in row for row in rows)
    assert "Publication rules applied" not in _docx_text(private)


def test_public_workbook_suppresses_the_small_session(small_session: Path,
                                                       tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "public.xlsx"
    r = runner.invoke(app, ["export", str(small_session), "-o", str(out), "--public"])
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    assert "Feedback" not in wb.sheetnames  # no row-level records about children
    cells = [[c.value for c in row] for row in wb["Summary"].iter_rows()]
    small = [row for row in cells if "feedback-small" in row and "young people" in row]
    uk = [row for row in cells if "feedback-uk" in row and "young people" in row]
    assert small and all("c" in row and 3 not in row for row in small)
    assert uk and all("c" in row and 20 not in row for row in uk)
    text = " ".join(str(c) for row in cells for c in row if c is not None)
    assert "Publication rules applied" in text

    private = tmp_path / "private.xlsx"
    runner.invoke(app, ["export", str(small_session), "-o", str(private)])
    wb = load_workbook(private)
    assert any(3 in [c.value for c in row] for row in wb["Feedback"].iter_rows())
