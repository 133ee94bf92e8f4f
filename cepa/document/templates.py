"""The report's section texts: Jinja2 templates that report writers change without Python.

A template is Markdown with placeholders (``templates/report/*.md.j2``). Templates are
found by name: a project's own ``templates/report/NAME`` (and a ``--texts`` folder)
replaces cepa's template of that name, and every other comes from cepa, so a project
written today gets next year's sections. A kind of record that cepa ships no template for
brings its own (``Kind.template``), else the general ``activity_records.md.j2`` is used.

Templates only format: every value a template prints is written as the document shows it
(a figure as '45*', a coordinator's text in the document's language) and escaped, so that
no record's text becomes a heading or a list; a template's own Markdown (``**``, ``#``,
``- ``) is its own. They run sandboxed: a template from elsewhere cannot reach Python's
internals. ``TemplateError`` names the file and the line of anything wrong in one. No value
is ever printed as Python writes it (``RecordNote(id=...)``): a value with a text prints
its text, a list its items, and anything else stops the report at its line.

Each of cepa's templates starts with a version mark, ``{# cepa template 0.1.0 ... #}``: the
version of cepa in which it last changed. ``cepa templates copy`` copies the mark with the
text, so a project's template says which of cepa's it was written from, and ``cepa
validate`` (``check``) names one written from an older template than cepa's own, beside
every error a project's template has.
"""

from __future__ import annotations

import enum
import hashlib
import re
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from cepa.base.dates import UNKNOWN
from cepa.document import language as lang
from cepa.document import words
from cepa.document.markdown import Markdown, escape
from cepa.evidence.figures import Figure
from cepa.evidence.results import Place
from cepa.records.kinds import KINDS

GENERAL = "activity_records"


class TemplateError(Exception):
    """A section text template is broken: a syntax error, an unknown placeholder."""

    def __init__(self, template: str, line: int | None, message: str) -> None:
        where = f"{template}, line {line}" if line else template
        super().__init__(f"report template {where}: {message}")
        self.template = template
        self.line = line
        self.why = message


def shipped() -> Path:
    """The folder of cepa's own templates (``templates/`` of the repository)."""
    return Path(str(resources.files("cepa._templates")))


def shipped_names() -> list[str]:
    return sorted(p.name for p in (shipped() / "report").glob("*.md.j2"))


class Unprintable(TypeError):
    """A template prints a value that has no text of its own (a whole activity)."""


def _per_language(value: dict[Any, Any]) -> bool:
    return bool(value) and all(isinstance(k, str) and len(k) == 2 and k.isalpha()
                               for k in value)


