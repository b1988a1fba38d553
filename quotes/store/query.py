"""Query the store: quotes by speaker, role, outlet, date and words; speakers and their profiles.

Every function returns plain data (dicts, lists, ISO date strings) ready for JSON, so the CLI
and the report only format it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Sequence

from sqlalchemy import ColumnElement, Connection, Engine, distinct, func, or_, select, union
from sqlalchemy.orm import Session

from quotes.dedup import unit_text, word_diff
from quotes.names import role_text, title_family
from quotes.store.speakers import find_speaker
from quotes.store.schema import (
    Acronym,
    Article,
    Mention,
    Outlet,
    Quote,
    Role,
    Speaker,
    SpeakerAlias,
    quote_conflicts,
)

#: Quote ids per ``IN (...)`` list, well under every database's parameter limit.
CHUNK = 500
#: Longest name, role or outlet a search matches (SQLite refuses much longer LIKE patterns).
MAX_TERM_CHARS = 500
#: Most words ``text`` may hold: each is one condition, and databases bound a query's depth.
MAX_TEXT_WORDS = 64


class SearchError(ValueError):
    """A search the store cannot run as given; the message says which filter and why."""

#: Apostrophe variants: in search terms each matches any one character, so "don't" finds "don’t".
_APOSTROPHES = re.compile(r"['’‘`´]")


def _like(value: str) -> str:
    """A case-insensitive LIKE pattern for "contains value", wildcards in value escaped."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{_APOSTROPHES.sub('_', escaped)}%"


def _contains(column: ColumnElement, value: str) -> ColumnElement[bool]:
    return func.lower(column).like(_like(value), escape="\\")


def _role_matches(role: str) -> ColumnElement[bool]:
    """Roles whose title (or title family) or organisation contains ``role``, or whose organisation it abbreviates."""
    expansions = select(func.lower(Acronym.expansion)).where(func.lower(Acronym.acronym) == role.strip().lower())
    return or_(
        _contains(Role.title, role),
        _contains(Role.title, title_family(role)),  # "spokesman" finds the spokesperson family
        _contains(Role.organization, role),
        func.lower(Role.organization).in_(expansions),  # "NSC" finds the National Security Council
    )


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _quote_details(conn: Connection, quote_ids: Sequence[int]) -> list[dict]:
    """Each quote with its speaker, roles and every source, in the order of ``quote_ids``."""
    found: dict[int, dict] = {}
    for chunk in _chunks(quote_ids):
        rows = conn.execute(
            select(Quote.id, Quote.text, Quote.first_seen, Speaker.name, Speaker.kind)
            .outerjoin(Speaker, Speaker.id == Quote.speaker_id)
            .where(Quote.id.in_(chunk))
        )
        for quote_id, text, first_seen, speaker, kind in rows:
            found[quote_id] = {
                "quote_id": quote_id, "text": text, "speaker": speaker, "speaker_kind": kind,
                "roles": [], "first_seen": _iso(first_seen), "sources": [],
            }
        roles = conn.execute(
            select(Mention.quote_id, Role.title, Role.organization)
            .join(Role, Role.id == Mention.role_id)
            .where(Mention.quote_id.in_(chunk))
            .order_by(Role.first_seen, Role.id)
        )
        for quote_id, title, organization in roles:
            text = role_text(title, organization)
            if text not in found[quote_id]["roles"]:
                found[quote_id]["roles"].append(text)
        link = func.coalesce(Article.url, Article.path)
        mentions = conn.execute(
            select(Mention.quote_id, Mention.article_id, Mention.group, Mention.text, Mention.role_text,
                   Outlet.name, link, Article.title, Article.published)
            .join(Article, Article.id == Mention.article_id)
            .outerjoin(Outlet, Outlet.id == Article.outlet_id)
            .where(Mention.quote_id.in_(chunk))
            .order_by(Article.published, link, Mention.article_id, Mention.quote_id, Mention.group, Mention.start)
        )
        # one source per printing: the pieces of a quote printed split or over paragraphs (one
        # extraction group of one article) joined, as deduplication compared them
        for (quote_id, *_), pieces in itertools.groupby(mentions, key=lambda row: row[:3]):
            first, *rest = pieces
            _, _, _, text, role, outlet, url, title, published = first
            found[quote_id]["sources"].append({
                "outlet": outlet, "url": url, "title": title, "published": _iso(published),
                "text": unit_text([text, *(row.text for row in rest)]),
                "role": role or next((row.role_text for row in rest if row.role_text), None),
            })
    return [found[quote_id] for quote_id in quote_ids if quote_id in found]


