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

The cache holds what the records say, about children among them, so only its owner may
read it: the folder is made 0700 and its files 0600, and a link in place of the folder or
a file is never followed. ``marshal`` is not meant for data from others, so the file starts
with a line that names the folder it was written in (its device and inode): a cache file
that arrived any other way (committed to a repository, copied in) names another folder and
is ignored before a byte of it is unmarshalled.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import time
from pathlib import Path
from typing import Any

from cepa.base import __version__

FOLDER = ".cepa-cache"
FILE = "parsed.marshal"
#: Bump when the shape of cached values or of the loader's output changes.
FORMAT = 2
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
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
        self._old_read: dict[str, tuple[Key, Any]] | None = None
        self._new: dict[str, tuple[Key, Any]] = {}
        self._dirty = False

    @property
    def _old(self) -> dict[str, tuple[Key, Any]]:
        """The stored values, read when first asked for (a run that reads few files may
        never need them)."""
        if self._old_read is None:
            self._old_read = self._read() if self.enabled else {}
        return self._old_read

    def _header(self, folder: os.stat_result) -> bytes:
        return (f"cepa {__version__} cache format {FORMAT} in {folder.st_dev}:{folder.st_ino}"
                "\n").encode()

    def _folder(self) -> os.stat_result | None:
        """The cache folder's status if it is a real folder of this user's, else None."""
        try:
            st = os.lstat(self.path.parent)
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
            return None
        return st

    def _read(self) -> dict[str, tuple[Key, Any]]:
        folder = self._folder()
        if folder is None:
            return {}
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW)
        except OSError:
            return {}
        try:
            with os.fdopen(fd, "rb") as f:
                st = os.fstat(f.fileno())
                header = self._header(folder)
                if (not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid()
                        or f.read(len(header)) != header):
                    return {}
                data = marshal.loads(f.read())  # not load(f): it reads a file piece by piece
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
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

    def release(self) -> None:
        """Forget the values read and kept (after ``save``): a loaded project holds its
        records, and the plain values would double what it takes in memory."""
        self._old_read = {}
        self._new = {}
        self._dirty = False

    def keep(self, rel: str) -> None:
        """Keep a file's stored value for the next run though it was not read in this one
        (its stamp is checked when it is asked for)."""
        if self.enabled and rel in self._old:
            self._new[rel] = self._old[rel]

    def taken(self, rel: str) -> Any:
        """What this run keeps of a file (its stamp and value), for another process to
        ``adopt``; None when nothing."""
        return self._new.get(rel)

    def adopt(self, rel: str, entry: Any) -> None:
        """Keep what another process read of a file (``taken`` there)."""
        if self.enabled:
            self._new[rel] = tuple(entry)
            self._dirty = True

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
        if not self._dirty and (self._old_read is None or len(self._new) == len(self._old)):
            return
        folder = self.path.parent
        tmp = folder / f"{FILE}.{os.getpid()}.tmp"
        try:
            st = private_folder(folder)
            if st is None:  # a file, a link or someone else's folder in its place
                return
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            write_new(tmp, self._header(st) + marshal.dumps({"entries": self._new}))
            os.replace(tmp, self.path)
        except (OSError, ValueError):  # read-only folder, full disk: just don't cache
            with contextlib.suppress(OSError):
                tmp.unlink()


def private_folder(folder: Path) -> os.stat_result | None:
    """The cache folder, made if need be: readable by its owner only, and told to git as
    ignored. None when something else stands in its place (a file, a link, someone else's
    folder). Raises OSError when it cannot be made."""
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    try:
        st = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        return None
    if stat.S_IMODE(st.st_mode) & 0o077:  # made by an older cepa
        os.chmod(folder, 0o700)
    ignore = folder / ".gitignore"
    try:
        write_new(ignore, b"# written by cepa: a cache, never commit it\n*\n")
    except FileExistsError:
        if stat.S_ISREG(os.lstat(ignore).st_mode):
            os.chmod(ignore, 0o600)
    return st


def write_new(path: Path, data: bytes) -> None:
    """Write a new file readable by its owner only, never through a link."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def read_entries(root: Path) -> dict[str, Any]:
    """The entries of the cache file of the project at ``root`` (for tests and tools)."""
    return ParseCache(root)._old
