"""Records edited in a workbook, back into their YAML files.

``plan`` reads the per-kind sheets (and the Breakdowns sheet) of a workbook laid out as
``cepa export`` writes them, by the columns of ``cepa.records.columns``, and works out what would
change: a changed cell changes that field of that record, a new row becomes a new record
file (the text ``cepa new`` writes, filled in), a row removed is reported. Records are
edited with ruamel.yaml, so comments, key order and flow style of the fields left alone
stay, and a file with no change is not touched. Every planned record is read back through
cepa's own loader, model and checks before anything is written; a problem is reported at
its sheet, row and column. ``apply`` writes the plan. Nothing here prints.

What the workbook cannot be trusted with is refused: a workbook written with ``--public``
(its counts about children are rounded), a formula (cepa reads values, never evaluates),
an id that is not an id, a column that is not a field on a sheet of records about
children, a record that changed in its file since the workbook was written.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cepa.base.files import write_all
from cepa.base.problems import Problem
from cepa.intake.sheets import HEADINGS
from cepa.records import columns as cols
from cepa.records.columns import BREAKDOWN_COLUMNS, WORKBOOK_FORMAT
from cepa.records.columns import BREAKDOWNS_SHEET as BREAKDOWNS
from cepa.records.kinds import KINDS, names
from cepa.records.model import PERSONAL_FIELDS
from cepa.records.workspace import Entry, Workspace, check_value, display

#: Bounds on the work a workbook can ask for.
MAX_BYTES = 50 << 20
#: What its parts may unpack to (a workbook of 10,000 records unpacks to about 20 MB).
MAX_UNPACKED = 512 << 20
MAX_ROWS = 200_000
MAX_COLUMNS = 200
HEADER_ROWS = 10

#: Headings that hold people's names: never read, refused on sheets about children.
NAME_HEADINGS = frozenset({*HEADINGS["name"], *HEADINGS["first_name"], *HEADINGS["last_name"],
                           *(f.replace("_", " ") for f in PERSONAL_FIELDS)})


class WorkbookError(Exception):
    """The workbook as a whole cannot be imported: unreadable, public, not cepa's."""


@dataclass(frozen=True, order=True)
class CellProblem:
    """A problem at a cell (``col`` 0: the row as a whole) of a sheet of the workbook."""

    order: int
    sheet: str
    row: int
    col: int
    level: str
    message: str
    code: str

    def cell(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.sheet}!{get_column_letter(self.col) if self.col else ''}{self.row}"

    def text(self, workbook: str) -> str:
        """``evidence.xlsx:Seminars!K12: error: message (code)``."""
        return f"{workbook}:{self.cell()}: {self.level}: {self.message} ({self.code})"


@dataclass
class Change:
    """A record file to write: its text before ('' when new) and after."""

    kind: str
    id: str
    path: Path
    shown: str
    before: str
    after: str
    sheet: str
    row: int
    fields: list[str]

    @property
    def created(self) -> bool:
        return not self.before

    def diff(self) -> str:
        return "".join(difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            "/dev/null" if self.created else self.shown, self.shown))


@dataclass
class Removal:
    """A record exported on a sheet whose row is gone."""

    kind: str
    id: str
    path: Path
    shown: str
    #: its file changed since the workbook was written: never deleted
    changed: bool


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    #: what 'cepa validate' would newly report elsewhere after the change (claims, totals)
    after: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    #: the project's folder, where the change waits until all of it can be made
    root: Path = Path(".")

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)


# --- reading the workbook --------------------------------------------------------------------


@dataclass
class _Row:
    kind: str
    sheet: str
    order: int
    row: int
    #: column spec -> (column number, plain value)
    values: dict[cols.Column, tuple[int, Any]]
    id_col: int
    rid: str | None = None


