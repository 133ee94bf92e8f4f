"""The blueprint report: the project's final (or interim) report as a Word document.

``build_report`` takes the summary and the coverage matrix from the aggregation core and
lays them out in the shape of the AGIS final report "Blueprints of Experience". It computes
no figure of its own: every number goes through ``cepa.document.tables.cell_text`` from the core's
results. The look comes from a reference .docx (``templates/reference.docx`` or the
organisation's own), the words from Jinja2 texts (``templates/report/*.md.j2``).

python-docx, Jinja2 and matplotlib are imported inside the functions, so ``import cepa.cli``
stays light. Nothing here prints; progress goes to an optional callback.
"""

from __future__ import annotations

import io
import re
import subprocess
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cepa.document.language import N_, _
from cepa.document.tables import Table, annotate, cell_text, numeric
from cepa.evidence.figures import Figure

if TYPE_CHECKING:
    from cepa.evidence.aggregate import Period
    from cepa.evidence.results import ActivityRow, Coverage, Summary
    from cepa.records.workspace import Workspace

Progress = Callable[[str, int, int], None]

#: The sections in reading order; each has a text template of the same name.
#: The sections in reading order, as an EC action grant's final technical report asks:
#: identification, participants of each activity, target groups reached, planned activities
#: implemented and not, unforeseen ones, results of each activity, the coordinator's own
#: sections (cepa/narrative.py), and the annexes. Each has a text template of its name.
SECTIONS = ("identification", "participants", "target_groups", "implemented",
            "not_implemented", "unforeseen", "results", "narrative", "annexes", "attendance",
            "coverage", "claims", "appendix")

TOC_PLACEHOLDER = N_("(Right-click to update the table of contents and its page numbers; in "
                     "LibreOffice: Tools > Update > Update All.)")

#: The bookmarks on the headings that the contents' page numbers refer to: a name and an id
#: clear of Word's own (_Toc and a number) and of any in a template's header or footer.
TOC_BOOKMARK = "_TocCepa"
_BOOKMARK_ID = 90000

#: Usable width of the page in EMU when the template does not say (A4 with 2.2 cm margins).
_DEFAULT_WIDTH = int((21.0 - 4.4) * 360000)


class ReportError(Exception):
    """The report cannot be built (a missing template, publication mode not available)."""


class ReportTemplateError(ReportError):
    """A section text template is broken: a syntax error or an unknown placeholder."""

    def __init__(self, template: str, line: int | None, message: str) -> None:
        where = f"{template}, line {line}" if line else template
        super().__init__(f"report template {where}: {message}")
        self.template = template
        self.line = line


# --- where the templates are -----------------------------------------------------------


def shipped_templates() -> Path:
    """The folder of the shipped templates (``templates/`` of the repository)."""
    return Path(str(resources.files("cepa._templates")))


def reference_docx() -> Path:
    return shipped_templates() / "reference.docx"


# --- the section texts -----------------------------------------------------------------


@dataclass
class Texts:
    """Renders the section texts, from a user's folder first and the shipped one after."""

    folder: Path | None = None

    def __post_init__(self) -> None:
        import jinja2
        import jinja2.sandbox

        self._jinja = jinja2
        dirs = [str(self.folder)] if self.folder else []
        dirs.append(str(shipped_templates() / "report"))
        # sandboxed: a texts folder from elsewhere cannot reach Python's internals or loop
        # over a range of a billion
        self.env = jinja2.sandbox.SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(dirs),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
        )
        self.env.filters["fig"] = cell_text
        self.env.filters["plural"] = plural

    def render(self, name: str, context: dict[str, Any]) -> str:
        jinja2 = self._jinja
        filename = f"{name}.md.j2"
        try:
            template = self.env.get_template(filename)
        except jinja2.TemplateSyntaxError as e:
            raise ReportTemplateError(e.filename or filename, e.lineno, e.message or str(e)) \
                from None
        except jinja2.TemplateNotFound:
            raise ReportError(f"no report text template {filename}") from None
        path = template.filename or filename
        try:
            return template.render(context)
        except jinja2.UndefinedError as e:
            raise ReportTemplateError(path, _template_line(e, path), _undefined_message(e)) \
                from None
        except jinja2.TemplateSyntaxError as e:  # in a template it includes
            raise ReportTemplateError(e.filename or path, e.lineno, e.message or str(e)) \
                from None
        except jinja2.TemplateNotFound as e:
            raise ReportTemplateError(path, _template_line(e, path),
                                      f"it includes '{e.name}', which does not exist") from None
        except RecursionError:
            raise ReportTemplateError(path, None, "it includes itself, directly or through "
                                                  "another template, without end") from None
        except Exception as e:  # whatever else a template's expression raises: 1 / 0, ...
            raise ReportTemplateError(path, _template_line(e, path), str(e) or
                                      type(e).__name__) from None


