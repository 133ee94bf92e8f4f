"""Fingerprints: what a set of records is, in a few characters.

A record's fingerprint is the SHA-256 of what it says (its fields as the model reads them,
so a comment or a reordered field does not change it, a changed figure does). The
fingerprint of the records an output is made from hashes the project file's and every
record's of the period: the same records give the same fingerprint, and a report, a
workbook or a JSON document that carries it says which records it came from. ``cepa
submit`` keeps each record's fingerprint, so ``cepa diff`` can name the records that
changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from cepa.records.workspace import Entry

#: How many characters of a fingerprint documents show (the full one is in their metadata).
SHORT = 12


def of_value(value: Any) -> str:
    """The SHA-256 of a model's fields (a record, the project file), in the model's order of
    fields: a comment, the layout or the order of fields in the file do not change it."""
    return hashlib.sha256(value.model_dump_json(exclude_defaults=True).encode()).hexdigest()


def of_record(e: Entry, memo: dict[int, str] | None = None) -> str:
    """A record's fingerprint (kept in ``memo``, by record, while the records live)."""
    if memo is None:
        return of_value(e.record)
    found = memo.get(id(e.record))
    if found is None:
        found = memo[id(e.record)] = of_value(e.record)
    return found


def memo_of(ws: Any) -> dict[int, str]:
    """The fingerprints a loaded workspace has computed, by record: each once."""
    memo: dict[int, str] = ws.__dict__.setdefault("_fingerprints", {})
    return memo


def of_records(project: Any, entries: Iterable[Entry], memo: dict[int, str] | None = None
               ) -> str:
    """The fingerprint of the project file and the records: one per set of records."""
    h = hashlib.sha256()
    h.update(of_value(project).encode())
    for line in sorted(f"{e.kind}/{e.record.id}:{of_record(e, memo)}" for e in entries):
        h.update(b"\n" + line.encode("utf-8"))
    return h.hexdigest()


def short(fingerprint: str) -> str:
    return fingerprint[:SHORT]
