"""The columns of a kind's sheet, described once, from the record model.

A ``Column`` says what one column of a per-kind sheet holds: its heading, the field of the
record it maps to (a path: ``("participants", "total")``), how a cell is read and written
(text, a list, a whole number, yes/no, a date, a reference to the project file), whether it
is worked out by cepa and read-only, and what the heading's comment tells a coordinator.
``columns(kind)`` derives them from the kind's pydantic model (cepa/records/kinds/,
cepa/records/model.py), so a new kind of record gets its sheet, its entry template, its
import and its comments without a change here. The workbook writer, the entry template
and ``cepa import records`` all read this one description.

A cell's value is turned into a *plain* value (what the YAML holds: text, a whole number,
a bool, a list of text, a date as ``"2005-06"`` or ``{"start": ..., "end": ...}``) by
``Column.read``; a record's field becomes the same plain value by ``Column.value``, so an
unchanged cell compares equal to its field whatever the spreadsheet did to its type.
Nothing here touches a file.
"""

from __future__ import annotations

import hashlib
import json
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache, partial
from operator import attrgetter
from typing import Any, Literal

from pydantic import BaseModel

from cepa.base import countries
from cepa.base.dates import UNKNOWN, DateError, Span, parse_point
from cepa.records import model as m
from cepa.records.kinds import KINDS
from cepa.records.model import PER_LANGUAGE

#: What a figure not recorded reads as in a workbook cepa wrote: read back as no count.
NOT_RECORDED = "not recorded"

#: How a cell is read and written.
Type = Literal["id", "text", "local", "texts", "ref", "refs", "choices", "count", "bool", "date",
               "country", "derived"]

#: Where a column's drop-down list comes from: the kind's activities, the project's
#: objectives, its organisations (partners and associates), its countries, the ids of the
#: records of a kind ("records:visits"), yes/no, or a fixed list.
Choices = str | tuple[str, ...] | None

YES, NO = "yes", "no"

#: The layout of the workbook, written in its hidden metadata sheet for ``cepa import``,
#: and the names of the sheets and headings that ``cepa import records`` reads back.
WORKBOOK_FORMAT = "cepa.workbook/1"
BREAKDOWNS_SHEET = "Breakdowns"
BREAKDOWN_COLUMNS = ("record", "kind", "breakdown", "key", "value")
#: The hidden sheets: the drop-down lists, and what import reads.
LISTS_SHEET = "Lists"
META_SHEET = "cepa"
#: The workbook's custom property that says a workbook holds published (rounded) figures.
PUBLIC_PROPERTY = "cepa:public"
#: Column types whose typed values must stay text (an id of digits, '1, 2', '2005-06').
TEXT_TYPES = frozenset({"id", "text", "local", "texts", "ref", "refs", "choices", "date",
                        "country"})
_TRUE = frozenset({"yes", "y", "true", "1", "ja", "jah", "x"})
_FALSE = frozenset({"no", "n", "false", "0", "nee", "ei"})
#: Lists of free text are separated by semicolons (a source or a theme may hold a comma);
#: lists of ids and choices by commas.
TEXT_SEP, REF_SEP = "; ", ", "


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message says what to write."""


@dataclass(frozen=True)
class Column:
    heading: str
    #: the field in the record; () for the record's file
    path: tuple[str, ...]
    type: Type
    help: str
    required: bool = False
    choices: Choices = None
    #: free text that reads best wrapped in a wide column, placed last
    wide: bool = False
    #: worked out by cepa from the record: shown, never read back
    derive: Callable[[Any], Any] | None = None
    #: printed; False for columns that only serve sorting and filtering, placed last
    printed: bool = True
    #: one of the columns a reader looks for first, placed first and printed: the id
    #: that names the record, the title, the date, the place and the count
    key: bool = False

    @property
    def read_only(self) -> bool:
        return self.type == "derived"

    @property
    def list_like(self) -> bool:
        return self.type in ("texts", "refs", "choices")

    # --- a record's field, as a plain value and as a cell ---------------------------------

    def value(self, record: Any) -> Any:
        """The record's field as a plain value (None when it is not there)."""
        if not self.path:
            return None
        v: Any = record
        for name in self.path:
            v = getattr(v, name, None)
            if v is None:
                return None
        if self.derive is not None:
            return self.derive(v)
        return plain(v, self.type)

    def cell(self, value: Any) -> Any:
        """A plain value as a sheet shows it: lists joined, dates as written, yes/no."""
        if value is None:
            return None
        if self.type == "bool":
            return YES if value else NO
        if self.type == "date":
            return date_text(value)
        if self.type == "country":  # a name to read ('Netherlands'); import reads it back
            return countries.name(value)
        if isinstance(value, list):
            return (TEXT_SEP if self.type == "texts" else REF_SEP).join(str(x) for x in value)
        return value

    # --- a cell, read back ---------------------------------------------------------------

    def read(self, cell: Any) -> Any:
        """A cell as the plain value its field takes; None for an empty cell. Raises
        CellError for what cannot be this column's type."""
        if isinstance(cell, str):
            cell = cell.strip()
        if cell is None or cell == "":
            return None
        t = self.type
        if t == "count":
            return _count(cell)
        if t == "bool":
            return _bool(cell)
        if t == "date":
            return _date(cell)
        text = _text(cell)
        if t == "id":
            if not re.fullmatch(ID_PATTERN, text) or len(text) > ID_MAX:
                raise CellError(f"'{text}' is not an id: use letters, digits, '.', '_' and "
                                "'-', starting with a letter or digit")
            return text
        if t == "country":
            return _country(text)
        if t in ("texts", "refs", "choices"):
            sep = r";" if t == "texts" else r"[;,]"
            return [x.strip() for x in re.split(sep, text) if x.strip()] or None
        return text


