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
    assert ": warning: title has no nl text" not in r.stdout
    assert "european-added-value.nl.md" in r.stdout and "difficulties.nl.md" not in r.stdout
    assert "(translation-missing)" in r.stdout
