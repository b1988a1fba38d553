"""The report: one self-contained HTML page (or the same content as Markdown) a person reads.

It answers, from the database alone: who is quoted, in which roles over time, by which
outlets, which quotes travelled furthest, and which attributions disagree. The HTML file has
its CSS inline and its charts as inline SVG drawn here, so it opens from disk with no network
and no script at all. :func:`build_report` gathers the data with bounded SQL queries (aggregates
in the database, details only for the speakers and quotes shown); :func:`render` turns it into
HTML or Markdown through small Jinja2 templates, escaping every stored text.

A mention's date is its article's publication date or, for an undated article, the day it was
ingested: the same rule the store uses for ``quotes.first_seen`` and role dates.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit

from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup
from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Date,
    Engine,
    Integer,
    MetaData,
    Table,
    and_,
    case,
    distinct,
    func,
    inspect,
    or_,
    select,
    true,
)

# _contains: --speaker matches exactly as `quotes search --speaker` does
from quotes.store.query import _contains, role_text
from quotes.store.schema import Article, Mention, Outlet, Quote, Role, Speaker, SpeakerAlias

#: Speakers in the ranking chart and the heat map, each with a section of their own.
RANKED_SPEAKERS = 12
#: Roles shown per speaker, those given by the most articles; the rest are counted.
ROLES_PER_SPEAKER = 10
#: Quotes listed per speaker (and with no speaker), most widely carried first; the rest are counted.
QUOTES_PER_SPEAKER = 20
#: Quotes in "most widely carried" (only quotes carried by two outlets or more).
CARRIED_QUOTES = 10
#: Outlets (columns) in the heat map, those carrying the most quotes first.
HEATMAP_OUTLETS = 15
#: Possible misattributions shown.
CONFLICT_PAIRS = 50
#: The view (or table) of possible misattributions: pairs of quotes by different speakers sharing a
#: wording (columns ``quote_id``, ``other_quote_id``). Looked up in the schema when the report runs.
CONFLICTS = "quote_conflicts"
#: Characters of context kept on each side of a quote within its paragraph.
CONTEXT_CHARS = 280
#: Characters kept of each neighbouring quote when the article body is not stored.
NEIGHBOUR_CHARS = 90

FORMATS = ("html", "md")


class EmptyReport(LookupError):
    """Nothing to report: the database has no quotes, or none match the filters."""


# --- the data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which quotes the report covers: first seen within [since, until], by speakers matching ``speaker``."""

    since: dt.date | None = None
    until: dt.date | None = None
    speaker: str | None = None

    def describe(self) -> str:
        """The filters in words, for the report's header: "All quotes" when there are none."""
        parts = []
        if self.speaker:
            parts.append(f"by speakers matching “{self.speaker}”")
        if self.since and self.until:
            parts.append(f"first seen from {self.since} to {self.until}")
        elif self.since:
            parts.append(f"first seen on or after {self.since}")
        elif self.until:
            parts.append(f"first seen on or before {self.until}")
        return "Quotes " + ", ".join(parts) if parts else "All quotes"


@dataclass
class Overview:
    """Counts over the quotes in scope, and the publication dates of the articles carrying them."""

    articles: int
    outlets: int
    speakers: int
    quotes: int
    mentions: int
    unattributed: int  # quotes with no speaker
    first_published: dt.date | None
    last_published: dt.date | None
    undated_articles: int
    total_articles: int  # in the whole database, with or without quotes


@dataclass
class RankedSpeaker:
    """A speaker with their number of quotes, mentions and outlets in scope."""

    speaker_id: int
    name: str
    kind: str
    quotes: int
    mentions: int
    outlets: int


@dataclass
class RoleSpan:
    """A role as the articles in scope show it: how many gave it on each day, and in which outlets."""

    role: str
    days: Counter[dt.date] = field(default_factory=Counter)  # articles giving the role, per day
    outlets: Counter[str] = field(default_factory=Counter)  # articles giving the role, per outlet

    @property
    def first(self) -> dt.date:
        return min(self.days)

    @property
    def last(self) -> dt.date:
        return max(self.days)

    @property
    def articles(self) -> int:
        return self.days.total()

    def top_outlets(self, n: int = 6) -> str:
        """The outlets that gave the role most often, "and N more" for the rest."""
        names = [name for name, _ in sorted(self.outlets.items(), key=lambda item: (-item[1], item[0]))]
        more = f" and {len(names) - n} more" if len(names) > n else ""
        return ", ".join(names[:n]) + more if names else "(no outlet)"


@dataclass
class Segment:
    """A piece of context text; ``quote`` marks the mention itself, shown highlighted."""

    text: str
    quote: bool = False


@dataclass
class Source:
    """One mention of a quote: the article that printed it, its wording and role there, and its context."""

    outlet: str | None
    url: str | None  # the article's URL, else the file it was read from
    title: str | None
    published: dt.date | None
    text: str
    role: str | None
    context: list[Segment]
    context_is_paragraph: bool  # the article's own paragraph, rather than the neighbouring quotes


@dataclass
class QuoteEntry:
    """A deduplicated quote with every source."""

    quote_id: int
    text: str
    speaker: str | None
    first_seen: dt.date
    sources: list[Source]

    @property
    def outlets(self) -> list[str]:
        return sorted({s.outlet for s in self.sources if s.outlet})


@dataclass
class QuoteList:
    """At most QUOTES_PER_SPEAKER quotes, and how many more there are."""

    quotes: list[QuoteEntry]
    hidden: int


@dataclass
class SpeakerSection:
    """A ranked speaker: roles over time and quotes."""

    speaker: RankedSpeaker
    roles: list[RoleSpan]
    hidden_roles: int
    quotes: QuoteList

    @property
    def anchor(self) -> str:
        return f"speaker-{self.speaker.speaker_id}"


