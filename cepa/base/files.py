"""Writing files without losing anything: never over a user's file unless asked, never half.

Everything cepa writes goes to a temporary file in the target folder and is then
renamed over the target, so a failure leaves the old file intact and no partial one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO


class WontOverwrite(Exception):
    """The target exists and the user did not say --force."""


class Outside(Exception):
    """A path cepa was asked to write leads outside the project (a link, ``..``)."""


def inside(root: Path, path: Path) -> Path:
    """``path``, after making sure that writing it writes inside ``root``: no ``..`` and no
    link (of a folder on the way, or of the file itself) leads out. Raises ``Outside``."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if real != real_root and not real.startswith(os.path.join(real_root, "")):
        raise Outside(f"{path} leads outside the project ({real}); cepa writes only inside "
                      f"{root}")
    return path


def atomic_write(path: Path, write: Callable[[BinaryIO], None] | bytes, *, force: bool = False,
                 mode: int | None = None) -> Path:
    """Write ``path`` through a temporary file in its folder, then rename it into place.

    ``write`` is the bytes, or a function that writes to a binary file object. Refuses an
    existing ``path`` unless ``force``. ``mode`` sets the permissions (0o600: only the user).
    """
    path = Path(path)
    if path.exists() and not force:
        raise WontOverwrite(f"{path} already exists; use --force to replace it")
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(write, bytes):
                f.write(write)
            else:
                write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        if not force and path.exists():  # appeared while we wrote
            raise WontOverwrite(f"{path} already exists; use --force to replace it")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Where a change of several files waits until all of it can be made (beside the project
#: file; a folder whose name starts with a dot is never read as records).
JOURNAL = ".cepa-journal"
_MANIFEST = "manifest.json"


def write_all(root: Path, writes: list[tuple[Path, bytes]],
              deletes: Sequence[Path] = (), *, new: frozenset[Path] = frozenset()) -> None:
    """Write and delete several files as one change: all of it, or - if cepa is stopped
    half-way - either none of it or all of it on the next run (``finish``).

    Every new content is written to ``root/.cepa-journal/`` first and synced; then a
    manifest naming every change is written and synced, and that is the moment the change
    is made; then each file is renamed into place (or deleted), and the journal goes.
    ``new`` are files that must not exist yet (``WontOverwrite`` otherwise)."""
    import json

    root = Path(root)
    finish(root)
    for path in new:
        if path.exists():
            raise WontOverwrite(f"{path} already exists; use --force to replace it")
    journal = root / JOURNAL
    journal.mkdir(mode=0o700)
    try:
        plan: list[list[str | None]] = []
        for i, (path, data) in enumerate(writes):
            staged = journal / f"{i}.part"
            with open(staged, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            mode = (os.stat(path).st_mode & 0o777) if path.exists() else 0o666 & ~_umask()
            os.chmod(staged, mode)
            plan.append([str(path), staged.name])
        plan += [[str(path), None] for path in deletes]
        tmp = journal / f"{_MANIFEST}.part"
        tmp.write_text(json.dumps(plan), encoding="utf-8")
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, journal / _MANIFEST)  # the change is made
        _sync(journal)
    except BaseException:
        if not (journal / _MANIFEST).exists():
            _discard(journal)
        raise
    finish(root)


def finish(root: Path) -> str | None:
    """Complete a change of several files that was stopped half-way (every file of it
    renamed into place), or forget one that had not been made yet; what was done, or
    None when there was nothing to do."""
    import json

    journal = Path(root) / JOURNAL
    if not journal.is_dir():
        return None
    manifest = journal / _MANIFEST
    if not manifest.is_file():
        _discard(journal)
        return ("an earlier change that was stopped before it began was dropped; no "
                "file had changed")
    plan = json.loads(manifest.read_text(encoding="utf-8"))
    for target, staged in plan:
        path = Path(target)
        if staged is None:
            path.unlink(missing_ok=True)
        elif (journal / staged).exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(journal / staged, path)
    for folder in {Path(t).parent for t, _ in plan}:
        if folder.is_dir():
            _sync(folder)
    _discard(journal)
    return f"finished an earlier change that was stopped half-way ({len(plan)} file(s))"


def _discard(journal: Path) -> None:
    import shutil

    shutil.rmtree(journal, ignore_errors=True)


def _sync(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
