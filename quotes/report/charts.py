"""The report's charts as inline SVG: drawn here, so the page needs no script and fetches nothing."""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence

from markupsafe import Markup

from quotes.report.model import HeatMap, RoleSpan, Volume

#: Okabe–Ito colours, distinguishable with every common colour-vision deficiency.
CATEGORICAL = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: ColorBrewer "Blues", light to dark, for counts; the last three need white text.
SEQUENTIAL = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
INK, MUTED, GRID, BAR = "#1d2330", "#5b6474", "#e3e7ee", "#1f5fae"
FONT = 13  # px, chart text
CHART_WIDTH = 920  # px, the page's text column; charts scale down on narrower screens
MIN_CHART_WIDTH = 560  # px, below which a chart scrolls sideways instead
LABEL_CHARS = 44  # a longer label is cut with "…" (its full text stays in a tooltip)


def _x(text: object) -> str:
    return html.escape(str(text), quote=True)


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _text_width(text: str, size: int = FONT) -> float:
    """Rough rendered width of ``text`` in a sans-serif font: enough to lay out labels."""
    return len(text) * size * 0.6


def _label_column(labels: Sequence[str]) -> float:
    """Width of the column holding these (cut) labels, plus a gap."""
    return max((_text_width(_label(text)) for text in labels), default=0) + 16


def _svg(width: float, height: float, title: str, body: list[str]) -> Markup:
    """An accessible SVG image, titled for screen readers and tooltips.

    It scales down with the page, but not below MIN_CHART_WIDTH: on a phone its figure scrolls
    sideways rather than shrinking the labels to nothing.
    """
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" style="min-width: {min(width, MIN_CHART_WIDTH):.0f}px" role="img" '
        f'aria-label="{_x(title)}" font-size="{FONT}" fill="{INK}"><title>{_x(title)}</title>{"".join(body)}</svg>'
    )


def _nice_step(top: int, ticks: int = 5) -> int:
    """An integer tick step of 1, 2 or 5 times a power of ten giving at most about ``ticks`` ticks up to ``top``."""
    raw = max(top / ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[int], axis: str) -> Markup:
    """Horizontal bars, one per label, with value labels, a count axis with gridlines and its title."""
    left = _label_column(labels)
    width, bar, gap, top = CHART_WIDTH, 22, 10, 8
    plot = width - left - 48
    height = top + len(labels) * (bar + gap) + 48
    highest = max(values, default=0) or 1
    step = _nice_step(highest)
    scale = plot / (math.ceil(highest / step) * step)
    body = []
    for tick in range(0, math.ceil(highest / step) * step + 1, step):
        x = left + tick * scale
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 40}" stroke="{GRID}"/>'
                    f'<text x="{x:.1f}" y="{height - 26}" text-anchor="middle" fill="{MUTED}">{tick:,}</text>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar + gap)
        body.append(
            f'<g><title>{_x(label)}: {value:,}</title>'
            f'<text x="{left - 10}" y="{y + bar / 2 + 4.5:.1f}" text-anchor="end">{_x(_label(label))}</text>'
            f'<rect x="{left}" y="{y}" width="{max(value * scale, 2):.1f}" height="{bar}" rx="3" fill="{BAR}"/>'
            f'<text x="{left + value * scale + 6:.1f}" y="{y + bar / 2 + 4.5:.1f}" font-weight="600">'
            f"{value:,}</text></g>"
        )
    body.append(f'<text x="{left + plot / 2:.1f}" y="{height - 6}" text-anchor="middle" fill="{MUTED}">'
                f"{_x(axis)}</text>")
    return _svg(width, height, title, body)


def volume_chart(title: str, volume: Volume) -> Markup:
    """A column per period (day, week or month) for its mentions, with a count axis and a few dated periods."""
    width, height, top, bottom, left = CHART_WIDTH, 260, 10, 52, 56
    plot_w, plot_h = width - left - 16, height - top - bottom
    highest = max((n for _, n in volume.periods), default=0) or 1
    step = _nice_step(highest, 4)
    ceiling = math.ceil(highest / step) * step
    slot = plot_w / len(volume.periods)
    body = []
    for tick in range(0, ceiling + 1, step):
        y = top + plot_h - tick * plot_h / ceiling
        body.append(f'<line x1="{left}" x2="{width - 16}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
                    f'<text x="{left - 8}" y="{y + 4.5:.1f}" text-anchor="end" fill="{MUTED}">{tick:,}</text>')
    labelled = max(1, math.ceil(len(volume.periods) / 8))  # about eight dates along the axis
    for i, (start, n) in enumerate(volume.periods):
        x, h = left + i * slot, n * plot_h / ceiling
        when = start.strftime("%Y-%m") if volume.unit == "month" else start.isoformat()
        body.append(f'<rect x="{x + slot * 0.1:.1f}" y="{top + plot_h - h:.1f}" width="{max(slot * 0.8, 1):.1f}" '
                    f'height="{h:.1f}" fill="{BAR}"><title>{volume.unit} of {when}: {n:,} mention(s)</title></rect>')
        if i % labelled == 0:
            body.append(f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                        f'fill="{MUTED}">{when}</text>')
    body.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" fill="{MUTED}">'
                f"Mentions per {volume.unit} (by publication date, or ingestion date for undated articles)</text>")
    return _svg(width, height, title, body)


