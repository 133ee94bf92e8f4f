"""The look of the report: the reference document it takes its styles, theme, header and
footer from.

A reference document is a .docx saved by Word or by LibreOffice Writer, or a Word template
(.dotx): the organisation's own (``templates/reference.docx`` in the project, or
``--template``), else cepa's. ``open_reference`` opens one and adds every style the report
uses that it lacks, copied from cepa's own reference, never changing one it has: a
property the organisation set (bold, colour, size, spacing) is the report's. ``look_of``
reads what the charts take from it (the theme's accent colours, the body font);
``fill_fields`` puts the report's values where its headers and footers hold
``{{ code }}``, ``{{ report_title }}`` ...; ``check`` says, in words for the writer, what
the report will add or miss (a style, a font this machine lacks, a field cepa does not
fill). ``STYLES`` and the document's fields are documented in docs/templates.md, made from
the code (``cepa templates docs``).

python-docx and lxml are imported here only when a report is written or checked.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


class DocxError(Exception):
    """The reference document cannot be used."""


@dataclass(frozen=True)
class StyleUse:
    """A style the report uses: its name (as Word names its built-in styles), its kind, and
    what the report sets in it."""

    name: str
    kind: str
    used_for: str


#: The styles the report uses. A reference document that lacks one gets cepa's.
STYLES: tuple[StyleUse, ...] = (
    StyleUse("Normal", "paragraph", "body text; the other styles are based on it"),
    StyleUse("Title", "paragraph", "the report's title on the title page"),
    StyleUse("Subtitle", "paragraph", "the project's title under it"),
    StyleUse("Heading 1", "paragraph", "each section and annex; the contents list these"),
    StyleUse("Heading 2", "paragraph", "each activity, and a template's own sub-headings"),
    StyleUse("Heading 3", "paragraph", "a table's title, and the headings in the "
                                       "coordinator's own sections"),
    StyleUse("Caption", "paragraph", "the notes under a table, a chart's caption"),
    StyleUse("List Bullet", "paragraph", "bulleted lists"),
    StyleUse("List Number", "paragraph", "numbered lists: each list is numbered from 1"),
    StyleUse("TOC Heading", "paragraph", "the heading of the contents"),
    StyleUse("TOC 1", "paragraph", "a line of the contents"),
    StyleUse("Report Table", "table", "every table (else Table Grid); the report sets the "
                                      "header row bold only when the style says nothing of it"),
    StyleUse("Hyperlink", "character", "links"),
)

#: Colours of cepa's charts when a reference document has no theme (LibreOffice writes none).
DEFAULT_COLOURS = ("1F3A5F", "A6A6A6", "595959", "D9D9D9", "7F7F7F", "262626")

#: Fonts of the same widths (a layout in one is a layout in the other): LibreOffice and
#: fontconfig use them for each other, so the pages and the contents' numbers stay put.
METRIC_TWINS: dict[str, tuple[str, ...]] = {
    "calibri": ("Carlito",), "carlito": ("Calibri",),
    "cambria": ("Caladea",), "caladea": ("Cambria",),
    "arial": ("Liberation Sans", "Arimo"), "helvetica": ("Liberation Sans", "Arimo"),
    "liberation sans": ("Arial", "Arimo"), "arimo": ("Arial", "Liberation Sans"),
    "times new roman": ("Liberation Serif", "Tinos"),
    "liberation serif": ("Times New Roman", "Tinos"),
    "courier new": ("Liberation Mono", "Cousine"),
    "liberation mono": ("Courier New", "Cousine"),
    "arial narrow": ("Liberation Sans Narrow",), "georgia": ("Gelasio",),
}

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_MACROS = "application/vnd.ms-word."


def _w(tag: str) -> str:
    return f"{{{_W_NS}}}{tag}"


def cepa_reference() -> Path:
    """cepa's own reference document (``templates/reference.docx``)."""
    return Path(str(resources.files("cepa._templates"))) / "reference.docx"


# --- opening one ---------------------------------------------------------------------------