def search(
    engine: Engine,
    speaker: str | None = None,
    role: str | None = None,
    outlet: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    text: str | None = None,
    limit: int | None = None,
    min_confidence: float | None = None,
) -> list[dict]:
    """Quotes matching every given filter, oldest first, each with its roles and sources.

    ``speaker`` is part of the speaker's name or an alias; ``role`` part of a title (or title
    family) or organisation the speaker was given in one of the quote's sources, or an acronym
    some article defined for that organisation; ``outlet`` part of a
    source's outlet name or domain; ``since``/``until`` bound the date the quote was first seen;
    every word of ``text`` must occur in the quote; ``min_confidence`` keeps quotes some source
    attributes with at least that probability. All matching ignores case. SearchError
    for a filter longer than MAX_TERM_CHARS or a ``text`` of more than MAX_TEXT_WORDS words.
    """
    for name, value in (("speaker", speaker), ("role", role), ("outlet", outlet), ("text", text)):
        if value and len(value) > MAX_TERM_CHARS:
            raise SearchError(f"--{name} is {len(value)} characters long; at most {MAX_TERM_CHARS} are searched")
    if text and len(text.split()) > MAX_TEXT_WORDS:
        raise SearchError(f"--text has {len(text.split())} words; at most {MAX_TEXT_WORDS} are searched")
    query = select(Quote.id)
    if speaker:
        speaker_ids = union(
            select(Speaker.id).where(_contains(Speaker.name, speaker)),
            select(SpeakerAlias.speaker_id).where(_contains(SpeakerAlias.alias, speaker)),
        )
        query = query.where(Quote.speaker_id.in_(speaker_ids))
    if role:
        role_ids = select(Role.id).where(_role_matches(role))
        query = query.where(Quote.id.in_(select(Mention.quote_id).where(Mention.role_id.in_(role_ids))))
    if outlet:
        outlet_ids = select(Outlet.id).where(or_(_contains(Outlet.name, outlet), _contains(Outlet.domain, outlet)))
        article_ids = select(Article.id).where(Article.outlet_id.in_(outlet_ids))
        query = query.where(Quote.id.in_(select(Mention.quote_id).where(Mention.article_id.in_(article_ids))))
    if since:
        query = query.where(Quote.first_seen >= since)
    if until:
        query = query.where(Quote.first_seen <= until)
    for word in (text or "").split():
        query = query.where(_contains(Quote.text, word))
    if min_confidence:
        query = query.where(Quote.id.in_(select(Mention.quote_id).where(Mention.confidence >= min_confidence)))
    query = query.order_by(Quote.first_seen, Quote.id).limit(limit)
    with engine.connect() as conn:
        return _quote_details(conn, list(conn.scalars(query)))


def speakers(engine: Engine, role: str | None = None, limit: int | None = None) -> list[dict]:
    """Speakers with their number of quotes (most quoted first) and roles (latest first)."""
    count = func.count(Quote.id).label("quotes")
    query = (
        select(Speaker.id, Speaker.name, Speaker.kind, count)
        .join(Quote, Quote.speaker_id == Speaker.id)
        .group_by(Speaker.id, Speaker.name, Speaker.kind)
        .order_by(count.desc(), Speaker.name, Speaker.id)
        .limit(limit)
    )
    if role:
        query = query.where(Speaker.id.in_(select(Role.speaker_id).where(_role_matches(role))))
    with engine.connect() as conn:
        found = {
            row.id: {"speaker_id": row.id, "name": row.name, "kind": row.kind, "quotes": row.quotes, "roles": []}
            for row in conn.execute(query)
        }
        for chunk in _chunks(list(found)):
            roles = conn.execute(
                select(Role.speaker_id, Role.title, Role.organization)
                .where(Role.speaker_id.in_(chunk))
                .order_by(Role.last_seen.desc(), Role.id)
            )
            for speaker_id, title, organization in roles:
                found[speaker_id]["roles"].append(role_text(title, organization))
    return list(found.values())


