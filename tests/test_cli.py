"""The CLI as a whole: help for every command, version, and a real process end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa import __version__
from cepa.cli import app
from tests.conftest import RECORDS, REPO

runner = CliRunner()


def command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_version() -> None:
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and __version__ in r.stdout


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name: str) -> None:
    r = runner.invoke(app, [name, "--help"])
    assert r.exit_code == 0
    assert "Example" in r.stdout, f"cepa {name} --help has no example"
    assert f"cepa {name}" in (REPO / "README.md").read_text(), f"README lacks cepa {name}"


def test_end_to_end_broken_file_in_a_real_process(agis: Path) -> None:
    (agis / "seminars" / "broken.yaml").write_bytes(b"id: x\ntitle: Caf\xe9\n")
    r = subprocess.run([sys.executable, "-m", "cepa", "validate", str(agis)],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "broken.yaml:2:11: error: not UTF-8" in r.stdout
    assert "Traceback" not in r.stderr


def test_end_to_end_clean_records() -> None:
    r = subprocess.run([sys.executable, "-m", "cepa", "validate", str(RECORDS)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == ""


@pytest.mark.parametrize(("command", "suffix"), [("report", "docx"), ("export", "xlsx")])
def test_documents_for_others_are_not_written_with_records_missing(agis: Path, tmp_path: Path,
                                                                 command: str,
                                                                 suffix: str) -> None:
    p = agis / "seminars" / "uk-seminar-2005-06.yaml"
    p.write_text(p.read_text().replace("total: 45", "total: forty-five"))
    out = tmp_path / f"out.{suffix}"
    r = runner.invoke(app, [command, str(agis), "-o", str(out)])
    assert r.exit_code == 1 and "--allow-errors" in r.stderr and not out.exists()
    r = runner.invoke(app, [command, str(agis), "-o", str(out), "--allow-errors"])
    assert r.exit_code == 0 and out.exists()
    if suffix == "docx":
        import docx

        text = "\n".join(x.text for x in docx.Document(str(out)).paragraphs)
    else:
        from openpyxl import load_workbook

        text = " ".join(str(c.value) for row in load_workbook(out)["Summary"].iter_rows()
                        for c in row if c.value)
    assert "Left out: 1 record file with errors" in text
    assert "uk-seminar-2005-06.yaml" in text
