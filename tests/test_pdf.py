"""cepa report -o FILE.pdf: the PDF through LibreOffice, page numbers in its contents.

What a page number should be is read from the PDF itself (pdftotext, page by page): the
number printed beside a heading in the contents must be the page the heading is printed
on. Nothing expected here comes from cepa's own idea of the layout.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import NO_LIBREOFFICE, RECORDS, build_tree
from tests.projects import YOUTH_NET, YOUTH_NET_PRIVATE
from tests.test_report import SECTION_HEADINGS  # each a line of the contents

runner = CliRunner()


needs_libreoffice = pytest.mark.skipif(
    NO_LIBREOFFICE, reason="LibreOffice or poppler is not installed (CI installs them and "
                           "never skips this)")


def run(*args: str) -> tuple[int, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stderr


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext ends every page with a form feed)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    return text.split("\f")[:-1]


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


def contents_numbers(pages: list[str]) -> dict[str, int]:
    """Each one-line entry of the contents and the number printed at its end."""
    found: dict[str, int] = {}
    for page in pages:
        for line in page.splitlines():
            m = re.fullmatch(r"\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*", line)
            if m:
                found.setdefault(m.group(1), int(m.group(2)))
    return found


def heading_page(pages: list[str], heading: str) -> int:
    """The first page after the contents with a line that is exactly the heading (a
    contents line has dots; the title page may list the heading as not yet written)."""
    start = next(i for i, p in enumerate(pages) if re.search(r"\.{3,}\s*\d+\s*$", p, re.M))
    for number, page in enumerate(pages, 1):
        if number <= start + 1:
            continue
        if any(line.strip() == heading for line in page.splitlines()):
            return number
    raise AssertionError(f"{heading!r} is printed on no page")


def check_contents(pdf: Path) -> dict[str, int]:
    """Every section heading's number in the contents is the page it is printed on."""
    pages = pdf_pages(pdf)
    assert len(pages) == page_count(pdf)
    numbers = contents_numbers(pages)
    for h in SECTION_HEADINGS:
        assert h in numbers, f"no page number beside {h!r} in the contents"
        assert numbers[h] == heading_page(pages, h), h
    # a real layout: the sections spread over several pages, after the contents
    assert len({numbers[h] for h in SECTION_HEADINGS}) >= 4
    assert min(numbers.values()) >= 3
    return numbers


