"""A programme of several projects side by side: a row per measure, a figure per project
and the total, every kind apart (seminar participants are never event participants)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from cepa.base.countries import one_code
from cepa.base.dates import UNKNOWN
from cepa.evidence.figures import Breakdown, Figure, Tally
from cepa.evidence.results import ClaimStatus, RollUp, RollUpRow, Summary
from cepa.records.kind import Kind
from cepa.records.kinds import KINDS

Get = Callable[[Summary], Figure]

#: Claim statuses that are no failing claim: holding, holding on estimates, not judged in
#: this period's summary, and not published (neither holding nor failing, for its reader).
JUDGED_WELL = frozenset({ClaimStatus.HOLDS, ClaimStatus.ON_ESTIMATES, ClaimStatus.OTHER_PERIOD,
                         ClaimStatus.NOT_PUBLISHED})

#: The roll-up's rows of claims: which claims of a summary each counts.
CLAIM_ROWS: dict[str, Callable[[ClaimStatus], bool]] = {
    "claims_holding": lambda s: s is ClaimStatus.HOLDS,
    "claims_on_estimates": lambda s: s is ClaimStatus.ON_ESTIMATES,
    "claims_not_holding": lambda s: s not in JUDGED_WELL,
}


def claim_count(measure: str, s: Summary) -> Figure:
    """A roll-up row of claims (``CLAIM_ROWS``) for one project's summary."""
    test = CLAIM_ROWS[measure]
    return Figure(sum(test(c.status) for c in s.claims), counts="claims")


def _figure(kind: str, stat: str) -> Get:
    return lambda s: s.kinds[kind].figures[stat]


def _key(k: Kind, stat: str) -> str:
    """A row's key: the claim measure the stat is, else kind.stat."""
    wanted = dict(k.stats).get(stat)
    return next((m for m, (st, _) in k.measures.items() if st == wanted), f"{k.name}.{stat}")


def _rows(summaries: Sequence[Summary]) -> list[tuple[str, str | None, Get]]:
    """The rows of a single project's overview, for every kind any of the projects holds
    or plans, then primary participants and claims: (key, kind, figure of a summary)."""
    rows: list[tuple[str, str | None, Get]] = []
    for k in KINDS.values():
        if not any(s.records.get(k.name) or any(a.kind == k.name for a in s.activities)
                   for s in summaries):
            continue
        for stat, _label in k.overview:
            rows.append((_key(k, stat), k.name, _figure(k.name, stat)))
    rows.append(("primary_participants", None, lambda s: s.primary_participants.total))
    rows += [(m, None, partial(claim_count, m)) for m in CLAIM_ROWS]
    return rows


def _qualify(f: Figure, code: str) -> Figure:
    return replace(f, records=tuple(f"{code}:{r}" for r in f.records))


def labels(codes: Sequence[str], folders: Sequence[str]) -> list[str]:
    """A name for each project of a roll-up, unique: its code, or its folder's name where
    the code is not known or another project has it too (then 'folder (2)' if need be)."""
    out: list[str] = []
    for code, folder in zip(codes, folders, strict=True):
        name = code if code and code != UNKNOWN and list(codes).count(code) == 1 else folder
        if name == "total":  # the roll-up's own column
            name = f"{name} ({folder})"
        base, n = name, 2
        while name in out:
            name, n = f"{base} ({n})", n + 1
        out.append(name)
    return out


def rollup(summaries: Sequence[Summary], names: Sequence[str] | None = None) -> RollUp:
    """A programme-level roll-up: a row per measure, a figure per project and the total.
    Projects are named by ``names`` (see ``labels``; their codes by default); record ids
    are prefixed with that name, since two projects may share ids."""
    names = list(names) if names is not None else [s.project.code for s in summaries]
    tally = Tally()
    rows = []
    for measure, kind, get in _rows(summaries):
        qualified = [_qualify(get(s), name) for s, name in zip(summaries, names, strict=True)]
        rows.append(RollUpRow(measure, qualified, tally.combine(qualified), kind))
    return RollUp(names, rows)


def rollup_by(codes: Sequence[str], breakdowns: Sequence[dict[str, Breakdown]],
              countries: bool = False) -> dict[str, RollUp]:
    """``summarize A B --by FIELD``: for each kind, a row per key and a column per project,
    with the total; kinds are never added together. ``countries``: the keys are country
    codes, one per country across the projects (GR and EL are Greece, EL)."""
    tally = Tally()
    out: dict[str, RollUp] = {}
    kinds = list(dict.fromkeys(k for b in breakdowns for k in b))

    def key_of(k: str) -> str:
        return one_code(k) if countries else k

    for kind in kinds:
        keys: list[str] = []
        for b in breakdowns:
            if kind in b:
                keys.extend(key_of(k) for k in b[kind] if key_of(k) not in keys)
        rows = []
        for key in keys:
            cells = []
            for code, b in zip(codes, breakdowns, strict=True):
                found = [f for k, f in (b[kind].items() if kind in b else ())
                         if key_of(k) == key]
                cell = (found[0] if len(found) == 1 else tally.combine(found) if found
                        else Figure(0, counts=KINDS[kind].counts, kinds=(kind,)))
                cells.append(_qualify(cell, code))
            rows.append(RollUpRow(key, cells, tally.combine(cells), kind))
        out[kind] = RollUp(list(codes), rows)
    return out