def _template_line(exc: BaseException, path: str) -> int | None:
    """The template line an error was raised at: Jinja2 puts it in the traceback frames."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    if lines:
        return lines[-1]
    m = re.search(r"'([^']+)'", str(exc))
    if m:
        try:
            for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
                if m.group(1) in line:
                    return i
        except OSError:
            return None
    return None


def _undefined_message(e: Exception) -> str:
    text = str(e)
    m = re.match(r"'(?:[^']*)' object has no attribute '([^']+)'", text) or \
        re.match(r"'([^']+)' is undefined", text)
    name = m.group(1) if m else text
    return (f"unknown placeholder '{name}' ({text}); see templates/report/README.md for "
            "the names a text can use")


def _blocks(text: str) -> list[tuple[str, str]]:
    """Split a rendered text into (kind, text) blocks: h1, h2, h3, bullet, para."""
    out: list[tuple[str, str]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(("para", " ".join(para)))
            para.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("### "):
            flush()
            out.append(("h3", line[4:].strip()))
        elif line.startswith("## "):
            flush()
            out.append(("h2", line[3:].strip()))
        elif line.startswith("# "):
            flush()
            out.append(("h1", line[2:].strip()))
        elif line.startswith(("- ", "* ")):
            flush()
            out.append(("bullet", line[2:].strip()))
        else:
            para.append(line)
    flush()
    return out


# --- the document ------------------------------------------------------------------------


class _Writer:
    """Adds paragraphs, tables and pictures to a python-docx Document in the template's look."""

    def __init__(self, template: Path | None) -> None:
        import docx

        path = template or reference_docx()
        if not Path(path).is_file():
            raise ReportError(f"the report template {path} does not exist")
        try:
            self.doc = docx.Document(str(path))
        except Exception as e:  # python-docx raises several kinds for a file that is no .docx
            raise ReportError(f"the report template {path} is not a Word .docx file ({e})") \
                from None
        body = self.doc.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
                body.remove(child)
        styles = {s.name for s in self.doc.styles}
        missing = [n for n in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3")
                   if n not in styles]
        if missing:
            raise ReportError(f"the report template {path} has no style {', '.join(missing)}, "
                              "which the report uses; add it in Word (Styles), or start from "
                              "cepa's templates/reference.docx")
        self.table_style = next((s for s in ("Report Table", "Table Grid") if s in styles), None)
        self.bullet_style = "List Bullet" if "List Bullet" in styles else None
        self.caption_style = "Caption" if "Caption" in styles else None
        sec = self.doc.sections[-1]
        page, left, right = sec.page_width, sec.left_margin, sec.right_margin
        self.width = (int(page - left - right) if None not in (page, left, right)  # type: ignore[operator]
                      else _DEFAULT_WIDTH)
        self.footnotes: list[str] = []
        #: large tables, kept as XML text and spliced into the saved document (see save)
        self.spliced: dict[str, Callable[[], Iterator[str]]] = {}
        self.table_pt = 9.0
        if self.table_style:
            size = self.doc.styles[self.table_style].font.size
            self.table_pt = size.pt if size is not None else 10.0

    # text

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(text, level)

    def rich(self, paragraph: Any, text: str) -> None:
        """Add ``text`` to a paragraph, with **bold** spans."""
        for i, part in enumerate(re.split(r"\*\*", text)):
            if part:
                paragraph.add_run(part).bold = bool(i % 2)

    def para(self, text: str = "", style: str | None = None) -> Any:
        p = self.doc.add_paragraph(style=style)
        self.rich(p, text)
        return p

    def blocks(self, text: str) -> None:
        for kind, body in _blocks(text):
            if kind in ("h1", "h2", "h3"):
                self.heading(body, int(kind[1]))
            elif kind == "bullet":
                p = self.para(style=self.bullet_style)
                self.rich(p, body if self.bullet_style else f"\u2022 {body}")
            else:
                self.para(body)

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # tables

    def table(self, t: Table, *, caption: bool = True, font_pt: float | None = None,
              widths: list[float] | None = None,
              shade: Callable[[int, int], bool] | None = None,
              marks: dict[tuple[int, int], str] | None = None) -> Any:
        """A Word table of a ``Table``: header row repeated, widths fitted to the page."""
        from docx.oxml import parse_xml

        if caption:
            p = self.para(t.title, style="Heading 3")
            p.paragraph_format.keep_with_next = True
        if not t.rows:
            for note in t.notes or ["None."]:
                self.para(note)
            return None
        texts = [[cell_text(c) for c in row] for row in t.rows]
        ncol = len(t.columns)
        numeric_cols = [bool(t.rows) and all(numeric(r[i]) for r in t.rows)
                        for i in range(ncol)]
        font_pt = font_pt or self.table_pt
        fractions = widths or _fit_widths(t.columns, texts, self.width / 360000, font_pt)
        col_widths = [int(self.width * f) for f in fractions]
        style_id = self.doc.styles[self.table_style].style_id if self.table_style else None
        # The table as XML text: python-docx's per-cell API is quadratic in the rows
        # (rows[i] walks the table), which a 10,000-record appendix cannot afford. A small
        # table is parsed into the document; a large one waits as text for save(), so a
        # programme of 100,000 records never holds its appendix as an XML tree.
        rows = [t.columns, *texts]

        def parts() -> Iterator[str]:
            return _table_xml(rows, col_widths, numeric_cols, style_id, font_pt, shade, marks)

        if len(texts) > SPLICE_ROWS:
            key = f"cepa-spliced-table-{len(self.spliced)}"
            self.spliced[key] = parts
            self.doc.add_paragraph(key)
            tbl = None
        else:
            tbl = parse_xml("".join(parts()))
            anchor = self.doc.add_paragraph()
            anchor._p.addprevious(tbl)
            anchor._p.getparent().remove(anchor._p)
        for note in t.notes:
            self.para(note, style=self.caption_style)
        if not t.notes:
            self.doc.add_paragraph()
        return tbl

    def picture(self, png: bytes, caption: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.doc.add_picture(io.BytesIO(png), width=int(self.width * 0.85))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        self.para(caption, style=self.caption_style).alignment = WD_ALIGN_PARAGRAPH.CENTER

    def toc(self) -> None:
        """A place for the table of contents, filled in by ``fill_toc`` at the end."""
        names = {s.name for s in self.doc.styles}
        self.para(_("Contents"), style="TOC Heading" if "TOC Heading" in names else "Subtitle")
        self._toc_p = self.doc.add_paragraph()

    def fill_toc(self) -> None:
        """The contents: a TOC field that Word and LibreOffice can update, its result
        already listing the headings of levels 1 and 2, each a link to a bookmark on its
        heading, with a PAGEREF field for its page number. The numbers are blank and a
        sentence says how to update them, until ``number_contents`` fills them in
        (cepa.writers.pdf takes them from LibreOffice's layout)."""
        from docx.oxml import OxmlElement, parse_xml
        from docx.oxml.ns import qn

        styles = {s.name: s.style_id for s in self.doc.styles}
        heads = [(p, int(p.style.name[-1])) for p in self.doc.paragraphs
                 if p.style is not None and p.style.name in ("Heading 1", "Heading 2")]
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
            entries.append(_toc_entry(p.text, name, level, styles.get(f"TOC {level}"),
                                      tab=self.width // 635, first=not entries))
        entries.append(_toc_end(first=not entries))
        for xml in entries:
            self._toc_p._p.addprevious(parse_xml(xml))
        self._toc_p._p.getparent().remove(self._toc_p._p)
        settings = self.doc.settings.element
        upd = settings.find(qn("w:updateFields"))
        if upd is None:
            upd = OxmlElement("w:updateFields")
            settings.append(upd)
        upd.set(qn("w:val"), "true")

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        if not self.spliced:
            return buf.getvalue()
        return _splice(buf.getvalue(), self.spliced)


SPLICE_ROWS = 500


_TOC_BEGIN = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r>'
              '<w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText>'
              '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>')


def _toc_entry(text: str, bookmark: str, level: int, style: str | None, *, tab: int,
               first: bool) -> str:
    """A line of the contents as Word writes one: the heading's text linked to its
    bookmark, a dotted tab to the right margin (``tab``, in twips), and the page number as
    a PAGEREF field, blank until ``number_contents``. The first line opens the TOC field."""
    from xml.sax.saxutils import escape

    pstyle = f'<w:pStyle w:val="{escape(style)}"/>' if style else ""
    return (f'<w:p {_W}><w:pPr>{pstyle}<w:tabs><w:tab w:val="right" w:leader="dot" '
            f'w:pos="{tab}"/></w:tabs><w:ind w:left="{(level - 1) * 440}"/></w:pPr>'
            + (_TOC_BEGIN if first else "")
            + f'<w:hyperlink w:anchor="{bookmark}" w:history="1"><w:r>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r><w:r><w:tab/></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space='
            f'"preserve"> PAGEREF {bookmark} \\h </w:instrText></w:r><w:r><w:fldChar '
            'w:fldCharType="separate"/></w:r><w:r><w:t></w:t></w:r><w:r><w:fldChar '
            'w:fldCharType="end"/></w:r></w:hyperlink></w:p>')


def _toc_end(first: bool) -> str:
    """The last paragraph of the contents: the sentence on updating it, and the field's end."""
    from xml.sax.saxutils import escape

    return (f"<w:p {_W}>" + (_TOC_BEGIN if first else "")
            + f'<w:r><w:t xml:space="preserve">{escape(_(TOC_PLACEHOLDER))}</w:t></w:r>'
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


def _fit_widths(columns: list[str], rows: list[list[str]], width_cm: float,
                font_pt: float) -> list[float]:
    """Column widths as fractions of the page: every column wide enough for its longest
    word, the rest shared by how much text each column holds."""
    char_cm = font_pt * 0.027  # an average bold character of a wide sans font (DejaVu)
    pad_cm = 0.5  # the cell's margins
    least, want = [], []
    for i, head in enumerate(columns):
        cells = [r[i] for r in rows] + [head]
        # short cells ("5 / 0", "2005-06", "= 238") stay on one line; long words (file
        # paths) may break rather than squeeze every other column
        word = max((len(c) if len(c) <= 10 else max((len(w) for w in c.split()), default=0)
                    for c in cells), default=3)
        least.append(min(word * char_cm + pad_cm, width_cm * 0.3))
        want.append(min(max(len(c) for c in cells), 60) * char_cm + pad_cm)
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
               style_id: str | None, font_pt: float,
               shade: Callable[[int, int], bool] | None,
               marks: dict[tuple[int, int], str] | None) -> Iterator[str]:
    """A ``w:tbl`` element as text: the first row a header repeated on every page, rows
    kept whole, widths fixed, figures right-aligned, shaded and marked cells as asked."""
    from xml.sax.saxutils import escape

    twips = [w // 635 for w in widths]  # EMU to twentieths of a point
    sz = f'<w:sz w:val="{round(font_pt * 2)}"/>'
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
            bold = "<w:b/>" if head or shaded else ""
            fill = ('<w:shd w:val="clear" w:color="auto" w:fill="A6A6A6"/>' if shaded else "")
            right = numeric[c] and (not head or c > 0)
            jc = '<w:pPr><w:jc w:val="right"/></w:pPr>' if right else ""
            mark = marks.get((r - 1, c)) if marks and not head else None
            sup = (f'<w:r><w:rPr><w:vertAlign w:val="superscript"/>{sz}</w:rPr>'
                   f"<w:t>{escape(mark)}</w:t></w:r>") if mark else ""
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{twips[c]}" w:type="dxa"/>{fill}</w:tcPr>'
                       f"<w:p>{jc}<w:r><w:rPr>{bold}{sz}</w:rPr>"
                       f'<w:t xml:space="preserve">{escape(value)}</w:t></w:r>{sup}</w:p></w:tc>')
        out.append("</w:tr>")
        yield "".join(out)
    yield "</w:tbl>"


# --- git ------------------------------------------------------------------------------


def git_commit(root: Path) -> str | None:
    """The short commit of the records, '(uncommitted changes)' added when they have any."""
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return None
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "."],
                                capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = head.stdout.strip()
    if status.returncode == 0 and status.stdout.strip():
        commit += " (uncommitted changes)"
    return commit


# --- the report -------------------------------------------------------------------------


def plural(n: Any, word: str, words: str | None = None) -> str:
    """'1 seminar', '3 seminars', '302 participants': a figure and its noun, agreed; the
    nouns come translated (``plural(_("seminar"), _("seminars"))``)."""
    value = n.value if isinstance(n, Figure) else n
    return f"{cell_text(n)} {word if value == 1 else (words or word + 's')}"


#: What an activity's status is called in the report.
STATUS_WORDS = {"implemented": N_("implemented"), "partly implemented": N_("partly implemented"),
                "moved": N_("moved"), "postponed": N_("postponed"),
                "not implemented": N_("not implemented"), "unforeseen": N_("unforeseen")}


def status_word(status: str) -> str:
    return _(STATUS_WORDS.get(status, status))


def place(code_or_place: str) -> str:
    """A country code, 'online', or 'City, CC' as the report's language writes it."""
    from cepa.document import language as i18n

    if code_or_place == "online":
        return _("online")
    if len(code_or_place) == 2 and code_or_place.isupper():
        return i18n.country(code_or_place)
    city, sep, code = code_or_place.rpartition(", ")
    if sep and len(code) == 2 and code.isupper():
        return f"{city}, {i18n.country(code)}"
    return code_or_place


def recorded(f: Any) -> bool:
    """A Jinja test: does the figure say something (a value, or a suppressed one)?"""
    return isinstance(f, Figure) and (f.value is not None or f.suppressed or f.withheld)


def _fields(obj: Any) -> dict[str, Any]:
    import dataclasses

    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def report_context(ws: Workspace, summary: Summary, cov: Coverage) -> dict[str, Any]:
    """What the section texts can use: the summary's fields, coverage, and the project's
    words."""
    project = ws.project
    assert project is not None
    from cepa.document import language as i18n

    given = dict(project.countries)
    names = summary.partner_names
    pp = summary.primary_participants.by_partner
    partners = [{"id": p.id, "name": p.name, "country": p.country, "address": p.address,
                 "country_name": i18n.country(p.country, given), "type": p.type,
                 "role": p.role, "primary_participants": pp.get(p.name),
                 "primary_participants_description": i18n.local(
                     p.primary_participants_description)}
                for p in project.partners]
    associates = [{"id": a.id, "name": a.name, "country": a.country,
                   "country_name": i18n.country(a.country, given), "type": a.type,
                   "description": i18n.local(a.description)} for a in project.associates]
    per = summary.period
    return {
        **_fields(summary),
        "period": {**_fields(per), "label": _label(per.name, i18n.period(per.start, per.end))},
        "countries": [i18n.country(c, given) for c in summary.countries],
        "country_names": {c: i18n.country(c, given) for c in summary.country_names},
        "project": {**_fields(summary.project), "summary": i18n.local(project.summary),
                    "start": project.period.start.isoformat(),
                    "period_label": i18n.period(project.period.start.isoformat(),
                                                project.period.end.isoformat())},
        "coverage": cov,
        "partners": partners,
        "associates": associates,
        "lead": names.get(project.lead or "", project.lead or partners[0]["name"]),
        "objectives": [{"id": o.id, "text": i18n.local(o.text).rstrip("."),
                        "short": i18n.local(o.short) or ""}
                       for o in project.objectives],
        "target_groups": [{"id": t.id, "name": i18n.local(t.name),
                           "description": i18n.local(t.description)}
                          for t in project.target_groups],
        "generated": date.today().isoformat(),
        "report_title": i18n.local(project.report_title) or _("{title}: project report").format(
            title=i18n.local(project.title)),
        # a final report covers the project to its end, once that end has passed
        "final": (summary.period.end >= project.period.end.isoformat()
                  and project.period.end < date.today()),
        "estimate_reasons": _reasons(_all_figures(summary)),
    }


def _label(name: str | None, dates: str) -> str:
    """A reporting period as the report names it: 'interim (January 2005 to ...)'."""
    return f"{name} ({dates})" if name else dates


def _reasons(figures: list[Figure]) -> list[str]:
    """Why the report's estimated figures are estimates, in the records' words, once each."""
    out: dict[str, None] = {}
    for f in figures:
        if f.estimated and f.known:
            out.update(dict.fromkeys(w.rstrip(".") + "." for w in f.why))
    return list(out)


def _all_figures(obj: Any) -> list[Figure]:
    from cepa.publication.gate import _figures

    return [f for _where, f in _figures(obj, "")]


def build_report(ws: Workspace, period: Period | None = None, *, template: Path | None = None,
                 texts: Path | None = None, public: bool = False,
                 progress: Progress | None = None, language: str | None = None) -> bytes:
    """The report as the bytes of a .docx file, in ``language`` (the project file's
    ``language``, else English)."""
    from cepa.document import language as i18n

    assert ws.project is not None
    with i18n.using(language, ws.project.language):
        return _build(ws, period, template=template, texts=texts, public=public,
                      progress=progress)


def _build(ws: Workspace, period: Period | None, *, template: Path | None,
           texts: Path | None, public: bool, progress: Progress | None) -> bytes:
    from cepa.document import language as i18n
    from cepa.document import tables
    from cepa.evidence import aggregate
    from cepa.records import narrative
    from cepa.records.kinds import KINDS
    from cepa.writers import charts

    steps = ["figures", "title page", *SECTIONS, "saving"]
    done = 0

    def step(name: str) -> None:
        nonlocal done
        if progress:
            progress(name, done, len(steps))
        done += 1

    step("figures")
    summary, cov = aggregate.results(ws, period, public=public)
    ctx = report_context(ws, summary, cov)
    # the project's own words first: templates/report/ of an init project, then --texts
    own = ws.root / "templates" / "report"
    words = Texts(texts or (own if own.is_dir() else None))
    words.env.tests["recorded"] = recorded
    words.env.add_extension("jinja2.ext.i18n")
    words.env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n._, i18n.ngettext, newstyle=True)
    words.env.filters.update(language=i18n.language, when=i18n.when, place=place,
                             number=i18n.number)
    words.env.globals["status_word"] = status_word
    words.env.filters["upper_first"] = lambda t: t[:1].upper() + t[1:] if t else t
    # Render every text first: a broken template stops the report before any work on it.
    rendered = {name: words.render(name, ctx) for name in (
        "title", "identification", "participants", "target_groups", "implemented",
        "not_implemented", "unforeseen", "results", "annexes", "attendance", "coverage",
        "claims", "appendix")}
    lang = i18n.current()
    assert ws.project is not None
    narrative_lang = lang if lang != ws.project.language else None
    written = narrative.read(ws.root, narrative_lang, public)
    if public:
        _no_small_counts(ws, written, narrative_lang)
    stories = [(sec, words.render("narrative", {
        **ctx, "section": sec, "section_title": _(sec.title), "section_asks": _(sec.asks),
        "text": _demote(written.get(sec.key, ""))})) for sec in narrative.SECTIONS]
    per_activity = []
    for act in summary.activities:
        kind = KINDS[act.kind]
        actx = {**ctx, "activity": act, **_activity_context(summary, act),
                "counts_words": COUNT_WORDS.get(act.kind, ("", "")),
                "record_words": RECORD_WORDS.get(act.kind, ("", ""))}
        del kind
        head = words.render("activity", actx)
        comments = words.render("comments", actx) if act.comments else ""
        result = words.render("activity_results", actx)
        if act.records:
            result += "\n" + words.render(f"activity_{act.kind}", actx)
        per_activity.append((act, head, comments, result))

    w = _Writer(template)
    by_key = {t.key: t for t in tables.summary_tables(summary)}

    step("title page")
    _title_page(w, ws, summary, rendered["title"])
    w.toc()
    w.page_break()

    step("identification")
    w.blocks(rendered["identification"])
    step("participants")
    w.blocks(rendered["participants"])
    for act, head, comments, _result in per_activity:
        w.blocks(head)
        if act.records:
            for t in _activity_tables(summary, act, by_key):
                w.table(t)
        if comments:
            w.blocks(comments)
    step("target_groups")
    w.blocks(rendered["target_groups"])
    if summary.target_groups:
        w.table(_target_group_table(summary))
    for key in ("implemented", "not_implemented", "unforeseen"):
        step(key)
        w.blocks(rendered[key])
        if by_key[key].rows:
            w.table(by_key[key], caption=False)
    step("results")
    w.blocks(rendered["results"])
    for act, _head, _comments, result in per_activity:
        w.blocks(result)
        if act.indicators:
            w.table(_indicator_table(act), caption=False)
    step("narrative")
    for sec, text in stories:
        w.blocks(text)
        if sec.key == "dissemination":
            w.blocks(words.render("outputs", {**ctx, "output_languages": [
                i18n.language(x) for x in summary.outputs.languages]}))
            if summary.outputs.rows:
                w.table(_outputs_table(summary), caption=False)
    step("annexes")
    w.blocks(rendered["annexes"])
    step("attendance")
    w.blocks(rendered["attendance"])
    for png, caption in charts.attendance_charts(summary):
        w.picture(png, caption)
    for key in ("by_activity", "by_country", "by_sector", "by_year", "by_organisation",
                "targets"):
        if key in by_key and by_key[key].rows:
            w.table(by_key[key])
    step("coverage")
    w.blocks(rendered["coverage"])
    _coverage_table(w, cov)
    step("claims")
    w.blocks(rendered["claims"])
    if summary.claims:
        w.table(by_key["claims"])
    else:
        w.para(_("The project file states no claims."))
    step("appendix")
    w.blocks(rendered["appendix"])
    _appendix(w, summary)
    step("saving")
    w.fill_toc()
    w.doc.core_properties.title = f"{summary.project.code}: {summary.project.title}"
    for section in w.doc.sections:  # the reference's header names the report
        for para in section.header.paragraphs:
            for run in para.runs:
                if "{{ report_title }}" in run.text:
                    run.text = run.text.replace("{{ report_title }}", ctx["report_title"])
        for para in section.footer.paragraphs:  # "Page 3 of 18" in the report's language
            for run in para.runs:
                footer = {"Page ": _("Page") + " ", " of ": " " + _("of") + " "}
                if run.text in footer:
                    run.text = footer[run.text]
    w.doc.core_properties.subject = _("Final report") if summary.period.name in (
        None, "final") else _("Report for {period}").format(period=ctx["period"]["label"])
    data = w.save()
    if progress:
        progress("done", len(steps), len(steps))
    return data