@dataclass
class HeatMap:
    """Quotes of each ranked speaker (rows) carried by each outlet (columns)."""

    speakers: list[str]
    outlets: list[str]
    counts: list[list[int]]  # counts[row][column]


@dataclass
class Conflicts:
    """Possible misattributions touching the quotes in scope: the same words given to two speakers.

    ``available`` is False when the database has no CONFLICTS view to read them from.
    """

    available: bool = False
    pairs: list[tuple[QuoteEntry, QuoteEntry]] = field(default_factory=list)
    total: int = 0


@dataclass
class Report:
    """Everything the report shows, in the order it shows it."""

    scope: Scope
    generated: dt.datetime
    overview: Overview
    ranking: list[RankedSpeaker]
    sections: list[SpeakerSection]
    unattributed: QuoteList  # quotes with no identified speaker
    carried: list[QuoteEntry]
    heatmap: HeatMap
    conflicts: Conflicts


# --- queries ---------------------------------------------------------------------------------


def _scope_filter(scope: Scope) -> ColumnElement[bool]:
    """The condition on ``quotes`` selecting the quotes in scope (every query joins that table).

    A plain condition rather than an ``IN`` list lets the database use its indexes, and costs
    nothing for the unfiltered report.
    """
    conditions = []
    if scope.speaker:
        speakers = select(Speaker.id).where(_contains(Speaker.name, scope.speaker)).union(
            select(SpeakerAlias.speaker_id).where(_contains(SpeakerAlias.alias, scope.speaker))
        )
        conditions.append(Quote.speaker_id.in_(speakers))
    if scope.since:
        conditions.append(Quote.first_seen >= scope.since)
    if scope.until:
        conditions.append(Quote.first_seen <= scope.until)
    return and_(true(), *conditions)


#: A mention's date: its article's publication date, else the day the article was ingested.
_SEEN = func.coalesce(Article.published, func.date(Article.ingested_at), type_=Date)


def _overview(conn: Connection, in_scope: ColumnElement[bool]) -> Overview:
    quotes, speakers, unattributed = conn.execute(
        select(func.count(), func.count(distinct(Quote.speaker_id)),
               func.count().filter(Quote.speaker_id.is_(None)))
        .where(in_scope)
    ).one()
    undated_article = case((Article.published.is_(None), Article.id))
    mentions, articles, outlets, first, last, undated = conn.execute(
        select(func.count(), func.count(distinct(Mention.article_id)), func.count(distinct(Article.outlet_id)),
               func.min(Article.published), func.max(Article.published), func.count(distinct(undated_article)))
        .select_from(Mention)
        .join(Quote, Quote.id == Mention.quote_id)
        .join(Article, Article.id == Mention.article_id)
        .where(in_scope)
    ).one()
    return Overview(
        articles=articles, outlets=outlets, speakers=speakers, quotes=quotes, mentions=mentions,
        unattributed=unattributed, first_published=first, last_published=last, undated_articles=undated,
        total_articles=conn.scalar(select(func.count()).select_from(Article)),
    )


def _ranking(conn: Connection, in_scope: ColumnElement[bool]) -> list[RankedSpeaker]:
    quotes = func.count(distinct(Quote.id)).label("quotes")
    mentions = func.count(Mention.id).label("mentions")
    rows = conn.execute(
        select(Speaker.id, Speaker.name, Speaker.kind, quotes, mentions, func.count(distinct(Article.outlet_id)))
        .join(Quote, Quote.speaker_id == Speaker.id)
        .join(Mention, Mention.quote_id == Quote.id)
        .join(Article, Article.id == Mention.article_id)
        .where(in_scope)
        .group_by(Speaker.id, Speaker.name, Speaker.kind)
        .order_by(quotes.desc(), mentions.desc(), Speaker.name, Speaker.id)
        .limit(RANKED_SPEAKERS)
    )
    return [RankedSpeaker(*row) for row in rows]


def _role_spans(conn: Connection, in_scope: ColumnElement[bool], speaker_id: int) -> tuple[list[RoleSpan], int]:
    """The speaker's roles in the mentions in scope, counted per day and outlet in the database.

    The ROLES_PER_SPEAKER given by the most articles, oldest first, and how many more there are.
    """
    seen = _SEEN.label("seen")
    rows = conn.execute(
        select(Role.id, Role.title, Role.organization, seen, Outlet.name, func.count(distinct(Article.id)))
        .select_from(Mention)
        .join(Quote, Quote.id == Mention.quote_id)
        .join(Role, Role.id == Mention.role_id)
        .join(Article, Article.id == Mention.article_id)
        .outerjoin(Outlet, Outlet.id == Article.outlet_id)
        .where(in_scope, Quote.speaker_id == speaker_id)
        .group_by(Role.id, Role.title, Role.organization, seen, Outlet.name)
    )
    spans: dict[int, RoleSpan] = {}
    for role_id, title, organization, day, outlet, articles in rows:
        span = spans.setdefault(role_id, RoleSpan(role_text(title, organization) or "(no title)"))
        span.days[day] += articles
        if outlet:
            span.outlets[outlet] += articles
    shown = sorted(spans.values(), key=lambda s: (-s.articles, s.first, s.role))[:ROLES_PER_SPEAKER]
    return sorted(shown, key=lambda s: (s.first, s.last, s.role)), len(spans) - len(shown)


def _speaker_quote_ids(
    conn: Connection, in_scope: ColumnElement[bool], speaker_id: int | None
) -> tuple[list[int], int]:
    """The quotes of a speaker (None: of no speaker) to list, most outlets first, then oldest; and how many more."""
    by_speaker = Quote.speaker_id.is_(None) if speaker_id is None else Quote.speaker_id == speaker_id
    outlets = func.count(distinct(Article.outlet_id))
    ids = list(conn.scalars(
        select(Quote.id)
        .join(Mention, Mention.quote_id == Quote.id)
        .join(Article, Article.id == Mention.article_id)
        .where(in_scope, by_speaker)
        .group_by(Quote.id, Quote.first_seen)
        .order_by(outlets.desc(), Quote.first_seen, Quote.id)
        .limit(QUOTES_PER_SPEAKER)
    ))
    total = conn.scalar(select(func.count()).select_from(Quote).where(in_scope, by_speaker))
    return ids, total - len(ids)


