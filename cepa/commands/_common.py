"""What the commands share: options, opening a project, and showing tables.

The core is imported inside the functions, so ``cepa --help`` pays only for typer.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from cepa.document.tables import Table
    from cepa.evidence.aggregate import Period
    from cepa.records.workspace import Workspace


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


PathArg = Annotated[
    Path | None,
    typer.Argument(help="The project folder (default: found from the current folder upwards).",
                   show_default=False),
]
FormatOpt = Annotated[
    Format,
    typer.Option("--format", "-f", help="table (on a terminal), json, csv or markdown."),
]
PeriodOpt = Annotated[
    str | None,
    typer.Option("--period", help="A reporting period named in the project file, e.g. interim."),
]
FromOpt = Annotated[
    str | None,
    typer.Option("--from", help="Count records from this month or day (YYYY-MM[-DD])."),
]
ToOpt = Annotated[
    str | None,
    typer.Option("--to", help="Count records up to this month or day (YYYY-MM[-DD])."),
]
MaxBytesOpt = Annotated[
    int,
    typer.Option("--max-bytes", help="Refuse record files larger than this many bytes "
                                     "(at most 64 MiB: records are small).",
                 min=1, max=1 << 26),
]
PublicOpt = Annotated[
    bool,
    typer.Option("--public", help="Publication mode: suppress and round counts about children "
                                  "(the same as --audience public)."),
]


class AudienceName(StrEnum):
    team = "team"
    evaluator = "evaluator"
    public = "public"


AudienceOpt = Annotated[
    AudienceName | None,
    typer.Option("--audience", help="For whom: team (the default: every figure and record as "
                                    "recorded), evaluator (exact totals, claims and coverage, "
                                    "without any row or free text about children and service "
                                    "users), or public (as --public).", show_default=False),
]


LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help="The language of the output: en, nl, et (default: the "
                                "project file's 'language', else English; 'pseudo' marks "
                                "every word of cepa's own, for translators' checks)."),
]


@contextmanager
def language(code: str | None, ws: Workspace | None = None) -> Iterator[None]:
    """Write in ``code`` (else the project's language) until the block ends; exit 2 for a
    language cepa has no catalogue for."""
    from cepa.document import language as i18n

    project = ws.project.language if ws is not None and ws.project else None
    labels = ws.project.labels if ws is not None and ws.project else None
    try:
        with i18n.using(code, project, labels):
            yield
    except i18n.LanguageError as e:
        fail(str(e), 2)


def fail(message: str, code: int = 1) -> NoReturn:
    """Say what is wrong on stderr and leave with ``code``."""
    typer.echo(escape(f"cepa: error: {message}"), err=True)
    raise typer.Exit(code)


def escape(text: str) -> str:
    """Text from a user's files or command line made safe to print (see problems.escape)."""
    from cepa.base.text import escape as esc

    return esc(text)


def safe(value: Any) -> Any:
    """A copy of a result (tables, lists, mappings, dataclasses) with every text escaped,
    so that no name or value from a record can forge an output line or reach a terminal
    as a control sequence."""
    import dataclasses

    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list | tuple):
        return type(value)(safe(v) for v in value)
    if isinstance(value, dict):
        return {safe(k): safe(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: safe(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


@contextmanager
def user_errors(*kinds: type[Exception], writing: object = None) -> Iterator[None]:
    """The core's exceptions for what a user can fix, as 'cepa: error: ...' and exit 1:
    the given kinds, a file that would be overwritten, and a file that cannot be written."""
    from cepa.base.files import WontOverwrite

    caught: tuple[type[Exception], ...] = (WontOverwrite, *kinds)
    try:
        yield
    except caught as e:
        fail(str(e))
    except OSError as e:
        fail(f"cannot write {writing or getattr(e, 'filename', '')}: {e.strerror or e}")


def note(message: str) -> None:
    typer.echo(escape(message), err=True)


class NoProject(Exception):
    """No project where the user pointed: a usage error (exit 2)."""


def find_project(path: Path | None) -> Path:
    """The records root of the project at or above ``path`` (else the current folder);
    ``NoProject`` when there is none."""
    from cepa.records import files

    start = path or Path.cwd()
    if path is not None and not os.path.lexists(path):
        raise NoProject(f"{path} does not exist")
    try:
        return files.find_root(start)
    except (files.ProjectNotFound, OSError) as e:
        raise NoProject(str(e)) from None


def project_root(path: Path | None) -> Path:
    """The records root of the project at or above ``path``; exit 2 when there is none."""
    try:
        return find_project(path)
    except NoProject as e:
        fail(str(e), 2)


def load_project(path: Path | None, max_bytes: int | None = None) -> Workspace:
    """Find and load a project, broken project file or not; ``NoProject`` when there is
    none."""
    from cepa.records import loader
    from cepa.records import workspace as project

    root = find_project(path)
    from cepa.base.files import finish

    done = finish(root)  # an import stopped half-way is completed before anything is read
    if done:
        note(f"{root}: {done}")
    ws = project.load(root, max_bytes=max_bytes or loader.MAX_BYTES)
    # The loaded records live until the command ends: move them out of the cyclic
    # collector's sight, so that checks and aggregation do not walk them again and again.
    gc.freeze()
    return ws


def open_project(path: Path | None, max_bytes: int | None = None) -> Workspace:
    """Find and load a project; exit 2 when there is none, 1 when its project file is broken."""
    try:
        ws = load_project(path, max_bytes)
    except NoProject as e:
        fail(str(e), 2)
    if ws.project is None:
        for p in sorted(ws.problems):
            typer.echo(str(p), err=True)
        fail(f"the project file {ws.project_path} has errors; fix them first "
             "(cepa validate lists every problem)")
    return ws


AllowErrorsOpt = Annotated[
    bool,
    typer.Option("--allow-errors",
                 help="Write it even when record files have errors: they are left out, and "
                      "the output says so."),
]


def warn_if_broken(ws: Workspace) -> None:
    """Commands that only show figures go on without broken records, but say so."""
    bad = ws.broken_files()
    if bad:
        note(f"warning: {len(bad)} record file(s) have errors and are left out of the "
             f"figures (first: {bad[0]}); run 'cepa validate' to see them")


def refuse_if_broken(ws: Workspace, allow: bool, public: bool = False) -> None:
    """Commands that write a document for others stop while 'cepa validate' reports any
    error - a record missing from the figures, a breakdown that does not add up, a claim
    the records contradict - unless the user says --allow-errors. A public output does
    not stop for a claim or a known total about protected people: that it was written
    would confirm the count they state."""
    from cepa.evidence.checks import problems

    errors = [p for p in problems(ws) if p.level == "error"]
    if public:
        from cepa.publication.gate import about_protected

        errors = [p for p in errors if not about_protected(ws, p)]
    if errors and not allow:
        fail(f"'cepa validate' reports {len(errors)} error(s) (first: {errors[0]}); fix them "
             "first, or pass --allow-errors to write it as the records stand")
    if errors:
        note(f"warning: written despite {len(errors)} error(s) that 'cepa validate' reports")
    warn_if_broken(ws)


def check_output(path: Path, suffix: str, what: str) -> None:
    """Refuse (exit 2) an output file whose name says another format than the one written:
    ``report -o x.pdf`` would be a Word document that no PDF reader opens."""
    if path.suffix.lower() != suffix:
        fail(f"{path}: {what}; name the output with {suffix}, e.g. "
             f"{path.with_suffix(suffix).name}", 2)


def period_of(ws: Workspace, name: str | None, start: str | None, end: str | None) -> Period:
    from cepa.evidence.periods import PeriodError, resolve_period

    assert ws.project is not None
    try:
        return resolve_period(ws.project, name, start, end)
    except PeriodError as e:
        fail(str(e), 2)


def public_period(ws: Workspace, per: Period) -> None:
    """Publication mode works on the whole project or a named reporting period."""
    from cepa.publication.gate import PublicationError, publishable_period

    assert ws.project is not None
    try:
        publishable_period(ws.project, per)
    except PublicationError as e:
        fail(str(e), 2)


def gate(workspaces: list[Workspace], periods: list[Period]) -> Any:
    """The publication gate of a public output, or exit 1 when it cannot publish safely."""
    from cepa.publication.gate import PublicationError, gate_for

    try:
        return gate_for(workspaces, periods)
    except PublicationError as e:
        fail(str(e))


def audience_of(public: bool, audience: AudienceName | None) -> str:
    """The audience asked for: ``--public`` is ``--audience public``; exit 2 when the two
    disagree."""
    if public and audience not in (None, AudienceName.public):
        fail(f"--public is --audience public, not --audience {audience}; give one of them", 2)
    return "public" if public else (audience.value if audience else "team")


def audience_gate(workspaces: list[Workspace], periods: list[Period], audience: str) -> Any:
    """The gate an output for ``audience`` passes (None for the team's own): the public
    plan (exit 1 when it cannot publish safely), or the evaluator's rules."""
    if audience == "public":
        return gate(workspaces, periods)
    if audience == "evaluator":
        from cepa.publication.audience import evaluator_gate

        return evaluator_gate(workspaces, periods)
    return None


def show_tables(tables: list[Table], fmt: Format, header: str = "") -> None:
    """Print tables as a rich table on a terminal, plain text in a pipe, or Markdown/CSV."""
    from cepa.writers import terminal

    # a table with no rows and no note says nothing (interviews in a project without any)
    tables = safe([x for x in tables if x.rows or x.notes])
    header = "\n".join(escape(line) for line in header.split("\n"))
    if fmt is Format.csv:
        sys.stdout.write(terminal.to_csv(tables))
    elif fmt is Format.markdown:
        sys.stdout.write(terminal.to_markdown(tables, f"# {header}" if header else ""))
    elif sys.stdout.isatty():
        terminal.print_rich(tables, header)
    else:
        sys.stdout.write(terminal.to_plain(tables, header))


def print_json(data: Any, step: Any = None) -> None:
    """JSON on stdout, as ``json.dumps(data, indent=2, ensure_ascii=False, default=str)``
    writes it. json escapes C0 controls itself; the others (C1, line separators,
    bidirectional overrides) can only stand inside strings, where \\u escapes mean the same.

    Written as it is made, a megabyte at a time, by a plain recursive writer: the summary
    of 100,000 records is a quarter of a gigabyte of JSON, which json.dumps would hold
    whole, in millions of parts, after passing each through a generator per level.
    ``step``: how to make a value that is not plain JSON one level plainer
    (cepa/evidence/results.py ``json_step``), so that a result is written as ``as_json``
    would make it without its plain copy ever being whole."""
    from cepa.base.text import UNSAFE_IN_JSON

    out = sys.stdout
    buf: list[str] = []

    def flush() -> None:
        out.write(UNSAFE_IN_JSON.sub(_escaped_json, "".join(buf)))
        buf.clear()

    _json(data, buf, "\n", flush, step)
    buf.append("\n")
    flush()


def _escaped_json(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def _json(o: Any, buf: list[str], nl: str, flush: Any, step: Any = None) -> None:
    """``o`` as json.dumps(indent=2, ensure_ascii=False, default=str) writes it, into
    ``buf`` (``nl``: a line break and the indent of ``o``'s level)."""
    t = o.__class__
    if t is str:
        buf.append(encode_basestring(o))
    elif o is None:
        buf.append("null")
    elif o is True:
        buf.append("true")
    elif o is False:
        buf.append("false")
    elif t is int:
        buf.append(int.__repr__(o))
    elif t is float:
        buf.append(_float(o))
    elif isinstance(o, dict):
        if not o:
            buf.append("{}")
            return
        inner = nl + "  "
        sep = "{" + inner
        for k, v in o.items():
            buf.append(sep)
            sep = "," + inner
            buf.append((encode_basestring(k) if k.__class__ is str else _json_key(k)) + ": ")
            vt = v.__class__
            if vt is str:
                buf.append(encode_basestring(v))
            elif v is None:
                buf.append("null")
            elif vt is int:
                buf.append(int.__repr__(v))
            elif vt is bool:
                buf.append("true" if v else "false")
            else:
                _json(v, buf, inner, flush, step)
        buf.append(nl + "}")
        if len(buf) > 50_000:
            flush()
    elif isinstance(o, list | tuple):
        if not o:
            buf.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for v in o:
            buf.append(sep)
            sep = "," + inner
            if v.__class__ is str:
                buf.append(encode_basestring(v))
            else:
                _json(v, buf, inner, flush, step)
        buf.append(nl + "]")
    elif isinstance(o, str):
        buf.append(encode_basestring(o))
    elif isinstance(o, int):  # an IntEnum (bool is caught above)
        buf.append(int.__repr__(o))
    elif isinstance(o, float):
        buf.append(_float(o))
    else:
        plain = step(o) if step is not None else o
        _json(plain if plain is not o else str(o), buf, nl, flush, step)


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == -float("inf"):
        return "-Infinity"
    return float.__repr__(o)


def _json_key(k: Any) -> str:
    if isinstance(k, str):
        return encode_basestring(k)
    if isinstance(k, float):
        return encode_basestring(_float(k))
    if k is True:
        return '"true"'
    if k is False:
        return '"false"'
    if k is None:
        return '"null"'
    if isinstance(k, int):
        return encode_basestring(int.__repr__(k))
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")
