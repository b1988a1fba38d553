"""The report's data: what it shows, gathered from the database once and rendered in either format.

It answers, from the database alone: who is quoted (every speaker in an index), how much
quoting there was over time, in which roles the most quoted appeared and by which outlets, which
quotes travelled furthest, and which attributions disagree. :func:`build_report` gathers it with
bounded SQL queries (aggregates in the database, details only for the speakers and quotes shown),
and every long list is capped, with the number left out, so the page stays readable at thousands
of articles.

A mention's date is its article's publication date or, for an undated article, the day it was
ingested: the same rule the store uses for ``quotes.first_seen`` and role dates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

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
    column,
    distinct,
    func,
    inspect,
    or_,
    select,
    text,
    true,
)

# speaker_ids: --speaker matches exactly as `quotes search --speaker` does
from quotes.mention import role_text
from quotes.store.query import speaker_ids
from quotes.store.schema import Article, Mention, Outlet, Quote, Role, Speaker

#: Speakers in the ranking chart and the heat map, each with a section of their own; the index lists every one.
RANKED_SPEAKERS = 12
#: Speakers in the Markdown index (the HTML page lists every one, in a table that scrolls).
MARKDOWN_INDEX = 100
#: Roles shown per speaker, those given by the most articles; the rest are counted.
ROLES_PER_SPEAKER = 6
#: Outlets named per speaker, those printing the most of their quotes; the rest are counted.
OUTLETS_PER_SPEAKER = 8
#: Quotes listed in all the speakers' sections together, shared equally: three each for twelve speakers,
#: QUOTES_PER_SPEAKER for one (``--speaker``). The quotes with no speaker get one share too.
QUOTES_IN_SECTIONS = 36
#: Quotes listed per speaker at most: the most widely carried, by date; the rest are counted.
QUOTES_PER_SPEAKER = 20
#: Quotes in "most widely carried" (only quotes carried by two outlets or more).
CARRIED_QUOTES = 10
#: Outlets (columns) in the heat map, those carrying the most quotes first.
HEATMAP_OUTLETS = 15
#: Possible misattributions shown.
CONFLICT_PAIRS = 10
#: The longest span, in days, whose volume is counted per day, then per week; longer ones per month.
DAILY_SPAN, WEEKLY_SPAN = 62, 731
#: The view (or table) of possible misattributions: pairs of quotes by different speakers sharing a
#: wording (columns ``quote_id``, ``other_quote_id``). Looked up in the schema when the report runs.
CONFLICTS = "quote_conflicts"
#: Characters of context kept on each side of a quote within its paragraph.
CONTEXT_CHARS = 280
#: Characters kept of each neighbouring quote when the article body is not stored.
NEIGHBOUR_CHARS = 90


class EmptyReport(LookupError):
    """Nothing to report: the database has no quotes, or none match the filters."""


# --- the data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which quotes the report covers: first seen within [since, until], by speakers matching ``speaker``,
    attributed by some source with at least ``min_confidence``."""

    since: dt.date | None = None
    until: dt.date | None = None
    speaker: str | None = None
    min_confidence: float | None = None  # only quotes some source attributes at least this surely

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
        if self.min_confidence:
            parts.append(f"attributed with confidence {self.min_confidence:g} or more")
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
    """A speaker in scope: numbers of quotes, mentions and outlets, when first and last seen, and the latest role."""

    speaker_id: int
    name: str
    kind: str
    quotes: int
    mentions: int
    outlets: int
    external_id: str | None  # from a people file, e.g. a Wikidata QID
    first_seen: dt.date
    last_seen: dt.date
    latest_role: str | None  # the role (title family, organisation) of the latest mention giving one


@dataclass
class Volume:
    """Mentions in scope per period (a day, week or month, by the span), every period from first to last."""

    unit: str  # "day", "week" or "month"
    periods: list[tuple[dt.date, int]]  # (first day of the period, mentions)


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
    """The quotes listed (a speaker's share of QUOTES_IN_SECTIONS, the most carried), and how many more there are."""

    quotes: list[QuoteEntry]
    hidden: int


@dataclass
class SpeakerSection:
    """A ranked speaker: roles over time, the outlets printing their quotes (with how many), and quotes."""

    speaker: RankedSpeaker
    roles: list[RoleSpan]
    hidden_roles: int
    outlets: list[tuple[str, int]]
    hidden_outlets: int
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
    volume: Volume
    speakers: list[RankedSpeaker]  # every speaker in scope, most quoted first: the index
    ranking: list[RankedSpeaker]  # the first RANKED_SPEAKERS of them
    sections: list[SpeakerSection]
    unattributed: QuoteList  # quotes with no identified speaker
    carried: QuoteList  # carried by two outlets or more
    heatmap: HeatMap
    conflicts: Conflicts


# --- queries ---------------------------------------------------------------------------------


