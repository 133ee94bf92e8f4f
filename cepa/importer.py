"""Attendance sign-in sheets into seminar records: counts in, names out.

``read_sheet`` reads an .xlsx or CSV sign-in sheet into rows of the columns cepa
knows (name, organisation, country, sector). ``attendance`` counts them (and,
when the project holds a secret, keys each name with HMAC so unique people can
be counted without storing anyone's name). ``plan`` turns the counts into the
new text of the seminar record, edited with ruamel.yaml so comments and key
order stay, and a diff to show; ``apply`` writes it. Nothing here prints.

A workbook written by ``cepa export`` is read too: its Seminars and Breakdowns
sheets give back the seminar's figures, so export and import round-trip.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import hmac
import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cepa.writing import atomic_write

SECRET_ENV = "CEPA_PEOPLE_SECRET"
SECRET_FILE = ".cepa-secret"
FIELDS = ("name", "organisation", "country", "sector")
SOURCE_PREFIX = "attendance sheet: "
NOT_STATED = "not stated"

#: Headings recognised for each field, compared case-insensitively.
HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("name", "names", "full name", "participant", "participant name", "attendee",
             "attendee name", "naam", "nimi"),
    "first_name": ("first name", "firstname", "forename", "given name"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "organisation": ("organisation", "organization", "org", "organisation name",
                     "organization name", "agency", "employer", "organisatie", "asutus"),
    "country": ("country", "country code", "land", "riik"),
    "sector": ("sector", "field", "profession", "area of work"),
}


class SheetError(Exception):
    """Something the user can fix: an unreadable sheet, no usable columns, a bad --map."""


@dataclass
class Counts:
    total: int
    by_organisation: dict[str, int] | None = None
    by_country: dict[str, int] | None = None
    by_sector: dict[str, int] | None = None
    people: list[str] | None = None
    estimated: list[str] | None = None  # from an exported workbook only

    def breakdowns(self) -> dict[str, dict[str, int]]:
        return {k: v for k in ("by_organisation", "by_country", "by_sector")
                if (v := getattr(self, k)) is not None}


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


# --- reading a sheet ---------------------------------------------------------------------


def parse_map(items: list[str]) -> dict[str, str]:
    """``["Org=organisation"]`` -> ``{"org": "organisation"}`` (heading -> field)."""
    out = {}
    for item in items:
        heading, sep, target = item.partition("=")
        target = target.strip().lower()
        if not sep or not heading.strip() or target not in (*FIELDS, "first_name",
                                                            "last_name", "ignore"):
            raise SheetError(
                f"--map '{item}' should be HEADING=FIELD, FIELD one of: "
                "name, first_name, last_name, organisation, country, sector, ignore")
        out[_norm_heading(heading)] = target
    return out


def _norm_heading(h: Any) -> str:
    return re.sub(r"\s+", " ", str(h or "").replace("_", " ")).strip().casefold()


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    sample = "\n".join(text.splitlines()[:20])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_rows(path: Path) -> tuple[list[list[Any]], Any]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise SheetError(f"{path} is not a readable .xlsx workbook ({e})") from e
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)], wb


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return re.sub(r"\s+", " ", str(v)).strip()


def read_sheet(path: Path, mapping: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The attendees of a sign-in sheet as ``{field: text}``, one per non-empty row."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows, wb = _xlsx_rows(path)
        wb.close()
    elif path.suffix.lower() in (".csv", ".txt"):
        rows = _csv_rows(path.read_bytes())
    else:
        raise SheetError(f"{path}: cepa reads sign-in sheets as .xlsx or .csv")
    return rows_to_people(rows, mapping or {}, str(path))


def rows_to_people(rows: list[list[Any]], mapping: dict[str, str],
                   where: str) -> list[dict[str, str]]:
    known = {h: f for f, hs in HEADINGS.items() for h in hs}
    known.update(mapping)
    header_at, columns = None, {}
    for i, row in enumerate(rows[:15]):  # a title or two may come before the headings
        cols = {j: known[_norm_heading(v)] for j, v in enumerate(row)
                if _norm_heading(v) in known and known[_norm_heading(v)] != "ignore"}
        if any(f in ("organisation", "country", "sector") for f in cols.values()):
            header_at, columns = i, cols
            break
    if header_at is None:
        raise SheetError(
            f"{where}: no column for organisation, country or sector in the first rows; "
            "name them, or use --map 'Heading=organisation'")
    people = []
    for row in rows[header_at + 1:]:
        got: dict[str, str] = {}
        for j, f in columns.items():
            v = _cell(row[j]) if j < len(row) else ""
            if v:
                got[f] = f"{got[f]} {v}" if f in got else v
        first, last = got.pop("first_name", ""), got.pop("last_name", "")
        if (first or last) and "name" not in got:
            got["name"] = f"{first} {last}".strip()
        if got:
            people.append(got)
    return people


# --- counting ---------------------------------------------------------------------------


def secret(root: Path) -> bytes | None:
    """The key for attendee hashes: $CEPA_PEOPLE_SECRET, else ``.cepa-secret`` at the root."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env.encode("utf-8")
    f = Path(root) / SECRET_FILE
    if f.is_file():
        data = f.read_bytes().strip()
        return data or None
    return None


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


