"""A document (cepa/document/nodes.py) as a Word file, in the look of a reference .docx.

The writer walks the document's blocks and lays each out with python-docx: headings,
paragraphs of runs (bold, italic, links), lists, tables (fitted to the page, the header row
repeated, rows kept whole, figures right-aligned, gaps shaded, notes numbered), charts
(drawn by cepa/writers/charts.py), the title page's facts, page breaks, and the contents
(a TOC field whose lines link to bookmarks on the headings). The look - fonts, colours,
margins, headers and footers - comes from the reference document: cepa's own
``templates/reference.docx``, or the organisation's (cepa/writers/look.py opens it, adds
the styles it lacks and fills its headers' fields). The writer sets no property a style
sets: a paragraph takes its style's look, a table cell its table style's (its size written
into each cell, or a smaller one where a table's words would not fit). It receives no
records and adds up nothing.

python-docx is imported here only, when a report is written.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

from cepa.document.nodes import (
    Chart,
    Contents,
    Document,
    Facts,
    Heading,
    Items,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from cepa.writers import look
from cepa.writers.look import DocxError

__all__ = ["DocxError", "number_contents", "reference_docx", "write"]

#: The bookmarks on the headings that the contents' page numbers refer to: a name and an id
#: clear of Word's own (_Toc and a number) and of any in a template's header or footer.
TOC_BOOKMARK = "_TocCepa"
_BOOKMARK_ID = 90000

#: Usable width of the page in EMU when the template does not say (A4 with 2.2 cm margins).
_DEFAULT_WIDTH = int((21.0 - 4.4) * 360000)

#: Tables with more rows than this are written as XML text into the saved file.
SPLICE_ROWS = 500
#: Tables of at most this many rows (the header included) are kept on one page.
KEEP_TOGETHER = 16



def reference_docx() -> Path:
    """cepa's own reference document (``templates/reference.docx``)."""
    return look.cepa_reference()


