"""The cache of checked results: what ``cepa validate`` found, kept for the next run.

Linters such as ruff and mypy's daemon keep the *checked result* of each file keyed by the
file's stamp, and check again only what changed and what depends on it. cepa does the same,
beside the parse cache (cepa/records/cache.py), in two files of ``<root>/.cepa-cache/``:

- ``checked.marshal``: the conditions the results hold under (the ``Key``: cepa's version
  and its source files, Python's, the installed packages, the kinds of record, the project
  file's stamp, the folder cepa runs in and ``--max-bytes``), the stamp of every record file
  (size, modification and change time, inode), what the walk of the folders found, and the
  answer: every problem, silenced and sorted. A run in which nothing changed reads this
  file, stats every record file and prints the answer (``answer``), without loading the
  record model.
- ``facts.marshal``: per record file, its own problems (reading it, its schema, the checks
  of one record) and the facts the checks across records need (its id, references, count,
  cities, countries, what its texts may hold, what each claim takes of it). A run in which
  some files changed checks those files again, and the checks across records from the
  stored facts of the others (cepa/evidence/checks.py ``validate_root``).

The stored results are plain values written with ``marshal`` (no code runs reading them).
They are trusted only under the same key; an entry is trusted only for a file whose stamp
is unchanged, and a file changed in the two seconds before it was checked is never trusted
(its stamp could still change without its time changing). The answer may also change with
the date alone (an activity falls due): it is kept only until that date. Like the parse
cache, both files say what the records say, so the folder is 0700 and the files 0600, a
link is never followed, and a file that names another folder (copied in, committed) is not
read. A file that cannot be read as a cache of this version is ignored, with a warning when
it is corrupt rather than merely old.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import marshal
import os
import site
import stat
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cepa.base import __version__
from cepa.base.problems import Level, Problem
from cepa.records import cache as parse_cache
from cepa.records.cache import FOLDER, private_folder, write_new
from cepa.records.files import PROJECT_FILE, Found, walk

FILE = "checked.marshal"
FACTS = "facts.marshal"
#: Bump when the shape of what is stored changes.
FORMAT = 2
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)

#: A file's stamp: size, modification time, change time, inode; None when not to be trusted.
Stamp = tuple[int, int, int, int] | None
#: A problem as stored: (path, line, col, level, message, code).
Stored = tuple[str, int, int, str, str, str]


@dataclass
class Validation:
    """What ``cepa validate`` found: the problems, sorted, and how much was checked."""

    root: str
    #: record files found (read or not)
    files: int
    problems: list[Problem] = field(default_factory=list)
    #: what a user should know about the run itself (a corrupt cache ignored)
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.level is Level.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def adding(self, more: list[Problem]) -> Validation:
        """This validation with more problems (``--final``, ``--lang``)."""
        return Validation(self.root, self.files, sorted({*self.problems, *more}), self.notes)

    def as_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "records": self.files, "errors": self.errors,
                "warnings": self.warnings, "problems": [p.as_dict() for p in self.problems]}


def stamp(st: os.stat_result, now: int | None = None) -> Stamp:
    """A file's stamp, or None for a file changed too recently to trust its stamp."""
    now = time.time_ns() if now is None else now
    if now - max(st.st_mtime_ns, st.st_ctime_ns) < parse_cache.RACY_NS:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def stored(p: Problem) -> Stored:
    return (p.path, p.line, p.col, str(p.level), p.message, p.code)


def problems_of(rows: Iterable[Stored]) -> list[Problem]:
    return [Problem(path, line, col, Level(level), message, code)
            for path, line, col, level, message, code in rows]


# --- the key ---------------------------------------------------------------------------------


_SOURCE: list[str] = []


def _source() -> str:
    """cepa's version, and a digest of the stamps of its own files, Python's version and the
    installed packages: results of another cepa (an upgrade, an edited checkout) or another
    environment are never trusted."""
    if not _SOURCE:
        h = hashlib.sha256(f"{__version__} {FORMAT} {sys.version}".encode())
        stack = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
        while stack:
            with os.scandir(stack.pop()) as it:
                for d in sorted(it, key=lambda d: d.name):
                    if d.is_dir(follow_symlinks=False):
                        if d.name != "__pycache__":
                            stack.append(d.path)
                    elif d.name.endswith((".py", ".json", ".po", ".j2", ".md")):
                        st = d.stat()
                        h.update(f"{d.path} {st.st_size} {st.st_mtime_ns}\n".encode())
        for p in (*site.getsitepackages(), site.getusersitepackages()):
            with contextlib.suppress(OSError):
                h.update(f"{p} {os.stat(p).st_mtime_ns}\n".encode())
        _SOURCE.append(h.hexdigest())
    return _SOURCE[0]


