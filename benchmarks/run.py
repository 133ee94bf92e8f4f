"""Time cepa's commands as whole processes, side by side with what the bars compare them with.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 5] [--reference PATH]
                             [--no-rollup] [--no-write]

For each size it generates a project (once; kept under benchmarks/.data/, which git
ignores) and measures in rounds: each round runs every command once, so that whatever else
the machine does falls on a command and on its yardstick alike. In a round:

- the *stat floor* (benchmarks/stat_floor.py: a Python process that stats every file),
  then ``validate`` *cold* (``.cepa-cache/`` deleted first), *warm* (nothing changed since
  the cold run) and with *one record changed* (a seminar's notes edited; the next round
  edits it back);
- ``summarize --format json``, ``coverage``, ``report`` and ``export``, each cold and then
  warm (primed by the cold run just before);
- check-jsonschema validating the same files against ``cepa schema all``'s schemas, one
  process per kind of record, times summed (up to 3 rounds; 1 at 100,000 records):
  installed in an environment of its own, as a user installs it (``--reference``, or
  ``CEPA_BENCH_REFERENCE``, names its executable; else run.py makes benchmarks/.venv-cjs).

Besides: ``validate`` of the shipped example project (records/, 30 records) against a bare
Typer app's ``--help``, and a programme roll-up - ``summarize --format json`` of 1,000
projects of 30 records - against ``summarize --format json`` of one project of 30,000.

Each time is the median wall time of the runs, each memory the largest peak resident set
of any run (the child's own ru_maxrss, from os.wait4). It prints the tables and the bars of
issue 22 met or missed, and writes benchmarks/RESULTS.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = HERE / ".data"
RESULTS = HERE / "RESULTS.md"
BIN = Path(sys.executable).parent
KINDS = {"visits": "visit", "seminars": "seminar", "interviews": "interview",
         "feedback": "feedback", "outcomes": "outcome"}
GIB = 1 << 30
#: check-jsonschema is skipped at a size when its estimate is over this many seconds.
JSONSCHEMA_BUDGET = 600.0
#: Files per check-jsonschema process (the command line has a length limit).
BATCH = 20_000
NOTES_MARK = "<!-- notes: kept by run.py -->"
#: The programme of the roll-up bar: this many projects of this many records.
PROGRAMME = (1000, 30)
COMMANDS = ("summarize --format json", "coverage", "report", "export")


def tool(name: str) -> str:
    """A console script of this venv, else one on PATH."""
    p = BIN / name
    return str(p) if p.exists() else (shutil.which(name) or name)


@dataclass
class Timing:
    label: str
    n: int | None
    cache: str  # "cold", "warm", "one changed" or "-"
    times: list[float] = field(default_factory=list)
    peak_kb: int = 0
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def peak_mib(self) -> float:
        return self.peak_kb / 1024


def run_once(argv: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS in KiB of one process, which must exit 0."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert p.stderr is not None
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    p.stderr.close()
    if code != 0:  # a failing command would time the wrong thing
        raise RuntimeError(f"{' '.join(argv[:3])} ... exited {code}: "
                           f"{err.decode(errors='replace')[-800:]}")
    return elapsed, usage.ru_maxrss


class Results:
    """Every timing, found by what it times."""

    def __init__(self) -> None:
        self.all: list[Timing] = []

    def get(self, label: str, n: int | None, cache: str = "-") -> Timing:
        for t in self.all:
            if t.label == label and t.n == n and t.cache == cache:
                return t
        t = Timing(label, n, cache)
        self.all.append(t)
        return t

    def find(self, label: str, n: int | None, cache: str = "-") -> Timing | None:
        for t in self.all:
            if t.label == label and t.n == n and t.cache == cache and t.times:
                return t
        return None

    def time(self, label: str, n: int | None, cache: str, argv: list[str],
             before: Callable[[], None] | None = None, cwd: Path | None = None) -> None:
        if before is not None:
            before()
        elapsed, kb = run_once(argv, cwd)
        t = self.get(label, n, cache)
        t.times.append(elapsed)
        t.peak_kb = max(t.peak_kb, kb)


def generated(name: str, *args: str) -> Path:
    """A project (or a programme) of benchmarks/generate.py, made once."""
    out = DATA / name
    done = out / ".complete"
    if not done.exists():
        if out.exists():
            shutil.rmtree(out)
        print(f"generating {name} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), *args, str(out)],
                       check=True)
        done.write_text("", encoding="utf-8")
        # a file changed in the last two seconds is never trusted by cepa's caches: let the
        # new files age, or the first warm runs would check them all again
        time.sleep(2.5)
    return out


def project(n: int) -> Path:
    return generated(f"n{n}", str(n))


def clear(*roots: Path) -> Callable[[], None]:
    def go() -> None:
        for r in roots:
            shutil.rmtree(r / ".cepa-cache", ignore_errors=True)
    return go


# --- the reference ------------------------------------------------------------------------------

#: The reference: check-jsonschema in an environment of its own, as a user installs it
#: (``pipx install check-jsonschema``: ruamel.yaml without a C extension).
REFERENCE = "check-jsonschema"
REFERENCE_ENV = HERE / ".venv-cjs"


def reference_tool(given: str | None) -> str | None:
    if given:
        return given if Path(given).exists() else shutil.which(given)
    exe = REFERENCE_ENV / "bin" / "check-jsonschema"
    if not exe.exists():
        print("installing check-jsonschema in benchmarks/.venv-cjs", file=sys.stderr)
        made = subprocess.run([sys.executable, "-m", "venv", str(REFERENCE_ENV)]).returncode == 0
        if not made or subprocess.run([str(REFERENCE_ENV / "bin" / "pip"), "install", "-q",
                                       "check-jsonschema"]).returncode != 0:
            return None
    return str(exe)


def jsonschema_run(res: Results, n: int, root: Path, schemas: Path, exe: str) -> None:
    """check-jsonschema over every record, one process per kind (batched); times summed."""
    total, peak = 0.0, 0
    for kind, single in KINDS.items():
        files = sorted(str(p.relative_to(root)) for p in (root / kind).rglob("*.yaml"))
        for i in range(0, len(files), BATCH):
            elapsed, kb = run_once([exe, "--schemafile", str(schemas / f"{single}.json"),
                                    *files[i:i + BATCH]], cwd=root)
            total += elapsed
            peak = max(peak, kb)
    t = res.get(REFERENCE, n)
    t.times.append(total)
    t.peak_kb = max(t.peak_kb, peak)


# --- the rounds ---------------------------------------------------------------------------------


class OneRecord:
    """A seminar whose notes each round edits, and edits back: one record changed."""

    def __init__(self, root: Path) -> None:
        self.path = next(iter(sorted((root / "seminars").rglob("*.yaml"))))
        self.text = self.path.read_text(encoding="utf-8")
        self.edited = False

    def change(self) -> None:
        self.edited = not self.edited
        text = self.text.replace("\nnotes: ", "\nnotes: (edited) ", 1) if self.edited \
            else self.text
        self.path.write_text(text, encoding="utf-8")

    def restore(self) -> None:
        self.path.write_text(self.text, encoding="utf-8")


def bench_size(res: Results, n: int, runs: int, schemas: Path, reference: str | None,
               js_estimate: float | None) -> None:
    root = project(n)
    tmp = Path(tempfile.mkdtemp(prefix="cepa-bench-"))
    cepa = tool("cepa")
    args = {
        "summarize --format json": ["summarize", "--format", "json", str(root)],
        "coverage": ["coverage", str(root)],
        "report": ["report", str(root), "-o", str(tmp / "r.docx"), "--force"],
        "export": ["export", str(root), "-o", str(tmp / "e.xlsx"), "--force"],
    }
    js_runs = 1 if n >= 100_000 else min(runs, 3)
    js_skip = js_estimate is not None and js_estimate > JSONSCHEMA_BUDGET
    if reference and js_skip:
        res.get(REFERENCE, n).note = (f"skipped: estimated {js_estimate:.0f} s from the "
                                      f"smaller size, over the {JSONSCHEMA_BUDGET:.0f} s budget")
    one = OneRecord(root)
    try:
        for r in range(runs):
            print(f"  {n:>7,} round {r + 1} of {runs}", file=sys.stderr)
            res.time("stat floor", n, "-", [sys.executable, str(HERE / "stat_floor.py"),
                                            str(root)])
            res.time("validate", n, "cold", [cepa, "validate", str(root)], clear(root))
            res.time("validate", n, "warm", [cepa, "validate", str(root)])
            res.time("validate", n, "one changed", [cepa, "validate", str(root)], one.change)
            for label in COMMANDS:
                res.time(label, n, "cold", [cepa, *args[label]], clear(root))
                res.time(label, n, "warm", [cepa, *args[label]])
            if reference and not js_skip and r < js_runs:
                print(f"  {n:>7,} check-jsonschema", file=sys.stderr)
                jsonschema_run(res, n, root, schemas, reference)
    finally:
        one.restore()
        shutil.rmtree(tmp, ignore_errors=True)


def bench_example(res: Results, runs: int) -> None:
    """validate of the shipped example project, beside a bare Typer app's --help."""
    root = REPO / "records"
    cepa = tool("cepa")
    for _ in range(runs):
        res.time("bare typer --help", None, "-",
                 [sys.executable, str(HERE / "bare_typer.py"), "--help"])
        res.time("cepa --help", None, "-", [cepa, "--help"])
        res.time("validate example", 30, "cold", [cepa, "validate", str(root)], clear(root))
        res.time("validate example", 30, "warm", [cepa, "validate", str(root)])


