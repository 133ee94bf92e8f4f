"""The tables of a programme of projects, for pandas: their columns, typed and documented.

``FRAMES`` describes each table ``cepa.open(...).frames()`` gives - records, breakdowns,
figures, activities, outputs - column by column: its name, its pandas dtype and what it
holds. The dtypes are the same whatever the project holds (an empty project too), so the
frames of several projects concatenate without turning a column into ``object``: counts
are nullable integers (``Int64``: a count that is not recorded is ``<NA>``, never 0 or a
float), dates are datetimes (``NaT`` when not known), yes/no are nullable booleans, the
words of a fixed list (kinds, statuses, grades) are categories, and lists (objectives,
partners, languages) are Python lists. Countries are one code per country (Greece is
``EL`` whether a project wrote EL or GR; the United Kingdom ``UK``).

``rows`` turns one project's (gated) results into the rows of each table, as plain Python
values; cepa/api.py makes the DataFrames. ``python -m cepa.evidence.frames docs/`` writes
docs/frames.md from ``FRAMES`` (a test fails when it is stale). pandas is not imported
here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cepa.base.countries import one_code
from cepa.base.dates import UNKNOWN
from cepa.evidence.figures import Figure, Grade
from cepa.evidence.results import ActivityStatus, Coverage, Summary, figures_of
from cepa.records.kinds import KINDS
from cepa.records.model import BREAKDOWNS


@dataclass(frozen=True)
class Col:
    name: str
    #: a pandas dtype: string, Int64, Float64, boolean, datetime64[ns], object (a list), or
    #: category (its words in ``categories``)
    dtype: str
    doc: str
    categories: tuple[str, ...] = ()


def _kinds() -> tuple[str, ...]:
    return tuple(KINDS)


GRADES = tuple(g.value for g in Grade)
STATUSES = tuple(s.value for s in ActivityStatus)
MODES = ("in person", "online", "hybrid", "unknown")


def _project() -> Col:
    return Col("project", "string", "the project's code (cepa-project.yaml `code`)")


def frames() -> dict[str, tuple[str, tuple[Col, ...]]]:
    """Each table: what a row is, and its columns (the kinds registered now)."""
    kinds = _kinds()
    return {
        "records": ("One row per record.", (
            _project(),
            Col("id", "string", "the record's id (in the public's frames 'outcome record "
                                "1' for a record about children not marked publishable; an "
                                "evaluator's frames hold no row about protected people)"),
            Col("kind", "category", "its kind (its folder)", kinds),
            Col("activity", "string", "the activity of the project file it belongs to"),
            Col("title", "string", "its title"),
            Col("date", "string", "its date as written ('2005-06', '2005-01 to 2006-12', "
                                  "'unknown')"),
            Col("start", "datetime64[ns]", "the first day of its date (NaT when not known)"),
            Col("end", "datetime64[ns]", "the last day of its date (NaT when not known)"),
            Col("country", "string", "where it took place: one code per country (NA: "
                                     "online, not known, or a kind without a place)"),
            Col("city", "string", "the city where it took place (NA when not known)"),
            Col("mode", "category", "in person, online, hybrid or unknown (NA for kinds "
                                    "that are not gatherings)", MODES),
            Col("type", "string", "its type, for kinds that have one (events, outputs)"),
            Col("objectives", "object", "the objectives it serves: a list of ids"),
            Col("partners", "object", "the partners responsible: a list of ids, the "
                                      "convenor first"),
            Col("counts", "string", "what its count counts: participants, interviews, ..."),
            Col("count", "Int64", "its count (NA when not recorded, or not shown to this "
                                  "audience)"),
            Col("grade", "category", "how the count was obtained: exact, split (a share "
                                     "of a known total), estimated, unsourced, assumed, "
                                     "not recorded", GRADES),
            Col("estimated", "boolean", "the count is an estimate (any grade but exact)"),
            Col("assumed", "object", "facts of the record that are assumed, not "
                                     "recorded: a list of fields (date, hosts, ...)"),
            Col("children", "boolean", "a record about children or service users"),
            Col("file", "string", "its file, from the folder holding the records"),
        )),
        "breakdowns": ("One row per cell of a record's breakdowns (by country, sector, "
                       "...; and the parts of a field such as risk).", (
            _project(),
            Col("id", "string", "the record's id"),
            Col("kind", "category", "its kind", kinds),
            Col("breakdown", "category", "the breakdown: by_country, by_sector, ..., or "
                                         "risk", (*BREAKDOWNS, "risk")),
            Col("key", "string", "the cell's key (by_country: one code per country)"),
            Col("value", "Int64", "the cell's count"),
            Col("grade", "category", "how it was obtained", GRADES),
            Col("estimated", "boolean", "an estimate"),
        )),
        "figures": ("One row per figure of the summary: every number any output shows, by "
                    "its place in the summary's JSON.", (
            _project(),
            Col("section", "string", "the summary's part: attendance, seminars, claims, "
                                     "targets, activities, ..."),
            Col("figure", "string", "its place: attendance.by_country[UK], "
                                    "seminars.participants, claims[uk-seminars].computed"),
            Col("value", "Int64", "its value (NA when not recorded, suppressed or "
                                  "withheld)"),
            Col("grade", "category", "how it was obtained: the grade of its weakest part",
                GRADES),
            Col("estimated", "boolean", "an estimate"),
            Col("unrecorded", "Int64", "records behind it that hold no count (the value "
                                       "is then a lower bound)"),
            Col("counts", "string", "what it counts"),
            Col("children", "boolean", "a count of children or service users"),
            Col("suppressed", "boolean", "public: suppressed (shown c)"),
            Col("rounded", "boolean", "public, or an evaluator's figure of one record alone: "
                                      "rounded to the project's base"),
            Col("withheld", "boolean", "not shown to this audience"),
            Col("records", "object", "the ids of the records behind it: a list"),
        )),
        "activities": ("One row per activity of the project file: what was planned and "
                       "what happened.", (
            _project(),
            Col("id", "string", "the activity's id"),
            Col("title", "string", "its title, in the project's language"),
            Col("kind", "category", "the kind of its records", kinds),
            Col("status", "category", "what happened: implemented, partly implemented, "
                                      "moved, postponed, not implemented, unforeseen "
                                      "(the project file's status, else what its records "
                                      "show)", STATUSES),
            Col("implemented", "boolean", "its status says it happened (implemented, "
                                          "partly, moved, unforeseen)"),
            Col("planned", "boolean", "planned (false: unforeseen)"),
            Col("planned_events", "Int64", "how many events were planned"),
            Col("records", "Int64", "its records in the period"),
            Col("people", "Int64", "the people (or interviews, ...) behind its records (NA "
                                   "when not recorded, or for kinds that count nobody)"),
            Col("people_grade", "category", "how that figure was obtained", GRADES),
            Col("planned_date", "string", "its planned date, as written"),
            Col("planned_start", "datetime64[ns]", "the first day of its planned date"),
            Col("actual_date", "string", "its actual date, as written"),
            Col("actual_start", "datetime64[ns]", "the first day of its actual date"),
            Col("planned_place", "string", "where it was planned"),
            Col("actual_place", "string", "where it took place, as the project file says"),
            Col("countries", "object", "the countries where its records took place: a list "
                                       "of codes ('online' for online ones)"),
            Col("types", "object", "the types of its records (events, outputs): a list"),
            Col("modes", "object", "in person, online, hybrid: the modes of its records"),
            Col("objectives", "object", "the objectives it is planned for: a list of ids"),
            Col("target_groups", "object", "the target groups it reached: a list of ids"),
            Col("reason", "string", "why it changed, moved, was postponed or not held"),
            Col("expected_results", "string", "what it was to achieve"),
            Col("results", "string", "what it achieved, in words"),
        )),
        "outputs": ("One row per output (report, toolkit, translation, website, ...).", (
            _project(),
            Col("id", "string", "the output's id"),
            Col("activity", "string", "its activity"),
            Col("title", "string", "its title"),
            Col("type", "string", "research report, toolkit, translation, website, ..."),
            Col("date", "string", "when it was delivered, as written"),
            Col("start", "datetime64[ns]", "the first day of that date (NaT: not known)"),
            Col("languages", "object", "its languages: a list of ISO 639-1 codes"),
            Col("language_count", "Int64", "how many languages"),
            Col("partners", "object", "the partners who made it: a list of ids"),
            Col("reach", "Int64", "how many it reached, where known"),
            Col("reach_counts", "string", "what reach counts: downloads, copies, ..."),
            Col("file", "string", "its file"),
        )),
    }


# --- one project's rows -------------------------------------------------------------------

HAPPENED_WORDS = frozenset({"implemented", "partly implemented", "moved", "unforeseen"})


def _day(text: str | None, known: bool = True) -> str | None:
    return text if known and text else None


def _country(code: str | None) -> str | None:
    return one_code(code) if code and code != UNKNOWN else None


def _local(text: Any, language: str) -> str | None:
    if text is None:
        return None
    if isinstance(text, dict):
        return text.get(language) or next(iter(text.values()), None)
    return str(text)


def _figure(f: Figure | None) -> tuple[int | None, str | None, bool | None]:
    if f is None:
        return None, None, None
    grade = f.grade if f.value is not None or f.suppressed or f.withheld else \
        Grade.NOT_RECORDED
    return f.number(), str(grade), f.estimated and f.known


def rows(s: Summary, cov: Coverage | None = None) -> dict[str, list[dict[str, Any]]]:
    """The rows of each table for one project's summary (through its gate)."""
    code = s.project.code
    lang = s.project.language
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in frames()}
    for kind, section in s.kinds.items():
        for r in section.rows:
            known = r.date != UNKNOWN
            count, grade, estimated = _figure(r.count)
            place = r.place
            out["records"].append({
                "project": code, "id": r.id, "kind": kind, "activity": r.activity,
                "title": _local(r.title, lang), "date": r.date,
                "start": _day(r.start, known), "end": _day(r.end, known),
                "country": _country(place.country) if place else None,
                "city": place.city if place else None,
                "mode": r.fields.get("mode") if "mode" in r.fields else None,
                "type": r.fields.get("type"), "objectives": list(r.objectives),
                "partners": list(r.partners),
                "counts": r.count.counts if r.count is not None else None,
                "count": count, "grade": grade if r.count is not None else None,
                "estimated": estimated if r.count is not None else None,
                "assumed": sorted(k for k, v in r.basis.items() if v == "assumed"),
                "children": KINDS[kind].children if kind in KINDS else False,
                "file": r.source})
            for name, b in r.breakdowns.items():
                for key, f in b.items():
                    value, g, est = _figure(f)
                    out["breakdowns"].append({
                        "project": code, "id": r.id, "kind": kind, "breakdown": name,
                        "key": _country(key) if name == "by_country" else key,
                        "value": value, "grade": g, "estimated": est})
            if kind == "outputs":
                languages = list(r.fields.get("languages") or [])
                out["outputs"].append({
                    "project": code, "id": r.id, "activity": r.activity,
                    "title": _local(r.title, lang), "type": r.fields.get("type"),
                    "date": r.date, "start": _day(r.start, known), "languages": languages,
                    "language_count": len(languages), "partners": list(r.partners),
                    "reach": r.fields.get("reach"), "reach_counts": r.fields.get("reach_counts"),
                    "file": r.source})
    for where, f in figures_of(s):
        value, g, est = _figure(f)
        out["figures"].append({
            "project": code, "section": where.split(".")[0].split("[")[0], "figure": where,
            "value": value, "grade": g, "estimated": est, "unrecorded": f.unrecorded,
            "counts": f.counts, "children": f.children, "suppressed": f.suppressed,
            "rounded": f.rounded, "withheld": f.withheld, "records": list(f.records)})
    for a in s.activities:
        rows_of = s.kinds[a.kind].rows if a.kind in s.kinds else []
        mine = [r for r in rows_of if r.activity == a.id]
        people, g, _est = _figure(a.people)
        out["activities"].append({
            "project": code, "id": a.id, "title": _local(a.title, lang), "kind": a.kind,
            "status": str(a.status), "implemented": str(a.status) in HAPPENED_WORDS,
            "planned": a.planned, "planned_events": a.planned_events, "records": a.records,
            "people": people, "people_grade": g,
            "planned_date": a.planned_date, "planned_start": _start(a.planned_date),
            "actual_date": a.actual_date, "actual_start": _start(a.actual_date),
            "planned_place": a.planned_place, "actual_place": a.actual_place,
            "countries": list(dict.fromkeys(
                "online" if p.mode == "online" else c for p in a.places
                if (c := _country(p.country)) or p.mode == "online")),
            "types": list(dict.fromkeys(t for r in mine if (t := r.fields.get("type")))),
            "modes": list(dict.fromkeys(p.mode for p in a.places)),
            "objectives": list(a.objectives), "target_groups": list(a.target_groups),
            "reason": _local(a.reason, lang), "expected_results": _local(a.expected_results,
                                                                         lang),
            "results": _local(a.results, lang)})
    return out


