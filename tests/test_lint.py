"""The code is kept clean: ruff and mypy run as part of the test suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def test_ruff() -> None:
    r = subprocess.run([_tool("ruff"), "check", "cepa", "tests"], cwd=REPO,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy() -> None:
    r = subprocess.run([_tool("mypy")], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_dead_code() -> None:
    """No function, method, class or import that nothing uses (vulture; the whitelist
    names what only frameworks and users call)."""
    r = subprocess.run([sys.executable, "-m", "vulture", "cepa", "tests/vulture_whitelist.py",
                        "--min-confidence", "60"], cwd=REPO, capture_output=True, text=True)
    dead = [line for line in r.stdout.splitlines()
            if any(f"unused {what}" in line for what in ("function", "method", "class",
                                                         "property", "import"))]
    assert not dead, "\n".join(dead)