def bench_rollup(res: Results, runs: int) -> None:
    """summarize of a programme of 1,000 projects of 30 records, beside summarize of one
    project of 30,000 records."""
    projects, each = PROGRAMME
    prog = generated(f"programme{projects}x{each}", "--programme", str(projects), str(each))
    folders = sorted(p for p in prog.iterdir() if p.is_dir())
    one = project(projects * each)
    cepa = tool("cepa")
    n = projects * each
    for r in range(runs):
        print(f"  roll-up round {r + 1} of {runs}", file=sys.stderr)
        for cache in ("cold", "warm"):
            res.time("summarize --format json", n, cache,
                     [cepa, "summarize", "--format", "json", str(one)],
                     clear(one) if cache == "cold" else None)
            res.time("roll-up summarize --format json", n, cache,
                     [cepa, "summarize", "--format", "json", *map(str, folders)],
                     clear(*folders) if cache == "cold" else None)


# --- what the bars say --------------------------------------------------------------------------


def ratio(a: Timing | None, b: Timing | None) -> float | None:
    return a.median / b.median if a and b else None


def bars(res: Results, sizes: list[int]) -> list[tuple[str, str, str, bool | None]]:
    """(bar, measured, against, met) for each bar the results speak to (issue 22's, and
    start-up); met None = not measured."""
    out: list[tuple[str, str, str, bool | None]] = []

    def bar(name: str, value: float | None, text: str, against: str, ok: bool | None
            ) -> None:
        out.append((name, text if value is not None else "not measured", against,
                    ok if value is not None else None))

    f = res.find
    floor = f("stat floor", 10_000)
    for cache, limit in (("warm", 5), ("one changed", 10)):
        v = f("validate", 10_000, cache)
        r = ratio(v, floor)
        what = "nothing changed" if cache == "warm" else "one record changed"
        bar(f"`validate` 10k, {what} <= {limit}x the stat floor", r,
            f"{v.median:.3f} s = {r:.1f}x" if v and r else "",
            f"stat floor {floor.median:.3f} s" if floor else "", r is not None and r <= limit)
    cold = f("validate", 10_000, "cold")
    js = f(REFERENCE, 10_000)
    r = ratio(js, cold)
    bar("`validate` 10k cold >= 15x faster than check-jsonschema", r,
        f"{cold.median:.2f} s, {r:.1f}x faster" if cold and r else "",
        f"check-jsonschema {js.median:.1f} s" if js else "", r is not None and r >= 15)
    for label, limit in (("export", 2.5), ("report", 2.0)):
        t = f(label, 10_000, "cold")
        r = ratio(t, cold)
        bar(f"`{label}` 10k (cold) <= {limit}x cold `validate`", r,
            f"{t.median:.2f} s = {r:.2f}x" if t and r else "",
            f"validate {cold.median:.2f} s" if cold else "", r is not None and r <= limit)
        t = f(label, 10_000, "warm")
        r = ratio(t, cold)
        bar(f"`{label}` 10k (warm) <= {limit}x cold `validate`", r,
            f"{t.median:.2f} s = {r:.2f}x" if t and r else "",
            f"validate {cold.median:.2f} s" if cold else "", r is not None and r <= limit)
    bare = f("bare typer --help", None)
    for cache in ("cold", "warm"):
        t = f("validate example", 30, cache)
        r = ratio(t, bare)
        bar(f"`validate` of the example project ({cache}) <= 2x a bare Typer app's --help", r,
            f"{t.median:.3f} s = {r:.2f}x" if t and r else "",
            f"bare Typer {bare.median:.3f} s" if bare else "", r is not None and r <= 2)
    t = f("cepa --help", None)
    r = ratio(t, bare)
    bar("`cepa --help` <= 2x a bare Typer app's --help", r,
        f"{t.median:.3f} s = {r:.2f}x" if t and r else "",
        f"bare Typer {bare.median:.3f} s" if bare else "", r is not None and r <= 2)
    n = PROGRAMME[0] * PROGRAMME[1]
    for cache in ("cold", "warm"):
        roll = f("roll-up summarize --format json", n, cache)
        single = f("summarize --format json", n, cache)
        r = ratio(roll, single)
        bar(f"roll-up of 1,000 x 30 records ({cache}) <= 1.5x `summarize` of one 30,000", r,
            f"{roll.median:.2f} s = {r:.2f}x" if roll and r else "",
            f"30,000 records {single.median:.2f} s" if single else "",
            r is not None and r <= 1.5)
        bar(f"roll-up of 1,000 x 30 records ({cache}) peak < 1 GiB",
            roll.peak_mib if roll else None, f"{roll.peak_mib:.0f} MiB" if roll else "", "",
            roll is not None and roll.peak_kb * 1024 < GIB)
    if 100_000 in sizes:
        for t in res.all:
            if t.n != 100_000 or not t.times or t.label == REFERENCE:
                continue
            small = f(t.label, 10_000, t.cache)
            r = ratio(t, small)
            name = f"{t.label} 100k" + (f" ({t.cache})" if t.cache != "-" else "")
            if t.label != "stat floor":
                bar(f"{name} <= 11x its 10k time", r,
                    f"{t.median:.2f} s = {r:.1f}x" if r else "",
                    f"10k {small.median:.2f} s" if small else "", r is not None and r <= 11)
                bar(f"{name} peak < 1 GiB", t.peak_mib, f"{t.peak_mib:.0f} MiB", "",
                    t.peak_kb * 1024 < GIB)
    return out