def _show(value: Any) -> str:
    """What a template prints for a value: Markdown as it is, everything else as the
    document shows it, escaped; never as Python writes an object."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        return ""
    if isinstance(value, Figure):
        return escape(words.figure_text(value))
    if isinstance(value, bool):
        return escape(words.cell(value).text)
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, str | int | float):
        return escape(str(value))
    if isinstance(value, date):
        return escape(lang.day_month_year(value))
    if isinstance(value, dict) and _per_language(value):
        return _show(lang.local(value))
    if isinstance(value, Place):
        return escape(words.place_text(value, {}))
    if isinstance(value, list | tuple):
        return ", ".join(_show(v) for v in value)
    text = getattr(value, "text", None)
    if isinstance(text, str | dict):  # a note, a comment, a theme: its words
        return _show(text)
    what = "a mapping" if isinstance(value, dict) else f"a whole {type(value).__name__}"
    raise Unprintable(f"it prints {what}, which has no text of its own; print one of its "
                      "fields (see templates/report/README.md)")


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    """A {% trans %} block's values as plain text (its sentence is escaped as a whole by
    ``_show``, as every {{ }} is)."""
    out: dict[str, Any] = {}
    for k, v in values.items():
        if isinstance(v, Figure):
            v = words.figure_text(v)
        elif isinstance(v, dict):
            v = lang.local(v)
        elif isinstance(v, Place):
            v = words.place_text(v, {})
        out[k] = v
    return out


def _upper_first(text: Any) -> str:
    text = str(lang.local(text) or "")
    return text[:1].upper() + text[1:]


class Templates:
    """Renders the section texts: a project's overrides first, then cepa's own."""

    def __init__(self, overrides: Sequence[Path] = ()) -> None:
        import jinja2
        import jinja2.sandbox

        self._jinja = jinja2
        own = {f"activity_{k.name}.md.j2": k.template for k in KINDS.values() if k.template}
        self.env = _sandbox()(
            loader=jinja2.ChoiceLoader([
                jinja2.FileSystemLoader([str(p) for p in overrides]),
                jinja2.FileSystemLoader(str(shipped() / "report")),
                jinja2.DictLoader(own)]),
            undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
            finalize=_show, extensions=["jinja2.ext.i18n"])
        self.env.install_gettext_callables(  # type: ignore[attr-defined]
            lang._, lang.ngettext, newstyle=True, pgettext=lang.pgettext,
            npgettext=lang.npgettext)
        # a {% trans %} block's values shown as {{ }} shows them (a text per language in
        # the document's language, a figure as the document writes it), never as a Python
        # object's repr
        self.env.globals.update(
            gettext=lambda __s, **v: lang._(__s) % _shown(v),
            ngettext=lambda __s, __p, __n, **v: lang.ngettext(__s, __p, __n) % _shown(
                {"num": __n, **v}),
            pgettext=lambda __c, __s, **v: lang.pgettext(__c, __s) % _shown(v),
            npgettext=lambda __c, __s, __p, __n, **v: lang.npgettext(__c, __s, __p, __n)
            % _shown({"num": __n, **v}))
        self.env.filters.update(
            fig=words.figure_text, when=lang.when, language=lang.language,
            number=lang.number, local=lang.local, upper_first=_upper_first,
            counted=lambda f, pair: words.count(pair, f), status=words.status_word,
            label=lang.label)
        self.env.tests["recorded"] = words.recorded
        self.env.tests["known_date"] = lambda d: bool(d) and d != UNKNOWN
        self.env.tests["known"] = lambda v: v is not None and v != "" and lang.local(v) != UNKNOWN
        # a coordinator's 'unknown' in the document's words
        self.env.filters["or_unrecorded"] = lambda v: (
            lang.pgettext("figure", "not recorded") if v is None or lang.local(v) in ("", UNKNOWN)
            else v)
        self.overrides = list(overrides)

    def name_for(self, kind: str) -> str:
        """The template of an activity of ``kind``: its own, else the general one."""
        name = f"activity_{kind}.md.j2"
        return name[:-len(".md.j2")] if self.exists(name) else GENERAL

    def exists(self, filename: str) -> bool:
        try:
            self.env.get_template(filename)
        except self._jinja.TemplateNotFound:
            return False
        except self._jinja.TemplateSyntaxError:
            return True
        return True

    def render(self, name: str, context: dict[str, Any]) -> str:
        """The Markdown a template makes of ``context``."""
        jinja2 = self._jinja
        filename = f"{name}.md.j2"
        try:
            template = self.env.get_template(filename)
        except jinja2.TemplateSyntaxError as e:
            raise TemplateError(e.filename or filename, e.lineno, e.message or str(e)) \
                from None
        except jinja2.TemplateNotFound:
            raise TemplateError(filename, None, "there is no template of this name") from None
        except (OSError, UnicodeDecodeError) as e:
            where = next((str(Path(d) / filename) for d in self.overrides
                          if (Path(d) / filename).is_file()), filename)
            why = ("it is not UTF-8 text: save it as UTF-8 in a text editor"
                   if isinstance(e, UnicodeDecodeError) else f"it cannot be read ({e})")
            raise TemplateError(where, None, why) from None
        path = template.filename or filename
        try:
            return _bounded(template, context, path)
        except jinja2.UndefinedError as e:
            raise TemplateError(path, _template_line(e, path), _undefined_message(e)) \
                from None
        except jinja2.TemplateSyntaxError as e:  # in a template it includes
            raise TemplateError(e.filename or path, e.lineno, e.message or str(e)) from None
        except jinja2.TemplateNotFound as e:
            raise TemplateError(path, _template_line(e, path),
                                f"it includes '{e.name}', which does not exist") from None
        except RecursionError:
            raise TemplateError(path, None, "it includes itself, directly or through "
                                            "another template, without end") from None
        except TemplateError:
            raise
        except Exception as e:  # whatever else a template's expression raises: 1 / 0, ...
            raise TemplateError(path, _template_line(e, path), str(e) or
                                type(e).__name__) from None


def _template_line(exc: BaseException, path: str) -> int | None:
    """The template line an error was raised at: Jinja2 puts it in the traceback frames."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    if lines:
        return lines[-1]
    m = re.search(r"'([^']+)'", str(exc))
    if m:
        try:
            for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
                if m.group(1) in line:
                    return i
        except OSError:
            return None
    return None


