"""Publication mode: one gate for every published figure, proved by attacking the outputs.

The project attacked is YOUTH_NET (tests/projects.py): small counts of children among
large counts of adults, over two reporting periods. Every attack below works only on what
the public outputs print, with interval arithmetic written here (not cepa's solver): a
count rounded to the nearest 5 lies within 2 of what is shown, a 'c' is at least 1. The
attacker who also knows cepa's rules and tries every possibility is tests/test_attacker.py;
the numbered attacks of issue 20 are tests/test_attacks.py.

What the plan publishes for YOUTH_NET (cepa/publication/plan.py; threshold 7, base 5):
the feedback sessions of 2021 (3 and 20 young people) are one block, published as its
total (23: 25), then each session: the first is 'c', and the second must be 'c' too, since
any class of 20 at the edges of 16..26 would pin the first (25 - 26 < 1, 27 - 17 > 7); the
session of 2022 is a block of its own (25: 25). The whole project's young people are the
sum of what the blocks publish (25 + 25 = 50). The Riga drop-in (12) is 10, the Kaunas
service (4) 'c', so the children monitored in the whole project are 'c'.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cepa.cli import app
from cepa.publication.gate import round_half_up as rhu
from tests.conftest import RECORDS, build_tree
from tests.projects import YOUTH_NET, YOUTH_NET_PRIVATE

runner = CliRunner()
THRESHOLD = 7


@pytest.fixture
def youth(tmp_path: Path) -> Path:
    return build_tree(tmp_path / "youth-net", YOUTH_NET)


def run(*args: str) -> Any:
    r = runner.invoke(app, list(args))
    return r


def public_json(root: Path, *args: str) -> dict[str, Any]:
    r = run("summarize", str(root), "--public", "-f", "json", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


# --- the rules --------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "rounded"), [(8, 10), (12, 10), (13, 15), (15, 15), (17, 15),
                                             (18, 20), (22, 20), (23, 25), (225, 225),
                                             (226, 225), (227, 225), (228, 230)])
def test_round_half_up(n: int, rounded: int) -> None:
    assert rhu(n, 5) == rounded


def test_halves_go_up_unlike_round() -> None:
    assert rhu(25, 10) == 30 and round(25, -1) == 20
    assert rhu(15, 10) == 20 and rhu(5, 10) == 10


@settings(max_examples=300)
@given(st.integers(0, 10_000), st.integers(1, 100))
def test_rounding_is_half_up_to_the_nearest_multiple(n: int, base: int) -> None:
    r = rhu(n, base)
    assert r % base == 0
    assert abs(r - n) * 2 <= base
    if (n % base) * 2 == base:
        assert r > n


# --- what the public summary shows --------------------------------------------------------


def test_children_are_rounded_or_suppressed_and_adults_are_not(youth: Path) -> None:
    s = public_json(youth)
    sessions = [r["count"] for r in s["feedback"]["rows"]]
    # 3 -> c; 20 -> c (it would give the 3 away beside the total of 2021); 25 -> 25
    assert [f["value"] for f in sessions] == [None, None, 25]
    assert sessions[0]["suppressed"] and sessions[1]["suppressed"] and sessions[2]["rounded"]
    # the whole project: the published totals of 2021 (25) and 2022 (25) added up
    assert s["feedback"]["young_people"]["value"] == 50
    # 12 -> 10; the service of 4 is c, and so is the whole project's 12 + 4
    assert [r["count"]["value"] for r in s["outcomes"]["rows"]] == [10, None]
    assert s["outcomes"]["children"]["value"] is None
    assert s["outcomes"]["children"]["suppressed"]
    # 40 + 55 professionals, exactly
    assert s["attendance"]["total"]["value"] == 95 and "rounded" not in s["attendance"]["total"]
    assert s["disclosure"]["applied"] and s["disclosure"]["threshold"] == 7


def test_private_summary_shows_the_truth(youth: Path) -> None:
    r = run("summarize", str(youth), "-f", "json")
    s = json.loads(r.stdout)
    assert [f["count"]["value"] for f in s["feedback"]["rows"]] == [3, 20, 25]
    assert s["feedback"]["young_people"]["value"] == 48
    assert s["outcomes"]["children"]["value"] == 16
    assert s["disclosure"] is None


def test_a_claim_about_a_small_count_gives_nothing_away(youth: Path) -> None:
    s = public_json(youth)
    small = next(c for c in s["claims"] if c["id"] == "small-session")
    assert small["status"] == "not published" and small["computed"] is None
    assert small["records"] == [] and small["claimed"] is None
    # its own words gave the count: the number is shown 'c'
    assert small["text"] == "c young people took part in the first session"
    adults = next(c for c in s["claims"] if c["id"] == "trained")
    assert adults["status"] == "holds" and adults["computed"]["value"] == 95
    target = s["targets"][0]
    assert target["withheld"] and target["actual"] is None
    assert target["percent"] is None
    table = run("summarize", str(youth), "--public").stdout
    line = next(x for x in table.splitlines() if x.startswith("c young people"))
    assert line.count("not published") == 3 and "holds" not in line and " 3 " not in line
    assert "Three" not in table


def test_no_figure_adds_children_to_adults(youth: Path) -> None:
    r = run("coverage", str(youth), "--public", "-f", "json")
    cov = json.loads(r.stdout)
    o1 = cov["objectives"][0]
    assert o1["people"]["value"] == 95 and "children" not in o1["people"]  # adults, exact
    # children kept apart: 50 young people and 10 + c children monitored, so c
    assert o1["children"]["value"] is None and o1["children"]["suppressed"]
    r = run("summarize", str(youth), "--by", "year", "--kind", "all", "--public", "-f", "json")
    figures = json.loads(r.stdout)["figures"]
    assert set(figures) == {"seminars", "feedback", "outcomes"}  # the kinds it has
    assert figures["seminars"]["2021"]["value"] == 40  # a column a kind, never a sum


# --- attacks on what is published ---------------------------------------------------------


def interval(f: dict[str, Any]) -> tuple[float, float]:
    """What a published figure tells an attacker about the true count."""
    if f.get("suppressed"):
        return 1, math.inf
    v = f["value"]
    if f.get("rounded"):
        return max(v - 2, THRESHOLD + 1), v + 2
    return v, v


def attack(plus: dict[str, Any], *minus: dict[str, Any]) -> tuple[float, float]:
    """The range of plus - sum(minus) for a suppressed count (at least 1)."""
    lo, hi = interval(plus)
    for m in minus:
        mlo, mhi = interval(m)
        lo, hi = lo - mhi, hi - mlo
    return max(lo, 1), hi


def assert_protected(bounds: tuple[float, float]) -> None:
    lo, hi = bounds
    assert hi - lo >= THRESHOLD, f"an attacker confines the count to {lo}..{hi}"


def session(s: dict[str, Any], i: int) -> dict[str, Any]:
    return s["feedback"]["rows"][i]


def test_attack_country_table_minus_session_table(youth: Path) -> None:
    s = public_json(youth)
    assert session(s, 0)["count"]["suppressed"]
    lv = s["feedback"]["by_country"]["LV"]  # 3 + 20
    assert_protected(attack(lv, session(s, 1)["count"]))


def test_attack_age_bands_minus_other_sessions(youth: Path) -> None:
    s = public_json(youth)
    for band in ("13-15", "16-17"):
        whole = s["feedback"]["by_age_band"][band]
        others = [session(s, i)["breakdowns"]["by_age_band"][band] for i in (1, 2)]
        assert_protected(attack(whole, *others))
        # and the small session's own bands, against its (suppressed) total
        assert session(s, 0)["breakdowns"]["by_age_band"][band]["suppressed"]


def test_attack_total_minus_the_other_sessions(youth: Path) -> None:
    s = public_json(youth)
    others = [session(s, i)["count"] for i in (1, 2)]
    assert_protected(attack(s["feedback"]["young_people"], *others))


def test_attack_interim_period_against_the_whole_project(youth: Path) -> None:
    whole, interim = public_json(youth), public_json(youth, "--period", "interim")
    # 2021 sessions: 3 and 20; the interim total minus the 20 would leave the 3 alone, so
    # the 20 is not published either: what is left of the total is both sessions
    rows = interim["feedback"]["rows"]
    assert len(rows) == 2 and all(r["count"].get("suppressed") for r in rows)
    assert interim["feedback"]["young_people"]["value"] == 25
    # children monitored: whole (12 + 4) minus interim (12) is the small service
    assert_protected(attack(whole["outcomes"]["children"], interim["outcomes"]["children"]))
    # the whole project's young people are the sum of what its periods publish
    later = next(r for r in whole["feedback"]["rows"] if r["date"] == "2022-05")["count"]
    assert whole["feedback"]["young_people"]["value"] == (
        interim["feedback"]["young_people"]["value"] + later["value"])
    # the same cell has the same fate in both outputs
    assert (interim["feedback"]["rows"][0]["count"]
            == whole["feedback"]["rows"][0]["count"])


def test_attack_risk_parts_against_the_service_total(youth: Path) -> None:
    s = public_json(youth)
    riga = s["outcomes"]["rows"][0]  # 12 children: 9 reduced, 3 unchanged
    assert riga["breakdowns"]["risk"]["unchanged"]["suppressed"]
    # without a second suppression, 12 -> 10 minus 9 -> 10 would pin 3 to 1..4
    assert_protected(attack(riga["count"], riga["breakdowns"]["risk"]["reduced"]))


def test_audit_passes_and_plain_classes_alone_would_not(youth: Path) -> None:
    for period in ([], ["--period", "interim"]):
        r = run("audit-disclosure", str(youth), *period, "-f", "json")
        assert r.exit_code == 0, r.output
        audit = json.loads(r.stdout)
        assert audit["safe"] and audit["suppressed"] >= 5
        assert all(c["values"] is None or c["values"] >= THRESHOLD
                   or c["low"] > THRESHOLD for c in audit["cells"])
    # each count in its plain class (20 shown as 20 beside the total of 2021) pins the 3
    r = run("audit-disclosure", str(youth), "--primary-only")
    assert r.exit_code == 1
    assert "UNSAFE" in r.stdout and "rows[fb-2021-03]" in r.stdout


def test_public_period_must_be_named(youth: Path) -> None:
    r = run("summarize", str(youth), "--public", "--from", "2021-03")
    assert r.exit_code == 2 and "reporting_periods" in r.stderr
    r = run("report", str(youth), "--public", "--to", "2021-06", "-o", str(youth / "x.docx"))
    assert r.exit_code == 2 and not (youth / "x.docx").exists()


# --- every public output: audited, and without private text --------------------------------


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows()
                     for c in row if c.value is not None)


@pytest.mark.parametrize("period", [None, "interim"])
def test_every_public_output_passes_the_audit_and_keeps_private_text_out(
        youth: Path, tmp_path: Path, period: str | None) -> None:
    per = ["--period", period] if period else []
    texts: dict[str, str] = {}
    for by in ("", "activity", "country", "partner", "year", "kind", "city", "sector",
               "organisation", "participant_country", "age_band"):
        for fmt in ("table", "json", "csv", "markdown"):
            args = ["summarize", str(youth), "--public", "-f", fmt, *per]
            if by:
                args += ["--by", by, "--kind", "all"]
            r = run(*args)
            assert r.exit_code == 0, (args, r.output)
            texts[" ".join(args[2:])] = r.stdout
    for fmt in ("table", "json"):
        r = run("coverage", str(youth), "--public", "-f", fmt, *per)
        assert r.exit_code == 0
        texts[f"coverage {fmt}"] = r.stdout
    report = tmp_path / "public.docx"
    assert run("report", str(youth), "--public", "-o", str(report), *per).exit_code == 0
    texts["report"] = _docx_text(report)
    book = tmp_path / "public.xlsx"
    assert run("export", str(youth), "--public", "-o", str(book), *per).exit_code == 0
    texts["workbook"] = _xlsx_text(book)
    folder = tmp_path / "csv"
    assert run("export", str(youth), "--public", "-f", "csv", "-o", str(folder),
               *per).exit_code == 0
    texts["csv"] = "\n".join(p.read_text(encoding="utf-8-sig") for p in folder.glob("*.csv"))
    doc = tmp_path / "public.json"
    assert run("export", str(youth), "--public", "-f", "json", "-o", str(doc),
               *per).exit_code == 0
    texts["export json"] = doc.read_text(encoding="utf-8")
    for name, text in texts.items():
        for secret in YOUTH_NET_PRIVATE:
            assert secret not in text, (name, secret)
    assert run("audit-disclosure", str(youth), *per).exit_code == 0
    # the figures are there, protected: the 95 professionals exactly, children rounded
    assert "95" in texts["report"] and ("50" in texts["report"] or period)


def test_the_shipped_records_pass_the_audit_and_keep_their_figures(tmp_path: Path) -> None:
    r = run("audit-disclosure", str(RECORDS), "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["safe"]
    s = public_json(RECORDS)
    assert s["outcomes"]["children"]["value"] == 225  # 226, rounded to the nearest 5
    assert s["attendance"]["total"]["value"] == 302  # professionals: as recorded


# --- text from records about children -------------------------------------------------------


def test_unpublishable_themes_and_quotes_are_dropped(youth: Path) -> None:
    p = youth / "feedback" / "fb-2021-09.yaml"
    p.write_text(p.read_text().replace("publishable: true", "publishable: false")
                 + "quotes:\n  - {text: They listened, publishable: true}\n"
                   "  - {text: Not for print}\n")
    s = public_json(youth)
    row = next(r for r in s["feedback"]["rows"] if r["date"] == "2021-09")
    assert row["texts"]["themes"] == [] and row["texts"]["quotes"] == ["They listened"]
    assert row["id"].startswith("feedback record ") and row["fields"]["host"] is None
    private = json.loads(run("summarize", str(youth), "-f", "json").stdout)
    row = next(r for r in private["feedback"]["rows"] if r["date"] == "2021-09")
    assert row["id"] == "fb-2021-09" and row["texts"]["themes"]


def test_a_breakdown_key_like_an_internal_name_is_just_a_key(youth: Path) -> None:
    """No sentinel keys in data: a band called '_true' or 'value' is a band."""
    p = youth / "feedback" / "fb-2022-05.yaml"
    p.write_text(p.read_text().replace('{"13-15": 12, "16-17": 13}', '{"_true": 12, value: 13}'))
    s = public_json(youth)
    bands = s["feedback"]["rows"][2]["breakdowns"]["by_age_band"]
    assert set(bands) == {"_true", "value"}  # a publishable record: its keys are shown
    assert {f["value"] for f in bands.values()} <= {10, 15, None}


def test_threshold_and_base_come_from_the_project(youth: Path) -> None:
    p = youth / "cepa-project.yaml"
    p.write_text(p.read_text() + "disclosure: {threshold: 2, base: 1}\n")
    s = public_json(youth)
    # base 1 rounds nothing; the session of 3 is above the threshold of 2, so it is shown,
    # and so is 20: the total of 2021 (23) and the 3 leave it nothing to hide; its age
    # bands of 2 and 1 are not, and stay 'c'
    assert [r["count"]["value"] for r in s["feedback"]["rows"]] == [3, 20, 25]
    bands = s["feedback"]["rows"][0]["breakdowns"]["by_age_band"]
    assert [f["value"] for f in bands.values()] == [None, None]
    assert s["outcomes"]["rows"][0]["count"]["value"] == 12
    assert (s["disclosure"]["threshold"], s["disclosure"]["base"]) == (2, 1)


def test_csv_of_public_summary_has_no_true_small_value(youth: Path) -> None:
    r = run("summarize", str(youth), "--public", "-f", "csv")
    rows = list(csv.DictReader(r.stdout.splitlines()))
    session_rows = [x for x in rows if x["table"] == "feedback" and x["column"] == "young people"]
    assert [x["value"] for x in session_rows] == ["c", "c", "25"]


def test_the_private_report_quotes_every_theme_and_the_public_one_only_publishable(
        youth: Path, tmp_path: Path) -> None:
    private = tmp_path / "private.docx"
    assert run("report", str(youth), "-o", str(private)).exit_code == 0
    text = _docx_text(private)
    assert "The club leader noticed first" in text  # a session not marked publishable
    assert "Adults online pretended to be other teenagers" in text
    public = tmp_path / "public.docx"
    assert run("report", str(youth), "--public", "-o", str(public)).exit_code == 0
    text = _docx_text(public)
    assert "The club leader noticed first" not in text
    assert "Adults online pretended to be other teenagers" in text
