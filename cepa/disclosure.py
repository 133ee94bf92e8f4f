"""Disclosure control for publication: counts about children never identify a child.

In publication mode (``--public``) every count about children and service users
(feedback and outcome records, and any breakdown of them) goes through these
rules before it reaches an output:

* primary: 0 stays 0; 1 to ``threshold`` (default 7) is suppressed, shown ``c``;
  anything larger is rounded half up to a multiple of ``base`` (default 5);
* secondary: in every group of cells that has a visible total (a breakdown, a
  table row), a lone suppressed cell could be recovered by subtraction, so a
  second cell (the smallest other protected one) or else the total is
  suppressed too.

Counts of adult professionals (seminar attendance, interviews) are left alone;
``disclosure.protected`` in the project file adds measures to protect.

ACRO (statistical disclosure checks for pandas tables) was considered: it checks
and reports on tables a researcher builds in a session and would pull pandas
into every publication path; cepa's tables are small dicts with a fixed shape,
so the two rules are applied here directly.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SUPPRESSED = "c"

#: Claim and target measures that count children or service users.
PROTECTED_MEASURES = frozenset({"young_people", "children_monitored"})
#: Record kinds whose people are children or service users.
PROTECTED_KINDS = frozenset({"feedback", "outcomes"})


@dataclass(frozen=True)
class Rules:
    threshold: int = 7
    base: int = 5
    protected: frozenset[str] = PROTECTED_MEASURES

    @classmethod
    def of(cls, project: Any) -> Rules:
        d = project.disclosure
        return cls(d.threshold, d.base, PROTECTED_MEASURES | frozenset(d.protected))

    @property
    def statement(self) -> str:
        return (f"Publication rules applied: counts about children and service users of 1 to "
                f"{self.threshold} are suppressed (shown '{SUPPRESSED}'), other such counts "
                f"are rounded to the nearest {self.base} (halves up), and a second cell or "
                "the total is suppressed wherever a suppressed count could be worked out by "
                "subtraction. Only feedback marked publishable is quoted. Counts of adult "
                "professionals are shown as recorded.")


def round_half_up(n: int, base: int) -> int:
    """``n`` rounded to a multiple of ``base``, halves up (12.5 -> 15, not round()'s 10)."""
    return (2 * n + base) // (2 * base) * base


def publish(n: int | None, rules: Rules) -> dict[str, Any]:
    """The published form of one protected count (primary suppression and rounding)."""
    if n is None:
        return {"value": None, "suppressed": False, "rounded": False}
    if n == 0:
        return {"value": 0, "suppressed": False, "rounded": False}
    if n <= rules.threshold:
        return {"value": None, "suppressed": True, "rounded": False}
    return {"value": round_half_up(n, rules.base), "suppressed": False, "rounded": True}


def protect(fig: dict[str, Any] | None, rules: Rules) -> dict[str, Any] | None:
    """A figure ``{"value", "estimated"}`` made publishable; keeps the true value out."""
    if fig is None:
        return None
    return {**publish(fig["value"], rules), "estimated": fig.get("estimated", False),
            "_true": fig["value"]}


def secondary(parts: Iterable[dict[str, Any] | None], total: dict[str, Any] | None,
              candidates: Iterable[dict[str, Any] | None] | None = None) -> None:
    """Suppress a second cell, or the total, where one suppressed part stands alone.

    ``candidates`` are the parts that may be suppressed in its place (protected counts);
    by default all parts. Works in place on published figures.
    """
    shown: list[dict[str, Any]] = [p for p in parts if p is not None]
    if total is None or total.get("suppressed") or total.get("value") is None:
        return
    if sum(1 for p in shown if p.get("suppressed")) != 1:
        return
    pool = [p for p in (shown if candidates is None else candidates)
            if p is not None and not p.get("suppressed") and p.get("value")]
    victim = min(pool, key=lambda p: p.get("_true") or p["value"]) if pool else total
    victim["suppressed"] = True
    victim["value"] = None


def _strip(obj: Any) -> Any:
    """Drop the true values kept for choosing secondary cells."""
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k != "_true"}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def _protect_map(mapping: dict[str, Any], total: dict[str, Any] | None,
                 rules: Rules) -> dict[str, Any]:
    out = {k: protect(v, rules) for k, v in mapping.items()}
    secondary(out.values(), total)
    return out


