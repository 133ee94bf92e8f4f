"""Publication: the gate and its audit, the only way anything about protected people leaves.

``results`` gives the summary and the coverage matrix of a project, and ``ledger`` its
records as a workbook shows them, through the publication gate when ``public``: every
public output is made of these. The gate (gate.py) plans suppression once for everything
the project can publish and applies it to any result; the audit (audit.py) computes, by
linear programming, what an attacker could learn of each suppressed count.
"""

from __future__ import annotations

from cepa.evidence.coverage import coverage
from cepa.evidence.periods import Period, whole
from cepa.evidence.results import Coverage, Ledger, Summary
from cepa.evidence.summary import ledger as _ledger
from cepa.evidence.summary import summarize
from cepa.publication.audience import Audience, audience_of, evaluator_gate
from cepa.publication.gate import Gate, PublicationError, gate_for, publishable_period
from cepa.records.workspace import Workspace

__all__ = ["Audience", "Gate", "PublicationError", "gate_for", "gate_of", "ledger", "results"]


def plan(ws: Workspace, period: Period) -> Gate:
    """The publication plan of one project, for a period it may publish."""
    assert ws.project is not None
    publishable_period(ws.project, period)
    return gate_for([ws], [period])


def gate_of(ws: Workspace, period: Period, audience: Audience) -> Gate | None:
    """The gate an output for ``audience`` passes: the publication plan for the public, the
    evaluator's rules for an evaluator, none for the team."""
    if audience is Audience.PUBLIC:
        return plan(ws, period)
    if audience is Audience.EVALUATOR:
        return evaluator_gate([ws])
    return None


def results(ws: Workspace, period: Period | None = None, *, public: bool = False,
            audience: Audience | str | None = None, min_records: int | None = None,
            min_kinds: int | None = None) -> tuple[Summary, Coverage]:
    """The summary and the coverage matrix together, through the gate of the audience
    (``public``: the public's)."""
    assert ws.project is not None
    per = period or whole(ws.project)
    s = summarize(ws, per)
    cov = coverage(ws, per, min_records=min_records, min_kinds=min_kinds)
    gate = gate_of(ws, per, audience_of(public, audience))
    if gate is not None:
        s, cov = gate.apply(s), gate.apply(cov)
    return s, cov


def ledger(ws: Workspace, period: Period | None = None, *, public: bool = False,
           audience: Audience | str | None = None) -> Ledger:
    """Every record of the period as a workbook's sheets show it, through the gate of the
    audience (the public's and the evaluator's leave out the records about children)."""
    assert ws.project is not None
    per = period or whole(ws.project)
    out = _ledger(ws, per)
    gate = gate_of(ws, per, audience_of(public, audience))
    return gate.apply(out) if gate is not None else out
