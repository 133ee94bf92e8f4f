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

from cepa.base.problems import Problem, problem
from cepa.base.text import UNSAFE, escape
from cepa.records import loader
from cepa.records.cache import ParseCache
from cepa.records.kinds import KINDS, child_kinds, names
from cepa.records.model import MAX_COUNT, PERSONAL_FIELDS, Project

PROJECT_FILE = "cepa-project.yaml"
RECORD_SUFFIXES = (".yaml", ".yml")


class ProjectNotFound(Exception):
    """No project file in the folder given or any folder above it."""


@dataclass(slots=True)
class Entry:
    """A record that passed the schema, with the kind and file it came from."""

    kind: str
    path: str
    record: Any  # the model of its kind (cepa.records.kinds)


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
    _positions: dict[str, loader.Loaded] = field(default_factory=dict, repr=False)

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
        top = os.path.dirname(os.path.abspath(self.root))
        rel = os.path.relpath(os.path.abspath(path), top)
        return path if rel.startswith("..") else Path(rel).as_posix()

    def problem_at(self, path: str, loc: Iterable[str | int], code: str, message: str) -> Problem:
        line, col = self.where(path, loc)
        return problem(path, line, col, code, message)


def find_root(start: Path) -> Path:
    """The records root: the nearest folder at or above ``start`` holding the project file.

    A folder whose ``records/`` holds it counts too, so ``cepa validate`` works from the top
    of a repository that keeps its records in ``records/``.
    """
    start = Path(os.path.realpath(start))  # never raises, a loop of links included
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if _holds_project(folder):
            return folder
        if _holds_project(folder / "records"):
            return folder / "records"
    raise ProjectNotFound(
        f"no {PROJECT_FILE} in {start} or any folder above it; "
        "run 'cepa init' to start a project, or give the project's folder"
    )


def _holds_project(folder: Path) -> bool:
    """Is there a project file here? Anything of that name but a folder counts, so that a
    named pipe or a link in its place is reported when loading rather than passed by."""
    p = folder / PROJECT_FILE
    return os.path.lexists(p) and not p.is_dir()


