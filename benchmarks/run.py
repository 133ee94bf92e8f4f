"""Time cepa's commands as whole processes at 1,000, 10,000 and 100,000 records.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 5] [--no-write]

For each size it generates a project (once; kept under benchmarks/.data/, which git
ignores), then runs each command several times as a separate process and takes the
median wall time and the largest peak resident memory (the child's own ru_maxrss,
from os.wait4). Commands that read records are timed with the parse cache cold
(``.cepa-cache/`` deleted before every run) and warm (primed by one untimed run).
check-jsonschema, validating the same files against ``cepa schema all``'s schemas,
is the reference (``pip install check-jsonschema`` into the same environment as cepa).
It prints a Markdown table with the bars met or missed and writes
benchmarks/RESULTS.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
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


def tool(name: str) -> str:
    """A console script of this venv, else one on PATH."""
    p = BIN / name
    return str(p) if p.exists() else (shutil.which(name) or name)


@dataclass
class Timing:
    label: str
    n: int | None
    cache: str  # "cold", "warm" or "-"
    times: list[float] = field(default_factory=list)
    peak_kb: int = 0
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def peak_mib(self) -> float:
        return self.peak_kb / 1024


def run_once(argv: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in KiB and exit code of one process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert p.stderr is not None
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stderr.close()
    if p.returncode != 0:  # a failing command would time the wrong thing
        raise RuntimeError(f"{' '.join(argv[:3])} ... exited {p.returncode}: "
                           f"{err.decode(errors='replace')[-800:]}")
    return elapsed, usage.ru_maxrss, p.returncode


def measure(t: Timing, argv: list[str], runs: int, before: object = None,
            cwd: Path | None = None) -> Timing:
    for _ in range(runs):
        if callable(before):
            before()
        elapsed, peak, _ = run_once(argv, cwd)
        t.times.append(elapsed)
        t.peak_kb = max(t.peak_kb, peak)
    return t


def project(n: int) -> Path:
    out = DATA / f"n{n}"
    if not (out / "cepa-project.yaml").exists():
        if out.exists():
            shutil.rmtree(out)
        print(f"generating {n:,} records in {out} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(out)], check=True)
    return out


def available(cmd: str) -> bool:
    return subprocess.run([tool("cepa"), cmd, "--help"], capture_output=True).returncode == 0


#: The reference: check-jsonschema in an environment of its own, as `pipx install
#: check-jsonschema` gives a user (its current dependencies: ruamel.yaml without a C
#: extension, since ruamel.yaml 0.19). Made by this script on first use.
REFERENCE = "check-jsonschema"
REFERENCE_ENV = HERE / ".venv-cjs"
#: check-jsonschema sharing cepa's environment, where cepa's pin keeps ruamel.yaml 0.18 and
#: its C extension: a faster YAML parser, measured beside the reference when installed.
SHARED = "check-jsonschema (cepa's env, C YAML)"


REFERENCES: dict[str, str] = {}


def reference_tool() -> str | None:
    exe = REFERENCE_ENV / "bin" / "check-jsonschema"
    if not exe.exists():
        print("installing check-jsonschema in benchmarks/.venv-cjs", file=sys.stderr)
        made = subprocess.run([sys.executable, "-m", "venv", str(REFERENCE_ENV)]).returncode == 0
        if not made or subprocess.run([str(REFERENCE_ENV / "bin" / "pip"), "install", "-q",
                                       "check-jsonschema"]).returncode != 0:
            return None
    return str(exe)


def references() -> dict[str, str]:
    out = {}
    ref = reference_tool()
    if ref:
        out[REFERENCE] = ref
    shared = BIN / "check-jsonschema"
    if shared.exists():
        out[SHARED] = str(shared)
    return out


def jsonschema_time(root: Path, schemas: Path, runs: int, exe: str, label: str) -> Timing:
    """check-jsonschema over every record, one process per kind (batched); times summed."""
    t = Timing(label, None, "-")
    batches: list[list[str]] = []
    for kind, single in KINDS.items():
        files = sorted(str(p.relative_to(root)) for p in (root / kind).rglob("*.yaml"))
        for i in range(0, len(files), BATCH):
            batches.append([exe, "--schemafile",
                            str(schemas / f"{single}.json"), *files[i:i + BATCH]])
    for _ in range(runs):
        total, peak = 0.0, 0
        for argv in batches:
            elapsed, kb, _ = run_once(argv, cwd=root)
            total += elapsed
            peak = max(peak, kb)
        t.times.append(total)
        t.peak_kb = max(t.peak_kb, peak)
    return t


def bench_size(n: int, runs: int, schemas: Path, with_optional: dict[str, bool],
               js_estimate: float | None) -> list[Timing]:
    root = project(n)
    cache = root / ".cepa-cache"
    tmp = Path(tempfile.mkdtemp(prefix="cepa-bench-"))

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    commands: dict[str, list[str]] = {
        "validate": ["validate", str(root)],
        "summarize --format json": ["summarize", "--format", "json", str(root)],
        "coverage": ["coverage", str(root)],
        "report": ["report", str(root), "-o", str(tmp / "r.docx"), "--force"],
        "export": ["export", str(root), "-o", str(tmp / "e.xlsx"), "--force"],
    }
    out: list[Timing] = []
    for label, args in commands.items():
        if label in with_optional and not with_optional[label]:
            out.append(Timing(label, n, "-", note="n/a (command not available)"))
            continue
        argv = [tool("cepa"), *args]
        print(f"  {n:>7,} {label} (cold)", file=sys.stderr)
        out.append(measure(Timing(label, n, "cold"), argv, runs, before=clear))
        print(f"  {n:>7,} {label} (warm)", file=sys.stderr)
        clear()
        run_once(argv)  # prime the cache
        out.append(measure(Timing(label, n, "warm"), argv, runs))
    js_runs = 1 if n >= 100_000 else min(runs, 3)
    for label, exe in REFERENCES.items():
        if label == SHARED and n >= 100_000:
            continue  # the reference's own bar is at 10,000 records
        if js_estimate is not None and js_estimate > JSONSCHEMA_BUDGET:
            out.append(Timing(label, n, "-",
                              note=f"skipped: estimated {js_estimate:.0f} s from the "
                                   f"smaller size, over the {JSONSCHEMA_BUDGET:.0f} s budget"))
            continue
        print(f"  {n:>7,} {label}", file=sys.stderr)
        t = jsonschema_time(root, schemas, js_runs, exe, label)
        t.n = n
        out.append(t)
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def find(results: list[Timing], label: str, n: int | None, cache: str = "cold") -> Timing | None:
    for t in results:
        if t.label == label and t.n == n and (t.cache == cache or t.cache == "-") and t.times:
            return t
    return None


def ratio_text(t: Timing, results: list[Timing], sizes: list[int]) -> str:
    """How a timing compares with what its bar compares it with."""
    if not t.times:
        return ""
    if t.label == "cepa --help":
        bare = find(results, "bare typer --help", None)
        return f"{t.median / bare.median:.2f}x bare typer" if bare else ""
    if t.label.startswith("check-jsonschema"):
        v = find(results, "validate", t.n)
        return f"{t.median / v.median:.1f}x validate (cold)" if v else ""
    parts = []
    if t.label in ("summarize --format json", "coverage"):
        v = find(results, "validate", t.n, t.cache)
        if v:
            parts.append(f"{t.median / v.median:.2f}x validate")
    if t.n and t.n > 10_000 and 10_000 in sizes:
        small = find(results, t.label, 10_000, t.cache)
        if small:
            parts.append(f"{t.median / small.median:.1f}x its 10k")
    return ", ".join(parts)


def bars(results: list[Timing]) -> list[tuple[str, str, bool | None]]:
    """(bar, measured, met) for each bar the results can speak to; met None = not measured."""
    out: list[tuple[str, str, bool | None]] = []
    helps, bare = find(results, "cepa --help", None), find(results, "bare typer --help", None)
    if helps and bare:
        r = helps.median / bare.median
        out.append(("`cepa --help` <= 2x a bare Typer app", f"{r:.2f}x", r <= 2))
    for label in (REFERENCE, SHARED):
        js = find(results, label, 10_000)
        for cache in ("cold", "warm"):
            v = find(results, "validate", 10_000, cache)
            if js and v:
                r = js.median / v.median
                out.append((f"validate 10k ({cache}) >= 10x faster than {label}",
                            f"{r:.1f}x", r >= 10))
    for label in ("summarize --format json", "coverage"):
        for cache in ("cold", "warm"):
            t, v = find(results, label, 10_000, cache), find(results, "validate", 10_000, cache)
            if t and v:
                r = t.median / v.median
                out.append((f"{label} 10k ({cache}) <= 1.5x validate", f"{r:.2f}x", r <= 1.5))
    for label in ("report", "export"):
        t = find(results, label, 10_000)
        na = any(x.label == label and x.note for x in results)
        if t:
            out.append((f"{label} 10k < 10 s", f"{t.median:.2f} s", t.median < 10))
        elif na:
            out.append((f"{label} 10k < 10 s", "n/a (command not available)", None))
    for t in results:
        if t.n == 100_000 and t.times and not t.label.startswith("check-jsonschema"):
            small = find(results, t.label, 10_000, t.cache)
            if small:
                r = t.median / small.median
                out.append((f"{t.label} 100k ({t.cache}) <= 12x its 10k", f"{r:.1f}x", r <= 12))
            out.append((f"{t.label} 100k ({t.cache}) peak < 2 GiB", f"{t.peak_mib:.0f} MiB",
                        t.peak_kb * 1024 < 2 * GIB))
    return out


def table(results: list[Timing], sizes: list[int]) -> str:
    lines = ["| command | records | cache | runs | median s | peak MiB | ratio |",
             "|---|---:|---|---:|---:|---:|---|"]
    for t in results:
        n = f"{t.n:,}" if t.n else "-"
        if not t.times:
            lines.append(f"| {t.label} | {n} | {t.cache} | 0 | {t.note} | | |")
            continue
        lines.append(f"| {t.label} | {n} | {t.cache} | {len(t.times)} | {t.median:.3f} | "
                     f"{t.peak_mib:.0f} | {ratio_text(t, results, sizes)} |")
    return "\n".join(lines)


def bars_table(rows: list[tuple[str, str, bool | None]]) -> str:
    lines = ["| bar | measured | |", "|---|---:|---|"]
    for bar, measured, met in rows:
        mark = "n/a" if met is None else ("met" if met else "**missed**")
        lines.append(f"| {bar} | {measured} | {mark} |")
    return "\n".join(lines)


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
        mem = f"{kb / (1 << 20):.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")),
                       "")
    except OSError:
        pass
    return "\n".join([
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- `uname -a`: {' '.join(platform.uname())}",
        f"- CPU: {cpu or platform.processor() or 'unknown'}; `nproc`: {os.cpu_count()}",
        f"- memory: {mem or 'unknown'}",
        f"- Python {platform.python_version()}; check-jsonschema "
        f"{_version([tool('check-jsonschema'), '--version'])}",
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
                    help="runs per command (median); 2 at 100,000 records")
    ap.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md")
    args = ap.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())

    results: list[Timing] = []
    print("start-up", file=sys.stderr)
    results.append(measure(Timing("bare typer --help", None, "-"),
                           [sys.executable, str(HERE / "bare_typer.py"), "--help"], 10))
    results.append(measure(Timing("cepa --help", None, "-"), [tool("cepa"), "--help"], 10))
    optional = {"report": available("report"), "export": available("export")}
    REFERENCES.update(references())

    schemas = Path(tempfile.mkdtemp(prefix="cepa-schemas-"))
    subprocess.run([tool("cepa"), "schema", "all", "--write", str(schemas)], check=True,
                   capture_output=True)
    js_per_record: float | None = None
    for n in sizes:
        runs = 2 if n >= 100_000 else args.runs
        estimate = js_per_record * n if js_per_record is not None else None
        got = bench_size(n, runs, schemas, optional, estimate)
        results += got
        js = next((t for t in got if t.label == REFERENCE and t.times), None)
        if js:
            js_per_record = js.median / n
    shutil.rmtree(schemas, ignore_errors=True)

    body = (f"## Timings\n\n{table(results, sizes)}\n\n## Bars\n\n{bars_table(bars(results))}\n")
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
            f"{', '.join(f'{n:,}' for n in sizes)}). Each command is a whole process; the "
            "time is the median wall time of the runs shown (2 runs at 100,000 records, 1 for "
            "check-jsonschema there), the memory the largest peak RSS of any run. *cold*: the "
            "parse cache (`.cepa-cache/`) deleted before each run; *warm*: primed by one "
            "untimed run. check-jsonschema validates the same files against the schemas of "
            "`cepa schema all`, one process per kind, times summed: *check-jsonschema* "
            "installed in an environment of its own, as `pipx install check-jsonschema` "
            "gives a user (the reference of the bars), and, where installed, *check-jsonschema "
            "(cepa's env, C YAML)* sharing cepa's environment, where ruamel.yaml keeps its C "
            "extension.\n\n"
            f"## Machine\n\n{machine()}\n\n{body}{notes}", encoding="utf-8")
        print(f"wrote {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
