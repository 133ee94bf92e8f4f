"""Writing files without losing anything: never over a user's file unless asked, never half.

Everything cepa writes goes to a temporary file in the target folder and is then
renamed over the target, so a failure leaves the old file intact and no partial one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO


class WontOverwrite(Exception):
    """The target exists and the user did not say --force."""


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


def write_schemas(folder: Path, kinds: Iterable[str]) -> list[Path]:
    """Write each kind's JSON Schema as ``folder/<singular>.json`` (generated files)."""
    from cepa.kinds import json_schema, singular

    out = []
    for kind in kinds:
        name = singular(kind)
        data = json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
        out.append(atomic_write(folder / f"{name}.json", data.encode(), force=True))
    return out