def _carried_quote_ids(conn: Connection, in_scope: ColumnElement[bool]) -> list[int]:
    """Quotes carried by two outlets or more, most outlets first, then most mentions, then oldest."""
    outlets = func.count(distinct(Article.outlet_id))
    return list(conn.scalars(
        select(Quote.id)
        .join(Mention, Mention.quote_id == Quote.id)
        .join(Article, Article.id == Mention.article_id)
        .where(in_scope)
        .group_by(Quote.id, Quote.first_seen)
        .having(outlets >= 2)
        .order_by(outlets.desc(), func.count(Mention.id).desc(), Quote.first_seen, Quote.id)
        .limit(CARRIED_QUOTES)
    ))


def _trim(text: str, keep: int, at_start: bool) -> str:
    """``text`` cut to about ``keep`` characters at a word boundary, from its end or its start, with "…"."""
    if len(text) <= keep:
        return text
    if at_start:
        cut = text[:keep].rsplit(" ", 1)[0]
        return cut + " …"
    cut = text[-keep:].split(" ", 1)[-1]
    return "… " + cut


def _paragraph_context(body: str, start: int, end: int) -> list[Segment]:
    """The paragraph (line) of ``body`` holding [start, end), the quote marked."""
    begin = body.rfind("\n", 0, start) + 1
    stop = body.find("\n", end)
    stop = len(body) if stop < 0 else stop
    return [Segment(_trim(body[begin:start], CONTEXT_CHARS, at_start=False)), Segment(body[start:end], quote=True),
            Segment(_trim(body[end:stop], CONTEXT_CHARS, at_start=True))]


def _neighbour_context(mentions: Sequence[tuple[int, int, str]], index: int) -> list[Segment]:
    """The mention at ``index`` between the quotes printed just before and after it in the same article."""
    segments = []
    if index > 0:
        segments.append(Segment(f"“{_trim(mentions[index - 1][2], NEIGHBOUR_CHARS, at_start=False)}” … "))
    segments.append(Segment(f"“{mentions[index][2]}”", quote=True))
    if index + 1 < len(mentions):
        segments.append(Segment(f" … “{_trim(mentions[index + 1][2], NEIGHBOUR_CHARS, at_start=True)}”"))
    return segments


def _quote_entries(conn: Connection, quote_ids: Sequence[int]) -> dict[int, QuoteEntry]:
    """Each quote with every source and each source's context, keyed by quote id."""
    if not quote_ids:
        return {}
    entries = {
        quote_id: QuoteEntry(quote_id, text, speaker, first_seen, [])
        for quote_id, text, speaker, first_seen in conn.execute(
            select(Quote.id, Quote.text, Speaker.name, Quote.first_seen)
            .outerjoin(Speaker, Speaker.id == Quote.speaker_id)
            .where(Quote.id.in_(quote_ids))
        )
    }
    rows = conn.execute(
        select(Mention.quote_id, Mention.article_id, Mention.start, Mention.end, Mention.text, Mention.role_text,
               Outlet.name, func.coalesce(Article.url, Article.path).label("link"), Article.title, Article.published)
        .join(Article, Article.id == Mention.article_id)
        .outerjoin(Outlet, Outlet.id == Article.outlet_id)
        .where(Mention.quote_id.in_(quote_ids))
    ).all()
    article_ids = sorted({row.article_id for row in rows})
    bodies = dict(conn.execute(select(Article.id, Article.body).where(Article.id.in_(article_ids))).all())
    printed: dict[int, list[tuple[int, int, str]]] = defaultdict(list)  # article -> its mentions by offset
    position: dict[tuple[int, int], int] = {}  # (article, start) -> index in printed[article]
    for article_id, start, end, text in conn.execute(
        select(Mention.article_id, Mention.start, Mention.end, Mention.text)
        .where(Mention.article_id.in_(article_ids))
        .order_by(Mention.article_id, Mention.start)
    ):
        position[article_id, start] = len(printed[article_id])
        printed[article_id].append((start, end, text))
    for row in rows:
        body = bodies.get(row.article_id)
        if body and body[row.start:row.end] == row.text:
            context, is_paragraph = _paragraph_context(body, row.start, row.end), True
        else:
            context = _neighbour_context(printed[row.article_id], position[row.article_id, row.start])
            is_paragraph = False
        entries[row.quote_id].sources.append(Source(
            outlet=row.name, url=row.link, title=row.title, published=row.published, text=row.text,
            role=row.role_text, context=context, context_is_paragraph=is_paragraph,
        ))
    for entry in entries.values():
        entry.sources.sort(key=lambda s: (s.published or dt.date.max, s.outlet or "", s.url or ""))
    return entries


def _heat_map(conn: Connection, in_scope: ColumnElement[bool], ranking: Sequence[RankedSpeaker]) -> HeatMap:
    if not ranking:
        return HeatMap([], [], [])
    rows = conn.execute(
        select(Quote.speaker_id, Outlet.name, func.count(distinct(Quote.id)))
        .join(Mention, Mention.quote_id == Quote.id)
        .join(Article, Article.id == Mention.article_id)
        .outerjoin(Outlet, Outlet.id == Article.outlet_id)
        .where(in_scope, Quote.speaker_id.in_([s.speaker_id for s in ranking]))
        .group_by(Quote.speaker_id, Outlet.name)
    )
    cells: dict[tuple[int, str], int] = {}
    per_outlet: dict[str, int] = defaultdict(int)
    for speaker_id, outlet, n in rows:
        name = outlet or "(no outlet)"
        cells[speaker_id, name] = n
        per_outlet[name] += n
    outlets = sorted(per_outlet, key=lambda o: (-per_outlet[o], o))[:HEATMAP_OUTLETS]
    return HeatMap(
        speakers=[s.name for s in ranking],
        outlets=outlets,
        counts=[[cells.get((s.speaker_id, o), 0) for o in outlets] for s in ranking],
    )