# --- reading cells -------------------------------------------------------------------------


def _text(cell: Any) -> str:
    if isinstance(cell, bool):
        return YES if cell else NO
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def _count(cell: Any) -> int | None:
    if isinstance(cell, bool):
        raise CellError(f"{_text(cell)} is not a number; write a whole number such as 12")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, str):
        if cell.casefold() == NOT_RECORDED:
            return None
        digits = cell.replace(",", "").replace(" ", "")
        if re.fullmatch(r"-?\d+", digits):
            cell = int(digits)
    if not isinstance(cell, int):
        raise CellError(f"'{_text(cell)}' is not a whole number; write a number such as 12, "
                        "or leave the cell empty when it is not known")
    if cell < 0:
        raise CellError(f"{cell} is negative; a count cannot be")
    return cell


def _bool(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    text = _text(cell).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"'{_text(cell)}' is not yes or no")


def _country(text: str) -> str:
    """A country's code from its code or its English name ('Netherlands' -> 'NL')."""
    if text.lower() == UNKNOWN:
        return UNKNOWN
    if re.fullmatch(r"[A-Za-z]{2}", text):  # a code, known to pycountry or the project's
        return text.upper()
    found = countries.code_of(text)
    if found is None:
        raise CellError(f"'{text}' is not a country: write its name in English or its "
                        "two-letter code (UK, NL, EE)")
    return found


def _date(cell: Any) -> Any:
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        return cell.isoformat()
    text = _text(cell)
    if text == UNKNOWN:
        return UNKNOWN
    start, sep, end = text.partition(" to ")
    try:
        if sep:
            parse_point(start.strip())
            parse_point(end.strip())
            return {"start": start.strip(), "end": end.strip()}
        parse_point(text)
    except DateError as e:
        raise CellError(f"{e}; a span is written '2005-01 to 2006-12'") from None
    return text


# --- plain values ----------------------------------------------------------------------------


def plain(v: Any, t: Type) -> Any:
    """A model's value as the plain value a sheet shows and reads back: a text given per
    language as its first language's text (see ``merge_local``)."""
    if isinstance(v, Span):
        return _span(v)
    if isinstance(v, dict) and t in ("local", "texts"):
        return first_text(v)
    if isinstance(v, list):
        return [str(first_text(x)) for x in v] or None
    if t == "text" and v == "":
        return None
    return v


def _span(s: Span) -> Any:
    start, sep, end = s.text.partition(" to ")
    return {"start": start, "end": end} if sep else s.text


def first_text(value: Any) -> Any:
    """A text given per language ({en: ..., nl: ...}) as its first language's text; any
    other value as it is."""
    return next(iter(value.values()), None) if isinstance(value, dict) else value


def merge_local(old: Any, new: Any) -> Any:
    """What a sheet's cell ``new`` makes of a field whose value is ``old``: a text given
    per language keeps its other languages, the first taking the cell's text (an item of
    a list likewise, by position); anything else becomes ``new``."""
    if isinstance(old, dict) and isinstance(new, str) and old:
        first = next(iter(old))
        return old if old[first] == new else {**old, first: new}
    if isinstance(old, list) and isinstance(new, list):
        return [merge_local(old[i], x) if i < len(old) else x for i, x in enumerate(new)]
    return new


def date_text(value: Any) -> str:
    """'2005-06', or '2005-01 to 2006-12' for a span: how a date reads in a sheet."""
    if isinstance(value, dict):
        return f"{value['start']} to {value['end']}"
    return str(value)


# --- the columns of a kind, from its model ------------------------------------------------------

