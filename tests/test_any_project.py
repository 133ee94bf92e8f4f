"""Any real project, not only the shipped one: an Erasmus+ partnership and a Daphne project
(tests/projects.py), recorded, summarised and reported; figures by hand in their docstrings."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import NO_LIBREOFFICE, build_tree
from tests.projects import DAPHNE, ERASMUS
from tests.test_report import SECTION_HEADINGS

runner = CliRunner()

#: Words of the shipped model project that must never appear in another project's report.
MODEL_WORDS = ("Barnardo", "Blueprints", "Tartu", "Stade", "AGIS", "identify and share",
               "sexual exploitation")


@pytest.fixture
def erasmus(tmp_path: Path) -> Path:
    return build_tree(tmp_path / "erasmus", ERASMUS)


@pytest.fixture
def daphne(tmp_path: Path) -> Path:
    return build_tree(tmp_path / "daphne", DAPHNE)


def summary(root: Path, *args: str) -> dict[str, Any]:
    r = runner.invoke(app, ["summarize", str(root), "-f", "json", *args])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def values(b: dict[str, Any]) -> dict[str, Any]:
    return {k: f["value"] for k, f in b.items()}


@pytest.mark.parametrize("files", [ERASMUS, DAPHNE], ids=["erasmus", "daphne"])
def test_validates_clean(tmp_path: Path, files: dict[str, str]) -> None:
    root = build_tree(tmp_path / "p", files)
    r = runner.invoke(app, ["validate", str(root)])
    assert r.exit_code == 0 and r.stdout == "", r.stdout


def test_erasmus_figures(erasmus: Path) -> None:
    s = summary(erasmus)
    att = s["attendance"]
    assert att["total"]["value"] == 177
    assert values(att["by_country"]) == {"DE": 57, "EL": 51, "online": 35, "FI": 34}
    assert values(att["by_year"]) == {"2020": 12, "2021": 35, "2022": 130}
    assert att["by_function"]["teachers"]["value"] == 44
    assert values(att["by_activity"]) == {"4": 108, "1": 36, "2": 24, "6": 9}
    assert s["countries"] == ["DE", "EL", "FI", "IT"]
    p = s["planned"]
    assert [a["id"] for a in p["implemented"]] == ["1", "2", "3"]
    assert [(a["id"], a["partly"]) for a in p["not_implemented"]] == [("4", True),
                                                                      ("5", False)]
    assert p["not_implemented"][1]["reason"].startswith("Cancelled because of travel")
    assert [a["id"] for a in p["unforeseen"]] == ["6"]
    training = next(a for a in s["activities"] if a["id"] == "2")
    assert training["status"] == "moved" and [p["mode"] for p in training["places"]] == ["online"]
    assert training["dates"] == ["2021-05-11, 2021-05-12, 2021-05-14"]  # as written
    assert [c["text"] for c in training["comments"]][0].startswith("The breakout rooms")
    assert training["indicators"][0]["actual"]["value"] == 24
    assert s["outputs"]["languages"] == ["en", "de", "el", "fi", "it"]
    assert s["claims"][0]["status"] == "holds"
    assert summary(erasmus, "--period", "interim")["attendance"]["total"]["value"] == 47


def test_daphne_figures(daphne: Path) -> None:
    s = summary(daphne)
    att = s["attendance"]
    assert att["total"]["value"] == 263
    assert values(att["by_country"]) == {"LT": 187, "LV": 76}
    assert values(att["by_year"]) == {"2015": 33, "2016": 230}
    f = values(att["by_function"])
    assert (f["teachers"], f["parents"], f["journalists"]) == (36, 50, 11)
    p = s["planned"]
    assert [a["id"] for a in p["implemented"]] == ["R1", "N1", "C1", "P1"]
    assert [(a["id"], a["reason"][:30]) for a in p["not_implemented"]] == [
        ("T1", "The ministry withdrew its appr")]
    assert p["unforeseen"] == []


def test_the_internal_note_reaches_no_output(erasmus: Path, tmp_path: Path) -> None:
    out = runner.invoke(app, ["summarize", str(erasmus), "-f", "json"]).stdout
    assert "platform invoice" not in out
    book = tmp_path / "e.json"
    runner.invoke(app, ["export", str(erasmus), "-f", "json", "-o", str(book)])
    assert "platform invoice" not in book.read_text(encoding="utf-8")


def _report(root: Path, out: Path) -> str:
    import docx

    r = runner.invoke(app, ["report", str(root), "-o", str(out)])
    assert r.exit_code == 0, r.output
    d = docx.Document(str(out))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


@pytest.mark.parametrize("name", ["erasmus", "daphne"])
def test_the_report_answers_every_question_in_the_projects_words(
        request: pytest.FixtureRequest, tmp_path: Path, name: str) -> None:
    root = request.getfixturevalue(name)
    text = _report(root, tmp_path / f"{name}.docx")
    for heading in SECTION_HEADINGS:
        if heading.startswith("Annex "):  # numbered as the project's annexes come
            heading = heading.split(": ", 1)[1]
            if heading == "Notes on the figures":  # only where a figure is estimated
                continue
        assert heading in text, heading
    for word in MODEL_WORDS:
        assert word not in text, word
    if name == "erasmus":
        assert "11, 12 and 14 May 2021" in text and "online" in text
        assert "Held online over three days" in text  # the reason the training moved
        assert "Cancelled because of travel restrictions" in text
        assert "Press conference on the toolkit" in text
        assert "English, German, Greek, Finnish, Italian" in text
        assert "Bayerstraße 1, 80335 München" in text  # the lead partner's address
        assert "The breakout rooms worked better than expected" in text  # a comment
        assert "Travel restrictions stopped the training week" in text  # difficulties.md
        assert "Country: Online" not in text and "Online, " not in text
    else:
        assert "The ministry withdrew its approval" in text
        assert "Vaikų Linija" in text and "Rīgas Universitāte" in text
        assert "This section has not been written." in text


@pytest.mark.skipif(NO_LIBREOFFICE, reason="LibreOffice or poppler is not installed "
                                           "(CI installs them)")
def test_libreoffice_renders_the_erasmus_report(erasmus: Path, tmp_path: Path) -> None:
    out = tmp_path / "erasmus.docx"
    _report(erasmus, out)
    profile = tmp_path / "lo-profile"
    subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "erasmus.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    for heading in ("Project identification", "Unforeseen activities", "Dissemination",
                    "Evidence appendix"):
        assert heading in text
    assert "177" in text and "Safe Schools Toolkit" in text


# --- writing such a project ----------------------------------------------------------------


def test_numbered_activities_and_new_records_validate_as_written(tmp_path: Path) -> None:
    r = runner.invoke(app, ["init", str(tmp_path / "p")])
    assert r.exit_code == 0, r.output
    root = tmp_path / "p"
    for kind in ("event", "output", "seminar", "visit", "interview", "feedback", "outcome"):
        r = runner.invoke(app, ["new", kind, "--project", str(root)])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["validate", str(root)])
    assert r.exit_code == 0, r.stdout  # placeholders are warnings, nothing else is wrong
    assert "(placeholder)" in r.stdout
    assert "activity: 1" in (root / "events" / "event-001.yaml").read_text(encoding="utf-8")


def _event(**fields: str) -> str:
    base = {"id": "e1", "activity": "1", "objectives": "[1]", "title": "Training",
            "type": "training", "date": "2021-05-11", "city": "München", "country": "DE",
            "convenor": "lmu", "participants": "{total: 10}"}
    base.update(fields)
    return "".join(f"{k}: {v}\n" for k, v in base.items() if v != "-")


@pytest.mark.parametrize(("fields", "message"), [
    ({"mode": "online"}, "an online gathering has no city or country"),
    ({"city": "-"}, "needs 'city' and 'country'"),
    ({"country": "GE1"}, "write a two-letter code"),
    ({"country": "EN"}, "'EN' is not a country code"),
    ({"id": "'e 1'"}, "holds a space, which an id may not hold"),
    ({"id": "'e#1'"}, "'#' (number sign)"),
    ({"date": "[2021-05-11, 2021-13-01]"}, "not a date"),
    ({"participants": "{total: 10, by_function: {teachers: 9}}"}, "adds up to 9"),
])
def test_what_is_wrong_in_an_event(erasmus: Path, fields: dict[str, str], message: str) -> None:
    (erasmus / "events" / "bad.yaml").write_text(_event(**fields), encoding="utf-8")
    r = runner.invoke(app, ["validate", str(erasmus)])
    assert r.exit_code == 1 and "bad.yaml" in r.stdout and message in r.stdout, r.stdout


def test_ids_in_any_alphabet(erasmus: Path) -> None:
    (erasmus / "events" / "ok.yaml").write_text(_event(id="koolitus-õpetajatele",
                                                       participants="{total: 0}"),
                                                encoding="utf-8")
    r = runner.invoke(app, ["validate", str(erasmus)])
    assert r.exit_code == 0, r.stdout


def test_an_activity_that_says_nothing_and_a_status_without_reason(erasmus: Path) -> None:
    p = erasmus / "cepa-project.yaml"
    text = p.read_text(encoding="utf-8")
    text = text.replace("  - {id: 6, title: Press conference", "  - {id: 7, title: Evaluation, "
                        "kind: events, objectives: [1]}\n  - {id: 6, title: Press conference")
    text = text.replace("status: moved\n    reason: Held online over three days instead of a "
                        "week in Tampere, because of travel\n      restrictions.\n",
                        "status: moved\n")
    p.write_text(text, encoding="utf-8")
    r = runner.invoke(app, ["validate", str(erasmus)])
    assert "activity 7 has no records and no status" in r.stdout
    assert "activity 2 is moved, with no reason" in r.stdout
    assert "(activity-status)" in r.stdout


def test_validate_final_names_the_sections_not_written(daphne: Path) -> None:
    r = runner.invoke(app, ["validate", str(daphne), "--final"])
    assert r.exit_code == 0
    assert "difficulties.md:1:1: warning: the final report's section 'Difficulties" in r.stdout
    assert r.stdout.count("(narrative-missing)") == 5
    (daphne / "difficulties.md").write_text("Approval was withdrawn.\n", encoding="utf-8")
    r = runner.invoke(app, ["validate", str(daphne), "--final"])
    assert r.stdout.count("(narrative-missing)") == 4


# --- what a new coordinator ran into --------------------------------------------------------


def test_one_country_written_two_ways_is_warned(erasmus: Path) -> None:
    p = erasmus / "events" / "tpm-1.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("EL: 3", "GR: 3"), encoding="utf-8")
    r = runner.invoke(app, ["validate", str(erasmus)])
    assert "'GR' and 'EL' are the same country" in r.stdout and "(country-twice)" in r.stdout


def test_a_project_language_cepa_does_not_write_gives_english_words(erasmus: Path,
                                                                    tmp_path: Path) -> None:
    p = erasmus / "cepa-project.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace(
        "lead: lmu", "lead: lmu\nlanguage: el"), encoding="utf-8")
    r = runner.invoke(app, ["summarize", str(erasmus)])
    assert r.exit_code == 0 and "Overview" in r.stdout
    assert r.stdout.splitlines()[1].startswith("Period: September 2020")  # a real line break
    r = runner.invoke(app, ["report", str(erasmus), "-o", str(tmp_path / "r.docx")])
    assert r.exit_code == 0, r.output


def test_by_function_counts_the_events_without_being_told(erasmus: Path) -> None:
    r = runner.invoke(app, ["summarize", str(erasmus), "--by", "function", "-f", "json"])
    figures = json.loads(r.stdout)["figures"]
    assert figures["teachers"]["value"] == 44 and figures["journalists"]["value"] == 7


def test_the_public_report_refuses_a_section_that_counts_few_children(erasmus: Path,
                                                                      tmp_path: Path) -> None:
    (erasmus / "lessons-learnt.md").write_text(
        "Only four young people came to the Athens session.\n", encoding="utf-8")
    out = tmp_path / "public.docx"
    r = runner.invoke(app, ["report", str(erasmus), "--public", "-o", str(out)])
    assert r.exit_code == 1 and "lessons-learnt.md says 'four young people'" in r.stderr
    assert "lessons-learnt.public.md" in r.stderr and not out.exists()
    (erasmus / "lessons-learnt.public.md").write_text("Small groups worked.\n",
                                                      encoding="utf-8")
    r = runner.invoke(app, ["report", str(erasmus), "--public", "-o", str(out)])
    assert r.exit_code == 0, r.output
    import docx

    text = "\n".join(par.text for par in docx.Document(str(out)).paragraphs)
    assert "Small groups worked." in text and "four young people" not in text
