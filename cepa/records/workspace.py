"""Finding a project on disk and loading all of it: the project file and every record.

``find_root`` walks up from a folder the way git finds its repository.
``load`` reads every file, returning the records that passed the schema and
every problem met on the way; it never stops at the first bad file.
"""

from __future__ import annotations

import gc
import os
import stat
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from cepa.base import countries
from cepa.base.problems import Problem, problem
from cepa.base.text import escape
from cepa.records import loader
from cepa.records.cache import ParseCache
from cepa.records.checked import Stamp, stamp
from cepa.records.files import (  # noqa: F401 - the workspace's names for them
    PROJECT_FILE,
    RECORD_SUFFIXES,
    Found,
    ProjectNotFound,
    _link_target,
    display,
    find_root,
)
from cepa.records.files import walk as walk_kinds
from cepa.records.kinds import KINDS, child_kinds, names
from cepa.records.model import MAX_COUNT, PERSONAL_FIELDS, Project


@dataclass(slots=True)
class Entry:
    """A record that passed the schema, with the kind and file it came from."""

    kind: str
    path: str
    record: Any  # the model of its kind (cepa.records.kinds)


@dataclass(slots=True)
class Listed:
    """A record file found: its kind, its path below the root, its display path, and where
    its bytes are (the target of a link inside the project, else the display path)."""

    kind: str
    rel: str
    shown: str
    read_from: str


@dataclass
class Workspace:
    """A loaded project: its file, its records, and the problems met loading them."""

    root: Path
    project_path: str
    project: Project | None
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Record files found, read or not (a named pipe among them counts): what validate checked.
    files: int = 0
    max_bytes: int = loader.MAX_BYTES
    #: the project's name beside others in a roll-up (evidence/rollup.py labels): its code,
    #: or its folder's name where the code is unknown or shared
    label: str | None = None
    #: What the walk of the record folders found (None: a workspace not read from disk).
    found: Found | None = field(default=None, repr=False)
    #: Every record file found, read or not yet.
    listed: list[Listed] = field(default_factory=list, repr=False)
    #: The stamp of each record file read, by its path below the root (None: not read from
    #: disk, or changed too recently to trust; see cepa/records/checked.py).
    stamps: dict[str, Stamp] | None = field(default=None, repr=False)
    parsed: ParseCache | None = field(default=None, repr=False)
    _cwd: str = field(default_factory=os.getcwd, repr=False)
    _sources: dict[str, str] | None = field(default=None, repr=False)
    _positions: dict[str, loader.Loaded] = field(default_factory=dict, repr=False)

    def read(self, i: int, *, keep: bool = True) -> Entry | None:
        """Read the ``i``-th record file listed: its record (added to ``entries`` unless not
        ``keep``), or None with its problems added to ``problems``."""
        f = self.listed[i]
        rec = _load_one(self, f.shown, KINDS[f.kind].model, f.kind, self.max_bytes, self.parsed,
                        f.rel, f.read_from)
        if rec is None:
            return None
        e = Entry(f.kind, f.shown, rec)
        if keep:
            self.entries.append(e)
        return e

    def done(self) -> None:
        """Keep what was parsed for the next run (the parse cache), and let go of it: the
        records hold what they need."""
        if self.parsed is not None:
            self.parsed.save()
            self.parsed.release()

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    def where(self, path: str, loc: Iterable[str | int]) -> tuple[int, int]:
        """Line and column of ``loc`` in the file at display path ``path`` (read again lazily)."""
        loaded = self._positions.get(path)
        if loaded is None:
            try:  # read before, as a regular file inside the project: a link may lead here
                data, _ = loader.read_bytes(path, self.max_bytes, follow=True)
            except (OSError, loader.Refused):
                return (1, 1)
            loaded = loader.load(data, path, positions=True, max_bytes=len(data) + 1)
            self._positions[path] = loaded
        return loaded.where(tuple(loc))

    def broken_files(self) -> list[str]:
        """Record files that could not be read or failed the schema: their figures are
        missing from every total until they are fixed."""
        return sorted({p.path for p in self.problems
                       if p.level == "error" and p.path != self.project_path})

    def source(self, path: str) -> str:
        """A record's file as the outputs name it: from the folder that holds the records
        (``records/seminars/x.yaml``), the same wherever cepa was run from."""
        if self._sources is None and self.listed and self._cwd == os.getcwd():
            # a listed file is the root's folder name and its path below the root
            name = os.path.basename(os.path.abspath(self.root))
            self._sources = {f.shown: (f"{name}/{f.rel}" if name else f.rel).replace(
                os.sep, "/") for f in self.listed}
        known = self._sources.get(path) if self._sources is not None else None
        if known is not None:
            return known
        top = os.path.dirname(os.path.abspath(self.root))
        rel = os.path.relpath(os.path.abspath(path), top)
        return path if rel.startswith("..") else Path(rel).as_posix()

    def problem_at(self, path: str, loc: Iterable[str | int], code: str, message: str) -> Problem:
        line, col = self.where(path, loc)
        return problem(path, line, col, code, message)


