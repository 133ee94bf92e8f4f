"""Checks on the evidence, and the one place every check runs: ``validate``.

The claims of the narrative are checked against the figures the records give, so that
check belongs here, beside the figures; ``validate`` runs the checks of the records stage
(cepa/records/checks.py) and these, silences what the project silences, and returns a
``Validation``: the problems, sorted, and what was checked. Reporters print it
(cepa/writers/problems.py).

Every check runs on what the cache of checked results (cepa/records/checked.py) can keep:
each record's own problems, and the facts of it that checks across records need - the
records stage's ``Facts``, and here ``ClaimFacts``, what each claim takes of it. So
``validate_root`` checks again only the files that changed since the last run, and the
checks across records from the stored facts of the others; with nothing changed it prints
the stored answer.
"""

from __future__ import annotations

import gc
import marshal
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from cepa.base.problems import Problem
from cepa.base.text import PerLanguage, local
from cepa.evidence.measures import QuantityError, claims, prepared, takes
from cepa.evidence.results import ClaimStatus
from cepa.records import checks as record_checks
from cepa.records.checked import (
    CheckedCache,
    Key,
    Sight,
    Validation,
    problems_of,
    stamps_of,
    stored,
)
from cepa.records.kinds import BUILT_IN, KINDS, names
from cepa.records.loader import MAX_BYTES
from cepa.records.workspace import Entry, Workspace

__all__ = ["Validation", "problems", "validate", "validate_root"]

#: From this many files to check on, a second process checks about half of them.
PARALLEL = 1_000
#: Up to this many changed files, a run reads them from YAML rather than open the parse
#: cache (reading and rewriting all of it costs more than parsing a few files).
FEW = 64


# --- claims, on what each claim takes of each record -------------------------------------------


class ClaimFacts(NamedTuple):
    """What the claims of the project file take of one record: which claims count it, its
    count's total (None: it holds none), whether that total is estimated and why, and what
    it names for each claim that counts different things (host organisations, services)."""

    chosen: tuple[int, ...]
    #: the project's reporting periods its date lies in (a claim about one counts only them)
    periods: tuple[str, ...]
    total: int | None
    estimated: bool
    #: why, in the record's words: a plain text, or one per language (a plain dict, so
    #: that the cache of checked results can store it)
    why: str | dict[str, str]
    values: tuple[tuple[int, tuple[str, ...]], ...]


def _prepared_claims(project: Any) -> list[tuple[Any, dict[str, set[str]]] | None]:
    """Each claim's measure and filters, or None for one that counts no records (a
    primary-participants claim, or one that names an unknown measure or filter)."""
    out: list[tuple[Any, dict[str, set[str]]] | None] = []
    for c in project.claims:
        try:
            out.append(prepared(c.quantity))
        except QuantityError:
            out.append(None)
    return out


def _claim_periods(project: Any) -> list[Any]:
    """The reporting periods the claims of the project file are about."""
    from cepa.evidence.periods import of_project

    names = dict.fromkeys(c.period for c in project.claims
                          if c.period in project.reporting_periods)
    return [of_project(project, n) for n in names]


def claim_facts(ready: list[tuple[Any, dict[str, set[str]]] | None], e: Entry,
                periods: Sequence[Any] = ()) -> ClaimFacts:
    from cepa.evidence.figures import _why
    from cepa.evidence.periods import in_period
    from cepa.records.kind import Distinct

    chosen = []
    values = []
    for i, prep in enumerate(ready):
        if prep is None:
            continue
        m, wanted = prep
        if takes(m, wanted, e):
            chosen.append(i)
            if isinstance(m.stat, Distinct):
                values.append((i, tuple(m.stat.values(e.record))))
    c = KINDS[e.kind].count_of(e.record)
    estimated = c is not None and "total" in c.estimated
    why = _why(e) if estimated else ""
    within = tuple(str(p.name) for p in periods if in_period([e], p)[0]) if chosen else ()
    return ClaimFacts(tuple(chosen), within, c.total if c is not None else None, estimated,
                      dict(why) if isinstance(why, dict) else why, tuple(values))


class _Count(NamedTuple):
    """A record's count as a claim reads it."""

    total: int
    estimated: tuple[str, ...]
    note: Any = None
    basis: Any = None