def _as_docx(data: bytes, path: Path) -> bytes:
    """A Word template (.dotx) as the document it makes: the same parts, the main one
    declared a document. A file with macros is refused: a report needs none."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            types = z.read("[Content_Types].xml").decode("utf-8")
            if _MACROS in types and "macroEnabled" in types:
                raise DocxError(f"the report template {path} holds macros (.docm, .dotm); "
                                "save it as a Word document (.docx) or template (.dotx)")
            if _TEMPLATE not in types:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
                for item in z.infolist():
                    part = z.read(item.filename)
                    if item.filename == "[Content_Types].xml":
                        part = types.replace(_TEMPLATE, _DOCUMENT).encode("utf-8")
                    w.writestr(item, part)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        return data  # python-docx says what is wrong with it


def open_document(path: Path) -> Any:
    """A reference document opened by python-docx, a .dotx as the document it makes."""
    import docx

    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise DocxError(f"the report template {path} does not exist") from None
    except OSError as e:
        raise DocxError(f"the report template {path} cannot be read: {e.strerror or e}") \
            from None
    try:
        return docx.Document(io.BytesIO(_as_docx(data, Path(path))))
    except DocxError:
        raise
    except Exception as e:  # python-docx raises several kinds for a file that is no .docx
        raise DocxError(f"the report template {path} is not a Word .docx or .dotx file "
                        f"({e}); save it from Word or LibreOffice as Word 2007-365 (.docx)") \
            from None


@cache
def _cepa() -> Any:
    return open_document(cepa_reference())


def style_named(doc: Any, name: str) -> Any:
    """The ``w:style`` of a name, as Word finds it: its built-in names in any case ('heading
    1', 'toc 1'), None when there is none."""
    want = name.casefold()
    for el in doc.styles.element.findall(_w("style")):
        n = el.find(_w("name"))
        if n is not None and (n.get(_w("val")) or "").casefold() == want:
            return el
    return None


def style_id(doc: Any, name: str) -> str | None:
    el = style_named(doc, name)
    return None if el is None else el.get(_w("styleId"))


def open_reference(path: Path | None) -> tuple[Any, list[str]]:
    """The reference document (``path``, else cepa's) with its body emptied and every style
    the report uses that it lacks added from cepa's: the document, and the names of the
    styles added."""
    doc = open_document(path or cepa_reference())
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    added = [s.name for s in STYLES if _add_style(doc, s.name)]
    styles = doc.styles.element.findall(_w("style"))
    if not any(s.get(_w("type")) == "paragraph" and s.get(_w("default")) in ("1", "true")
               for s in styles):  # LibreOffice marks none: Normal is what Word takes
        normal = style_named(doc, "Normal")
        if normal is not None:
            normal.set(_w("default"), "1")
    return doc, added


def _add_style(doc: Any, name: str) -> bool:
    """Copy cepa's style ``name`` into ``doc`` when it has none of that name (and what it
    is based on, when that is missing too); True when it was added."""
    if style_named(doc, name) is not None:
        return False
    if name == "Report Table" and style_named(doc, "Table Grid") is not None:
        return False  # the report uses Table Grid then, as it always has
    ref = _cepa()
    src = style_named(ref, name)
    if src is None:
        return False
    el = deepcopy(src)
    ids = {s.get(_w("styleId")) for s in doc.styles.element.findall(_w("style"))}
    sid = el.get(_w("styleId")) or name.replace(" ", "")
    while sid in ids:
        sid += "Cepa"
    el.set(_w("styleId"), sid)
    for default in ("default", "customStyle"):
        el.attrib.pop(_w(default), None)
    based = el.find(_w("basedOn"))
    if based is not None:
        parent = next((s for s in ref.styles.element.findall(_w("style"))
                       if s.get(_w("styleId")) == based.get(_w("val"))), None)
        parent_name = parent.find(_w("name")).get(_w("val")) if parent is not None else None
        if parent_name is not None:
            _add_style(doc, parent_name)
            pid = style_id(doc, parent_name)
        else:
            pid = None
        if pid is None:
            el.remove(based)
        else:
            based.set(_w("val"), pid)
    ids.add(sid)
    for tag in ("link", "next"):
        ref_el = el.find(_w(tag))
        if ref_el is not None and ref_el.get(_w("val")) not in ids:
            el.remove(ref_el)
    ppr = el.find(_w("pPr"))
    num = ppr.find(_w("numPr")) if ppr is not None else None
    if num is not None:
        num_id = num.find(_w("numId"))
        copied = _copy_numbering(doc, ref, num_id.get(_w("val"))) \
            if num_id is not None else None
        if copied is None:
            ppr.remove(num)
        else:
            num_id.set(_w("val"), copied)
    doc.styles.element.append(el)
    return True


def numbering(doc: Any, create: bool = False) -> Any:
    """The document's ``w:numbering`` element (made when ``create`` and there is none)."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.oxml import parse_xml
    from docx.parts.numbering import NumberingPart

    part = doc.part
    try:
        return part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
    except KeyError:
        if not create:
            return None
    made = NumberingPart(PackURI("/word/numbering.xml"), CONTENT_TYPE.WML_NUMBERING,
                         parse_xml(f'<w:numbering xmlns:w="{_W_NS}"/>'), part.package)
    part.relate_to(made, RELATIONSHIP_TYPE.NUMBERING)
    return made.element


def _copy_numbering(doc: Any, ref: Any, num_id: str | None) -> str | None:
    """cepa's list numbering ``num_id`` copied into ``doc``: its new numId."""
    theirs = numbering(ref)
    if theirs is None or num_id is None:
        return None
    num = next((n for n in theirs.findall(_w("num")) if n.get(_w("numId")) == num_id), None)
    if num is None:
        return None
    abstract_id = num.find(_w("abstractNumId")).get(_w("val"))
    abstract = next((a for a in theirs.findall(_w("abstractNum"))
                     if a.get(_w("abstractNumId")) == abstract_id), None)
    if abstract is None:
        return None
    ours = numbering(doc, create=True)
    new_abstract = deepcopy(abstract)
    new_abstract.set(_w("abstractNumId"), str(_next_id(ours, "abstractNum", "abstractNumId")))
    nums = ours.findall(_w("num"))
    if nums:
        nums[0].addprevious(new_abstract)
    else:
        ours.append(new_abstract)
    return new_num(ours, new_abstract.get(_w("abstractNumId")))


def _next_id(numbering_el: Any, tag: str, attr: str) -> int:
    return max((int(e.get(_w(attr))) for e in numbering_el.findall(_w(tag))
                if (e.get(_w(attr)) or "").isdigit()), default=0) + 1


def new_num(numbering_el: Any, abstract_id: str, restart: bool = False) -> str:
    """A new list of the numbering ``abstract_id`` (numbered from 1 when ``restart``): its
    numId."""
    from docx.oxml import parse_xml

    nid = str(_next_id(numbering_el, "num", "numId"))
    start = ('<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
             if restart else "")
    numbering_el.append(parse_xml(f'<w:num xmlns:w="{_W_NS}" w:numId="{nid}">'
                                  f'<w:abstractNumId w:val="{abstract_id}"/>{start}</w:num>'))
    return nid


def list_numbering(doc: Any, style: str) -> str | None:
    """The abstract numbering a list style numbers its paragraphs with, None when it has
    none (the report then writes the numbers as text)."""
    el = style_named(doc, style)
    seen = 0
    while el is not None and seen < 10:
        num = el.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}")
        if num is not None:
            ours = numbering(doc)
            if ours is None:
                return None
            found = next((n for n in ours.findall(_w("num"))
                          if n.get(_w("numId")) == num.get(_w("val"))), None)
            a = found.find(_w("abstractNumId")) if found is not None else None
            return a.get(_w("val")) if a is not None else None
        based = el.find(_w("basedOn"))
        el = None if based is None else next(
            (s for s in doc.styles.element.findall(_w("style"))
             if s.get(_w("styleId")) == based.get(_w("val"))), None)
        seen += 1
    return None