def _date_ticks(start: dt.date, end: dt.date, count: int = 5) -> list[dt.date]:
    days = (end - start).days
    return sorted({start + dt.timedelta(days=round(days * i / (count - 1))) for i in range(count)})


def timeline_chart(title: str, spans: Sequence[RoleSpan]) -> Markup:
    """One row per role: a bar from the first to the last date it was seen, a dot per day, larger for more articles."""
    start, end = min(s.first for s in spans), max(s.last for s in spans)
    pad = max(dt.timedelta(days=round((end - start).days * 0.04)), dt.timedelta(days=1))
    start, end = start - pad, end + pad
    left = _label_column([s.role for s in spans])
    width, row, top = CHART_WIDTH, 34, 10
    plot = width - left - 24
    height = top + len(spans) * row + 52

    def x(day: dt.date) -> float:
        return left + plot * (day - start).days / max((end - start).days, 1)

    body = []
    for tick in _date_ticks(start + pad, end - pad) if end - start > 2 * pad else [start + pad]:
        body.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top}" y2="{height - 44}" stroke="{GRID}"/>'
                    f'<text x="{x(tick):.1f}" y="{height - 28}" text-anchor="middle" fill="{MUTED}">{tick}</text>')
    for i, span in enumerate(spans):
        y = top + i * row + row / 2
        colour = CATEGORICAL[i % len(CATEGORICAL)]
        x0, x1 = x(span.first), x(span.last)
        seen = f"{span.first}" if span.first == span.last else f"{span.first} to {span.last}"
        body.append(
            f'<g><title>{_x(span.role)}: {seen}, {span.articles} article(s)</title>'
            f'<text x="{left - 10}" y="{y + 4.5:.1f}" text-anchor="end">{_x(_label(span.role))}</text>'
            f'<rect x="{x0 - 6:.1f}" y="{y - 7:.1f}" width="{x1 - x0 + 12:.1f}" height="14" rx="7" '
            f'fill="{colour}" fill-opacity="0.25" stroke="{colour}"/>'
        )
        for day, articles in sorted(span.days.items()):
            body.append(f'<circle cx="{x(day):.1f}" cy="{y:.1f}" r="{min(4.5 + math.sqrt(articles - 1), 9):.1f}" '
                        f'fill="{colour}"><title>{day}: {articles} article(s)</title></circle>')
        body.append("</g>")
    body.append(f'<text x="{left + plot / 2:.1f}" y="{height - 8}" text-anchor="middle" fill="{MUTED}">'
                "Date seen (publication date, or ingestion date for undated articles)</text>")
    return _svg(width, height, title, body)


def _shade(value: int, highest: int) -> tuple[str, str]:
    """Fill and text colour of a heat-map cell: white for zero, darker blues for more."""
    if value == 0:
        return "#ffffff", MUTED
    level = 1 + round((len(SEQUENTIAL) - 2) * (value - 1) / max(highest - 1, 1))
    return SEQUENTIAL[level], "#ffffff" if level >= 4 else INK


def heat_map_chart(title: str, heat: HeatMap) -> Markup:
    """A speaker × outlet grid of quote counts: darker cells for more quotes, each count printed."""
    left = _label_column(heat.speakers)
    head = _label_column(heat.outlets) * 0.71 + 12  # the column labels are turned 45 degrees
    cell_w, cell_h = 56, 32
    width = left + cell_w * len(heat.outlets) + 30
    height = head + cell_h * len(heat.speakers) + 16
    highest = max((n for row in heat.counts for n in row), default=0)
    corner = f'x="{left - 10}" text-anchor="end" fill="{MUTED}" font-weight="600"'
    body = [f'<text {corner} y="{head - 28:.1f}">Outlet →</text>',
            f'<text {corner} y="{head - 8:.1f}">Speaker ↓</text>']
    for j, outlet in enumerate(heat.outlets):
        cx = left + j * cell_w + cell_w / 2
        body.append(f'<text transform="translate({cx + 4:.1f},{head - 8:.1f}) rotate(-45)">'
                    f'<title>{_x(outlet)}</title>{_x(_label(outlet))}</text>')
    for i, speaker in enumerate(heat.speakers):
        y = head + i * cell_h
        body.append(f'<text x="{left - 10}" y="{y + cell_h / 2 + 4.5:.1f}" text-anchor="end">'
                    f"{_x(_label(speaker))}</text>")
        for j, value in enumerate(heat.counts[i]):
            fill, ink = _shade(value, highest)
            x = left + j * cell_w
            body.append(
                f'<g><title>{_x(speaker)} in {_x(heat.outlets[j])}: {value} quote(s)</title>'
                f'<rect x="{x}" y="{y:.1f}" width="{cell_w}" height="{cell_h}" fill="{fill}" stroke="{GRID}"/>'
                f'<text x="{x + cell_w / 2}" y="{y + cell_h / 2 + 4.5:.1f}" text-anchor="middle" fill="{ink}">'
                f"{value or '·'}</text></g>"
            )
    return _svg(width, height, title, body)