class _Record:
    """A record made of its stored facts: what ``Tally`` reads of one when a claim counts
    it (its id, its count under its kind's name for it, why that count is estimated)."""

    __slots__ = ("_count", "_field", "id", "sources", "values")

    def __init__(self, kind: str, rid: str, f: ClaimFacts) -> None:
        self.id = rid
        self._field = KINDS[kind].count
        # why it is estimated: as a note when given per language, else as the sources
        per_language = PerLanguage(f.why) if isinstance(f.why, dict) else None
        self._count = (None if f.total is None
                       else _Count(f.total, ("total",) if f.estimated else (), per_language))
        self.sources = (f.why,) if isinstance(f.why, str) and f.why else ()
        self.values = dict(f.values)

    def __getattr__(self, name: str) -> Any:
        if name == self._field:
            return self._count
        raise AttributeError(name)


def check_claims(ws: Workspace, project: Any,
                 seen: Sequence[tuple[str, record_checks.Facts, ClaimFacts]]
                 ) -> Iterator[Problem]:
    """Claims against the records; not judged while record files fail to load, since their
    figures would be missing (those files' own errors say what to fix first)."""
    if not project.claims:
        return
    picked: list[list[Entry]] = [[] for _ in project.claims]
    named = [c.period if c.period in project.reporting_periods else None
             for c in project.claims]
    for path, f, cf in seen:
        if cf.chosen:
            e = Entry(f.kind, path, _Record(f.kind, f.id, cf))
            for i in cf.chosen:
                if named[i] is None or named[i] in cf.periods:
                    picked[i].append(e)
    broken = bool(ws.broken_files())
    lang = project.language  # a text given per language is quoted in the project's
    rows = claims(project, [], picked=picked, values=lambda i, e: e.record.values.get(i, ()))
    for c in rows:
        if broken and c.status is ClaimStatus.CONTRADICTED:
            continue
        loc = ("claims", c.index)
        text = local(c.text, lang, lang)
        if c.status is ClaimStatus.INVALID:
            yield ws.problem_at(ws.project_path, (*loc, "quantity"), "claim-invalid",
                                f"claim '{text}' cannot be computed: {c.error}")
        elif c.status is ClaimStatus.CONTRADICTED:
            computed = ("nothing (no records match)" if c.computed is None
                        else c.computed.describe())
            yield ws.problem_at(
                ws.project_path, (*loc, "value"), "claim-contradicted",
                f"claim '{text}' says {c.op} {c.claimed}, but the records give "
                f"{computed}")


def check_submitted(ws: Workspace) -> list[Problem]:
    """Figures of a submitted period that moved with no reason recorded
    (cepa/evidence/submission.py): they depend on every figure, not on one record's facts,
    so they are checked on the loaded workspace, after the cached answer."""
    if ws.project is None or ws.broken_files() or not (ws.root / "submissions").is_dir():
        return []
    from cepa.evidence.submission import check_submissions

    return list(record_checks.silence(ws, check_submissions(ws)))


# --- one record file, checked or as stored ---------------------------------------------------


class Checked(NamedTuple):
    """What is kept of one record file: its display path, the problems of reading it and of
    its own checks, and its facts (None when it did not pass the schema)."""

    shown: str
    read: tuple[tuple[Any, ...], ...]
    own: tuple[tuple[Any, ...], ...]
    facts: tuple[Any, ...] | None
    claims: tuple[Any, ...] | None


class _Run:
    """One run of every check over a workspace, taking what it can from the cache."""

    def __init__(self, ws: Workspace) -> None:
        assert ws.project is not None
        self.ws = ws
        self.ctx = record_checks.Context(ws, ws.project)
        self.ready = _prepared_claims(ws.project)
        self.periods = _claim_periods(ws.project)

    def record(self, e: Entry, read: list[Problem]) -> Checked:
        """Check a record just read."""
        facts = record_checks.facts_of(self.ctx, e)
        return Checked(e.path, tuple(stored(p) for p in read),
                       tuple(stored(p) for p in record_checks.check_record(self.ctx, e)),
                       tuple(facts), tuple(claim_facts(self.ready, e, self.periods)))

    def answer(self, results: Sequence[Checked], outside: list[Problem]) -> list[Problem]:
        """Every problem: ``outside`` the record files (the project file, what is not
        read), each file's own, and those across records."""
        ws, ctx = self.ws, self.ctx
        out = list(outside)
        seen: list[tuple[str, record_checks.Facts, ClaimFacts]] = []
        for r in results:
            out += problems_of(r.read) + problems_of(r.own)
            if r.facts is not None and r.claims is not None:
                seen.append((r.shown, record_checks.Facts(*r.facts), ClaimFacts(*r.claims)))
        out += record_checks.check_project(ctx)
        out += record_checks.check_across(ctx, [(path, f) for path, f, _ in seen])
        out += check_claims(ws, ws.project, seen)
        return sorted(set(record_checks.silence(ws, out)))


