"""The loader's fast path (libyaml's composer) gives exactly what the event walk gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from cepa.records import loader

REPO = Path(__file__).resolve().parent.parent

TEXTS = [
    "id: a\ntotal: 45\nratio: 0.5\nflag: true\nnothing: ~\nempty:\n",
    "country: NO\nanswer: yes\nquoted: '12'\nsci: 1e3\nneg: -4\nplus: +4\noct: 012\n",
    "a: {b: [1, 2, {c: d}], e: \"x\\ty\"}\n",
    "notes: >-\n  folded\n  text\nblock: |\n  kept\n  lines\n",
    "a: 1\na: 2\n",
    "2005: x\n",
    "? [a, b]\n: c\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: !custom 1\n",
    "---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "- a\n- b\n",
    "just text\n",
    "",
    "# only a comment\n",
    'a: "bell \\a"\n',
    "a: [unclosed\n",
    "a: b: c\n",
    "\ufeffa: 1\n",
    "title: Tom & Jerry * stars!\n",
    "a:\n" + "".join("  " * i + f"- l{i}:\n" for i in range(1, 30)),
    "x: " + "[" * 30 + "]" * 30 + "\n",
    "'quoted key': 1\n\"double\": 2\nnull: 3\n",
    "true: 1\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_fast_path_equals_event_walk(text: str) -> None:
    data = text.encode("utf-8")
    fast = loader.load(data, "f.yaml")
    exact = loader.load(data, "f.yaml", positions=True)  # positions: always the event walk
    assert repr(fast.value) == repr(exact.value)
    assert fast.problems == exact.problems


def test_shipped_records_take_the_fast_path_and_agree() -> None:
    files = sorted((REPO / "records").rglob("*.yaml"))
    assert files
    for p in files:
        data = p.read_bytes()
        text, _ = loader.decode(data, str(p))
        assert text is not None
        fast = loader._compose(text)
        exact = loader.load(data, str(p), positions=True)
        if fast is not None:
            assert repr(fast) == repr(exact.value), p
    records = [p for p in files if p.name != "cepa-project.yaml"]
    assert sum(loader._compose(p.read_text(encoding="utf-8")) is not None
               for p in records) == len(records)
