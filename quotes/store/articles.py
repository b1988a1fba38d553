"""What is stored, article by article and outlet by outlet; and removing an article (or only its mentions,
for re-extraction) with what only it held.

The listings read with plain SQL (quotes.store.reader: no SQLAlchemy on SQLite); removing writes
through SQLAlchemy in one writer transaction. The counts and full-text indexes the database
keeps (migration 0006) follow the deleted rows by themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quotes.article import Article
from quotes.store.query import iso, like
from quotes.store.reader import Reader, reading

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


def articles(db: Engine | Reader, outlet: str | None = None, limit: int | None = None) -> list[dict]:
    """Stored articles, newest first: id, date, outlet, title, link and the number of quote mentions in each.

    ``outlet`` is part of the outlet's name or domain, as ``quotes search --outlet`` takes it.
    """
    sql = ("SELECT a.id, a.published, o.name, a.title, coalesce(a.url, a.path), "
           "(SELECT count(*) FROM mentions m WHERE m.article_id = a.id) "
           "FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id")
    params: dict[str, object] = {}
    if outlet:
        sql += " WHERE lower(o.name) LIKE :outlet ESCAPE '\\' OR lower(o.domain) LIKE :outlet ESCAPE '\\'"
        params["outlet"] = like(outlet)
    sql += " ORDER BY a.published DESC, a.id DESC"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    with reading(db) as reader:
        rows = reader.rows(sql, params)
    return [{"article_id": article_id, "published": iso(published), "outlet": outlet_name, "title": title,
             "url": url, "mentions": mentions}
            for article_id, published, outlet_name, title, url, mentions in rows]


def outlets(db: Engine | Reader) -> list[dict]:
    """Every outlet with its domain, its number of stored articles and its latest article's date, most articles first."""
    with reading(db) as reader:
        rows = reader.rows(  # both read from the (outlet_id, published) index
            "SELECT o.id, o.name, o.domain, (SELECT count(*) FROM articles a WHERE a.outlet_id = o.id) AS n, "
            "(SELECT max(a.published) FROM articles a WHERE a.outlet_id = o.id) FROM outlets o ORDER BY n DESC, o.name")
    return [{"outlet_id": outlet_id, "name": name, "domain": domain, "articles": count, "latest": iso(latest)}
            for outlet_id, name, domain, count, latest in rows]


@dataclass
class Removed:
    """What removing an article took away: its mentions, and the quotes no other article printed."""

    title: str | None
    mentions: int
    quotes: int


def _refresh_quote(conn: Connection, quote_id: int) -> None:
    """Give a quote that lost a source the date and canonical text its remaining sources give it: the
    earliest article date, and the current text unless no remaining source printed it (then the longest)."""
    from sqlalchemy import select, update

    from quotes.dedup import tokens
    from quotes.mention import unit_text
    from quotes.store.clustering import TRAILING
    from quotes.store.schema import Article, Mention, Quote

    rows = conn.execute(
        select(Mention.article_id, Mention.group, Mention.text, Article.published, Article.ingested_at)
        .join(Article, Article.id == Mention.article_id)
        .where(Mention.quote_id == quote_id).order_by(Mention.article_id, Mention.group, Mention.start)).all()
    printed: dict[tuple[int, int], list[str]] = {}
    for article_id, group, text, *_ in rows:
        printed.setdefault((article_id, group), []).append(text)
    wordings = [unit_text(pieces).strip(TRAILING) for pieces in printed.values()]
    current = conn.scalar(select(Quote.text).where(Quote.id == quote_id))
    text = current if current in wordings else max(wordings, key=lambda words: len(tokens(words)))
    seen = min(published or ingested.date() for *_, published, ingested in rows)  # as ingest dated it
    conn.execute(update(Quote).where(Quote.id == quote_id).values(text=text, first_seen=seen))


def _refresh_roles(conn: Connection, role_ids: list[int]) -> None:
    """Roles that lost mentions: gone when no mention shows them any more, else dated by the
    articles still showing them (publication, else ingestion, as ingest dates them)."""
    from sqlalchemy import delete, select, update

    from quotes.store.schema import Article, Mention, Role

    for role_id in role_ids:
        dates = [published or ingested.date() for published, ingested in conn.execute(
            select(Article.published, Article.ingested_at).join(Mention, Mention.article_id == Article.id)
            .where(Mention.role_id == role_id))]
        if dates:
            conn.execute(update(Role).where(Role.id == role_id).values(first_seen=min(dates), last_seen=max(dates)))
        else:
            conn.execute(delete(Role).where(Role.id == role_id))


