"""The small query language of claims, targets and indicators: a measure, filters, an
aggregate.

Each kind of record offers its measures (``Kind.measures``: ``seminars``,
``seminar_participants``, ``host_organisations``, ...); ``records``, ``participants`` (at
every gathering) and ``primary_participants`` (from the project file) are cepa's own.
``quantity`` computes one through ``Tally``; ``judge`` says whether a claim holds.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from cepa.evidence.figures import Figure, Grade, Tally
from cepa.evidence.periods import Period, in_period, of_project
from cepa.evidence.results import ClaimRow, ClaimStatus, TargetRow
from cepa.records.kind import Distinct, People, Records, Stat
from cepa.records.kinds import KINDS
from cepa.records.model import Project, Quantity
from cepa.records.workspace import Entry


@dataclass(frozen=True)
class Measure:
    kinds: tuple[str, ...]
    stat: Stat
    describe: str

    @property
    def children(self) -> bool:
        """Does it count children or service users (protected in publication mode)?"""
        return isinstance(self.stat, People) and any(KINDS[k].children for k in self.kinds)


PRIMARY = "primary_participants"


def measures() -> dict[str, Measure]:
    """Every measure, from the kinds registered now."""
    out = {"records": Measure(tuple(KINDS), Records("records"), "records of any kind")}
    gatherings = tuple(k.name for k in KINDS.values() if k.attendance)
    for k in KINDS.values():
        for name, (stat, what) in k.measures.items():
            out[name] = Measure((k.name,), stat, what)
    if gatherings:
        out["participants"] = Measure(gatherings, People(),
                                      "participants in " + " and ".join(gatherings))
    return out


def measure_names() -> dict[str, str]:
    return {**{k: m.describe for k, m in measures().items()},
            PRIMARY: "primary participants of the partners"}


def protected_measures(project: Project) -> frozenset[str]:
    """Measures whose figures count children: never published as they are."""
    return frozenset({k for k, m in measures().items() if m.children}
                     | set(project.disclosure.protected))


def field_values(e: Entry, key: str) -> list[str]:
    """What a record says for a filter: ``country: UK``, ``partner: barnardos``, ..."""
    r = e.record
    if key == "kind":
        return [e.kind]
    if key == "year":
        return [str(y) for y in range(r.date.start.year, r.date.end.year + 1)]
    if key in ("partner", "organisation"):
        return KINDS[e.kind].partners_of(r)
    if key in ("objective", "objectives"):
        return list(r.objectives)
    v = getattr(r, key, None)
    if v is None:
        return []
    if isinstance(v, list):
        return [str(x) for x in v]
    return [str(v)]


FILTER_KEYS = ("kind", "activity", "country", "city", "year", "partner", "objective",
               "organisation", "convenor", "conducted_by", "group", "service", "id", "type",
               "mode")


class QuantityError(ValueError):
    """A claim or target that names a measure or filter cepa does not know."""


def prepared(q: Quantity) -> tuple[Measure, dict[str, set[str]]]:
    """The measure of a quantity about records, and the values each filter wants;
    QuantityError for a measure or filter cepa does not know."""
    for key in q.where:
        if key not in FILTER_KEYS:
            raise QuantityError(f"unknown filter '{key}' (filters: {', '.join(FILTER_KEYS)})")
    m = measures().get(q.measure)
    if m is None:
        raise QuantityError(f"unknown measure '{q.measure}' "
                            f"(measures: {', '.join(measure_names())})")
    return m, {k: {str(x) for x in (v if isinstance(v, list) else [v])}
               for k, v in q.where.items()}


def takes(m: Measure, wanted: dict[str, set[str]], e: Entry) -> bool:
    """Does a quantity count this record?"""
    return e.kind in m.kinds and all(set(field_values(e, k)) & want
                                     for k, want in wanted.items())


def quantity(q: Quantity, project: Project, entries: Sequence[Entry],
             tally: Tally | None = None, *, picked: Sequence[Entry] | None = None,
             values: Callable[[Entry], Any] | None = None
             ) -> tuple[Figure | None, list[Entry]]:
    """Compute a quantity: its figure (None for the min or max of nothing), and the records
    behind it. ``picked``: the records it counts, when the caller knows them already;
    ``values``: what each names, for a measure of different things (else the measure
    asks each record)."""
    tally = tally or Tally(project)
    if q.measure == PRIMARY:
        for key in q.where:
            if key not in FILTER_KEYS:
                raise QuantityError(
                    f"unknown filter '{key}' (filters: {', '.join(FILTER_KEYS)})")
        wanted = q.where.get("partner")
        ids = ({str(x) for x in (wanted if isinstance(wanted, list) else [wanted])}
               if wanted else None)
        return tally.given([p.primary_participants for p in project.partners
                            if ids is None or p.id in ids], "primary participants"), []
    m, wanted_sets = prepared(q)
    chosen = (list(picked) if picked is not None
              else [e for e in entries if takes(m, wanted_sets, e)])
    stat = m.stat
    if q.aggregate == "count" or isinstance(stat, Records):
        return tally.number(chosen, getattr(stat, "counts", "records")), chosen
    if isinstance(stat, Distinct):
        get = stat.values
        return tally.distinct(chosen, values or (lambda e: get(e.record)), stat.counts), chosen
    if q.aggregate in ("min", "max"):
        return tally.extreme(chosen, min if q.aggregate == "min" else max), chosen
    return tally.people(chosen), chosen


OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
}


def judge(f: Figure | None, op: str, value: int | float) -> ClaimStatus:
    """holds, contradicted, or unknown: a figure with records whose count is not recorded
    is a lower bound, and decides only what a lower bound can decide."""
    if f is None or f.value is None:
        return ClaimStatus.UNKNOWN
    if not f.unrecorded:
        return ClaimStatus.HOLDS if OPS[op](f.value, value) else ClaimStatus.CONTRADICTED
    low = f.value  # the true value is at least this
    if op in (">=", ">") and OPS[op](low, value):
        return ClaimStatus.HOLDS
    if op in ("=", "<=", "<") and not OPS[op](low, value) and (op != "=" or low > value):
        return ClaimStatus.CONTRADICTED
    return ClaimStatus.UNKNOWN


def _entries_for(name: str | None, project: Project, entries: Sequence[Entry],
                 period: Period | None, every: Sequence[Entry] | None
                 ) -> Sequence[Entry] | None:
    """The records a claim or target about period ``name`` (None: the whole project) is
    judged on, in a summary of ``period``; None when it is about another period than the
    one summarised (a period's summary judges only what belongs to it)."""
    if period is None or period.whole:
        if name is None or name not in project.reporting_periods:
            return entries
        return in_period(every if every is not None else entries,
                         of_project(project, name))[0]
    return entries if name is not None and name == period.name else None


def claims(project: Project, entries: Sequence[Entry], tally: Tally | None = None,
           period: Period | None = None, every: Sequence[Entry] | None = None, *,
           picked: Sequence[Sequence[Entry]] | None = None,
           values: Callable[[int, Entry], Any] | None = None) -> list[ClaimRow]:
    """Every claim of the project file, computed: holds (on exact figures, or only on
    estimates), contradicted, unknown or invalid; in a period's summary a claim about the
    whole project or another period is not judged. ``entries`` are the summarised period's
    records, ``every`` all the project's (for claims about a period in the whole).
    ``picked`` and ``values``: the records each claim counts (of its own period), and what
    each names, when the caller knows them (cepa/evidence/checks.py, from the cache of
    checked results)."""
    tally = tally or Tally(project)
    out = []
    for i, c in enumerate(project.claims):
        cid = c.id or f"claim-{i + 1}"
        chosen_from = (entries if picked is not None
                       else _entries_for(c.period, project, entries, period, every))
        if chosen_from is None:
            out.append(ClaimRow(cid, i, c.text, c.op, c.value, c.quantity.measure, None,
                                ClaimStatus.OTHER_PERIOD, [], period=c.period))
            continue
        try:
            figure, chosen = quantity(c.quantity, project, chosen_from, tally,
                                      picked=picked[i] if picked is not None else None,
                                      values=partial(values, i) if values else None)
        except QuantityError as e:
            out.append(ClaimRow(cid, i, c.text, c.op, c.value, c.quantity.measure, None,
                                ClaimStatus.INVALID, [], str(e), period=c.period))
            continue
        status = judge(figure, c.op, c.value)
        estimates: list[str] = []
        if status is ClaimStatus.HOLDS and figure is not None \
                and figure.grade is not Grade.EXACT:
            status = ClaimStatus.ON_ESTIMATES
            estimates = list(figure.estimates)
        out.append(ClaimRow(cid, i, c.text, c.op, c.value, c.quantity.measure, figure,
                            status, [e.record.id for e in chosen], estimates=estimates,
                            period=c.period))
    return out


def targets(project: Project, entries: Sequence[Entry], tally: Tally | None = None,
            period: Period | None = None, every: Sequence[Entry] | None = None
            ) -> list[TargetRow]:
    """Targets against the records: a target set for a reporting period against that
    period's; a whole project's target in a period's summary against the period's records
    (its progress); one set for another period is not shown."""
    tally = tally or Tally(project)
    out = []
    for t in project.targets:
        chosen_from = (entries if t.period is None
                       else _entries_for(t.period, project, entries, period, every))
        if chosen_from is None:
            continue
        try:
            figure, _ = quantity(t.quantity, project, chosen_from, tally)
        except QuantityError as e:
            out.append(TargetRow(t.id, t.text, t.target, None, None, str(e),
                                 period=t.period))
            continue
        value = figure.value if figure is not None else None
        pct = round(100 * value / t.target, 1) if value is not None and t.target else None
        out.append(TargetRow(t.id, t.text, t.target, figure, pct, period=t.period))
    return out
