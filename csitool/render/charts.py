"""Charts of the HTML report as inline SVG (matplotlib, text kept as text).

Each function takes figures already computed (and labels already worded) and returns one
``<svg>`` element as a string. The text stays ``<text>`` (``svg.fonttype = "none"``), so the
browser draws it with the page's fonts (Korean included) and it can be searched and
copied. matplotlib is imported inside the functions (the command line's ``--help`` stays
fast) and used without pyplot (no global figure state, no display backend). The output is
deterministic: a fixed hash salt per chart (its element ids differ between charts on one
page) and no date in the metadata.
"""

from __future__ import annotations

import io
import itertools
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

#: Conventional NPS colours: detractors red, passives grey, promoters green.
DETRACTOR = "#d64541"
PASSIVE = "#a6a6a6"
PROMOTER = "#2e9e5b"
ACCENT = "#2f5597"  # the report's blue (the workbook's header colour)
MUTED = "#8c8c8c"
INK = "#262626"
GRID = "#e6e6e6"
#: Colours of a driver class in the scatter (the others are ACCENT).
CLASS_COLOURS = {"pain-point": DETRACTOR, "wow-point": PROMOTER}
#: The fonts matplotlib measures text with; the browser draws it with the page's fonts
#: (the page's CSS overrides the family), so these only size the layout.
FONTS = ["DejaVu Sans", "Noto Sans CJK KR", "Malgun Gothic", "Apple SD Gothic Neo"]
_HEAD = re.compile(r"\A.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')
_XMLNS = re.compile(r' xmlns(?::xlink)?="[^"]*"')
_IDS = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


@dataclass(frozen=True)
class Point:
    """One labelled point of the importance x performance scatter."""

    label: str
    x: float
    y: float
    kind: str = ""


@contextmanager
def _style(salt: str) -> Iterator[Any]:
    import matplotlib

    rc: Any = {
        "svg.fonttype": "none",
        "text.parse_math": False,  # survey text is literal: a "$" never starts mathtext
        "svg.hashsalt": f"csitool-{salt}",
        "font.family": "sans-serif",
        "font.sans-serif": FONTS,
        "font.size": 10,
        "axes.edgecolor": "#bfbfbf",
        "axes.labelcolor": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": INK,
        "ytick.color": INK,
        "axes.titlesize": 11,
    }
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # a font without Hangul warns "Glyph ... missing" while measuring: the text is
        # drawn by the browser, so the warning says nothing about the result
        warnings.simplefilter("ignore", UserWarning)
        yield matplotlib


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=72)


