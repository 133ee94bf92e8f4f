"""A chart (cepa/document/nodes.py) as a PNG picture, in the reference document's look and
readable when printed in greyscale.

Horizontal bars in the theme's accent colours (cepa's navy and greys when the reference
document has no theme), each group hatched differently as well, every bar labelled with its
figure as the document shows it, no colour alone carrying meaning; the text in the font of
the document's body, or in one of the same widths (Carlito for Calibri), else matplotlib's
own. matplotlib is imported here only, with the Agg backend, when a report is written.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from cepa.document.nodes import Chart
from cepa.writers.look import Look, available

HATCHES = ("", "//", "..", "xx", "\\\\", "++")


@cache
def chart_font(font: str | None) -> str | None:
    """The family matplotlib draws a chart's text in for the document's ``font``: itself
    or a font of the same widths when matplotlib can find one, else None (its own)."""
    if not font:
        return None
    from matplotlib import font_manager

    for name in dict.fromkeys(filter(None, (font, available(font)))):
        try:
            font_manager.findfont(font_manager.FontProperties(family=name),
                                  fallback_to_default=False)
        except ValueError:
            continue
        return name
    return None


def png(chart: Chart, look: Look | None = None) -> bytes:
    """The chart as PNG bytes, in the colours and font of ``look``."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    look = look or Look()
    colours = [f"#{c}" for c in look.colours]
    font = chart_font(look.font)
    style: dict[str, Any] = {"font.family": font} if font else {}
    with plt.rc_context(style):  # type: ignore[arg-type]
        return _draw(chart, colours, plt, Patch)


def _draw(chart: Chart, colours: list[str], plt: Any, patch: Any) -> bytes:
    bars = chart.bars
    values = [b.cell.value if isinstance(b.cell.value, int | float) else 0 for b in bars]
    legend = chart.legend
    height = 0.9 + 0.38 * len(bars) + (0.25 * sum(1 + len(n) // 80 for n in legend)
                                       if legend else 0)
    fig, ax = plt.subplots(figsize=(6.4, height), dpi=200)
    try:
        ys = list(range(len(bars)))[::-1]
        for y, v, b in zip(ys, values, bars, strict=True):
            colour = colours[b.group % len(colours)]
            ax.barh(y, v, color=colour, hatch=HATCHES[b.group % len(HATCHES)],
                    edgecolor="black", linewidth=0.6, height=0.65)
        top = max(values + [1])
        for y, v, b in zip(ys, values, bars, strict=True):
            ax.text(v + top * 0.01, y, b.cell.text, va="center", ha="left", fontsize=8)
        ax.set_yticks(ys)
        ax.set_yticklabels([b.label for b in bars], fontsize=8)
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel(chart.axis, fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if legend:
            import textwrap

            handles = [patch(facecolor=colours[i % len(colours)],
                             hatch=HATCHES[i % len(HATCHES)], edgecolor="black",
                             label="\n".join(textwrap.wrap(name, 80)))
                       for i, name in enumerate(legend)]
            ax.legend(handles=handles, fontsize=7, frameon=False, loc="upper left",
                      bbox_to_anchor=(0, -0.1 - 0.45 / height), ncol=1)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()
    finally:
        plt.close(fig)
