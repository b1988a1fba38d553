"""One speaker's profile: aliases, role timeline with the articles showing each role, quotes per outlet.

Finding the speaker by name, alias or id follows quotes.store.speakers' rules (the ORM), so this
is the one query module that loads SQLAlchemy whatever the database.
"""

from __future__ import annotations

from sqlalchemy import Engine, distinct, func, select
from sqlalchemy.orm import Session

from quotes.mention import role_text
from quotes.store.query import iso as _iso
from quotes.store.schema import Article, Mention, Outlet, Quote, Role, SpeakerAlias
from quotes.store.speakers import find_speaker


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