def walk(root: Path) -> Found:
    """Every record file of the kinds registered now (cepa/records/files.py ``walk``)."""
    return walk_kinds(root, names())


def load(root: Path, *, max_bytes: int = loader.MAX_BYTES, cache: bool = True) -> Workspace:
    """Read the project at ``root``: every file, every problem, nothing raised.

    With ``cache``, the parsed values of unchanged record files come from the parse cache
    in ``root/.cepa-cache/`` (see ``cepa.records.cache``); the schema and checks run on them as on
    freshly read ones.
    """
    # Loading builds many small objects and no reference cycles; the cyclic collector would
    # only walk the growing heap again and again (a fifth of the load time at 10,000 records).
    collecting = gc.isenabled()
    gc.disable()
    try:
        ws = begin(root, max_bytes=max_bytes, cache=cache)
        for i in range(len(ws.listed)):
            ws.read(i)
        ws.done()
    finally:
        if collecting:
            gc.enable()
    return ws


def begin(root: Path, *, max_bytes: int = loader.MAX_BYTES, cache: bool = True,
          found: Found | None = None) -> Workspace:
    """The project file of the project at ``root`` read, its record files found (what is
    there but is not read reported), and none of them read yet: ``Workspace.read`` reads
    one, ``load`` all. ``found``: what a walk of the kinds registered now found just
    before, when the caller has it."""
    project_path = display(root / PROJECT_FILE)
    ws = Workspace(root=root, project_path=project_path, project=None, max_bytes=max_bytes)
    real_root = os.path.realpath(root)
    read_from = project_path
    if os.path.islink(root / PROJECT_FILE):
        found_link = Found()
        read_from = _link_target(str(root / PROJECT_FILE), real_root, found_link) or ""
        _add_refused(ws, found_link)
    if read_from:
        ws.project = _load_one(ws, project_path, Project, None, max_bytes, read_from=read_from)

    found = found if found is not None else walk(root)
    ws.found = found
    _add_refused(ws, found)
    ws.files = len(found.files) + len(found.refused)
    for path in found.stray:
        shown = escape(display(Path(path)))
        if os.path.isdir(path):
            name = os.path.basename(path)
            kinds = ", ".join(names())
            guess = get_close_matches(name, names(), n=1)
            hint = f"did you mean '{guess[0]}/'? " if guess else ""
            msg = f"folder '{name}' is not a record kind and is not read; {hint}kinds: {kinds}"
        else:
            msg = "not a .yaml record file; it is not read"
        ws.problems.append(problem(shown, 1, 1, "stray-file", msg))
    ws.listed = _listed(root, found)
    ws.parsed = ParseCache(root, enabled=cache)
    ws.stamps = {}
    return ws


def _add_refused(ws: Workspace, found: Found) -> None:
    """Problems for what is there but is not read, its name escaped: no path a report,
    workbook or terminal shows holds a control character."""
    for path, code, message in found.refused:
        ws.problems.append(problem(escape(display(Path(path))), 1, 1, code, message))


def _listed(root: Path, found: Found) -> list[Listed]:
    """Each record file found: its kind, its path below ``root``, its display path, and
    where its bytes are (a link's target)."""
    top = os.path.join(str(root), "")
    # display(p) for every file, without a relpath (two abspaths) per file: the files are
    # below root, so their display path is root's display path joined with the rest -
    # unless the current folder is inside root (then relpath shortens some paths).
    base = display(root)
    here = Path.cwd().resolve()
    inside = here != root.resolve() and here.is_relative_to(root.resolve())
    links = found.links
    out = []
    for kind, name in found.files:
        rel = name[len(top):] if name.startswith(top) else os.path.relpath(name, root)
        if inside:
            shown = display(Path(name))
        elif base == ".":
            shown = rel
        else:
            shown = os.path.join(base, rel)
        out.append(Listed(kind, rel, shown, links.get(name, shown)))
    return out