#: What an activity's records count, and what they are, singular and plural, per kind.
COUNT_WORDS_EN = {
    "visits": (N_("traveller"), N_("travellers")),
    "seminars": (N_("participant"), N_("participants")),
    "events": (N_("participant"), N_("participants")),
    "interviews": (N_("interview"), N_("interviews")),
    "feedback": (N_("young person"), N_("young people")),
    "outcomes": (N_("child monitored"), N_("children monitored")),
}
RECORD_WORDS_EN = {
    "visits": (N_("visit"), N_("visits")), "seminars": (N_("seminar"), N_("seminars")),
    "events": (N_("event"), N_("events")),
    "interviews": (N_("interview record"), N_("interview records")),
    "feedback": (N_("feedback session"), N_("feedback sessions")),
    "outcomes": (N_("outcome record"), N_("outcome records")),
    "outputs": (N_("output"), N_("outputs")),
}


class _Words(dict):  # type: ignore[type-arg]
    """The words above, translated when they are read."""

    def __init__(self, words: dict[str, tuple[str, str]]) -> None:
        super().__init__(words)

    def get(self, key: str, default: Any = None) -> Any:
        pair = super().get(key)
        return default if pair is None else (_(pair[0]), _(pair[1]))


COUNT_WORDS = _Words(COUNT_WORDS_EN)
RECORD_WORDS = _Words(RECORD_WORDS_EN)


