"""Read one YAML record file into plain values, safely and strictly.

The file is read as bytes and decoded as UTF-8 here; libyaml (PyYAML's C
parser, where present) turns it into events, and a lean builder turns the
events into dicts, lists, strings, ints, floats, bools and None. Nothing else
can come out: no tags, no anchors or aliases, no duplicate keys, no
YAML 1.1 surprises (``NO`` stays the text NO, ``yes`` is text, dates stay
text for cepa to parse), a cap on nesting depth and on file size.

``load`` returns the value and the problems found; with ``positions=True`` it
also returns the line and column of every key and list item, keyed by its
path, so a problem found later (by the schema, or across records) can point
at its line. Only files with problems need that, so the fast path skips it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml

from cepa.base.problems import Problem, problem
from cepa.records.files import what_is

try:  # the C parser; the pure-Python one is a fallback, not a requirement
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1 << 20
MAX_DEPTH = 24
#: Digits an integer may have (below 10**18); counts are capped far lower by the schema.
MAX_DIGITS = 18

Path_ = tuple[str | int, ...]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})

try:  # libyaml's composer, for the fast path; without it every file takes the event path
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - libyaml missing
    _CParser = None  # type: ignore[misc, assignment]

_ScalarEvent = yaml.ScalarEvent
_MappingStart = yaml.MappingStartEvent
_SequenceStart = yaml.SequenceStartEvent
_CollectionEnd = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_DocumentStart = yaml.DocumentStartEvent
_Alias = yaml.AliasEvent


@dataclass(slots=True)
class Loaded:
    """What reading one file gave: a value (a dict, when all went well) and problems."""

    value: Any = None
    problems: list[Problem] = field(default_factory=list)
    positions: dict[Path_, tuple[int, int]] | None = None

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    def where(self, loc: Path_) -> tuple[int, int]:
        """Line and column of the value at ``loc``, or of its nearest parent that has one."""
        if self.positions is None:
            return (1, 1)
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))


class NumberTooLarge(ValueError):
    """An integer with more digits than ``MAX_DIGITS``."""


def resolve_plain(text: str) -> Any:
    """The value of an unquoted scalar, by cepa's rules (a strict subset of YAML 1.2's core).

    Raises ``NumberTooLarge`` for an integer of more than ``MAX_DIGITS`` digits, before
    Python is asked to build it (a 5,000-digit one would take it seconds, or raise).
    """
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(text):
            if len(text.lstrip("+-")) > MAX_DIGITS:
                raise NumberTooLarge(text)
            return int(text)
        if _FLOAT.match(text):
            return float(text)
    return text


# --- reading a file's bytes, safely -----------------------------------------------------------


class Refused(Exception):
    """A file cepa will not read: not a regular file, or larger than the cap. ``code`` is
    the problem code that says which."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def too_large(size: int | None, max_bytes: int) -> Refused:
    said = f"{size:,} bytes" if size is not None else f"over {max_bytes:,} bytes"
    return Refused("too-large",
                   f"file is {said}, over the cap of {max_bytes:,}; records are small - split "
                   "it, or raise the cap with --max-bytes if it is genuine")


