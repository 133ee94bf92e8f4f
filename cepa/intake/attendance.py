"""Attendance sign-in sheets into seminar records: counts in, names out.

``prepare`` is what ``cepa import attendance`` calls: it reads the sheet (``cepa.intake.sheets``
finds its headings and checks every value), counts it, and returns the ``Plan`` of the
record's new text with a diff to show; ``apply`` writes it. Nothing here prints.

Counting (``attendance``): each row is an attendance; when the sheet has names, people are
told apart by them (in memory only), so a seminar over several days gives its attendances
and its unique people, day by day, and the record's total is the people. Names are never
stored: with the project's secret they become keyed hashes (HMAC), without it nothing.
Without names, a sheet of several days cannot tell people apart: the total is the largest
day's attendance, marked estimated.

A workbook written by ``cepa export`` is read too: its Seminars and Breakdowns sheets give
back the seminar's figures, so export and import round-trip.
"""

from __future__ import annotations

import difflib
import hashlib
import hmac
import io
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cepa.base.files import Outside, atomic_write, inside
from cepa.intake.sheets import (
    ENCODING_NAMES,
    MAX_ROWS,
    Row,
    Sheet,
    SheetError,
    parse_map,
    read_sheet,
)
from cepa.records.model import valid_id

__all__ = ["SheetError", "parse_map", "prepare", "apply", "attendance", "person_key"]

SECRET_ENV = "CEPA_PEOPLE_SECRET"
SECRET_FILE = ".cepa-secret"
SOURCE_PREFIX = "attendance sheet: "
NOTE_PREFIX = "sign-in sheet: "
NOT_STATED = "not stated"
BREAKDOWNS = ("by_organisation", "by_country", "by_sector")


@dataclass
class Day:
    """One day of a sheet that covers several: who signed in, and how many people that is."""

    label: str
    attendances: int
    people: int


@dataclass
class Counts:
    total: int
    by_organisation: dict[str, int] | None = None
    by_country: dict[str, int] | None = None
    by_sector: dict[str, int] | None = None
    people: list[str] | None = None
    estimated: list[str] = field(default_factory=list)
    #: None: the record's note is left as it is; "": cepa's part of it goes; else it is set
    note: str | None = ""
    attendances: int | None = None
    days: list[Day] = field(default_factory=list)
    from_export: bool = False

    def breakdowns(self) -> dict[str, dict[str, int]]:
        return {k: v for k in BREAKDOWNS if (v := getattr(self, k)) is not None}


@dataclass
class Plan:
    """What an import would change: the record's path, its text before and after."""

    path: Path
    before: str
    after: str
    counts: Counts
    created: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self, shown_path: str | None = None) -> str:
        name = shown_path or str(self.path)
        return "".join(difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            "/dev/null" if self.created else name, name))


# --- the whole import ---------------------------------------------------------------------


def prepare(sheet: Path, root: Path, seminar_id: str, *, mapping: dict[str, str] | None = None,
            project: Any = None, max_rows: int = MAX_ROWS) -> Plan:
    """Read ``sheet``, count it and plan the change to seminar ``seminar_id``'s record."""
    from cepa.intake.sheets import read_file

    if not valid_id(seminar_id):
        raise SheetError(f"'{seminar_id}' is not a record id: letters, digits, '.', '_' and "
                         "'-', starting with a letter or digit")
    sheet = Path(sheet)
    data = read_file(sheet)
    notes: list[str] = []
    counts = None
    reference = None
    if sheet.suffix.lower() in (".xlsx", ".xlsm"):
        counts = from_export(data, sheet, seminar_id)
        if counts is not None:
            notes.append(f"{sheet} is a workbook written by cepa export: its figures for "
                         f"'{seminar_id}' are restored")
    if counts is None:
        orgs = _organisation_names(project)
        read = read_sheet(sheet, mapping, countries=project.countries if project else None,
                          organisations=orgs, max_rows=max_rows, data=data)
        counts = attendance(read, secret(root))
        reference = sheet_reference(data, sheet, root)
        notes += _read_notes(read, counts)
    change = plan(root, seminar_id, counts, reference, project)
    change.notes[:0] = notes
    return change


def _organisation_names(project: Any) -> list[str]:
    if project is None:
        return []
    return [n for o in project.organisations() for n in (o.name, *o.aliases)]


def _read_notes(read: Sheet, counts: Counts) -> list[str]:
    what = f"sheet '{read.sheet_name}'" if read.sheet_name else "the file"
    how = f", read as {ENCODING_NAMES.get(read.encoding, read.encoding)}" if read.encoding \
        else ""
    columns = ", ".join(f"{h} ({f.replace('_', ' ')})" for f, h in read.columns.items())
    out = [f"{read.where}: {what}{how}; headings on row {read.header_row}: {columns}",
           *(f"{read.where}: {n}" for n in read.notes)]
    n = counts.attendances or 0
    if counts.days:
        out.append(f"{read.where}: {n} attendance(s) over {len(counts.days)} days: " +
                   ", ".join(f"{d.label}: {d.people}" for d in counts.days))
    if counts.estimated:
        out.append(f"{read.where}: no names, so people on different days cannot be told "
                   "apart: the total is the largest day's, marked estimated")
    return out


