"""Careless and hostile use of the commands (issue 11, "The rest"): init in a repository,
broken templates, a file where a folder goes, documents refused while validate reports an
error, output names that say another format, JSON whatever happens - each an exit 1 (data)
or 2 (usage) with a message, never a traceback. Silenced warnings: tests/test_ignore.py."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import edit_yaml
from tests.hostile import cli, files_under, limits  # noqa: F401 - limits: a fixture

pytestmark = pytest.mark.usefixtures("limits")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in files_under(folder)}


# --- init ----------------------------------------------------------------------------------


def test_init_in_a_git_repository_adds_to_its_gitignore(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("node_modules/\n*.xlsx", encoding="utf-8")
    r = cli("init", str(tmp_path))
    assert r.exit_code == 0, r.output
    lines = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["node_modules/", "*.xlsx"]
    assert {".cepa-secret", ".cepa-cache/", "attendance/", "*.docx"} <= set(lines)
    assert lines.count("*.xlsx") == 1
    assert (tmp_path / "cepa-project.yaml").is_file() and (tmp_path / "schemas").is_dir()
    before = snapshot(tmp_path)
    r = cli("init", str(tmp_path))
    assert r.exit_code == 1 and "already holds a project" in r.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("obstacle", ["seminars-is-a-file", "schema-exists", "newline-name"])
def test_init_refuses_before_writing_anything(tmp_path: Path, obstacle: str) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    if obstacle == "seminars-is-a-file":
        (folder / "seminars").write_text("not a folder")
        said = "seminars is a file"
    elif obstacle == "schema-exists":
        (folder / "schemas").mkdir()
        (folder / "schemas" / "project.json").write_text("{}")
        said = "project.json exists"
    else:
        folder = tmp_path / "p\nq"
        said = "control character"
    before = snapshot(tmp_path)
    r = cli("init", str(folder))
    assert r.exit_code == 1 and said in r.stderr, r.output
    assert snapshot(tmp_path) == before
    assert not (folder / "cepa-project.yaml").exists()


def test_init_writes_nothing_through_a_link_out_of_the_folder(tmp_path: Path) -> None:
    folder, outside = tmp_path / "p", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "schemas").symlink_to(outside)
    r = cli("init", str(folder))
    assert r.exit_code == 1 and "outside the project" in r.stderr
    assert list(outside.iterdir()) == [] and not (folder / "cepa-project.yaml").exists()


def test_new_writes_nothing_through_a_link_out_of_the_project(agis: Path,
                                                               tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (agis / "visits").rename(tmp_path / "visits-moved")
    (agis / "visits").symlink_to(outside)
    r = cli("new", "visit", "--project", str(agis))
    assert r.exit_code == 1 and "outside the project" in r.stderr
    assert list(outside.iterdir()) == []


def test_new_where_the_kind_folder_is_a_file(agis: Path) -> None:
    import shutil

    shutil.rmtree(agis / "visits")
    (agis / "visits").write_text("not a folder")
    r = cli("new", "visit", "--project", str(agis))
    assert r.exit_code == 1 and "cannot write" in r.stderr and "visits" in r.stderr


@pytest.mark.parametrize("command", ["validate", "summarize", "coverage", "new", "export"])
def test_a_loop_of_links_as_the_project(tmp_path: Path, command: str) -> None:
    (tmp_path / "loop").symlink_to("loop")
    args = ["seminar", "--project", str(tmp_path / "loop")] if command == "new" else [
        str(tmp_path / "loop")]
    r = cli(command, *args)
    assert r.exit_code == 2 and "no cepa-project.yaml in" in r.stderr


# --- report templates ------------------------------------------------------------------------


def test_a_word_template_without_a_style_the_report_needs(agis: Path, tmp_path: Path) -> None:
    """The report uses cepa's Heading 2, and says so, where it stopped before."""
    import docx

    d = docx.Document()
    style = d.styles["Heading 2"]
    style.element.getparent().remove(style.element)
    d.save(str(tmp_path / "ours.docx"))
    out = tmp_path / "r.docx"
    r = cli("report", str(agis), "-o", str(out), "--template", str(tmp_path / "ours.docx"))
    assert r.exit_code == 0 and out.exists(), r.stderr
    assert "ours.docx: it has no style 'Heading 2', " in r.stderr
    assert "which the report uses: it uses cepa's instead" in r.stderr
    assert "Traceback" not in r.stderr
    made = docx.Document(str(out))
    assert any(p.style.name == "Heading 2" and p.text.startswith("Activity A:")
               for p in made.paragraphs)


