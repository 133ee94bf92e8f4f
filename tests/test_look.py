"""The report's look from the writer's own reference document: the project's own without a
flag, one saved by LibreOffice or a Word template, styles it lacks added and said, none of
its properties overridden, fields in its headers and footers, charts in its colours and
font, a font this machine lacks named - and the house style of tests/house.py end to end."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from tests import house
from tests.conftest import NO_LIBREOFFICE, REPO, load_script

runner = CliRunner()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

needs_libreoffice = pytest.mark.skipif(
    NO_LIBREOFFICE, reason="LibreOffice or poppler is not installed (CI installs them and "
                           "never skips this)")


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def parts_text(path: Path, prefix: str) -> str:
    """The text of every part of the .docx whose name starts with ``prefix`` (word/header,
    word/footer), paragraph by paragraph."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if name.startswith(prefix) and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                for para in xml.split("</w:p>"):
                    out.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para)))
    return "\n".join(x for x in out if x)


def make_reference(path: Path, **options: object) -> Path:
    return load_script(REPO / "templates" / "make_reference.py").build(path, **options)


@pytest.fixture
def houses(tmp_path: Path) -> Path:
    """The shipped records with the house outline, own section and LibreOffice template."""
    return house.project(tmp_path / "house")


# --- the reference document ------------------------------------------------------------------


def test_the_projects_own_reference_is_used_without_a_flag(agis: Path, tmp_path: Path) -> None:
    import docx

    (agis / "templates").mkdir()
    make_reference(agis / "templates" / "reference.docx", footer_text="Our organisation")
    out = tmp_path / "r.docx"
    code, _, err = run("report", str(agis), "-o", str(out))
    assert code == 0, err
    assert "Our organisation" in docx.Document(str(out)).sections[0].header.paragraphs[0].text