def _country(v: str, codes: dict[str, str]) -> str:
    if len(v) == 2:
        return v.upper()
    return codes.get(v.casefold(), v)


def attendance(people: list[dict[str, str]], key: bytes | None = None,
               countries: dict[str, str] | None = None) -> Counts:
    """The counts of a sheet; keyed hashes of names only when a key is given.

    ``countries`` (code -> name, as in the project file) turns "Estonia" into "EE".
    """
    total = len(people)
    codes = {name.casefold(): code for code, name in (countries or {}).items()}
    c = Counts(
        total=total,
        by_organisation=_breakdown([p.get("organisation", "") for p in people], total),
        by_country=_breakdown([_country(p.get("country", ""), codes) for p in people], total),
        by_sector=_breakdown([p.get("sector", "") for p in people], total),
    )
    names = [p["name"] for p in people if p.get("name")]
    if key is not None and names:
        c.people = sorted({person_key(n, key) for n in names})
    return c


def from_export(path: Path, seminar_id: str) -> Counts | None:
    """A seminar's figures from a workbook written by ``cepa export`` (None: not one)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise SheetError(f"{path} is not a readable .xlsx workbook ({e})") from e
    try:
        if not {"Seminars", "Breakdowns"} <= set(wb.sheetnames):
            return None
        sem = _table(wb["Seminars"], "id")
        brk = _table(wb["Breakdowns"], "record")
    finally:
        wb.close()
    row = next((r for r in sem if r.get("id") == seminar_id), None)
    if row is None:
        raise SheetError(f"{path} has no seminar '{seminar_id}' on its Seminars sheet")
    est = [x.strip() for x in str(row.get("estimated") or "").split(",") if x.strip()]
    c = Counts(total=int(row["participants"]), estimated=est)
    for r in brk:
        if r.get("record") == seminar_id and r.get("kind") == "seminars":
            b = r["breakdown"]
            if b in ("by_organisation", "by_country", "by_sector"):
                mapping = getattr(c, b) or {}
                mapping[str(r["key"])] = int(r["value"])
                setattr(c, b, mapping)
    return c


def _table(ws: Any, first: str) -> list[dict[str, Any]]:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for i, r in enumerate(rows):
        if r and r[0] == first:
            heads = [str(h) if h is not None else "" for h in r]
            return [dict(zip(heads, x, strict=False)) for x in rows[i + 1:]]
    return []


# --- the record edit ----------------------------------------------------------------------


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML()  # round-trip: comments, key order and flow style stay
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a user's long lines
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def sheet_reference(sheet: Path, root: Path) -> str:
    """``attendance sheet: <path> (sha256:<hex>)``: where the signed list is, and which one."""
    digest = hashlib.sha256(Path(sheet).read_bytes()).hexdigest()
    p = Path(sheet).resolve()
    try:
        shown = os.path.relpath(p, Path(root).resolve())
    except ValueError:
        shown = str(p)
    return f"{SOURCE_PREFIX}{Path(shown).as_posix()} (sha256:{digest})"


def find_record(root: Path, seminar_id: str) -> Path | None:
    """The file of seminar ``seminar_id`` (by its id line, so a broken record is found too)."""
    folder = Path(root) / "seminars"
    pattern = re.compile(rf"^id:\s*['\"]?{re.escape(seminar_id)}['\"]?\s*(#.*)?$", re.M)
    for p in sorted(folder.rglob("*.y*ml")) if folder.is_dir() else []:
        try:
            if pattern.search(p.read_text(encoding="utf-8")):
                return p
        except (OSError, UnicodeDecodeError):
            continue
    return None


def plan(root: Path, seminar_id: str, counts: Counts, reference: str | None,
         project: Any = None) -> Plan:
    """The new text of the seminar's record (created from a template if there is none)."""
    from cepa import scaffold

    root = Path(root)
    path = find_record(root, seminar_id)
    created = path is None
    if path is None:
        path = root / "seminars" / f"{seminar_id}.yaml"
        if path.exists():
            raise SheetError(f"{path} exists but holds another record; "
                               "give the seminar's id as in its record")
        before = ""
        base = _without_count_comments(scaffold.record_text("seminars", seminar_id, project))
    else:
        before = base = path.read_text(encoding="utf-8")
    y = _yaml()
    data = y.load(base)
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
    for b in ("by_organisation", "by_country", "by_sector"):
        v = getattr(counts, b)
        if v is None:
            if counts.estimated is None and b in part:
                # a sign-in sheet without that column: the old split no longer adds up
                del part[b]
            continue
        old = part.get(b)
        if isinstance(old, CommentedMap):
            _update_map(old, v)
        else:
            part[b] = CommentedMap(v.items())
    if counts.people is not None:
        seq = CommentedSeq(counts.people)
        part["people"] = seq
    elif "people" in part and counts.estimated is None:
        del part["people"]
    if counts.estimated is not None:  # from an exported workbook: its marks as they were
        if counts.estimated:
            part["estimated"] = CommentedSeq(counts.estimated)
            part["estimated"].fa.set_flow_style()
        elif "estimated" in part:
            del part["estimated"]
    elif "estimated" in part:  # counted from a sign-in sheet: exact, and the note that
        del part["estimated"]  # explained the estimate no longer holds
        if "note" in part:
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
