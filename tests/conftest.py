"""Shared fixtures: the shipped records, and project trees built from dicts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

#: Property tests: derandomized in CI (the same examples on every run, so a red CI is never
#: luck), random locally to explore; HYPOTHESIS_PROFILE picks one by hand.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI")
                                                                else "dev"))

REPO = Path(__file__).resolve().parent.parent

#: Skip the LibreOffice tests on a developer's machine without it; never in CI, where
#: .ci/run installs it and a missing install step must fail, not pass quietly.
NO_LIBREOFFICE = not os.environ.get("CI") and (
    shutil.which("soffice") is None or shutil.which("pdftotext") is None)
RECORDS = REPO / "records"


def load_script(path: Path):  # type: ignore[no-untyped-def]
    """A script of the repository (benchmarks/, templates/) imported as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def build_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root``; return ``root``."""
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def agis(tmp_path: Path) -> Path:
    """A private copy of the shipped AGIS records, free to break."""
    dest = tmp_path / "agis"
    shutil.copytree(RECORDS, dest, ignore=shutil.ignore_patterns(".cepa-cache"))
    return dest


def edit_yaml(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Load a YAML file, let ``change`` modify the data, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
