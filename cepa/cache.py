"""A parse cache: the plain values of record files read before, kept beside the records.

Reading YAML is most of the work of loading a project. The cache keeps, for every record
file that read without a problem, the plain value the loader built (dicts, lists, text,
numbers), in ``<root>/.cepa-cache/``, a folder the loader never reads and git is told to
ignore. The schema and every check still run on each value, every time: only parsing is
skipped.

A value is served only when the file's path, size, modification time, change time and
inode are what they were when it was read, and cepa's version is the same. A file written
in the last two seconds is not cached at all (its time stamp could still change without
its time changing, as git's "racily clean" files), so an edit is never missed. A cache file
that is unreadable, corrupt or from another version is ignored; a folder that cannot be
written to is simply not cached in. The values are stored with ``marshal``, which holds
plain values only and, unlike pickle, runs no code.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import time
from pathlib import Path
from typing import Any

from cepa import __version__

FOLDER = ".cepa-cache"
FILE = "parsed.marshal"
#: Bump when the shape of cached values or of the loader's output changes.
FORMAT = 1
#: Files changed more recently than this (in nanoseconds) are not cached.
RACY_NS = 2_000_000_000

Key = tuple[int, int, int, int]


def stat_key(st: os.stat_result) -> Key:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class ParseCache:
    """The cached plain values of one project's record files, keyed by relative path."""

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.root = root
        self.path = root / FOLDER / FILE
        self.enabled = enabled
        self._old: dict[str, tuple[Key, Any]] = {}
        self._new: dict[str, tuple[Key, Any]] = {}
        self._dirty = False
        if enabled:
            self._old = self._read()

    def _stamp(self) -> str:
        return f"cepa {__version__} format {FORMAT}"

    def _read(self) -> dict[str, tuple[Key, Any]]:
        try:
            with open(self.path, "rb") as f:
                data = marshal.load(f)
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if (not isinstance(data, dict) or data.get("stamp") != self._stamp()
                or not isinstance(data.get("entries"), dict)):
            return {}
        return data["entries"]

    def knows(self, rel: str) -> bool:
        """Is there an entry for ``rel`` at all? (Spares a stat for files never cached.)"""
        return self.enabled and rel in self._old

    def get(self, rel: str, st: os.stat_result) -> Any:
        """The cached value of the file at ``rel`` if it is unchanged, else None."""
        if not self.enabled:
            return None
        hit = self._old.get(rel)
        if (hit is None or not isinstance(hit, tuple) or len(hit) != 2
                or hit[0] != stat_key(st)):
            return None
        self._new[rel] = hit
        return hit[1]

    def put(self, rel: str, st: os.stat_result, value: Any) -> None:
        """Remember a file's value, unless the file changed too recently to trust its stamp."""
        if not self.enabled:
            return
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
            self._dirty = True  # an old entry for it, if any, must go
            return
        self._new[rel] = (stat_key(st), value)
        self._dirty = True

    def save(self) -> None:
        """Write the values of this run's files (and only those) if anything changed."""
        if not self.enabled:
            return
        if not self._dirty and len(self._new) == len(self._old):
            return
        folder = self.path.parent
        tmp = folder / f"{FILE}.{os.getpid()}.tmp"
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# written by cepa: a cache, never commit it\n*\n",
                                  encoding="utf-8")
            with open(tmp, "wb") as f:
                marshal.dump({"stamp": self._stamp(), "entries": self._new}, f)
            os.replace(tmp, self.path)
        except (OSError, ValueError):  # read-only folder, full disk: just don't cache
            with contextlib.suppress(OSError):
                tmp.unlink()
