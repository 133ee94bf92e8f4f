"""The hostile-input corpus: every class of input that issue 11 lists, built on demand.

Most of these inputs cannot live in git (a named pipe, a socket, a device, a link to
/dev/zero, a 4 GiB sparse file, a file name with a line break), so the corpus is code: each
``Case`` builds one of them inside a copy of the shipped project and says what cepa must
answer - the problem code, and the name as cepa must print it (control characters escaped).
The sign-in sheets of ``cepa import attendance`` are built the same way, in ``sheets.py``.

``run_bounded`` runs cepa as a real process under a memory limit and a timeout: what the
issue asks of hostile input is an answer within seconds and bounded memory, never a hang.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

#: A problem line as cepa prints it; every line of validate's stdout must be one.
PROBLEM_LINE = re.compile(r"^[^\n]+:\d+:\d+: (error|warning): [^\n]+ \([a-z0-9-]+\)$")

#: The memory a hostile input may make cepa use, and the time it may take.
MEMORY = 1 << 30
SECONDS = 60


@dataclass(frozen=True)
class Case:
    """One hostile input: ``make`` builds it under a project root and returns the path (from
    the root) that cepa must name, as it must print it; ``code`` is the problem it gives."""

    name: str
    make: Callable[[Path], str]
    code: str


def _fifo(root: Path) -> str:
    os.mkfifo(root / "seminars" / "pipe.yaml")
    return "seminars/pipe.yaml"


def _socket(root: Path) -> str:
    folder = root / "interviews"
    here = os.getcwd()
    os.chdir(folder)  # a socket's path is limited to about 100 bytes: bind it from its folder
    try:
        s = socket.socket(socket.AF_UNIX)
        s.bind("sock.yaml")
        s.close()
    finally:
        os.chdir(here)
    return "interviews/sock.yaml"


def _device(root: Path) -> str:
    import pytest

    if os.geteuid() != 0:
        pytest.skip("making a device needs root")
    import stat

    os.mknod(root / "outcomes" / "zero.yaml", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    return "outcomes/zero.yaml"


def _link(target: str, name: str = "seminars/link.yaml") -> Callable[[Path], str]:
    def make(root: Path) -> str:
        (root / name).symlink_to(target)
        return name
    return make


def _link_to_fifo_inside(root: Path) -> str:
    os.mkfifo(root / "pipe")
    (root / "visits" / "pipe.yaml").symlink_to(root / "pipe")
    return "visits/pipe.yaml"


def _link_to_folder_outside(root: Path) -> str:
    outside = root.parent / "elsewhere"
    outside.mkdir()
    (outside / "x.yaml").write_text("id: x\n", encoding="utf-8")
    (root / "seminars" / "more").symlink_to(outside)
    return "seminars/more"


def _kind_folder_outside(root: Path) -> str:
    outside = root.parent / "feedback-elsewhere"
    (root / "feedback").rename(outside)
    (root / "feedback").symlink_to(outside)
    return "feedback"


def _link_loop(root: Path) -> str:
    (root / "seminars" / "a.yaml").symlink_to("b.yaml")
    (root / "seminars" / "b.yaml").symlink_to("a.yaml")
    return "seminars/a.yaml"


def _bytes(name: str, data: bytes) -> Callable[[Path], str]:
    def make(root: Path) -> str:
        (root / name).write_bytes(data)
        return name
    return make


def _sparse(root: Path) -> str:
    with open(root / "outcomes" / "huge.yaml", "wb") as f:
        f.truncate(4 << 30)  # 4 GiB that take no disk: reading it would take the memory
    return "outcomes/huge.yaml"


def _named(raw: str, shown: str) -> Callable[[Path], str]:
    def make(root: Path) -> str:
        (root / "seminars" / raw).write_text("id: x\n", encoding="utf-8")
        return f"seminars/{shown}"
    return make


def _folder_named(root: Path) -> str:
    (root / "seminars" / "2005\nold").mkdir()
    (root / "seminars" / "2005\nold" / "a.yaml").write_text("id: a\n", encoding="utf-8")
    return "seminars/2005\\nold"


def _undecodable_name(root: Path) -> str:
    (root / "seminars" / os.fsdecode(b"caf\xe9.yaml")).write_text("id: x\n", encoding="utf-8")
    return "seminars/caf\\udce9.yaml"


_SEMINAR = Path(__file__).resolve().parents[2] / "records" / "seminars" / "uk-seminar-2005-06.yaml"


def _seminar_with(old: str, new: str) -> bytes:
    text = _SEMINAR.read_text(encoding="utf-8").replace("id: uk-seminar-2005-06", "id: extra")
    assert old in text, old
    return text.replace(old, new, 1).encode()


#: Record files and folders, as issue 11 lists them.
CASES = [
    Case("fifo", _fifo, "not-a-file"),
    Case("socket", _socket, "not-a-file"),
    Case("device", _device, "not-a-file"),
    Case("link-outside", _link("/etc/passwd"), "outside-project"),
    Case("link-to-dev-zero", _link("/dev/zero"), "outside-project"),
    Case("link-to-fifo-inside", _link_to_fifo_inside, "not-a-file"),
    Case("link-to-folder-outside", _link_to_folder_outside, "outside-project"),
    Case("kind-folder-outside", _kind_folder_outside, "outside-project"),
    Case("link-loop", _link_loop, "unreadable"),
    Case("over-max-bytes", _bytes("seminars/big.yaml", b"notes: " + b"x" * (1 << 20) + b"\n"),
         "too-large"),
    Case("sparse-4-gib", _sparse, "too-large"),
    Case("5000-digit-integer", _bytes("seminars/extra.yaml", _seminar_with(
        "total: 45", "total: " + "7" * 5000)), "number-too-large"),
    Case("1-and-400-zeros", _bytes("seminars/extra.yaml", _seminar_with(
        "total: 45", "total: 1" + "0" * 400)), "number-too-large"),
    Case("huge-objective-id", _bytes("seminars/extra.yaml", _seminar_with(
        "objectives: [1, 2, 3, 4]", "objectives: [1" + "0" * 60 + "]")), "number-too-large"),
    Case("count-over-a-billion", _bytes("seminars/extra.yaml", _seminar_with(
        "total: 45", "total: 1000000001")), "number-too-large"),
    Case("newline-in-name", _named("a\nb.yaml", "a\\nb.yaml"), "bad-file-name"),
    Case("forged-line-in-name", _named(
        "x.yaml\nfake.yaml:1:1: error: forged (yaml-syntax)",
        "x.yaml\\nfake.yaml:1:1: error: forged (yaml-syntax)"), "bad-file-name"),
    Case("escape-in-name", _named("\x1b]0;owned\x07\x1b[2J.yaml",
                                  "\\x1b]0;owned\\x07\\x1b[2J.yaml"), "bad-file-name"),
    Case("c1-and-bidi-in-name", _named("a\x9b31m\u202eb.yaml", "a\\x9b31m\\u202eb.yaml"),
         "bad-file-name"),
    Case("carriage-return-in-name", _named("a\rb.yaml", "a\\rb.yaml"), "bad-file-name"),
    Case("folder-name-with-newline", _folder_named, "bad-file-name"),
    Case("name-not-utf8", _undecodable_name, "bad-file-name"),
]

#: The cases that a careless reader would hang on or run out of memory for.
BOUNDED = ("fifo", "link-to-dev-zero", "link-to-fifo-inside", "sparse-4-gib", "device",
           "5000-digit-integer")


def case(name: str) -> Case:
    return next(c for c in CASES if c.name == name)


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


@pytest.fixture
def limits() -> Iterator[None]:
    """The test's own process may grow by at most ``MEMORY`` bytes of address space and run
    ``SECONDS``: a hostile input that makes cepa hang or swell fails the test, not CI."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    size = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    limit = size + MEMORY if hard == resource.RLIM_INFINITY else min(size + MEMORY, hard)

    def too_long(signum: int, frame: object) -> None:
        raise TimeoutError(f"the test ran over {SECONDS} seconds")

    old = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(SECONDS)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run_bounded(*args: str, cwd: Path | None = None, memory: int = MEMORY,
                seconds: float = SECONDS, stdin: str | None = None) -> Ran:
    """``cepa ARGS`` as a real process, its address space capped at ``memory`` bytes; it
    must end within ``seconds`` (subprocess raises TimeoutExpired otherwise)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {k: v for k, v in os.environ.items() if k != "CEPA_PEOPLE_SECRET"}
    start = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "cepa", *args], capture_output=True, cwd=cwd,
                       preexec_fn=limit, timeout=seconds, input=stdin, env=env,
                       encoding="utf-8", errors="replace")
    return Ran(r.returncode, r.stdout, r.stderr, time.monotonic() - start)


def cli(*args: str):  # type: ignore[no-untyped-def]
    """``cepa ARGS`` in this process (typer's CliRunner): it must end with an exit code, not
    an exception, and print no traceback."""
    from typer.testing import CliRunner

    from cepa.cli import app

    r = CliRunner().invoke(app, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output
    return r


def files_under(root: Path) -> list[Path]:
    """Every regular file under ``root``, links not followed."""
    out = []
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = Path(dirpath, n)
            if p.is_file() and not p.is_symlink():
                out.append(p)
    return out