def _undefined_message(e: Exception) -> str:
    text = str(e)
    m = re.match(r"'(?:[^']*)' object has no attribute '([^']+)'", text) or \
        re.match(r"'[^']* object' has no attribute '([^']+)'", text) or \
        re.match(r"'([^']+)' is undefined", text)
    name = m.group(1) if m else text
    return (f"unknown placeholder '{name}' ({text}); see templates/report/README.md for "
            "the names a text can use")


# --- templates only format ----------------------------------------------------------------

#: What a template may not do: add, subtract, multiply, divide, or count and sum a list.
FORBIDDEN_FILTERS = frozenset({"length", "count", "sum", "max", "min", "round", "abs",
                               "int", "float"})


@cache
def _operators() -> tuple[type, ...]:
    from jinja2 import nodes

    return (nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod,
            nodes.Pow, nodes.Neg)


def arithmetic(source: str) -> list[tuple[int, str]]:
    """Where a template computes rather than formats: (line, what) for each arithmetic
    operator and each counting or summing filter. cepa's tests hold every shipped template
    to none."""
    import jinja2
    from jinja2 import nodes

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    tree = env.parse(source)
    found: list[tuple[int, str]] = []
    for node in tree.find_all(nodes.Node):
        if isinstance(node, _operators()):
            found.append((node.lineno, type(node).__name__.lower()))
        elif isinstance(node, nodes.Filter) and node.name in FORBIDDEN_FILTERS:
            found.append((node.lineno, f"| {node.name}"))
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) \
                and node.node.name in ("range", "sum", "len"):
            found.append((node.lineno, f"{node.node.name}()"))
    return found


# --- versions: which of cepa's templates a project's was written from -----------------------

#: The version mark on the first line of each of cepa's templates, which a copy keeps.
MARK = re.compile(r"\{#-?\s*cepa template (\d+(?:\.\d+)*)\b")
#: The mark as cepa writes it, for a template last changed in cepa ``version``.
MARK_LINE = ("{{# cepa template {version}: keep this line - 'cepa validate' compares it with "
             "cepa's own template -#}}")


def version_of(text: str) -> str | None:
    """The version mark of a template's text (in its first lines), None when it has none."""
    m = MARK.search("\n".join(text.splitlines()[:3]))
    return m.group(1) if m else None


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


def shipped_text(filename: str) -> str:
    return (shipped() / "report" / filename).read_text(encoding="utf-8")


def history(filename: str, version: str) -> str | None:
    """cepa's template ``filename`` as it was at ``version``: the current one when that is
    its mark, else the copy kept in ``templates/report/history/VERSION/`` when it changed."""
    current = shipped_text(filename)
    if version_of(current) == version:
        return current
    old = shipped() / "report" / "history" / version / filename
    return old.read_text(encoding="utf-8") if old.is_file() else None


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class TemplateProblem:
    """Something wrong with a project's template, at its file and line: ``template-error``
    (the report would stop there), ``template-stale`` (written from an older template of
    cepa's), ``template-unused`` (cepa has no template of its name)."""

    path: Path
    line: int
    code: str
    message: str


