"""A workbook ``Book`` (cepa/document/nodes.py) as files: an xlsx workbook, a folder of CSV
files (one a sheet), or one JSON document. Nothing is written over a file without
``force``, and nothing half: each file goes through a temporary file renamed into place."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from cepa.base.files import WontOverwrite, atomic_write
from cepa.document.nodes import Book, Cell, Page, Sheet, SheetColumn
from cepa.writers.flat import flat, value
from cepa.writers.terminal import safe_text

FORMATS = ("xlsx", "csv", "json")


class ExportError(Exception):
    """Something the user can fix: an unknown format."""


def _plain(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    return v


def _cell_json(c: Cell) -> Any:
    if c.counts is None:
        return _plain(value(c))
    n = c.value if isinstance(c.value, int | float) else None
    return {"value": n, "shown": c.text, "estimated": c.estimated,
            **({"grade": c.grade} if c.grade else {}), "counts": c.counts,
            **({"unrecorded": c.unrecorded} if c.unrecorded else {}),
            **({"children": True} if c.children else {}), "records": list(c.records)}


def _rows_json(columns: list[str], rows: list[list[Cell]]) -> list[dict[str, Any]]:
    return [{h: _cell_json(c) for h, c in zip(columns, r, strict=True)} for r in rows]


def to_json(book: Book) -> dict[str, Any]:
    """One document: a list of rows (objects) per sheet, with the notes. The Summary holds
    its tables, each with its rows."""
    m = book.meta
    out: dict[str, Any] = {"about": {"project": m.project, "period": list(m.period),
                                     "audience": m.audience,
                                     "records_fingerprint": m.fingerprint}}
    for sh in book.sheets:
        if isinstance(sh, Page):
            out[sh.name] = {"notes": [*sh.heading, *sh.notes], "tables": [
                {"title": t.title, "notes": t.notes, "rows": _rows_json(t.columns, t.rows)}
                for t in sh.tables]}
        else:
            out[sh.name] = {"notes": sh.notes,
                            "rows": _rows_json([c.heading for c in sh.columns], sh.rows)}
    return out


def csv_text(sheet: Sheet | Page, words: dict[str, str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    est, yes = words.get("estimated", "estimated"), words.get("yes", "yes")
    if isinstance(sheet, Page):  # the tables one after another, each under its title
        for line in [*sheet.heading, *sheet.notes]:
            w.writerow([safe_text(line)])
        for t in sheet.tables:
            part = Sheet(t.title, [SheetColumn(c) for c in t.columns], t.rows)
            w.writerow([])
            w.writerow([safe_text(t.title)])
            heads, rows, _ = flat(part, estimated=est, yes=yes)
            w.writerow([safe_text(c) for c in heads])
            w.writerows([safe_text(_plain(v)) for v in r] for r in rows)
            w.writerows([safe_text(n)] for n in t.notes)
        return buf.getvalue()
    heads, rows, _ = flat(sheet, estimated=est, yes=yes)
    w.writerow([safe_text(c) for c in heads])
    for r in rows:
        w.writerow([safe_text(_plain(v)) for v in r])
    return buf.getvalue()


def csv_name(sheet: Sheet | Page) -> str:
    return sheet.name.lower().replace(" ", "-") + ".csv"


def write(book: Book, path: Path, fmt: str = "xlsx", *, force: bool = False,
          mode: int | None = None) -> list[Path]:
    """Write the book as ``fmt``; returns the files written. Raises WontOverwrite."""
    if fmt == "xlsx":
        from cepa.writers.xlsx import write_xlsx

        return [atomic_write(path, lambda f: write_xlsx(book, f), force=force, mode=mode)]
    if fmt == "json":
        data = json.dumps(to_json(book), indent=2, ensure_ascii=False, default=str) + "\n"
        return [atomic_write(path, data.encode("utf-8"), force=force, mode=mode)]
    if fmt == "csv":
        if path.exists() and not path.is_dir():
            raise WontOverwrite(f"{path} exists and is not a folder")
        targets = [(path / csv_name(sh), sh) for sh in book.sheets]
        if not force:
            for p, _ in targets:
                if p.exists():
                    raise WontOverwrite(f"{p} already exists; use --force to replace it")
        # utf-8-sig: Excel reads the BOM as UTF-8; every other tool ignores it.
        return [atomic_write(p, csv_text(sh, book.words).encode("utf-8-sig"), force=force,
                             mode=mode)
                for p, sh in targets]
    raise ExportError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
