"""The enumerating attacker (tests/attacker.py) against a family of small projects.

Each project is attacked with cepa's own pipeline run over every candidate set of the
counts the attacker does not know: both versions of the project (the first holding the
records of the interim period only), every reporting period, every output and --by, and
the roll-up with another project. For every set of outputs, every count of 1 to the
threshold must keep at least ``threshold`` possible values among the candidates that give
exactly those outputs. Thresholds are small (3, base 2) so that the candidates stay few.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.attacker import (
    Rec,
    Shape,
    attacked,
    breaches,
    enumerate_outputs,
)

FAMILY = [
    # two periods, two versions, a record with a breakdown that comes later
    Shape("periods", (Rec("feedback", "f1", "2021-03", "LV"),
                      Rec("feedback", "f2", "2022-05", "LV", ("13-15", "16-17"),
                          early=False)), tuple(range(9))),
    # two kinds (children counted apart, and together in the coverage matrix)
    Shape("kinds", (Rec("feedback", "f1", "2021-03", "LV"),
                    Rec("outcomes", "o1", "2021-06", "LV"),
                    Rec("outcomes", "o2", "2022-02", "LT", early=False)), tuple(range(9))),
    # issue 20, attack 2: two records in one country, one in another
    Shape("countries", (Rec("feedback", "r1", "2021-03", "LV"),
                        Rec("feedback", "r2", "2021-04", "LV"),
                        Rec("feedback", "r3", "2021-05", "LT")), tuple(range(9))),
    # a record's change in risk, every part unknown
    Shape("risk", (Rec("outcomes", "o1", "2021-06", "LV",
                       ("reduced", "unchanged", "increased", "not_known"),
                       breakdown="risk"),), tuple(range(7))),
]


@pytest.mark.parametrize("shape", FAMILY, ids=[s.name for s in FAMILY])
def test_the_enumerating_attacker_finds_nothing(tmp_path: Path, shape: Shape) -> None:
    a = attacked(tmp_path, shape)
    groups = enumerate_outputs(a)
    assert len(groups) > 1  # the outputs do say something
    found = breaches(a, groups)
    assert not found, found[:5]


def test_the_attacker_finds_what_a_careless_plan_gives_away(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The attacker can fail: with each count published in its plain class (no merging,
    what a gate that looks at no other count would do), it pins a small count."""
    from cepa.publication.plan import Block

    real = Block.plan
    monkeypatch.setattr(Block, "plan", lambda self, merge=True: real(self, False))
    monkeypatch.setattr(Block, "unsafe_ranges", lambda self: [])  # and no check after it
    shape = Shape("careless", (Rec("feedback", "r1", "2021-03", "LV"),
                               Rec("feedback", "r2", "2021-04", "LT")), tuple(range(9)))
    a = attacked(tmp_path, shape)
    assert breaches(a, enumerate_outputs(a, workers=1))


def test_outputs_the_attacker_cannot_tell_apart_are_the_same_in_every_format(
        tmp_path: Path) -> None:
    """Two sets of counts the attacker finds consistent with each other give every public
    output byte for byte the same: summarize in each format and by each field, coverage,
    the report, the workbook, CSV and JSON, the roll-up."""
    shape = FAMILY[0]
    a = attacked(tmp_path / "a", shape)
    groups = enumerate_outputs(a)
    first, second = next(g for g in groups.values() if len(g) > 1)[:2]
    from tests.attacker import TOTAL, build

    texts = []
    for values in (first, second):
        truth = dict(zip(a.leaves, values, strict=True))
        root = tmp_path / "same"
        if root.exists():
            import shutil

            shutil.rmtree(root)
        project = build(root / "p", shape, "ATT/1", truth)
        other = build(root / "o", Shape("o", (Rec("feedback", "x1", "2021-05", "EE"),
                                              Rec("outcomes", "x2", "2022-02", "EE")),
                                        shape.values, shape.threshold, shape.base),
                      "OTHER/2", {("x1", TOTAL): 5, ("x2", TOTAL): 9})
        texts.append(_every_output(project, other, root / "out"))
    assert texts[0] == texts[1]


def _every_output(project: Path, other: Path, out: Path) -> dict[str, str]:
    from typer.testing import CliRunner

    from cepa.cli import app
    from tests.test_public_numbers import _docx_text, _xlsx_text

    runner = CliRunner()
    got: dict[str, str] = {}

    def run(*args: str) -> str:
        r = runner.invoke(app, list(args))
        assert r.exit_code == 0, r.output
        return r.stdout

    out.mkdir(parents=True)
    for period in ([], ["--period", "interim"]):
        tag = " ".join(period)
        for fmt in ("table", "json", "csv", "markdown"):
            got[f"summarize {fmt} {tag}"] = run("summarize", str(project), "--public", "-f",
                                                fmt, *period)
            got[f"coverage {fmt} {tag}"] = run("coverage", str(project), "--public", "-f",
                                               fmt, *period)
        for field in ("activity", "country", "partner", "year", "kind", "city", "mode",
                      "age_band"):
            got[f"by {field} {tag}"] = run("summarize", str(project), "--public", "--by",
                                           field, "--kind", "all", "-f", "json", *period)
        name = tag.replace(" ", "-") or "whole"
        run("report", str(project), "--public", "-o", str(out / f"{name}.docx"), *period)
        got[f"report {tag}"] = _docx_text(out / f"{name}.docx")
        run("export", str(project), "--public", "-o", str(out / f"{name}.xlsx"), *period)
        got[f"xlsx {tag}"] = _xlsx_text(out / f"{name}.xlsx")
        run("export", str(project), "--public", "-f", "json", "-o", str(out / f"{name}.json"),
            *period)
        got[f"json {tag}"] = (out / f"{name}.json").read_text()
    for fmt in ("table", "json"):
        got[f"roll-up {fmt}"] = run("summarize", str(project), str(other), "--public",
                                    "-f", fmt)
    return got


def test_the_attacker_runs_in_its_own_process_too() -> None:
    """The attacker's helper module imports cleanly on its own (the workers fork it)."""
    r = subprocess.run([sys.executable, "-c", "import tests.attacker"], capture_output=True,
                       text=True, cwd=Path(__file__).parent.parent)
    assert r.returncode == 0, r.stderr
