"""The JSON of summarize and coverage: a documented, versioned schema every output meets."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cepa.cli import app
from cepa.evidence.results import Coverage, Summary, json_schema
from tests.conftest import RECORDS, REPO, build_tree
from tests.projects import YOUTH_NET

runner = CliRunner()
DOCS = REPO / "docs"


@pytest.mark.parametrize(("name", "root"), [("summary", Summary), ("coverage", Coverage)])
def test_shipped_schemas_are_current(name: str, root: type) -> None:
    shipped = json.loads((DOCS / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert shipped == json_schema(root), (
        f"regenerate docs/{name}.schema.json (see docs/json.md)")


@pytest.mark.parametrize("public", [False, True])
@pytest.mark.parametrize("project", ["agis", "youth-net"])
def test_every_json_output_meets_its_schema(tmp_path: Path, project: str,
                                            public: bool) -> None:
    root = RECORDS if project == "agis" else build_tree(tmp_path / "y", YOUTH_NET)
    flags = ["--public"] if public else []
    for command, name in (("summarize", "summary"), ("coverage", "coverage")):
        r = runner.invoke(app, [command, str(root), "-f", "json", *flags])
        assert r.exit_code == 0, r.output
        data = json.loads(r.stdout)
        assert data["format"].startswith(f"cepa.{name}/")
        schema = json.loads((DOCS / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
