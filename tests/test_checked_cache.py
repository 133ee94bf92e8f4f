"""The cache of checked results: a warm validate prints the stored answer, a changed file is
checked again (and the checks across records from stored facts), and nothing stale, foreign
or corrupt is ever trusted."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cepa.base.problems import Problem
from cepa.cli import app
from cepa.evidence import checks
from cepa.records import cache, checked, loader
from cepa.records import workspace as project
from cepa.records.files import PROJECT_FILE

SEMINAR = Path("seminars") / "uk-seminar-2005-06.yaml"


@pytest.fixture(autouse=True)
def trust_fresh_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test are seconds old; let the caches take them all the same."""
    monkeypatch.setattr(cache, "RACY_NS", 0)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The record files a run reads and checks again (not the project file)."""
    seen: list[str] = []
    real = project.Workspace.read

    def counting(ws: project.Workspace, i: int, **kw: Any) -> Any:
        seen.append(Path(ws.listed[i].shown).name)
        return real(ws, i, **kw)

    monkeypatch.setattr(project.Workspace, "read", counting)
    return seen


def fresh(root: Path) -> list[Problem]:
    """What a run that trusts no cache finds."""
    return checks.validate_root(root, cache=False).problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    st = path.stat()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # a new stamp even on a file system with coarse times
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def codes(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(Path(p.path).name, p.code) for p in problems}


def test_nothing_changed_is_answered_from_the_cache(agis: Path, parses: list[str]) -> None:
    first = checks.validate_root(agis)
    assert len(parses) == 30
    assert checked.answer(agis, loader.MAX_BYTES) is not None
    parses.clear()
    again = checks.validate_root(agis)
    assert parses == [] and again.problems == first.problems == fresh(agis) == []
    assert again.files == first.files == 30


def test_a_warm_answer_does_not_load_the_record_model(agis: Path) -> None:
    import subprocess
    import sys

    checks.validate_root(agis)
    code = ("import sys; from pathlib import Path; import cepa.records.cache as c; "
            "c.RACY_NS = 0; from cepa.records.checked import answer; "
            f"r = answer(Path({str(agis)!r}), 1 << 20); "
            "print(r is not None, 'pydantic' in sys.modules, 'yaml' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert run.stdout.split() == ["True", "False", "False"], run.stdout + run.stderr


def test_one_file_changed_is_checked_again_alone(agis: Path, parses: list[str]) -> None:
    checks.validate_root(agis)
    parses.clear()
    edit(agis / SEMINAR, "total: 45", "total: 46")  # its breakdowns no longer add up
    result = checks.validate_root(agis)
    assert parses == [SEMINAR.name]
    assert ("uk-seminar-2005-06.yaml", "breakdown-mismatch") in codes(result.problems)
    assert result.problems == fresh(agis)
    parses.clear()
    edit(agis / SEMINAR, "total: 46", "total: 45")
    assert checks.validate_root(agis).problems == []
    assert parses == [SEMINAR.name]
    assert fresh(agis) == []


def test_a_change_reaches_the_checks_across_records(agis: Path, parses: list[str]) -> None:
    """The other files are not read again, but what they say still counts: the claim and
    the known total over three seminars, an id another file uses."""
    checks.validate_root(agis)
    parses.clear()
    path = agis / SEMINAR
    text = path.read_text(encoding="utf-8")
    edit(path, "id: uk-seminar-2005-06", "id: uk-seminar-2005-12")
    result = checks.validate_root(agis)
    assert parses == [SEMINAR.name]
    found = codes(result.problems)
    assert ("uk-seminar-2005-06.yaml", "duplicate-id") in found \
        or ("uk-seminar-2005-12.yaml", "duplicate-id") in found
    assert (PROJECT_FILE, "unknown-reference") in found  # the known total names it
    assert result.problems == fresh(agis)
    path.write_text(text, encoding="utf-8")
    assert checks.validate_root(agis).problems == fresh(agis) == []


def test_a_claim_is_judged_on_stored_facts(agis: Path, parses: list[str]) -> None:
    checks.validate_root(agis)
    parses.clear()
    seminar = agis / SEMINAR
    text = seminar.read_text(encoding="utf-8")
    start = text.index("participants:")
    # a seminar of 45 becomes one of 20: 127 UK participants no longer add up
    block = text[start:text.index("\n", text.index("total:", start))]
    seminar.write_text(text.replace(block, "participants:\n  total: 20"), encoding="utf-8")
    result = checks.validate_root(agis)
    assert parses == [SEMINAR.name]
    assert (PROJECT_FILE, "claim-contradicted") in codes(result.problems)
    assert result.problems == fresh(agis)


def test_a_file_added_or_removed(agis: Path, parses: list[str]) -> None:
    checks.validate_root(agis)
    parses.clear()
    extra = agis / "seminars" / "extra.yaml"
    extra.write_text((agis / SEMINAR).read_text(encoding="utf-8"), encoding="utf-8")
    added = checks.validate_root(agis)
    assert parses == ["extra.yaml"]
    assert (SEMINAR.name, "duplicate-id") in codes(added.problems)  # extra.yaml is first
    assert added.files == 31 and added.problems == fresh(agis)
    parses.clear()
    extra.unlink()
    (agis / SEMINAR).unlink()
    removed = checks.validate_root(agis)
    assert parses == [] and removed.files == 29
    assert (PROJECT_FILE, "unknown-reference") in codes(removed.problems)
    assert removed.problems == fresh(agis)


def test_a_changed_project_file_checks_every_record_again(agis: Path,
                                                          parses: list[str]) -> None:
    checks.validate_root(agis)
    parses.clear()
    edit(agis / PROJECT_FILE, "  - id: 1\n", "  - id: 9\n")  # objective 1 renamed
    result = checks.validate_root(agis)
    assert len(parses) == 30  # the records are judged against another project file
    assert ("uk-seminar-2005-06.yaml", "unknown-reference") in codes(result.problems)
    assert result.problems == fresh(agis)


def test_results_of_another_version_are_never_trusted(agis: Path, parses: list[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    checks.validate_root(agis)
    parses.clear()
    monkeypatch.setattr(checked, "_SOURCE", ["another cepa"])
    assert checked.answer(agis, loader.MAX_BYTES) is None
    assert checks.validate_root(agis).problems == []
    assert len(parses) == 30
    monkeypatch.setattr(checked, "__version__", "99.0")  # its file header says so too
    assert checked.CheckedCache(agis, checked.Key.of(agis, project.names(),
                                                     loader.MAX_BYTES)).results() == {}


def test_other_conditions_are_other_results(agis: Path, parses: list[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems name files from the folder cepa runs in, and --max-bytes decides what is
    read: results are kept for one of each."""
    checks.validate_root(agis)
    assert checked.answer(agis, 100) is None
    monkeypatch.chdir(agis / "seminars")
    assert checked.answer(agis, loader.MAX_BYTES) is None
    parses.clear()
    assert checks.validate_root(agis).problems == [] and len(parses) == 30