def _no_small_counts(ws: Workspace, written: dict[str, str], language: str | None) -> None:
    """The coordinator's own sections are outside the publication gate: a public report
    refuses one that gives a count of children the gate would have suppressed."""
    from cepa.records import narrative
    from cepa.records.personal import small_counts

    assert ws.project is not None
    threshold = ws.project.disclosure.threshold
    files = narrative.files_read(ws.root, language, public=True)
    for key, text in written.items():
        found = small_counts(text, threshold)
        if found:
            path = files.get(key)
            name = path.name if path else key
            raise ReportError(
                f"{name} says '{found[0]}', a count of children that publication mode would "
                f"suppress; write a version for publication without it as "
                f"{name[:-3]}.public.md (the public report uses that file), or leave the "
                "count out")


def _demote(markdown: str) -> str:
    """The coordinator's headings become sub-headings under the section's own."""
    out = []
    for line in markdown.splitlines():
        if line.startswith("#"):
            line = "###" + line.lstrip("#") if not line.startswith("###") else line
        out.append(line)
    return "\n".join(out)


def _target_group_table(s: Summary) -> Table:
    rows = [[g.name, ", ".join(g.activities) or "-",
             g.people if g.people is not None else "-",
             g.children if g.children is not None else "-"] for g in s.target_groups]
    return annotate(Table("target_groups", _("Target groups reached"),
                          [_("target group"), _("activities"), _("people (adults)"),
                           _("children and young people")], rows))