@dataclass(frozen=True)
class Key:
    """What stored results depend on besides the record files themselves."""

    source: str
    kinds: tuple[str, ...]
    #: the folder cepa runs in: problems name files from there
    cwd: str
    max_bytes: int
    #: the project file's stamp (and where a link in its place leads)
    project: tuple[Stamp, str]

    @classmethod
    def of(cls, root: Path, kinds: Sequence[str], max_bytes: int) -> Key:
        path = root / PROJECT_FILE
        target = os.path.realpath(path)
        try:
            st: Stamp = stamp(os.stat(target))
        except OSError:
            st = None
        return cls(_source(), tuple(kinds), os.getcwd(), max_bytes, (st, target))

    def plain(self) -> tuple[Any, ...]:
        return (self.source, self.kinds, self.cwd, self.max_bytes, self.project)

    @property
    def trusted(self) -> bool:
        """Can anything be stored under it? Not while the project file is racy or absent."""
        return self.project[0] is not None


def _found_plain(root: Path, found: Found) -> tuple[Any, ...]:
    """What a walk found, by paths below ``root`` (however ``root`` was written)."""
    top = os.path.join(str(root), "")
    n = len(top)

    def rel(p: str) -> str:
        return p[n:] if p.startswith(top) else p

    return ([(k, rel(p)) for k, p in found.files],
            sorted((rel(a), rel(b)) for a, b in found.links.items()),
            [rel(p) for p in found.stray], [(rel(p), c, m) for p, c, m in found.refused])


def _digest(root: Path, found: Found, stamps: dict[str, Stamp]) -> str:
    """A digest of what the walk found and of every record file's stamp: equal digests,
    the same files unchanged (the cache keeps the digest, not 10,000 stamps to read)."""
    # repr, not marshal: marshal's bytes depend on which objects happen to be shared
    return hashlib.sha256(repr((_found_plain(root, found), stamps)).encode(
        "utf-8", "surrogatepass")).hexdigest()


# --- reading and writing, privately -------------------------------------------------------------


class CheckedCache:
    """The stored results of one project, read under a key."""

    def __init__(self, root: Path, key: Key, *, enabled: bool = True) -> None:
        self.root = root
        self.folder = root / FOLDER
        self.key = key
        self.enabled = enabled
        #: Why a cache file was ignored, when it was corrupt rather than merely stale.
        self.warning: str | None = None
        self._head: dict[str, Any] | None = None
        if enabled:
            self._head = self._checked(self._load(FILE))

    def _checked(self, head: dict[str, Any] | None) -> dict[str, Any] | None:
        """The head read, if it was written under this key; None when stale, and a warning
        when it does not hold what a head holds."""
        if head is None or head.get("key") != self.key.plain():
            return None  # written under other conditions: stale
        if not (isinstance(head.get("files"), str) and isinstance(head.get("answer"), list)):
            return self._corrupt(self.folder / FILE,
                                 "holds something else than checked results")
        return head

    # what a run may take from it

    def answer(self, found: Found, stamps: dict[str, Stamp],
               today: dt.date | None = None) -> list[Problem] | None:
        """The stored answer, if the walk found the same files with the same stamps and the
        answer has not expired; else None."""
        head = self._head
        if head is None or None in stamps.values():
            return None
        until = head.get("until")
        if until is not None and (today or dt.date.today()).isoformat() > until:
            return None
        if head.get("files") != _digest(self.root, found, stamps):
            return None
        return problems_of(head["answer"])

    def results(self) -> dict[str, Any]:
        """Per record file (by its path below the root): what was stored of it, with its
        stamp: ``{rel: (stamp, value)}``. Empty when nothing can be trusted."""
        if self._head is None:
            return {}
        data = self._load(FACTS)
        if data is None or data.get("id") != self._head.get("id"):
            return {}
        entries = data.get("results")
        return entries if isinstance(entries, dict) else {}

    def save(self, found: Found, stamps: dict[str, Stamp], answer: Sequence[Problem],
             results: dict[str, Any], until: str | None, *, builtin: bool) -> None:
        """Keep this run's results: the stamps and the answer, and per file its stamp and
        what was checked of it (``results``). ``until``: the last day the answer holds;
        ``builtin``: the kinds are cepa's own (none registered by a plug-in or a test).
        Nothing is kept while the project file is too fresh to trust its stamp."""
        if not self.enabled or not self.key.trusted:
            return
        ident = os.urandom(8).hex()
        head = {"key": self.key.plain(), "id": ident,
                "files": _digest(self.root, found, stamps),
                "answer": [stored(p) for p in answer], "until": until, "builtin": builtin}
        # the facts first: a reader takes them only with a head of the same id
        if self._write(FACTS, {"id": ident, "results": results}):
            self._write(FILE, head)

    # the files

    def _header(self, folder: os.stat_result) -> bytes:
        return (f"cepa {__version__} checked results format {FORMAT} in "
                f"{folder.st_dev}:{folder.st_ino}\n").encode()

    def _own_folder(self) -> os.stat_result | None:
        try:
            st = os.lstat(self.folder)
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
            return None
        return st

    def _load(self, name: str) -> dict[str, Any] | None:
        path = self.folder / name
        folder = self._own_folder()
        if folder is None:
            return None
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW)
        except FileNotFoundError:
            return None
        except OSError as e:
            return self._corrupt(path, f"cannot be opened ({e.strerror or e})")
        try:
            with os.fdopen(fd, "rb") as f:
                st = os.fstat(f.fileno())
                if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
                    return self._corrupt(path, "is not a file of yours")
                header = self._header(folder)
                first = f.readline(512)
                if first != header:
                    if first.startswith(b"cepa ") and b" checked results format " in first:
                        if first.split(b" in ")[-1] != header.split(b" in ")[-1]:
                            return self._corrupt(path, "was written in another folder")
                        return None  # another version of cepa: stale, not corrupt
                    return self._corrupt(path, "does not start as a cache of cepa's does")
                data = marshal.loads(f.read())  # not load(f): it reads a file piece by piece
        except (OSError, EOFError, ValueError, TypeError) as e:
            return self._corrupt(path, f"cannot be read ({e})")
        if not isinstance(data, dict):
            return self._corrupt(path, "holds something else than checked results")
        return data

    def _corrupt(self, path: Path, why: str) -> dict[str, Any] | None:
        """Nothing read from a cache file that is corrupt, and a warning saying why."""
        self.warning = (f"the cache of checked results {path} {why}; it is ignored and every "
                        "file is checked again")
        return None

    def _write(self, name: str, data: dict[str, Any]) -> bool:
        folder = self.folder
        tmp = folder / f"{name}.{os.getpid()}.tmp"
        try:
            st = private_folder(folder)
            if st is None:  # a file, a link or someone else's folder in its place
                return False
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            write_new(tmp, self._header(st) + marshal.dumps(data))
            os.replace(tmp, folder / name)
            return True
        except (OSError, ValueError):  # read-only folder, full disk: just don't keep it
            with contextlib.suppress(OSError):
                tmp.unlink()
            return False


