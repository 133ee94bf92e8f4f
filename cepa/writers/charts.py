"""Charts of the report, as PNG bytes: readable when printed in greyscale.

Bars in grey shades with hatching, every bar labelled with its figure (``*`` when
estimated), no colour carrying meaning. matplotlib is imported inside the functions, with
the Agg backend, so it costs nothing unless a report is written.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from cepa.document.language import _
from cepa.document.tables import cell_text
from cepa.evidence.figures import Breakdown, Figure

if TYPE_CHECKING:
    from cepa.evidence.results import Summary

GREYS = ("#595959", "#d9d9d9", "#a6a6a6", "#262626")
HATCHES = ("", "//", "..", "xx")


def bar_chart(labels: list[str], figures: list[Figure], title: str, xlabel: str,
              group: list[int] | None = None, legend: list[str] | None = None) -> bytes:
    """A horizontal bar chart of figures, each bar labelled directly with its value."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    values = [f.number() or 0 for f in figures]
    group = group or [0] * len(values)
    height = 0.9 + 0.38 * len(values) + (0.25 * len(legend) if legend else 0)
    fig, ax = plt.subplots(figsize=(6.4, height), dpi=200)
    try:
        ys = list(range(len(values)))[::-1]
        for y, v, g in zip(ys, values, group, strict=True):
            ax.barh(y, v, color=GREYS[g % len(GREYS)], hatch=HATCHES[g % len(HATCHES)],
                    edgecolor="black", linewidth=0.6, height=0.65)
        top = max(values + [1])
        for y, f, v in zip(ys, figures, values, strict=True):
            ax.text(v + top * 0.01, y, cell_text(f), va="center", ha="left", fontsize=8)
        ax.set_yticks(ys)
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.set_title(title, fontsize=10, loc="left")
        ax.tick_params(axis="x", labelsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if legend:
            handles = [Patch(facecolor=GREYS[i % len(GREYS)], hatch=HATCHES[i % len(HATCHES)],
                             edgecolor="black", label=name) for i, name in enumerate(legend)]
            ax.legend(handles=handles, fontsize=7, frameon=False, loc="upper left",
                      bbox_to_anchor=(0, -0.1 - 0.45 / height), ncol=1)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()
    finally:
        plt.close(fig)


MAX_BARS = Breakdown.SHOWN


def _bars(b: Breakdown, names: dict[str, str] | None = None) -> tuple[list[str], list[Figure]]:
    """At most MAX_BARS bars: the first ones, then the core's figure for all the others."""
    names = names or {}
    items = b.head()
    return [names.get(k, k) for k, _ in items], [f for _, f in items]


def attendance_charts(s: Summary) -> list[tuple[bytes, str]]:
    """Participants by seminar, by country where held and by sector, with their captions.

    A chart holds at most MAX_BARS bars: a programme with thousands of seminars gets its
    largest ones, and the caption says so."""
    att = s.attendance
    out: list[tuple[bytes, str]] = []
    rows = s.seminars
    if len(rows) > MAX_BARS:
        rows = sorted(rows, key=lambda r: -(r.participants.number() or 0))[:MAX_BARS]
        rows.sort(key=lambda r: (r.date, r.id))
        seminar_caption = _("Participants at the {n} largest of {all} seminars").format(
            n=MAX_BARS, all=len(s.seminars))
    else:
        seminar_caption = _("Participants by seminar")
    seminar_caption += _est([r.participants for r in rows])
    if rows:
        acts = list(dict.fromkeys(r.activity for r in rows))
        titles = {a.id: a.title for a in s.activities}
        online = _("online")
        labels = [f"{r.date} {r.city or online}" for r in rows]
        out.append((bar_chart(labels, [r.participants for r in rows],
                              _("Participants by seminar"), _("participants"),
                              [acts.index(r.activity) for r in rows],
                              [f"{a}: {_short(titles.get(a, a), 70)}" for a in acts]),
                    seminar_caption))
    if len(att.by_country):
        from cepa.document.language import country

        labels, figs = _bars(att.by_country, {k: country(k, s.country_names)
                                              for k in att.by_country})
        out.append((bar_chart(labels, figs, _("Participants by country where held"),
                              _("participants")),
                    _("Participants by country where held") + _est(figs)))
    if len(att.by_sector) and list(att.by_sector) != ["(not broken down)"]:
        labels, figs = _bars(att.by_sector)
        out.append((bar_chart(labels, figs, _("Participants by sector"), _("participants")),
                    _("Participants by sector") + _est(figs)))
    # numbered in the order they are shown
    return [(png, _("Figure {n}.").format(n=i) + " " + caption)
            for i, (png, caption) in enumerate(out, start=1)]


def _est(figures: Any) -> str:
    return " (* " + _("estimated") + ")" if any(f.estimated and f.known for f in figures) else ""


def _short(text: str, n: int = 45) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"
