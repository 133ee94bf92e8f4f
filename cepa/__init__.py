"""cepa: keep a grant-funded project's evidence as YAML records, and report from it.

From Python: ``cepa.open("records")`` gives the project's records, summary, coverage and
tidy pandas DataFrames (see cepa/api.py). ``import cepa`` itself loads nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from cepa.api import Evidence

from cepa.base import __version__

__all__ = ["__version__", "open"]


def open(path: str | Path = ".") -> Evidence:  # noqa: A001 - cepa.open reads like open()
    """Load the project at (or above) ``path`` for analysis."""
    from cepa.api import open_project

    return open_project(path)