def forget_mentions(conn: Connection, article_id: int) -> tuple[int, int]:
    """Delete an article's mentions and speaker links, every quote only it printed and every role only it
    showed, inside the caller's transaction; returns the mentions and quotes deleted.

    Quotes other articles printed too keep their id and take the date and wording those give
    (:func:`_refresh_quote`); their indexed wordings stay, as words the speaker was printed saying.
    Roles others show too are dated by those.
    """
    from sqlalchemy import delete, exists, select

    from quotes.store.schema import Mention, Quote, QuoteFingerprint, QuoteWording, SpeakerLink

    touched = conn.scalars(select(Mention.quote_id).where(Mention.article_id == article_id).distinct()).all()
    roles = conn.scalars(select(Mention.role_id).where(Mention.article_id == article_id, Mention.role_id.is_not(None))
                         .distinct()).all()
    mentions = conn.execute(delete(Mention).where(Mention.article_id == article_id)).rowcount
    conn.execute(delete(SpeakerLink).where(SpeakerLink.article_id == article_id))
    empty = conn.scalars(select(Quote.id).where(
        Quote.id.in_(touched), ~exists().where(Mention.quote_id == Quote.id))).all() if touched else []
    for table in (QuoteFingerprint, QuoteWording):
        conn.execute(delete(table).where(table.quote_id.in_(empty)))
    conn.execute(delete(Quote).where(Quote.id.in_(empty)))
    for quote_id in sorted(set(touched) - set(empty)):
        _refresh_quote(conn, quote_id)
    _refresh_roles(conn, sorted(roles))
    return mentions, len(empty)


def remove_article(engine: Engine, article_id: int) -> Removed:
    """Delete an article with everything only it held (:func:`forget_mentions`), in one transaction.
    LookupError when there is no such article."""
    from sqlalchemy import delete, select

    from quotes.store.db import writer
    from quotes.store.schema import Article

    with writer(engine).begin() as conn:
        title = conn.execute(select(Article.title).where(Article.id == article_id)).first()
        if title is None:
            raise LookupError(f"no article with id {article_id}")
        mentions, quotes = forget_mentions(conn, article_id)
        conn.execute(delete(Article).where(Article.id == article_id))
    return Removed(title=title[0], mentions=mentions, quotes=quotes)


def to_reextract(engine: Engine, version: str, since: dt.date | None = None, outlet: str | None = None,
                 everything: bool = False) -> tuple[list[int], int]:
    """The ids, in ingest order, of the stored articles an extractor other than ``version`` produced (all of
    them with ``everything``), dated ``since`` or later (publication, else ingestion) and of an outlet whose
    name or domain holds ``outlet``; and how many of those cannot be extracted again, having no stored body."""
    from sqlalchemy import Date, func, or_, select

    from quotes.store.schema import Article as Stored
    from quotes.store.schema import Outlet

    query = select(Stored.id, Stored.body.is_(None)).order_by(Stored.id)
    if not everything:
        query = query.where(or_(Stored.extractor.is_(None), Stored.extractor != version))
    if since is not None:
        query = query.where(func.coalesce(Stored.published, func.date(Stored.ingested_at), type_=Date) >= since)
    if outlet:
        pattern = like(outlet)
        query = query.join(Outlet, Outlet.id == Stored.outlet_id).where(or_(
            func.lower(Outlet.name).like(pattern, escape="\\"), func.lower(Outlet.domain).like(pattern, escape="\\")))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [article_id for article_id, bodiless in rows if not bodiless], sum(bodiless for _, bodiless in rows)


def stored_articles(engine: Engine, ids: Sequence[int], chunk: int = 64) -> Iterator[Article]:
    """The stored articles ``ids``, in that order, as extraction takes them (``id`` the database id as text),
    read ``chunk`` at a time so that bodies are held only while they are extracted."""
    from sqlalchemy import select

    from quotes.store.schema import Article as Stored
    from quotes.store.schema import Outlet

    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        with engine.connect() as conn:
            rows = {row.id: row for row in conn.execute(
                select(Stored.id, Stored.body, Stored.url, Outlet.name.label("outlet"), Stored.title, Stored.published,
                       Stored.path).outerjoin(Outlet, Outlet.id == Stored.outlet_id).where(Stored.id.in_(part)))}
        for article_id in part:
            row = rows.get(article_id)
            if row is not None and row.body is not None:  # removed or emptied since it was listed
                yield Article(id=str(article_id), text=row.body, url=row.url, outlet=row.outlet, title=row.title,
                              published=row.published, path=row.path)
