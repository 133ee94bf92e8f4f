"""cepa: keep a grant-funded project's evidence as YAML records, and report from it.

From Python: ``cepa.open("records")`` gives the project's records, summary, coverage and
tidy pandas DataFrames (see cepa/api.py); ``cepa.open("a", "b", ...)`` a programme of
several projects. ``import cepa`` itself loads nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from cepa.api import Evidence, Programme

from cepa.base import __version__

__all__ = ["__version__", "open"]


def open(path: str | Path = ".", *more: str | Path  # noqa: A001 - reads like open()
         ) -> Evidence | Programme:
    """Load the project at (or above) ``path`` for analysis; with more paths, a programme
    of several projects (``Programme``: their frames together, one code per country)."""
    from cepa.api import open_project, open_projects

    if more:
        return open_projects([path, *more])
    return open_project(path)
