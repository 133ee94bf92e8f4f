"""The report's outline in the project file: sections and annexes left out, reordered,
renamed per language, and the writer's own sections, which validate --final, the
translator's list and the publication gate treat as cepa's own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from tests.test_report import SECTION_HEADINGS

runner = CliRunner()

SAFEGUARDING = ("Every partner named a safeguarding lead, and every visit followed the "
                "host's *child protection* policy. Staff who met young people were **vetted** "
                "beforehand, and one of the partners trained the others.\n")


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def with_outline(root: Path, text: str) -> Path:
    with (root / "cepa-project.yaml").open("a", encoding="utf-8") as f:
        f.write("\nreport:\n" + text)
    return root


def report(root: Path, out: Path, *args: str) -> Path:
    code, _, err = run("report", str(root), "-o", str(out), *args)
    assert code == 0, err
    return out


def body(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph, and ('table', first header cell) of every table,
    in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(str(path))
    out: list[tuple[str, str]] = []
    for child in d.element.body.iterchildren():
        if child.tag.endswith("}p"):
            p = Paragraph(child, d)
            out.append((p.style.name if p.style is not None else "", p.text))
        elif child.tag.endswith("}tbl"):
            out.append(("table", Table(child, d).rows[0].cells[0].text))
    return out


def headings(path: Path) -> list[str]:
    return [t for s, t in body(path) if s == "Heading 1"]


def contents(path: Path) -> list[str]:
    """The lines of the contents (a heading, a tab and its page number)."""
    import docx

    return [p.text.split("\t")[0] for p in docx.Document(str(path)).paragraphs
            if "\t" in p.text]


def tables_under(path: Path, heading: str) -> list[str]:
    """The first header cell of each table between a level-1 heading and the next."""
    out, inside = [], False
    for style, text in body(path):
        if style == "Heading 1":
            inside = text == heading
        elif inside and style == "table":
            out.append(text)
    return out


def test_inits_example_uncommented_is_cepas_outline(tmp_path: Path, agis: Path) -> None:
    """cepa init writes cepa's outline as comments; uncommented as it stands, the report is
    the one without it."""
    assert run("init", str(tmp_path / "p"))[0] == 0
    text = (tmp_path / "p" / "cepa-project.yaml").read_text(encoding="utf-8")
    start = text.index("# report:")
    block = "\n".join(line[2:] for line in text[start:].splitlines())
    assert "      - figure_notes" in block and "      # - own: safeguarding" in block
    with (agis / "cepa-project.yaml").open("a", encoding="utf-8") as f:
        f.write("\n" + block + "\n")
    code, out, _ = run("validate", str(agis))
    assert code == 0 and out == ""
    assert headings(report(agis, tmp_path / "r.docx")) == SECTION_HEADINGS


def test_an_annex_left_out_takes_its_tables_and_two_annexes_swap(agis: Path,
                                                                 tmp_path: Path) -> None:
    with_outline(agis, "  outline:\n    annexes: [coverage, attendance, appendix, "
                       "figure_notes]\n")
    out = report(agis, tmp_path / "r.docx")
    hs = headings(out)
    assert hs[-5:] == ["Annexes", "Annex 1: Objective coverage", "Annex 2: Attendance",
                       "Annex 3: Evidence appendix", "Annex 4: Notes on the figures"]
    assert not any("Claims" in h for h in hs)
    # the claims' table (its first column 'claim') is nowhere, and each annex holds its own
    cells = [t for s, t in body(out) if s == "table"]
    assert "claim" not in cells
    assert set(tables_under(out, "Annex 1: Objective coverage")) == {"objective"}
    assert tables_under(out, "Annex 2: Attendance")[:2] == ["activity", "country"]
    # the annexes' introduction lists the four, in their order
    paras = [t for _, t in body(out)]
    at = paras.index("Annexes")
    assert paras[at + 2:at + 6] == hs[-4:]


def test_a_section_renamed_per_language_and_one_left_out(agis: Path, tmp_path: Path) -> None:
    with_outline(agis, """  outline:
    sections:
      - identification
      - part: difficulties
        title: {en: Challenges we met, nl: Moeilijkheden die we tegenkwamen}
      - results
