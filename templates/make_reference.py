"""Build templates/reference.docx: the look of cepa's Word report.

Run it again after changing a style here (``python templates/make_reference.py``); the
report takes every style from the .docx it writes, and a reference document of an
organisation's that lacks a style gets this one's (docs/templates.md lists them). The font
is Calibri: Word has it, and LibreOffice lays it out in Carlito, a font of the same widths,
so the contents' page numbers of a PDF made with LibreOffice hold in Word too. The theme's
accent colours (the charts' colours) are the headings' navy and greys.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

BODY_FONT = "Calibri"  # Carlito in LibreOffice, of the same widths
HEADING_FONT = "Calibri"
HEADING_COLOUR = RGBColor(0x1F, 0x3A, 0x5F)
#: The theme's accent colours: the charts' bars, in this order.
THEME_COLOURS = ("1F3A5F", "A6A6A6", "595959", "D9D9D9", "7F7F7F", "262626")


def set_theme(doc, colours=THEME_COLOURS, font: str = BODY_FONT) -> None:  # type: ignore[no-untyped-def]
    """The theme's accent colours and its heading and body fonts."""
    import re

    from docx.opc.constants import RELATIONSHIP_TYPE

    part = doc.part.part_related_by(RELATIONSHIP_TYPE.THEME)
    xml = part.blob.decode("utf-8")
    for i, colour in enumerate(colours, 1):
        xml = re.sub(rf"(<a:accent{i}>\s*<a:srgbClr val=\")[0-9A-Fa-f]{{6}}", rf"\g<1>{colour}",
                     xml)
    for which in ("major", "minor"):
        xml = re.sub(rf'(<a:{which}Font>\s*<a:latin typeface=")[^"]*', rf"\g<1>{font}", xml)
    part._blob = xml.encode("utf-8")


def page_number_field(paragraph) -> None:  # type: ignore[no-untyped-def]
    """Append 'Page N of M' as Word fields to a paragraph."""
    def field(instr: str) -> None:
        run = paragraph.add_run()
        for kind, text in (("begin", None), ("instr", instr), ("separate", None),
                           ("text", "1"), ("end", None)):
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = f" {text} "
            elif kind == "text":
                el = OxmlElement("w:t")
                el.text = text
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            run._r.append(el)

    paragraph.add_run("Page ")
    field("PAGE")
    paragraph.add_run(" of ")
    field("NUMPAGES")


def table_style(doc, name: str = "Report Table") -> None:  # type: ignore[no-untyped-def]
    """A grid table style with a shaded, bold header row, readable in greyscale."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Table Grid"]
    style.font.name = BODY_FONT
    style.font.size = Pt(9)
    el = style.element
    ppr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "20")
    spacing.set(qn("w:after"), "20")
    ppr.append(spacing)
    el.append(ppr)
    first = OxmlElement("w:tblStylePr")
    first.set(qn("w:type"), "firstRow")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:b"))
    first.append(rpr)
    tcpr = OxmlElement("w:tcPr")
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), "D9D9D9")
    tcpr.append(shd)
    first.append(tcpr)
    el.append(first)


def build(out: Path, body_font: str = BODY_FONT, heading_font: str = HEADING_FONT,
          heading_colour: RGBColor = HEADING_COLOUR, footer_text: str = "",
          colours: tuple[str, ...] = THEME_COLOURS) -> Path:
    doc = Document()
    set_theme(doc, colours, body_font)
    for p in list(doc.paragraphs):
        p._element.getparent().remove(p._element)

    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)  # A4
    sec.left_margin = sec.right_margin = Cm(2.2)
    sec.top_margin, sec.bottom_margin = Cm(2.2), Cm(2.0)
    sec.header_distance = sec.footer_distance = Cm(1.0)
    sec.different_first_page_header_footer = True

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = body_font
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), body_font)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15

    for name, size in (("Title", 26), ("Subtitle", 14), ("Heading 1", 16), ("Heading 2", 13),
                       ("Heading 3", 11)):
        st = styles[name]
        st.font.name = heading_font
        st.font.size = Pt(size)
        st.font.color.rgb = heading_colour
        st.font.bold = name != "Subtitle"
        rfonts = st.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        st.paragraph_format.space_before = Pt(18 if name == "Heading 1" else 10)
        st.paragraph_format.space_after = Pt(6)
        st.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = False
    styles["Caption"].font.name = body_font
    styles["Caption"].font.size = Pt(9)
    styles["Caption"].font.italic = True
    styles["Caption"].font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    styles["List Bullet"].font.name = body_font

    table_style(doc)
    # Word's built-in names: a reference document of an organisation's that lacks them gets
    # these (cepa/writers/look.py)
    toc = styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    toc.base_style = normal
    toc.paragraph_format.space_after = Pt(3)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = heading_colour
    link.font.underline = True
    for style, sid in ((toc, "TOC1"), (link, "Hyperlink")):  # built-in, not custom
        style.element.attrib.pop(qn("w:customStyle"), None)
        style.element.set(qn("w:styleId"), sid)

    header = sec.header.paragraphs[0]
    # cepa report puts the project's report title where {{ report_title }} stands
    header.text = footer_text or "{{ report_title }}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs[0].font.size = Pt(8)
    header.runs[0].font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number_field(footer)
    for r in footer.runs:
        r.font.size = Pt(8)

    doc.core_properties.title = "cepa report"
    doc.core_properties.author = "cepa"
    doc.save(str(out))
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("reference.docx")
    print(build(target))
