"""Starting a project and a record: commented templates a new user fills in.

``init`` writes a new project folder (a commented project file, the kind folders,
the JSON Schemas, the report templates when cepa ships them, a .gitignore).
``new_record`` writes one record of a kind with the next free id, every field
present or commented. Nothing here prints; errors are ``ScaffoldError``.
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

from cepa.base.files import Outside, WontOverwrite, atomic_write, inside
from cepa.base.text import UNSAFE, escape
from cepa.records import loader
from cepa.records.blank import PROJECT_TEMPLATE
from cepa.records.kinds import KINDS, names, schema_files
from cepa.records.workspace import PROJECT_FILE

SECRET_FILE = ".cepa-secret"


class ScaffoldError(Exception):
    """Something the user can fix: an existing project, an unknown kind."""


GITIGNORE = f"""\
# cepa: never commit the secret that keys attendee hashes, nor sign-in sheets
{SECRET_FILE}
attendance/
*.xlsx
*.docx
!templates/*.docx
.cepa-cache/
"""

RECORD_HEAD = """\
# yaml-language-server: $schema={schema}
id: {id}                        # unique across the project
activity: {activity}                     # an activity of the project file ({kind})
objectives: [{objective}]                # the objectives it serves
title: Title of the {singular}    # replace with its title
date: unknown                   # YYYY-MM-DD, YYYY-MM, {{start: YYYY-MM, end: YYYY-MM}}, or [days]
city: unknown                   # where it took place
"""
RECORD_TAIL = """\
# notes: anything a reader of the report should know
# sources: [where the figures come from: a document, a sign-in sheet]
"""


def init(folder: Path) -> list[Path]:
    """Start a project in ``folder``; refuses a folder that holds one (or is inside one).

    Everything is checked before anything is written, so init never stops halfway: a file
    it would overwrite, a folder that is a file, a link that would take a write outside
    ``folder``. An existing ``.gitignore`` (any git repository has one) gets cepa's lines
    added. A write that fails all the same (a full disk) takes back what was written.
    """
    from cepa.records.workspace import ProjectNotFound, find_root

    folder = Path(folder)
    if _has_project(folder) or _has_project(folder / "records"):
        raise ScaffoldError(f"{folder} already holds a project; cepa init changes nothing there")
    if UNSAFE.search(str(folder)):
        raise ScaffoldError(f"the folder name {escape(str(folder))} holds a control character; "
                            "choose a plain name")
    if folder.exists():
        if not folder.is_dir():
            raise ScaffoldError(f"{folder} is a file, not a folder")
        try:
            root = find_root(folder)
        except ProjectNotFound:
            pass
        else:
            raise ScaffoldError(f"{folder} is inside the project at {root}; "
                                "cepa init changes nothing there")
    year = date.today().year
    # the project file last: an init that failed never looks like a project
    files: list[tuple[Path, bytes]] = [
        *[(folder / kind / ".gitkeep", b"") for kind in names()],
        *[(folder / "schemas" / name, data) for name, data in schema_files(["project", *names()])],
        (folder / PROJECT_FILE, PROJECT_TEMPLATE.format(year=year, end=year + 1).encode()),
    ]
    ignore = folder / ".gitignore"
    old_ignore, gitignore = _merged_gitignore(ignore)
    for path, _ in [*files, (ignore, b"")]:
        if path != ignore and os.path.lexists(path):
            raise ScaffoldError(f"{path} exists; cepa init writes nothing over a file - move "
                                "it away and run cepa init again")
        _check_folders(folder, path)
        try:
            inside(folder, path)
        except Outside as e:
            raise ScaffoldError(str(e)) from None
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if gitignore is not None:
            atomic_write(ignore, gitignore, force=True)
        for path, data in files:
            written.append(atomic_write(path, data))
    except (OSError, WontOverwrite) as e:
        if gitignore is not None:
            with contextlib.suppress(OSError):
                if old_ignore is None:
                    ignore.unlink()
                else:
                    atomic_write(ignore, old_ignore, force=True)
        for p in written:
            with contextlib.suppress(OSError):
                p.unlink()
        if isinstance(e, OSError):
            raise
        raise ScaffoldError(str(e)) from e
    if gitignore is not None:
        written.append(ignore)
    return written


def _has_project(folder: Path) -> bool:
    return os.path.lexists(folder / PROJECT_FILE)


def _check_folders(folder: Path, path: Path) -> None:
    """Each folder between ``folder`` and ``path`` is a folder (or not there yet)."""
    for parent in reversed(path.relative_to(folder).parents):
        p = folder / parent
        if os.path.lexists(p) and not p.is_dir():
            raise ScaffoldError(f"{p} is a file where cepa init puts a folder; move it away")


def _merged_gitignore(path: Path) -> tuple[bytes | None, bytes | None]:
    """The ``.gitignore`` as it is (None: there is none) and with cepa's lines added (None:
    nothing to add)."""
    if not os.path.lexists(path):
        return None, GITIGNORE.encode()
    try:
        data, _ = loader.read_bytes(str(path), 1 << 20)
    except loader.Refused as e:
        raise ScaffoldError(f"{path}: {e}; cepa init adds its lines only to a regular file")\
            from None
    except OSError as e:
        raise ScaffoldError(f"cannot read {path}: {e.strerror or e}") from None
    text = data.decode("utf-8", errors="replace")
    have = {line.strip() for line in text.splitlines()}
    comment, *lines = GITIGNORE.splitlines()
    missing = [line for line in lines if line.strip() not in have]
    if not missing:
        return data, None
    if text and not text.endswith("\n"):
        text += "\n"
    return data, (text + comment + "\n" + "\n".join(missing) + "\n").encode()


def next_id(root: Path, kind: str, taken: set[str]) -> str:
    """``<singular>-NNN``: one more than the highest such id or file name in the project."""
    singular = KINDS[kind].singular
    pattern = re.compile(rf"^{re.escape(singular)}-(\d+)$")
    names = set(taken) | {p.stem for p in (root / kind).glob("*.y*ml")}
    numbers = [int(m.group(1)) for n in names if (m := pattern.match(n))]
    n = max(numbers, default=0) + 1
    while f"{singular}-{n:03d}" in names:
        n += 1
    return f"{singular}-{n:03d}"


def schema_ref(root: Path, kind: str) -> str:
    """The editor-schema path for a record in ``root/kind/``: the project's own ``schemas/``
    (as ``cepa init`` makes it), else one beside the records folder (as in cepa's repository)."""
    name = f"{KINDS[kind].singular}.json"
    folder = next((f for f in (root / "schemas", root.parent / "schemas") if f.is_dir()),
                  root / "schemas")
    return Path(os.path.relpath(folder / name, root / kind)).as_posix()


def record_text(kind: str, record_id: str, project: Any = None,
                today: date | None = None, schema: str | None = None) -> str:
    """The text of a new record: valid once the obvious placeholders are replaced."""
    singular = KINDS[kind].singular
    activity, objective, partner, country = "A", "1", "partner-id", "XX"
    if project is not None:
        acts = [a for a in project.activities if a.kind == kind]
        if not acts:
            raise ScaffoldError(
                f"the project file has no activity of kind {kind}: add one under "
                f"'activities:' (id, title, kind: {kind}, objectives), then run cepa new "
                "again")
        activity = acts[0].id
        objective = (acts[0].objectives or [project.objectives[0].id])[0]
        partner = project.partners[0].id
        country = project.partners[0].country
    day = today or date.today()
    if project is not None and not (project.period.start <= day <= project.period.end):
        day = project.period.start  # a date the project's period admits
    month = day.strftime("%Y-%m")
    head = RECORD_HEAD.format(singular=singular, id=_scalar(record_id),
                              activity=_scalar(activity), kind=kind,
                              objective=_scalar(objective), month=month,
                              schema=schema or f"../../schemas/{singular}.json")
    if not KINDS[kind].has_place:  # an output is delivered, not held somewhere
        head = "\n".join(x for x in head.splitlines() if not x.startswith("city:")) + "\n"
    body = "\n".join(line.format(partner=partner, country=country)
                     for line in KINDS[kind].blank) + "\n"
    return _align(head + body + RECORD_TAIL)


def _scalar(text: str) -> str:
    """An id as YAML reads it back as the same id: '1' may stay bare (ids may be numbers),
    '1.5', 'yes' or '2025-01' are quoted."""
    import json

    from cepa.records.loader import resolve_plain

    value = resolve_plain(text)
    if value == text or (isinstance(value, int) and not isinstance(value, bool)
                         and str(value) == text):
        return text if ": " not in text and not text.startswith(("#", "[", "{", "'", '"')) \
            else json.dumps(text, ensure_ascii=False)
    return json.dumps(text, ensure_ascii=False)


def _align(text: str, column: int = 34) -> str:
    """Line up the comments after values, so a record reads as a form."""
    out = []
    for line in text.splitlines():
        value, sep, comment = line.partition("  # ")
        if sep and value.strip() and not value.lstrip().startswith("#"):
            line = f"{value.rstrip():<{column - 2}}  # {comment.strip()}"
        out.append(line)
    return "\n".join(out) + "\n"


def new_record(root: Path, kind: str, project: Any = None, taken: set[str] | None = None,
               today: date | None = None) -> Path:
    """Write a new record of ``kind`` under ``root``; returns its path."""
    record_id = next_id(root, kind, taken or set())
    path = root / kind / f"{record_id}.yaml"
    try:
        text = record_text(kind, record_id, project, today, schema_ref(root, kind))
        return atomic_write(inside(root, path), text.encode())
    except (WontOverwrite, Outside) as e:
        raise ScaffoldError(str(e)) from e


def write_schemas(folder: Path, kinds: list[str]) -> list[Path]:
    """Write each kind's JSON Schema as ``folder/<singular>.json`` (generated files)."""
    return [atomic_write(folder / name, data, force=True) for name, data in schema_files(kinds)]


def copy_template(root: Path, name: str, source: Path) -> Path:
    """Copy cepa's template ``source`` into the project's ``templates/report/`` as ``name``,
    to be edited there: from then on it replaces cepa's of that name. Never over a file."""
    target = root / "templates" / "report" / name
    if os.path.lexists(target):
        raise ScaffoldError(f"{target} exists: the project has its own {name} already; edit "
                            "it, or delete it to start again from cepa's")
    try:
        return atomic_write(inside(root, target), source.read_bytes())
    except (WontOverwrite, Outside) as e:
        raise ScaffoldError(str(e)) from e