ID_PATTERN = m.ID_PATTERN
ID_MAX = 80  # as cepa/records/model.py's Id
_COUNTRY_PATTERN = typing.get_args(m.Country)[1].metadata[0].pattern
_REF = typing.get_args(m.Ref)[1]

#: Help for each way a cell is read, after the field's own description.
HOW = {
    "id": "Unique across the project: letters, digits, '.', '_' and '-'. A new id makes a new "
          "record file.",
    "text": "Text.",
    "texts": "A list: separate the items with semicolons (;).",
    "local": "Text, in the record's first language; its other languages stay as they are "
             "(edit them in the record's file).",
    "ref": "An id from the project file.",
    "refs": "A list of ids from the project file, separated by commas.",
    "choices": "A list, separated by commas, of: {choices}.",
    "count": "A whole number. Leave it empty when it is not known.",
    "bool": "yes or no.",
    "date": "YYYY-MM-DD, YYYY-MM for a month, a span (2005-01 to 2006-12), or unknown.",
    "country": "The country's name in English or its two-letter code (UK, NL, EE), or unknown.",
    "derived": "Worked out by cepa from the record: read-only, changes here are not imported.",
}
FILE_HELP = "The record's file. Read-only: a new row gets the file KIND/ID.yaml."


def _meta(t: Any) -> tuple[Any, list[Any]]:
    """A type without Annotated and Optional, and the metadata it carried."""
    meta: list[Any] = []
    while True:
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            t, *extra = typing.get_args(t)
            for x in extra:
                meta.append(x)
                meta.extend(getattr(x, "metadata", None) or [])
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(t) if a is not type(None)]
            if len(args) != 1:
                return t, meta
            t = args[0]
        else:
            return t, meta


def _shape(t: Any) -> str:
    """What a field holds: one of Type, 'model', 'models', 'mapping' or 'other'."""
    base, meta = _meta(t)
    if PER_LANGUAGE in meta:  # a text that may be given per language
        return "local"
    if base is Span:
        return "date"
    if base is bool:
        return "bool"
    if base is int:
        return "count"
    if base is str:
        patterns = {getattr(x, "pattern", None) for x in meta}
        if ID_PATTERN in patterns:
            return "id"
        if _REF in meta:
            return "ref"
        if _COUNTRY_PATTERN in patterns:
            return "country"
        return "text"
    if isinstance(base, type) and issubclass(base, BaseModel):
        return "model"
    origin = typing.get_origin(base)
    if origin is list:
        item, item_meta = _meta(typing.get_args(base)[0])
        if typing.get_origin(item) is Literal:
            return "choices"
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "models"
        return "refs" if _REF in item_meta else "texts"
    if origin is dict:
        return "mapping"
    return "other"


def _heading(name: str) -> str:
    return name.replace("_", " ")


def _count_heading(field: str, sub: str) -> str:
    """The kind's own count: 'participants', 'estimated', 'count note'."""
    if sub == "total":
        return _heading(field)
    return "estimated" if sub == "estimated" else f"count {_heading(sub)}"


def _part_heading(field: str, sub: str) -> str:
    """A field of another part of the record: 'risk reduced'."""
    return f"{_heading(field)} {_heading(sub)}"


def _choices(kind: str, model: type[BaseModel], name: str, shape: str, t: Any) -> Choices:
    if name == "activity":
        return "activity"
    if shape == "bool":
        return (YES, NO)
    if shape == "country":
        return "country"
    if shape == "choices":
        base, _ = _meta(t)
        allowed = typing.get_args(_meta(typing.get_args(base)[0])[0])
        if name == "estimated":  # which figures of this count: its total and breakdowns
            return tuple(a for a in allowed if a == "total" or a in model.model_fields)
        return tuple(allowed)
    if shape in ("ref", "refs"):
        if name == "objectives":
            return "objective"
        if name in KINDS[kind].partners:
            return "organisation"
        target = next((k.name for k in KINDS.values() if k.singular == name), None)
        if target is not None:
            return f"records:{target}"
    return None


def _hosts(items: list[Any]) -> str | None:
    return "; ".join(str(x.name) for x in items) or None


def _people(keys: list[str] | None) -> int | None:
    return len(set(keys)) if keys else None


#: Fields a sheet shows but never edits, with what it shows: the organisations of a visit by
#: name, the number of different people behind keyed attendee hashes. Any other field a
#: cell cannot hold (a list of quotes) stays in the record file only.
SHOWN: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "hosts": ("hosts", _hosts),
    "people": ("unique people keys", _people),
}
#: Free text that reads best wrapped in a wide column at the end of the sheet, in this order.
WIDE = ("title", "hosts", "themes", "notes", "note", "sources")