def speaker_profile(engine: Engine, ref: str) -> dict:
    """One speaker by id, name or alias: aliases, role timeline with the articles showing each role, quotes per outlet.

    Raises quotes.store.speakers.SpeakerNotFound or AmbiguousSpeaker (both LookupError).
    """
    with Session(engine) as db:
        speaker = find_speaker(db, ref)
        aliases = db.execute(
            select(SpeakerAlias.alias, SpeakerAlias.origin)
            .where(SpeakerAlias.speaker_id == speaker.id, SpeakerAlias.alias != speaker.name)
            .order_by(SpeakerAlias.alias)
        )
        roles = {
            role.id: {"title": role.title, "organization": role.organization,
                      "role": role_text(role.title, role.organization),
                      "first_seen": _iso(role.first_seen), "last_seen": _iso(role.last_seen), "sources": []}
            for role in db.scalars(select(Role).where(Role.speaker_id == speaker.id)
                                   .order_by(Role.first_seen, Role.last_seen, Role.id))
        }
        sources = db.execute(
            select(Mention.role_id, Article.published, Outlet.name, func.coalesce(Article.url, Article.path),
                   Article.title)
            .join(Article, Article.id == Mention.article_id)
            .outerjoin(Outlet, Outlet.id == Article.outlet_id)
            .where(Mention.speaker_id == speaker.id, Mention.role_id.is_not(None))
            .distinct()
            .order_by(Mention.role_id, Article.published, func.coalesce(Article.url, Article.path))
        )
        for role_id, published, outlet, url, title in sources:
            roles[role_id]["sources"].append({"published": _iso(published), "outlet": outlet, "url": url,
                                              "title": title})
        quotes = func.count(distinct(Mention.quote_id)).label("quotes")
        outlets = db.execute(
            select(Outlet.name, quotes)
            .select_from(Mention)
            .join(Article, Article.id == Mention.article_id)
            .outerjoin(Outlet, Outlet.id == Article.outlet_id)
            .where(Mention.speaker_id == speaker.id)
            .group_by(Outlet.name)
            .order_by(quotes.desc(), Outlet.name)
        )
        return {
            "speaker_id": speaker.id, "name": speaker.name, "kind": speaker.kind, "external_id": speaker.external_id,
            "quotes": db.scalar(select(func.count()).where(Quote.speaker_id == speaker.id)),
            "aliases": [{"alias": alias, "origin": origin} for alias, origin in aliases],
            "roles": list(roles.values()),
            "outlets": [{"outlet": outlet, "quotes": n} for outlet, n in outlets],
        }


def show_quote(engine: Engine, quote_id: int) -> dict | None:
    """One quote with every source, its own wording and how it differs from the canonical wording,
    and the quotes giving the same words to another speaker (possible misattributions); None when
    there is no such quote.

    Each source's ``differences`` are quotes.dedup.word_diff runs as ``{"op", "words"}``.
    """
    with engine.connect() as conn:
        details = _quote_details(conn, [quote_id])
        if not details:
            return None
        conflicts = conn.execute(
            select(quote_conflicts.c.other_quote_id, quote_conflicts.c.other_speaker, quote_conflicts.c.other_quote)
            .where(quote_conflicts.c.quote_id == quote_id)
            .distinct()
            .order_by(quote_conflicts.c.other_quote_id)
        )
        quote = details[0]
        quote["conflicts"] = [{"quote_id": other, "speaker": speaker, "text": text} for other, speaker, text in conflicts]
    for source in quote["sources"]:
        source["differences"] = [{"op": op, "words": words} for op, words in word_diff(source["text"], quote["text"])]
    return quote
