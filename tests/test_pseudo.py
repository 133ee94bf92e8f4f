"""Every word of cepa's own comes from the catalogues: written in the pseudo-language, the
example project's report, workbook and terminal summary keep no English word of cepa's.

The words checked are those of cepa's own messages (the catalogue's msgids); a word the
project's files use too (a title, a note, a sector) is the coordinator's and may stay, as
may numbers, dates (the pseudo-language writes them in English), countries and ids.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cepa.cli import app
from tests.conftest import RECORDS

runner = CliRunner()
WORD = re.compile(r"[A-Za-z]{4,}")


@cache
def cepas_words() -> frozenset[str]:
    """Every word (four letters or more) of cepa's own messages."""
    from babel.messages.pofile import read_po

    po = Path(__file__).parent.parent / "cepa" / "document" / "locale" / "nl.po"
    catalog = read_po(po.open("rb"))
    words: set[str] = set()
    for m in catalog:
        for text in (m.id if isinstance(m.id, tuple) else (m.id,)):
            words.update(w.lower() for w in WORD.findall(re.sub(r"\{[^}]*\}|%\([^)]*\)s", "",
                                                                text)))
    return frozenset(words)


@cache
def coordinators_words() -> frozenset[str]:
    """Every word of the project's own files, and the names of months and countries."""
    import calendar

    import pycountry

    words: set[str] = set()
    for p in [*RECORDS.rglob("*.yaml"), *RECORDS.glob("*.md")]:
        words.update(w.lower() for w in WORD.findall(p.read_text(encoding="utf-8")))
    words.update(m.lower() for m in calendar.month_name if m)
    for c in pycountry.countries:
        words.update(w.lower() for w in WORD.findall(getattr(c, "common_name", c.name)))
    return frozenset(words)


def english_left(text: str) -> list[str]:
    # a word inside [...] is pseudo: altered, so it matches no English word anyway
    return sorted({w for w in WORD.findall(text) if w.lower() in cepas_words()
                   and w.lower() not in coordinators_words()})


def _xml_text(path: Path, prefix: str) -> str:
    """The text of a .docx's or .xlsx's parts, without Word's field codes (PAGE, TOC)."""
    with zipfile.ZipFile(path) as z:
        xml = [re.sub(r"<w:instrText[^>]*>[^<]*</w:instrText>", "", z.read(n).decode("utf-8"))
               for n in z.namelist() if n.startswith(prefix) and n.endswith(".xml")]
    return "\n".join(re.sub(r"<[^>]+>", " ", x) for x in xml)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pseudo") / "records"
    shutil.copytree(RECORDS, root, ignore=shutil.ignore_patterns(".cepa-cache"))
    return root


def test_the_report_in_pseudo(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    r = runner.invoke(app, ["report", str(project), "--lang", "pseudo", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert english_left(_xml_text(out, "word/")) == []


def test_the_workbook_in_pseudo(project: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from cepa.document.book import BREAKDOWNS_SHEET
    from cepa.records.kinds import KINDS

    out = tmp_path / "e.xlsx"
    r = runner.invoke(app, ["export", str(project), "--lang", "pseudo", "-o", str(out)])
    assert r.exit_code == 0, r.output
    # The sheets of records and of breakdowns are what 'cepa import records' reads: their
    # names and column headings are the records' field names, in every language (as the
    # YAML files' are); their notes above the table are cepa's words all the same.
    editable = {k.title for k in KINDS.values()} | {BREAKDOWNS_SHEET}
    wb = load_workbook(out)
    texts = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = list(ws.iter_rows(values_only=True))
        if ws.title in editable:
            head = next(i for i, row in enumerate(rows) if row[0] in ("id", "record"))
            rows = rows[:head]
        else:
            texts.append(ws.title)
        texts += [str(v) for row in rows for v in row if isinstance(v, str)]
        texts += [ws.oddFooter.center.text or "", ws.oddHeader.left.text or ""]
    texts.append(_xml_text(out, "xl/charts/"))
    assert english_left("\n".join(texts)) == []


def test_the_summary_in_pseudo(project: Path) -> None:
    r = runner.invoke(app, ["summarize", str(project), "--lang", "pseudo"])
    assert r.exit_code == 0, r.output
    assert english_left(r.stdout) == []
    r = runner.invoke(app, ["coverage", str(project), "--lang", "pseudo"])
    assert r.exit_code == 0, r.output
    assert english_left(r.stdout) == []