""")
    en = headings(report(agis, tmp_path / "en.docx"))
    assert en[:3] == ["Project identification", "Challenges we met", "Results of each activity"]
    assert "Activities and their participants" not in en and "Follow-up" not in en
    nl = headings(report(agis, tmp_path / "nl.docx", "--lang", "nl"))
    assert nl[1] == "Moeilijkheden die we tegenkwamen"
    # a language the outline does not give: the project's own words
    et = headings(report(agis, tmp_path / "et.docx", "--lang", "et"))
    assert et[1] == "Challenges we met"
    code, out, _ = run("validate", str(agis), "--lang", "et")
    line = next(x for x in out.splitlines() if "report.outline.sections.1.title" in x)
    assert "translation-missing" in line and re.search(r"cepa-project.yaml:\d+:", line)
    # the title page no longer asks for the sections left out
    import docx

    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "en.docx")).paragraphs)
    unwritten = next(x for x in text.splitlines() if x.startswith("Not yet written:"))
    assert "Follow-up" not in unwritten and "Challenges we met" in unwritten


def test_an_own_section_like_cepas(agis: Path, tmp_path: Path) -> None:
    with_outline(agis, """  outline:
    sections:
      - identification
      - own: safeguarding
        title: {en: Safeguarding, nl: Bescherming van kinderen}
        asks: How were the children and young people kept safe?
      - follow_up