def table(res: Results) -> str:
    lines = ["| command | records | cache | runs | median s | peak MiB |",
             "|---|---:|---|---:|---:|---:|"]
    for t in res.all:
        n = f"{t.n:,}" if t.n else "-"
        if not t.times:
            lines.append(f"| {t.label} | {n} | {t.cache} | 0 | {t.note} | |")
            continue
        lines.append(f"| {t.label} | {n} | {t.cache} | {len(t.times)} | {t.median:.3f} | "
                     f"{t.peak_mib:.0f} |")
    return "\n".join(lines)


def bars_table(rows: list[tuple[str, str, str, bool | None]]) -> str:
    lines = ["| bar | measured | against | |", "|---|---|---|---|"]
    for name, measured, against, met in rows:
        mark = "n/a" if met is None else ("met" if met else "**missed**")
        lines.append(f"| {name} | {measured} | {against} | {mark} |")
    return "\n".join(lines)


def machine(reference: str | None) -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
        mem = f"{kb / (1 << 20):.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")),
                       "")
    except OSError:
        pass
    load = ""
    with contextlib.suppress(OSError):
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return "\n".join([
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- `uname -a`: {' '.join(platform.uname())}",
        f"- CPU: {cpu or platform.processor() or 'unknown'}; `nproc`: {os.cpu_count()}",
        f"- memory: {mem or 'unknown'}; load average at the end: {load or 'unknown'}",
        f"- Python {platform.python_version()}; check-jsonschema "
        f"{_version([reference, '--version']) if reference else 'not installed'}",
    ])


