"""Hostile record files and folders (issue 11): every one an error that names it, never a
hang, never read, never a traceback; nothing a file holds reaches a terminal unescaped."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from cepa.records import cache, checked, loader
from tests.hostile import (
    BOUNDED,
    CASES,
    PROBLEM_LINE,
    Case,
    case,
    cli,
    limits,  # noqa: F401 - a fixture
    run_bounded,
)

pytestmark = pytest.mark.usefixtures("limits")


def problem_lines(out: str) -> list[str]:
    lines = out.splitlines()
    for line in lines:
        assert PROBLEM_LINE.match(line), f"not a problem line: {line!r}"
    return lines


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.name)
def test_each_hostile_input_is_an_error_that_names_it(agis: Path, monkeypatch: pytest.MonkeyPatch,
                                                      c: Case) -> None:
    shown = c.make(agis)
    monkeypatch.chdir(agis)
    start = time.monotonic()
    r = cli("validate")
    assert time.monotonic() - start < 30
    assert r.exit_code == 1, r.output
    lines = problem_lines(r.stdout)
    assert any(line.startswith(f"{shown}:") and line.endswith(f"({c.code})") for line in lines), \
        r.stdout
    # the other records are all read: the shipped seminars are there, no error about them
    assert not [x for x in lines if "uk-seminar-2005-06" in x]


@pytest.mark.parametrize("name", BOUNDED)
def test_hostile_input_in_a_real_process_is_answered_in_bounded_time_and_memory(
        agis: Path, name: str) -> None:
    shown = case(name).make(agis)
    r = run_bounded("validate", "--max-bytes", str(1 << 26), cwd=agis)
    assert r.returncode == 1, r.stderr
    assert f"{shown}:" in r.stdout and f"({case(name).code})" in r.stdout
    assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr
    assert r.seconds < 30


def test_reading_stops_at_max_bytes_plus_one_whatever_the_file_claims(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "grows.yaml"
    p.write_bytes(b"x" * 5_000_000)
    real_fstat, real_read = os.fstat, os.read
    read: list[int] = []

    def small_fstat(fd: int) -> os.stat_result:  # a file that says it holds 10 bytes
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid,
                               st.st_gid, 10, st.st_atime, st.st_mtime, st.st_ctime))

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(os, "fstat", small_fstat)
    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(loader.Refused) as e:
        loader.read_bytes(str(p), 1000)
    assert e.value.code == "too-large"
    assert sum(read) == 1001


def test_unreadable_file_is_an_error_and_documents_are_not_written_without_it(
        agis: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def no_permission(path, flags, *a):  # type: ignore[no-untyped-def]
        if str(path).endswith("uk-seminar-2005-06.yaml"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *a)

    monkeypatch.setattr(os, "open", no_permission)
    monkeypatch.chdir(agis)
    r = cli("validate")
    assert r.exit_code == 1
    assert "seminars/uk-seminar-2005-06.yaml:1:1: error: cannot read the file: Permission " \
           "denied (unreadable)" in r.stdout
    out = tmp_path / "e.xlsx"
    r = cli("export", "-o", str(out))
    assert r.exit_code == 1 and not out.exists() and "uk-seminar-2005-06.yaml" in r.stderr
    r = cli("export", "-o", str(out), "--allow-errors")
    assert r.exit_code == 0 and out.exists()


def test_unreadable_kind_folder_is_an_error_naming_it(agis: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    real_scandir = os.scandir

    def no_permission(path):  # type: ignore[no-untyped-def]
        if str(path).rstrip("/").endswith("seminars"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", no_permission)
    monkeypatch.chdir(agis)
    r = cli("validate", "--format", "json")
    data = json.loads(r.stdout)
    assert r.exit_code == 1 and data["valid"] is False
    assert {"path": "seminars", "line": 1, "col": 1, "level": "error",
            "message": "cannot read the folder: Permission denied; the records in it are "
                       "missing until it can be read", "code": "unreadable"} in data["problems"]
    out = tmp_path / "r.docx"
    r = cli("report", "-o", str(out))
    assert r.exit_code == 1 and not out.exists() and "seminars" in r.stderr


def test_names_with_control_characters_never_break_the_report_or_the_workbook(
        agis: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """600 more seminars (the report's tables above 500 rows are spliced in as XML text)
    and files whose names hold a line break, an escape and a bidi override."""
    text = (agis / "seminars" / "uk-seminar-2005-06.yaml").read_text(encoding="utf-8")
    bulk = agis / "seminars" / "bulk"
    bulk.mkdir()
    for i in range(600):
        (bulk / f"s{i:03}.yaml").write_text(text.replace("id: uk-seminar-2005-06",
                                                         f"id: bulk-{i:03}"), encoding="utf-8")
    for raw in ("a\nb.yaml", "c\x1b[31md.yaml", "e\u202ef.yaml"):
        (agis / "seminars" / raw).write_text(text, encoding="utf-8")
    monkeypatch.chdir(agis)
    docx_out, xlsx_out = tmp_path / "r.docx", tmp_path / "e.xlsx"
    r = cli("report", "-o", str(docx_out), "--allow-errors")
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(docx_out) as z:
        body = ElementTree.fromstring(z.read("word/document.xml"))  # well-formed XML
    words = "".join(body.itertext())
    assert "seminars/a\\nb.yaml" in words and "seminars/c\\x1b[31md.yaml" in words
    assert "bulk-599" in words
    r = cli("export", "-o", str(xlsx_out), "--allow-errors")
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook

    wb = load_workbook(xlsx_out, read_only=True)
    cells = " ".join(str(c) for row in wb["Summary"].iter_rows(values_only=True)
                     for c in row if c)
    assert "seminars/e\\u202ef.yaml" in cells
    wb.close()


def test_values_cannot_forge_output_lines(agis: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forged = "forged.yaml:1:1: error: forged (yaml-syntax)"
    p = agis / "seminars" / "uk-seminar-2005-06.yaml"
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace("  en: UK expert seminar 1 on inter-agency working",
                              f'  en: "UK seminar\\n{forged}\\u202e"')
                 .replace("convenor: barnardos", f'convenor: "Stadee\\n{forged}"'),
                 encoding="utf-8")
    monkeypatch.chdir(agis)
    r = cli("validate")
    lines = problem_lines(r.stdout)
    # two problems (the convenor is unknown, so a claim about it fails), two lines
    assert len(lines) == 2 and not [x for x in lines if x.startswith("forged")]
    assert "'Stadee\\nforged.yaml:1:1: error: forged (yaml-syntax)' is not defined" in r.stdout
    r = cli("summarize")
    assert not [x for x in r.stdout.splitlines() if x.startswith("forged")]
    assert "\u202e" not in r.stdout
    data = json.loads(cli("summarize", "--format", "json").stdout)
    assert any(s["title"]["en"] == f"UK seminar\n{forged}\u202e"
               for s in data["seminars"]["rows"])


def test_many_files_sharing_an_id_give_one_problem_each(agis: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    text = (agis / "seminars" / "uk-seminar-2005-06.yaml").read_text(encoding="utf-8")
    for i in range(300):
        (agis / "seminars" / f"dup-{i:03}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(agis)
    r = cli("validate")
    lines = problem_lines(r.stdout)
    dups = [x for x in lines if x.endswith("(duplicate-id)")]
    # 301 files hold the id: the first (dup-000.yaml) is named by the other 300
    assert len(dups) == 300
    assert all("already used by seminars/dup-000.yaml;" in x for x in dups)
    assert not [x for x in dups if x.startswith("seminars/dup-000.yaml:")]
    assert len(r.stdout) < 300 * 200  # linear: one short line per file


def test_the_cache_is_private_to_its_owner(agis: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = os.umask(0o022)
    try:
        (agis / ".cepa-cache").mkdir(mode=0o755)  # as an older cepa left it
        (agis / ".cepa-cache" / ".gitignore").write_text("*\n")
        os.chmod(agis / ".cepa-cache" / ".gitignore", 0o644)
        monkeypatch.setattr(cache, "RACY_NS", 0)
        assert cli("validate", str(agis)).exit_code == 0
    finally:
        os.umask(old)
    folder = agis / ".cepa-cache"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert {f.name for f in files} == {".gitignore", cache.FILE, checked.FILE, checked.FACTS}
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert cache.read_entries(agis)


def test_a_cache_that_was_copied_in_is_never_unmarshalled(agis: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    assert cli("validate", str(agis)).exit_code == 0
    other = tmp_path / "other"
    shutil.copytree(agis, other, ignore=shutil.ignore_patterns(".cepa-cache"))
    (other / ".cepa-cache").mkdir(mode=0o700)
    shutil.copy(agis / ".cepa-cache" / cache.FILE, other / ".cepa-cache" / cache.FILE)
    import marshal

    called: list[int] = []
    monkeypatch.setattr(marshal, "load", lambda f: called.append(1))
    monkeypatch.setattr(marshal, "loads", lambda b: called.append(1))
    assert cache.read_entries(other) == {} and not called


def test_a_link_in_place_of_the_cache_is_not_followed(agis: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (agis / ".cepa-cache").symlink_to(outside)
    assert cli("validate", str(agis)).exit_code == 0
    assert list(outside.iterdir()) == []


def test_a_named_pipe_in_place_of_the_cache_file_is_no_hang(agis: Path) -> None:
    (agis / ".cepa-cache").mkdir(mode=0o700)
    os.mkfifo(agis / ".cepa-cache" / cache.FILE)
    r = run_bounded("validate", str(agis))
    assert r.returncode == 0 and r.seconds < 30, r.stderr


def test_a_named_pipe_as_project_file_is_no_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "cepa-project.yaml")
    r = run_bounded("validate", str(tmp_path), "--format", "json")
    data = json.loads(r.stdout)
    assert r.returncode == 1 and data["problems"][0]["code"] == "not-a-file"
    assert "Traceback" not in r.stderr


def test_counts_at_the_bound_overflow_nothing_downstream(agis: Path, tmp_path: Path) -> None:
    """A billion (the largest count) in a seminar and a target: summarize, coverage, the
    report's charts and the workbook all take it."""
    from tests.test_validate import seminar

    billion = 1_000_000_000
    (agis / "seminars" / "extra.yaml").write_bytes(seminar(total=billion, uk=billion))
    p = agis / "cepa-project.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace(
        "targets:\n", "targets:\n  - {id: huge, text: a billion, quantity: {measure: "
        f"seminar_participants}}, target: {billion}}}\n", 1), encoding="utf-8")
    assert "targets:\n  - {id: huge" in p.read_text(encoding="utf-8")
    assert cli("validate", str(agis)).exit_code == 0
    data = json.loads(cli("summarize", str(agis), "--format", "json").stdout)
    assert data["attendance"]["total"]["value"] > billion
    assert cli("coverage", str(agis)).exit_code == 0
    assert cli("report", str(agis), "-o", str(tmp_path / "r.docx")).exit_code == 0
    assert cli("export", str(agis), "-o", str(tmp_path / "e.xlsx")).exit_code == 0