# --- counting ---------------------------------------------------------------------------


def secret(root: Path) -> bytes | None:
    """The key for attendee hashes: $CEPA_PEOPLE_SECRET, else ``.cepa-secret`` at the root
    (a regular file of at most 4 KiB: never a hang on a named pipe)."""
    from cepa.records import loader

    env = os.environ.get(SECRET_ENV)
    if env:
        _strong(env.encode("utf-8"), f"${SECRET_ENV}")
        return env.encode("utf-8")
    try:
        data, _ = loader.read_bytes(str(Path(root) / SECRET_FILE), 4096, follow=True)
    except FileNotFoundError:
        return None
    except (OSError, loader.Refused) as e:
        raise SheetError(f"{Path(root) / SECRET_FILE} cannot be used as the secret: {e}") \
            from None
    data = data.strip()
    if data:
        _strong(data, str(Path(root) / SECRET_FILE))
    return data or None


#: The least a secret must hold: a keyed hash of a name is only as hard to reverse, with a
#: list of names, as the key is to guess.
SECRET_BITS = 128


def secret_bits(key: bytes) -> int:
    """A generous estimate of how many bits a secret holds: its length times the bits of
    the smallest alphabet its characters come from (hex, base64, printable), and no more
    than its different characters allow."""
    text = key.decode("utf-8", "replace")
    if not text:
        return 0
    distinct = len(set(text))
    if all(c in "0123456789abcdefABCDEF" for c in text):
        per = 4.0
    elif all(c.isalnum() or c in "-_+/=" for c in text):
        per = 6.0
    else:
        per = 6.5
    import math

    return int(min(per, math.log2(max(distinct, 2))) * len(text))


def _strong(key: bytes, where: str) -> None:
    bits = secret_bits(key)
    if bits < SECRET_BITS:
        raise SheetError(
            f"the secret in {where} holds about {bits} bits, fewer than the {SECRET_BITS} "
            "that keep the names it hashes from being guessed with a list of names; make a "
            "new one with 'cepa secret' (names already stored as hashes are then counted as "
            "different people)")


def new_secret() -> str:
    """A random secret of 256 bits, as 43 URL-safe characters."""
    import secrets

    return secrets.token_urlsafe(32)


def normalise_name(name: str) -> str:
    return " ".join(name.casefold().split())


