"""Publication: the gate and its audit, the only way anything about protected people leaves.

``results`` gives the summary and the coverage matrix of a project, ``ledger`` its records
as a workbook shows them, and ``programme`` several projects and their roll-up, through
the gate of their audience (audience.py): the publication gate for the public, the
evaluator's rules for an evaluator. Every public or evaluator's output is made of these. The plan
(plan.py) decides what each count of protected people is published as, from what is
already published only; the gate (gate.py) applies it to any result; texts.py keeps the
coordinator's sentences from giving counts away; the audit (audit.py) checks the result
against what an attacker who knows cepa's rules can work out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cepa.evidence.coverage import coverage
from cepa.evidence.figures import Figure
from cepa.evidence.periods import Period, whole
from cepa.evidence.results import (
    Coverage,
    Ledger,
    RollUp,
    RollUpRow,
    Summary,
)
from cepa.evidence.summary import ledger as _ledger
from cepa.evidence.summary import summarize
from cepa.publication.audience import Audience, audience_of, evaluator_gate
from cepa.publication.gate import (
    Gate,
    PublicationError,
    gate_for,
    prefix_of,
    publishable_period,
    published_totals,
)
from cepa.publication.texts import refuse_small_counts
from cepa.records.workspace import Workspace

__all__ = ["Audience", "Gate", "PublicationError", "breakdowns", "coverage_of", "gate_for",
           "gate_of", "ledger", "programme", "public_files", "results"]


def plan(ws: Workspace, period: Period) -> Gate:
    """The publication plan of one project, for a period it may publish."""
    assert ws.project is not None
    publishable_period(ws.project, period)
    return gate_for([ws], [period])


def public_files(ws: Workspace, names: Sequence[str]) -> list[str]:
    """File names a public output may print: a file of a record about children is named
    by its folder only (its name may hold a child's name)."""
    from pathlib import PurePath

    from cepa.records.kinds import KINDS

    folders = {k for k, spec in KINDS.items() if spec.children}
    out = []
    for name in names:
        parts = PurePath(name).parts
        hidden = next((p for p in parts[:-1] if p in folders), None)
        out.append(f"{hidden}/..." if hidden else name)
    return out


def gate_of(ws: Workspace, period: Period, audience: Audience) -> Gate | None:
    """The gate an output for ``audience`` passes: the publication plan for the public, the
    evaluator's rules for an evaluator, none for the team."""
    if audience is Audience.PUBLIC:
        return plan(ws, period)
    if audience is Audience.EVALUATOR:
        return evaluator_gate([ws], [period])
    return None


def _raw(gate: Gate, ws: Workspace, per: Period, name: str) -> Any:
    """A result as the publication plan computed it (or computed now)."""
    found = gate.plans[0].raw.get((per, name)) if gate.plans else None
    if found is not None:
        return found
    return summarize(ws, per) if name == "summary" else coverage(ws, per)


def _names(gate: Gate | None, ws: Workspace, prefix: str = "") -> Callable[[], dict[str, str]]:
    """Each record's id as a gated result shows it (an alias, or its id) -> its id and file,
    for a message to the coordinator (worked out only when there is one to write)."""
    alias = gate.alias if gate is not None else {}
    return lambda: {alias.get(prefix + e.record.id, e.record.id): f"{e.record.id} ({e.path})"
                    for e in ws.entries}


def _threshold(ws: Workspace) -> int:
    assert ws.project is not None
    return int(ws.project.disclosure.threshold)


def results(ws: Workspace, period: Period | None = None, *, public: bool = False,
            audience: Audience | str | None = None, min_records: int | None = None,
            min_kinds: int | None = None) -> tuple[Summary, Coverage]:
    """The summary and the coverage matrix together, through the gate of the audience
    (``public``: the public's). ``min_records``, ``min_kinds``: what 'covered' asks, for
    this call (else the project file's)."""
    assert ws.project is not None
    per = period or whole(ws.project)
    who = audience_of(public, audience)
    gate = gate_of(ws, per, who)
    if gate is None:
        return summarize(ws, per), coverage(ws, per, min_records=min_records,
                                            min_kinds=min_kinds)
    s = _raw(gate, ws, per, "summary")
    cov = (coverage(ws, per, min_records=min_records, min_kinds=min_kinds)
           if min_records is not None or min_kinds is not None
           else _raw(gate, ws, per, "coverage"))
    s, cov = gate.apply(s), gate.apply(cov)
    if who is Audience.PUBLIC:
        refuse_small_counts(s, _threshold(ws), "summary", _names(gate, ws))
        refuse_small_counts(cov, _threshold(ws), "coverage matrix", _names(gate, ws))
    return s, cov


def coverage_of(ws: Workspace, period: Period | None = None, *, public: bool = False,
                audience: Audience | str | None = None, min_records: int | None = None,
                min_kinds: int | None = None) -> Coverage:
    """The coverage matrix alone, through the gate of the audience (``results``' second)."""
    assert ws.project is not None
    per = period or whole(ws.project)
    who = audience_of(public, audience)
    gate = gate_of(ws, per, who)
    custom = min_records is not None or min_kinds is not None
    if gate is None or custom or not gate.plans:
        cov = coverage(ws, per, min_records=min_records, min_kinds=min_kinds)
    else:
        cov = _raw(gate, ws, per, "coverage")
    if gate is not None:
        cov = gate.apply(cov)
    if who is Audience.PUBLIC:
        refuse_small_counts(cov, _threshold(ws), "coverage matrix", _names(gate, ws))
    return cov


def ledger(ws: Workspace, period: Period | None = None, *, public: bool = False,
           audience: Audience | str | None = None) -> Ledger:
    """Every record of the period as a workbook's sheets show it, through the gate of the
    audience (the public's and the evaluator's leave out the records about children)."""
    assert ws.project is not None
    per = period or whole(ws.project)
    out = _ledger(ws, per)
    who = audience_of(public, audience)
    gate = gate_of(ws, per, who)
    if gate is not None:
        out = gate.apply(out)
    if who is Audience.PUBLIC:
        refuse_small_counts(out, _threshold(ws), "workbook", _names(gate, ws))
    return out


def breakdowns(ws: Workspace, period: Period, field: str, kinds: Sequence[str], *,
               public: bool = False, audience: Audience | str | None = None
               ) -> dict[str, Any]:
    """``summarize --by FIELD``: the people of each kind by a field, through the gate of
    the audience."""
    from cepa.evidence.figures import Tally
    from cepa.evidence.periods import in_period
    from cepa.evidence.summary import by

    assert ws.project is not None
    figures = by(Tally(ws.project), in_period(ws.entries, period)[0], field, kinds)
    gate = gate_of(ws, period, audience_of(public, audience))
    return gate.apply(figures) if gate is not None else figures


def programme(workspaces: Sequence[Workspace], periods: Sequence[Period], *,
              public: bool = False, audience: Audience | str | None = None,
              names: Sequence[str] | None = None) -> tuple[list[Summary], RollUp]:
    """Several projects' summaries and their roll-up, through the gate of the audience.
    For the public each project is planned on its own, so its figures are the same here
    as on their own, and the roll-up's totals are the sums of the projects' published
    figures ('c' where one is): a roll-up tells nothing its projects do not."""
    from cepa.evidence.rollup import rollup

    who = audience_of(public, audience)
    summaries = [summarize(ws, per) for ws, per in zip(workspaces, periods, strict=True)]
    roll = rollup(summaries, names)
    if who is Audience.TEAM:
        return summaries, roll
    if who is Audience.PUBLIC:
        for ws, per in zip(workspaces, periods, strict=True):
            assert ws.project is not None
            publishable_period(ws.project, per)
        gate = gate_for(workspaces, periods)
    else:
        gate = evaluator_gate(workspaces, periods)
    several = len(workspaces) > 1
    gated = [gate.apply(s, prefix_of(ws, several))
             for s, ws in zip(summaries, workspaces, strict=True)]
    if who is Audience.PUBLIC:
        for s, ws in zip(gated, workspaces, strict=True):
            refuse_small_counts(s, _threshold(ws), f"summary of {s.project.code}",
                                _names(gate, ws, prefix_of(ws, several)))
    roll = gate.apply(roll)
    if who is Audience.EVALUATOR:  # a total beside a withheld project tells nothing more
        roll = published_totals(roll)
    return gated, _claims(roll, gated)


def _claims(roll: RollUp, gated: Sequence[Summary]) -> RollUp:
    """The roll-up's claim rows counted from the published claims (a claim that is not
    published is counted neither as holding nor as not holding)."""
    from cepa.evidence.rollup import CLAIM_ROWS, claim_count

    rows = []
    for row in roll.rows:
        if row.measure in CLAIM_ROWS:
            figures = [claim_count(row.measure, s) for s in gated]
            row = RollUpRow(row.measure, figures,
                            Figure(sum(f.value or 0 for f in figures), counts="claims"),
                            row.kind)
        rows.append(row)
    return RollUp(roll.projects, rows)