# --- a warm run: stamps in, the stored answer out --------------------------------------------


def stamps_of(root: Path, found: Found) -> dict[str, Stamp]:
    """The stamp of every record file the walk found, by its path below ``root`` (a link's
    stamp is its target's)."""
    top = os.path.join(str(root), "")
    now = time.time_ns()
    out: dict[str, Stamp] = {}
    links = found.links
    for _, path in found.files:
        rel = path[len(top):] if path.startswith(top) else os.path.relpath(path, root)
        try:
            out[rel] = stamp(os.stat(links.get(path, path)), now)
        except OSError:
            out[rel] = None
    return out


@dataclass
class Sight:
    """What a look at a project's record files saw: the kinds looked for, the walk, every
    file's stamp, and the stored answer when they are what it was stored for."""

    kinds: tuple[str, ...]
    found: Found
    stamps: dict[str, Stamp]
    answer: Validation | None = None


def look(root: Path, max_bytes: int) -> Sight | None:
    """Walk and stat the record files of the project at ``root`` and take the stored
    answer when nothing changed since it was checked (``Sight.answer``); None when there is
    no stored answer to compare with. Reads one cache file; the record model is not loaded.
    The kinds are those the answer was stored under, unless a kind was registered since.
    """
    cache = CheckedCache(root, Key("", (), "", 0, (None, "")), enabled=False)
    head = cache._load(FILE)
    if head is None:
        return None
    registry = sys.modules.get("cepa.records.kinds")
    if registry is not None:
        kinds = tuple(registry.names())
    elif head.get("builtin") is True:  # the kinds it was stored under are cepa's own
        kinds = tuple(head["key"][1])
    else:
        return None
    cache.key = Key.of(root, kinds, max_bytes)
    cache._head = cache._checked(head)
    found = walk(root, kinds)
    sight = Sight(kinds, found, stamps_of(root, found))
    problems = cache.answer(found, sight.stamps)
    if problems is not None:
        sight.answer = Validation(str(root), len(found.files) + len(found.refused), problems)
    return sight


def answer(root: Path, max_bytes: int) -> Validation | None:
    """The stored answer for the project at ``root`` when nothing changed since it was
    checked, else None (check it: cepa/evidence/checks.py ``validate_root``)."""
    sight = look(root, max_bytes)
    return sight.answer if sight is not None else None