def _indicator_table(act: ActivityRow) -> Table:
    rows = [[i.text, "-" if i.target is None else i.target,
             i.actual if i.actual is not None else _("not recorded")] for i in act.indicators]
    return annotate(Table(f"indicators_{act.id}",
                          _("Indicators of activity {id}").format(id=act.id),
                          [_("indicator"), _("target"), _("achieved")], rows))


def _outputs_table(s: Summary) -> Table:
    from cepa.document import language as i18n

    rows = [[o.title, o.type, i18n.when(o.date),
             ", ".join(i18n.language(x) for x in o.languages) or "-", o.location or "-",
             "-" if o.reach is None else f"{i18n.number(o.reach)} {o.reach_counts or ''}".strip()]
            for o in s.outputs.rows]
    return Table("outputs", _("Outputs"), [_("output"), _("type"), _("delivered"),
                                           _("languages"), _("where to find it"), _("reach")],
                 rows)


def _title_page(w: _Writer, ws: Workspace, s: Summary, intro: str) -> None:
    from docx.shared import Pt

    p = s.project
    blocks = _blocks(intro)
    heads = [b for b in blocks if b[0] in ("h1", "h2")]
    rest = "\n\n".join(("- " if k == "bullet" else "") + t for k, t in blocks
                         if k not in ("h1", "h2"))
    for kind, text in heads:
        w.para(text, style="Title" if kind == "h1" else "Subtitle")
    from cepa.document import language as i18n

    assert ws.project is not None
    given = dict(ws.project.countries)
    partners = ", ".join(f"{x.name} ({i18n.country(x.country, given)})"
                         for x in ws.project.partners)
    facts = [(_("Project"), p.code), (_("Programme"), p.programme),
             (_("Period covered"), _label(s.period.name, i18n.period(s.period.start,
                                                                      s.period.end))),
             (_("Partners"), partners), (_("Date generated"), date.today().isoformat())]
    commit = git_commit(ws.root)
    if commit:
        facts.append((_("Records at git commit"), commit))
    if s.disclosure:
        from cepa.publication.gate import statement

        facts.append((_("Publication"), statement(s.disclosure)))
    broken = ws.broken_files()
    if broken:
        facts.append((_("Left out"), _("{n} record file(s) with errors, whose figures are "
                                       "missing from this report: {files}").format(
            n=len(broken), files=", ".join(broken[:5]) + (" ..." if len(broken) > 5 else ""))))
    w.doc.add_paragraph()
    for label, value in facts:
        para = w.doc.add_paragraph()
        run = para.add_run(f"{label}: ")
        run.bold = True
        para.add_run(value)
        para.paragraph_format.space_after = Pt(4)
    w.doc.add_paragraph()
    w.blocks(rest)
    w.page_break()


