"""The summary and the coverage matrix as titled tables, and their plain renderings.

The aggregation core computes; this module only arranges its results into
``Table`` values (a title, column headings, rows of cells, notes). The
terminal (rich), plain text, Markdown and CSV renderings here, the Word
report and the workbook all draw the same tables, so a figure reads the same
everywhere. A cell is text, a number, None, or a figure dict
``{"value", "estimated"}``, shown with ``*`` when estimated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ESTIMATE_MARK = "*"
SUPPRESSED_MARK = "c"
SUPPRESSED_NOTE = ("c: suppressed so that no child or young person can be identified; counts "
                   "about children are rounded to the nearest 5")
ESTIMATE_NOTE = ("* estimated: the source gives only a total, and cepa's records split it; "
                 "see the records' notes")


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)

    @property
    def has_estimates(self) -> bool:
        return any(is_figure(c) and c["estimated"] for r in self.rows for c in r)

    @property
    def has_suppressed(self) -> bool:
        return any(is_figure(c) and c.get("suppressed") for r in self.rows for c in r)


def is_figure(cell: Any) -> bool:
    return isinstance(cell, dict) and "value" in cell and "estimated" in cell


def cell_text(cell: Any) -> str:
    if cell is None:
        return "-"
    if is_figure(cell):
        if cell.get("suppressed"):
            return SUPPRESSED_MARK
        v = cell["value"]
        text = "-" if v is None else (f"{v:,}" if isinstance(v, int) else str(v))
        return text + (ESTIMATE_MARK if cell["estimated"] else "")
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, int):
        return f"{cell:,}"
    if isinstance(cell, float):
        return f"{cell:g}"
    if isinstance(cell, list):
        return ", ".join(str(x) for x in cell)
    return str(cell)


def cell_value(cell: Any) -> Any:
    """The raw value of a cell, for machine formats (CSV, spreadsheets)."""
    if is_figure(cell):
        return SUPPRESSED_MARK if cell.get("suppressed") else cell["value"]
    if isinstance(cell, list):
        return ", ".join(str(x) for x in cell)
    return cell


def _figs(mapping: dict[str, Any], label: str, value: str, title: str, key: str,
          names: dict[str, str] | None = None) -> Table:
    names = names or {}
    return Table(key, title, [label, value],
                 [[names.get(k, k), f] for k, f in mapping.items()])


# --- summary -------------------------------------------------------------------------


def summary_tables(s: dict[str, Any]) -> list[Table]:
    """Every table of a one-project summary, in reading order."""
    att = s["attendance"]
    countries = s.get("country_names", {})
    tables: list[Table] = []
    tables.append(Table("overview", "Overview", ["measure", "value"], [
        ["Visits", s["visits"]["count"]],
        ["Host organisations visited", s["visits"]["hosts_total"]],
        ["Seminars", s["records"]["seminars"]],
        ["Seminar participants (attendances)", att["total"]],
        *([["Unique people (from participant keys)", att["unique_people"]["people"]]]
          if att["unique_people"] else []),
        ["Interviews", s["interviews"]["total"]],
        ["Feedback sessions", s["feedback"]["sessions"]],
        ["Young people heard", s["feedback"]["young_people"]],
        ["Children and young people monitored", s["outcomes"]["children"]],
        ["Services monitoring outcomes", s["outcomes"]["services"]],
        ["Primary participants", s["primary_participants"]["total"]],
    ]))
    tables.append(Table("seminars", "Seminars",
                        ["id", "activity", "date", "city", "country", "convenor",
                         "participants"],
                        [[r["id"], r["activity"], r["date"], r["city"], r["country"],
                          r["convenor"], r["participants"]] for r in s["seminars"]]))
    tables.append(_figs(att["by_activity"], "activity", "participants",
                        "Seminar participants by activity", "by_activity",
                        {a["id"]: f"{a['id']}: {a['title']}" for a in s["activities"]}))
    tables.append(_figs(att["by_country"], "country", "participants",
                        "Seminar participants by country where held", "by_country", countries))
    tables.append(_figs(att["by_partner"], "partner", "participants",
                        "Seminar participants by convening partner", "by_partner",
                        s.get("partner_names", {})))
    tables.append(_figs(att["by_year"], "year", "participants",
                        "Seminar participants by year", "by_year"))
    tables.append(_figs(att["by_sector"], "sector", "participants",
                        "Seminar participants by sector", "by_sector"))
    tables.append(_figs(att["by_organisation"], "organisation", "participants",
                        "Seminar participants by organisation", "by_organisation"))
    if att["unique_people"]:
        u = att["unique_people"]
        tables.append(Table("unique_people", "Attendances and unique people",
                            ["seminars with participant keys", "attendances", "unique people"],
                            [[f"{u['seminars']} of {u['of_seminars']}", u["attendances"],
                              u["people"]]]))
    v = s["visits"]
    tables.append(Table("visits", "Visits", ["id", "date", "from", "to", "host organisations"],
                        [[r["id"], r["date"], r["from"], r["to"], len(r["hosts"])]
                         for r in v["visits"]]))
    tables.append(Table("hosts_by_country", "Host organisations by country",
                        ["country", "organisations"],
                        [[countries.get(c, c), n] for c, n in v["hosts_by_country"].items()]))
    iv = s["interviews"]
    tables.append(_figs(iv["by_group"], "group", "interviews", "Interviews by group",
                        "interviews_by_group"))
    tables.append(_figs(iv["by_country"], "country", "interviews", "Interviews by country",
                        "interviews_by_country", countries))
    tables.append(_figs(iv["by_sector"], "sector", "interviews", "Interviews by sector",
                        "interviews_by_sector"))
    fb = s["feedback"]
    tables.append(Table("feedback", "Service-user feedback sessions",
                        ["id", "date", "country", "host", "young people"],
                        [[r["id"], r["date"], r["country"], r["host"],
                          r["young_people"] if r["young_people"] else "not recorded"]
                         for r in fb["sessions_list"]]))
    oc = s["outcomes"]
    tables.append(_figs(oc["by_service"], "service", "children monitored",
                        "Outcome monitoring by service", "outcomes_by_service"))
    if oc["risk"]:
        tables.append(_figs(oc["risk"], "change in risk", "children",
                            "Change in risk of the children monitored", "risk"))
    pp = s["primary_participants"]
    tables.append(Table("primary_participants", "Primary participants", ["partner", "people"],
                        [[k, n] for k, n in pp["by_partner"].items()] + [["Total", pp["total"]]]))
    if s["targets"]:
        tables.append(Table("targets", "Targets against actuals",
                            ["target", "planned", "actual", "achieved"],
                            [[t["text"], t["target"],
                              {"value": t["actual"], "estimated": t["estimated"],
                               "suppressed": t.get("suppressed", False)},
                              f"{t['percent']:g}%" if t["percent"] is not None else "-"]
                             for t in s["targets"]]))
    tables.extend(planned_tables(s["planned"]))
    if s["claims"]:
        tables.append(claims_table(s["claims"]))
    return _annotate(tables, s.get("disclosure"))


def _annotate(tables: list[Table], disclosure: dict[str, Any] | None) -> list[Table]:
    """Footnotes: what * and c mean, where they appear; the publication rules up front."""
    for t in tables:
        if t.has_estimates:
            t.notes.append(ESTIMATE_NOTE)
        if t.has_suppressed:
            t.notes.append(SUPPRESSED_NOTE)
    if disclosure and tables:
        tables[0].notes.insert(0, disclosure["statement"])
    return tables


def planned_tables(p: dict[str, list[dict[str, Any]]]) -> list[Table]:
    def rows(items: Iterable[dict[str, Any]], reason: bool) -> list[list[Any]]:
        out = []
        for a in items:
            planned = "-" if a["planned_events"] is None else a["planned_events"]
            row = [f"{a['id']}: {a['title']}", planned, a["held"], a["participants"]]
            if reason:
                row.append(a["reason"] or "no reason recorded")
            out.append(row)
        return out

    cols = ["activity", "events planned", "held", "people"]
    return [
        Table("implemented", "Planned activities implemented", cols,
              rows(p["implemented"], False)),
        Table("not_implemented", "Planned activities not (fully) implemented", [*cols, "reason"],
              rows(p["not_implemented"], True),
              [] if p["not_implemented"] else ["Every planned activity was implemented."]),
        Table("unforeseen", "Activities implemented that were not planned", cols,
              rows(p["unforeseen"], False),
              [] if p["unforeseen"] else ["No unplanned activities."]),
    ]


STATUS_TEXT = {"holds": "holds", "contradicted": "CONTRADICTED", "invalid": "cannot compute"}


def claims_table(claims: list[dict[str, Any]]) -> Table:
    return Table("claims", "Claims checked against the records",
                 ["claim", "claimed", "computed", "status"],
                 [[c["text"], f"{c['op']} {c['claimed']}",
                   {"value": c["computed"], "estimated": c["estimated"],
                    "suppressed": c.get("suppressed", False)},
                   STATUS_TEXT[c["status"]]]
                  for c in claims])


def by_table(field_name: str, figures: dict[str, Any], kinds: str) -> Table:
    t = _figs(figures, field_name, "participants" if kinds == "seminars" else "people",
              f"{kinds.capitalize()}: people by {field_name.replace('_', ' ')}", "by")
    if t.has_estimates:
        t.notes.append(ESTIMATE_NOTE)
    return t


def rollup_table(summaries: list[dict[str, Any]]) -> Table:
    """A programme-level roll-up: a column per project and a total."""
    measures = [
        ("Visits", lambda s: s["visits"]["count"]),
        ("Seminars", lambda s: s["records"]["seminars"]),
        ("Seminar participants", lambda s: s["attendance"]["total"]),
        ("Interviews", lambda s: s["interviews"]["total"]),
        ("Feedback sessions", lambda s: s["feedback"]["sessions"]),
        ("Young people heard", lambda s: s["feedback"]["young_people"]),
        ("Children monitored", lambda s: s["outcomes"]["children"]),
        ("Services", lambda s: s["outcomes"]["services"]),
        ("Primary participants", lambda s: s["primary_participants"]["total"]),
        ("Claims holding", lambda s: sum(c["status"] == "holds" for c in s["claims"])),
        ("Claims contradicted",
         lambda s: sum(c["status"] != "holds" for c in s["claims"])),
    ]
    rows = []
    for label, get in measures:
        cells = [get(s) for s in summaries]
        values = [c["value"] if is_figure(c) else c for c in cells]
        est = any(is_figure(c) and c["estimated"] for c in cells)
        total = sum(v for v in values if isinstance(v, int | float))
        rows.append([label, *cells, {"value": total, "estimated": est}])
    t = Table("rollup", "Programme roll-up", ["measure",
              *[s["project"]["code"] for s in summaries], "total"], rows)
    if t.has_estimates:
        t.notes.append(ESTIMATE_NOTE)
    return t


# --- coverage --------------------------------------------------------------------------


def coverage_tables(cov: dict[str, Any]) -> list[Table]:
    acts = cov["activities"]
    rows = []
    for o in cov["objectives"]:
        cells = []
        for a in acts:
            c = o["cells"][a]
            cells.append(f"{c['records']} / {cell_text(c['people'])}" if c["records"] else "-")
        rows.append([f"{o['id']}. {o['short']}", *cells, o["records"],
                     ", ".join(o["kinds"]) or "-", o["status"]])
    rules = cov["rules"]
    notes = [
        "Each cell: records / people behind it (participants, interviews, young people, "
        "children).",
        f"An objective is covered with at least {rules['min_records']} record(s) of at least "
        f"{rules['min_kinds']} kind(s); 'thin' below that, 'uncovered' with none.",
    ]
    t = Table("coverage", "Objective coverage", ["objective", *acts, "records", "kinds",
                                                  "status"], rows, notes)
    if any(ESTIMATE_MARK in str(c) for r in rows for c in r):
        t.notes.append(ESTIMATE_NOTE)
    if any(str(c).endswith(f"/ {SUPPRESSED_MARK}") for r in rows for c in r):
        t.notes.append(SUPPRESSED_NOTE)
    if cov.get("disclosure"):
        t.notes.insert(0, cov["disclosure"]["statement"])
    return [t]


def explain_table(objective: str, activity: str | None,
                  rows: list[tuple[str, str, str]]) -> Table:
    where = f"objective {objective}" + (f", activity {activity}" if activity else "")
    return Table("explain", f"Records behind {where}", ["activity", "record", "file"],
                 [list(r) for r in rows], [] if rows else ["No records."])


# --- plain renderings ------------------------------------------------------------------


def to_plain(tables: list[Table], header: str = "") -> str:
    out = [header] if header else []
    for t in tables:
        texts = [[cell_text(c) for c in r] for r in t.rows]
        widths = [max([len(h)] + [len(r[i]) for r in texts]) for i, h in enumerate(t.columns)]
        numeric = [all(_numeric(r[i]) for r in t.rows) and t.rows for i in range(len(t.columns))]

        def line(cells: list[str], widths: list[int] = widths, numeric: list[Any] = numeric) -> str:
            return "  ".join(c.rjust(w) if n else c.ljust(w)
                             for c, w, n in zip(cells, widths, numeric, strict=True)).rstrip()

        out += ["", t.title, "=" * len(t.title), line(t.columns),
                line(["-" * w for w in widths])]
        out += [line(r) for r in texts]
        out += t.notes
    return "\n".join(out).lstrip("\n") + "\n"


def _numeric(cell: Any) -> bool:
    return cell is None or is_figure(cell) or (isinstance(cell, int | float)
                                                and not isinstance(cell, bool))


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(tables: list[Table], header: str = "") -> str:
    out = [header, ""] if header else []
    for t in tables:
        out += [f"## {t.title}", "", "| " + " | ".join(map(_md_escape, t.columns)) + " |",
                "|" + "|".join("---:" if _col_numeric(t, i) else "---"
                               for i in range(len(t.columns))) + "|"]
        out += ["| " + " | ".join(_md_escape(cell_text(c)) for c in r) + " |" for r in t.rows]
        if t.notes:
            out += [""] + [f"{n}  " for n in t.notes]
        out.append("")
    return "\n".join(out)


def _col_numeric(t: Table, i: int) -> bool:
    return bool(t.rows) and all(_numeric(r[i]) for r in t.rows)


def to_csv(tables: list[Table]) -> str:
    """One long CSV: table, row label, column, value, estimated. Safe to open in Excel."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["table", "row", "column", "value", "estimated"])
    for t in tables:
        for r in t.rows:
            label = cell_text(r[0])
            for col, c in zip(t.columns[1:], r[1:], strict=True):
                est = bool(is_figure(c) and c["estimated"])
                w.writerow([safe_text(t.key), safe_text(label), safe_text(col),
                            safe_text(cell_value(c)), "yes" if est else ""])
    return buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value: Any) -> Any:
    """A value a spreadsheet shows as written: text that would run as a formula is quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
