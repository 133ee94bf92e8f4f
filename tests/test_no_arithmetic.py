"""Outputs render figures; only the core adds them up.

Every figure of every output comes from the aggregation core (cepa/figures.py's Tally), so
a figure reads the same everywhere and the publication gate sees every one. This test
reads the renderers' code and fails on any arithmetic on a figure's value or number.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

RENDERERS = ["cepa/document/tables.py", "cepa/document/report.py", "cepa/document/book.py",
             "cepa/writers/charts.py",
             "cepa/api.py", *sorted(str(p.relative_to(REPO))
                                    for p in (REPO / "cepa" / "commands").glob("*.py"))]
FIGURE_PARTS = {"value", "number", "total", "unrecorded"}


def _touches_figure(node: ast.AST) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Attribute) and n.attr in FIGURE_PARTS:
            return True
        if isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) \
                and n.slice.value in ("value", "total"):
            return True
    return False


def _text_or_list(node: ast.AST) -> bool:
    """Joining text or lists is not adding figures up."""
    return isinstance(node, ast.List | ast.ListComp | ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str))


@pytest.mark.parametrize("path", RENDERERS)
def test_no_figure_arithmetic_outside_the_core(path: str) -> None:
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub) \
                and not _text_or_list(node.left) and not _text_or_list(node.right) \
                and (_touches_figure(node.left) or _touches_figure(node.right)):
            bad.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "sum" and any(_touches_figure(a) for a in node.args):
            bad.append(node.lineno)
    assert not bad, f"{path}: figures added up at line(s) {bad}; do it in cepa/figures.py"


def test_the_check_catches_a_sum() -> None:
    code = "def f(s):\n    return s.attendance.total.value + s.feedback.young_people.value\n"
    tree = ast.parse(code)
    assert any(isinstance(n, ast.BinOp) and _touches_figure(n) for n in ast.walk(tree))


def test_the_list_of_renderers_exists() -> None:
    assert all(Path(REPO / p).is_file() for p in RENDERERS)