class _Writer:
    """Adds paragraphs, tables and pictures to a python-docx Document in the template's look."""

    def __init__(self, template: Path | None) -> None:
        self.doc, _added = look.open_reference(template)
        self.look = look.look_of(self.doc)
        #: each style the report uses, by name, as the document calls it ('heading 1')
        self.styles = {s.name: self._name(s.name) for s in look.STYLES}
        self.table_style = self.styles["Report Table"] or self._name("Table Grid")
        sec = self.doc.sections[-1]
        page, left, right = sec.page_width, sec.left_margin, sec.right_margin
        self.width = (int(page - left - right) if None not in (page, left, right)  # type: ignore[operator]
                      else _DEFAULT_WIDTH)
        #: the width of an upright page, which decides whether a table needs a wide one
        self.upright_width = self.width
        #: on a landscape page that the next block turns back from, unless it is a table
        #: that needs one too (two wide tables share their landscape pages)
        self.turned = False
        #: large tables, kept as XML text and spliced into the saved document (see save)
        self.spliced: dict[str, Callable[[], Iterator[str]]] = {}
        #: the type size of the table style, when it sets one; else the body text's
        self.style_pt: float | None = None
        if self.table_style is not None:
            size = self.table_style.font.size
            self.style_pt = size.pt if size is not None else None
        self.table_pt = self.style_pt or look.size_of(self.doc, "Normal")
        #: the table style sets the header row's look itself
        self.header_styled = self.table_style is not None and \
            self.table_style.element.find(look._w("tblStylePr")) is not None
        self._toc_p: Any = None
        #: marks the place of a large table: unguessable, so no text of a report is one
        self._token = secrets.token_hex(16)

    def _name(self, name: str) -> Any:
        """A style of the document by name as Word finds it ('heading 1', 'Heading 1',
        'toc 1'), as python-docx's style object; None when the document has none."""
        from docx.styles.style import StyleFactory

        el = look.style_named(self.doc, name)
        return None if el is None else StyleFactory(el)

    def style(self, name: str) -> Any:
        return self.styles.get(name) or self._name(name)

    # text

    def runs(self, paragraph: Any, runs: list[Run]) -> None:
        for r in runs:
            if r.link:
                _hyperlink(paragraph, r.text, r.link, bold=r.strong, italic=r.emphasis)
                continue
            run = paragraph.add_run(r.text)
            if r.strong:
                run.bold = True
            if r.emphasis:
                run.italic = True

    def paragraph(self, p: Paragraph) -> None:
        style = {"title": "Title", "subtitle": "Subtitle", "caption": "Caption",
                 "note": "Caption"}.get(p.style)
        para = self.doc.add_paragraph(style=self.style(style) if style else None)
        self.runs(para, p.runs)

    def items(self, it: Items) -> None:
        """A list in the template's list style; a numbered one is a list of its own,
        numbered from 1 (Word would go on from the last one), or numbered as text when
        the style numbers nothing."""
        style = self.style("List Number" if it.ordered else "List Bullet")
        num = None
        if it.ordered and style is not None:
            abstract = look.list_numbering(self.doc, "List Number")
            if abstract is None:
                style = None
            else:
                num = look.new_num(look.numbering(self.doc), abstract, restart=True)
        for i, item in enumerate(it.items, 1):
            para = self.doc.add_paragraph(style=style)
            if num is not None:
                para.paragraph_format.element.get_or_add_pPr().append(_num_pr(num))
            if style is None:
                para.add_run(f"{i}. " if it.ordered else "\u2022 ")
            self.runs(para, item)

    def facts(self, f: Facts) -> None:
        from docx.shared import Pt

        self.doc.add_paragraph()
        for label, value in f.rows:
            para = self.doc.add_paragraph()
            para.add_run(f"{label}: ").bold = True
            para.add_run(value)
            para.paragraph_format.space_after = Pt(4)
        self.doc.add_paragraph()

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # tables

    def table(self, t: Table) -> None:
        """A Word table: header row repeated, widths fitted to the page."""
        from docx.oxml import parse_xml

        texts = [[c.text for c in row] for row in t.rows]
        # a table whose words do not fit across the page even in the smallest type is set
        # on a landscape page (the coverage matrix in Dutch, for one)
        across = self.wide(t, texts)
        if across and not self.turned:
            self._turn(landscape=True)
        if t.caption:
            p = self.doc.add_paragraph(t.title, style=self.style("Heading 3"))
            p.paragraph_format.keep_with_next = True
        if not t.rows:
            for note in t.notes or [t.empty]:
                self.doc.add_paragraph(note)
            return
        ncol = len(t.columns)
        right = [t.numeric_column(i) for i in range(ncol)]
        font_pt = 8.0 if t.small else self.table_pt
        # a smaller type, down to MIN_TABLE_PT, where the longest words do not fit across
        # the page: a word is never broken over two lines
        while font_pt > MIN_TABLE_PT and sum(_least_widths(t.columns, texts, font_pt)) > \
                self.width / 360000:
            font_pt -= 0.5
        fractions = _fit_widths(t.columns, texts, self.width / 360000, font_pt)
        col_widths = [int(self.width * f) for f in fractions]
        style_id = self.table_style.style_id if self.table_style is not None else None
        marks = {(i, j): c.mark for i, row in enumerate(t.rows) for j, c in enumerate(row)
                 if c.mark}
        rows = [t.columns, *texts]
        shaded = t.shaded

        # the table style's size is written into each cell, as Word would otherwise let the
        # body text's style override it; where the style sets none, the body's is left be
        size = None if self.style_pt is None and font_pt == self.table_pt else font_pt
        bold_head = not self.header_styled

        def parts() -> Iterator[str]:
            return _table_xml(rows, col_widths, right, style_id, size,
                              lambda r, c: (r, c) in shaded, marks, bold_head)

        # The table as XML text: python-docx's per-cell API is quadratic in the rows
        # (rows[i] walks the table), which a 10,000-record appendix cannot afford. A small
        # table is parsed into the document; a large one waits as text for save(), so a
        # programme of 100,000 records never holds its appendix as an XML tree.
        if len(texts) > SPLICE_ROWS:
            key = f"cepa-table-{self._token}-{len(self.spliced)}"
            self.spliced[key] = parts
            self.doc.add_paragraph(key)
        else:
            tbl = parse_xml("".join(parts()))
            anchor = self.doc.add_paragraph()
            anchor._p.addprevious(tbl)
            anchor._p.getparent().remove(anchor._p)
        caption = self.style("Caption")
        for note in t.notes:
            self.doc.add_paragraph(note, style=caption)
        if not t.notes:
            self.doc.add_paragraph()
        self.turned = bool(across)  # the next block turns back, unless it is wide too

    def wide(self, t: Table, texts: list[list[str]] | None = None) -> bool:
        """Does the table need a landscape page: do its words not fit across an upright
        page even in the smallest type?"""
        if not t.rows:
            return False
        texts = texts if texts is not None else [[c.text for c in row] for row in t.rows]
        return sum(_least_widths(t.columns, texts, MIN_TABLE_PT)) > self.upright_width / 360000

    def upright(self) -> None:
        """Back to an upright page after a wide table."""
        if self.turned:
            self._turn(landscape=False)
            self.turned = False

    def _turn(self, landscape: bool) -> None:
        """A new page in the other orientation: the page's sides swap, its margins,
        header and footer stay. Turning to landscape takes the heading the table is under
        (and its words) along, so that it is not left alone on a page."""
        import copy

        from docx.enum.section import WD_ORIENT, WD_SECTION

        body = self.doc.element.body
        moved = []
        if landscape:
            kids = [k for k in body.iterchildren() if not k.tag.endswith("}sectPr")]
            heads = [i for i, k in enumerate(kids) if k.tag.endswith("}p")
                     and k.xpath("./w:pPr/w:pStyle/@w:val") and str(
                         k.xpath("./w:pPr/w:pStyle/@w:val")[0]).startswith("Heading")]
            if heads and len(kids) - heads[-1] <= 4 and not any(
                    k.tag.endswith("}tbl") for k in kids[heads[-1]:]):
                moved = kids[heads[-1]:]
                for k in moved:
                    body.remove(k)
        sec = self.doc.add_section(WD_SECTION.NEW_PAGE)
        last = self.doc.sections[-2]  # the section before the break, as it now stands
        for el in moved:
            body.insert(len(body) - 1, el)
        sec.different_first_page_header_footer = False  # the title page's rule only
        for old, new in ((last.header, sec.header), (last.footer, sec.footer)):
            new.is_linked_to_previous = False  # LibreOffice shows a linked one on no page
            for child in list(new._element):
                new._element.remove(child)
            for child in old._element:
                new._element.append(copy.deepcopy(child))
        wide, high = last.page_width, last.page_height
        if wide is not None and high is not None and (wide > high) != landscape:
            sec.page_width, sec.page_height = high, wide
        sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        page, left, right = sec.page_width, sec.left_margin, sec.right_margin
        if None not in (page, left, right):
            self.width = int(page - left - right)  # type: ignore[operator]

    def chart(self, c: Chart) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        from cepa.writers.charts import png

        self.doc.add_picture(io.BytesIO(png(c, self.look)), width=int(self.width * 0.85))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        p = self.doc.add_paragraph(c.caption, style=self.style("Caption"))
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def contents(self, c: Contents) -> None:
        """A place for the table of contents, filled in by ``fill_toc`` at the end."""
        self.doc.add_paragraph(c.title, style=self.style("TOC Heading") or self.style("Subtitle"))
        self._toc_p = self.doc.add_paragraph()
        self._toc_text = c.placeholder

    def fill_toc(self) -> None:
        """The contents: a TOC field that Word and LibreOffice can update, its result
        already listing the headings of levels 1 and 2, each a link to a bookmark on its
        heading, with a PAGEREF field for its page number. The numbers are blank and a
        sentence says how to update them, until ``number_contents`` fills them in
        (cepa.writers.pdf takes them from LibreOffice's layout)."""
        if self._toc_p is None:
            return
        from docx.oxml import OxmlElement, parse_xml
        from docx.oxml.ns import qn

        heading = self.style("Heading 1")
        heads = [(p, 1) for p in self.doc.paragraphs
                 if heading is not None and p._p.style == heading.style_id]
        entries: list[str] = []
        for i, (p, level) in enumerate(heads, 1):
            name = f"{TOC_BOOKMARK}{i}"
            for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
                mark = OxmlElement(tag)
                mark.set(qn("w:id"), str(_BOOKMARK_ID + i))
                if tag == "w:bookmarkStart":
                    mark.set(qn("w:name"), name)
                    p._p.insert(1 if p._p.pPr is not None else 0, mark)
                else:
                    p._p.append(mark)
            entries.append(_toc_entry(p.text, name, level, look.style_id(self.doc, f"TOC {level}"),
                                      tab=self.width // 635, first=not entries))
        entries.append(_toc_end(self._toc_text, first=not entries))
        for xml in entries:
            self._toc_p._p.addprevious(parse_xml(xml))
        self._toc_p._p.getparent().remove(self._toc_p._p)

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        if not self.spliced:
            return buf.getvalue()
        return _splice(buf.getvalue(), self.spliced)


_TOC_BEGIN = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r>'
              '<w:instrText xml:space="preserve"> TOC \\o "1-1" \\h \\z \\u </w:instrText>'
              '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>')


def _toc_entry(text: str, bookmark: str, level: int, style: str | None, *, tab: int,
               first: bool) -> str:
    """A line of the contents as Word writes one: the heading's text linked to its
    bookmark, a dotted tab to the right margin (``tab``, in twips), and the page number as
    a PAGEREF field, blank until ``number_contents``. The first line opens the TOC field."""
    from xml.sax.saxutils import escape

    pstyle = f'<w:pStyle w:val="{escape(style)}"/>' if style else ""
    indent = f'<w:ind w:left="{(level - 1) * 440}"/>' if level > 1 else ""
    return (f'<w:p {_W}><w:pPr>{pstyle}<w:tabs><w:tab w:val="right" w:leader="dot" '
            f'w:pos="{tab}"/></w:tabs>{indent}</w:pPr>'
            + (_TOC_BEGIN if first else "")
            + f'<w:hyperlink w:anchor="{bookmark}" w:history="1"><w:r>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r><w:r><w:tab/></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space='
            f'"preserve"> PAGEREF {bookmark} \\h </w:instrText></w:r><w:r><w:fldChar '
            'w:fldCharType="separate"/></w:r><w:r><w:t></w:t></w:r><w:r><w:fldChar '
            'w:fldCharType="end"/></w:r></w:hyperlink></w:p>')


def _toc_end(sentence: str, first: bool) -> str:
    """The last paragraph of the contents: the sentence on updating it, and the field's end."""
    from xml.sax.saxutils import escape

    return (f"<w:p {_W}>" + (_TOC_BEGIN if first else "")
            + f'<w:r><w:t xml:space="preserve">{escape(sentence)}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


def number_contents(docx: bytes, pages: dict[str, int]) -> bytes:
    """The report with the page numbers of its contents filled in: the PAGEREF of each
    line shows ``pages[bookmark]``, and the sentence on updating the contents goes. Word
    and LibreOffice show these numbers as they are; updating the field recomputes them."""
    import zipfile

    if not pages:
        return docx

    def page(m: re.Match[str]) -> str:
        number = pages.get(m.group(2))
        return m.group(1) + (f"<w:t>{number}</w:t>" if number is not None else m.group(3))

    ref = re.compile(r'( PAGEREF (' + re.escape(TOC_BOOKMARK) + r'\d+) \\h </w:instrText>'
                     r'</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r>)'
                     r'(<w:t/>|<w:t>[^<]*</w:t>)')
    # the sentence (in the report's language) after the last line, in the field's end
    sentence = re.compile(r'(</w:hyperlink></w:p><w:p><w:r>)<w:t xml:space="preserve">[^<]*</w:t>'
                          r'(</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>)')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = sentence.sub(r"\1<w:t/>\2", ref.sub(page, data.decode("utf-8")), 1)
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    return out.getvalue()


def _splice(docx_bytes: bytes, tables: dict[str, Callable[[], Iterator[str]]]) -> bytes:
    """The saved document with each placeholder paragraph replaced by its table, written
    to the zip part by part."""
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "word/document.xml":
                zout.writestr(item, zin.read(item.filename))
                continue
            xml = zin.read(item.filename).decode("utf-8")
            pattern = re.compile(r"<w:p>(?:(?!<w:p>).)*?(" + "|".join(map(re.escape, tables))
                                 + r")</w:t></w:r></w:p>", re.S)
            with zout.open(item.filename, "w") as f:
                at = 0
                for m in pattern.finditer(xml):
                    f.write(xml[at:m.start()].encode("utf-8"))
                    for part in tables[m.group(1)]():
                        f.write(part.encode("utf-8"))
                    at = m.end()
                f.write(xml[at:].encode("utf-8"))
    return out.getvalue()


#: Centimetres of an average bold character per point of type (a wide sans font, DejaVu),
#: and of a cell's margins.
CHAR_CM, PAD_CM = 0.027, 0.5
#: The smallest type a table is set in to keep its words whole.
MIN_TABLE_PT = 7.0


def _least_widths(columns: list[str], rows: list[list[str]], font_pt: float) -> list[float]:
    """Each column's width in cm for its longest word: short cells ("5 / 0", "2005-06")
    stay on one line whole; a long path may break at its hyphens and slashes."""
    out = []
    for i, head in enumerate(columns):
        cells = [r[i] for r in rows] + [head]
        word = max((len(c) if len(c) <= 10 else
                    max((len(w) for w in re.split(r"[\s/-]+", c)), default=0)
                    for c in cells), default=3)
        out.append(word * font_pt * CHAR_CM + PAD_CM)
    return out


def _fit_widths(columns: list[str], rows: list[list[str]], width_cm: float,
                font_pt: float) -> list[float]:
    """Column widths as fractions of the page: every column wide enough for its longest
    word, the rest shared by how much text each column holds."""
    char_cm = font_pt * CHAR_CM
    least = [min(x, width_cm * 0.3) for x in _least_widths(columns, rows, font_pt)]
    want = [min(max(len(c) for c in [*(r[i] for r in rows), head]), 60) * char_cm + PAD_CM
            for i, head in enumerate(columns)]
    if sum(least) >= width_cm:
        return [x / sum(least) for x in least]
    spare = width_cm - sum(least)
    extra = [max(w - m, 0) for w, m in zip(want, least, strict=True)]
    total_extra = sum(extra) or 1
    if sum(extra) <= spare:
        # everything fits on one line: share the rest by what each column wants
        return [w / sum(want) for w in want]
    return [(m + spare * e / total_extra) / width_cm for m, e in zip(least, extra, strict=True)]


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _table_xml(rows: list[list[str]], widths: list[int], numeric: list[bool],
               style_id: str | None, font_pt: float | None,
               shade: Callable[[int, int], bool] | None,
               marks: dict[tuple[int, int], str] | None,
               bold_head: bool = True) -> Iterator[str]:
    """A ``w:tbl`` element as text: the first row a header repeated on every page, rows
    kept whole, widths fixed, figures right-aligned, shaded and marked cells as asked.
    ``font_pt``: a size other than the table style's (None: the style's); ``bold_head``:
    the header row bold (the style says nothing of it)."""
    from xml.sax.saxutils import escape

    twips = [w // 635 for w in widths]  # EMU to twentieths of a point
    together = len(rows) <= KEEP_TOGETHER
    sz = f'<w:sz w:val="{round(font_pt * 2)}"/>' if font_pt is not None else ""
    style = f'<w:tblStyle w:val="{escape(style_id)}"/>' if style_id else ""
    yield "".join([f"<w:tbl {_W}><w:tblPr>{style}<w:tblW w:w=\"{sum(twips)}\" w:type=\"dxa\"/>"
           '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
           '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
           'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
           *(f'<w:gridCol w:w="{w}"/>' for w in twips), "</w:tblGrid>"])
    for r, values in enumerate(rows):
        head = r == 0
        out = ["<w:tr><w:trPr>" + ('<w:tblHeader w:val="true"/>' if head else
                                   "<w:cantSplit/>") + "</w:trPr>"]
        for c, value in enumerate(values):
            shaded = bool(shade and not head and shade(r - 1, c))
            bold = "<w:b/>" if (head and bold_head) or shaded else ""
            fill = ('<w:shd w:val="clear" w:color="auto" w:fill="A6A6A6"/>' if shaded else "")
            right = numeric[c] and (not head or c > 0)
            # a short table stays on one page: each row keeps with the next
            keep = "<w:keepNext/>" if together and r < len(rows) - 1 else ""
            align = '<w:jc w:val="right"/>' if right else ""
            jc = f"<w:pPr>{keep}{align}</w:pPr>" if keep or align else ""
            mark = marks.get((r - 1, c)) if marks and not head else None
            sup = (f'<w:r><w:rPr><w:vertAlign w:val="superscript"/>{sz}</w:rPr>'
                   f"<w:t>{escape(mark)}</w:t></w:r>") if mark else ""
            rpr = f"<w:rPr>{bold}{sz}</w:rPr>" if bold or sz else ""
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{twips[c]}" w:type="dxa"/>{fill}</w:tcPr>'
                       f"<w:p>{jc}<w:r>{rpr}"
                       f'<w:t xml:space="preserve">{escape(value)}</w:t></w:r>{sup}</w:p></w:tc>')
        out.append("</w:tr>")
        yield "".join(out)
    yield "</w:tbl>"




def _hyperlink(paragraph: Any, text: str, url: str, *, bold: bool, italic: bool) -> None:
    """A link to ``url`` in a paragraph (python-docx has no call for one)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    for flag, tag in ((bold, "w:b"), (italic, "w:i")):
        if flag:
            props.append(OxmlElement(tag))
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def write(document: Document, template: Path | None = None) -> bytes:
    """The document as the bytes of a .docx file, in the look of ``template``."""
    w = _Writer(template)
    blocks = document.blocks
    for i, block in enumerate(blocks):
        if w.turned and not _leads_to_wide(w, blocks, i):
            w.upright()
        if isinstance(block, Heading):
            w.doc.add_paragraph(block.text, style=w.style(f"Heading {block.level}"))
        elif isinstance(block, Paragraph):
            w.paragraph(block)
        elif isinstance(block, Items):
            w.items(block)
        elif isinstance(block, Table):
            w.table(block)
        elif isinstance(block, Chart):
            w.chart(block)
        elif isinstance(block, Facts):
            w.facts(block)
        elif isinstance(block, PageBreak):
            w.page_break()
        elif isinstance(block, Contents):
            w.contents(block)
    w.fill_toc()
    props = w.doc.core_properties
    props.title = document.title
    props.subject = document.subject
    props.language = document.language
    _stamp(props, document)
    look.fill_fields(w.doc, document.fields, document.words)
    return w.save()


def _leads_to_wide(w: _Writer, blocks: Sequence[Any], i: int) -> bool:
    """Is block ``i`` a wide table, or a heading or a few words before one (which then
    share its landscape page, rather than an upright page of their own)?"""
    for block in blocks[i:i + 4]:
        if isinstance(block, Table):
            return w.wide(block)
        if not isinstance(block, Heading | Paragraph):
            return False
    return False


def _stamp(props: Any, document: Document) -> None:
    """The file's own dates (today, not the template's), who made it, and the fingerprint
    of the records it came from, which ``cepa submit`` and ``cepa diff`` read back."""
    from datetime import datetime

    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    if document.created is not None and document.created != now.date():
        now = datetime(document.created.year, document.created.month, document.created.day)
    props.created = props.modified = now
    props.last_modified_by = "cepa"
    props.revision = 1
    if document.fingerprint:
        props.identifier = f"cepa-records:{document.fingerprint}"


def _num_pr(num_id: str) -> Any:
    from docx.oxml import parse_xml

    return parse_xml(f'<w:numPr {_W}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
