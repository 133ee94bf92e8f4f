"""The parse cache: a second run may skip parsing, but never serves a stale record."""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

import pytest

from cepa.evidence.checks import problems as validate
from cepa.records import cache, loader
from cepa.records import workspace as project

SEMINAR = Path("seminars") / "uk-seminar-2005-06.yaml"


@pytest.fixture(autouse=True)
def trust_fresh_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test are seconds old; let the cache take them all the same."""
    monkeypatch.setattr(cache, "RACY_NS", 0)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The record files the YAML loader actually parses (the project file is not cached)."""
    seen: list[str] = []
    real = loader.load

    def counting(data: bytes, path: str, **kw: Any) -> loader.Loaded:
        if not path.endswith(project.PROJECT_FILE):
            seen.append(path)
        return real(data, path, **kw)

    monkeypatch.setattr(loader, "load", counting)
    return seen


def titles(root: Path) -> dict[str, str]:
    ws = project.load(root)
    return {e.record.id: e.record.title for e in ws.entries}


def test_second_run_is_served_from_the_cache(agis: Path, parses: list[str]) -> None:
    first = project.load(agis)
    assert (agis / ".cepa-cache" / cache.FILE).is_file()
    n = len(parses)
    assert n == len(first.entries)
    second = project.load(agis)
    assert len(parses) == n, "nothing is parsed again"
    assert [e.record for e in second.entries] == [e.record for e in first.entries]
    assert validate(second) == validate(first) == []


def test_a_changed_file_of_the_same_size_is_read_again(agis: Path) -> None:
    p = agis / SEMINAR
    before = titles(agis)
    old = p.read_bytes()
    new = old.replace(b"UK expert seminar 1 on", b"UK expert seminar 7 on")
    assert len(new) == len(old) and new != old
    st = p.stat()
    p.write_bytes(new)
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    after = titles(agis)
    assert after["uk-seminar-2005-06"]["en"] == "UK expert seminar 7 on inter-agency working"
    assert {k: v for k, v in after.items() if k != "uk-seminar-2005-06"} == {
        k: v for k, v in before.items() if k != "uk-seminar-2005-06"}


def test_an_added_file_is_read(agis: Path) -> None:
    titles(agis)
    text = (agis / SEMINAR).read_text(encoding="utf-8")
    (agis / "seminars" / "extra.yaml").write_text(
        text.replace("id: uk-seminar-2005-06", "id: extra-seminar"), encoding="utf-8")
    assert "extra-seminar" in titles(agis)


def test_a_deleted_file_is_gone(agis: Path) -> None:
    assert "uk-seminar-2005-06" in titles(agis)
    (agis / SEMINAR).unlink()
    assert "uk-seminar-2005-06" not in titles(agis)
    entries = cache.read_entries(agis)
    assert entries and not any("uk-seminar-2005-06" in k for k in entries), \
        "the cache forgets it too"


def test_a_file_that_becomes_broken_is_reported_every_time(agis: Path) -> None:
    titles(agis)
    p = agis / SEMINAR
    p.write_text(p.read_text(encoding="utf-8").replace("total: 45", "total: [45"),
                 encoding="utf-8")
    for _ in range(2):
        codes = {x.code for x in validate(project.load(agis))}
        assert "yaml-syntax" in codes


def test_schema_problems_come_back_on_a_warm_run(agis: Path) -> None:
    p = agis / SEMINAR
    p.write_text(p.read_text(encoding="utf-8").replace("total: 45", "total: -45"),
                 encoding="utf-8")
    cold = validate(project.load(agis))
    warm = validate(project.load(agis))
    assert cold == warm and "negative-count" in {x.code for x in cold}


@pytest.mark.parametrize("content", [
    b"", b"not marshal at all \x00\xff", marshal.dumps([1, 2, 3]),
    marshal.dumps({"stamp": "cepa 0.0.0 format 0", "entries": {}}),
])
def test_a_corrupt_or_foreign_cache_is_ignored(agis: Path, content: bytes,
                                               parses: list[str]) -> None:
    folder = agis / ".cepa-cache"
    folder.mkdir()
    (folder / cache.FILE).write_bytes(content)
    ws = project.load(agis)
    assert len(parses) == len(ws.entries) and validate(ws) == []


def test_cache_entries_of_the_wrong_shape_are_ignored(agis: Path, parses: list[str]) -> None:
    project.load(agis)
    path = agis / ".cepa-cache" / cache.FILE
    header, _, _ = path.read_bytes().partition(b"\n")
    path.write_bytes(header + b"\n" + marshal.dumps(
        {"entries": {k: "junk" for k in cache.read_entries(agis)}}))
    parses.clear()
    ws = project.load(agis)
    assert len(parses) == len(ws.entries) and validate(ws) == []


def test_another_cepa_version_starts_afresh(agis: Path, parses: list[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    project.load(agis)
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    parses.clear()
    ws = project.load(agis)
    assert len(parses) == len(ws.entries)


def test_a_folder_that_cannot_be_written_is_not_cached_in(agis: Path) -> None:
    (agis / ".cepa-cache").write_text("a file where the folder would go", encoding="utf-8")
    ws = project.load(agis)
    assert validate(ws) == [] and len(ws.entries) == 30


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs file permissions that bind the user")
def test_a_read_only_project_is_read(agis: Path) -> None:
    agis.chmod(0o555)
    try:
        ws = project.load(agis)
        assert validate(ws) == [] and not (agis / ".cepa-cache").exists()
    finally:
        agis.chmod(0o755)


def test_recent_files_are_not_cached(agis: Path, monkeypatch: pytest.MonkeyPatch,
                                     parses: list[str]) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 3600 * 10**9)
    project.load(agis)
    parses.clear()
    project.load(agis)
    assert parses, "files changed within the racy window are parsed every time"


def test_the_cache_can_be_turned_off(agis: Path) -> None:
    project.load(agis, cache=False)
    assert not (agis / ".cepa-cache").exists()


def test_the_cache_folder_is_not_read_as_records(agis: Path) -> None:
    project.load(agis)
    assert (agis / ".cepa-cache" / ".gitignore").is_file()
    ws = project.load(agis)
    assert not [p for p in ws.problems if ".cepa-cache" in p.path]


@pytest.mark.parametrize("form", ["absolute", "dot", "relative", "parent", "inside"])
def test_paths_and_cache_keys_do_not_depend_on_how_root_is_written(
        agis: Path, monkeypatch: pytest.MonkeyPatch, form: str) -> None:
    cwd = {"absolute": agis.parent, "dot": agis, "relative": agis.parent,
           "parent": agis / "seminars", "inside": agis / "seminars"}[form]
    root = {"absolute": agis, "dot": Path("."), "relative": Path("agis"),
            "parent": Path(".."), "inside": agis}[form]
    monkeypatch.chdir(cwd)
    for _ in range(2):  # cold, then from the cache
        ws = project.load(root)
        assert sorted(e.path for e in ws.entries) == sorted(
            project.display(Path(p)) for _, p in project.walk(root).files)
        assert validate(ws) == [] and len(ws.entries) == 30
    assert str(SEMINAR) in cache.read_entries(agis)