def _conflict_pairs(
    engine: Engine, conn: Connection, in_scope: ColumnElement[bool]
) -> tuple[list[tuple[int, int]], int] | None:
    """Up to CONFLICT_PAIRS quote id pairs from the CONFLICTS view with a quote in scope, and how many there are.

    Each pair is given once, lower id first, whichever way round the view lists it. None when
    the database has no such view (it comes with a later migration).
    """
    schema = inspect(engine)
    if CONFLICTS not in {*schema.get_view_names(), *schema.get_table_names()}:
        return None
    view = Table(CONFLICTS, MetaData(), Column("quote_id", Integer), Column("other_quote_id", Integer))
    scoped = select(Quote.id).where(in_scope)
    low = case((view.c.quote_id < view.c.other_quote_id, view.c.quote_id), else_=view.c.other_quote_id)
    high = case((view.c.quote_id < view.c.other_quote_id, view.c.other_quote_id), else_=view.c.quote_id)
    pairs = (
        select(low.label("low"), high.label("high"))
        .where(or_(view.c.quote_id.in_(scoped), view.c.other_quote_id.in_(scoped)))
        .distinct()
        .subquery()
    )
    shown = conn.execute(select(pairs.c.low, pairs.c.high).order_by(pairs.c.low, pairs.c.high).limit(CONFLICT_PAIRS))
    return [tuple(pair) for pair in shown], conn.scalar(select(func.count()).select_from(pairs))


def build_report(engine: Engine, scope: Scope | None = None, now: dt.datetime | None = None) -> Report:
    """Gather everything the report shows for the quotes in ``scope``; EmptyReport when there are none."""
    scope = scope or Scope()
    in_scope = _scope_filter(scope)
    with engine.connect() as conn:
        overview = _overview(conn, in_scope)
        if overview.quotes == 0:
            if conn.scalar(select(func.count()).select_from(Quote)) == 0:
                raise EmptyReport("the database has no quotes yet: store some with `quotes ingest PATH...` first")
            raise EmptyReport(f"no quote matches the filters: {scope.describe()}")
        ranking = _ranking(conn, in_scope)
        listed = {s: _speaker_quote_ids(conn, in_scope, s) for s in [r.speaker_id for r in ranking] + [None]}
        carried_ids = _carried_quote_ids(conn, in_scope)
        conflicts = _conflict_pairs(engine, conn, in_scope)
        in_conflict = [i for pair in conflicts[0] for i in pair] if conflicts else []
        listed_ids = [i for ids, _ in listed.values() for i in ids]
        entries = _quote_entries(conn, sorted({*carried_ids, *listed_ids, *in_conflict}))

        def quote_list(speaker_id: int | None) -> QuoteList:
            ids, hidden = listed[speaker_id]
            return QuoteList([entries[i] for i in ids], hidden)

        sections = [SpeakerSection(s, *_role_spans(conn, in_scope, s.speaker_id), quote_list(s.speaker_id))
                    for s in ranking]
        return Report(
            scope=scope, generated=now or dt.datetime.now(dt.UTC), overview=overview, ranking=ranking,
            sections=sections, unattributed=quote_list(None), carried=[entries[i] for i in carried_ids],
            heatmap=_heat_map(conn, in_scope, ranking),
            conflicts=Conflicts(True, [(entries[a], entries[b]) for a, b in conflicts[0]], conflicts[1])
            if conflicts else Conflicts(),
        )


# --- charts: inline SVG ----------------------------------------------------------------------

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


# --- rendering -------------------------------------------------------------------------------


def link_target(url: str | None, base: Path) -> str | None:
    """Where a source's link points, seen from a report written in directory ``base``.

    Web URLs stay as they are; a file path (an article read from disk has no URL) becomes a
    path relative to the report, so the link works wherever the two are copied together.
    Anything else (``javascript:``, ``data:``) gets no link at all.
    """
    if not url:
        return None
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        return url
    if scheme and len(scheme) > 1:  # a one-letter scheme is a Windows drive
        return None
    path = Path(url) if Path(url).is_absolute() else Path.cwd() / url
    return url_quote(Path(os.path.relpath(path, base.resolve())).as_posix())


def _md(text: object) -> str:
    """Text safe inside Markdown (and a table cell): markup characters escaped, line breaks as spaces."""
    return re.sub(r"([\\`*_{}\[\]<>#|~])", r"\\\1", re.sub(r"\s+", " ", str(text)))