@pytest.mark.parametrize(("text", "said"), [
    ("Identification\n\n{{ 1 / 0 }}\n", "identification.md.j2, line 3: division by zero"),
    ('{% include "identification.md.j2" %}\n', "identification.md.j2: it includes itself"),
    ('Identification\n{% include "missing.md.j2" %}\n',
     "identification.md.j2, line 2: it includes 'missing.md.j2', which does not exist"),
    ("{{ ''.__class__.__mro__ }}\n", "identification.md.j2, line 1: "),
    ("{% for i in range(10**10) %}x{% endfor %}\n", "identification.md.j2, line 1: "),
])
def test_a_broken_text_template_is_named(agis: Path, tmp_path: Path, text: str,
                                         said: str) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "identification.md.j2").write_text(text, encoding="utf-8")
    out = tmp_path / "r.docx"
    r = cli("report", str(agis), "-o", str(out), "--texts", str(texts))
    assert r.exit_code == 1 and not out.exists(), r.output
    assert "cepa: error: report template " in r.stderr and said in r.stderr


# --- schema --write ------------------------------------------------------------------------


def test_schema_write_to_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "schemas"
    target.write_text("mine")
    r = cli("schema", "all", "--write", str(target))
    assert r.exit_code == 2 and "is a file" in r.stderr
    assert target.read_text() == "mine"
    r = cli("schema", "all", "--write", str(target / "below"))
    assert r.exit_code == 1 and "cannot write" in r.stderr


# --- report and export refuse while validate reports an error -------------------------------


def _breakdown_off(agis: Path) -> None:
    p = agis / "seminars" / "uk-seminar-2005-06.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("child protection: 27",
                                                       "child protection: 26"),
                 encoding="utf-8")


def _claim_off(agis: Path) -> None:
    def change(d: dict) -> None:  # type: ignore[type-arg]
        d["claims"][1]["value"] = 239

    edit_yaml(agis / "cepa-project.yaml", change)


@pytest.mark.parametrize("spoil", [_breakdown_off, _claim_off], ids=["breakdown", "claim"])
@pytest.mark.parametrize(("command", "suffix"), [("report", "docx"), ("export", "xlsx")])
def test_documents_are_refused_while_validate_reports_any_error(
        agis: Path, tmp_path: Path, spoil, command: str, suffix: str) -> None:  # type: ignore[no-untyped-def]
    spoil(agis)
    assert cli("validate", str(agis)).exit_code == 1
    out = tmp_path / f"out.{suffix}"
    r = cli(command, str(agis), "-o", str(out))
    assert r.exit_code == 1 and not out.exists()
    assert "'cepa validate' reports 1 error(s)" in r.stderr and "--allow-errors" in r.stderr
    r = cli(command, str(agis), "-o", str(out), "--allow-errors")
    assert r.exit_code == 0 and out.exists(), r.output


def test_the_readme_says_so() -> None:
    from tests.conftest import REPO

    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert ("`report` and `export` refuse to write while `cepa validate` reports any error"
            in readme)


# --- output names ----------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "said"), [
    (["report", "-o", "x.odt"], "Word document (.docx) or a PDF (.pdf)"),
    (["report", "-o", "x"], "Word document (.docx) or a PDF (.pdf)"),
    (["export", "-o", "x.json"], "--format xlsx writes a .xlsx file"),
    (["export", "-f", "json", "-o", "x.xlsx"], "--format json writes a .json file"),
    (["export", "-f", "csv", "-o", "x.csv"], "--format csv writes a folder"),
])
def test_an_output_named_for_another_format_is_refused(agis: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       args: list[str], said: str) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    r = cli(args[0], str(agis), *args[1:])
    assert r.exit_code == 2 and said in r.stderr
    assert list(here.iterdir()) == []


def test_export_names_its_default_output_for_its_format(agis: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("export", str(agis), "-f", "json").exit_code == 0
    assert json.loads((tmp_path / "evidence.json").read_text(encoding="utf-8"))
    assert cli("export", str(agis), "-f", "csv").exit_code == 0
    assert (tmp_path / "evidence-csv").is_dir()


# --- validate --format json -----------------------------------------------------------------


def test_validate_json_with_a_broken_project_file(agis: Path) -> None:
    p = agis / "cepa-project.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "more: [\n", encoding="utf-8")
    r = cli("validate", str(agis), "--format", "json")
    data = json.loads(r.stdout)
    assert r.exit_code == 1 and data["valid"] is False and data["records"] == 30
    assert [x["code"] for x in data["problems"]] == ["yaml-syntax"]


def test_validate_json_without_a_project(tmp_path: Path) -> None:
    r = cli("validate", str(tmp_path / "nowhere"), "--format", "json")
    data = json.loads(r.stdout)
    assert r.exit_code == 2 and data["valid"] is False and "does not exist" in data["usage_error"]


def test_validate_json_counts_files_not_problems(agis: Path) -> None:
    (agis / "seminars" / "extra.yaml").write_text("id: x\ntotal: [1\n", encoding="utf-8")
    (agis / "visits" / "bad.yaml").write_text("id: 1\n", encoding="utf-8")
    r = cli("validate", str(agis), "--format", "json")
    data = json.loads(r.stdout)
    assert data["records"] == 32 and data["errors"] > 2  # 30 shipped + 2 broken
