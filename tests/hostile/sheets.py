"""Sign-in sheets as people make them, and as an attacker would: built in code.

``workbook`` writes an .xlsx with openpyxl (title rows, a hidden first sheet, merged cells,
a Total row); ``raw_xlsx`` writes one by hand, part by part, for what openpyxl would not
write: a dimension that claims a million rows, a million rows, a zip bomb, a truncated part.
``no_names_under`` is the check that matters most: no name from a sheet anywhere in the
project afterwards.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

FIRST = ["Alice", "Bram", "Kadri", "Oliver", "Sanne", "Mart", "Grace", "Pieter", "Jānis",
         "Rūta", "Γιώργος", "Μαρία", "Jürgen", "Zoë", "Siobhán", "Mikko"]
LAST = ["Hughes", "de Vries", "Tamm", "Jones", "Bakker", "Kask", "Evans", "Smit", "Bērziņš",
        "Žemaitė", "Παπαδόπουλος", "Κωνσταντίνου", "Müller", "O'Brien", "Virtanen", "Kivi"]
ORGS = ["Barnardo's", "Police Scotland", "City Council", "Stade", "Tartu Child Support Centre",
        "TransAct", "Leeds University", "Politsei- ja Piirivalveamet"]
COUNTRIES = ["UK", "NL", "EE", "Estonia", "United Kingdom", "Nederland", "LV", "EL"]
SECTORS = ["child protection", "criminal justice", "education", "health", "youth work"]


def person(i: int) -> str:
    """The i-th attendee's name: distinct for i < 256."""
    return f"{FIRST[i % 16]} {LAST[(i // 16 + i) % 16]}"


def no_names_under(root: Path, names: Iterable[str]) -> None:
    """No name (in any case) in any file under ``root``, the parse cache included."""
    wanted = {n.casefold() for n in names}
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink():
            text = p.read_bytes().decode("utf-8", errors="replace").casefold()
            for n in wanted:
                assert n not in text, f"{n!r} in {p}"


def workbook(path: Path, rows: Sequence[Sequence[Any]], *, hidden_first: Sequence[Sequence[Any]]
             | None = None, merges: Sequence[str] = (), title: str = "Sign-in") -> Path:
    """An .xlsx whose (visible) sheet holds ``rows``; a hidden sheet before it if asked."""
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    if hidden_first is not None:
        first.title = "Old list"
        for r in hidden_first:
            first.append(list(r))
        first.sheet_state = "hidden"
        ws = wb.create_sheet(title)
        wb.active = 1
    else:
        ws = first
        ws.title = title
    for r in rows:
        ws.append(list(r))
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
    '</Types>')
_RELS = (f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
         f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
         '</Relationships>')
_WORKBOOK = (
    f'{_XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{_REL}">'
    '<sheets><sheet name="Sign-in" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>')


def _cell(ref: str, value: Any) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(rows: Iterable[tuple[int, Sequence[Any]]], dimension: str = "") -> Iterable[bytes]:
    """A worksheet part, in pieces: rows given as (row number, values from column A)."""
    yield ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + (f'<dimension ref="{dimension}"/>' if dimension else "") + "<sheetData>").encode()
    for n, values in rows:
        cells = "".join(_cell(f"{chr(65 + j)}{n}", v) for j, v in enumerate(values))
        yield f'<row r="{n}">{cells}</row>'.encode()
    yield b"</sheetData></worksheet>"


def raw_xlsx(path: Path, sheet: Iterable[bytes], *, extra: int = 0,
             truncate: int | None = None) -> Path:
    """An .xlsx written part by part; ``extra`` empty parts more; the sheet part cut after
    ``truncate`` bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            written = 0
            for piece in sheet:
                if truncate is not None:
                    piece = piece[:max(0, truncate - written)]
                f.write(piece)
                written += len(piece)
        for i in range(extra):
            z.writestr(f"xl/media/empty{i}.bin", b"")
    path.write_bytes(buf.getvalue())
    return path


def zeros(megabytes: int) -> Iterable[bytes]:
    """A worksheet part that is ``megabytes`` MB of zero bytes (compresses to almost
    nothing: a zip bomb)."""
    block = b"\0" * (1 << 20)
    for _ in range(megabytes):
        yield block
