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
from cepa.publication.gate import Gate, PublicationError, gate_for, publishable_period
from cepa.records.workspace import Workspace

__all__ = ["Gate", "PublicationError", "gate_for", "ledger", "results"]


def plan(ws: Workspace, period: Period) -> Gate:
    """The publication plan of one project, for a period it may publish."""
    assert ws.project is not None
    publishable_period(ws.project, period)
    return gate_for([ws], [period])


def results(ws: Workspace, period: Period | None = None, *, public: bool = False
            ) -> tuple[Summary, Coverage]:
    """The summary and the coverage matrix together, through the gate when ``public``."""
    assert ws.project is not None
    per = period or whole(ws.project)
    s, cov = summarize(ws, per), coverage(ws, per)
    if public:
        gate = plan(ws, per)
        s, cov = gate.apply(s), gate.apply(cov)
    return s, cov


def ledger(ws: Workspace, period: Period | None = None, *, public: bool = False) -> Ledger:
    """Every record of the period as a workbook's sheets show it, through the gate when
    ``public`` (which leaves out the records about children)."""
    assert ws.project is not None
    per = period or whole(ws.project)
    out = _ledger(ws, per)
    return plan(ws, per).apply(out) if public else out
