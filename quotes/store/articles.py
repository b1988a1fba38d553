"""What is stored, article by article and outlet by outlet; and removing an article with what only it held.

The listings read with plain SQL (quotes.store.reader: no SQLAlchemy on SQLite); removing writes
through SQLAlchemy in one writer transaction. The counts and full-text indexes the database
keeps (migration 0006) follow the deleted rows by themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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


def remove_article(engine: Engine, article_id: int) -> Removed:
    """Delete an article, its mentions and speaker links, every quote only it printed and every role
    only it showed, in one transaction.

    Quotes other articles printed too keep their id and take the date and wording those give
    (:func:`_refresh_quote`); their indexed wordings stay, as words the speaker was printed saying.
    Roles others show too are dated by those. LookupError when there is no such article.
    """
    from sqlalchemy import delete, exists, select

    from quotes.store.db import writer
    from quotes.store.schema import Article, Mention, Quote, QuoteFingerprint, QuoteWording, SpeakerLink

    with writer(engine).begin() as conn:
        title = conn.execute(select(Article.title).where(Article.id == article_id)).first()
        if title is None:
            raise LookupError(f"no article with id {article_id}")
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
        conn.execute(delete(Article).where(Article.id == article_id))
    return Removed(title=title[0], mentions=mentions, quotes=len(empty))
