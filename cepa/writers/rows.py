"""Rows of a workbook's long sheets written as text: the XML openpyxl writes for them.

openpyxl builds and serialises an object per cell: seconds for a workbook of 10,000 records
(cepa/writers/xlsx.py writes 400,000 cells). ``row_xml`` writes a row as openpyxl would -
the same cells, style numbers and row height, text inline - and ``Rows`` puts each long
sheet's rows in place of a marker row that sheet holds when openpyxl saves the workbook.
The styles themselves are still openpyxl's: xlsx.py decides them, and numbers them in the
order openpyxl would, so the saved workbook is the same, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, BinaryIO


class Rows:
    """Rows to write as text into the saved workbook, each sheet's after its marker."""

    def __init__(self) -> None:
        import secrets

        self.token = f"cepa-rows-{secrets.token_hex(8)}"
        self.parts: dict[str, Iterator[str]] = {}

    def add(self, ws: Any, rows: Iterator[str]) -> None:
        """Write ``rows`` (``row_xml`` text) where the next row of ``ws`` would be."""
        mark = f"{self.token}-{len(self.parts)}"
        ws.append([mark])
        self.parts[mark] = rows

    def splice(self, saved: bytes, f: BinaryIO) -> None:
        import io
        import zipfile

        marker = re.compile(r'<row r="\d+"><c r="A\d+" t="inlineStr"><is><t>('
                            + re.escape(self.token) + r'-\d+)</t></is></c></row>')
        with zipfile.ZipFile(io.BytesIO(saved)) as zin, \
                zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if not item.filename.startswith("xl/worksheets/") or \
                        self.token.encode() not in data:
                    zout.writestr(item, data)
                    continue
                xml = data.decode("utf-8")
                with zout.open(item, "w") as out:
                    at = 0
                    for m in marker.finditer(xml):
                        out.write(xml[at:m.start()].encode("utf-8"))
                        chunk: list[str] = []
                        for row in self.parts.pop(m.group(1)):
                            chunk.append(row)
                            if len(chunk) >= 500:
                                out.write("".join(chunk).encode("utf-8"))
                                chunk = []
                        out.write("".join(chunk).encode("utf-8"))
                        at = m.end()
                    out.write(xml[at:].encode("utf-8"))
        if self.parts:  # pragma: no cover - a marker openpyxl did not write as expected
            raise RuntimeError("rows of the workbook were not written: " + ", ".join(self.parts))


_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def row_xml(n: int, values: list[Any], sids: Sequence[int | None], height: float | None) -> str:
    """A ``<row>`` as openpyxl writes it: each cell not None, in its style (None or 0: no
    style); text is always text, never a formula."""
    out = [f'<row r="{n}">' if height is None else
           f'<row r="{n}" ht="{height:.16g}" customHeight="1">']
    add = out.append
    for j, v in enumerate(values):
        sid = sids[j]
        if v is None and not sid:
            continue
        ref = f"{_COLUMNS[j] if j < _NAMED else _column(j)}{n}"
        s_attr = f' s="{sid}"' if sid else ""
        t = v.__class__
        if t not in _PLAIN and v is not None and not isinstance(v, date):
            v = _plain(v)  # a subclass (an enum), written as openpyxl writes its base
            t = v.__class__
        if t is str:
            if not v.isprintable() or len(v) > _MAX_TEXT:
                v = _checked_text(v)
            if not v:
                add(f'<c r="{ref}"{s_attr} t="inlineStr"></c>')
            elif v[0] in _SPACES or v[-1] in _SPACES:
                add(f'<c r="{ref}"{s_attr} t="inlineStr"><is><t xml:space="preserve">'
                    f"{v.translate(_XML_TEXT)}</t></is></c>")
            else:
                add(f'<c r="{ref}"{s_attr} t="inlineStr"><is><t>'
                    f"{v.translate(_XML_TEXT) if _NEEDS.search(v) else v}</t></is></c>")
        elif t is int or t is float:
            text = f"{v:.16g}" if v == v and abs(v) != _INF else ""
            add(f'<c r="{ref}"{s_attr} t="n"><v>{text}</v></c>')
        elif v is None:
            add(f'<c r="{ref}"{s_attr}></c>')
        elif t is bool:
            add(f'<c r="{ref}"{s_attr} t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, date) and sid:  # a date has its format
            from openpyxl.utils.datetime import to_excel

            add(f'<c r="{ref}"{s_attr} t="n"><v>{to_excel(v):.16g}</v></c>')
        else:  # pragma: no cover - cells hold text, numbers and formatted dates
            raise TypeError(f"cannot write {type(v).__name__} to a cell here")
    add("</row>")
    return "".join(out)


_INF = float("inf")
_PLAIN = frozenset({str, int, float, bool})


def _plain(v: Any) -> Any:
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, str):
        return str.__str__(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float(v)
    return v
_MAX_TEXT = 32767
#: What openpyxl takes as leading or trailing white space (str.strip's), kept with
#: xml:space="preserve".
_SPACES = frozenset(c for c in map(chr, range(0x3000 + 1)) if c.isspace())
_NEEDS = re.compile("[&<>\r]")


def _checked_text(v: str) -> str:
    """Text as openpyxl takes it into a cell: at most 32,767 characters, and an error for
    a character a worksheet cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils.exceptions import IllegalCharacterError

    v = v[:_MAX_TEXT]
    if ILLEGAL_CHARACTERS_RE.search(v):
        raise IllegalCharacterError(f"{v} cannot be used in worksheets.")
    return v


def _column(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


_COLUMNS = [chr(65 + j) for j in range(26)] + [chr(65 + a) + chr(65 + b)
                                               for a in range(26) for b in range(26)]
_NAMED = len(_COLUMNS)