def _start(text: str | None) -> str | None:
    """The first day of a date as the project file writes it ('2006-03', '2006-03-14',
    '2005-01 to 2006-12')."""
    from cepa.base.dates import DateError, parse_when

    if not text or text == UNKNOWN:
        return None
    first = text.split(" to ")[0].split(",")[0].strip()
    try:
        return parse_when(first).start.isoformat()
    except DateError:
        return None


# --- the documentation ----------------------------------------------------------------------


def markdown() -> str:
    """docs/frames.md: every table and column, from ``FRAMES``."""
    lines = [
        "# The frames of `cepa.open(...).frames()`",
        "",
        "<!-- Generated by `python -m cepa.evidence.frames docs/` from "
        "cepa/evidence/frames.py; do not edit. -->",
        "",
        "`cepa.open(path)` loads one project, `cepa.open(path_a, path_b, ...)` a programme "
        "of several; `.frames(period=None, audience=None)` gives the tables below as pandas "
        "DataFrames, with a `project` column, through the same gate as every other output "
        "(`audience=\"evaluator\"` or `\"public\"`). Each column has the same dtype whatever "
        "a project holds, so `pd.concat` of several projects keeps them: counts are nullable "
        "integers (`Int64`, `<NA>` when not recorded, never 0), dates datetimes (`NaT` when "
        "not known), yes/no nullable booleans, the words of a fixed list categories, and "
        "lists Python lists. Countries are one code per country: Greece is `EL` whether a "
        "project wrote EL or GR, the United Kingdom `UK` whether it wrote UK or GB.",
        "",
        "See [programme.py](programme.py) for programme tables built from them.",
    ]
    for name, (what, cols) in frames().items():
        lines += ["", f"## `{name}`", "", what, "", "| column | dtype | holds |",
                  "|---|---|---|"]
        for c in cols:
            dtype = c.dtype
            if c.categories:
                dtype += ": " + ", ".join(c.categories)
            lines.append(f"| `{c.name}` | {dtype} | {c.doc} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m cepa.evidence.frames docs/: regenerate docs/frames.md
    import sys
    from pathlib import Path

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    (folder / "frames.md").write_text(markdown(), encoding="utf-8")