class _Reader:
    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook

        try:
            size = path.stat().st_size
        except OSError as e:
            raise WorkbookError(f"cannot read {path}: {e.strerror or e}") from e
        if size > MAX_BYTES:
            raise WorkbookError(f"{path} is {size:,} bytes, more than a workbook of records "
                                f"holds ({MAX_BYTES:,}); is it the right file?")
        from cepa.intake.sheets import workbook_limits

        try:
            data = path.read_bytes()[:MAX_BYTES + 1]
        except OSError as e:
            raise WorkbookError(f"cannot read {path}: {e.strerror or e}") from e
        refused = workbook_limits(data, str(path), "a workbook of records",
                                  max_unpacked=MAX_UNPACKED)
        if refused:
            raise WorkbookError(refused)
        try:
            self.wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
            raise WorkbookError(f"{path} is not a readable .xlsx workbook ({e})") from e
        self.problems: list[CellProblem] = []

    def rows(self, name: str) -> Iterator[tuple[int, list[Any]]]:
        """The rows of a sheet, numbered from 1, formula cells as ``_Formula``."""
        ws = self.wb[name]
        for n, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
            if n > MAX_ROWS:
                raise WorkbookError(f"sheet {name} has more than {MAX_ROWS:,} rows")
            yield n, [_Formula(c.value) if getattr(c, "data_type", None) == "f" else c.value
                      for c in row]

    def problem(self, order: int, sheet: str, row: int, col: int, message: str,
                code: str, level: str = "error") -> None:
        self.problems.append(CellProblem(order, sheet, row, col, level, message, code))


@dataclass(frozen=True)
class _Formula:
    value: Any

    def text(self) -> str:
        v = self.value
        return str(getattr(v, "text", v))


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _norm(heading: Any) -> str:
    return re.sub(r"[\s_-]+", " ", str(heading or "")).strip().casefold()


def _meta(reader: _Reader) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """The workbook's metadata sheet: its keys, and each exported record's kind and
    fingerprint by id. Refuses a public workbook and one cepa did not write."""
    from cepa.records.columns import META_SHEET, PUBLIC_PROPERTY

    props = {p.name: getattr(p, "value", None) for p in reader.wb.custom_doc_props}
    if props.get(PUBLIC_PROPERTY) in (True, "true", "1"):
        raise WorkbookError(_PUBLIC)
    if META_SHEET not in reader.wb.sheetnames:
        raise WorkbookError("this workbook was not written by 'cepa export' (it has no cepa "
                            "sheet), so cepa cannot tell its records apart; write one with "
                            "'cepa export' or 'cepa export --template'")
    keys: dict[str, str] = {}
    records: dict[str, tuple[str, str]] = {}
    in_records = False
    for _, row in reader.rows(META_SHEET):
        cells = ["" if v is None else str(v) for v in row[:3]] + ["", "", ""]
        if cells[:3] == ["kind", "id", "fingerprint"]:
            in_records = True
        elif in_records and cells[1]:
            records[cells[1]] = (cells[0], cells[2])
        elif cells[0]:
            keys[cells[0]] = cells[1]
    if keys.get("public") == "true":
        raise WorkbookError(_PUBLIC)
    if keys.get("format") != WORKBOOK_FORMAT:
        raise WorkbookError(f"this workbook's layout ({keys.get('format') or 'unknown'}) is "
                            f"not the one this cepa reads ({WORKBOOK_FORMAT}); export again")
    return keys, records


_PUBLIC = ("this workbook was written by 'cepa export --public': its counts about children "
           "are rounded or suppressed, so importing it would spoil the records; edit a "
           "workbook written without --public")


def _header(reader: _Reader, name: str) -> tuple[int, list[Any]] | None:
    for n, row in reader.rows(name):
        if any(_norm(v) == "id" or _norm(v) == "record" for v in row):
            return n, row
        if n >= HEADER_ROWS:
            break
    return None


