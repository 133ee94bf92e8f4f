"""The stages import one way, and what lays figures out never computes them.

The import contracts live in pyproject.toml ([tool.importlinter]); import-linter checks
them here, and a copy of the package with one wrong import shows that they would catch it.
The report's templates only format: no arithmetic, no counting, no summing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cepa.document.templates import arithmetic, shipped
from tests.conftest import REPO


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).parent / "lint-imports"
    return subprocess.run([str(tool) if tool.exists() else "lint-imports", "--no-cache"],
                          cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


def test_the_import_contracts_hold() -> None:
    r = _lint(REPO)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Contracts: 4 kept, 0 broken." in r.stdout


@pytest.mark.parametrize(("module", "line", "rule"), [
    # an upward import: the evidence stage asking the document for words
    ("cepa/evidence/periods.py", "from cepa.document import language  # noqa\n",
     "The stages import one way"),
    # a writer adding figures up itself
    ("cepa/writers/terminal.py", "from cepa.evidence.figures import Tally  # noqa\n",
     "Writers lay out a document"),
    # a circle: a base module importing a stage above it, inside a function
    ("cepa/base/dates.py", "def _f():\n    from cepa.records import model  # noqa\n",
     "The stages import one way"),
])
def test_a_wrong_import_fails_naming_its_rule(tmp_path: Path, module: str, line: str,
                                              rule: str) -> None:
    shutil.copytree(REPO / "cepa", tmp_path / "cepa",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / module
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line, encoding="utf-8")
    r = _lint(tmp_path)
    assert r.returncode != 0
    broken = r.stdout.split("Broken contracts")[-1]
    assert rule in " ".join(broken.split()), r.stdout


@pytest.mark.parametrize("template", sorted(p.name for p in (shipped() / "report").glob("*.j2")))
def test_templates_only_format(template: str) -> None:
    source = (shipped() / "report" / template).read_text(encoding="utf-8")
    assert arithmetic(source) == [], f"{template} computes; give the value from the document"


@pytest.mark.parametrize("source", [
    "{{ a + b }}", "{{ seminars - 1 }}", "{{ rows | length }}", "{{ xs | sum }}",
    "{{ (records.seminars or records.events) * 2 }}", "{% for x in range(3) %}{% endfor %}",
])
def test_the_template_check_catches_computing(source: str) -> None:
    assert arithmetic(source)