""")
    # not written yet: validate --final asks for it, the report says so
    code, out, _ = run("validate", str(agis), "--final")
    line = next(x for x in out.splitlines() if "safeguarding.md" in x)
    assert "narrative-missing" in line and "kept safe?" in line
    assert "lessons-learnt.md" not in out  # left out of the outline, not asked for
    import docx

    r = report(agis, tmp_path / "r.docx")
    text = "\n".join(p.text for p in docx.Document(str(r)).paragraphs)
    assert "Not yet written: Safeguarding, Follow-up" in text
    # written, in English and in Dutch
    (agis / "safeguarding.md").write_text(SAFEGUARDING, encoding="utf-8")
    (agis / "safeguarding.nl.md").write_text("Elke partner wees een verantwoordelijke aan "
                                             "voor de veiligheid van de kinderen.\n",
                                             encoding="utf-8")
    r = report(agis, tmp_path / "r.docx", "--force")
    assert headings(r) == ["Project identification", "Safeguarding", "Follow-up", "Annexes",
                           "Annex 1: Attendance", "Annex 2: Objective coverage",
                           "Annex 3: Claims checked", "Annex 4: Evidence appendix",
                           "Annex 5: Notes on the figures"]
    assert contents(r)[:3] == ["Project identification", "Safeguarding", "Follow-up"]
    d = docx.Document(str(r))
    para = next(p for p in d.paragraphs if p.text.startswith("Every partner named"))
    assert [x.text for x in para.runs if x.italic] == ["child protection"]
    assert [x.text for x in para.runs if x.bold] == ["vetted"]
    nl = report(agis, tmp_path / "nl.docx", "--lang", "nl")
    assert "Bescherming van kinderen" in headings(nl)
    assert any(t.startswith("Elke partner wees") for _, t in body(nl))
    # the translator's list names the Dutch file once it is missing
    (agis / "safeguarding.nl.md").unlink()
    code, out, _ = run("validate", str(agis), "--lang", "nl")
    assert "safeguarding.nl.md:1:1: warning: the section 'Safeguarding' has no nl text" in out


def test_an_own_sections_count_of_children_is_refused_when_public(agis: Path,
                                                                  tmp_path: Path) -> None:
    with_outline(agis, "  outline:\n    sections: [identification, {own: safeguarding, "
                       "title: Safeguarding}]\n")
    (agis / "safeguarding.md").write_text(
        SAFEGUARDING + "\nIn the feedback sessions three young people asked for a "
                       "counsellor.\n", encoding="utf-8")
    out = tmp_path / "public.docx"
    code, _, err = run("report", str(agis), "-o", str(out), "--public")
    assert code == 1 and not out.exists()
    assert "safeguarding.md says 'three young people'" in err
    assert "safeguarding.public.md" in err and "Traceback" not in err
    (agis / "safeguarding.public.md").write_text(SAFEGUARDING, encoding="utf-8")
    import docx

    text = "\n".join(p.text for p in docx.Document(str(report(agis, out, "--public")))
                     .paragraphs)
    assert "Every partner named" in text and "three young people" not in text


def test_without_the_notes_annex_each_table_gives_its_reasons(agis: Path,
                                                              tmp_path: Path) -> None:
    import docx

    with_outline(agis, "  outline:\n    annexes: [attendance, appendix]\n")
    d = docx.Document(str(report(agis, tmp_path / "r.docx")))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Notes on the figures" not in text and "see note" not in text
    # the estimate's reason, in the records' words, under the table that marks it
    assert "* estimated" in text and "127 for the three UK seminars" in text
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert "45*" in cells and not any(re.fullmatch(r"45\*\d+", c) for c in cells)


def test_the_notes_annex_before_the_appendix_holds_the_appendixs_notes(agis: Path,
                                                                       tmp_path: Path) -> None:
    import docx

    with_outline(agis, "  outline:\n    annexes: [figure_notes, appendix]\n")
    d = docx.Document(str(report(agis, tmp_path / "r.docx")))
    hs = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert hs[-2:] == ["Annex 1: Notes on the figures", "Annex 2: Evidence appendix"]
    at = next(i for i, p in enumerate(d.paragraphs)
              if p.text == hs[-2] and p.style.name == "Heading 1")
    notes = []
    for p in d.paragraphs[at + 2:]:
        if p.style.name == "Heading 1":
            break
        notes.append(p.text)
    marks = {int(n) for t in d.tables for row in t.rows for c in row.cells
             for m in re.findall(r"\*([\d,]+)$", c.text) for n in m.split(",")}
    # every number a table marks is a note of the annex, though the appendix comes after
    assert marks and max(marks) == len(notes) and len(notes) >= 4


@pytest.mark.parametrize(("outline", "said"), [
    ("  outline:\n    sections: [identification, safeguarding]\n",
     "'safeguarding' is not one of cepa's parts of the report"),
    ("  outline:\n    annexes: [claims, claims]\n", "'claims' is listed twice"),
    ("  outline:\n    sections: [{own: safeguarding}]\n",
     "the section of your own 'safeguarding' needs a title"),
    ("  outline:\n    sections: [{own: lessons-learnt, title: Lessons}]\n",
     "'lessons-learnt' is one of cepa's parts"),
])
def test_a_wrong_outline_is_named_at_its_line(agis: Path, tmp_path: Path, outline: str,
                                              said: str) -> None:
    lines = len((agis / "cepa-project.yaml").read_text(encoding="utf-8").splitlines())
    with_outline(agis, outline)
    code, out, _ = run("validate", str(agis))
    assert code == 1
    line = next(x for x in out.splitlines() if said in x)
    at = int(re.search(r"cepa-project.yaml:(\d+):", line).group(1))  # type: ignore[union-attr]
    assert lines < at <= lines + 4  # in the lines the outline added
    code, _, err = run("report", str(agis), "-o", str(tmp_path / "r.docx"))
    assert code == 1 and said in err and "Traceback" not in err


def test_a_misspelt_part_may_be_written_with_hyphens(agis: Path, tmp_path: Path) -> None:
    with_outline(agis, "  outline:\n    sections: [lessons-learnt, follow-up]\n"
                       "    annexes: []\n")
    assert headings(report(agis, tmp_path / "r.docx")) == ["Lessons learnt", "Follow-up"]