def _read_kind(reader: _Reader, kind: str, order: int) -> list[_Row]:
    """The rows of a kind's sheet, each cell read as its column's plain value."""
    k = KINDS[kind]
    sheet = k.title
    found = _header(reader, sheet)
    if found is None:
        reader.problem(order, sheet, 1, 0, f"no heading row with an 'id' column in the first "
                       f"{HEADER_ROWS} rows", "no-heading")
        return []
    at, heads = found
    specs = {_norm(c.heading): c for c in cols.columns(kind)}
    where: dict[int, cols.Column] = {}
    seen: dict[str, int] = {}
    for j, h in enumerate(heads, start=1):
        name = _norm(h)
        if not name:
            continue
        if name in seen:
            reader.problem(order, sheet, at, j, f"the heading '{h}' is also column "
                           f"{seen[name]}; keep one of them", "duplicate-column")
            continue
        seen[name] = j
        spec = specs.get(name)
        if spec is not None:
            if not spec.read_only:
                where[j] = spec
            continue
        if isinstance(h, _Formula):
            h = h.text()
        looks = name in NAME_HEADINGS
        if k.children:
            reader.problem(order, sheet, at, j,
                           f"'{h}' is not a field of {_a(k.singular)} record"
                           + (" and looks like a column of names" if looks else "")
                           + "; records about children keep counts, age bands and themes "
                           "only: delete the column", "name-column" if looks else
                           "unknown-column")
        else:
            reader.problem(order, sheet, at, j,
                           f"'{h}' "
                           + ("looks like a column of people's names; names are never "
                              "imported" if looks else
                              f"is not a field of {_a(k.singular)} record; it is not "
                              "imported"),
                           "name-column" if looks else "unknown-column", "warning")
    id_col = next((j for j, c in where.items() if c.path == ("id",)), 0)
    if not id_col:
        reader.problem(order, sheet, at, 0, "no 'id' column", "no-heading")
        return []
    rows: list[_Row] = []
    for n, row in reader.rows(sheet):
        if n <= at:
            continue
        if k.children:  # what no heading names could be anything: a name, an address
            for j, v in enumerate(row, start=1):
                if j not in seen.values() and not _empty(v):
                    reader.problem(order, sheet, n, j, "a value in a column without a "
                                   "heading; records about children keep only their fields: "
                                   "delete it", "unknown-column")
        cells = {j: row[j - 1] if j - 1 < len(row) else None for j in where}
        if all(_empty(v) for v in cells.values()):
            continue
        values: dict[cols.Column, tuple[int, Any]] = {}
        for j, v in cells.items():
            spec = where[j]
            if isinstance(v, _Formula):
                reader.problem(order, sheet, n, j, f"'{v.text()}' is a formula; cepa reads "
                               "what a cell holds and never works a formula out: type the "
                               "value itself", "formula-cell")
                continue
            try:
                values[spec] = (j, spec.read(v))
            except cols.CellError as e:
                reader.problem(order, sheet, n, j, f"{spec.heading}: {e}", "wrong-type")
        r = _Row(kind, sheet, order, n, values, id_col)
        got = values.get(where[id_col])
        r.rid = got[1] if got else None
        rows.append(r)
    return rows


@dataclass
class _Parts:
    """A record's breakdowns from the Breakdowns sheet, and where each came from."""

    kind: str
    values: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: dict[str, list[int]] = field(default_factory=dict)


_VALUE = cols.Column("value", (), "count", "")


def _read_breakdowns(reader: _Reader, order: int) -> dict[str, _Parts] | None:
    if BREAKDOWNS not in reader.wb.sheetnames:
        return None
    found = _header(reader, BREAKDOWNS)
    if found is None:
        return None
    at, heads = found
    index = {_norm(h): j for j, h in enumerate(heads) if h is not None}
    missing = [c for c in BREAKDOWN_COLUMNS if c not in index]
    if missing:
        reader.problem(order, BREAKDOWNS, at, 0, f"no column {', '.join(missing)}",
                       "no-heading")
        return None
    out: dict[str, _Parts] = {}
    for n, row in reader.rows(BREAKDOWNS):
        if n <= at:
            continue
        cells = [row[index[c]] if index[c] < len(row) else None for c in BREAKDOWN_COLUMNS]
        if all(_empty(v) for v in cells):
            continue
        bad = False
        for c, v in zip(BREAKDOWN_COLUMNS, cells, strict=True):
            if isinstance(v, _Formula):
                reader.problem(order, BREAKDOWNS, n, index[c] + 1, f"'{v.text()}' is a "
                               "formula; type the value itself", "formula-cell")
                bad = True
        if bad:
            continue
        rid, kind, name, key = (str(v).strip() if v is not None else "" for v in cells[:4])
        if kind not in KINDS or not KINDS[kind].count:
            reader.problem(order, BREAKDOWNS, n, index["kind"] + 1,
                           f"kind '{kind}' is not one of {', '.join(names())}", "wrong-type")
            continue
        known = cols.breakdown_names(kind)
        if name not in known:
            reader.problem(order, BREAKDOWNS, n, index["breakdown"] + 1,
                           f"'{name}' is not a breakdown of {kind}; one of "
                           f"{', '.join(known)}", "wrong-type")
            continue
        if not key:
            reader.problem(order, BREAKDOWNS, n, index["key"] + 1, "the key is empty",
                           "wrong-type")
            continue
        try:
            value = _VALUE.read(cells[4])
        except cols.CellError as e:
            reader.problem(order, BREAKDOWNS, n, index["value"] + 1, f"value: {e}",
                           "wrong-type")
            continue
        if value is None:
            reader.problem(order, BREAKDOWNS, n, index["value"] + 1, "the value is empty",
                           "wrong-type")
            continue
        parts = out.setdefault(rid, _Parts(kind))
        parts.values.setdefault(name, {})[key] = value
        parts.rows.setdefault(name, []).append(n)
    return out


