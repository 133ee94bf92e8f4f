"""cepa report: the Word report of the shipped records, its templates, and writing it safely."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from cepa.document.tables import summary_tables
from tests.conftest import NO_LIBREOFFICE, load_script

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()

#: The questions of an EC action grant's final technical report, in its order.
SECTION_HEADINGS = ["Project identification", "Activities and their participants",
                    "Target groups reached", "Planned activities implemented",
                    "Planned activities not implemented", "Unforeseen activities",
                    "Results of each activity", "Difficulties encountered",
                    "European added value", "Lessons learnt", "Dissemination", "Follow-up",
                    "Annexes", "Annex 1: Attendance", "Annex 2: Objective coverage",
                    "Annex 3: Claims checked", "Annex 4: Evidence appendix",
                    "Annex 5: Notes on the figures"]
AGIS_FIGURES = ["238", "127", "111", "64", "302", "122", "226", "34", "58", "17"]


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def summary_of(path: Path):  # type: ignore[no-untyped-def]
    from cepa.evidence.summary import summarize
    from cepa.records.workspace import load

    return summarize(load(path))


def docx_tables(path: Path) -> list[list[list[str]]]:
    import docx

    d = docx.Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]


def headings(path: Path) -> list[str]:
    import docx

    d = docx.Document(str(path))
    return [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]


@pytest.fixture
def report(agis: Path, tmp_path: Path) -> Path:
    out = tmp_path / "blueprint.docx"
    code, _, err = run("report", str(agis), "-o", str(out))
    assert code == 0, err
    return out


def test_report_has_every_section_table_and_chart(report: Path) -> None:
    import docx

    hs = headings(report)
    for h in SECTION_HEADINGS:
        assert h in hs
    for a in "ABCDEFG":
        assert any(h.startswith(f"Activity {a}: ") for h in hs)
    d = docx.Document(str(report))
    assert len(d.inline_shapes) >= 2  # participants by seminar and by country at least
    text = "\n".join(p.text for p in d.paragraphs)
    assert "{{" not in text and "}}" not in text
    assert "JAI/2004/AGIS/143" in text
    assert 'TOC \\o "1-1"' in d.element.xml  # the sections, as the list it holds
    assert "w:updateFields" not in d.settings.element.xml  # Word asks nothing on opening


def test_every_figure_table_equals_summarize(agis: Path, report: Path) -> None:
    s = summary_of(agis)
    # an estimate is marked in the report with the number of its note: '140*2' is '140*'
    found = [[[re.sub(r"\*[\d,]+$", "*", c) for c in row] for row in t]
             for t in docx_tables(report)]
    keys = ["by_activity", "by_country", "by_sector", "by_year", "by_organisation", "targets",
            "claims", "implemented", "interviews_by_group", "visits_hosts_by_country",
            "outcomes_by_service"]
    by_key = {t.key: t for t in summary_tables(s)}
    for key in keys:
        t = by_key[key]
        expected = [t.columns] + [[c.text for c in r] for r in t.rows]
        assert expected in found, f"table {key} differs from cepa summarize"


def test_narrative_figures_come_from_the_summary(agis: Path, report: Path) -> None:
    import docx

    text = "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    # the model project's summary: 302 stakeholders at seminars, 226 children monitored,
    # 64 + 58 interviews, 15 + 13 + 6 primary participants, 8 + 5 + 4 host organisations;
    # all exact in the source, so none carries '*'
    assert "302 participants took part" in text
    assert "226 children and young people" in text
    assert "122 interviews" in text
    assert "15 child protection professionals" in text  # Barnardo's primary participants
    assert "to 17 host organisations" in text


def test_evidence_appendix_lists_every_record_with_its_file(agis: Path, report: Path) -> None:
    s = summary_of(agis)
    rows = [r for t in docx_tables(report) if t[0][0] == "record id" for r in t[1:]]
    ids = {r[0] for r in rows}
    # 5 visits, 7 seminars, 4 interview batches, 2 feedback sessions, 10 outcome records,
    # 2 outputs
    assert len(ids) == s.records["total"] == 30
    assert all(r[4].endswith(".yaml") for r in rows)
    uk = next(r for r in rows if r[0] == "uk-seminar-2005-06")
    assert uk[3].startswith("45*")  # estimated, footnoted


def test_report_in_a_subprocess(agis: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "report.docx"
    r = subprocess.run([sys.executable, "-m", "cepa", "report", str(agis), "-o", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert out.is_file() and out.read_bytes()[:2] == b"PK"
    assert not list(out.parent.glob("*.part"))


@pytest.mark.skipif(NO_LIBREOFFICE, reason="LibreOffice or poppler is not installed "
                                           "(CI installs them and never skips this)")
def test_libreoffice_opens_it_and_the_pdf_holds_the_agis_figures(report: Path,
                                                                  tmp_path: Path) -> None:
    outdir = tmp_path / "pdf"
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(outdir),
                    str(report)], capture_output=True, timeout=240, check=True)
    pdf = outdir / "blueprint.pdf"
    assert pdf.is_file()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 8 <= pages <= 30
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    for figure in AGIS_FIGURES:
        assert re.search(rf"\b{figure}\b", text), figure
    for h in SECTION_HEADINGS:
        assert h in text
    assert "{{" not in text


def _make_reference():  # type: ignore[no-untyped-def]
    return load_script(REPO / "templates" / "make_reference.py")


def test_custom_template_and_reworded_section(agis: Path, tmp_path: Path) -> None:
    import docx
    from docx.shared import RGBColor

    style = _make_reference().build(tmp_path / "ours.docx", body_font="DejaVu Serif",
                                    heading_font="DejaVu Serif",
                                    heading_colour=RGBColor(0x8B, 0x00, 0x00),
                                    footer_text="Our organisation")
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "identification.md.j2").write_text(
        "# Where we worked\n\nOur {{ partners | length }} partners ran the project over "
        "{{ period.label }} and reached {{ attendance.total | fig }} seminar participants.\n",
        encoding="utf-8")
    out = tmp_path / "ours-report.docx"
    code, _, err = run("report", str(agis), "-o", str(out), "--template", str(style),
                       "--texts", str(texts))
    assert code == 0, err
    d = docx.Document(str(out))
    hs = headings(out)
    assert "Where we worked" in hs and "Project identification" not in hs
    assert "Target groups reached" in hs  # the other sections keep the shipped words
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Our 3 partners ran the project over January 2005 to December 2006 and reached " \
           "302 seminar participants." in text
    assert d.styles["Normal"].font.name == "DejaVu Serif"
    assert d.styles["Heading 1"].font.color.rgb == RGBColor(0x8B, 0x00, 0x00)
    assert d.styles["Heading 1"].font.name == "DejaVu Serif"
    assert "Our organisation" in d.sections[0].header.paragraphs[0].text


def test_second_run_without_force_leaves_the_first_report(agis: Path, report: Path) -> None:
    before = report.read_bytes()
    code, _, err = run("report", str(agis), "-o", str(report))
    assert code == 1
    assert "already exists" in err and "--force" in err
    assert report.read_bytes() == before
    code, _, err = run("report", str(agis), "-o", str(report), "--force")
    assert code == 0, err
    assert not list(report.parent.glob("*.part"))


@pytest.mark.parametrize("text, line, what", [
    ("# Objectives\n\nWe had\n{{ attendance.totl.value }} people.\n", 4, "totl"),
    ("# Objectives\n\n{% for o in objectives %}\n- {{ o.text }}\n", None,
     "identification.md.j2"),
    ("# Objectives\n\n{{ nosuchthing | fig }}\n", 3, "nosuchthing"),
])
def test_broken_placeholder_names_template_and_line(agis: Path, tmp_path: Path, text: str,
                                                    line: int | None, what: str) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "identification.md.j2").write_text(text, encoding="utf-8")
    out = tmp_path / "r.docx"
    code, _, err = run("report", str(agis), "-o", str(out), "--texts", str(texts))
    assert code == 1
    assert "identification.md.j2" in err and what in err
    if line:
        assert f"line {line}" in err
    assert "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_broken_template_docx_is_a_clear_error(agis: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_text("not a word file", encoding="utf-8")
    code, _, err = run("report", str(agis), "-o", str(tmp_path / "r.docx"), "--template",
                       str(bad))
    assert code == 1 and "not a Word .docx" in err and "Traceback" not in err


def test_period_report(agis: Path, tmp_path: Path) -> None:
    out = tmp_path / "interim.docx"
    code, _, err = run("report", str(agis), "-o", str(out), "--period", "interim")
    assert code == 0, err
    s = summary_of(agis)
    assert s  # the whole-project summary differs from the interim one
    tables = docx_tables(out)
    claims = next(t for t in tables if t[0][0] == "claim")
    assert len(claims) > 1


def test_git_commit_on_the_title_page(agis: Path, tmp_path: Path) -> None:
    import docx

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(agis)], check=True)
    subprocess.run(["git", "-C", str(agis), "add", "."], check=True)
    subprocess.run(["git", *env, "-C", str(agis), "commit", "-qm", "records"], check=True)
    head = subprocess.run(["git", "-C", str(agis), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    out = tmp_path / "r.docx"
    assert run("report", str(agis), "-o", str(out))[0] == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert f"Records at git commit: {head}" in text
    assert "uncommitted" not in text
    (agis / "seminars" / "uk-seminar-2005-06.yaml").write_text(
        (agis / "seminars" / "uk-seminar-2005-06.yaml").read_text() + "\n", encoding="utf-8")
    assert run("report", str(agis), "-o", str(out), "--force")[0] == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert f"{head} (uncommitted changes)" in text


def test_no_git_no_commit_line(agis: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cepa.records import workspace

    monkeypatch.setattr(workspace, "git_commit", lambda root: None)
    out = tmp_path / "r.docx"
    assert run("report", str(agis), "-o", str(out))[0] == 0
    import docx

    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "git commit" not in text


def test_public_report_carries_the_disclosure_statement(agis: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "public.docx"
    code, _, err = run("report", str(agis), "-o", str(out), "--public")
    assert code == 0, err
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Publication:" in text


def test_import_cli_stays_light() -> None:
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", "import cepa.cli"],
                       capture_output=True, text=True, timeout=60)
    modules = {line.split("|")[-1].strip().split(".")[0] for line in r.stderr.splitlines()
               if "|" in line}
    for heavy in ("docx", "matplotlib", "jinja2", "pandas", "openpyxl"):
        assert heavy not in modules


def test_shipped_templates_are_found() -> None:
    from cepa.document.report import OUTLINE
    from cepa.document.templates import shipped as shipped_templates
    from cepa.writers.docx import reference_docx

    SECTIONS = [p.name for p in OUTLINE if p.name != "narrative"]

    assert reference_docx().is_file()
    for name in ("title", *SECTIONS, "activity_visits", "activity_seminars",
                 "activity_interviews", "activity_feedback", "activity_outcomes"):
        assert (shipped_templates() / "report" / f"{name}.md.j2").is_file()


def test_progress_is_reported() -> None:
    from cepa.commands.report import _with_progress

    seen: list[str] = []

    def work(progress):  # type: ignore[no-untyped-def]
        progress("figures", 0, 2)
        seen.append("ran")
        return b"ok"

    assert _with_progress(work) == b"ok" and seen == ["ran"]


def test_build_report_calls_progress(agis: Path) -> None:
    from cepa.api import Evidence
    from cepa.records import workspace as project

    steps: list[tuple[str, int, int]] = []
    data = Evidence(project.load(agis)).report(progress=lambda *a: steps.append(a))
    assert data[:2] == b"PK"
    assert steps[0][0] == "title" and steps[-1] == ("done", steps[-1][1], steps[-1][1])


def test_large_tables_spliced_in_as_text_read_back_the_same(agis: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """Tables over SPLICE_ROWS rows are written into the saved file as text; they must
    read back exactly as tables built in the document do."""
    import docx

    from cepa.writers import docx as report_module

    def tables(path: Path) -> list[list[list[str]]]:
        return [[[c.text for c in row.cells] for row in t.rows]
                for t in docx.Document(str(path)).tables]

    built = tmp_path / "built.docx"
    assert run("report", str(agis), "-o", str(built))[0] == 0
    monkeypatch.setattr(report_module, "SPLICE_ROWS", 3)
    spliced = tmp_path / "spliced.docx"
    assert run("report", str(agis), "-o", str(spliced))[0] == 0
    assert tables(spliced) == tables(built)
    text = "\n".join(p.text for p in docx.Document(str(spliced)).paragraphs)
    assert "cepa-spliced-table" not in text