def test_a_corrupt_cache_is_ignored_with_a_warning(agis: Path, parses: list[str]) -> None:
    checks.validate_root(agis)
    parses.clear()
    head = agis / ".cepa-cache" / checked.FILE
    data = head.read_bytes()
    head.write_bytes(data[: data.index(b"\n") + 1] + b"\x00garbage")
    result = checks.validate_root(agis)
    assert result.problems == [] and len(parses) == 30
    assert len(result.notes) == 1 and "is ignored" in result.notes[0]
    # the next run has a good cache again, and nothing to say about it
    assert checks.validate_root(agis).notes == []
    facts = agis / ".cepa-cache" / checked.FACTS
    facts.write_bytes(facts.read_bytes()[:-20])
    edit(agis / SEMINAR, "total: 45", "total: 45 ")
    assert checks.validate_root(agis).problems == []


def test_the_cli_says_a_cache_was_corrupt(agis: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["validate", str(agis)]).exit_code == 0
    (agis / ".cepa-cache" / checked.FILE).write_bytes(b"not a cache\n")
    r = runner.invoke(app, ["validate", str(agis)])
    assert r.exit_code == 0
    assert "warning: the cache of checked results" in r.stderr
    assert "checked again" in r.stderr


def test_the_cache_is_private(agis: Path) -> None:
    old = os.umask(0o022)
    try:
        checks.validate_root(agis)
    finally:
        os.umask(old)
    folder = agis / ".cepa-cache"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in (checked.FILE, checked.FACTS):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600