# --- planning ------------------------------------------------------------------------------


def plan(workbook: Path, ws: Workspace) -> Plan:
    """What importing ``workbook`` into the project ``ws`` would change, and every problem
    that stops it. Raises WorkbookError when the workbook as a whole cannot be read."""
    assert ws.project is not None
    reader = _Reader(Path(workbook))
    try:
        return _plan(reader, ws)
    finally:
        reader.wb.close()


def _plan(reader: _Reader, ws: Workspace) -> Plan:
    assert ws.project is not None
    keys, exported = _meta(reader)
    if keys.get("project") and keys["project"] != ws.project.code:
        raise WorkbookError(f"this workbook holds project {keys['project']}, not "
                            f"{ws.project.code}")
    out = Plan(root=Path(ws.root))
    rows: list[_Row] = []
    sheets = reader.wb.sheetnames
    read: list[str] = []
    for kind in names():
        title = KINDS[kind].title
        if title in sheets:
            read.append(kind)
            rows.extend(_read_kind(reader, kind, sheets.index(title)))
    out.sheets = [KINDS[k].title for k in read]
    parts = _read_breakdowns(reader, sheets.index(BREAKDOWNS)
                             if BREAKDOWNS in sheets else len(sheets))
    by_id = {e.record.id: e for e in ws.entries}
    root = ws.root.resolve()
    first: dict[str, _Row] = {}
    edits: list[tuple[_Row, Entry | None, Path]] = []
    for r in rows:
        if r.rid is None:
            if _id_spec(r.kind) in r.values:  # empty; an id that is not one is said already
                reader.problem(r.order, r.sheet, r.row, r.id_col,
                               "the row has no id; give the record one (letters, digits, "
                               "'.', '_' and '-'), e.g. "
                               f"{_next_id(ws, r.kind, first)}", "missing-id")
            continue
        if r.rid in first:
            o = first[r.rid]
            reader.problem(r.order, r.sheet, r.row, r.id_col,
                           f"id '{r.rid}' is also on {o.sheet} row {o.row}; each record "
                           "has an id of its own", "duplicate-id")
            continue
        first[r.rid] = r
        e = by_id.get(r.rid)
        if e is not None:
            if e.kind != r.kind:
                reader.problem(r.order, r.sheet, r.row, r.id_col,
                               f"id '{r.rid}' is a {KINDS[e.kind].singular} record "
                               f"({display(Path(e.path))}); ids are unique across the "
                               "project", "duplicate-id")
            elif r.rid not in exported:
                reader.problem(r.order, r.sheet, r.row, r.id_col,
                               f"id '{r.rid}' is already used by {display(Path(e.path))}, "
                               "which this workbook did not export; give the new record an "
                               "id of its own", "id-taken")
            else:
                edits.append((r, e, Path(e.path)))
            continue
        path = (ws.root / r.kind / f"{r.rid}.yaml")
        if not path.resolve().is_relative_to(root):
            reader.problem(r.order, r.sheet, r.row, r.id_col,
                           f"id '{r.rid}' would put its file outside the project",
                           "invalid-value")
        elif path.exists():
            reader.problem(r.order, r.sheet, r.row, r.id_col,
                           f"{display(path)} exists but does not hold a record cepa can "
                           "read; fix it ('cepa validate') or give the row another id",
                           "id-taken")
        else:
            edits.append((r, None, path))
    if parts is not None:
        for rid, p in parts.items():
            owner = first.get(rid)
            at = min(n for ns in p.rows.values() for n in ns)
            if owner is None and rid in exported:
                continue  # its row is gone (reported as removed) or could not be read
            if owner is None:
                reader.problem(sheets.index(BREAKDOWNS), BREAKDOWNS, at, 1,
                               f"no record '{rid}' on the sheets of this workbook",
                               "unknown-reference")
            elif owner.kind != p.kind:
                reader.problem(sheets.index(BREAKDOWNS), BREAKDOWNS, at, 2,
                               f"'{rid}' is on the {owner.sheet} sheet, not {p.kind}",
                               "wrong-type")
    rows_of: dict[str, _Row] = {}
    for r, e, path in edits:
        change = _change(ws, r, e, path, parts, exported, reader)
        if change is not None:
            out.changes.append(change)
            rows_of[change.shown] = r
    for rid, (kind, fp) in exported.items():
        e = by_id.get(rid)
        if kind in read and rid not in first and e is not None:
            changed = cols.fingerprint(kind, e.record) != fp
            out.removed.append(Removal(kind, rid, Path(e.path), display(Path(e.path)),
                                       changed))
    bad = {(p.sheet, p.row) for p in reader.problems if p.level == "error"}
    if out.changes:
        _check(ws, out, reader,
               {k: r for k, r in rows_of.items() if (r.sheet, r.row) not in bad})
    out.problems = sorted(reader.problems)
    return out


