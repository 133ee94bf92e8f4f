"""Finding a project on disk and loading all of it: the project file and every record.

``find_root`` walks up from a folder the way git finds its repository.
``load`` reads every file, returning the records that passed the schema and
every problem met on the way; it never stops at the first bad file.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from cepa import loader
from cepa.cache import ParseCache
from cepa.kinds import CHILD_KINDS, KINDS, NAMES
from cepa.model import PERSONAL_FIELDS, Project
from cepa.problems import Problem, problem

PROJECT_FILE = "cepa-project.yaml"
RECORD_SUFFIXES = (".yaml", ".yml")


class ProjectNotFound(Exception):
    """No project file in the folder given or any folder above it."""


@dataclass(slots=True)
class Entry:
    """A record that passed the schema, with the kind and file it came from."""

    kind: str
    path: str
    record: Any  # the model of its kind (cepa.kinds)


@dataclass
class Workspace:
    """A loaded project: its file, its records, and the problems met loading them."""

    root: Path
    project_path: str
    project: Project | None
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _positions: dict[str, loader.Loaded] = field(default_factory=dict, repr=False)

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    def where(self, path: str, loc: Iterable[str | int]) -> tuple[int, int]:
        """Line and column of ``loc`` in the file at display path ``path`` (read again lazily)."""
        loaded = self._positions.get(path)
        if loaded is None:
            try:
                data = _read(path)
            except OSError:
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
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
        if (folder / "records" / PROJECT_FILE).is_file():
            return folder / "records"
    raise ProjectNotFound(
        f"no {PROJECT_FILE} in {start} or any folder above it; "
        "run 'cepa init' to start a project, or give the project's folder"
    )


def display(path: Path) -> str:
    """A path as a user wants to read it: relative to the current folder when it is inside
    it or one level up, else absolute (no '../../../tmp/...')."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return os.path.abspath(path) if rel.startswith(os.path.join("..", "..")) else rel


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def record_files(root: Path) -> tuple[list[tuple[str, Path]], list[Path]]:
    """Every record file under ``root`` as (kind, path), sorted; and what is not a record."""
    files: list[tuple[str, Path]] = []
    stray: list[Path] = []
    with os.scandir(root) as it:
        top = sorted(it, key=lambda d: d.name)
    for d in top:
        if not d.is_dir() or d.name.startswith("."):
            continue
        if d.name not in NAMES:
            if any(p.suffix in RECORD_SUFFIXES for p in Path(d.path).rglob("*")):
                stray.append(Path(d.path))
            continue
        for dirpath, dirnames, filenames in os.walk(d.path):
            dirnames[:] = sorted(n for n in dirnames if not n.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                p = Path(dirpath, name)
                if name.endswith(RECORD_SUFFIXES):
                    files.append((d.name, p))
                else:
                    stray.append(p)
    return files, stray


def load(root: Path, *, max_bytes: int = loader.MAX_BYTES, cache: bool = True) -> Workspace:
    """Read the project at ``root``: every file, every problem, nothing raised.

    With ``cache``, the parsed values of unchanged record files come from the parse cache
    in ``root/.cepa-cache/`` (see ``cepa.cache``); the schema and checks run on them as on
    freshly read ones.
    """
    project_path = display(root / PROJECT_FILE)
    ws = Workspace(root=root, project_path=project_path, project=None)
    ws.project = _load_one(ws, project_path, Project, None, max_bytes)

    files, stray = record_files(root)
    for p in stray:
        shown = display(p)
        if p.is_dir():
            kinds = ", ".join(NAMES)
            guess = get_close_matches(p.name, NAMES, n=1)
            hint = f"did you mean '{guess[0]}/'? " if guess else ""
            msg = f"folder '{p.name}' is not a record kind and is not read; {hint}kinds: {kinds}"
        else:
            msg = "not a .yaml record file; it is not read"
        ws.problems.append(problem(shown, 1, 1, "stray-file", msg))

    # Loading builds many small objects and no reference cycles; the cyclic collector would
    # only walk the growing heap again and again (a fifth of the load time at 10,000 records).
    collecting = gc.isenabled()
    gc.disable()
    try:
        _load_records(ws, root, files, max_bytes, cache)
    finally:
        if collecting:
            gc.enable()
    return ws


def _load_records(ws: Workspace, root: Path, files: list[tuple[str, Path]], max_bytes: int,
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
    for kind, p in files:
        name = str(p)
        rel = name[len(top):] if name.startswith(top) else os.path.relpath(p, root)
        if not joinable:
            shown = display(p)
        elif base == ".":
            shown = rel
        else:
            shown = os.path.join(base, rel)
        rec = _load_one(ws, shown, KINDS[kind].model, kind, max_bytes, parsed, rel)
        if rec is not None:
            ws.entries.append(Entry(kind, shown, rec))
    parsed.save()


def _parse(ws: Workspace, path: str, max_bytes: int, cache: ParseCache | None,
           rel: str) -> Any:
    """The plain value of a file (from the cache when unchanged), or None after a problem."""
    if cache is not None and cache.knows(rel):
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if st is not None and st.st_size <= max_bytes:
            value = cache.get(rel, st)
            if value is not None:
                return value
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read()
    except OSError as e:
        ws.problems.append(problem(path, 1, 1, "unreadable",
                                   f"cannot read the file: {e.strerror or e}"))
        return None
    loaded = loader.load(data, path, max_bytes=max_bytes)
    if loaded.problems:
        # Parse problems carry their own positions; keep reading other files.
        ws.problems.extend(loaded.problems)
        if loaded.value is None or not loaded.ok:
            return None
    elif cache is not None:
        cache.put(rel, st, loaded.value)
    return loaded.value


def _load_one(ws: Workspace, path: str, model: type[BaseModel], kind: str | None,
              max_bytes: int, cache: ParseCache | None = None, rel: str = "") -> Any:
    value = _parse(ws, path, max_bytes, cache, rel)
    if value is None:
        return None
    return check_value(ws, path, model, kind, value)


def check_value(ws: Workspace, path: str, model: type[BaseModel], kind: str | None,
                value: Any) -> Any:
    """A file's plain value through the rule on personal data and the model of its kind:
    the record, or None with the problems added to ``ws`` (placed by ``ws.problem_at``)."""
    if kind in CHILD_KINDS:
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
            elif field_name == "id":
                msg = (f"id {_describe(value)} may hold only letters, digits, '.', '_' and '-', "
                       "and starts with a letter or digit")
            else:
                msg = f"{dotted} is {_describe(value)}, which is not in the expected form"
            out.append(ws.problem_at(path, loc, "invalid-value", msg))
        elif t in ("too_short", "string_too_short"):
            out.append(ws.problem_at(path, loc, "missing-field",
                                     f"{dotted} is empty; it needs at least one entry"))
        else:
            out.append(ws.problem_at(path, loc, "invalid-value", f"{dotted}: {e['msg']}"))
    return out