def display(path: Path) -> str:
    """A path as a user wants to read it: relative to the current folder when it is inside
    it or one level up, else absolute (no '../../../tmp/...')."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return os.path.abspath(path) if rel.startswith(os.path.join("..", "..")) else rel


@dataclass(slots=True)
class Found:
    """What a walk of the record folders found."""

    #: (kind, path) of every record file to read, in a stable order
    files: list[tuple[str, str]] = field(default_factory=list)
    #: links inside the project: a record file's path -> the file it leads to
    links: dict[str, str] = field(default_factory=dict)
    #: paths that are not records (a .txt among the records, a folder that is not a kind)
    stray: list[str] = field(default_factory=list)
    #: (path, code, message) of what is there but is not read: a named pipe, a device, a
    #: link out of the project, a name with a line break, a folder that cannot be read
    refused: list[tuple[str, str, str]] = field(default_factory=list)


def _bad_name(name: str) -> bool:
    return not name.isprintable() and UNSAFE.search(name) is not None


def _inside(path: str, real_root: str) -> bool:
    return path == real_root or path.startswith(os.path.join(real_root, ""))


def _scan(folder: str, found: Found) -> list[os.DirEntry[str]]:
    """The visible entries of ``folder``, sorted by name; none (and a problem) if it cannot
    be read, so that its records are never missed in silence."""
    try:
        with os.scandir(folder) as it:
            return sorted((d for d in it if not d.name.startswith(".")),
                          key=lambda d: d.name)
    except OSError as e:
        found.refused.append((folder, "unreadable",
                              f"cannot read the folder: {e.strerror or e}; the records in it "
                              "are missing until it can be read"))
        return []


def walk(root: Path) -> Found:
    """Every record file under ``root``: each kind folder, all the way down.

    The type of each entry comes from the folder listing (no stat per file). What is not a
    regular file or folder is refused, named, and never opened; a link is followed only
    when it leads to a place inside the project, and a folder is walked once.
    """
    found = Found()
    real_root = os.path.realpath(root)
    for d in _scan(str(root), found):
        if _bad_name(d.name):
            found.refused.append((d.path, "bad-file-name", _BAD_NAME))
        elif d.name in names():
            if d.is_symlink():  # a kind folder kept elsewhere in the project
                target = _link_target(d.path, real_root, found)
                if target is not None and os.path.isdir(target):
                    _walk_kind(d.name, d.path, real_root, found)
            elif d.is_dir(follow_symlinks=False):
                _walk_kind(d.name, d.path, real_root, found)
        elif d.is_dir(follow_symlinks=False) and _holds_records(d.path):
            found.stray.append(d.path)
    return found


_BAD_NAME = ("the name holds a line break, tab or other control character; cepa does not "
             "read it - rename it")


def _link_target(path: str, real_root: str, found: Found) -> str | None:
    """Where the link at ``path`` leads, if that is inside the project and exists."""
    target = os.path.realpath(path)
    if not _inside(target, real_root):
        found.refused.append((path, "outside-project",
                              f"a link to {target}, outside the project; cepa does not follow "
                              "it - copy the file into the project instead"))
        return None
    if not os.path.exists(target):
        found.refused.append((path, "unreadable", "a link to nothing (its target is gone)"))
        return None
    return target


def _walk_kind(kind: str, folder: str, real_root: str, found: Found) -> None:
    folders: list[str] = []
    for d in _scan(folder, found):
        name = d.name
        if _bad_name(name):
            found.refused.append((d.path, "bad-file-name", _BAD_NAME))
        elif d.is_symlink():
            target = _link_target(d.path, real_root, found)
            if target is None:
                continue
            mode = os.stat(target).st_mode
            if stat.S_ISDIR(mode):  # would read records twice, or loop
                found.refused.append((d.path, "not-a-file",
                                      "a link to a folder; cepa does not follow it (its "
                                      "records would be read twice, or for ever) - move the "
                                      "folder here instead"))
            elif not stat.S_ISREG(mode):
                found.refused.append((d.path, "not-a-file",
                                      f"a link to {loader.what_is(mode)}; cepa does not read "
                                      "it - delete it"))
            elif name.endswith(RECORD_SUFFIXES):
                found.files.append((kind, d.path))
                found.links[d.path] = target
            else:
                found.stray.append(d.path)
        elif d.is_dir(follow_symlinks=False):
            folders.append(d.path)
        elif d.is_file(follow_symlinks=False):
            if name.endswith(RECORD_SUFFIXES):
                found.files.append((kind, d.path))
            else:
                found.stray.append(d.path)
        else:
            try:
                what = loader.what_is(d.stat(follow_symlinks=False).st_mode)
            except OSError:
                what = "not a regular file"
            found.refused.append((d.path, "not-a-file",
                                  f"{what}, not a file; cepa does not read it - delete it or "
                                  "move it out of the project"))
    for path in folders:
        _walk_kind(kind, path, real_root, found)


def _holds_records(folder: str, budget: int = 10_000) -> bool:
    """Does a folder that is not a kind hold .yaml files (a misspelt kind)? Looks at no more
    than ``budget`` entries and follows no link."""
    stack = [folder]
    while stack and budget > 0:
        try:
            with os.scandir(stack.pop()) as it:
                for d in it:
                    budget -= 1
                    if d.name.startswith(".") or budget <= 0:
                        continue
                    if d.is_dir(follow_symlinks=False):
                        stack.append(d.path)
                    elif d.name.endswith(RECORD_SUFFIXES):
                        return True
        except OSError:
            continue
    return False


def load(root: Path, *, max_bytes: int = loader.MAX_BYTES, cache: bool = True) -> Workspace:
    """Read the project at ``root``: every file, every problem, nothing raised.

    With ``cache``, the parsed values of unchanged record files come from the parse cache
    in ``root/.cepa-cache/`` (see ``cepa.records.cache``); the schema and checks run on them as on
    freshly read ones.
    """
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

    found = walk(root)
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

    # Loading builds many small objects and no reference cycles; the cyclic collector would
    # only walk the growing heap again and again (a fifth of the load time at 10,000 records).
    collecting = gc.isenabled()
    gc.disable()
    try:
        _load_records(ws, root, found, max_bytes, cache)
    finally:
        if collecting:
            gc.enable()
    return ws


def _add_refused(ws: Workspace, found: Found) -> None:
    """Problems for what is there but is not read, its name escaped: no path a report,
    workbook or terminal shows holds a control character."""
    for path, code, message in found.refused:
        ws.problems.append(problem(escape(display(Path(path))), 1, 1, code, message))


def _load_records(ws: Workspace, root: Path, found: Found, max_bytes: int,
                  cache: bool) -> None:
    parsed = ParseCache(root, enabled=cache)
    top = os.path.join(str(root), "")
    # display(p) for every file, without a relpath (two abspaths) per file: the files are
    # below root, so their display path is root's display path joined with the rest -
    # unless the current folder is inside root (then relpath shortens some paths).
    base = display(root)
    here = Path.cwd().resolve()
    inside = here != root.resolve() and here.is_relative_to(root.resolve())
    joinable = not inside
    links = found.links
    for kind, name in found.files:
        rel = name[len(top):] if name.startswith(top) else os.path.relpath(name, root)
        if not joinable:
            shown = display(Path(name))
        elif base == ".":
            shown = rel
        else:
            shown = os.path.join(base, rel)
        rec = _load_one(ws, shown, KINDS[kind].model, kind, max_bytes, parsed, rel,
                        links.get(name, shown))
        if rec is not None:
            ws.entries.append(Entry(kind, shown, rec))
    parsed.save()


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
                return value
    try:
        data, st = loader.read_bytes(read_from, max_bytes)
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
            if " " in name and not guess:
                hint = ("no field name has a space: if this is the rest of a text after a "
                        "comma inside {...}, put the whole text in quotes")
            where = f" of {'.'.join(str(x) for x in loc[:-1])}" if len(loc) > 1 else ""
            what = f"a {KINDS[kind].singular} record" if kind else "the project file"
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
                hint = " (write the number without quotes)"
            elif isinstance(value, int) and t in ("model_type", "dict_type") and loc:
                hint = f" (write it as '{loc[-1]}: {{total: {value}}}')"
            out.append(ws.problem_at(
                path, loc, "wrong-type",
                f"{dotted} should be {_EXPECTED[t]}, not {_describe(value)}{hint}"))
        elif t == "string_pattern_mismatch":
            field_name = str(loc[-1]) if loc else ""
            if "country" in field_name or (len(loc) > 1 and loc[-2] == "from_partners"):
                msg = f"{dotted} is {_describe(value)}; write a two-letter code such as UK, NL, EE"
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