def stale(path: Path, text: str) -> TemplateProblem | None:
    """A project's template written from an older template of cepa's than cepa's own."""
    name = path.name
    if name not in shipped_names():
        return None
    theirs, ours = version_of(text), version_of(shipped_text(name))
    stem = name[:-len(".md.j2")]
    if ours is None or theirs == ours:
        return None
    if theirs is None:
        return TemplateProblem(path, 1, "template-stale", (
            f"it has no version mark, so it was copied from a cepa older than the "
            f"version marks (cepa's own {stem} is of {ours}); 'cepa templates diff {stem}' "
            f"shows what differs; bring cepa's changes in, then make its first line "
            + MARK_LINE.format(version=ours)))
    if version_key(theirs) < version_key(ours):
        return TemplateProblem(path, 1, "template-stale", (
            f"it was written from cepa's {stem} of version {theirs}, which has changed since "
            f"(version {ours}); 'cepa templates diff {stem}' shows what changed; bring it in, "
            f"then set the version in its first line to {ours}"))
    return None


def _names(tree: Any) -> Iterator[tuple[str, int]]:
    from jinja2 import nodes

    for node in tree.find_all(nodes.Name):
        if node.ctx == "load":
            yield node.name, node.lineno


def static_problems(path: Path, source: str, env: Any, known: dict[str, Any]
                    ) -> list[TemplateProblem]:
    """What is wrong in a template whatever it is rendered with: its syntax, a name no
    template is given, or a field the value of a name does not have - in every branch, so
    a misspelling inside ``{% if not final %}`` is found before the interim report."""
    import jinja2
    from jinja2 import meta, nodes

    try:
        tree = env.parse(source, path.name, str(path))
    except jinja2.TemplateSyntaxError as e:
        return [TemplateProblem(path, e.lineno or 1, "template-error", e.message or str(e))]
    out = [TemplateProblem(path, node.lineno, "template-error", f"there is no {what} "
                           f"'{node.name}'")
           for kind, what, known_names in ((nodes.Filter, "filter", env.filters),
                                           (nodes.Test, "test", env.tests))
           for node in tree.find_all(kind) if node.name not in known_names]
    if out:
        return out
    try:
        unknown = meta.find_undeclared_variables(tree) - set(known) - set(env.globals)
    except jinja2.TemplateSyntaxError as e:
        return [TemplateProblem(path, e.lineno or 1, "template-error", e.message or str(e))]
    for name, line in _names(tree):
        if name in unknown:
            out.append(TemplateProblem(path, line, "template-error", (
                f"unknown placeholder '{name}'; see templates/report/README.md for the "
                "names a text can use")))
            unknown.discard(name)
    for node in tree.find_all(nodes.Getattr):
        base = node.node
        if isinstance(base, nodes.Name) and base.ctx == "load" and base.name in known:
            value = known[base.name]
            if value is None or isinstance(value, str | int | float | list):
                continue
            has = (node.attr in value) if isinstance(value, dict) else hasattr(value,
                                                                                 node.attr)
            if not has:
                out.append(TemplateProblem(path, node.lineno, "template-error", (
                    f"unknown placeholder '{base.name}.{node.attr}': {base.name} has no "
                    f"'{node.attr}'; see templates/report/README.md")))
    return out