def _id_spec(kind: str) -> cols.Column:
    return next(c for c in cols.columns(kind) if c.path == ("id",))


def _next_id(ws: Workspace, kind: str, taken: dict[str, Any]) -> str:
    from cepa.intake.scaffold import next_id

    return next_id(ws.root, kind, {e.record.id for e in ws.entries} | set(taken))


def _change(ws: Workspace, r: _Row, e: Entry | None, path: Path,
            parts: dict[str, _Parts] | None, exported: dict[str, tuple[str, str]],
            reader: _Reader) -> Change | None:
    """The new text of a record (None: nothing changes)."""
    from cepa.intake import scaffold

    kind = r.kind
    count = KINDS[kind].count
    sets: dict[tuple[str, ...], Any] = {}
    fields: list[str] = []
    if e is None:
        for spec in cols.editable(kind):
            sets[spec.path] = r.values.get(spec, (0, None))[1]
        fields = [s.heading for s in cols.editable(kind) if sets[s.path] is not None]
    else:
        for spec, (_, value) in r.values.items():
            if spec.value(e.record) != value:
                # a text given per language keeps its other languages
                sets[spec.path] = cols.merge_local(_raw(e.record, spec.path), value)
                fields.append(spec.heading)
    breakdowns: dict[str, dict[str, int] | None] = {}
    if parts is not None and count:
        mine = parts.get(r.rid or "")
        now = KINDS[kind].count_of(e.record) if e is not None else None
        current = now.breakdowns() if now is not None else {}
        for name in cols.breakdown_names(kind):
            want = mine.values.get(name) if mine is not None and mine.kind == kind else None
            if want != current.get(name):
                breakdowns[name] = want
                fields.append(name.replace("_", " "))
    if not sets and not breakdowns:
        return None
    if e is not None and cols.fingerprint(kind, e.record) != exported[e.record.id][1]:
        reader.problem(r.order, r.sheet, r.row, r.id_col,
                       f"{display(path)} changed after this workbook was written, so the "
                       "row would undo that change; export again and redo the row's change "
                       "there", "changed-since-export")
        return None
    if e is None:
        before = ""
        base = _form(scaffold.record_text(kind, r.rid or "", ws.project,
                                          schema=scaffold.schema_ref(ws.root, kind)))
    else:
        before = base = path.read_text(encoding="utf-8")
    y = _yaml()
    data = y.load(base)
    model = KINDS[kind].model
    if e is None:  # the template's placeholders go wherever the row says nothing
        for key in [k for k in data if not any(s[0] == k for s in sets)]:
            del data[key]
    for p, value in sets.items():
        _set(data, p, value, model)
    for name, want in breakdowns.items():
        _set(data, (count or "", name), want, model)
    buf = io.StringIO()
    y.dump(data, buf)
    shown = display(path)
    return Change(kind, r.rid or "", path, shown, before, buf.getvalue(), r.sheet, r.row,
                  fields)


