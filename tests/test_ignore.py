"""Silencing a warning where it stands: ``# cepa: ignore[code]`` on its line, or an
``ignore:`` rule in the project file; errors and personal-data warnings never (issue 11)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile import PROBLEM_LINE, cli, limits  # noqa: F401 - limits: a fixture

pytestmark = pytest.mark.usefixtures("limits")


def _seminar(agis: Path, by_org: str, comment: str = "") -> Path:
    """A clean extra seminar of 30 people (test_validate's), counted by organisation."""
    from tests.test_validate import seminar

    p = agis / "seminars" / "extra.yaml"
    p.write_bytes(seminar().replace(b"by_country: {EE: 30}",
                                    f"by_organisation: {by_org}{comment}".encode()))
    return p


def test_a_warning_is_silenced_on_its_line_only(agis: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(agis)
    _seminar(agis, "{Stadee: 30}")
    r = cli("validate")
    assert r.exit_code == 0 and "(misspelt-name)" in r.stdout
    _seminar(agis, "{Stadee: 30}", "   # cepa: ignore[misspelt-name]")
    r = cli("validate")
    assert r.exit_code == 0 and r.stdout == ""
    _seminar(agis, "{Stadee: 30}", "   # cepa: ignore[placeholder, misspelt-name]")
    assert cli("validate").stdout == ""
    _seminar(agis, "{Stadee: 30}", "   # cepa: ignore[placeholder]")
    assert "(misspelt-name)" in cli("validate").stdout


def test_errors_and_personal_data_warnings_cannot_be_silenced(
        agis: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(agis)
    _seminar(agis, "{Stade: 29}", "   # cepa: ignore[breakdown-mismatch, no-such-code]")
    r = cli("validate")
    lines = r.stdout.splitlines()
    assert r.exit_code == 1 and all(PROBLEM_LINE.match(x) for x in lines)
    assert any(x.endswith("(breakdown-mismatch)") for x in lines)
    assert any("ignore[breakdown-mismatch]: 'breakdown-mismatch' is an error, and errors "
               "cannot be silenced" in x for x in lines)
    assert any("'no-such-code' is not a problem code" in x for x in lines)
    p = agis / "feedback" / "feedback-uk.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "quotes:\n  - text: she met Jane Smith   "
                 "# cepa: ignore[personal-data-text]\n", encoding="utf-8")
    r = cli("validate")
    assert "(personal-data-text)" in r.stdout
    assert "'personal-data-text' is about personal data and cannot be silenced" in r.stdout


def test_project_file_rules_silence_a_warning_for_matching_files(
        agis: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(agis)
    (agis / "seminars" / "scan.pdf.txt").write_text("a scan's text")
    (agis / "visits" / "notes.txt").write_text("notes")
    p = agis / "cepa-project.yaml"
    p.write_text(p.read_text(encoding="utf-8") + (
        "ignore:\n"
        "  - {code: stray-file, path: seminars/*.txt, reason: scans kept beside records}\n"
        "  - {code: duplicate-id, path: '*'}\n"), encoding="utf-8")
    r = cli("validate")
    assert "seminars/scan.pdf.txt" not in r.stdout
    assert "visits/notes.txt:1:1: warning: not a .yaml record file" in r.stdout
    assert ("cepa-project.yaml:" in r.stdout and "ignore: 'duplicate-id' is an error"
            in r.stdout)
    assert r.exit_code == 0  # warnings only


def test_ignore_comments_stay_cheap_on_a_clean_project(agis: Path) -> None:
    """Files are read again for ignore comments only when they have a problem."""
    real_open = os.open
    opened: list[str] = []

    def counting(path, flags, *a):  # type: ignore[no-untyped-def]
        opened.append(str(path))
        return real_open(path, flags, *a)

    os.open = counting  # type: ignore[assignment]
    try:
        assert cli("validate", str(agis)).exit_code == 0
    finally:
        os.open = real_open  # type: ignore[assignment]
    from cepa.records.workspace import walk

    files = len(walk(agis).files) + 1  # and the project file
    assert len([p for p in opened if p.endswith(".yaml")]) <= files
