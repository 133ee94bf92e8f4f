"""A chart (cepa/document/nodes.py) as a PNG picture, readable when printed in greyscale.

Horizontal bars in grey shades with hatching, every bar labelled with its figure as the
document shows it, no colour carrying meaning. matplotlib is imported here only, with the
Agg backend, when a report is written.
"""

from __future__ import annotations

import io

from cepa.document.nodes import Chart

GREYS = ("#595959", "#d9d9d9", "#a6a6a6", "#262626")
HATCHES = ("", "//", "..", "xx")


def png(chart: Chart) -> bytes:
    """The chart as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    bars = chart.bars
    values = [b.cell.value if isinstance(b.cell.value, int | float) else 0 for b in bars]
    legend = chart.legend
    height = 0.9 + 0.38 * len(bars) + (0.25 * sum(1 + len(n) // 80 for n in legend)
                                       if legend else 0)
    fig, ax = plt.subplots(figsize=(6.4, height), dpi=200)
    try:
        ys = list(range(len(bars)))[::-1]
        for y, v, b in zip(ys, values, bars, strict=True):
            ax.barh(y, v, color=GREYS[b.group % len(GREYS)],
                    hatch=HATCHES[b.group % len(HATCHES)], edgecolor="black", linewidth=0.6,
                    height=0.65)
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

            handles = [Patch(facecolor=GREYS[i % len(GREYS)], hatch=HATCHES[i % len(HATCHES)],
                             edgecolor="black", label="\n".join(textwrap.wrap(name, 80)))
                       for i, name in enumerate(legend)]
            ax.legend(handles=handles, fontsize=7, frameon=False, loc="upper left",
                      bbox_to_anchor=(0, -0.1 - 0.45 / height), ncol=1)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()
    finally:
        plt.close(fig)
