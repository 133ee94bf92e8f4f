"""The document stage: Markdown through a parser, templates found by name, values escaped,
and validate's results through reporters chosen by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from cepa.document.markdown import blocks, escape
from cepa.document.nodes import Heading, Items, Paragraph
from tests.conftest import edit_yaml

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_markdown_emphasis_lists_and_links() -> None:
    got = blocks("# Title\n\nThe *Four A's* model is **tested**; see [the report](https://x.org)."
                 "\n\n- one\n- two\n\n1. first\n2. second\n")
    assert got[0] == Heading(1, "Title")
    para = got[1]
    assert isinstance(para, Paragraph)
    runs = {r.text: r for r in para.runs}
    assert runs["Four A's"].emphasis and runs["tested"].strong
    assert runs["the report"].link == "https://x.org"
    assert isinstance(got[2], Items) and not got[2].ordered and len(got[2].items) == 2
    assert isinstance(got[3], Items) and got[3].ordered


def test_an_escaped_text_reads_as_itself() -> None:
    for text in ("# Not a heading", "- not a list", "45*", "*Blueprints*", "1. one",
                 "a\n# b\n- c", "[x](http://y)", "<b>bold</b>", "_under_"):
        got = blocks(escape(text))
        assert len(got) == 1 and isinstance(got[0], Paragraph), text
        assert got[0].text == " ".join(text.split()), text


def _report_text(path: Path) -> tuple[list[str], str]:
    import docx

    d = docx.Document(str(path))
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    return heads, "\n".join(p.text for p in d.paragraphs)


def test_a_records_text_never_becomes_a_heading(agis: Path, tmp_path: Path) -> None:
    edit_yaml(agis / "seminars" / "uk-seminar-2005-06.yaml",
              lambda d: d.update(change="Moved.\n# Injected heading\n- injected item",
                                 title="**Bold** title"))
    out = tmp_path / "r.docx"
    assert run("report", str(agis), "-o", str(out))[0] == 0
    heads, text = _report_text(out)
    assert "Injected heading" not in heads
    assert "# Injected heading - injected item" in text
    assert '"**Bold** title"' not in text or "**Bold** title" in text


def test_the_coordinators_markdown_is_rendered(agis: Path, tmp_path: Path) -> None:
    import docx

    (agis / "lessons-learnt.md").write_text(
        "# Our lessons\n\nWork *with* the police, **early**.\n\n- one\n- two\n",
        encoding="utf-8")
    out = tmp_path / "r.docx"
    assert run("report", str(agis), "-o", str(out))[0] == 0
    d = docx.Document(str(out))
    heading = next(p for p in d.paragraphs if p.text == "Our lessons")
    assert heading.style.name == "Heading 3"  # under the section's own heading
    para = next(p for p in d.paragraphs if p.text == "Work with the police, early.")
    assert [r.text for r in para.runs if r.italic] == ["with"]
    assert [r.text for r in para.runs if r.bold] == ["early"]
    assert "*" not in para.text


def test_a_projects_template_replaces_cepas_of_that_name_only(agis: Path,
                                                             tmp_path: Path) -> None:
    own = agis / "templates" / "report"
    own.mkdir(parents=True)
    (own / "annexes.md.j2").write_text("# {{ _('Annexes') }}\n\nOur own annex words.\n",
                                       encoding="utf-8")
    out = tmp_path / "r.docx"
    assert run("report", str(agis), "-o", str(out))[0] == 0
    heads, text = _report_text(out)
    assert "Our own annex words." in text
    assert "Project identification" in heads  # the rest are cepa's own


def test_init_copies_no_templates(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "p"))[0] == 0
    assert not (tmp_path / "p" / "templates").exists()


def test_validate_reporters_by_name(agis: Path) -> None:
    edit_yaml(agis / "seminars" / "uk-seminar-2005-06.yaml",
              lambda d: d["participants"].update(total=46))
    code, text, _ = run("validate", str(agis))
    assert code == 1 and "breakdown-mismatch" in text
    code, out, _ = run("validate", str(agis), "-f", "json")
    data = json.loads(out)
    assert code == 1 and not data["valid"] and data["errors"] >= 1
    code, out, _ = run("validate", str(agis), "-f", "github")
    assert code == 1
    line = next(x for x in out.splitlines() if "breakdown-mismatch" in x)
    assert line.startswith("::error file=") and ",line=" in line and ",col=" in line
    assert "::participants.by_sector adds up to 45" in line


def test_github_annotations_escape_what_would_break_them() -> None:
    from cepa.base.problems import Level, Problem
    from cepa.writers.problems import github_line

    p = Problem("a,b:c.yaml", 3, 1, Level.WARNING, "50% done\nnext", "misspelt-name")
    assert github_line(p) == ("::warning file=a%2Cb%3Ac.yaml,line=3,col=1,"
                              "title=cepa misspelt-name::50%25 done\\nnext (misspelt-name)")


@pytest.mark.parametrize("lang", ["pseudo"])
def test_the_pseudo_language_marks_every_word(lang: str) -> None:
    code, out, _ = run("summarize", "records", "--lang", lang)
    assert code == 0
    assert "Overview" not in out and "[Övéŕvîéw]" in out


def test_templates_list_show_and_copy(agis: Path) -> None:
    code, out, _ = run("templates", "list", "-p", str(agis))
    assert code == 0 and "annexes" in out.split() and "(the project has its own)" not in out
    code, out, _ = run("templates", "show", "annexes")
    assert code == 0 and out.startswith("{# cepa template 0.1.0: keep this line")
    assert out.splitlines()[1] == "# {{ heading }}"
    code, out, _ = run("templates", "copy", "annexes", "-p", str(agis))
    assert code == 0 and out.strip().endswith("annexes.md.j2")
    assert (agis / "templates" / "report" / "annexes.md.j2").is_file()
    code, out, _ = run("templates", "list", "-p", str(agis))
    assert "annexes                 (the project has its own)" in out
    code, _, err = run("templates", "copy", "annexes", "-p", str(agis))
    assert code == 1 and "has its own annexes.md.j2 already" in err
    code, _, err = run("templates", "show", "nope")
    assert code == 2 and "no template 'nope'" in err
