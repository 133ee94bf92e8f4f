"""Writing files without losing anything: never over a user's file unless asked, never half.

Everything cepa writes goes to a temporary file in the target folder and is then
renamed over the target, so a failure leaves the old file intact and no partial one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
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
