"""What ``cepa validate`` found, for a person, a script or a CI system.

A reporter takes a ``Validation`` (cepa/evidence/checks.py) and returns its text;
``REPORTER_BY_NAME`` chooses one by the name ``--format`` gives. ``text`` prints a problem
a line as ``path:line:col: level: message (code)``, which editors and CI logs point at;
``json`` is one document for scripts; ``github`` writes workflow commands that GitHub
Actions shows as annotations beside the line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cepa.base.problems import Problem
from cepa.base.text import UNSAFE_IN_JSON, escape


def text(result: Any) -> str:
    return "".join(f"{p}\n" for p in result.problems)


def as_json(result: Any) -> str:
    data = json.dumps(result.as_dict(), indent=2, ensure_ascii=False)
    return UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", data) + "\n"


def _property(value: str) -> str:
    """A value of a workflow command's property: %, CR, LF, ':' and ',' escaped."""
    return (value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def _message(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_line(p: Problem) -> str:
    """``::error file=records/x.yaml,line=3,col=5,title=...::message (code)``"""
    props = (f"file={_property(escape(p.path))},line={p.line},col={p.col},"
             f"title={_property('cepa ' + p.code)}")
    return f"::{p.level} {props}::{_message(escape(p.message))} ({p.code})"


def github(result: Any) -> str:
    return "".join(github_line(p) + "\n" for p in result.problems)


REPORTER_BY_NAME: dict[str, Callable[[Any], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
}