def _activity_context(s: Summary, act: ActivityRow) -> dict[str, Any]:
    """What an activity's text uses: its seminars, its people by country, its smallest
    event, what young people said - all from the summary."""
    return {"rows": [r for r in s.seminars if r.activity == act.id],
            "event_rows": [r for r in s.events if r.activity == act.id],
            "output_rows": [r for r in s.outputs.rows if r.activity == act.id],
            "by_country": act.by_country, "smallest": act.smallest,
            "themes": s.feedback.themes}


def _activity_tables(s: Summary, act: ActivityRow, by_key: dict[str, Table]) -> list[Table]:
    from cepa.document import language as i18n

    kind = act.kind
    out: list[Table] = []
    if kind == "visits":
        rows: list[list[Any]] = []
        for v in s.visits.visits:
            hosts = "; ".join(h.name + (f" ({h.city})" if h.city else "") for h in v.hosts)
            rows.append([v.title, ", ".join(v.from_), place(v.to), v.host_organisations,
                         hosts])
        out.append(Table("visits_hosts", _("Visits and their host organisations"),
                         [_("visit"), _("from"), _("to"), _("hosts"),
                          _("host organisations")], rows))
        out.append(by_key["hosts_by_country"])
    elif kind in ("seminars", "events"):
        gatherings: list[Any] = s.seminars if kind == "seminars" else s.events
        rows = [[i18n.when(r.date), r.title if kind == "seminars" else f"{r.title} ({r.type})",
                 _("online") if r.city is None else
                 f"{r.city}, {place(r.country or '')}"
                 + (" + " + _("online") if getattr(r, "mode", "") == "hybrid" else ""),
                 r.convenor + (", " + ", ".join(r.co_organisers) if r.co_organisers else ""),
                 r.participants]
                for r in gatherings if r.activity == act.id]
        title = (_("Seminars of activity {id}") if kind == "seminars"
                 else _("Events of activity {id}")).format(id=act.id)
        out.append(Table(f"{kind}_{act.id}", title,
                         [_("date"), _("seminar") if kind == "seminars" else _("event"),
                          _("place"), _("convenor"), _("participants")], rows))
        for b, label, title in (
                (act.by_function, "function", N_("Participants of activity {id} by function")),
                (act.by_organisation, "organisation",
                 N_("Participants of activity {id} by organisation")),
                (act.by_participant_country, "participant_country",
                 N_("Participants of activity {id} by country"))):
            if b is not None and len(b) and list(b) != ["(not broken down)"]:
                heading = _("country") if label == "participant_country" else _(label)
                out.append(Table(f"{label}_{act.id}", _(title).format(id=act.id),
                                 [heading, _("participants")],
                                 [[place(k) if label == "participant_country" else k, f]
                                  for k, f in b.items()]))
    elif kind == "interviews":
        rows = [[r.title, r.group, place(r.country), r.conducted_by,
                 r.interviews] for r in s.interviews.records]
        out.append(Table("interviews_records", _("Interviews"),
                         [_("interviews"), _("group"), _("country"), _("conducted by"),
                          _("interviews held")], rows))
        out.append(by_key["interviews_by_group"])
    elif kind == "feedback":
        out.append(by_key["feedback"])
        if "feedback_by_age_band" in by_key:
            out.append(by_key["feedback_by_age_band"])
    elif kind == "outcomes":
        out.append(by_key["outcomes_by_service"])
        if "outcomes_by_age_band" in by_key:
            out.append(by_key["outcomes_by_age_band"])
        if "risk" in by_key:
            out.append(by_key["risk"])
    elif kind == "outputs":
        rows = [[o.title, o.type, i18n.when(o.date),
                 ", ".join(i18n.language(x) for x in o.languages) or "-"]
                for o in s.outputs.rows if o.activity == act.id]
        out.append(Table(f"outputs_{act.id}", _("Outputs of activity {id}").format(id=act.id),
                         [_("output"), _("type"), _("delivered"), _("languages")], rows))
    return [annotate(t) for t in out]


