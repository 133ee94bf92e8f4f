"""Start-up stays light: `cepa --help` imports no data or document libraries."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "openpyxl", "docx", "matplotlib", "numpy")


def test_cli_import_pulls_in_nothing_heavy() -> None:
    run = subprocess.run([sys.executable, "-X", "importtime", "-c", "import cepa.cli"],
                         capture_output=True, text=True, check=True)
    # stderr lines: "import time: self [us] | cumulative | imported package"
    modules = {line.rsplit("|", 1)[-1].strip().split(".")[0]
               for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert modules, run.stderr[:500]
    assert not modules & set(HEAVY), f"imported at start-up: {sorted(modules & set(HEAVY))}"


def test_help_works() -> None:
    run = subprocess.run([sys.executable, "-m", "cepa", "--help"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "validate" in run.stdout and "summarize" in run.stdout