def read_bytes(path: str, max_bytes: int, *,
               follow: bool = False) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` and its status, reading at most
    ``max_bytes + 1`` bytes whatever the file claims.

    Opened without blocking (a named pipe never hangs) and, unless ``follow``, without
    following a link; anything but a regular file raises ``Refused`` before a byte is read,
    and so does a file over the cap. ``OSError`` for a file that cannot be opened.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if e.errno == errno.ELOOP and not follow and os.path.islink(path):
            raise Refused("not-a-file", "a link; cepa does not follow it here") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused("not-a-file", f"{what_is(st.st_mode)}, not a file; cepa does not "
                                        "read it - delete it or move it out of the project")
        if st.st_size > max_bytes:
            raise too_large(st.st_size, max_bytes)
        parts: list[bytes] = []
        got = 0
        want = st.st_size + 1  # one read for the whole file, one more to see its end
        while True:
            chunk = os.read(fd, want)
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
            if got > max_bytes:  # it grew, or its size lied: max_bytes + 1 read, no more
                raise too_large(None, max_bytes)
            want = min(1 << 16, max_bytes + 1 - got)
    finally:
        os.close(fd)
    return (parts[0] if len(parts) == 1 else b"".join(parts)), st


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _guess(data: bytes, at: int) -> str:
    """What the byte most likely is, read as Windows-1252 (the usual culprit)."""
    try:
        char = data[at:at + 1].decode("cp1252")
    except UnicodeDecodeError:
        return ""
    return f" (probably '{char}' saved in a Windows encoding)" if char.isprintable() else ""


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of ``data`` (BOM dropped), or a problem saying where it is not UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [problem(path, 1, 1, "not-utf8",
                              "not UTF-8: the file is saved as UTF-16 ('Unicode'); re-save it "
                              "as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8)")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            problem(path, line, col, "not-utf8",
                    f"not UTF-8: byte 0x{data[e.start]:02x} cannot be read{_guess(data, e.start)}; "
                    "re-save the file as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8)")
        ]
    m = _CONTROL.search(text)
    if m:
        line, col = _line_col(text, m.start())
        return None, [
            problem(path, line, col, "control-character",
                    f"control character U+{ord(m.group()):04X} is not allowed; "
                    "delete it (only tab and line breaks are allowed)")
        ]
    return text, []


def load(
    data: bytes, path: str, *, positions: bool = False, max_bytes: int = MAX_BYTES
) -> Loaded:
    """Read a record file's bytes. Never raises for anything the bytes may hold."""
    out = Loaded(positions={} if positions else None)
    if len(data) > max_bytes:
        out.problems.append(problem(path, 1, 1, "too-large", str(too_large(len(data),
                                                                          max_bytes))))
        return out
    text, out.problems = decode(data, path)
    if text is None:
        return out
    if not positions:
        value = _compose(text)
        if value is not None:
            out.value = value
            return out
    try:
        _build(text, path, out)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = e.problem or str(e)
        if e.context:
            what = f"{e.context}: {what}"
        out.value = None
        if mark and text is not None and _char_at(text, mark.line, mark.column) == "\t":
            what = "a tab cannot indent YAML; indent with spaces"
        if "nesting depth" in what:  # libyaml's own cap, met before cepa's
            out.problems.append(problem(path, line, col, "too-deep",
                                        f"nested more than {MAX_DEPTH} levels deep; "
                                        "records are flatter"))
        else:
            out.problems.append(problem(path, line, col, "yaml-syntax",
                                        f"YAML syntax error: {what}{_hint(what)}"))
    except yaml.YAMLError as e:  # reader errors carry no mark
        out.value = None
        out.problems.append(problem(path, 1, 1, "yaml-syntax", f"YAML syntax error: {e}"))
    return out


def _hint(what: str) -> str:
    """What a coordinator can do about a YAML error, in words."""
    if "mapping values are not allowed" in what or "could not find expected ':'" in what \
            or "did not find expected key" in what or "expected <block end>" in what:
        return ("; check the indentation of this line and the one above (fields of one "
                "record start in the same column), and put a text holding ': ' in quotes")
    if "found character that cannot start any token" in what:
        return "; put a text starting with this character in quotes"
    if "found undefined alias" in what or "found unhashable key" in what:
        return "; put the text in quotes"
    return ""


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][col:col + 1] if line < len(lines) else ""


# --- the fast path: libyaml composes, a lean walk builds -------------------------------------
#
# For a well-formed file, the node tree libyaml composes in C gives the same value as the
# event walk below, at about half the cost. The fast path only ever answers for files the
# event walk would accept without a single problem: anything it is unsure of (a character
# that may start an anchor, alias or tag, a document marker, a duplicate or non-text key,
# deep nesting, an escaped control character, any error) returns None, and the event walk,
# the one authority on problems and their positions, reads the file instead.

_SUSPECT = re.compile(r"[&*!]|^(?:---|\.\.\.)", re.MULTILINE)


class _Unsure(Exception):
    """The fast path declines a file; the event walk will read it."""


if _CParser is not None:
    _ScalarNode, _MappingNode = yaml.ScalarNode, yaml.MappingNode

    class _Composer(_CParser):  # type: ignore[misc, valid-type]
        """libyaml's composer without PyYAML's resolver: cepa resolves scalars itself."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            return "?"

        def descend_resolver(self, parent: Any, index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None


def _compose(text: str) -> dict[str, Any] | None:
    """The value of a record with no problem, by libyaml's composer; None when unsure."""
    if _CParser is None or _SUSPECT.search(text):
        return None
    parser = _Composer(text)
    try:
        node = parser.get_single_node()
        if node is None or node.__class__ is not _MappingNode:
            return None
        return _node_value(node, 0)  # type: ignore[no-any-return]
    except Exception:  # a YAML error, or _Unsure: the event walk decides
        return None
    finally:
        parser.dispose()


#: Plain scalars resolved before: keys, sector names, small numbers and true/false repeat in
#: every file, and a dict lookup is cheaper than resolving them again.
_PLAIN: dict[str, Any] = {}
_SHORT = 48


def _plain(text: str) -> Any:
    value = _PLAIN.get(text, _PLAIN)
    if value is _PLAIN:
        value = resolve_plain(text)  # NumberTooLarge: never cached
        if len(text) <= _SHORT and len(_PLAIN) < 100_000:
            _PLAIN[text] = value
    return value


def _scalar(node: Any) -> Any:
    style = node.style
    if style == "":
        return _plain(node.value)
    if style == '"' and _CONTROL.search(node.value):
        raise _Unsure
    return node.value


def _node_value(node: Any, depth: int) -> Any:
    cls = node.__class__
    if cls is _ScalarNode:
        return _scalar(node)
    if depth >= MAX_DEPTH:
        raise _Unsure
    depth += 1
    if cls is _MappingNode:
        out: dict[str, Any] = {}
        for k, v in node.value:
            if k.__class__ is not _ScalarNode:
                raise _Unsure
            key = _plain(k.value) if k.style == "" else _scalar(k)
            if key.__class__ is not str or key in out:
                raise _Unsure
            if v.__class__ is _ScalarNode:
                out[key] = _plain(v.value) if v.style == "" else _scalar(v)
            else:
                out[key] = _node_value(v, depth)
        return out
    return [(_plain(v.value) if v.style == "" else _scalar(v)) if v.__class__ is _ScalarNode
            else _node_value(v, depth) for v in node.value]


# --- the event walk: exact, with positions and every problem -----------------------------------


class _Stop(Exception):
    """Raised by the builder once a problem makes reading on pointless."""


def _build(text: str, path: str, out: Loaded) -> None:
    problems = out.problems
    pos = out.positions
    loader = _Loader(text)
    try:
        get = loader.get_event
        check = loader.check_event
        # Each open collection: [container, is_mapping, path, pending key, seen keys].
        stack: list[list[Any]] = []
        documents = 0
        root: Any = None

        def fail(ev: Any, code: str, message: str) -> None:
            m = ev.start_mark
            problems.append(problem(path, m.line + 1, m.column + 1, code, message))
            raise _Stop

        def place(value: Any, ev: Any) -> bool:
            """Put a finished value into the open collection; False if it was a key."""
            nonlocal root
            if not stack:
                root = value
                return True
            top = stack[-1]
            if top[1]:
                if top[3] is None:
                    if not isinstance(value, str):
                        fail(ev, "complex-key", "a field name must be plain text")
                    first = top[4].get(value)
                    m = ev.start_mark
                    if first is not None:
                        problems.append(problem(
                            path, m.line + 1, m.column + 1, "duplicate-key",
                            f"'{value}' is given twice (first on line {first}); "
                            "keep one of them"))
                        top[3] = (value, False)
                    else:
                        top[4][value] = m.line + 1
                        top[3] = (value, True)
                        if pos is not None:
                            pos[top[2] + (value,)] = (m.line + 1, m.column + 1)
                    return False
                key, keep = top[3]
                top[3] = None
                if keep:
                    top[0][key] = value
            else:
                if pos is not None:
                    m = ev.start_mark
                    pos[top[2] + (len(top[0]),)] = (m.line + 1, m.column + 1)
                top[0].append(value)
            return True

        def child_path() -> Path_:
            if not stack:
                return ()
            top = stack[-1]
            if top[1]:
                return top[2] + (top[3][0],) if top[3] else top[2]
            return top[2] + (len(top[0]),)

        try:
            while not check(yaml.StreamEndEvent):
                ev = get()
                if isinstance(ev, _ScalarEvent):
                    if ev.anchor is not None:
                        fail(ev, "alias", "anchors (&name) are not allowed; write the value out")
                    if ev.tag is not None and ev.tag != "!":
                        fail(ev, "tag", f"tags such as {ev.tag} are not allowed; remove it")
                    try:
                        value = resolve_plain(ev.value) if ev.style == "" else ev.value
                    except NumberTooLarge:
                        fail(ev, "number-too-large",
                             f"a number of {len(ev.value.lstrip('+-')):,} digits; cepa reads "
                             f"numbers of up to {MAX_DIGITS} digits, and a count is at most "
                             "1,000,000,000")
                    if ev.style == '"' and _CONTROL.search(value):
                        fail(ev, "control-character",
                             "a control character written as an escape is not allowed")
                    place(value, ev)
                elif isinstance(ev, (_MappingStart, _SequenceStart)):
                    if ev.anchor is not None:
                        fail(ev, "alias", "anchors (&name) are not allowed; write the value out")
                    if ev.tag is not None and ev.tag != "!":
                        fail(ev, "tag", f"tags such as {ev.tag} are not allowed; remove it")
                    if stack and stack[-1][1] and stack[-1][3] is None:
                        fail(ev, "complex-key", "a field name must be plain text")
                    if len(stack) >= MAX_DEPTH:
                        fail(ev, "too-deep",
                             f"nested more than {MAX_DEPTH} levels deep; records are flatter")
                    is_map = isinstance(ev, _MappingStart)
                    if pos is not None and not stack:
                        m = ev.start_mark
                        assert m is not None
                        pos[()] = (m.line + 1, m.column + 1)
                    stack.append([{} if is_map else [], is_map, child_path(), None, {}, ev])
                elif isinstance(ev, _CollectionEnd):
                    top = stack.pop()
                    place(top[0], top[5])
                elif isinstance(ev, _Alias):
                    fail(ev, "alias", "aliases (*name) are not allowed; write the value out")
                elif isinstance(ev, _DocumentStart):
                    documents += 1
                    if documents > 1:
                        fail(ev, "multiple-documents",
                             "a second document (after ---); one file holds one record")
        except _Stop:
            out.value = None
            return
    finally:
        loader.dispose()

    if documents == 0 or root is None:
        problems.append(problem(path, 1, 1, "empty-file",
                                "the file is empty; fill in the record or delete the file"))
        return
    if not isinstance(root, dict):
        what = "a list" if isinstance(root, list) else "a single value"
        problems.append(problem(path, 1, 1, "not-a-mapping",
                                f"the file holds {what}; a record is a set of 'field: value' "
                                "lines"))
        return
    out.value = root