def _failed(shown: str, read: list[Problem]) -> Checked:
    return Checked(shown, tuple(stored(p) for p in read), (), None, None)


# --- validate ----------------------------------------------------------------------------------


def validate_root(root: Path, max_bytes: int = MAX_BYTES, *, cache: bool = True,
                  sight: Sight | None = None) -> Validation:
    """``cepa validate`` of the project at ``root``: the stored answer when nothing changed
    since the last run; else the record files that changed (or are new) are read and
    checked, the others' problems and facts come from the cache of checked results, and
    the checks across records run on every record's facts. ``sight``: what a look at the
    files just saw (cepa/records/checked.py ``look``), when the caller took one."""
    from cepa.records import workspace
    from cepa.records.checked import look

    if cache and sight is None:
        sight = look(root, max_bytes)
    if sight is not None and sight.answer is not None:
        return sight.answer
    if sight is not None and sight.kinds != names():
        sight = None
    collecting = gc.isenabled()
    gc.disable()  # many small objects and no cycles (see workspace.load)
    try:
        ws = workspace.begin(root, max_bytes=max_bytes, cache=cache,
                             found=sight.found if sight is not None else None)
        store = _store(ws, cache)
        found = ws.found
        assert found is not None
        stamps = sight.stamps if sight is not None else stamps_of(root, found)
        if ws.project is None:  # nothing to check records against: read them all
            for i in range(len(ws.listed)):
                ws.read(i)
            ws.done()
            result = sorted(set(record_checks.silence(ws, list(ws.problems))))
            return Validation(str(root), ws.files, result, _notes(store))
        stored_results = store.results() if store is not None else {}
        outside = list(ws.problems)
        run = _Run(ws)
        fresh = []
        for f in ws.listed:
            st = stamps.get(f.rel)
            old = stored_results.get(f.rel)
            fresh.append(st is None or old is None or old[0] != st or old[1][0] != f.shown)
        if stored_results and sum(fresh) <= FEW:  # from YAML: the parse cache costs more
            ws.parsed = None
        done = _check_files(ws, run, [i for i, x in enumerate(fresh) if x])
        results: list[Checked] = []
        kept: dict[str, Any] = {}
        for i, f in enumerate(ws.listed):
            if not fresh[i]:
                st = stamps[f.rel]
                r = Checked(*stored_results[f.rel][1])
                ws.problems += problems_of(r.read)  # a broken file stays broken
                if ws.parsed is not None:
                    ws.parsed.keep(f.rel)
            else:
                r, st = done[i]
            results.append(r)
            if st is not None:
                kept[f.rel] = (st, tuple(r))
        ws.done()
        result = run.answer(results, outside)
        if store is not None:
            store.save(found, {f.rel: kept[f.rel][0] if f.rel in kept else None
                               for f in ws.listed}, result, kept,
                       _until(ws), builtin=_builtin())
        return Validation(str(root), ws.files, result, _notes(store))
    finally:
        if collecting:
            gc.enable()


def _check_one(ws: Workspace, run: _Run, i: int) -> tuple[Checked, Any]:
    """Read and check the ``i``-th file listed: what is kept of it, and its stamp."""
    f = ws.listed[i]
    before = len(ws.problems)
    e = ws.read(i, keep=False)  # what is kept of it is its facts, not the record
    read = ws.problems[before:]
    r = run.record(e, read) if e is not None else _failed(f.shown, read)
    return r, ws.stamps.get(f.rel) if ws.stamps is not None else None


