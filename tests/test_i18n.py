"""The report in the partners' languages: every message translated, no English of cepa's own
left in a Dutch or Estonian report, months and numbers as each language writes them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from cepa.document import language as i18n
from tests.conftest import NO_LIBREOFFICE, RECORDS, build_tree
from tests.projects import ERASMUS

runner = CliRunner()
SHIPPED = ("nl", "et")
#: The model project's figures (its published summary): in every language's report.
AGIS_FIGURES = ["238", "127", "111", "64", "302", "122", "226", "34", "58", "17"]


@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_is_translated(code: str) -> None:
    from babel.messages.pofile import read_po

    with (Path(i18n.__file__).parent / "locale" / f"{code}.po").open("rb") as f:
        po = read_po(f, locale=code)
    missing = []
    for m, plural, context in i18n.extract():
        entry = po.get((m, plural) if plural else m, context=context)
        strings = entry.string if entry is not None else ""
        done = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if not done or (entry is not None and entry.fuzzy):
            missing.append(m)
    assert not missing, f"{code}.po lacks: {missing[:5]} (run python -m cepa.document.language)"


def test_a_language_without_a_catalogue_is_a_usage_error(tmp_path: Path) -> None:
    r = runner.invoke(app, ["summarize", str(RECORDS), "--lang", "xx"])
    assert r.exit_code == 2 and "no translation into 'xx'" in r.stderr
    r = runner.invoke(app, ["report", str(RECORDS), "--lang", "xx", "-o",
                            str(tmp_path / "r.docx")])
    assert r.exit_code == 1 and "no translation into 'xx'" in r.stderr
    assert not (tmp_path / "r.docx").exists()


def test_numbers_months_and_countries_in_each_language() -> None:
    from datetime import date

    with i18n.using("nl"):
        assert i18n.number(1200) == "1.200" and i18n.month_year(date(2005, 1, 1)) == "januari 2005"
        assert i18n.country("EE") == "Estland" and i18n.country("UK") == "Verenigd Koninkrijk"
        assert i18n.when("2021-05-11, 2021-05-12, 2021-05-14") == "11, 12 en 14 mei 2021"
    with i18n.using("et"):
        assert i18n.number(1200) == "1\xa0200" and i18n.month_year(date(2006, 12, 1)) == \
            "detsember 2006"
        assert i18n.language("nl") == "hollandi"
    assert i18n.when("2021-05-11, 2021-05-12, 2021-05-14") == "11, 12 and 14 May 2021"
    assert i18n.number(1200) == "1,200"


def test_summarize_in_estonian() -> None:
    r = runner.invoke(app, ["summarize", str(RECORDS), "--lang", "et"])
    assert r.exit_code == 0
    assert "Ülevaade" in r.stdout and "Periood: jaanuar 2005 kuni detsember 2006" in r.stdout
    assert "Overview" not in r.stdout


def _own_words(root: Path) -> str:
    """Everything the project's own files say: their words are the project's, not cepa's."""
    return " ".join(" ".join(p.read_text(encoding="utf-8").split())
                    for p in sorted(root.rglob("*")) if p.suffix in (".yaml", ".md"))


