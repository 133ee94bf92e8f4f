"""Finding a project and its record files on disk: no YAML, no model.

``find_root`` walks up from a folder the way git finds its repository; ``walk`` lists the
record files of each kind folder and what is there but is not read (a named pipe, a link
out of the project, a name with a line break). Nothing here imports the record model, so
a warm ``cepa validate`` (cepa/records/checked.py) can see that nothing changed without
loading it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cepa.base.text import UNSAFE

PROJECT_FILE = "cepa-project.yaml"
RECORD_SUFFIXES = (".yaml", ".yml")

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"),
          (stat.S_ISLNK, "a link"))


def what_is(mode: int) -> str:
    """What a file of this mode is, in words ('a named pipe (FIFO)', 'a device', ...)."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


class ProjectNotFound(Exception):
    """No project file in the folder given or any folder above it."""


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


def walk(root: Path, kinds: Iterable[str]) -> Found:
    """Every record file under ``root``: each kind folder (``kinds``), all the way down.

    The type of each entry comes from the folder listing (no stat per file). What is not a
    regular file or folder is refused, named, and never opened; a link is followed only
    when it leads to a place inside the project, and a folder is walked once.
    """
    found = Found()
    kinds = frozenset(kinds)
    real_root = os.path.realpath(root)
    for d in _scan(str(root), found):
        if _bad_name(d.name):
            found.refused.append((d.path, "bad-file-name", _BAD_NAME))
        elif d.name in kinds:
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
                                      f"a link to {what_is(mode)}; cepa does not read "
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
                what = what_is(d.stat(follow_symlinks=False).st_mode)
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