def public_summary(summary: dict[str, Any], project: Any) -> dict[str, Any]:
    """A copy of ``summarize``'s result with every count about children made publishable."""
    rules = Rules.of(project)
    s = copy.deepcopy(summary)

    fb = s["feedback"]
    fb["young_people"] = protect(fb["young_people"], rules)
    total = fb["young_people"]
    for row in fb["sessions_list"]:
        row["young_people"] = protect(row["young_people"], rules)
        if row["by_age_band"]:
            bands = {k: {"value": v, "estimated": False} for k, v in row["by_age_band"].items()}
            row["by_age_band"] = _protect_map(bands, row["young_people"], rules)
        if not row["publishable"]:
            row["themes"] = []
        row["quotes"] = [q for q in row["quotes"] if q["publishable"]]
    secondary([r["young_people"] for r in fb["sessions_list"]], total)
    fb["by_country"] = _protect_map(fb["by_country"], total, rules)
    fb["by_age_band"] = _protect_map(fb["by_age_band"], total, rules)

    oc = s["outcomes"]
    oc["children"] = protect(oc["children"], rules)
    total = oc["children"]
    oc["by_service"] = _protect_map(oc["by_service"], total, rules)
    oc["by_age_band"] = _protect_map(oc["by_age_band"], total, rules)
    if oc["risk"]:
        oc["risk"] = _protect_map(oc["risk"], total, rules)
    for row in oc["records"]:
        row["children"] = protect(row["children"], rules)
        if row["risk"]:
            risk = {k: {"value": v, "estimated": False} for k, v in row["risk"].items()}
            row["risk"] = _protect_map(risk, row["children"], rules)
    secondary([r["children"] for r in oc["records"]], total)

    kinds = {a.id: a.kind for a in project.activities}
    for a in s["activities"]:
        if a["kind"] in PROTECTED_KINDS:
            a["people"] = protect(a["people"], rules)
    for rows in s["planned"].values():
        for row in rows:
            if kinds.get(row["id"]) in PROTECTED_KINDS:
                row["participants"] = protect(row["participants"], rules)

    measures = {c.id or f"claim-{i + 1}": c.quantity.measure
                for i, c in enumerate(project.claims)}
    for c in s["claims"]:
        if measures.get(c["id"]) in rules.protected and c["computed"] is not None:
            pub = publish(c["computed"], rules)
            c["computed"] = pub["value"]
            c["suppressed"] = pub["suppressed"]
    tmeasures = {t.id: t.quantity.measure for t in project.targets}
    for t in s["targets"]:
        if tmeasures.get(t["id"]) in rules.protected and t["actual"] is not None:
            pub = publish(t["actual"], rules)
            t["actual"] = pub["value"]
            t["suppressed"] = pub["suppressed"]
            t["percent"] = (round(100 * pub["value"] / t["target"], 1)
                            if pub["value"] is not None and t["target"] else None)

    s["disclosure"] = {"applied": True, "threshold": rules.threshold, "base": rules.base,
                       "statement": rules.statement}
    return _strip(s)


def public_coverage(cov: dict[str, Any], project: Any) -> dict[str, Any]:
    """The coverage matrix with the people behind child-kind cells made publishable."""
    rules = Rules.of(project)
    c = copy.deepcopy(cov)
    kinds = {a.id: a.kind for a in project.activities}
    for row in c["objectives"]:
        protected = []
        for act, cell in row["cells"].items():
            if kinds.get(act) in PROTECTED_KINDS:
                cell["people"] = protect(cell["people"], rules)
                protected.append(cell["people"])
        if any(p["_true"] for p in protected):
            # the row total holds children's counts too: subtracting the adult cells
            # from an exact total would undo the rounding
            row["people"] = protect(row["people"], rules)
        secondary([cell["people"] for cell in row["cells"].values()], row["people"],
                  candidates=protected)
    c["disclosure"] = {"applied": True, "threshold": rules.threshold, "base": rules.base,
                       "statement": rules.statement}
    return _strip(c)


def public_breakdown(figures: dict[str, Any], project: Any) -> dict[str, Any]:
    """One breakdown of children's counts (``summarize --by``) made publishable."""
    rules = Rules.of(project)
    total = protect({"value": sum(f["value"] for f in figures.values()), "estimated": False},
                    rules)
    return _strip(_protect_map(figures, total, rules))