def convert(docx: Path, out: Path) -> Path:
    """LibreOffice's own conversion of a .docx, as a user opening it would see it."""
    r = subprocess.run(["soffice", "--headless", f"-env:UserInstallation={out.as_uri()}/lo",
                        "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    return out / docx.with_suffix(".pdf").name


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``cepa report records -o r.pdf`` in a copy of the shipped records."""
    if NO_LIBREOFFICE:
        pytest.skip("LibreOffice or poppler is not installed")
    base = tmp_path_factory.mktemp("pdf")
    records = base / "records"
    shutil.copytree(RECORDS, records, ignore=shutil.ignore_patterns(".cepa-cache"))
    code, err = run("report", str(records), "-o", str(base / "r.pdf"))
    assert code == 0, err
    assert "wrote" in err and "r.pdf" in err
    return base / "r.pdf"


@needs_libreoffice
def test_the_contents_show_the_page_of_each_heading(made: Path) -> None:
    assert made.read_bytes()[:5] == b"%PDF-"
    check_contents(made)
    text = "\n".join(pdf_pages(made))
    assert "Right-click to update" not in text  # the sentence for an unnumbered contents
    assert not list(made.parent.glob("*.part"))


@needs_libreoffice
def test_the_docx_beside_it_shows_the_same_numbers(made: Path, tmp_path: Path) -> None:
    import docx

    beside = made.with_suffix(".docx")
    assert beside.is_file()
    again = convert(beside, tmp_path)
    assert check_contents(again) == check_contents(made)
    # Word reads the same numbers from the field's result, and can still update the field
    xml = docx.Document(str(beside)).element.xml
    # no updateFields: Word would ask on opening whether to update the document's fields
    assert 'TOC \\o "1-1"' in xml and "w:updateFields" not in docx.Document(
        str(beside)).settings.element.xml
    assert "PAGEREF" in xml and "Right-click to update" not in xml


@needs_libreoffice
def test_pdf_beside_a_docx_and_force(agis: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    code, err = run("report", str(agis), "-o", str(out), "--pdf")
    assert code == 0, err
    pdf = tmp_path / "x.pdf"
    check_contents(pdf)
    before = pdf.read_bytes(), out.read_bytes()
    code, err = run("report", str(agis), "-o", str(out), "--pdf")
    assert code == 1 and "x.docx already exists" in err and "--force" in err
    assert (pdf.read_bytes(), out.read_bytes()) == before
    code, err = run("report", str(agis), "-o", str(out), "--pdf", "--force")
    assert code == 0, err
    check_contents(pdf)
    assert not list(tmp_path.glob("*.part"))


def test_no_overwrite_without_force(agis: Path, tmp_path: Path) -> None:
    """Nothing is written when the PDF or the .docx beside it exists (checked before
    LibreOffice is needed)."""
    old = tmp_path / "r.docx"
    old.write_bytes(b"edited by hand")
    code, err = run("report", str(agis), "-o", str(tmp_path / "r.pdf"))
    assert code == 1 and "r.docx already exists" in err and "--force" in err
    assert old.read_bytes() == b"edited by hand" and not (tmp_path / "r.pdf").exists()
    old.unlink()
    (tmp_path / "r.pdf").write_bytes(b"%PDF- old")
    code, err = run("report", str(agis), "-o", str(tmp_path / "r.docx"), "--pdf")
    assert code == 1 and "r.pdf already exists" in err
    assert not old.exists() and (tmp_path / "r.pdf").read_bytes() == b"%PDF- old"


@pytest.mark.parametrize("name", ["r.doc", "r.odt", "report", "r.pdf.txt"])
def test_only_docx_or_pdf(agis: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, err = run("report", str(agis), "-o", str(out / name))
    assert code == 2 and "(.docx) or a PDF (.pdf)" in err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("how", ["CEPA_SOFFICE", "PATH"])
def test_without_libreoffice_it_says_how_to_install_it(agis: Path, tmp_path: Path,
                                                       how: str) -> None:
    env = dict(os.environ)
    if how == "CEPA_SOFFICE":
        env["CEPA_SOFFICE"] = str(tmp_path / "no-such-soffice")
    else:
        env.pop("CEPA_SOFFICE", None)
        env["PATH"] = str(tmp_path / "empty")  # no soffice, no libreoffice
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "cepa", "report", str(agis), "-o",
                        str(out / "r.pdf")], capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith("cepa: error:") and "Traceback" not in r.stderr
    assert "libreoffice-writer" in r.stderr and "https://www.libreoffice.org/download" in r.stderr
    assert not out.exists()  # nothing written, not even the .docx


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_libreoffice_failing_or_hanging_is_an_error_not_a_traceback(
        agis: Path, tmp_path: Path) -> None:
    from cepa.writers.pdf import PdfError, report_pdf

    broken = tmp_path / "soffice"
    broken.write_text("#!/bin/sh\necho 'it broke' >&2\nexit 3\n")
    broken.chmod(0o755)
    r = runner.invoke(app, ["report", str(agis), "-o", str(tmp_path / "r.pdf")],
                      env={"CEPA_SOFFICE": str(broken)})
    assert r.exit_code == 1 and "LibreOffice" in r.stderr and "it broke" in r.stderr
    assert not (tmp_path / "r.pdf").exists() and not (tmp_path / "r.docx").exists()
    hanging = tmp_path / "hanging"
    child = tmp_path / "child.pid"
    hanging.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {child}\nsleep 60\n")
    hanging.chmod(0o755)
    with pytest.raises(PdfError, match="longer than 1 seconds"):
        report_pdf(b"not read", soffice=hanging, timeout=1)
    assert not alive(int(child.read_text()))  # all of it was stopped, not just the script


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")  # killed but not yet reaped (no init in a container)
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


@needs_libreoffice
def test_public_pdf_holds_nothing_the_public_docx_suppresses(tmp_path: Path) -> None:
    import docx

    def words(text: str) -> set[str]:
        return set(re.findall(r"[\w'-]+", text))

    def docx_text(path: Path) -> str:
        d = docx.Document(str(path))
        return "\n".join([p.text for p in d.paragraphs]
                         + [c.text for t in d.tables for row in t.rows for c in row.cells])

    youth = build_tree(tmp_path / "youth-net", YOUTH_NET)
    private, public = tmp_path / "private.docx", tmp_path / "public.docx"
    assert run("report", str(youth), "-o", str(private))[0] == 0
    assert run("report", str(youth), "--public", "-o", str(public))[0] == 0
    suppressed = words(docx_text(private)) - words(docx_text(public))
    assert {"Ilguciems", "48", "16"} <= suppressed  # a private name, children's totals
    code, err = run("report", str(youth), "--public", "-o", str(tmp_path / "pub.pdf"))
    assert code == 0, err
    pages = pdf_pages(tmp_path / "pub.pdf")
    # leave out what only a page carries: the footer and the contents' page numbers
    body = "\n".join(re.sub(r"\.{3,}\s*\d+\s*$", "", line) for page in pages
                     for line in page.splitlines()
                     if not re.fullmatch(r"\s*Page \d+ of \d+\s*", line))
    assert words(body) & suppressed == set()
    for secret in YOUTH_NET_PRIVATE:
        assert secret not in body
    assert "95" in body and "50" in body  # adults as recorded, children rounded

    def cells(path: Path) -> list[str]:
        return [c.text for t in docx.Document(str(path)).tables for r in t.rows for c in r.cells]

    assert cells(tmp_path / "pub.docx") == cells(public)  # the .docx beside it is the public one


@needs_libreoffice
def test_progress_has_a_pdf_step_and_the_page_count_is_the_pdfs(tmp_path: Path) -> None:
    from cepa.api import Evidence
    from cepa.records import workspace as project
    from cepa.writers.pdf import report_pdf

    youth = build_tree(tmp_path / "youth-net", YOUTH_NET)
    steps: list[str] = []
    data = Evidence(project.load(youth)).report(progress=lambda s, d, t: steps.append(s))
    made = report_pdf(data, progress=lambda s, d, t: steps.append(s))
    assert "title" in steps and any(s.startswith("PDF") for s in steps)
    out = tmp_path / "y.pdf"
    out.write_bytes(made.pdf)
    assert made.pages == page_count(out)


def test_numbering_the_contents_keeps_a_field_word_can_update(tmp_path: Path) -> None:
    """Without LibreOffice: the numbers given go into the contents' PAGEREF results, the
    sentence on updating goes, and the TOC field stays."""
    import docx

    from cepa.api import Evidence
    from cepa.records import workspace as project
    from cepa.writers.docx import number_contents

    youth = build_tree(tmp_path / "youth-net", YOUTH_NET)
    data = Evidence(project.load(youth)).report()
    before = docx.Document(io.BytesIO(data))
    lines = [p.text for p in before.paragraphs if "\t" in p.text]
    assert lines and all(line.endswith("\t") for line in lines)  # no numbers yet
    heads = [p for p in before.paragraphs if p.style.name == "Heading 1"]
    assert len(lines) == len(heads)
    names = [b.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name")
             for h in heads for b in h._p if b.tag.endswith("}bookmarkStart")]
    numbered = number_contents(data, {n: 10 + i for i, n in enumerate(names)})
    after = docx.Document(io.BytesIO(numbered))
    got = [p.text for p in after.paragraphs if "\t" in p.text]
    assert got == [f"{h.text}\t{10 + i}" for i, h in enumerate(heads)]
    xml = after.element.xml
    assert 'TOC \\o "1-1"' in xml and xml.count("PAGEREF") == len(heads)
    assert "Right-click to update" in before.element.xml and "Right-click" not in xml


def _docx_words(path: Path) -> set[str]:
    """Every word of the .docx (body, tables, headers, footers), as its paragraphs hold it."""
    import html
    import zipfile

    words: set[str] = set()
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            xml = z.read(name).decode("utf-8")
            for para in xml.split("</w:p>"):
                text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para))
                words.update(html.unescape(text).split())
    return words


def _split_words(pdf: Path, docx: Path) -> list[str]:
    """Words of the PDF that no paragraph of the .docx holds: the halves of a word broken
    across two lines ('covere' 'd'), as pdftotext reads them."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    known = _docx_words(docx)
    strip = "()[]{}.,;:'\"*"
    known_bare = {w.strip(strip) for w in known}
    # pdftotext joins a word broken at its hyphen ('inter-' 'agency' reads 'interagency')
    known_bare |= {k[:i] + k[i + 1:] for k in known_bare for i, ch in enumerate(k) if ch == "-"}
    known_bare |= {k.replace("-", "") for k in known_bare if "-" in k}
    out = []
    for w in text.split():
        w = re.sub(r"\.{3,}\d*$", "", w)  # a line of the contents: its dots and page
        bare = w.strip(strip)
        if not any(ch.isalnum() for ch in bare) or bare.isdigit() or w in known \
                or bare in known_bare:
            continue
        if re.fullmatch(r"\.{3,}\d*", w) or re.fullmatch(r"[\d,*]+", bare):  # contents, marks
            continue
        if bare.endswith("-") and any(k.startswith(bare) for k in known_bare):
            continue  # broken at its own hyphen ('inter-' 'agency'), as a reader breaks it
        if any(bare in k and len(bare) >= 3 for k in known_bare if "-" in k or "/" in k):
            continue  # the part after a hyphen or a slash of a known word
        out.append(w)
    return out


@needs_libreoffice
@pytest.mark.parametrize("lang", ["en", "nl", "et"])
def test_no_word_is_broken_across_lines(tmp_path: Path, lang: str) -> None:
    records = tmp_path / "records"
    shutil.copytree(RECORDS, records, ignore=shutil.ignore_patterns(".cepa-cache"))
    pdf = tmp_path / f"r-{lang}.pdf"
    code, err = run("report", str(records), "-o", str(pdf), "--lang", lang)
    assert code == 0, err
    assert _split_words(pdf, pdf.with_suffix(".docx")) == []


@needs_libreoffice
def test_the_example_workbook_prints_in_a_handful_of_pages(tmp_path: Path) -> None:
    records = tmp_path / "records"
    shutil.copytree(RECORDS, records, ignore=shutil.ignore_patterns(".cepa-cache"))
    book = tmp_path / "e.xlsx"
    r = runner.invoke(app, ["export", str(records), "-o", str(book)])
    assert r.exit_code == 0, r.output
    pdf = convert(book, tmp_path)
    assert page_count(pdf) <= 16
    pages = pdf_pages(pdf)
    # every page says which sheet it is, and no sheet of records prints its notes column
    assert all(re.search(r"\w+, page \d+ of \d+", p) for p in pages)
    text = "\n".join(pages)
    assert "Stade practice-sharing visit to Estonia" in text
    assert "source file" not in text and ".yaml" not in text