def _pdf_text(docx: Path, tmp: Path) -> str:
    profile = tmp / "lo-profile"
    subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(docx)],
                   check=True, capture_output=True, timeout=180)
    return subprocess.run(["pdftotext", str(tmp / (docx.stem + ".pdf")), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.skipif(NO_LIBREOFFICE, reason="LibreOffice or poppler is not installed "
                                           "(CI installs them)")
@pytest.mark.parametrize(("code", "month", "percent"), [
    ("nl", "januari 2005 t/m december 2006", "100,7%"),
    ("et", "jaanuar 2005 kuni detsember 2006", "100,7%"),
])
def test_the_shipped_report_in_dutch_and_estonian(tmp_path: Path, code: str, month: str,
                                                  percent: str) -> None:
    out = tmp_path / f"report-{code}.docx"
    r = runner.invoke(app, ["report", str(RECORDS), "--lang", code, "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = " ".join(_pdf_text(out, tmp_path).split())
    own = _own_words(RECORDS)
    left = []
    for message, _plural, _context in i18n.extract():
        english = re.sub(r"%\((\w+)\)s|\{\w+\}", "\x00", message)
        for piece in english.split("\x00"):
            piece = " ".join(piece.split()).strip(" .,:;()'\"")
            # sentences and labels of three words and more, that are not the project's own
            if len(piece.split()) >= 3 and piece not in own and piece in text:
                left.append(piece)
    assert not left, f"English of cepa's own in the {code} report: {left[:5]}"
    assert month in text and percent in text
    for figure in AGIS_FIGURES:
        assert re.search(rf"(?<![\d,.]){figure}(?![\d,.])", text), figure
    body = _body_text(out)
    # dates in words: no ISO month in the body (ids and file names are in the annexes)
    assert not re.search(r"(?<![\w-])\d{4}-\d{2}(?![\w-])", body), re.findall(
        r".{30}\d{4}-\d{2}.{10}", body)[:3]
    # the coordinator's English that has a translation in the records never shows
    for english in _translated_english(RECORDS, code):
        assert english not in text, english
    if code == "nl":
        assert "| van | naar |" in _table_heads(out)
    else:
        assert "| kust | kuhu |" in _table_heads(out)
        assert "Madalmaad" in text and "Ühendkuningriik" in text
        assert "Holland" not in text and "Suurbritannia" not in text


def _body_text(docx_path: Path) -> str:
    """The report from its first section to the annexes, paragraphs and tables."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(str(docx_path))
    out: list[str] = []
    started = False
    for child in d.element.body.iterchildren():
        if child.tag.endswith("}p"):
            p = Paragraph(child, d)
            if p.style is not None and p.style.name == "Heading 1":
                if started and p.text.startswith(("Bijlage 1", "Lisa 1")):
                    break
                started = True
            out.append(p.text)
        elif child.tag.endswith("}tbl") and started:
            out.extend(c.text for row in Table(child, d).rows for c in row.cells)
    return "\n".join(out)


def _table_heads(docx_path: Path) -> str:
    import docx

    return "\n".join("| " + " | ".join(c.text for c in t.rows[0].cells) + " |"
                     for t in docx.Document(str(docx_path)).tables)


def _translated_english(root: Path, code: str) -> list[str]:
    """The English of every text the records give in ``code`` too (longer than a few
    words: a title of three words may be a name, and names stay)."""
    import yaml

    found: list[str] = []

    def walk(v: object) -> None:
        if isinstance(v, dict):
            if "en" in v and code in v and v["en"] != v[code] and isinstance(v["en"], str):
                if len(v["en"].split()) >= 5:
                    found.append(" ".join(v["en"].split()))
            else:
                for x in v.values():
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for p in root.rglob("*.yaml"):
        walk(yaml.safe_load(p.read_text(encoding="utf-8")))
    return found


def test_coordinator_texts_per_language_and_what_a_translator_lacks(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "e", ERASMUS)
    p = root / "cepa-project.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace(
        "title: Safe Schools Together",
        "title: {en: Safe Schools Together, nl: Samen veilige scholen}"), encoding="utf-8")
    (root / "difficulties.nl.md").write_text("Reisbeperkingen.\n", encoding="utf-8")
    out = tmp_path / "nl.docx"
    assert runner.invoke(app, ["report", str(root), "--lang", "nl", "-o", str(out)]).exit_code == 0
    import docx

    text = "\n".join(par.text for par in docx.Document(str(out)).paragraphs)
    assert "Samen veilige scholen" in text and "Reisbeperkingen." in text
    # not given in Dutch: the project's own language, English
    assert "Give school staff the skills to recognise and report abuse" in text
    r = runner.invoke(app, ["validate", str(root), "--lang", "nl"])
    assert r.exit_code == 0
    assert "objectives.0.text has no nl text" in r.stdout
    assert "cepa-project.yaml:2:1: warning: title has no nl text" not in r.stdout
    # the records' texts and the words they use as keys are on the translator's list too
    assert "outputs/toolkit.yaml:10:1: warning: audience has no nl text" in r.stdout
    assert "'teachers' has no nl label; add it to the project file as labels:" in r.stdout
    assert "european-added-value.nl.md" in r.stdout and "difficulties.nl.md" not in r.stdout
    assert "(translation-missing)" in r.stdout