def test_a_word_template_dotx_is_taken(agis: Path, tmp_path: Path) -> None:
    """A .dotx is a .docx whose main part is declared a template: the project's own
    templates/reference.dotx, and --template x.dotx."""
    import docx

    docx_file = make_reference(tmp_path / "ours.docx", footer_text="From the dotx")
    dotx = tmp_path / "ours.dotx"
    with zipfile.ZipFile(docx_file) as zin, zipfile.ZipFile(dotx, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            zout.writestr(item, data)
    with pytest.raises(ValueError):  # python-docx alone refuses it
        docx.Document(str(dotx))
    out = tmp_path / "r.docx"
    code, _, err = run("report", str(agis), "-o", str(out), "--template", str(dotx))
    assert code == 0, err
    assert "From the dotx" in parts_text(out, "word/header")
    (agis / "templates").mkdir()
    dotx.rename(agis / "templates" / "reference.dotx")
    code, _, err = run("report", str(agis), "-o", str(out), "--force")
    assert code == 0 and "From the dotx" in parts_text(out, "word/header")


def test_a_reference_that_is_no_word_file_is_named_by_validate(agis: Path) -> None:
    (agis / "templates").mkdir()
    (agis / "templates" / "reference.docx").write_text("not a word file", encoding="utf-8")
    code, out, _ = run("validate", str(agis))
    assert code == 1
    assert re.search(r"templates/reference\.docx:1:1: error: the report template .* is not a "
                     r"Word \.docx or \.dotx file", out) and "(template-error)" in out


def test_a_template_with_macros_is_refused(agis: Path, tmp_path: Path) -> None:
    docm = tmp_path / "ours.docm"
    with zipfile.ZipFile(make_reference(tmp_path / "ours.docx")) as zin, \
            zipfile.ZipFile(docm, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml",
                    b"wordprocessingml.document.main+xml\"/><Default Extension=\"bin\" "
                    b"ContentType=\"application/vnd.ms-word.vbaProject\"/><Override "
                    b"PartName=\"/x\" ContentType=\"application/vnd.ms-word.document."
                    b"macroEnabled.main+xml")
            zout.writestr(item, data)
    code, _, err = run("report", str(agis), "-o", str(tmp_path / "r.docx"), "--template",
                       str(docm))
    assert code == 1 and "holds macros" in err and "Traceback" not in err


def test_a_libreoffice_template_gets_the_styles_it_lacks(houses: Path, tmp_path: Path) -> None:
    """LibreOffice saves a document with only the styles it uses: no Subtitle, no lists, no
    contents (the report stopped with KeyError: "no style with name 'Heading 1'")."""
    import docx

    out = tmp_path / "r.docx"
    code, _, err = run("report", str(houses), "-o", str(out))
    assert code == 0, err
    assert "Traceback" not in err
    said = next(x for x in err.splitlines() if x.startswith("warning: "))
    assert "reference.docx: it has no style 'Subtitle', 'List Bullet', 'List Number', " \
           "'TOC Heading', 'TOC 1', 'Report Table' or 'Hyperlink', which the report uses: " \
           "it uses cepa's instead" in said
    d = docx.Document(str(out))
    styles = {p.style.name for p in d.paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption",
            "List Bullet", "List Number", "TOC Heading"} <= styles
    code, out_text, _ = run("validate", str(houses))
    assert code == 0 and "(template-look)" in out_text


def _style(doc_styles: bytes, name: str) -> str:
    xml = doc_styles.decode("utf-8")
    m = re.search(r'<w:style [^>]*>(?:(?!</w:style>).)*?<w:name w:val="' + re.escape(name)
                  + r'"/>(?:(?!</w:style>).)*</w:style>', xml, re.S)
    assert m, name
    return re.sub(r"<(w:\w+)></\1>", r"<\1/>", re.sub(r' w:styleId="[^"]*"', "", m.group(0)))


def test_no_property_of_the_templates_styles_is_overridden(houses: Path,
                                                           tmp_path: Path) -> None:
    """The house sets Title, Heading 1, Heading 3 and Caption bold and in its colour: the
    report keeps each style as the template has it, and sets no run's bold, colour, size
    or font in paragraphs of those styles."""
    import docx

    out = tmp_path / "r.docx"
    assert run("report", str(houses), "-o", str(out))[0] == 0
    with zipfile.ZipFile(house.TEMPLATE) as z:
        before = z.read("word/styles.xml")
    with zipfile.ZipFile(out) as z:
        after = z.read("word/styles.xml")
        document = z.read("word/document.xml").decode("utf-8")
    for name in ("Title", "Heading 1", "Heading 3", "Caption"):
        assert _style(after, name) == _style(before, name), name
        assert "<w:b/>" in _style(after, name) or '<w:b w:val="true"/>' in _style(after, name)
    assert not re.search(r'<w:b w:val="(0|false)"/>', document)
    d = docx.Document(str(out))
    styled = [p for p in d.paragraphs if p.style.name in ("Title", "Subtitle", "Heading 1",
                                                          "Heading 2", "Heading 3", "Caption",
                                                          "TOC Heading")]
    assert len(styled) > 50
    for p in styled:
        for r in p._p.iter(f"{W}rPr"):
            assert not {c.tag for c in r} & {f"{W}b", f"{W}color", f"{W}sz", f"{W}rFonts"}, \
                (p.style.name, p.text)


def test_fields_in_headers_and_footers(houses: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    assert run("report", str(houses), "-o", str(out))[0] == 0
    headers = parts_text(out, "word/header")
    footers = parts_text(out, "word/footer")
    assert "JAI/2004/AGIS/143 · Blueprints of Experience · Draft 2" in headers
    assert "Stichting Voorbeeld · January 2005 to December 2006 · Page " in footers
    assert re.search(r"Best practice in reducing and preventing the commercial sexual "
                     r"exploitation of children · \d+ \w+ \d{4}", footers)
    assert "{{" not in headers + footers
    nl = tmp_path / "nl.docx"
    assert run("report", str(houses), "-o", str(nl), "--lang", "nl")[0] == 0
    assert re.search(r"januari 2005 \S+ december 2006 · Pagina \d+ van \d+",
                     parts_text(nl, "word/footer"))


def test_a_field_split_over_runs_and_one_cepa_does_not_fill(agis: Path,
                                                            tmp_path: Path) -> None:
    """Word splits what is typed into several runs (spelling, revisions)."""
    import docx

    ref = make_reference(tmp_path / "ours.docx", footer_text="x")
    d = docx.Document(str(ref))
    p = d.sections[0].header.paragraphs[0]
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    for piece in ("Ref. {{ proj", "ect.co", "de }} - {{ projct.title }}"):
        p.add_run(piece)
    d.save(str(ref))
    out = tmp_path / "r.docx"
    code, _, err = run("report", str(agis), "-o", str(out), "--template", str(ref))
    assert code == 0, err
    assert "Ref. JAI/2004/AGIS/143 - {{ projct.title }}" in parts_text(out, "word/header")
    assert "its header holds {{ projct.title }}, which cepa does not fill" in err


def test_a_font_this_machine_lacks_is_named(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    from cepa.writers import look

    monkeypatch.setattr(look, "installed_fonts", lambda: frozenset({"carlito", "dejavu sans"}))
    assert look.available("Calibri") == "Carlito"  # the same widths: nothing to say
    assert look.available("Carlito") == "Carlito"
    assert look.available("Frutiger Next") is None
    ref = make_reference(tmp_path / "ours.docx", body_font="Frutiger Next",
                         heading_font="Calibri")
    notes = look.check(ref, {})
    said = next(n for n in notes if "Frutiger Next" in n)
    assert said.startswith("it sets Normal, ") and "which this machine does not have" in said
    assert "contents' page numbers" in said
    assert not any("'Calibri'" in n for n in notes)


def test_charts_take_the_templates_colours_and_font() -> None:
    from PIL import Image

    from cepa.document.nodes import Bar, Cell, Chart
    from cepa.writers import look
    from cepa.writers.charts import chart_font, png

    chart = Chart("k", "t", "c", "participants",
                  [Bar("one", Cell("40", 40, numeric=True)),
                   Bar("two", Cell("20", 20, numeric=True), group=1)], ["A", "B"])

    def share(data: bytes, colour: str) -> float:
        im = Image.open(io.BytesIO(data)).convert("RGB")
        want = tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))
        pixels = [im.getpixel((x, y)) for y in range(im.size[1]) for x in range(im.size[0])]
        return sum(px == want for px in pixels) / len(pixels)

    red = png(chart, look.Look(("C00000", "00B050")))
    assert share(red, "C00000") > 0.02 and share(red, "00B050") > 0.01
    ours = png(chart, look.look_of(look.open_document(look.cepa_reference())))
    assert share(ours, "1F3A5F") > 0.02 and share(ours, "C00000") == 0
    assert chart_font("No Such Font At All") is None
    if look.available("Calibri") == "Carlito":
        assert chart_font("Calibri") == "Carlito"


def test_the_house_charts_are_in_its_colour(houses: Path) -> None:
    """LibreOffice writes no theme: the charts take the colour of the house's headings."""
    from cepa.writers import look

    made = look.look_of(look.open_document(house.TEMPLATE))
    assert made.colours[0] == house.HOUSE_COLOUR and made.font == house.BODY_FONT


def test_numbered_lists_each_start_at_one(agis: Path, tmp_path: Path) -> None:
    """A numbered list of the coordinator's and the notes on the figures are two lists:
    the notes' numbers are the marks' numbers."""
    import docx

    (agis / "lessons-learnt.md").write_text(
        "What we learnt, in order of importance, from two years of working together:\n\n"
        "1. Meet early.\n2. Agree the words.\n3. Share the data.\n", encoding="utf-8")
    out = tmp_path / "r.docx"
    assert run("report", str(agis), "-o", str(out))[0] == 0
    d = docx.Document(str(out))
    numbered = [p for p in d.paragraphs if p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert len(set(ids)) == 2 and ids.count(ids[0]) == 3
    numbering = d.part.numbering_part.element
    for nid in set(ids):
        num = next(n for n in numbering.findall(f"{W}num") if n.get(f"{W}numId") == str(nid))
        assert num.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "1"


# --- the done-when: the house style end to end ----------------------------------------------


@needs_libreoffice
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_house_report_in_english_and_dutch(houses: Path, tmp_path: Path,
                                               lang: str) -> None:
    """A house template saved by LibreOffice, an outline that renames a section, adds an
    own section, leaves out the claims annex and swaps two annexes: built as a PDF with the
    contents' page numbers, the own section among them, no claims table anywhere."""
    import docx

    from tests.test_pdf import contents_numbers, heading_page, pdf_pages

    pdf = tmp_path / f"house-{lang}.pdf"
    code, _, err = run("report", str(houses), "-o", str(pdf), "--lang", lang)
    assert code == 0, err
    d = docx.Document(str(pdf.with_suffix(".docx")))
    heads = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    renamed, own = {"en": ("Challenges we met", "Safeguarding"),
                    "nl": ("Moeilijkheden die we tegenkwamen", "Bescherming van kinderen")}[lang]
    assert heads[7:9] == [renamed, own]
    annexes = {"en": ["Annex 1: Objective coverage", "Annex 2: Attendance",
                      "Annex 3: Evidence appendix", "Annex 4: Notes on the figures"],
               "nl": ["Bijlage 1: Onderbouwing van de doelstellingen", "Bijlage 2: Deelname",
                      "Bijlage 3: Onderbouwing", "Bijlage 4: Noten bij de cijfers"]}[lang]
    assert heads[-4:] == annexes
    first_cells = [t.rows[0].cells[0].text for t in d.tables]
    assert ("claim" if lang == "en" else "bewering") not in first_cells
    pages = pdf_pages(pdf)
    numbers = contents_numbers(pages)
    for h in [renamed, own, *annexes]:
        assert numbers[h] == heading_page(pages, h), h
    text = "\n".join(pages)
    assert ("Every partner named a safeguarding lead" if lang == "en"
            else "Elke partner wees een verantwoordelijke") in text
    assert "Claims checked" not in text and "Gecontroleerde beweringen" not in text


def test_the_house_own_sections_children_are_refused_when_public(houses: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "public.docx"
    code, _, err = run("report", str(houses), "-o", str(out), "--public")
    assert code == 1 and "safeguarding.md says 'three young people'" in err
    assert not out.exists()
    (houses / "safeguarding.public.md").write_text(house.SAFEGUARDING_PUBLIC, encoding="utf-8")
    code, _, err = run("report", str(houses), "-o", str(out), "--public")
    assert code == 0, err


def test_the_pictures_in_docs_are_the_tests_own_render() -> None:
    """docs/look/ shows the shipped report before and after the house style, made by
    ``python -m tests.house`` from what this module builds; each picture carries the digest
    of the house's inputs it was made from."""
    from PIL import Image

    for name in ("before.png", "after.png"):
        im = Image.open(DOCS / name)
        assert im.info.get("cepa-inputs") == house.inputs_digest(), \
            f"docs/look/{name} is stale: run 'python -m tests.house' (needs LibreOffice)"
        assert im.size[0] > 1000


DOCS = REPO / "docs" / "look"


@needs_libreoffice
def test_the_house_template_is_what_libreoffice_saves(tmp_path: Path) -> None:
    """tests/fixtures/house-libreoffice.docx is LibreOffice's own .docx of house.fodt()."""
    made = house.make_template(tmp_path / "again.docx")
    with zipfile.ZipFile(made) as a, zipfile.ZipFile(house.TEMPLATE) as b:
        assert a.read("word/styles.xml") == b.read("word/styles.xml")
    assert subprocess.run(["soffice", "--version"], capture_output=True).returncode == 0


def test_wide_tables_in_a_row_share_their_landscape_pages() -> None:
    """Two tables too wide for an upright page, a heading between them: one landscape
    section holds both (an upright section between them would be a blank page), and the
    text after them is upright again."""
    import io

    import docx
    from docx.enum.section import WD_ORIENT

    from cepa.document.nodes import Cell, Document, Heading, Paragraph, Run, Table
    from cepa.writers import docx as writer

    words = [f"unbreakable{'x' * 12}{j}" for j in range(14)]
    wide = Table("wide", "A wide table", words, [[Cell.of(w) for w in words]])
    doc = Document("T", "S", "en", [
        Paragraph([Run("Before.")]), Heading(1, "Annex 1"), wide, Heading(2, "Then"),
        Table("wide2", "Another", words, [[Cell.of(w) for w in words]]),
        Paragraph([Run("After.")])])
    sections = docx.Document(io.BytesIO(writer.write(doc))).sections
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE,
                                                 WD_ORIENT.PORTRAIT]
