"""The benchmark's generator writes a project that validates clean."""

from __future__ import annotations

from pathlib import Path

from cepa.evidence.checks import problems as validate
from cepa.records import workspace as project
from tests.conftest import load_script

REPO = Path(__file__).resolve().parent.parent


def _generate_module():  # type: ignore[no-untyped-def]
    return load_script(REPO / "benchmarks" / "generate.py")


def test_generated_project_validates_clean(tmp_path: Path) -> None:
    out = _generate_module().generate(200, tmp_path / "p")
    ws = project.load(out)
    assert ws.project is not None
    assert validate(ws) == []
    assert len(ws.entries) == 200
    assert {e.kind for e in ws.entries} == {"visits", "seminars", "interviews", "feedback",
                                            "outcomes"}


def test_generation_is_deterministic(tmp_path: Path) -> None:
    gen = _generate_module()
    a, b = gen.generate(50, tmp_path / "a"), gen.generate(50, tmp_path / "b")
    files = sorted(p.relative_to(a) for p in a.rglob("*.yaml"))
    assert files == sorted(p.relative_to(b) for p in b.rglob("*.yaml"))
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_large_projects_nest_subfolders(tmp_path: Path) -> None:
    gen = _generate_module()
    gen.PER_FOLDER = 20
    out = gen.generate(100, tmp_path / "p")
    assert (out / "interviews" / "0001").is_dir()
    ws = project.load(out)
    assert len(ws.entries) == 100
    assert validate(ws) == []


def test_a_programme_is_projects_of_their_own(tmp_path: Path) -> None:
    roots = _generate_module().programme(3, 20, tmp_path / "prog")
    assert [r.name for r in roots] == ["p0001", "p0002", "p0003"]
    codes = set()
    for r in roots:
        ws = project.load(r)
        assert ws.project is not None and validate(ws) == [] and len(ws.entries) == 20
        codes.add(ws.project.code)
    assert len(codes) == 3
    assert (roots[0] / "seminars").iterdir() and \
        (roots[0] / "cepa-project.yaml").read_bytes() != (roots[1] / "cepa-project.yaml"
                                                         ).read_bytes()
