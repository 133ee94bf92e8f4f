"""The loader: safe, strict, and it never raises for anything a file can hold."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cepa.records.loader import load


def codes(data: bytes) -> list[str]:
    return [p.code for p in load(data, "f.yaml").problems]


def test_plain_values_follow_cepas_rules() -> None:
    r = load(b"a: 1\nb: NO\nc: yes\nd: 2006-02-30\ne: 1.5\nf: true\ng:\nh: '7'\n", "f.yaml")
    assert r.value == {"a": 1, "b": "NO", "c": "yes", "d": "2006-02-30", "e": 1.5, "f": True,
                       "g": None, "h": "7"}
    assert r.problems == []


def test_octal_and_sexagesimal_stay_text() -> None:
    assert load(b"a: 010\nb: 1:30\nc: 0x1F\n", "f").value == {"a": "010", "b": "1:30",
                                                              "c": "0x1F"}


@pytest.mark.parametrize(("data", "code", "line"), [
    (b"a: 1\na: 2\n", "duplicate-key", 2),
    (b"a: &x [1]\nb: *x\n", "alias", 1),
    (b"x: !!python/object:os.system 1\n", "tag", 1),
    (b"x: !custom 1\n", "tag", 1),
    (b"", "empty-file", 1),
    (b"# only a comment\n", "empty-file", 1),
    (b"a: 1\n---\nb: 2\n", "multiple-documents", 2),
    (b"- 1\n- 2\n", "not-a-mapping", 1),
    (b"just text\n", "not-a-mapping", 1),
    (b"a: " + b"[" * 100 + b"]" * 100, "too-deep", 1),
    (b"a: \"\\x01\"\n", "control-character", 1),
    (b"a: 1\nb: x\x07y\n", "control-character", 2),
    (b"a: 1\nb: caf\xe9\n", "not-utf8", 2),
    (b"a: [unclosed\n", "yaml-syntax", 2),
    (b"? [a, b]\n: 1\n", "complex-key", 1),
])
def test_hostile_and_broken_files_give_one_clear_problem(data: bytes, code: str,
                                                         line: int) -> None:
    r = load(data, "f.yaml")
    assert [p.code for p in r.problems] == [code]
    assert r.problems[0].line == line
    assert str(r.problems[0]).startswith(f"f.yaml:{line}:")


def test_utf8_bom_is_fine() -> None:
    assert load(b"\xef\xbb\xbfa: 1\n", "f").value == {"a": 1}


def test_not_utf8_message_says_how_to_fix() -> None:
    (p,) = load("title: Café\n".encode("cp1252"), "r.yaml").problems
    assert "not UTF-8" in p.message and "re-save" in p.message


def test_oversized_file_is_refused_before_parsing() -> None:
    r = load(b"a: 1\n" * 1000, "f", max_bytes=100)
    assert [p.code for p in r.problems] == ["too-large"]


def test_alias_bomb_is_cheap() -> None:
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}]\n".encode() for i in range(9))
    assert len(bomb) < 600
    tracemalloc.start()
    t = time.perf_counter()
    r = load(bomb, "bomb.yaml")
    elapsed = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [p.code for p in r.problems] == ["alias"]
    assert elapsed < 1 and peak < 10_000_000


def test_deep_nesting_does_not_crash() -> None:
    r = load(b"a: " + b"[" * 200_000, "deep.yaml")
    assert [p.code for p in r.problems] == ["too-deep"]


def test_positions_are_one_based_lines_and_columns() -> None:
    r = load(b"a:\n  b: 1\n  c:\n    - x\n", "f", positions=True)
    assert r.where(("a", "b")) == (2, 3)
    assert r.where(("a", "c", 0)) == (4, 7)
    assert r.where(("a", "missing")) == (1, 1)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_value_or_problems(data: bytes) -> None:
    r = load(data, "fuzz.yaml")
    assert isinstance(r.value, dict) or r.problems


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
_yamlish = st.recursive(_scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(
    st.text(max_size=8), c, max_size=4), max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(_yamlish)
def test_arbitrary_yaml_gives_plain_values_or_problems(value: object) -> None:
    import yaml

    text = yaml.safe_dump({"v": value}, allow_unicode=True)
    r = load(text.encode("utf-8"), "fuzz.yaml")
    if r.value is not None:
        assert _plain(r.value)
    else:
        assert r.problems


def _plain(v: object) -> bool:
    if isinstance(v, dict):
        return all(isinstance(k, str) and _plain(x) for k, x in v.items())
    if isinstance(v, list):
        return all(_plain(x) for x in v)
    return v is None or isinstance(v, bool | int | float | str)
