"""A programme of several projects side by side: a row per measure, a figure per project
and the total, every kind apart (seminar participants are never event participants)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from cepa.evidence.figures import Figure, Tally
from cepa.evidence.results import ClaimStatus, RollUp, RollUpRow, Summary
from cepa.records.kind import Kind, People, Records
from cepa.records.kinds import KINDS

Get = Callable[[Summary], Figure]


def _named(k: Kind, of: type, default: str) -> str:
    """The kind's measure of a type without filters (``seminars``, ``seminar_participants``)."""
    return next((m for m, (stat, _) in k.measures.items()
                 if isinstance(stat, of) and getattr(stat, "where", None) is None), default)


def _stat(k: Kind, of: type) -> str | None:
    """The kind's section entry of a type without filters."""
    return next((n for n, stat in k.stats
                 if isinstance(stat, of) and getattr(stat, "where", None) is None), None)


def _figure(kind: str, stat: str) -> Get:
    return lambda s: s.kinds[kind].figures[stat]


def _rows(summaries: Sequence[Summary]) -> list[tuple[str, Get]]:
    """The measures the projects have: each kind's records and the people they count, for
    the kinds any of the projects holds or plans, then primary participants and claims."""
    rows: list[tuple[str, Get]] = []
    for k in KINDS.values():
        if not any(s.records.get(k.name) or any(a.kind == k.name for a in s.activities)
                   for s in summaries):
            continue
        records, people = _stat(k, Records), _stat(k, People)
        if records is not None:
            rows.append((_named(k, Records, k.name), _figure(k.name, records)))
        if people is not None:
            rows.append((_named(k, People, f"{k.name}_people"), _figure(k.name, people)))
    rows.append(("primary_participants", lambda s: s.primary_participants.total))
    rows.append(("claims_holding", lambda s: Figure(
        sum(c.status is ClaimStatus.HOLDS for c in s.claims), counts="claims")))
    rows.append(("claims_not_holding", lambda s: Figure(
        sum(c.status is not ClaimStatus.HOLDS for c in s.claims), counts="claims")))
    return rows


def rollup(summaries: Sequence[Summary]) -> RollUp:
    """A programme-level roll-up: a row per measure, a figure per project and the total.
    Record ids are prefixed with the project's code, since two projects may share ids."""
    tally = Tally()
    rows = []
    for measure, get in _rows(summaries):
        cells = [get(s) for s in summaries]
        qualified = [replace(f, records=tuple(f"{s.project.code}:{r}" for r in f.records))
                     for f, s in zip(cells, summaries, strict=True)]
        rows.append(RollUpRow(measure, qualified, tally.combine(qualified)))
    return RollUp([s.project.code for s in summaries], rows)
