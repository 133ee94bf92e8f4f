"""Checks on the evidence, and the one place every check runs: ``validate``.

The claims of the narrative are checked against the figures the records give, so that
check belongs here, beside the figures; ``validate`` runs the checks of the records stage
(cepa/records/checks.py) and these, silences what the project silences, and returns a
``Validation``: the problems, sorted, and what was checked. Reporters print it
(cepa/writers/problems.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cepa.base.problems import Level, Problem
from cepa.evidence.measures import claims
from cepa.evidence.results import ClaimStatus
from cepa.records import checks as record_checks
from cepa.records.model import Project
from cepa.records.workspace import Workspace


def check_claims(ws: Workspace, project: Project) -> Iterator[Problem]:
    """Claims against the records; not judged while record files fail to load, since their
    figures would be missing (those files' own errors say what to fix first)."""
    broken = bool(ws.broken_files())
    for c in claims(project, ws.entries):
        if broken and c.status is ClaimStatus.CONTRADICTED:
            continue
        loc = ("claims", c.index)
        if c.status is ClaimStatus.INVALID:
            yield ws.problem_at(ws.project_path, (*loc, "quantity"), "claim-invalid",
                                f"claim '{c.text}' cannot be computed: {c.error}")
        elif c.status is ClaimStatus.CONTRADICTED:
            computed = ("nothing (no records match)" if c.computed is None
                        else c.computed.describe())
            yield ws.problem_at(
                ws.project_path, (*loc, "value"), "claim-contradicted",
                f"claim '{c.text}' says {c.op} {c.claimed}, but the records give "
                f"{computed}")


def check_submitted(ws: Workspace, project: Project) -> Iterator[Problem]:
    """Figures of a submitted period that moved with no reason recorded
    (cepa/evidence/submission.py)."""
    from cepa.evidence.submission import check_submissions

    if not ws.broken_files():
        yield from check_submissions(ws)


CHECKS = (check_claims, check_submitted)


@dataclass
class Validation:
    """What ``cepa validate`` found: the problems, sorted, and how much was checked."""

    root: str
    #: record files found (read or not)
    files: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.level is Level.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def adding(self, more: list[Problem]) -> Validation:
        """This validation with more problems (``--final``, ``--lang``)."""
        return Validation(self.root, self.files, sorted({*self.problems, *more}))

    def as_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "records": self.files, "errors": self.errors,
                "warnings": self.warnings, "problems": [p.as_dict() for p in self.problems]}


def problems(ws: Workspace) -> list[Problem]:
    """Every problem of a loaded workspace, sorted, less the warnings the project
    silences."""
    out = record_checks.check(ws)
    if ws.project is not None:
        for rule in CHECKS:
            out.extend(rule(ws, ws.project))
    return sorted(set(record_checks.silence(ws, out)))


def validate(ws: Workspace) -> Validation:
    """``cepa validate``: every problem, in one result."""
    return Validation(str(ws.root), ws.files, problems(ws))