# --- what the charts take from it ------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    """What a chart takes from the reference document: the theme's accent colours (hex,
    in order) and the font of its body text."""

    colours: tuple[str, ...] = DEFAULT_COLOURS
    font: str | None = None


def _theme(doc: Any) -> Any:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from lxml import etree

    try:
        part = doc.part.part_related_by(RELATIONSHIP_TYPE.THEME)
    except KeyError:
        return None
    try:
        return etree.fromstring(part.blob)
    except etree.XMLSyntaxError:
        return None


def _theme_colours(theme: Any) -> tuple[str, ...]:
    if theme is None:
        return DEFAULT_COLOURS
    out = []
    for i in range(1, 7):
        el = theme.find(f".//{{{_A_NS}}}clrScheme/{{{_A_NS}}}accent{i}")
        colour = None
        if el is not None and len(el):
            c = el[0]
            colour = c.get("val") if c.tag.endswith("srgbClr") else c.get("lastClr")
        if colour and re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
            out.append(colour.upper())
    return tuple(out) or DEFAULT_COLOURS


def _theme_font(theme: Any, which: str) -> str | None:
    if theme is None:
        return None
    el = theme.find(f".//{{{_A_NS}}}fontScheme/{{{_A_NS}}}{which}Font/{{{_A_NS}}}latin")
    face = el.get("typeface") if el is not None else None
    return face or None


def font_of(doc: Any, name: str, theme: Any = None) -> str | None:
    """The font a style's text is set in: its own, else the style it is based on, else
    the document's default, through the theme's fonts where they are named so."""
    theme = theme if theme is not None else _theme(doc)
    el = style_named(doc, name)
    by_id = {s.get(_w("styleId")): s for s in doc.styles.element.findall(_w("style"))}
    chain: list[Any] = []
    while el is not None and len(chain) < 10:
        chain.append(el)
        based = el.find(_w("basedOn"))
        el = by_id.get(based.get(_w("val"))) if based is not None else None
    defaults = doc.styles.element.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
    for rpr in [*(s.find(_w("rPr")) for s in chain), defaults]:
        fonts = rpr.find(_w("rFonts")) if rpr is not None else None
        if fonts is None:
            continue
        if fonts.get(_w("ascii")):
            return str(fonts.get(_w("ascii")))
        themed = fonts.get(_w("asciiTheme"))
        if themed:
            return _theme_font(theme, "major" if themed.startswith("major") else "minor")
    return _theme_font(theme, "minor")


def colour_of(doc: Any, name: str) -> str | None:
    """The colour a style's text is set in (its own or the style's it is based on), None
    when it says none ('auto')."""
    by_id = {s.get(_w("styleId")): s for s in doc.styles.element.findall(_w("style"))}
    el, seen = style_named(doc, name), 0
    while el is not None and seen < 10:
        c = el.find(f"{_w('rPr')}/{_w('color')}")
        value = c.get(_w("val")) if c is not None else None
        if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
            return value.upper()
        based = el.find(_w("basedOn"))
        el = by_id.get(based.get(_w("val"))) if based is not None else None
        seen += 1
    return None


def size_of(doc: Any, name: str) -> float:
    """The type size in points a style's text is set in (its own, the style's it is based
    on, the document's default; 10 as Word has it when none says)."""
    by_id = {s.get(_w("styleId")): s for s in doc.styles.element.findall(_w("style"))}
    el, seen = style_named(doc, name), 0
    defaults = doc.styles.element.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
    chain = []
    while el is not None and seen < 10:
        chain.append(el.find(_w("rPr")))
        based = el.find(_w("basedOn"))
        el = by_id.get(based.get(_w("val"))) if based is not None else None
        seen += 1
    for rpr in [*chain, defaults]:
        sz = rpr.find(_w("sz")) if rpr is not None else None
        if sz is not None and (sz.get(_w("val")) or "").isdigit():
            return int(sz.get(_w("val"))) / 2
    return 10.0