def test_a_cache_copied_from_another_folder_is_not_read(agis: Path, tmp_path: Path,
                                                        parses: list[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    checks.validate_root(agis)
    other = tmp_path / "other"
    shutil.copytree(agis, other)  # the cache comes along, and names agis's folder
    import marshal

    called: list[int] = []
    real = marshal.loads

    def loads(data: Any) -> Any:
        called.append(1)
        return real(data)

    monkeypatch.setattr(marshal, "loads", loads)
    parses.clear()
    result = checks.validate_root(other)
    assert result.problems == [] and len(parses) == 30
    assert any("another folder" in n for n in result.notes)
    assert called == []


def test_a_link_in_place_of_a_cache_file_is_not_followed(agis: Path, tmp_path: Path) -> None:
    checks.validate_root(agis)
    secret = tmp_path / "secret"
    secret.write_bytes(b"do not overwrite")
    head = agis / ".cepa-cache" / checked.FILE
    head.unlink()
    head.symlink_to(secret)
    result = checks.validate_root(agis)
    assert result.problems == []
    assert secret.read_bytes() == b"do not overwrite"


def test_a_file_changed_just_now_is_not_trusted(agis: Path, parses: list[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 3_600 * 1_000_000_000)  # everything is "just now"
    checks.validate_root(agis)
    parses.clear()
    assert checked.answer(agis, loader.MAX_BYTES) is None
    checks.validate_root(agis)
    assert len(parses) == 30


def test_the_answer_expires_when_an_activity_falls_due(agis: Path) -> None:
    edit(agis / PROJECT_FILE, "period: {start: 2005-01, end: 2006-12}",
         "period: {start: 2005-01, end: 2099-12}")
    first = checks.validate_root(agis)
    store = checked.CheckedCache(agis, checked.Key.of(agis, project.names(), loader.MAX_BYTES))
    ws = project.begin(agis)
    assert ws.found is not None
    stamps = checked.stamps_of(agis, ws.found)
    assert store.answer(ws.found, stamps) == first.problems
    assert store.answer(ws.found, stamps, today=dt.date(2100, 1, 1)) is None


def test_incremental_runs_agree_with_fresh_ones(agis: Path) -> None:
    """A series of edits, each checked from the cache and from scratch."""
    checks.validate_root(agis)
    steps = [
        (SEMINAR, "total: 45", "total: 44"),
        (Path("seminars") / "uk-seminar-2005-12.yaml", "id: uk-seminar-2005-12",
         "id: uk-seminar-2005-06"),
        (SEMINAR, "total: 44", "total: 45"),
        (Path("seminars") / "uk-seminar-2005-12.yaml", "id: uk-seminar-2005-06",
         "id: uk-seminar-2005-12"),
    ]
    for rel, old, new in steps:
        edit(agis / rel, old, new)
        assert checks.validate_root(agis).problems == fresh(agis)


def test_two_processes_find_what_one_does(agis: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many files are shared with a second process (on a machine with two cores); the
    answer, the stored facts and the parse cache are those of one process."""
    if not checks._can_fork():
        pytest.skip("no second core, or no fork")
    edit(agis / SEMINAR, "total: 45", "total: 46")
    (agis / "seminars" / "broken.yaml").write_text("id: [x\n", encoding="utf-8")
    one = checks.validate_root(agis, cache=False).problems
    monkeypatch.setattr(checks, "PARALLEL", 2)
    two = checks.validate_root(agis)
    assert two.problems == one and one
    assert len(cache.read_entries(agis)) == 30  # what the other process parsed is kept
    assert checks.validate_root(agis).problems == one  # and what it checked