def manifest() -> str:
    """``templates/report/versions.txt``: each of cepa's templates, its version mark and a
    digest of its text. A test compares it with the templates, so a template changed
    without a new mark (and its old text under history/) fails."""
    lines = []
    for name in shipped_names():
        text = shipped_text(name)
        lines.append(f"{name} {version_of(text)} {digest(text)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Changes:
    """What ``cepa templates diff`` shows: the lines of a unified diff between two texts,
    and which they are (``since``: cepa's changes since the version a project's template
    was written from; else the project's template against cepa's)."""

    old_name: str
    new_name: str
    lines: list[str]
    since: bool


def changes(filename: str, theirs: str | None, their_path: str) -> Changes:
    """What differs between a project's template (``theirs``, None when it has none) and
    cepa's own: cepa's changes since the version the project's was written from when cepa
    keeps that version, else the two texts side by side."""
    import difflib

    ours = shipped_text(filename)
    our_version = version_of(ours) or "?"
    mark = version_of(theirs) if theirs is not None else None
    base = history(filename, mark) if mark and mark != our_version else None
    if base is not None:
        old, old_name, since = base, f"cepa's {filename} of {mark}", True
    else:
        old, old_name, since = theirs or "", their_path, False
    new_name = f"cepa's {filename} of {our_version}"
    lines = list(difflib.unified_diff(old.splitlines(keepends=True),
                                      ours.splitlines(keepends=True), old_name, new_name))
    return Changes(old_name, new_name, lines, since)
#: What one section text may cost: its length, the longest value an expression may make
#: (``"ab" * 1500000000``), and the time it may take.
MAX_OUTPUT = 4 << 20
MAX_VALUE = 1 << 20
MAX_SECONDS = 10.0


def _sandbox() -> Any:
    """Jinja2's sandbox, with every operator that can make a value of any size (``*``,
    ``**``, ``%``, ``+``) and every filter that pads to a width checked first."""
    import jinja2.sandbox

    def sized(value: Any) -> int:
        return len(value) if isinstance(value, str | list | tuple | bytes) else 0

    class Sandbox(jinja2.sandbox.SandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**", "%", "+"])

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*" and (isinstance(left, int) and sized(right) * left > MAX_VALUE
                                    or isinstance(right, int)
                                    and sized(left) * right > MAX_VALUE):
                raise TemplateLimit(f"it makes a value longer than {MAX_VALUE:,} characters")
            if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
                raise TemplateLimit("it raises a number to a power above 64")
            if operator == "%" and isinstance(left, str) and _WIDTH.search(left):
                raise TemplateLimit("it pads a value to a width above 10,000")
            if operator == "+" and sized(left) + sized(right) > MAX_VALUE:
                raise TemplateLimit(f"it makes a value longer than {MAX_VALUE:,} characters")
            return super().call_binop(context, operator, left, right)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name in ("center", "indent", "wordwrap", "truncate"):
                self.filters[name] = _capped(self.filters[name])

    return Sandbox


_WIDTH = re.compile(r"%[-+ #0]*(?:\*|\d{5,})|%[-+ #0]*\d*\.(?:\*|\d{5,})")


def _capped(f: Any) -> Any:
    def capped(value: Any, *args: Any, **kwargs: Any) -> Any:
        if any(isinstance(a, int) and not isinstance(a, bool) and a > 10_000
               for a in (*args, *kwargs.values())):
            raise TemplateLimit("it pads a value to a width above 10,000")
        return f(value, *args, **kwargs)

    for attr in ("jinja_pass_arg",):
        if hasattr(f, attr):
            setattr(capped, attr, getattr(f, attr))
    return capped


class TemplateLimit(Exception):
    """A template asked for more than a section text may cost."""


def _bounded(template: Any, context: dict[str, Any], path: str) -> str:
    """Render within ``MAX_OUTPUT`` characters and ``MAX_SECONDS`` (on the main thread, where
    a timer can stop it)."""
    import signal
    import threading

    def expired(_signum: int, _frame: Any) -> None:
        raise TemplateLimit(f"it ran for more than {MAX_SECONDS:g} seconds")

    timed = threading.current_thread() is threading.main_thread() and hasattr(signal,
                                                                                "setitimer")
    if timed:
        old = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, MAX_SECONDS)
    try:
        out: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateLimit(f"it writes more than {MAX_OUTPUT:,} characters")
            out.append(chunk)
        return "".join(out)
    except (TemplateLimit, MemoryError) as e:
        raise TemplateError(path, _template_line(e, path),
                            f"{e}; a section text is far smaller") from None
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