def person_key(name: str, key: bytes) -> str:
    """HMAC-SHA256 of the normalised name, as 32 hex characters."""
    return hmac.new(key, normalise_name(name).encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _breakdown(values: list[str], total: int) -> dict[str, int] | None:
    if not any(values):
        return None
    spelling: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for v in values:
        label = v or NOT_STATED
        k = label.casefold()
        spelling.setdefault(k, label)
        counts[k] += 1
    assert sum(counts.values()) == total
    return {spelling[k]: n for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


def _as_sheet(rows: Sheet | Iterable[dict[str, str]]) -> Sheet:
    if isinstance(rows, Sheet):
        return rows
    read = [Row(i, dict(r)) for i, r in enumerate(rows, 1)]
    return Sheet("sheet", {f: f for r in read for f in r.values}, read)


def attendance(rows: Sheet | Iterable[dict[str, str]], key: bytes | None = None) -> Counts:
    """The counts of a sheet; keyed hashes of names only when a key is given.

    Each person counts once, with the organisation, country and sector of their first row;
    rows without a name are each a person. The days of a sheet with a date column are
    counted apart.
    """
    sheet = _as_sheet(rows)
    by_day: dict[str, list[Row]] = defaultdict(list)
    for r in sheet.rows:
        by_day[r.values.get("date", "")].append(r)
    several = len(by_day) > 1
    days = [Day(label or "no date", len(rs), len(_people(rs))) for label, rs in
            sorted(by_day.items())] if several else []
    estimated: list[str] = []
    if sheet.has_names or not several:
        counted = list(_people(sheet.rows).values())
    else:  # people cannot be told apart across days: the largest day is all we know
        counted = max(by_day.values(), key=len)
        estimated = ["total"]
    total = len(counted)
    c = Counts(
        total=total,
        by_organisation=_breakdown([r.values.get("organisation", "") for r in counted], total),
        by_country=_breakdown([r.values.get("country", "") for r in counted], total),
        by_sector=_breakdown([r.values.get("sector", "") for r in counted], total),
        attendances=len(sheet.rows),
        days=days,
    )
    c.estimated = estimated + [b for b in BREAKDOWNS if estimated and getattr(c, b)]
    if several:
        c.note = (f"{NOTE_PREFIX}{len(sheet.rows)} attendances over {len(days)} days (" +
                  "; ".join(f"{d.label}: {d.attendances}" for d in days) + ")" +
                  (f", {total} people" if not estimated else ""))
    names = {normalise_name(r.name) for r in sheet.rows if r.name}
    if key is not None and names:
        c.people = sorted({person_key(n, key) for n in names})
    return c


def _people(rows: list[Row]) -> dict[Any, Row]:
    """Each person's first row: by name where there is one, else each row is someone."""
    out: dict[Any, Row] = {}
    for r in rows:
        name = r.name
        out.setdefault(normalise_name(name) if name else ("row", r.number), r)
    return out


# --- a workbook from cepa export ------------------------------------------------------------


def from_export(data: bytes, path: Path, seminar_id: str) -> Counts | None:
    """A seminar's figures from a workbook written by ``cepa export`` (None: not one)."""
    from cepa.intake.sheets import _workbook

    wb = _workbook(data, str(path))
    try:
        if not {"Seminars", "Breakdowns"} <= set(wb.sheetnames):
            return None
        sem = _table(wb["Seminars"], "id")
        brk = _table(wb["Breakdowns"], "record")
    except SheetError:
        raise
    except Exception as e:  # a damaged part
        raise SheetError(f"{path} is damaged: {type(e).__name__}: {e}") from None
    finally:
        wb.close()
    row = next((r for r in sem if r.get("id") == seminar_id), None)
    if row is None:
        raise SheetError(f"{path} is a workbook from cepa export with no seminar "
                         f"'{seminar_id}' on its Seminars sheet")
    est = [x.strip() for x in str(row.get("estimated") or "").split(",") if x.strip()]
    c = Counts(total=_figure(row.get("participants"), path, "participants"), estimated=est,
               note=None, from_export=True)
    for r in brk:
        if r.get("record") == seminar_id and r.get("kind") == "seminars":
            b = r.get("breakdown")
            if b in BREAKDOWNS:
                mapping = getattr(c, b) or {}
                mapping[str(r.get("key"))] = _figure(r.get("value"), path, f"{b} {r.get('key')}")
                setattr(c, b, mapping)
    return c


def _figure(value: Any, path: Path, what: str) -> int:
    from cepa.records.model import MAX_COUNT

    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) \
            or not 0 <= value <= MAX_COUNT:
        shown = "suppressed ('c')" if value == "c" else repr(value)[:40]
        raise SheetError(f"{path}: the seminar's {what} is {shown}, not a count; a workbook "
                         "from 'cepa export --public' cannot be imported back - use one "
                         "exported without --public")
    return int(value)


def _table(ws: Any, first: str, limit: int = 200_000) -> list[dict[str, Any]]:
    """The rows below the heading row that starts with ``first`` (at most ``limit``)."""
    heads: list[str] | None = None
    out = []
    for n, r in enumerate(ws.iter_rows(values_only=True, max_col=64)):
        if n > limit:
            raise SheetError(f"the sheet {ws.title} has more than {limit:,} rows")
        if heads is None:
            if r and r[0] == first:
                heads = [str(h) if h is not None else "" for h in r]
        else:
            out.append(dict(zip(heads, r, strict=False)))
    return out


# --- the record edit ----------------------------------------------------------------------


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML()  # round-trip: comments, key order and flow style stay
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a user's long lines
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def sheet_reference(data: bytes, sheet: Path, root: Path) -> str:
    """``attendance sheet: <path> (sha256:<hex>)``: where the signed list is, and which one
    (the checksum of the very bytes that were counted)."""
    digest = hashlib.sha256(data).hexdigest()
    p = Path(sheet).resolve()
    try:
        shown = os.path.relpath(p, Path(root).resolve())
    except ValueError:
        shown = str(p)
    return f"{SOURCE_PREFIX}{Path(shown).as_posix()} (sha256:{digest})"


def find_record(root: Path, seminar_id: str) -> Path | None:
    """The file of seminar ``seminar_id`` (by its id line, so a broken record is found too),
    among the files the project walk reads: no pipe is opened, no link out followed."""
    from cepa.records import loader
    from cepa.records.workspace import walk

    pattern = re.compile(rf"^id:\s*['\"]?{re.escape(seminar_id)}['\"]?\s*(#.*)?$".encode(),
                         re.M)
    found = walk(Path(root))
    for kind, path in found.files:
        if kind != "seminars":
            continue
        try:
            data, _ = loader.read_bytes(found.links.get(path, path), loader.MAX_BYTES)
        except (OSError, loader.Refused):
            continue
        if pattern.search(data):
            return Path(path)
    return None


def plan(root: Path, seminar_id: str, counts: Counts, reference: str | None,
         project: Any = None) -> Plan:
    """The new text of the seminar's record (created from a template if there is none)."""
    from cepa.intake import scaffold

    root = Path(root)
    if not valid_id(seminar_id):
        raise SheetError(f"'{seminar_id}' is not a record id")
    path = find_record(root, seminar_id)
    created = path is None
    try:
        if path is None:
            path = inside(root, root / "seminars" / f"{seminar_id}.yaml")
            if os.path.lexists(path):
                raise SheetError(f"{path} exists but holds another record; "
                                 "give the seminar's id as in its record")
            before = ""
            base = _without_count_comments(scaffold.record_text("seminars", seminar_id,
                                                                project))
        else:
            inside(root, path)
            before = base = path.read_text(encoding="utf-8")
    except Outside as e:
        raise SheetError(str(e)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise SheetError(f"cannot read {path}: {e}") from None
    y = _yaml()
    try:
        data = y.load(base)
    except Exception as e:  # ruamel raises several kinds for a broken record
        raise SheetError(f"{path} is not valid YAML ({type(e).__name__}); fix it first "
                         "('cepa validate' says where)") from None
    if not isinstance(data, dict):
        raise SheetError(f"{path} does not hold a record; fix it first")
    _apply_counts(data, counts)
    if reference:
        _add_source(data, reference)
    buf = io.StringIO()
    y.dump(data, buf)
    notes = []
    if created:
        notes.append(f"no seminar '{seminar_id}' yet: a new record will be made; fill in its "
                     "title, date, city and the rest as its comments say")
    return Plan(path, before, buf.getvalue(), counts, created, notes)


def _without_count_comments(text: str) -> str:
    """The template up to its participants, without the commented lines after them
    (ruamel would put the imported figures below those comments)."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("participants:"))
    rest = [line for line in lines[at:] if not line.lstrip().startswith("#")]
    return "\n".join(lines[:at] + rest) + "\n"


def _apply_counts(data: Any, counts: Counts) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    part = data.get("participants")
    if not isinstance(part, dict):
        part = CommentedMap()
        data["participants"] = part
    part["total"] = counts.total
    for b in BREAKDOWNS:
        v = getattr(counts, b)
        if v is None:
            if not counts.from_export and b in part:
                # a sign-in sheet without that column: the old split no longer adds up
                del part[b]
            continue
        old = part.get(b)
        if isinstance(old, CommentedMap):
            _update_map(old, v)
        else:
            part[b] = CommentedMap(v.items())
    if counts.people is not None:
        part["people"] = CommentedSeq(counts.people)
    elif "people" in part and not counts.from_export:
        del part["people"]
    was_estimate = "estimated" in part
    if counts.estimated:
        part["estimated"] = CommentedSeq(counts.estimated)
        part["estimated"].fa.set_flow_style()
    elif was_estimate:  # counted from a sign-in sheet, or exact in the workbook
        del part["estimated"]
    if counts.note is not None:
        # a note that explained an estimate no longer holds once a sheet gives the figures
        _set_note(part, counts.note, keep_own=not was_estimate)


def _set_note(part: Any, ours: str, keep_own: bool = True) -> None:
    """The count's note with cepa's part (from ``NOTE_PREFIX`` on) replaced by ``ours``;
    the coordinator's own words before it stay, unless ``keep_own`` is false."""
    old = part.get("note")
    own = str(old).split(NOTE_PREFIX)[0].rstrip(" ;") if isinstance(old, str) and keep_own \
        else ""
    note = "; ".join(x for x in (own, ours) if x)
    if note:
        part["note"] = note
    elif "note" in part:
        del part["note"]


def _update_map(old: Any, new: dict[str, int]) -> None:
    """Make ``old`` hold ``new`` in place, keeping its style and the comment after it."""
    last = list(old)[-1] if old else None
    trailing = old.ca.items.pop(last, None) if last is not None else None
    for k in [k for k in old if k not in new]:
        del old[k]
    for k, n in new.items():
        old[k] = n
    if trailing is not None and old:
        old.ca.items[list(old)[-1]] = trailing


def _add_source(data: Any, reference: str) -> None:
    from ruamel.yaml.comments import CommentedSeq

    src = data.get("sources")
    if not isinstance(src, list):
        src = CommentedSeq()
        data["sources"] = src
    keep = [s for s in src if not (isinstance(s, str) and s.startswith(SOURCE_PREFIX))]
    if len(keep) != len(src):
        src[:] = keep
    src.append(reference)


def apply(p: Plan) -> Path:
    """Write the planned record (atomically)."""
    return atomic_write(p.path, p.after.encode("utf-8"), force=True)