def _scope_filter(scope: Scope, dialect: str) -> ColumnElement[bool]:
    """The condition on ``quotes`` selecting the quotes in scope (every query joins that table).

    A plain condition rather than an ``IN`` list lets the database use its indexes, and costs
    nothing for the unfiltered report.
    """
    conditions = []
    if scope.speaker:
        sql, params = speaker_ids(dialect, scope.speaker)
        conditions.append(Quote.speaker_id.in_(text(sql).bindparams(**params).columns(column("id", Integer))))
    if scope.since:
        conditions.append(Quote.first_seen >= scope.since)
    if scope.until:
        conditions.append(Quote.first_seen <= scope.until)
    if scope.min_confidence:
        conditions.append(Quote.id.in_(select(Mention.quote_id).where(Mention.confidence >= scope.min_confidence)))
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


def _speakers(conn: Connection, in_scope: ColumnElement[bool]) -> list[RankedSpeaker]:
    """Every speaker in scope, most quotes first, in one query; the latest role is the latest mention's with one."""
    latest = (
        select(Quote.speaker_id, Role.title, Role.organization,
               func.row_number().over(partition_by=Quote.speaker_id, order_by=(_SEEN.desc(), Mention.id.desc()))
               .label("rank"))
        .select_from(Mention)
        .join(Quote, Quote.id == Mention.quote_id)
        .join(Role, Role.id == Mention.role_id)
        .join(Article, Article.id == Mention.article_id)
        .where(in_scope)
        .subquery()
    )
    quotes = func.count(distinct(Quote.id)).label("quotes")
    mentions = func.count(Mention.id).label("mentions")
    rows = conn.execute(
        select(Speaker.id, Speaker.name, Speaker.kind, quotes, mentions, func.count(distinct(Article.outlet_id)),
               Speaker.external_id, func.min(_SEEN), func.max(_SEEN), latest.c.title, latest.c.organization)
        .join(Quote, Quote.speaker_id == Speaker.id)
        .join(Mention, Mention.quote_id == Quote.id)
        .join(Article, Article.id == Mention.article_id)
        .outerjoin(latest, and_(latest.c.speaker_id == Speaker.id, latest.c.rank == 1))
        .where(in_scope)
        .group_by(Speaker.id, Speaker.name, Speaker.kind, Speaker.external_id, latest.c.title, latest.c.organization)
        .order_by(quotes.desc(), mentions.desc(), Speaker.name, Speaker.id)
    )
    return [RankedSpeaker(*row[:9], latest_role=None if row.title is None else role_text(row.title, row.organization))
            for row in rows]


def _period(day: dt.date, unit: str) -> dt.date:
    """The first day of the day, week (from Monday) or month holding ``day``."""
    if unit == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday()) if unit == "week" else day


def _next_period(start: dt.date, unit: str) -> dt.date:
    if unit == "month":
        return (start + dt.timedelta(days=32)).replace(day=1)
    return start + dt.timedelta(days=7 if unit == "week" else 1)


def _volume(conn: Connection, in_scope: ColumnElement[bool]) -> Volume:
    """Mentions in scope per day, week or month: daily counts from the database, summed into periods here."""
    seen = _SEEN.label("seen")
    days = conn.execute(
        select(seen, func.count())
        .select_from(Mention)
        .join(Quote, Quote.id == Mention.quote_id)
        .join(Article, Article.id == Mention.article_id)
        .where(in_scope)
        .group_by(seen)
    ).all()
    first, last = min(day for day, _ in days), max(day for day, _ in days)
    span = (last - first).days
    unit = "day" if span <= DAILY_SPAN else "week" if span <= WEEKLY_SPAN else "month"
    counts: Counter[dt.date] = Counter()
    for day, n in days:
        counts[_period(day, unit)] += n
    periods, start = [], _period(first, unit)
    while start <= last:
        periods.append((start, counts[start]))
        start = _next_period(start, unit)
    return Volume(unit, periods)


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
    conn: Connection, in_scope: ColumnElement[bool], speaker_id: int | None, limit: int
) -> tuple[list[int], int]:
    """Up to ``limit`` quotes of a speaker (None: of no speaker), most outlets first, then oldest; and how many more."""
    by_speaker = Quote.speaker_id.is_(None) if speaker_id is None else Quote.speaker_id == speaker_id
    outlets = func.count(distinct(Article.outlet_id))
    ids = list(conn.scalars(
        select(Quote.id)
        .join(Mention, Mention.quote_id == Quote.id)
        .join(Article, Article.id == Mention.article_id)
        .where(in_scope, by_speaker)
        .group_by(Quote.id, Quote.first_seen)
        .order_by(outlets.desc(), Quote.first_seen, Quote.id)
        .limit(limit)
    ))
    total = conn.scalar(select(func.count()).select_from(Quote).where(in_scope, by_speaker))
    return ids, total - len(ids)