def look_of(doc: Any) -> Look:
    """The charts' look: the theme's accent colours, or where the document has no theme
    (LibreOffice writes none) the colours of its headings before cepa's greys; the font of
    its body text."""
    theme = _theme(doc)
    if theme is not None:
        colours = _theme_colours(theme)
    else:
        own = [c for c in (colour_of(doc, n) for n in ("Heading 1", "Title", "Heading 2"))
               if c is not None]
        colours = tuple(dict.fromkeys([*own, *DEFAULT_COLOURS[1:]]))
    return Look(colours, font_of(doc, "Normal", theme))


# --- fonts on this machine -------------------------------------------------------------------


@cache
def installed_fonts() -> frozenset[str] | None:
    """The font families this machine has (lower case), from fontconfig, else from
    matplotlib's list; None when neither can say."""
    fc = shutil.which("fc-list")
    if fc:
        try:
            out = subprocess.run([fc, ":", "family"], capture_output=True, text=True,
                                 timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        names = {n.strip().casefold() for line in out.splitlines() for n in line.split(",")}
        names.discard("")
        if names:
            return frozenset(names)
    try:
        from matplotlib import font_manager

        return frozenset(f.name.casefold() for f in font_manager.fontManager.ttflist)
    except Exception:  # no matplotlib font list either: nothing can be said
        return None


def available(font: str) -> str | None:
    """The font a layout on this machine uses for ``font``: itself, or a font of the same
    widths (Carlito for Calibri); None when it has neither."""
    have = installed_fonts()
    if have is None or font.casefold() in have:
        return font
    return next((t for t in METRIC_TWINS.get(font.casefold(), ()) if t.casefold() in have),
                None)


def _substitute(font: str) -> str | None:
    """What fontconfig puts in place of a missing font, when it can say."""
    fc = shutil.which("fc-match")
    if not fc:
        return None
    try:
        out = subprocess.run([fc, "-f", "%{family}", font], capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return out.split(",")[0].strip() or None


def fonts_named(doc: Any) -> dict[str, list[str]]:
    """The fonts the report's styles are set in, with the styles that use each."""
    theme = _theme(doc)
    out: dict[str, list[str]] = {}
    for s in STYLES:
        if s.kind == "paragraph" and style_named(doc, s.name) is not None:
            font = font_of(doc, s.name, theme)
            if font:
                out.setdefault(font, []).append(s.name)
    return out


# --- fields in headers and footers ---------------------------------------------------------

FIELD = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def _headers_and_footers(doc: Any) -> list[tuple[str, Any]]:
    """Every header and footer part of the document: ('header', element), ..."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    out = []
    for rel in doc.part.rels.values():
        if rel.is_external:
            continue
        if rel.reltype == RT.HEADER:
            out.append(("header", rel.target_part.element))
        elif rel.reltype == RT.FOOTER:
            out.append(("footer", rel.target_part.element))
    return out


def _fill_paragraph(p: Any, value: Any) -> None:
    """Each ``{{ name }}`` of a paragraph replaced by ``value(name)`` (left when None),
    though Word splits it over several runs."""
    ts = [t for t in p.iter(_w("t"))]
    text = "".join(t.text or "" for t in ts)
    if "{{" not in text:
        return
    spans, at = [], 0
    for t in ts:
        spans.append((at, at + len(t.text or "")))
        at += len(t.text or "")
    for m in reversed(list(FIELD.finditer(text))):
        new = value(m.group(1))
        if new is None:
            continue
        start, end = m.span()
        first = True
        for t, (a, b) in zip(ts, spans, strict=True):
            if b <= start or a >= end:
                continue
            s = t.text or ""
            lo, hi = max(start, a) - a, min(end, b) - a
            t.text = s[:lo] + (new if first else "") + s[hi:]
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            first = False


def fill_fields(doc: Any, fields: dict[str, str], words: dict[str, str]) -> None:
    """The headers' and footers' ``{{ name }}`` filled from ``fields``, and 'Page', 'of'
    around the page numbers in the document's language (``words``: 'page', 'of')."""
    page, of = words.get("page", "Page"), words.get("of", "of")
    for _where, element in _headers_and_footers(doc):
        for p in element.iter(_w("p")):
            _fill_paragraph(p, fields.get)
            if not any(" PAGE " in (i.text or "") for i in p.iter(_w("instrText"))):
                continue
            for t in p.iter(_w("t")):  # 'Page 3 of 18' around the page fields
                text = t.text or ""
                if re.search(r"\bPage ?$", text):
                    t.text = re.sub(r"\bPage( ?)$", lambda m: page + m.group(1), text)
                elif text.strip() == "of":
                    t.text = text.replace("of", of)


def fields_in(doc: Any) -> list[tuple[str, str]]:
    """The ``{{ name }}`` fields the headers and footers hold: (where, name)."""
    out: list[tuple[str, str]] = []
    for where, element in _headers_and_footers(doc):
        for p in element.iter(_w("p")):
            text = "".join(t.text or "" for t in p.iter(_w("t")))
            out.extend((where, m.group(1)) for m in FIELD.finditer(text))
    return out


# --- what a writer should know ---------------------------------------------------------------


def check(path: Path, fields: dict[str, str]) -> list[str]:
    """What the report will do differently from what the reference document at ``path``
    says, in words for its writer: a style it lacks (cepa's is used), a font this machine
    does not have, a field in a header or footer cepa does not fill (``fields`` names the
    ones it fills). Raises ``DocxError`` when it cannot be used at all."""
    doc = open_document(path)
    lacking = [s.name for s in STYLES if style_named(doc, s.name) is None
               and not (s.name == "Report Table" and style_named(doc, "Table Grid") is not None)]
    out = []
    if lacking:
        out.append(f"it has no style {_listed(lacking)}, which the report uses: it uses "
                   "cepa's instead; add "
                   + ("it" if len(lacking) == 1 else "them")
                   + " in Word or LibreOffice to choose the look (docs/templates.md says "
                     "what each is for)")
    for font, styles in sorted(fonts_named(doc).items()):
        if available(font) is None:
            instead = _substitute(font)
            out.append(f"it sets {', '.join(styles)} in the font '{font}', which this "
                       "machine does not have: the PDF, its page breaks and the contents' "
                       "page numbers would use "
                       + (f"'{instead}'" if instead else "another font")
                       + " instead; install the font, or choose one this machine has")
    for where, name in fields_in(doc):
        if name not in fields:
            out.append(f"its {where} holds {{{{ {name} }}}}, which cepa does not fill; the "
                       f"fields are {', '.join(f for f in fields if '.' not in f)}")
    return out


def _listed(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
