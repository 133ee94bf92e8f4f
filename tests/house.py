"""A house style as a report writer makes one: a template saved by LibreOffice Writer, and an
outline that renames a section, adds one of the writer's own, leaves the claims out and
swaps two annexes. tests/test_look.py builds the report from them; docs/look/ shows it.

``python -m tests.house`` remakes the pictures of docs/look/ (``make_docs``), and with
``--template`` first tests/fixtures/house-libreoffice.docx, with LibreOffice, from the flat
ODF text below.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "tests" / "fixtures" / "house-libreoffice.docx"
DOCS = REPO / "docs" / "look"

#: The house's colour and fonts (Carlito and Caladea: the widths of Calibri and Cambria).
HOUSE_COLOUR = "7A1F3D"
BODY_FONT, HEADING_FONT = "Carlito", "Caladea"

OUTLINE = """
report:
  version: Draft 2
  outline:
    sections:
      - identification
      - participants
      - target_groups
      - implemented
      - not_implemented
      - unforeseen
      - results
      - part: difficulties
        title: {en: Challenges we met, nl: Moeilijkheden die we tegenkwamen}
      - own: safeguarding
        title: {en: Safeguarding, nl: Bescherming van kinderen}
        asks: How were the children and young people kept safe?
      - european_added_value
      - lessons_learnt
      - dissemination
      - follow_up
    annexes:
      - coverage
      - attendance
      - appendix
      - figure_notes
"""

#: The writer's own section: it counts a few children, so a public report refuses it.
SAFEGUARDING = {
    "safeguarding.md": "Every partner named a safeguarding lead, and every visit followed "
                       "the host's child protection policy. Staff who met young people were "
                       "vetted beforehand. During the feedback sessions three young people "
                       "asked to speak to a counsellor, and were referred the same day.\n",
    "safeguarding.nl.md": "Elke partner wees een verantwoordelijke voor de veiligheid van "
                          "kinderen aan, en elk bezoek volgde het kinderbeschermingsbeleid "
                          "van de gastorganisatie. Medewerkers die jongeren ontmoetten, "
                          "werden vooraf gescreend.\n",
}
SAFEGUARDING_PUBLIC = ("Every partner named a safeguarding lead, and every visit followed "
                       "the host's child protection policy. Staff who met young people "
                       "were vetted beforehand, and anyone who asked for support was "
                       "referred the same day.\n")


def _logo() -> bytes:
    """The house's logo: a small PNG."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (360, 96), (0x7A, 0x1F, 0x3D))
    draw = ImageDraw.Draw(im)
    draw.ellipse([12, 12, 84, 84], fill=(0xF0, 0xC8, 0x50))
    draw.text((104, 36), "STICHTING VOORBEELD", fill="white")
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def fodt() -> str:
    """The house template as LibreOffice's flat ODF text: house fonts and colour, bold
    Title, Heading 1 and Heading 3, a bold Caption, the logo and fields in the first page's
    header, fields and page numbers in the footer; no Subtitle, no list or table styles, no
    contents styles (cepa adds its own), and no theme."""
    logo = base64.b64encode(_logo()).decode("ascii")

    def para(name: str, display: str, props: str, parent: str = "Standard",
             level: str = "") -> str:
        lvl = f' style:default-outline-level="{level}"' if level else ""
        return (f'<style:style style:name="{name}" style:display-name="{display}" '
                f'style:family="paragraph" style:parent-style-name="{parent}"{lvl}>'
                f"{props}</style:style>")

    heading = (f'style:font-name="{HEADING_FONT}" fo:font-weight="bold" '
               f'fo:color="#{HOUSE_COLOUR}"')
    styles = "".join([
        para("Heading", "Heading", '<style:paragraph-properties fo:keep-with-next="always"/>'
             f'<style:text-properties {heading} fo:font-size="14pt"/>'),
        para("Heading_20_1", "Heading 1", '<style:paragraph-properties fo:margin-top="0.6cm" '
             f'fo:margin-bottom="0.25cm"/><style:text-properties {heading} '
             'fo:font-size="20pt"/>', "Heading", "1"),
        para("Heading_20_2", "Heading 2", f'<style:text-properties {heading} '
             'fo:font-size="14pt" fo:font-style="italic"/>', "Heading", "2"),
        para("Heading_20_3", "Heading 3", f'<style:text-properties {heading} '
             'fo:font-size="11pt"/>', "Heading", "3"),
        para("Title", "Title", '<style:paragraph-properties fo:text-align="start"/>'
             f'<style:text-properties {heading} fo:font-size="30pt"/>', "Heading"),
        para("Caption", "Caption", f'<style:text-properties style:font-name="{BODY_FONT}" '
             'fo:font-size="9pt" fo:font-weight="bold" fo:color="#404040"/>'),
    ])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text">
 <office:font-face-decls>
  <style:font-face style:name="{BODY_FONT}" svg:font-family="{BODY_FONT}"/>
  <style:font-face style:name="{HEADING_FONT}" svg:font-family="{HEADING_FONT}"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph"><style:text-properties
   style:font-name="{BODY_FONT}" fo:font-size="11pt" fo:language="en" fo:country="GB"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties
   fo:margin-bottom="0.2cm" fo:line-height="115%"/><style:text-properties
   style:font-name="{BODY_FONT}" fo:font-size="11pt"/></style:style>
  {styles}
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm"
   fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm"
   fo:margin-left="2.5cm" fo:margin-right="2cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="1.2cm"
    fo:margin-bottom="0.5cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.8cm"
    fo:margin-top="0.4cm"/></style:footer-style>
  </style:page-layout>
  <style:style style:name="Small" style:family="paragraph"
   style:parent-style-name="Standard"><style:text-properties fo:font-size="8pt"
   fo:color="#{HOUSE_COLOUR}"/></style:style>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Small">{{{{ code }}}} · {{{{ report_title }}}} · \
{{{{ version }}}}</text:p></style:header>
   <style:header-first><text:p text:style-name="Small"><draw:frame draw:name="logo"
    text:anchor-type="as-char" svg:width="4.5cm" svg:height="1.2cm"><draw:image><office:binary-data
    >{logo}</office:binary-data></draw:image></draw:frame></text:p></style:header-first>
   <style:footer><text:p text:style-name="Small">Stichting Voorbeeld · {{{{ period }}}} · \