def _svg(fig: Any, title: str, name: str) -> str:
    """The figure as one ``<svg>`` element for an HTML page: no XML prolog or DOCTYPE
    (they name an external DTD), no metadata block, no namespace declarations (HTML's
    parser puts inline SVG in its namespace), a scalable size, an accessible title, and
    every element id prefixed with ``name`` so that the charts of one page never share
    an id (matplotlib numbers them per figure: ``axes_1``, ``text_1``)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = _METADATA.sub("", _HEAD.sub("", buf.getvalue(), count=1), count=1)
    head, rest = svg.split(">", 1)
    head = _SIZE.sub(r'<svg\1 preserveAspectRatio="xMidYMid meet"', _XMLNS.sub("", head))
    svg = _IDS.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", f"{head}>{rest}")
    from markupsafe import escape

    return svg.replace(">", f' role="img" aria-label="{escape(title)}">', 1).strip()


def nps_distribution(values: Sequence[float], shares: Sequence[float], title: str,
                     ylabel: str, promoter_min: float, detractor_max: float) -> str:  # fmt: skip
    """Share of each answer 0-10 as bars coloured by NPS group, the share above each bar
    (``ylabel`` names the axis for screen readers; the ticks say percent)."""
    with _style("nps-distribution"):
        fig = _figure(5.6, 2.9)
        ax = fig.add_subplot()
        colours = [
            DETRACTOR if v <= detractor_max else PROMOTER if v >= promoter_min else PASSIVE
            for v in values
        ]
        ax.bar(values, shares, color=colours, width=0.78)
        for v, s in zip(values, shares, strict=True):
            ax.annotate(f"{s:.0f}%", (v, s), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8, color=INK)  # fmt: skip
        ax.set_xticks(list(values), [f"{v:g}" for v in values])
        ax.set_ylim(0, max(shares, default=1) * 1.18 or 1)
        ax.yaxis.set_major_formatter("{x:.0f}%")
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.set_title(title, loc="left", color=INK)
        return _svg(fig, f"{title}: {ylabel}", "nps-distribution")


@dataclass(frozen=True)
class GroupBar:
    """One row of the NPS groups chart: shares (percent) and the NPS as text."""

    label: str
    detractors: float
    passives: float
    promoters: float
    nps_text: str


def nps_groups(rows: Sequence[GroupBar], names: tuple[str, str, str], title: str) -> str:
    """Detractors, passives and promoters as 100% stacked bars, one per group, with the
    NPS written at the right end. ``names`` are the three groups' labels."""
    with _style("nps-groups"):
        fig = _figure(4.6, 0.7 + 0.42 * len(rows))
        ax = fig.add_subplot()
        ys = list(range(len(rows)))[::-1]
        labels = [r.label for r in rows]
        left = [0.0] * len(rows)
        parts = (
            ("detractors", DETRACTOR, names[0]),
            ("passives", PASSIVE, names[1]),
            ("promoters", PROMOTER, names[2]),
        )
        for key, colour, name in parts:
            widths = [getattr(r, key) for r in rows]
            ax.barh(ys, widths, left=left, color=colour, height=0.66, label=name)
            for y, x0, w in zip(ys, left, widths, strict=True):
                if w >= 6:
                    ax.text(x0 + w / 2, y, f"{w:.0f}%", ha="center", va="center",
                            fontsize=9, color="white")  # fmt: skip
            left = [a + b for a, b in zip(left, widths, strict=True)]
        for y, r in zip(ys, rows, strict=True):
            ax.text(101.5, y, r.nps_text, ha="left", va="center", fontsize=10,
                    fontweight="bold", color=INK)  # fmt: skip
        ax.set_yticks(ys, labels)
        ax.set_xlim(0, 100)
        ax.set_xticks([])
        ax.tick_params(axis="y", length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.legend(ncols=3, loc="lower left", bbox_to_anchor=(0, 0.98), frameon=False,
                  fontsize=9.5, handlelength=1.0)  # fmt: skip
        return _svg(fig, title, "nps-groups")


def interval_bars(labels: Sequence[str], values: Sequence[float | None],
                  lows: Sequence[float | None], highs: Sequence[float | None], title: str,
                  xlabel: str, lo: float = 0, hi: float = 100,
                  highlight: Sequence[bool] = (), name: str = "bars") -> str:  # fmt: skip
    """Horizontal bars with their intervals (CSI of each attribute or stage), the value
    written at the bar's end; rows with ``highlight`` are drawn in red. ``name`` tells
    this chart's element ids from another's on the same page."""
    with _style(name):
        fig = _figure(7.2, 0.8 + 0.34 * len(labels))
        ax = fig.add_subplot()
        ys = list(range(len(labels)))[::-1]
        marked = list(highlight) or [False] * len(labels)
        shown = [v if v is not None else 0.0 for v in values]
        colours = [DETRACTOR if m else ACCENT for m in marked]
        ax.barh(ys, shown, color=colours, height=0.62, alpha=0.85)
        for y, v, a, b in zip(ys, values, lows, highs, strict=True):
            if v is None:
                continue
            if a is not None and b is not None:
                ax.plot([a, b], [y, y], color=INK, linewidth=1.1)
                ax.plot([a, a], [y - 0.15, y + 0.15], color=INK, linewidth=1.1)
                ax.plot([b, b], [y - 0.15, y + 0.15], color=INK, linewidth=1.1)
            end = max(v, b if b is not None else v)
            ax.text(end + 0.8, y, f"{v:.1f}", va="center", fontsize=8, color=INK)
        ax.set_yticks(ys, [s for s in labels])
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(lo, hi)
        ax.set_xlabel(xlabel)
        ax.grid(axis="x", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        return _svg(fig, title, name)


def _spread(ys: list[float], gap: float) -> list[float]:
    """Label heights moved apart (in data units) so that no two are closer than ``gap``,
    keeping their order: a one-dimensional repel for labels to the right of points."""
    order = sorted(range(len(ys)), key=lambda k: ys[k])
    out = list(ys)
    for a, b in itertools.pairwise(order):
        if out[b] - out[a] < gap:
            out[b] = out[a] + gap
    return out


def ipa_scatter(points: Sequence[Point], x_split: float, y_split: float, title: str,
                xlabel: str, ylabel: str, split_label: str,
                corners: tuple[str, str, str, str]) -> str:  # fmt: skip
    """Importance (x, percent) against performance (y, CSI): every point labelled, the two
    split lines dashed, and the quadrant names in the corners (``corners``: top-left,
    top-right, bottom-left, bottom-right)."""
    with _style("ipa"):
        fig = _figure(7.6, 5.0)
        ax = fig.add_subplot()
        xs = [p.x for p in points]
        ys = [p.y for p in points]
        x_hi = max([*xs, x_split]) * 1.32 or 1.0
        y_lo = min([*ys, y_split]) - 4
        y_hi = max([*ys, y_split]) + 4
        ax.set_xlim(0, x_hi)
        ax.set_ylim(y_lo, y_hi)
        ax.axvline(x_split, color=MUTED, linestyle="--", linewidth=1, label=split_label)
        ax.axhline(y_split, color=MUTED, linestyle="--", linewidth=1)
        colours = [CLASS_COLOURS.get(p.kind, ACCENT) for p in points]
        ax.scatter(xs, ys, s=42, color=colours, zorder=3, edgecolors="white", linewidths=0.8)
        # labels to the right of each point, moved apart vertically where they would overlap
        gap = (y_hi - y_lo) * 0.045
        spread = _spread(ys, gap)
        for p, ly in zip(points, spread, strict=True):
            ax.annotate(
                p.label, (p.x, p.y), xytext=(p.x + x_hi * 0.012, ly), textcoords="data",
                fontsize=8, va="center", color=CLASS_COLOURS.get(p.kind, INK),
                arrowprops={"arrowstyle": "-", "color": "#c8c8c8", "linewidth": 0.6,
                            "shrinkA": 0, "shrinkB": 3} if abs(ly - p.y) > gap / 3 else None,
            )  # fmt: skip
        style = {"fontsize": 8.5, "color": MUTED, "fontstyle": "italic", "transform": ax.transAxes}
        places = ((0.01, 0.99, "left", "top"), (0.99, 0.99, "right", "top"),
                  (0.01, 0.01, "left", "bottom"), (0.99, 0.01, "right", "bottom"))  # fmt: skip
        for (x, y, ha, va), corner in zip(places, corners, strict=True):
            ax.text(x, y, corner, ha=ha, va=va, **style)
        ax.xaxis.set_major_formatter("{x:.0f}%")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        return _svg(fig, title, "ipa")
