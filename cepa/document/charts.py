"""The report's charts, as data: bars with their labels and figures, titles and captions.

Participants at each gathering (grouped by activity), by the country where the
gatherings were held, and by sector. A chart holds at most ``Breakdown.SHOWN`` bars: a
programme with thousands of gatherings gets its largest ones, and the caption says so.
cepa/writers/charts.py draws them.
"""

from __future__ import annotations

from typing import Any

from cepa.base.dates import UNKNOWN
from cepa.document.language import _, local, when
from cepa.document.nodes import Bar, Chart
from cepa.document.tables import Names, gathering_kinds
from cepa.document.words import ESTIMATE_MARK, GRADE_MARK, P_, figure_cell, key_text, mark
from cepa.evidence.figures import NOT_BROKEN_DOWN, Breakdown, Figure
from cepa.evidence.results import Summary

MAX_BARS = Breakdown.SHOWN


def _bar_label(r: Any, names: Names) -> str:
    """'June 2005, London': the date and the city, or what of them is known (the country,
    'online'); the gathering's title when neither is."""
    p = r.place
    where = None
    if p is not None:
        if p.mode == "online":
            where = P_("place", "online")
        elif p.city:
            where = p.city
        elif p.country and p.country != UNKNOWN:
            where = names.countries.get(p.country, p.country)
    parts = [x for x in ((when(r.date) if r.date and r.date != UNKNOWN else None), where) if x]
    return ", ".join(parts) or str(local(r.title))


def _estimated(figures: list[Figure]) -> str:
    """'(* estimated)', or the marks of the grades among the figures: '(*, ? estimated)'."""
    signs = [sign for g, sign in GRADE_MARK.items()
             if any(f.estimated and f.known and mark(f) == sign for f in figures)]
    if not signs:
        return ""
    if signs == [ESTIMATE_MARK]:
        return " " + _("(* estimated)")
    return " " + _("({marks} estimated)").format(marks=", ".join(signs))


def _bars(b: Breakdown, names: dict[str, str] | None = None) -> list[Bar]:
    return [Bar(key_text(k, names, b.folded), figure_cell(f)) for k, f in b.head()]


def attendance_charts(s: Summary, names: Names) -> list[Chart]:
    """Participants by gathering, by country where held and by sector, numbered."""
    rows = [r for k in gathering_kinds(s) for r in s.kinds[k.name].rows if r.count is not None]
    out: list[tuple[str, str, str, list[Bar], list[str], list[Figure]]] = []
    if rows:
        shown = rows
        if len(rows) > MAX_BARS:
            shown = sorted(rows, key=lambda r: -(r.count.number() or 0) if r.count else 0)
            shown = sorted(shown[:MAX_BARS], key=lambda r: (r.start, r.id))
            caption = _("Participants at the {n} largest of {all} gatherings").format(
                n=MAX_BARS, all=len(rows))
        else:
            caption = _("Participants at each gathering")
        acts = list(dict.fromkeys(r.activity for r in shown))
        titles = {a.id: local(a.title) for a in s.activities}
        bars = [Bar(_bar_label(r, names), figure_cell(r.count), acts.index(r.activity))
                for r in shown if r.count is not None]
        legend = ([_("Activity {id}: {title}").format(id=a, title=titles.get(a, a))
                   for a in acts] if len(acts) > 1 else [])
        out.append(("gatherings", _("Participants at each gathering"), caption, bars, legend,
                    [r.count for r in shown if r.count is not None]))
    att = s.attendance
    if len(att.by_country) and rows:
        figs = [f for _k, f in att.by_country.head()]
        out.append(("by_country", _("Participants by country where held"),
                    _("Participants by country where held"), _bars(att.by_country,
                                                                   names.countries), [], figs))
    if rows and any(k != NOT_BROKEN_DOWN for k in att.by_sector):
        figs = [f for _k, f in att.by_sector.head()]
        out.append(("by_sector", _("Participants by sector"), _("Participants by sector"),
                    _bars(att.by_sector), [], figs))
    return [Chart(key, title, _("Figure {n}.").format(n=i) + " " + caption + _estimated(figs),
                  _("participants"), bars, legend)
            for i, (key, title, caption, bars, legend, figs) in enumerate(out, start=1)]