def _parse(ws: Workspace, path: str, max_bytes: int, cache: ParseCache | None,
           rel: str, read_from: str) -> Any:
    """The plain value of a file (from the cache when unchanged), or None after a problem.

    ``path`` names the file in problems; ``read_from`` is where its bytes are (the target
    of a link inside the project, else the same).
    """
    if cache is not None and cache.knows(rel):
        try:
            st = os.stat(read_from)
        except OSError:
            st = None
        if st is not None and stat.S_ISREG(st.st_mode) and st.st_size <= max_bytes:
            value = cache.get(rel, st)
            if value is not None:
                if ws.stamps is not None:
                    ws.stamps[rel] = stamp(st)
                return value
    try:
        data, st = loader.read_bytes(read_from, max_bytes)
        if ws.stamps is not None and rel:
            ws.stamps[rel] = stamp(st)
    except loader.Refused as e:
        ws.problems.append(problem(path, 1, 1, e.code, str(e)))
        return None
    except OSError as e:
        ws.problems.append(problem(path, 1, 1, "unreadable",
                                   f"cannot read the file: {e.strerror or e}"))
        return None
    try:
        loaded = loader.load(data, path, max_bytes=max_bytes)
    except MemoryError:  # a cap raised with --max-bytes beyond what this machine holds
        ws.problems.append(problem(path, 1, 1, "too-large", "not enough memory to read it; "
                                   "records are small - split it"))
        return None
    if loaded.problems:
        # Parse problems carry their own positions; keep reading other files.
        ws.problems.extend(loaded.problems)
        if loaded.value is None or not loaded.ok:
            return None
    elif cache is not None:
        cache.put(rel, st, loaded.value)
    return loaded.value


def _load_one(ws: Workspace, path: str, model: type[BaseModel], kind: str | None,
              max_bytes: int, cache: ParseCache | None = None, rel: str = "",
              read_from: str | None = None) -> Any:
    value = _parse(ws, path, max_bytes, cache, rel, read_from or path)
    if value is None:
        return None
    return check_value(ws, path, model, kind, value)


def check_value(ws: Workspace, path: str, model: type[BaseModel], kind: str | None,
                value: Any) -> Any:
    """A file's plain value through the rule on personal data and the model of its kind:
    the record, or None with the problems added to ``ws`` (placed by ``ws.problem_at``)."""
    if kind in child_kinds():
        personal = list(_personal_fields(value, ()))
        if personal:
            for loc in personal:
                ws.problems.append(ws.problem_at(
                    path, loc, "personal-data-field",
                    f"'{loc[-1]}' would hold personal data about a child or service user; "
                    "records of this kind keep counts, age bands and themes only - delete it"))
            return None
    try:
        return model.model_validate(value)
    except ValidationError as e:
        ws.problems.extend(schema_problems(ws, path, e, kind))
        return None


@lru_cache(maxsize=4096)
def _is_personal(key: str) -> bool:
    """Is a field name one that would hold personal data? (Field names repeat: cached.)"""
    return key.strip().lower().replace("-", "_").replace(" ", "_") in PERSONAL_FIELDS


def _personal_fields(value: Any, loc: tuple[str | int, ...]) -> Iterable[tuple[str | int, ...]]:
    if isinstance(value, dict):
        for k, v in value.items():
            here = (*loc, k)
            if _is_personal(str(k)):
                yield here
            else:
                yield from _personal_fields(v, here)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _personal_fields(v, (*loc, i))


_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "string_type": "text",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a set of fields",
    "model_type": "a set of fields",
    "model_attributes_type": "a set of fields",
}


def _field_names() -> list[str]:
    names: set[str] = set()
    seen: set[type] = set()

    def walk(m: type[BaseModel]) -> None:
        if m in seen:
            return
        seen.add(m)
        for name, f in m.model_fields.items():
            names.add(name)
            for arg in _model_args(f.annotation):
                walk(arg)

    models: list[type[BaseModel]] = [Project, *(k.model for k in KINDS.values())]
    for m in models:
        walk(m)
    return sorted(names)