def _raw(record: Any, path: tuple[str, ...]) -> Any:
    """A field of a record as the record holds it (a text per language as a mapping)."""
    v: Any = record
    for name in path:
        v = getattr(v, name, None)
        if v is None:
            return None
    return v


def _form(text: str) -> str:
    """The text of a new record without its commented-out fields: the row fills in what it
    knows, and a field added below a comment would read as if it belonged to it."""
    from cepa.records.blank import PLACEHOLDERS

    out = []
    for i, line in enumerate(text.splitlines()):
        if i and line.lstrip().startswith("#"):
            continue
        value, sep, _ = line.partition("  # ")
        if sep and value.partition(":")[2].strip() in PLACEHOLDERS:
            line = value.rstrip()  # 'replace with its title' no longer holds once it is
        out.append(line)
    return "\n".join(out) + "\n"


def _yaml() -> Any:
    from cepa.intake.attendance import _yaml as round_trip

    return round_trip()


# --- editing the YAML -------------------------------------------------------------------------


@cache
def _order_of(model: Any, path: tuple[str, ...]) -> list[str]:
    """The field names of the part of ``model`` at ``path``, in the model's order."""
    import typing

    from pydantic import BaseModel

    for name in path:
        t = typing.get_type_hints(model, include_extras=True)[name]
        model, _ = cols._meta(t)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
    names = list(model.model_fields)
    # a record ends with its notes and sources, as 'cepa new' writes it
    return [n for n in names if n not in LAST] + [n for n in names if n in LAST]


LAST = ("notes", "sources")


def _set(data: Any, path: tuple[str, ...], value: Any, model: Any) -> None:
    """Set (or, for None, remove) the field at ``path``, keeping everything else."""
    from ruamel.yaml.comments import CommentedMap

    node = data
    trail = []
    for i, name in enumerate(path[:-1]):
        child = node.get(name)
        if not isinstance(child, dict):
            if value is None:
                return
            child = CommentedMap()
            _insert(node, name, child, _order_of(model, path[:i]))
        trail.append((node, name))
        node = child
    last = path[-1]
    if value is None:
        if last in node:
            del node[last]
        for parent, name in reversed(trail):  # a part left empty goes too
            if not parent[name]:
                del parent[name]
        return
    new = _node(path, value, node.get(last))
    if last in node:
        node[last] = new
    else:
        _insert(node, last, new, _order_of(model, path[:-1]))


def _insert(node: Any, key: str, value: Any, order: list[str]) -> None:
    """Put a new key where the model has it, after the keys that come before it."""
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(order))
    keys = list(node)
    pos = len(keys)
    for i, k in enumerate(keys):
        if rank.get(k, -1) > mine:
            pos = i
            break
    node.insert(pos, key, value)


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _scalar(value: Any) -> Any:
    """A plain value as ruamel writes it plainly: a day as a date (unquoted), digits of an
    id from the project file as a number (as the project file writes objective 1)."""
    from datetime import date

    if isinstance(value, str) and _DAY.match(value):
        return date.fromisoformat(value)
    return value