Page <text:page-number text:select-page="current">1</text:page-number> of \
<text:page-count>1</text:page-count></text:p></style:footer>
   <style:footer-first><text:p text:style-name="Small">{{{{ title }}}} · \
{{{{ date }}}}</text:p></style:footer-first>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text><text:p text:style-name="Standard">The house style of Stichting
 Voorbeeld.</text:p></office:text></office:body>
</office:document>
"""


def make_template(out: Path = TEMPLATE) -> Path:
    """The house template, saved as .docx by LibreOffice (``soffice`` must be installed)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "house-libreoffice.fodt"
        src.write_text(fodt(), encoding="utf-8")
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={Path(tmp).as_uri()}/lo",
                        "--convert-to", "docx", "--outdir", tmp, str(src)],
                       capture_output=True, timeout=240, check=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src.with_suffix(".docx"), out)
    return out


def project(root: Path, records: Path = REPO / "records", house: bool = True) -> Path:
    """A copy of the shipped records with the house outline and own section, and with the
    house template as its ``templates/reference.docx`` when ``house``."""
    shutil.copytree(records, root, ignore=shutil.ignore_patterns(".cepa-cache"))
    if house:
        with (root / "cepa-project.yaml").open("a", encoding="utf-8") as f:
            f.write(OUTLINE)
        for name, text in SAFEGUARDING.items():
            (root / name).write_text(text, encoding="utf-8")
        (root / "templates").mkdir(exist_ok=True)
        shutil.copyfile(TEMPLATE, root / "templates" / "reference.docx")
    return root


def inputs_digest() -> str:
    """What the look in docs/look/ comes from - this file, the house template and cepa's
    own reference document - as one digest, which each picture carries (a test compares)."""
    h = hashlib.sha256()
    for p in (Path(__file__), TEMPLATE, REPO / "templates" / "reference.docx"):
        h.update(p.relative_to(REPO).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    return text.split("\f")[:-1]


def picture(pdf: Path, out: Path, digest: str) -> Path:
    """Four pages of a report side by side - the title page, the contents, the first
    section and the first chart - as one PNG carrying ``digest``."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    pages = _pages(pdf)
    chosen = [1, 2, 3, next(i for i, p in enumerate(pages, 1) if "Figure 1." in p)]
    images = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in chosen:
            subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", str(n), "-l", str(n),
                            "-singlefile", str(pdf), f"{tmp}/p{n}"], check=True, timeout=60)
            images.append(Image.open(f"{tmp}/p{n}.png").convert("RGB"))
    w, h = images[0].size
    sheet = Image.new("RGB", (w * len(images) + 8 * (len(images) + 1), h + 16), (200, 200, 200))
    for i, im in enumerate(images):
        sheet.paste(im, (8 + i * (w + 8), 8))
    info = PngInfo()
    info.add_text("cepa-inputs", digest)
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, pnginfo=info, optimize=True)
    return out


def make_docs(folder: Path = DOCS) -> list[Path]:
    """docs/look/before.png (the shipped report in cepa's look) and after.png (in the house
    style and outline), rendered by LibreOffice through ``cepa report -o FILE.pdf``."""
    from typer.testing import CliRunner

    from cepa.cli import app

    digest = inputs_digest()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, with_house in (("before", False), ("after", True)):
            root = project(Path(tmp) / name, house=with_house)
            pdf = Path(tmp) / f"{name}.pdf"
            r = CliRunner().invoke(app, ["report", str(root), "-o", str(pdf)])
            assert r.exit_code == 0, r.output
            out.append(picture(pdf, folder / f"{name}.png", digest))
    return out


if __name__ == "__main__":  # python -m tests.house: the template, then the pictures
    if "--template" in sys.argv:
        print(make_template())
    for p in make_docs():
        print(p)