def _environment(fmt: str, base: Path) -> Environment:
    env = Environment(loader=DictLoader(TEMPLATES), autoescape=fmt == "html", undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = _md
    env.filters["n"] = "{:,}".format
    env.filters["href"] = lambda url: link_target(url, base)
    env.globals.update(bar_chart=bar_chart, timeline_chart=timeline_chart, heat_map_chart=heat_map_chart,
                       css=Markup(_CSS), conflicts_view=CONFLICTS)
    return env


def render(report: Report, fmt: str = "html", base: Path | None = None) -> str:
    """The report as one HTML page or a Markdown document; links to article files are relative to ``base``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    return _environment(fmt, base or Path.cwd()).get_template(fmt).render(r=report)


def write_report(engine: Engine, output: Path | None, fmt: str = "html", scope: Scope | None = None,
                 echo: Callable[[str], None] | None = None) -> Report:
    """Build and render the report, then write it to ``output`` (its directory created) or give it to ``echo``."""
    report = build_report(engine, scope)
    text = render(report, fmt, base=output.parent if output else None)
    if output is None:
        (echo or print)(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    return report


# --- templates -------------------------------------------------------------------------------

_CSS = """
:root { --ink:#1d2330; --muted:#5b6474; --rule:#dde2ea; --accent:#1f5fae; --panel:#f5f7fa; --mark:#ffe8a3; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif; }
.page { max-width: 980px; margin: 0 auto; padding: 2.5rem 1.5rem 4rem; }
header h1 { font-size: 2.1rem; line-height: 1.2; margin: 0 0 .4rem; letter-spacing: -.01em; }
.lede { color: var(--muted); margin: 0; }
h2 { font-size: 1.5rem; margin: 3rem 0 1rem; padding-bottom: .35rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.5rem 0 .5rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
a { color: var(--accent); text-underline-offset: 2px; }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
nav.toc {
  background: var(--panel);
  border: 1px solid var(--rule);
  border-radius: 10px;
  padding: .9rem 1.4rem;
  margin: 1.75rem 0 0;
}
nav.toc h2 {
  font-size: .85rem;
  text-transform: uppercase;
  letter-spacing: .05em;
  color: var(--muted);
  border: 0;
  margin: 0;
  padding: 0;
}
nav.toc ol { margin: .4rem 0 0; padding-left: 1.3rem; columns: 2; column-gap: 2.5rem; }
nav.toc li { break-inside: avoid; }
nav.toc ol ol { columns: 1; margin: 0; padding: 0; list-style: none; font-size: .92rem; }
nav.toc ol ol li { display: inline; }
nav.toc ol ol li + li::before { content: " · "; color: var(--muted); }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(125px, 1fr)); gap: .75rem; margin: 0; }
.stat {
  background: var(--panel);
  border: 1px solid var(--rule);
  border-radius: 10px;
  padding: .7rem 1rem;
  margin: 0;
}
.stat dt { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; }
.stat dd { margin: 0; font-size: 1.6rem; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.3; }
.stat dd.date { font-size: 1.05rem; padding-top: .3rem; }
.stat.wide { grid-column: span 2; }
figure { margin: 1.25rem 0; overflow-x: auto; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .4rem; }
table {
  border-collapse: collapse;
  width: 100%;
  font-size: .95rem;
  font-variant-numeric: tabular-nums;
  margin: .5rem 0 1rem;
}
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; font-weight: 600; }
.num { text-align: right; }
.speaker-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .3rem 1rem; }
.speaker-head h3 { margin-bottom: 0; }
.kind {
  display: inline-block;
  font-size: .75rem;
  padding: .05rem .5rem;
  border-radius: 999px;
  background: #e6edf7;
  color: #1f3f6e;
  vertical-align: middle;
}
.quote { border: 1px solid var(--rule); border-radius: 10px; padding: 1rem 1.25rem; margin: 1rem 0; }
.quote blockquote {
  margin: 0;
  font-family: Georgia, "Liberation Serif", "Times New Roman", serif;
  font-size: 1.15rem;
  line-height: 1.5;
}
.quote blockquote::before, .conflict blockquote::before { content: "“"; }
.quote blockquote::after, .conflict blockquote::after { content: "”"; }
.meta { color: var(--muted); font-size: .88rem; margin: .4rem 0 0; }
.sources { list-style: none; padding: 0; margin: .6rem 0 0; }
.sources > li { border-top: 1px dashed var(--rule); padding: .55rem 0 .2rem; }
.source-line { font-size: .92rem; }
.outlet { font-weight: 600; }
.context {
  font-size: .92rem;
  color: var(--muted);
  margin: .35rem 0 .2rem;
  padding-left: .8rem;
  border-left: 3px solid var(--rule);
}
table.carried .count { width: 5.5rem; font-size: 1.4rem; font-weight: 650; }
table.carried .said {
  display: block;
  font-family: Georgia, "Liberation Serif", "Times New Roman", serif;
  font-size: 1.05rem;
  line-height: 1.45;
}
table.carried td:last-child { width: 36%; font-size: .9rem; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain li + li { margin-top: .45rem; }
.nowrap { white-space: nowrap; }
mark { background: var(--mark); color: var(--ink); padding: 0 .1em; border-radius: 2px; }
.note { color: var(--muted); font-style: italic; }
.conflict {
  display: grid;
  grid-template-columns: 1fr 1fr;
  gap: 1rem;
  border: 1px solid var(--rule);
  border-left: 4px solid #D55E00;
  border-radius: 10px;
  padding: 1rem 1.25rem;
  margin: 1rem 0;
}
.conflict .who { font-weight: 650; margin: 0; }
.conflict blockquote { margin: .3rem 0 .5rem; font-family: Georgia, "Liberation Serif", "Times New Roman", serif; }
.conflict ul { font-size: .9rem; }
@media (max-width: 700px) { .conflict { grid-template-columns: 1fr; } }
footer {
  margin-top: 4rem;
  padding-top: 1rem;
  border-top: 1px solid var(--rule);
  color: var(--muted);
  font-size: .85rem;
}
@media (max-width: 700px) { table { display: block; overflow-x: auto; } .stat.wide { grid-column: auto; } }
@media print { nav.toc { display: none; } .quote, figure { break-inside: avoid; } }
"""

_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quotes report: {{ r.scope.describe() }}</title>
<style>{{ css }}</style>
</head>
<body>
<div class="page">
{% set o = r.overview %}
{% macro date(d) %}{{ d or "undated" }}{% endmacro %}
{% macro context_note(s) %}{{ "The quote in its paragraph" if s.context_is_paragraph else "The quote between those printed just before and after it in the article" }}{% endmacro %}
{% macro link(s) %}{% set target = s.url | href %}{% if target %}<a href="{{ target }}">{{ s.title or s.url }}</a>{% elif s.url %}{{ s.title or s.url }} ({{ s.url }}){% else %}{{ s.title or "no link" }}{% endif %}{% endmacro %}
{% macro quote_card(q) %}
<article class="quote" id="quote-{{ q.quote_id }}">
<blockquote>{{ q.text }}</blockquote>
<p class="meta">{% if q.speaker %}{{ q.speaker }} · {% endif %}first seen {{ q.first_seen }} · {{ q.sources | length }} source{{ "s" if q.sources | length != 1 }} in {{ q.outlets | length }} outlet{{ "s" if q.outlets | length != 1 }} · #{{ q.quote_id }}</p>
<ul class="sources">
{% for s in q.sources %}
<li><div class="source-line"><span class="outlet">{{ s.outlet or "(no outlet)" }}</span>, {{ date(s.published) }}{% if s.role %}, as {{ s.role }}{% endif %}: {{ link(s) }}</div>
<p class="context" title="{{ context_note(s) }}">{% for seg in s.context %}{% if seg.quote %}<mark>{{ seg.text }}</mark>{% else %}{{ seg.text }}{% endif %}{% endfor %}</p>
</li>
{% endfor %}
</ul>
</article>
{% endmacro %}
{% macro quote_list(listed, more) %}
{% for q in listed.quotes %}{{ quote_card(q) }}{% endfor %}
{% if listed.hidden %}<p class="note">{{ listed.hidden }} more quote{{ "s" if listed.hidden != 1 }} not shown: see <code>{{ more }}</code>.</p>{% endif %}
{% endmacro %}
<header>
<h1>Who said what, where</h1>
<p class="lede">{{ r.scope.describe() }} · {{ o.quotes | n }} quotes from {{ o.articles | n }} articles · generated {{ r.generated.strftime("%Y-%m-%d %H:%M UTC") }}</p>
<nav class="toc" aria-label="Contents">
<h2>Contents</h2>
<ol>
<li><a href="#overview">Overview</a></li>
<li><a href="#speakers">Speakers ranked by quotes</a></li>
<li><a href="#profiles">Speakers: roles and quotes</a>
{% if r.sections %}<ol>{% for sec in r.sections %}<li><a href="#{{ sec.anchor }}">{{ sec.speaker.name }}</a></li>{% endfor %}</ol>{% endif %}</li>
{% if r.unattributed.quotes %}<li><a href="#unattributed">Quotes with no identified speaker</a></li>{% endif %}
<li><a href="#carried">Most widely carried quotes</a></li>
<li><a href="#outlets">Who quotes whom: outlets × speakers</a></li>
<li><a href="#misattributions">Possible misattributions</a></li>
</ol>
</nav>
</header>

<main>
<section id="overview">
<h2>Overview</h2>
<dl class="stats">
<div class="stat"><dt>Quotes</dt><dd>{{ o.quotes | n }}</dd></div>
<div class="stat"><dt>Mentions</dt><dd>{{ o.mentions | n }}</dd></div>
<div class="stat"><dt>Speakers</dt><dd>{{ o.speakers | n }}</dd></div>
<div class="stat"><dt>Articles</dt><dd>{{ o.articles | n }}</dd></div>
<div class="stat"><dt>Outlets</dt><dd>{{ o.outlets | n }}</dd></div>
<div class="stat wide"><dt>Published</dt><dd class="date">{% if o.first_published %}<span class="nowrap">{{ o.first_published }}</span>{% if o.last_published != o.first_published %} to <span class="nowrap">{{ o.last_published }}</span>{% endif %}{% else %}no dates{% endif %}</dd></div>
</dl>
<p class="meta">A <strong>quote</strong> is one utterance however many articles printed it; each printing is a <strong>mention</strong>.
{% if o.undated_articles %}{{ o.undated_articles | n }} of the {{ o.articles | n }} articles carry no publication date. {% endif %}
{% if o.unattributed %}{{ o.unattributed | n }} quote{{ "s have" if o.unattributed != 1 else " has" }} no identified speaker. {% endif %}
The database holds {{ o.total_articles | n }} article{{ "s" if o.total_articles != 1 }} in all.</p>
</section>

<section id="speakers">
<h2>Speakers ranked by quotes</h2>
{% if r.ranking %}
<figure>
{{ bar_chart("Quotes per speaker", r.ranking | map(attribute="name") | list, r.ranking | map(attribute="quotes") | list, "Quotes (each utterance counted once)") }}
<figcaption>The {{ r.ranking | length }} most quoted speaker{{ "s" if r.ranking | length != 1 }}, by number of distinct quotes.</figcaption>
</figure>
<table>
<thead><tr><th class="num">#</th><th>Speaker</th><th>Kind</th><th class="num">Quotes</th><th class="num">Mentions</th><th class="num">Outlets</th></tr></thead>
<tbody>
{% for s in r.ranking %}<tr><td class="num">{{ loop.index }}</td><td><a href="#speaker-{{ s.speaker_id }}">{{ s.name }}</a></td><td>{{ s.kind }}</td><td class="num">{{ s.quotes | n }}</td><td class="num">{{ s.mentions | n }}</td><td class="num">{{ s.outlets | n }}</td></tr>
{% endfor %}
</tbody>
</table>
{% else %}<p class="note">No quote has an identified speaker.</p>{% endif %}
</section>

<section id="profiles">
<h2>Speakers: roles and quotes</h2>
<p class="meta">Each quote lists every article that printed it, with the wording and role given there; the highlighted text is the quote in its context.</p>
{% for sec in r.sections %}
<section id="{{ sec.anchor }}">
<div class="speaker-head"><h3>{{ sec.speaker.name }}</h3><span class="kind">{{ sec.speaker.kind }}</span>
<span class="meta">{{ sec.speaker.quotes | n }} quotes · {{ sec.speaker.mentions | n }} mentions · {{ sec.speaker.outlets | n }} outlets</span></div>
<h4>Roles over time</h4>
{% if sec.roles %}
<figure>
{{ timeline_chart("Roles of " ~ sec.speaker.name ~ " over time", sec.roles) }}
<figcaption>Each bar runs from the first to the last date an article gave {{ sec.speaker.name }} that role; each dot is a day with such articles, larger for more.</figcaption>
</figure>
<table>
<thead><tr><th>Role</th><th>First seen</th><th>Last seen</th><th class="num">Articles</th><th>Outlets</th></tr></thead>
<tbody>
{% for span in sec.roles %}<tr><td>{{ span.role }}</td><td class="nowrap">{{ span.first }}</td><td class="nowrap">{{ span.last }}</td><td class="num">{{ span.articles | n }}</td><td>{{ span.top_outlets() }}</td></tr>
{% endfor %}
</tbody>
</table>
{% if sec.hidden_roles %}<p class="note">{{ sec.hidden_roles }} rarer role{{ "s" if sec.hidden_roles != 1 }} not shown: see <code>quotes speakers show "{{ sec.speaker.name }}"</code>.</p>{% endif %}
{% else %}<p class="note">No article in scope gives {{ sec.speaker.name }} a role.</p>{% endif %}
<h4>Quotes</h4>
{{ quote_list(sec.quotes, 'quotes search --speaker "' ~ sec.speaker.name ~ '"') }}
</section>
{% else %}<p class="note">No quote has an identified speaker.</p>
{% endfor %}
</section>

{% if r.unattributed.quotes %}
<section id="unattributed">
<h2>Quotes with no identified speaker</h2>
<p class="meta">The articles print these quotes without a speaker the extraction could name.</p>
{{ quote_list(r.unattributed, 'quotes sql "select * from quote_sources where speaker is null"') }}
</section>
{% endif %}

<section id="carried">
<h2>Most widely carried quotes</h2>
{% if r.carried %}
<p class="meta">Quotes printed by two outlets or more, most outlets first, each with every article that carried it.</p>
<table class="carried">
<thead><tr><th class="num">Outlets</th><th>Quote</th><th>Carried by</th></tr></thead>
<tbody>
{% for q in r.carried %}<tr id="carried-{{ q.quote_id }}"><td class="num count">{{ q.outlets | length }}</td>
<td><span class="said">“{{ q.text }}”</span><span class="meta">{{ q.speaker or "unknown speaker" }} · first seen {{ q.first_seen }}</span></td>
<td><ul class="plain">{% for s in q.sources %}<li><span class="outlet">{{ s.outlet or "(no outlet)" }}</span> · {{ date(s.published) }}<br>{{ link(s) }}</li>{% endfor %}</ul></td></tr>
{% endfor %}
</tbody>
</table>
{% else %}<p class="note">No quote was carried by more than one outlet.</p>{% endif %}
</section>

<section id="outlets">
<h2>Who quotes whom: outlets × speakers</h2>
{% if r.heatmap.outlets %}
<figure>
{{ heat_map_chart("Quotes of each speaker carried by each outlet", r.heatmap) }}
<figcaption>Number of distinct quotes of each speaker (rows) that each outlet (columns) printed; darker means more, “·” none.</figcaption>
</figure>
{% else %}<p class="note">No quote has an identified speaker.</p>{% endif %}
</section>

<section id="misattributions">
<h2>Possible misattributions</h2>
{% set c = r.conflicts %}
{% if not c.available %}<p class="note">This database has no <code>{{ conflicts_view }}</code> view yet, so the same words given to different speakers are not flagged here.</p>
{% elif not c.pairs %}<p>No possible misattribution: no words in this report are given to two different speakers.</p>
{% else %}
<p>The same words, given to different speakers by different outlets: one of each pair may be wrongly attributed.
{% if c.total > c.pairs | length %}The first {{ c.pairs | length }} of {{ c.total | n }} pairs are shown.{% endif %}</p>
{% for pair in c.pairs %}
<div class="conflict">
{% for q in pair %}
<div><p class="who">{{ q.speaker or "unknown speaker" }}</p><blockquote>{{ q.text }}</blockquote>
<ul class="plain">{% for s in q.sources %}<li><span class="outlet">{{ s.outlet or "(no outlet)" }}</span> · {{ date(s.published) }}: {{ link(s) }}</li>{% endfor %}</ul></div>
{% endfor %}
</div>
{% endfor %}
{% endif %}
</section>
</main>
<footer>Made by <code>quotes report</code> from the quotes database. Dates are publication dates, or ingestion dates for undated articles. Links without a web address point to the article files the quotes were read from.</footer>
</div>
</body>
</html>
"""

_MARKDOWN = """\
{% set o = r.overview %}
{% macro date(d) %}{{ d or "undated" }}{% endmacro %}
{% macro link(s) %}{% set target = s.url | href %}{% if target %}[{{ (s.title or s.url) | md }}](<{{ target }}>){% else %}{{ (s.title or s.url or "no link") | md }}{% endif %}{% endmacro %}
{% macro quote_block(q) %}
> {{ q.text | md }}

{% if q.speaker %}{{ q.speaker | md }} · {% endif %}first seen {{ q.first_seen }} · {{ q.sources | length }} source(s) in {{ q.outlets | length }} outlet(s) · \\#{{ q.quote_id }}

{% for s in q.sources %}
- **{{ (s.outlet or "(no outlet)") | md }}**, {{ date(s.published) }}{% if s.role %}, as {{ s.role | md }}{% endif %}: {{ link(s) }}
  - {{ "In its paragraph" if s.context_is_paragraph else "Between the quotes printed around it" }}: {% for seg in s.context %}{% if seg.quote %}**{{ seg.text | md }}**{% else %}{{ seg.text | md }}{% endif %}{% endfor %}

{% endfor %}

{% endmacro %}
{% macro quote_list(listed, more) %}
{% for q in listed.quotes %}{{ quote_block(q) }}{% endfor %}
{% if listed.hidden %}
_{{ listed.hidden }} more quote(s) not shown: see `{{ more }}`._

{% endif %}
{% endmacro %}
# Who said what, where

{{ r.scope.describe() | md }} · {{ o.quotes | n }} quotes from {{ o.articles | n }} articles · generated {{ r.generated.strftime("%Y-%m-%d %H:%M UTC") }}

## Contents

- [Overview](#overview)
- [Speakers ranked by quotes](#speakers-ranked-by-quotes)
- [Speakers: roles and quotes](#speakers-roles-and-quotes)
{% if r.unattributed.quotes %}
- [Quotes with no identified speaker](#quotes-with-no-identified-speaker)
{% endif %}
- [Most widely carried quotes](#most-widely-carried-quotes)
- [Who quotes whom: outlets × speakers](#who-quotes-whom-outlets--speakers)
- [Possible misattributions](#possible-misattributions)

## Overview

| Quotes | Mentions | Speakers | Articles | Outlets | Published |
|---:|---:|---:|---:|---:|---|
| {{ o.quotes | n }} | {{ o.mentions | n }} | {{ o.speakers | n }} | {{ o.articles | n }} | {{ o.outlets | n }} | {% if o.first_published %}{{ o.first_published }}{% if o.last_published != o.first_published %} to {{ o.last_published }}{% endif %}{% else %}no dates{% endif %} |

A quote is one utterance however many articles printed it; each printing is a mention.
{% if o.undated_articles %}
{{ o.undated_articles | n }} of the {{ o.articles | n }} articles carry no publication date.
{% endif %}
{% if o.unattributed %}
{{ o.unattributed | n }} quote(s) have no identified speaker.
{% endif %}
The database holds {{ o.total_articles | n }} article(s) in all.

## Speakers ranked by quotes

{% if r.ranking %}
| # | Speaker | Kind | Quotes | Mentions | Outlets | |
|---:|---|---|---:|---:|---:|---|
{% set top = r.ranking[0].quotes %}
{% for s in r.ranking %}
| {{ loop.index }} | {{ s.name | md }} | {{ s.kind }} | {{ s.quotes | n }} | {{ s.mentions | n }} | {{ s.outlets | n }} | {{ "█" * ((20 * s.quotes / top) | round(0, "ceil") | int) }} |
{% endfor %}
{% else %}
_No quote has an identified speaker._
{% endif %}

## Speakers: roles and quotes

{% for sec in r.sections %}
### {{ sec.speaker.name | md }}

{{ sec.speaker.kind }} · {{ sec.speaker.quotes | n }} quotes · {{ sec.speaker.mentions | n }} mentions · {{ sec.speaker.outlets | n }} outlets

#### Roles over time

{% if sec.roles %}
| Role | First seen | Last seen | Articles | Outlets |
|---|---|---|---:|---|
{% for span in sec.roles %}
| {{ span.role | md }} | {{ span.first }} | {{ span.last }} | {{ span.articles | n }} | {{ span.top_outlets() | md }} |
{% endfor %}
{% if sec.hidden_roles %}

_{{ sec.hidden_roles }} rarer role(s) not shown: see `quotes speakers show "{{ sec.speaker.name }}"`._
{% endif %}
{% else %}
_No article in scope gives {{ sec.speaker.name | md }} a role._
{% endif %}

#### Quotes

{{ quote_list(sec.quotes, 'quotes search --speaker "' ~ sec.speaker.name ~ '"') }}
{% else %}
_No quote has an identified speaker._

{% endfor %}
{% if r.unattributed.quotes %}
## Quotes with no identified speaker

The articles print these quotes without a speaker the extraction could name.

{{ quote_list(r.unattributed, 'quotes sql "select * from quote_sources where speaker is null"') }}
{% endif %}
## Most widely carried quotes

{% if r.carried %}
Quotes printed by two outlets or more, most outlets first, each with every article that carried it.

| Outlets | Quote | Carried by |
|---:|---|---|
{% for q in r.carried %}
| {{ q.outlets | length }} | “{{ q.text | md }}” ({{ (q.speaker or "unknown speaker") | md }}, first seen {{ q.first_seen }}) | {% for s in q.sources %}{{ (s.outlet or "(no outlet)") | md }} {{ date(s.published) }}: {{ link(s) }}{{ "; " if not loop.last }}{% endfor %} |
{% endfor %}
{% else %}
_No quote was carried by more than one outlet._
{% endif %}

## Who quotes whom: outlets × speakers

{% if r.heatmap.outlets %}
Distinct quotes of each speaker (rows) printed by each outlet (columns).

| Speaker | {% for outlet in r.heatmap.outlets %}{{ outlet | md }} | {% endfor %}

|---|{% for outlet in r.heatmap.outlets %}---:|{% endfor %}

{% for speaker in r.heatmap.speakers %}
| {{ speaker | md }} | {% for n in r.heatmap.counts[loop.index0] %}{{ n or "·" }} | {% endfor %}

{% endfor %}
{% else %}
_No quote has an identified speaker._
{% endif %}

## Possible misattributions

{% set c = r.conflicts %}
{% if not c.available %}
_This database has no `{{ conflicts_view }}` view yet, so the same words given to different speakers are not flagged here._
{% elif not c.pairs %}
No possible misattribution: no words in this report are given to two different speakers.
{% else %}
The same words, given to different speakers by different outlets: one of each pair may be wrongly attributed.
{% if c.total > c.pairs | length %}The first {{ c.pairs | length }} of {{ c.total | n }} pairs are shown.{% endif %}

{% for pair in c.pairs %}
### {{ (pair[0].speaker or "unknown speaker") | md }} or {{ (pair[1].speaker or "unknown speaker") | md }}?

{% for q in pair %}
- **{{ (q.speaker or "unknown speaker") | md }}**: “{{ q.text | md }}”
{% for s in q.sources %}
  - {{ (s.outlet or "(no outlet)") | md }}, {{ date(s.published) }}: {{ link(s) }}
{% endfor %}
{% endfor %}

{% endfor %}
{% endif %}
"""

TEMPLATES = {"html": _HTML, "md": _MARKDOWN}