def _carried_quote_ids(conn: Connection, in_scope: ColumnElement[bool]) -> tuple[list[int], int]:
    """Quotes carried by two outlets or more, most outlets first, then most mentions, then oldest; and how many more."""
    outlets = func.count(distinct(Article.outlet_id))
    carried = (
        select(Quote.id)
        .join(Mention, Mention.quote_id == Quote.id)
        .join(Article, Article.id == Mention.article_id)
        .where(in_scope)
        .group_by(Quote.id, Quote.first_seen)
        .having(outlets >= 2)
    )
    ids = list(conn.scalars(carried.order_by(outlets.desc(), func.count(Mention.id).desc(), Quote.first_seen,
                                             Quote.id).limit(CARRIED_QUOTES)))
    return ids, conn.scalar(select(func.count()).select_from(carried.subquery())) - len(ids)


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
    for article_id, start, end, words in conn.execute(
        select(Mention.article_id, Mention.start, Mention.end, Mention.text)
        .where(Mention.article_id.in_(article_ids))
        .order_by(Mention.article_id, Mention.start)
    ):
        position[article_id, start] = len(printed[article_id])
        printed[article_id].append((start, end, words))
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


def _outlet_quotes(
    conn: Connection, in_scope: ColumnElement[bool], ranking: Sequence[RankedSpeaker]
) -> dict[int, Counter[str]]:
    """For each ranked speaker, the number of their quotes each outlet printed."""
    per_speaker: dict[int, Counter[str]] = {s.speaker_id: Counter() for s in ranking}
    if ranking:
        for speaker_id, outlet, n in conn.execute(
            select(Quote.speaker_id, Outlet.name, func.count(distinct(Quote.id)))
            .join(Mention, Mention.quote_id == Quote.id)
            .join(Article, Article.id == Mention.article_id)
            .outerjoin(Outlet, Outlet.id == Article.outlet_id)
            .where(in_scope, Quote.speaker_id.in_(list(per_speaker)))
            .group_by(Quote.speaker_id, Outlet.name)
        ):
            per_speaker[speaker_id][outlet or "(no outlet)"] = n
    return per_speaker


def _most(counts: Counter[str], n: int) -> tuple[list[tuple[str, int]], int]:
    """The ``n`` largest counts, ties by name, and how many more there are."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:n], max(len(ranked) - n, 0)


def _heat_map(ranking: Sequence[RankedSpeaker], per_speaker: dict[int, Counter[str]]) -> HeatMap:
    outlets, _ = _most(sum(per_speaker.values(), Counter()), HEATMAP_OUTLETS)
    return HeatMap(
        speakers=[s.name for s in ranking],
        outlets=[name for name, _ in outlets],
        counts=[[per_speaker[s.speaker_id][name] for name, _ in outlets] for s in ranking],
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
    in_scope = _scope_filter(scope, engine.dialect.name)
    with engine.connect() as conn:
        overview = _overview(conn, in_scope)
        if overview.quotes == 0:
            if conn.scalar(select(func.count()).select_from(Quote)) == 0:
                raise EmptyReport("the database has no quotes yet: store some with `quotes ingest PATH...` first")
            raise EmptyReport(f"no quote matches the filters: {scope.describe()}")
        speakers = _speakers(conn, in_scope)
        ranking = speakers[:RANKED_SPEAKERS]
        share = min(QUOTES_PER_SPEAKER, max(QUOTES_IN_SECTIONS // max(len(ranking), 1), 1))
        listed = {s: _speaker_quote_ids(conn, in_scope, s, share) for s in [r.speaker_id for r in ranking] + [None]}
        carried_ids, more_carried = _carried_quote_ids(conn, in_scope)
        conflicts = _conflict_pairs(engine, conn, in_scope)
        in_conflict = [i for pair in conflicts[0] for i in pair] if conflicts else []
        listed_ids = [i for ids, _ in listed.values() for i in ids]
        entries = _quote_entries(conn, sorted({*carried_ids, *listed_ids, *in_conflict}))

        def quote_list(speaker_id: int | None) -> QuoteList:
            ids, hidden = listed[speaker_id]
            return QuoteList(sorted((entries[i] for i in ids), key=lambda q: (q.first_seen, q.quote_id)), hidden)

        outlets = _outlet_quotes(conn, in_scope, ranking)
        sections = [SpeakerSection(s, *_role_spans(conn, in_scope, s.speaker_id),
                                   *_most(outlets[s.speaker_id], OUTLETS_PER_SPEAKER), quote_list(s.speaker_id))
                    for s in ranking]
        return Report(
            scope=scope, generated=now or dt.datetime.now(dt.UTC), overview=overview, volume=_volume(conn, in_scope),
            speakers=speakers, ranking=ranking, sections=sections, unattributed=quote_list(None),
            carried=QuoteList([entries[i] for i in carried_ids], more_carried), heatmap=_heat_map(ranking, outlets),
            conflicts=Conflicts(True, [(entries[a], entries[b]) for a, b in conflicts[0]], conflicts[1])
            if conflicts else Conflicts(),
        )