def _version(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.strip().split()[-1]
    except (OSError, IndexError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000",
                    help="comma-separated record counts (default: 1000,10000,100000)")
    ap.add_argument("--runs", type=int, default=5,
                    help="rounds per size (median); 2 at 100,000 records")
    ap.add_argument("--reference", default=os.environ.get("CEPA_BENCH_REFERENCE"),
                    help="the check-jsonschema executable of the reference (default: "
                         "CEPA_BENCH_REFERENCE, else one installed in benchmarks/.venv-cjs)")
    ap.add_argument("--no-rollup", action="store_true", help="skip the programme roll-up")
    ap.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md")
    args = ap.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())

    res = Results()
    reference = reference_tool(args.reference)
    print("start-up and the example project", file=sys.stderr)
    bench_example(res, 10)
    schemas = Path(tempfile.mkdtemp(prefix="cepa-schemas-"))
    subprocess.run([tool("cepa"), "schema", "all", "--write", str(schemas)], check=True,
                   capture_output=True)
    js_per_record: float | None = None
    for n in sizes:
        runs = 2 if n >= 100_000 else args.runs
        estimate = js_per_record * n if js_per_record is not None else None
        bench_size(res, n, runs, schemas, reference, estimate)
        js = res.find(REFERENCE, n)
        if js:
            js_per_record = js.median / n
    shutil.rmtree(schemas, ignore_errors=True)
    if not args.no_rollup:
        bench_rollup(res, 3)

    body = (f"## Bars (issue 22)\n\n{bars_table(bars(res, sizes))}\n\n"
            f"## Timings\n\n{table(res)}\n")
    print(body)
    if not args.no_write:
        # Hand-written notes below the marker survive a re-run.
        notes = ""
        if RESULTS.exists():
            old = RESULTS.read_text(encoding="utf-8")
            if NOTES_MARK in old:
                notes = "\n" + NOTES_MARK + old.split(NOTES_MARK, 1)[1]
        RESULTS.write_text(
            "# Benchmark results\n\n"
            "Written by `python benchmarks/run.py` (sizes: "
            f"{', '.join(f'{n:,}' for n in sizes)}). Each command is a whole process, "
            "measured in rounds that run every command and its yardstick once, so that "
            "they share whatever else the machine does; the time is the median wall time "
            "of the rounds (2 at 100,000 records; check-jsonschema in up to 3, 1 at 100,000), "
            "the memory the largest peak RSS of any run. *cold*: `.cepa-cache/` deleted "
            "before the run; *warm*: right after the cold run, nothing changed; *one "
            "changed*: a seminar's notes edited since the warm run. The *stat floor* is a "
            "Python process that stats every file (benchmarks/stat_floor.py). "
            "check-jsonschema validates the same files against the schemas of `cepa schema "
            "all`, one process per kind, times summed, installed in an environment of its "
            "own as a user installs it. See the module docstring of run.py.\n\n"
            f"## Machine\n\n{machine(reference)}\n\n{body}{notes}", encoding="utf-8")
        print(f"wrote {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