def _help(description: str | None, shape: str, choices: Choices, required: bool) -> str:
    words = [description.rstrip(".") + "." if description else ""]
    how = HOW.get(shape, "")
    if shape == "choices" and isinstance(choices, tuple):
        how = how.format(choices=", ".join(choices))
    words.append(how)
    if required:
        words.append("Required.")
    return " ".join(w for w in words if w)


def columns(kind: str) -> tuple[Column, ...]:
    """The columns of ``kind``'s sheet, in order: the short fields (the count among them),
    short read-only ones, the wide free text, the record's file, then the columns that only
    serve sorting and filtering (not printed)."""
    return _columns(kind, KINDS[kind].model)


@cache
def _columns(kind: str, model: type[BaseModel]) -> tuple[Column, ...]:
    """(Cached by the kind's model: a kind registered anew gets its own columns.)"""
    k = KINDS[kind]
    short: list[Column] = []
    wide: list[Column] = []
    filters: list[Column] = []

    def add(model: type[BaseModel], prefix: tuple[str, ...], heading: Callable[[str], str],
            parent_required: bool) -> None:
        hints = typing.get_type_hints(model, include_extras=True)
        for name, f in model.model_fields.items():
            if name == "internal":  # a note for the project team: in no output
                continue
            t = hints[name]
            shape = _shape(t)
            path = (*prefix, name)
            required = parent_required and f.is_required()
            if name in SHOWN:
                head, show = SHOWN[name]
                col = Column(head, path, "derived", HOW["derived"], derive=show,
                             wide=name in WIDE)
            elif shape == "model":
                sub, _ = _meta(t)
                named = _count_heading if name == k.count else _part_heading
                add(sub, path, partial(named, name), f.is_required())
                continue
            elif shape in ("models", "mapping", "other"):
                continue  # breakdowns have a sheet of their own; lists of quotes stay in files
            else:
                choices = _choices(kind, model, name, shape, t)
                col = Column(heading(name), path, shape,  # type: ignore[arg-type]
                             _help(f.description, shape, choices, required), required,
                             choices, wide=name in WIDE)
            (wide if col.wide else short).append(col)
            if shape == "date":
                for end in ("start", "end"):
                    filters.append(Column(f"{col.heading} {end}", path, "derived",
                                          f"The {end} of the {col.heading}, as a date to "
                                          f"sort and filter by. {HOW['derived']}",
                                          derive=attrgetter(end), printed=False))

    add(k.model, (), _heading, True)
    # what a reader looks for first (and what is printed): the id that names the record,
    # the title, when, where and how many; then the other short fields, read-only ones
    # after the editable, then the wide free text
    key = [c for c in [*short, *wide] if c.path in _key_paths(k)]
    key.sort(key=lambda c: _key_paths(k).index(c.path))
    short = [c for c in short if c not in key]
    wide = [c for c in wide if c not in key]
    short.sort(key=lambda c: c.read_only)
    wide.sort(key=lambda c: WIDE.index(c.path[-1]))
    file = Column("file", (), "derived", FILE_HELP)
    return (*(replace(c, key=True) for c in key), *short, *wide, file, *filters)


def _key_paths(k: Any) -> list[tuple[str, ...]]:
    count = [(k.count, "total")] if k.count else []
    return [("id",), ("title",), ("date",), ("city",), ("country",), *count]


def editable(kind: str) -> tuple[Column, ...]:
    return _editable(kind, KINDS[kind].model)


@cache
def _editable(kind: str, model: type[BaseModel]) -> tuple[Column, ...]:
    return tuple(c for c in columns(kind) if not c.read_only)


def count_heading(kind: str) -> str | None:
    """The heading of the column holding the kind's count ('participants')."""
    c = KINDS[kind].count
    return _heading(c) if c else None


def list_name(kind: str, choices: Choices) -> str | None:
    """The name of the drop-down list a column picks from: ``activity:seminars`` for a
    kind's activities, ``yes|no`` for a fixed list, ``objective``, ``organisation``, ..."""
    if choices == "activity":
        return f"activity:{kind}"
    if isinstance(choices, tuple):
        return "|".join(choices)
    return choices


def breakdown_names(kind: str) -> tuple[str, ...]:
    """The breakdowns the kind's count can hold (by_country, by_sector, ...)."""
    return KINDS[kind].breakdowns()


def fingerprint(kind: str, record: Any) -> str:
    """What the sheets show of a record (its editable columns and its breakdowns), hashed:
    import tells a record changed since the workbook was written from one that was not."""
    values = [c.value(record) for c in editable(kind)]
    count = KINDS[kind].count_of(record)
    values.append(count.breakdowns() if count is not None else None)
    data = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]
