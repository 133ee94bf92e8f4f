"""The kinds of record cepa knows, each a module of this folder, and the registry of them.

Every stage loops over ``kinds()``: loading, checks, the evidence of each kind, the
publication gate, the report, the workbook, the schemas and ``cepa new``. A new kind is a
module here (its model and its ``Kind``), added to ``BUILT_IN``; a kind defined elsewhere
(a plug-in, a test) is added with ``register``.
"""

from __future__ import annotations

import json
from typing import Any

from cepa.records import model
from cepa.records.kind import Kind
from cepa.records.kinds import events, feedback, interviews, outcomes, outputs, seminars, visits

BUILT_IN: tuple[Kind, ...] = (visits.KIND, seminars.KIND, events.KIND, interviews.KIND,
                              feedback.KIND, outcomes.KIND, outputs.KIND)

#: Every kind, in the order cepa shows them: the built-in ones, then any registered.
KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Add a kind of record; every command then knows it."""
    if kind.name in KINDS or kind.name == "project":
        raise ValueError(f"a kind named '{kind.name}' exists")
    KINDS[kind.name] = kind
    model.KIND_NAMES.append(kind.name)


def unregister(name: str) -> None:
    """Forget a kind added with ``register`` (for tests)."""
    if any(k.name == name for k in BUILT_IN):
        raise ValueError(f"'{name}' is built in")
    KINDS.pop(name, None)
    if name in model.KIND_NAMES:
        model.KIND_NAMES.remove(name)


for _k in BUILT_IN:
    register(_k)


def kinds() -> tuple[Kind, ...]:
    return tuple(KINDS.values())


def names() -> tuple[str, ...]:
    """The kind folders, in the order cepa shows them."""
    return tuple(KINDS)


def child_kinds() -> frozenset[str]:
    """Kinds whose records are about children and service users."""
    return frozenset(k.name for k in KINDS.values() if k.children)


def kind_of(name: str) -> str | None:
    """The kind folder for a name a user typed: 'seminar', 'seminars', 'Seminars';
    'project' for the project file; None for anything else."""
    n = name.strip().lower()
    if n == "project":
        return "project"
    for k in KINDS.values():
        if n in (k.name, k.singular):
            return k.name
    return None


def singular(kind: str) -> str:
    return KINDS[kind].singular if kind in KINDS else kind


def names_help() -> str:
    """'visit, seminar, ... or output' for messages and help."""
    words = [k.singular for k in KINDS.values()]
    return ", ".join(words[:-1]) + " or " + words[-1]


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a kind ('project' or a record kind), for editors and checkers."""
    m = model.Project if kind == "project" else KINDS[kind].model
    schema = m.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = ("cepa project file" if kind == "project"
                       else f"cepa {KINDS[kind].singular} record")
    if kind == "project":  # the kinds an activity may hold are the ones registered
        schema["$defs"]["Activity"]["properties"]["kind"]["enum"] = list(KINDS)
    return schema


def schema_files(names: list[str]) -> list[tuple[str, bytes]]:
    """Each kind's JSON Schema as (``<singular>.json``, its bytes)."""
    return [(f"{singular(kind)}.json",
             (json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n").encode())
            for kind in names]