def _model_args(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for a in getattr(annotation, "__args__", ()) or ():
        yield from _model_args(a)


_FIELDS: list[str] = []


def _plain(value: Any) -> str:
    """A value as its YAML was written (true, not True)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"'{value}'" if len(value) < 40 else f"'{value[:37]}...'"
    return repr(value)


def _refused(value: Any) -> str:
    """Which characters of an id are refused, by name: ids hold letters of any alphabet,
    digits, '.', '_' and '-', and start with a letter or digit."""
    import unicodedata

    text = str(value)
    bad = sorted({c for c in text if not (c.isalnum() or c in "._-")})
    if bad:
        names = ", ".join("a space" if c == " " else
                          f"'{c}' ({unicodedata.name(c, f'U+{ord(c):04X}').lower()})"
                          for c in bad)
        return (f"holds {names}, which an id may not hold; use letters (of any alphabet), "
                "digits, '.', '_' and '-'")
    return "must start with a letter or a digit"


def schema_problems(ws: Workspace, path: str, err: ValidationError,
                    kind: str | None) -> list[Problem]:
    """Pydantic's errors as problems a coordinator can act on."""
    if not _FIELDS:
        _FIELDS.extend(_field_names())
    out: list[Problem] = []
    for e in err.errors(include_url=False):
        loc = tuple(x for x in e["loc"] if x != "[key]")
        dotted = ".".join(str(x) for x in loc) or "record"
        t = e["type"]
        value = e.get("input")
        if t == "extra_forbidden":
            name = str(loc[-1])
            guess = get_close_matches(name, _FIELDS, n=1, cutoff=0.75)
            hint = f"did you mean '{guess[0]}'?" if guess else "delete it or check the spelling"
            if guess and guess[0] == name:  # a field of other records, not of this one
                hint = ("other kinds of record have it, this one does not: delete it, or say "
                        "it in the note")
            if " " in name and not guess:
                hint = ("no field name has a space: if this is the rest of a text after a "
                        "comma inside {...}, put the whole text in quotes")
            where = f" of {'.'.join(str(x) for x in loc[:-1])}" if len(loc) > 1 else ""
            singular = KINDS[kind].singular if kind else ""
            what = (f"{'an' if singular[:1] in 'aeiou' else 'a'} {singular} record" if kind
                    else "the project file")
            out.append(ws.problem_at(path, loc, "unknown-field",
                                     f"'{name}' is not a field{where} in {what}; {hint}"))
        elif t == "missing":
            out.append(ws.problem_at(path, loc[:-1], "missing-field",
                                     f"'{dotted}' is required and missing"))
        elif t == "invalid_date":
            out.append(ws.problem_at(path, loc, "invalid-date", f"{dotted}: {e['msg']}"))
        elif t in ("greater_than_equal", "greater_than") and isinstance(value, int | float):
            code = "negative-count" if value < 0 else "invalid-value"
            out.append(ws.problem_at(path, loc, code,
                                     f"{dotted} is {value}; a count cannot be negative"))
        elif t == "less_than_equal" and isinstance(value, int | float):
            out.append(ws.problem_at(path, loc, "number-too-large",
                                     f"{dotted} is {value:,}; no count is over {MAX_COUNT:,} "
                                     "- is a digit too many?"))
        elif t in _EXPECTED:
            hint = ""
            if isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n"):
                hint = " (yes/no/on/off are text here: write true/false or the number)"
            elif isinstance(value, str) and t in ("int_type", "float_type"):
                hint = (" (write the number without quotes, or unknown when it is not known)"
                        if not value.strip().lstrip("-").isdigit()
                        else " (write the number without quotes)")
            elif isinstance(value, int) and t in ("model_type", "dict_type") and loc:
                hint = f" (write it as '{loc[-1]}: {{total: {value}}}')"
            elif t == "string_type" and isinstance(value, int | float | bool) and loc:
                # a grant number, a year, yes: YAML reads them as numbers or true/false
                hint = f" (put it in quotes: {loc[-1]}: \"{_plain(value)}\")"
            out.append(ws.problem_at(
                path, loc, "wrong-type",
                f"{dotted} should be {_EXPECTED[t]}, not {_describe(value)}{hint}"))
        elif t == "string_pattern_mismatch":
            field_name = str(loc[-1]) if loc else ""
            if "country" in field_name or (len(loc) > 1 and loc[-2] == "from_partners"):
                iso = countries.code_of(value) if isinstance(value, str) else None
                msg = (f"{dotted} is {_describe(value)}; write its two-letter code, {iso}"
                       if iso else
                       f"{dotted} is {_describe(value)}; write a two-letter code such as UK, NL, "
                       "EE, or unknown")
            elif field_name == "id" or (len(loc) > 1 and loc[-2] == "activities"):
                msg = f"id {_describe(value)} {_refused(value)}"
            else:
                msg = f"{dotted} is {_describe(value)}, which is not in the expected form"
            out.append(ws.problem_at(path, loc, "invalid-value", msg))
        elif t in ("too_short", "string_too_short"):
            out.append(ws.problem_at(path, loc, "missing-field",
                                     f"{dotted} is empty; it needs at least one entry"))
        else:
            out.append(ws.problem_at(path, loc, "invalid-value", f"{dotted}: {e['msg']}"))
    return out


def git_commit(root: Path) -> str | None:
    """The short commit of the records, '(uncommitted changes)' added when they have any."""
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return None
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "."],
                                capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = head.stdout.strip()
    if status.returncode == 0 and status.stdout.strip():
        commit += " (uncommitted changes)"
    return commit
