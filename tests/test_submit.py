"""What changed since submission: cepa submit freezes a period, cepa diff names every figure
that moved and the records behind it, validate warns until each change says why, and every
report, workbook and JSON carries the fingerprint of the records it came from."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from cepa.records.workspace import display
from tests.conftest import edit_yaml

runner = CliRunner()
SEMINAR = Path("seminars") / "uk-seminar-2005-06.yaml"

#: By hand, when the London seminar of June 2005 gets one more participant in child
#: protection (45 -> 46, 27 -> 28): the figures of 'final' that move.
MOVED = {
    "seminars.rows[uk-seminar-2005-06].count": (45, 46),
    "seminars.rows[uk-seminar-2005-06].breakdowns[by_sector][child protection]": (27, 28),
    "seminars.participants": (302, 303),
    "attendance.total": (302, 303),
    "attendance.by_country[UK]": (127, 128),
    "attendance.by_partner[barnardos]": (127, 128),
    "attendance.by_year[2005]": (45 + 40 + 38, 45 + 40 + 38 + 1),
    "attendance.by_sector[child protection]": (140, 141),
    "activities[B].people": (238, 239),
    "claims[uk-seminars].computed": (127, 128),
    "claims[uk-nl-seminars].computed": (238, 239),
    "claims[stakeholders].computed": (302, 303),
    "targets[stakeholders].actual": (302, 303),
}


def _run(*args: str, code: int = 0) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == code, r.output
    return r.stdout


def _edit_the_seminar(agis: Path) -> None:
    def change(d: dict) -> None:  # type: ignore[type-arg]
        d["participants"]["total"] = 46
        d["participants"]["by_sector"]["child protection"] = 28

    edit_yaml(agis / SEMINAR, change)


def test_submit_edit_diff_and_validate(agis: Path) -> None:
    _run("submit", "--period", "final", "-p", str(agis))
    frozen = (agis / "submissions" / "final.json").read_text()
    assert ('"seminars.rows[uk-seminar-2005-06].count": {"value": 45, "grade": "split", '
            '"records": ["uk-seminar-2005-06"]}') in frozen
    assert _run("diff", "final", "-p", str(agis)).count("No submitted figure moved.") == 1
    _edit_the_seminar(agis)
    d = json.loads(_run("diff", "final", "-p", str(agis), "-f", "json", code=1))
    moved = {f["figure"]: (f["submitted"], f["now"]) for f in d["figures"]}
    assert MOVED.items() <= moved.items()
    assert all(f["records"] == ["uk-seminar-2005-06"] for f in d["figures"])
    assert [(r["id"], r["change"], r["revision"]) for r in d["records"]] == [
        ("uk-seminar-2005-06", "changed", None)]
    assert d["fingerprint_submitted"] != d["fingerprint_now"]
    text = _run("diff", "final", "-p", str(agis), code=1)
    # the records first; each figure's place in words
    assert text.index("Records that changed since it was submitted") < text.index("Figures of")
    assert re.search(r"^seminars, participants +302 +303 +changed +uk-seminar-2005-06$", text,
                     re.M)
    assert re.search(r"^activity B, by country, UK +127 +\d+ +changed", text, re.M)
    # validate warns, at the seminar, until the record says why
    r = runner.invoke(app, ["validate", str(agis)])
    warned = [x for x in r.stdout.splitlines() if "(submitted-changed)" in x]
    assert len(warned) == 1 and str(SEMINAR) in warned[0]
    assert ("seminar 'uk-seminar-2005-06' changed since 'final' was submitted, moving "
            f"{len(d['figures'])} submitted figure(s): "
            "seminars.rows[uk-seminar-2005-06].count 45 -> 46") in warned[0]
    edit_yaml(agis / SEMINAR, lambda x: x.update(
        revision="One London participant was counted at York; sign-in sheets recounted."))
    r = runner.invoke(app, ["validate", str(agis)])
    assert "(submitted-changed)" not in r.stdout
    d = json.loads(_run("diff", "final", "-p", str(agis), "-f", "json", code=1))
    assert d["records"][0]["revision"].startswith("One London participant")


def test_a_reason_in_the_project_file_and_a_record_gone(agis: Path) -> None:
    _run("submit", "--period", "final", "-p", str(agis))
    (agis / "seminars" / "final-seminar-tartu.yaml").unlink()
    r = runner.invoke(app, ["validate", str(agis)])
    line = next(x for x in r.stdout.splitlines() if "(submitted-changed)" in x)
    assert line.startswith(display(agis / "submissions" / "final.json"))
    assert "record 'final-seminar-tartu' was behind figures submitted for 'final' and is gone" \
        in line
    edit_yaml(agis / "cepa-project.yaml", lambda d: d.update(revisions=[
        {"period": "final", "records": ["final-seminar-tartu"],
         "reason": "Recorded twice; the Tartu seminar is in the final report's annex."}]))
    r = runner.invoke(app, ["validate", str(agis)])
    assert "(submitted-changed)" not in r.stdout
    d = json.loads(_run("diff", "final", "-p", str(agis), "-f", "json", code=1))
    gone = {f["figure"]: (f["submitted"], f["now"], f["change"]) for f in d["figures"]}
    assert gone["seminars.rows[final-seminar-tartu].count"] == (64, None, "gone")
    assert gone["attendance.total"] == (302, 238, "changed")


def test_submitting_again_a_period_unknown_or_not_submitted(agis: Path) -> None:
    _run("submit", "--period", "interim", "-p", str(agis))
    r = runner.invoke(app, ["submit", "--period", "interim", "-p", str(agis)])
    assert r.exit_code == 1 and "--force submits it again" in r.stderr
    _run("submit", "--period", "interim", "-p", str(agis), "--force")
    r = runner.invoke(app, ["submit", "--period", "midterm", "-p", str(agis)])
    assert r.exit_code == 2 and "known: interim, final" in r.stderr
    r = runner.invoke(app, ["diff", "final", "-p", str(agis)])
    assert r.exit_code == 2 and "'final' has not been submitted (submitted: interim)" in r.stderr
    # the submissions folder is the project's, not a misspelt kind
    assert "stray-file" not in runner.invoke(app, ["validate", str(agis)]).stdout


def test_a_submission_file_edited_by_hand(agis: Path) -> None:
    _run("submit", "--period", "final", "-p", str(agis))
    p = agis / "submissions" / "final.json"
    p.write_text(p.read_text().replace('"format": "cepa.submission/1"', '"format": "mine"'))
    r = runner.invoke(app, ["validate", str(agis)])
    assert r.exit_code == 1 and "(submission-invalid)" in r.stdout
    r = runner.invoke(app, ["diff", "final", "-p", str(agis)])
    assert r.exit_code == 1 and "Traceback" not in r.output


def test_every_output_carries_the_fingerprint_and_documents_are_kept(agis: Path,
                                                                     tmp_path: Path) -> None:
    import docx
    from openpyxl import load_workbook

    fingerprint = json.loads(_run("summarize", str(agis), "-f", "json"))["fingerprint"]
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint)
    assert json.loads(_run("coverage", str(agis), "-f", "json"))["fingerprint"] == fingerprint
    report = tmp_path / "final.docx"
    _run("report", str(agis), "-o", str(report))
    props = docx.Document(str(report)).core_properties
    assert props.identifier == f"cepa-records:{fingerprint}"
    assert props.created.date() == date.today() and props.title.startswith("JAI/2004/AGIS/143")
    assert isinstance(props.modified, datetime)
    d = docx.Document(str(report))
    text = "\n".join([p.text for p in d.paragraphs]
                     + [c.text for t in d.tables for r in t.rows for c in r.cells])
    assert fingerprint[:12] in text  # on the title page
    book = tmp_path / "final.xlsx"
    _run("export", str(agis), "-o", str(book))
    wb = load_workbook(book)
    assert wb.properties.identifier == f"cepa-records:{fingerprint}"
    assert wb.properties.created.date() == date.today()
    assert any(fingerprint[:12] in str(v) for r in wb["Summary"].iter_rows(values_only=True)
               for v in r if v)
    # a public one carries none: it would hash counts that are not published
    public = json.loads(_run("summarize", str(agis), "--public", "-f", "json"))
    assert public["fingerprint"] == ""
    # submitted with the period: their SHA-256 kept; a document of other records refused
    _run("submit", "--period", "final", "-p", str(agis), str(report), str(book))
    frozen = (agis / "submissions" / "final.json").read_text()
    assert f'"fingerprint": "{fingerprint}"' in frozen and '"sha256": ' in frozen
    _edit_the_seminar(agis)
    r = runner.invoke(app, ["submit", "--period", "final", "-p", str(agis), "--force",
                            "--allow-errors", str(report)])
    assert r.exit_code == 1 and "was written from other records" in r.stderr
    _run("report", str(agis), "-o", str(report), "--force", "--allow-errors")
    d = json.loads(_run("diff", "final", "-p", str(agis), "-f", "json", code=1))
    assert {x["file"].rsplit("/", 1)[-1]: x["state"] for x in d["documents"]} == {
        "final.docx": "changed", "final.xlsx": "unchanged"}


def test_the_documents_are_found_wherever_diff_runs(agis: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "sent" / "final.xlsx"
    book.parent.mkdir()
    monkeypatch.chdir(book.parent)
    _run("export", str(agis), "-o", "final.xlsx")
    _run("submit", "--period", "final", "-p", str(agis), "final.xlsx")
    for where in (agis, tmp_path, book.parent):
        monkeypatch.chdir(where)
        d = json.loads(_run("diff", "final", "-p", str(agis), "-f", "json"))
        assert [x["state"] for x in d["documents"]] == ["unchanged"], where


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_diff_in_every_format(agis: Path, fmt: str) -> None:
    _run("submit", "--period", "final", "-p", str(agis))
    _edit_the_seminar(agis)
    text = _run("diff", "final", "-p", str(agis), "-f", fmt, code=1)
    assert "uk-seminar-2005-06" in text and "303" in text


def test_a_total_of_many_records_keeps_their_number(agis: Path) -> None:
    """A figure behind more than 25 records keeps how many, not their ids; a record gone
    since is still named behind it. 30 more seminars of 10 participants each (by hand:
    302 + 300 = 602)."""
    text = (agis / "seminars" / "final-seminar-tartu.yaml").read_text()
    for i in range(30):
        extra = text.replace("id: final-seminar-tartu", f"id: extra-{i:02}").replace(
            "activity: F", "activity: B")
        extra = extra.split("participants:")[0] + "participants: {total: 10}\n"
        (agis / "seminars" / f"extra-{i:02}.yaml").write_text(extra)
    _run("submit", "--period", "final", "-p", str(agis), "--allow-errors")  # the claims fail
    frozen = (agis / "submissions" / "final.json").read_text()
    assert '"attendance.total": {"value": 602, "grade": "exact", "behind": 37}' in frozen
    (agis / "seminars" / "extra-07.yaml").unlink()
    d = json.loads(_run("diff", "final", "-p", str(agis), "-f", "json", code=1))
    moved = {f["figure"]: f for f in d["figures"]}
    assert (moved["attendance.total"]["submitted"], moved["attendance.total"]["now"]) == (602,
                                                                                          592)
    assert moved["attendance.total"]["records"] == ["extra-07"]


def test_a_workbook_of_other_records_is_refused(agis: Path, tmp_path: Path) -> None:
    book = tmp_path / "final.xlsx"
    _run("export", str(agis), "-o", str(book))
    _edit_the_seminar(agis)
    r = runner.invoke(app, ["submit", "--period", "final", "-p", str(agis), "--allow-errors",
                            str(book)])
    assert r.exit_code == 1 and "was written from other records" in r.stderr, r.output