def _check_files(ws: Workspace, run: _Run, todo: list[int]) -> dict[int, tuple[Checked, Any]]:
    """Read and check the files listed at ``todo``. Many of them are shared with a second
    process where the machine has a second core: reading YAML and checking records is
    work per file, and a cold run of 10,000 files takes half the time."""
    if len(todo) < PARALLEL or not _can_fork():
        return {i: _check_one(ws, run, i) for i in todo}
    if ws.parsed is not None:
        ws.parsed.knows("")  # read the parse cache once, before the processes part
    cut = len(todo) * 9 // 20  # the parent also takes in the other's results
    ours, theirs = todo[:cut], todo[cut:]
    got, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the second process: check its files, send what is kept, leave
        code = 1
        try:
            os.close(got)
            out = []
            for i in theirs:
                r, st = _check_one(ws, run, i)
                rel = ws.listed[i].rel
                parsed = ws.parsed.taken(rel) if ws.parsed is not None else None
                out.append((i, tuple(r), st, parsed))
            data = marshal.dumps(out)
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no buffers of the parent's flushed twice
    os.close(w)
    done = {i: _check_one(ws, run, i) for i in ours}
    with os.fdopen(got, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    try:
        sent = marshal.loads(data) if status == 0 else None
    except (EOFError, ValueError, TypeError):
        sent = None
    if sent is None:  # it failed: check its files here
        done.update((i, _check_one(ws, run, i)) for i in theirs)
        return done
    for i, r, st, parsed in sent:
        c = Checked(*r)
        ws.problems += problems_of(c.read)
        if parsed is not None and ws.parsed is not None:
            ws.parsed.adopt(ws.listed[i].rel, parsed)
        done[i] = (c, st)
    return done


def _can_fork() -> bool:
    """A second process, forked: where there is a second core and fork is safe (not on
    Windows, which has none, nor macOS, where system libraries may not survive it)."""
    return (hasattr(os, "fork") and sys.platform != "darwin"
            and len(os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity")
                    else range(os.cpu_count() or 1)) > 1)


def _store(ws: Workspace, cache: bool) -> CheckedCache | None:
    if not cache:
        return None
    return CheckedCache(ws.root, Key.of(ws.root, names(), ws.max_bytes))


def _notes(store: CheckedCache | None) -> list[str]:
    return [store.warning] if store is not None and store.warning else []


def _until(ws: Workspace) -> str | None:
    return record_checks.due_until(ws.project) if ws.project is not None else None


def _builtin() -> bool:
    return names() == tuple(k.name for k in BUILT_IN)


def problems(ws: Workspace) -> list[Problem]:
    """Every problem of a loaded workspace, sorted, less the warnings the project
    silences. A workspace read from disk (``workspace.load``) takes the stored answer when
    its files are those the cache of checked results knows, and leaves its own for the
    next run."""
    if ws.project is None:
        return sorted(set(record_checks.silence(ws, list(ws.problems))))
    store = None
    found = ws.found
    stamps = ws.stamps
    if found is not None and stamps is not None and ws.listed:
        store = _store(ws, ws.parsed is not None and ws.parsed.enabled)
        if store is not None:
            known = {f.rel: stamps.get(f.rel) for f in ws.listed}
            warm = store.answer(found, known)
            if warm is not None:
                return sorted(set(warm + check_submitted(ws)))
    run = _Run(ws)
    by_path: dict[str, list[Problem]] = {}
    for p in ws.problems:
        by_path.setdefault(p.path, []).append(p)
    entries: dict[str, Entry] = {e.path: e for e in ws.entries}
    results: list[Checked] = []
    files = {f.shown for f in ws.listed}
    for e in ws.entries:  # a workspace made in memory lists no files: its records stand alone
        if e.path not in files:
            results.append(run.record(e, []))
    kept: dict[str, Any] = {}
    for f in ws.listed:
        got = entries.get(f.shown)
        read = by_path.pop(f.shown, [])
        r = run.record(got, read) if got is not None else _failed(f.shown, read)
        results.append(r)
        st = stamps.get(f.rel) if stamps is not None else None
        if st is not None:
            kept[f.rel] = (st, tuple(r))
    outside = [p for ps in by_path.values() for p in ps]
    result = run.answer(results, outside)
    if store is not None and found is not None:
        store.save(found, {f.rel: kept[f.rel][0] if f.rel in kept else None
                           for f in ws.listed}, result, kept, _until(ws), builtin=_builtin())
    return sorted(set(result + check_submitted(ws)))


def validate(ws: Workspace) -> Validation:
    """``cepa validate`` of a loaded workspace: every problem, in one result."""
    return Validation(str(ws.root), ws.files, problems(ws))