def _coverage_table(w: _Writer, cov: Coverage) -> None:
    from cepa.document.tables import SHADED_NOTE, coverage_shading, coverage_tables

    t = coverage_tables(cov)[0]
    shaded = coverage_shading(cov)  # the same cells the workbook shades
    t.notes.append(_(SHADED_NOTE))
    w.table(t, font_pt=8, shade=lambda r, c: (r, c) in shaded)


def _appendix(w: _Writer, s: Summary) -> None:
    """Every record in the period, by kind, from the summary's rows (so publication mode
    suppresses here too), with numbered notes, in the records' words, for estimated
    figures."""
    from cepa.document import language as i18n

    def where(city: str | None, country: str | None) -> str:
        c = place(country) if country else ""
        return ", ".join(x for x in (city, c) if x) or "-"

    groups: list[tuple[str, str, list[tuple[str, str, str, Any, str]]]] = [
        ("visits", _("Visits (host organisations)"),
         [(v.id, v.date, where(v.city, v.to), v.host_organisations, v.source)
          for v in s.visits.visits]),
        ("seminars", _("Seminars (participants)"),
         [(r.id, r.date, where(r.city, r.country), r.participants, r.source)
          for r in s.seminars]),
        ("events", _("Events (participants)"),
         [(r.id, r.date, _("online") if r.mode == "online" else where(r.city, r.country),
           r.participants, r.source) for r in s.events]),
        ("interviews", _("Interviews (interviews held)"),
         [(r.id, r.date, where(None, r.country), r.interviews, r.source)
          for r in s.interviews.records]),
        ("feedback", _("Service-user feedback sessions (young people)"),
         [(r.id, r.date, where(None, r.country), r.young_people, r.source)
          for r in s.feedback.sessions_list]),
        ("outcomes", _("Outcome monitoring (children monitored)"),
         [(r.id, r.date, where(None, r.country), r.children, r.source)
          for r in s.outcomes.records]),
        ("outputs", _("Outputs"), [(r.id, r.date, r.location or "-",
                                    f"{i18n.number(r.reach)} {r.reach_counts or ''}".strip()
                                    if r.reach is not None else None, r.source)
                                   for r in s.outputs.rows]),
    ]
    for kind, title, rows in groups:
        if not rows:
            continue
        marks: dict[tuple[int, int], str] = {}
        shared: dict[int, list[str]] = {}  # one numbered note for records that share it
        table_rows = []
        for i, (rid, when, at, figure, source) in enumerate(rows):
            table_rows.append([rid, i18n.when(when), at, figure, source])
            if isinstance(figure, Figure) and figure.estimated and figure.known:
                text = " ".join(figure.why) or _("estimated")
                if text not in w.footnotes:
                    w.footnotes.append(text)
                n = w.footnotes.index(text) + 1
                marks[(i, 3)] = str(n)
                shared.setdefault(n, []).append(rid)
        notes = [f"{n}. {', '.join(rids)}: {w.footnotes[n - 1]}" for n, rids in shared.items()]
        t = Table(f"appendix_{kind}", title, [_("record id"), _("date"), _("place"),
                                               _("figure"), _("source file")], table_rows,
                  notes)
        w.table(t, font_pt=8, marks=marks)