def _node(path: tuple[str, ...], value: Any, old: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    if isinstance(value, dict):  # a date span, a breakdown
        items = {k: _scalar(v) for k, v in value.items()}
        if isinstance(old, CommentedMap):  # in place: its style and comments stay
            from cepa.intake.attendance import _update_map

            _update_map(old, items)
            return old
        m = CommentedMap(items)
        m.fa.set_flow_style()
        return m
    if isinstance(value, list):
        listed = [int(x) if isinstance(x, str) and x.isdigit() and len(x) < 10
                  and _is_ref(path) else x for x in value]
        seq = CommentedSeq(listed)
        flow = (old.fa.flow_style() if isinstance(old, CommentedSeq)
                else sum(len(str(x)) + 2 for x in listed) <= 60)
        if flow:
            seq.fa.set_flow_style()
        else:
            seq.fa.set_block_style()
        return seq
    if isinstance(value, str):
        if path[-1] == "date":
            return _scalar(value)
        if _is_ref(path) and value.isdigit() and len(value) < 10:
            return int(value)
        if "\n" in value:
            return LiteralScalarString(value)
        if isinstance(old, FoldedScalarString):
            return FoldedScalarString(value)
    return value


@cache
def _is_ref(path: tuple[str, ...]) -> bool:
    return any(c.path == path and c.type in ("ref", "refs")
               for kind in names() for c in cols.columns(kind))


# --- checking what would be written ------------------------------------------------------------


@dataclass
class _Planned(Workspace):
    """The project as it would be after the import; the positions of planned records are
    cells of the workbook."""

    cells: dict[str, tuple[_Row, dict[tuple[str, ...], int]]] = field(default_factory=dict)

    def where(self, path: str, loc: Any) -> tuple[int, int]:
        hit = self.cells.get(path)
        if hit is None:
            return super().where(path, loc)
        r, columns = hit
        return r.row, _column(tuple(loc), columns, r.id_col)


def _column(loc: tuple[Any, ...], columns: dict[tuple[str, ...], int], fallback: int) -> int:
    """The sheet column of a field: the one whose path shares the most with ``loc``."""
    best, score = fallback, 0
    for p, j in columns.items():
        n = 0
        for a, b in zip(p, loc, strict=False):
            if a != b:
                break
            n += 1
        if n > score:
            best, score = j, n
    return best


def _check(ws: Workspace, out: Plan, reader: _Reader, rows_of: dict[str, _Row]) -> None:
    """Read every planned record back as cepa reads a file, and check the project as it
    would be; problems in planned records become problems at their cells."""
    from cepa.evidence.checks import problems as validate
    from cepa.records import loader

    assert ws.project is not None
    planned = _Planned(ws.root, ws.project_path, ws.project, problems=list(ws.problems))
    entries = [e for e in ws.entries if e.path not in rows_of]
    for c in out.changes:
        if c.shown not in rows_of:  # its row has a problem already
            continue
        r = rows_of[c.shown]
        columns = {spec.path: j for spec, (j, _) in r.values.items()}
        planned.cells[c.shown] = (r, columns)
        loaded = loader.load(c.after.encode("utf-8"), c.shown)
        for p in loaded.problems:
            reader.problem(r.order, r.sheet, r.row, r.id_col,
                           f"the record would not read back: {p.message}", p.code)
        if loaded.value is None:
            continue
        record = check_value(planned, c.shown, KINDS[c.kind].model, c.kind, loaded.value)
        if record is not None:
            entries.append(Entry(c.kind, c.shown, record))
    planned.entries = entries
    before = set(validate(ws))
    for p in validate(planned):
        at = rows_of.get(p.path)
        if at is not None:
            hint = ""
            if p.code == "breakdown-mismatch":
                hint = " (its breakdowns are on the Breakdowns sheet)"
            reader.problem(at.order, at.sheet, p.line, p.col, p.message + hint, p.code,
                           p.level)
        elif p not in before:
            out.after.append(p)


# --- writing -------------------------------------------------------------------------------


def apply(p: Plan, *, delete: bool = False) -> tuple[list[Path], list[Path]]:
    """Write the planned records (and delete the removed ones, when asked); returns the
    files written and the files deleted."""
    deleted = [Path(r.path) for r in p.removed if delete and not r.changed]
    writes = [(Path(c.path), c.after.encode("utf-8")) for c in p.changes]
    write_all(p.root, writes, deleted,
              new=frozenset(Path(c.path) for c in p.changes if c.created))
    return [w for w, _ in writes], deleted
