"""Review speaker identities: what a person should look at, and the fixes ``rename``, ``kind`` and ``split``.

:func:`review` lists weak links (a name linked by a rule no role confirmed), speakers whose name
is no plausible name ("Tuesday", "From"), bare surnames several people share, and people that
look like organisations and back.
Every fix records the old name as a user alias, so later articles naming it follow the fix.
"""

from __future__ import annotations

import itertools
import re

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, aliased

from quotes.lexicon import HONORIFICS, NOT_PERSON_WORDS, ORGANIZATION_ENDINGS, ORGANIZATION_NOUNS, TITLE_WORDS
from quotes.mention import unit_text
from quotes.names import name_key
from quotes.store.clustering import assign_quote
from quotes.store.db import writer
from quotes.store.schema import Article, Mention, Quote, QuoteFingerprint, QuoteWording, Role, Speaker, SpeakerLink
from quotes.store.speakers import USER, WEAK_LINK, add_alias, find_speaker, new_speaker, set_name

#: The kinds a person may give a speaker by hand.
KINDS = ("person", "organization")
#: A name longer than this many words is a headline fragment, not a name.
MAX_NAME_WORDS = 6


def name_doubt(name: str, kind: str = "person") -> str | None:
    """Why ``name`` is not a plausible name of a speaker of ``kind`` ("a capitalised common word", ...), or None."""
    words = name.split()
    if len(words) == 1 and words[0].casefold().strip(".,") in NOT_PERSON_WORDS:
        return "a common word, not a name"
    if kind == "person" and len(words) > 1 and words[0].casefold().strip(".,") in NOT_PERSON_WORDS | TITLE_WORDS:
        return f"starts with {words[0]!r}, which no name starts with"
    if re.search(r"\d", name):
        return "holds a number"
    if len(words) > MAX_NAME_WORDS:
        return "too long for a name: a headline fragment?"
    if name == name.lower():
        return "no capital letter"
    return None


def kind_doubt(name: str, kind: str) -> str | None:
    """Why a speaker of ``kind`` looks like the other kind, or None."""
    words = name.casefold().split()
    if kind == "person" and words and (words[-1] in ORGANIZATION_ENDINGS or words[-1] in ORGANIZATION_NOUNS):
        return "a person named like an organisation"
    if kind == "organization" and len(words) >= 2 and words[0] in HONORIFICS:
        return "an organisation named like a person"
    return None


def review(engine: Engine, limit: int = 200) -> dict[str, list[dict]]:
    """What to review, each list at most ``limit`` long: ``weak_links``, ``surnames`` (a bare surname left
    apart because several stored people share it), ``names`` (implausible) and ``kinds`` (doubtful)."""
    with Session(engine) as db:
        weak = db.execute(
            select(SpeakerLink.name, SpeakerLink.how, SpeakerLink.score, Speaker.id, Speaker.name,
                   func.coalesce(Article.url, Article.path), Article.id)
            .join(Speaker, Speaker.id == SpeakerLink.speaker_id).join(Article, Article.id == SpeakerLink.article_id)
            .where(SpeakerLink.score < WEAK_LINK).order_by(SpeakerLink.score, SpeakerLink.id).limit(limit))
        quoted = (select(Speaker.id, Speaker.name, Speaker.kind, func.count(Mention.id).label("mentions"))
                  .join(Mention, Mention.speaker_id == Speaker.id).where(Speaker.kind != "anonymous")
                  .group_by(Speaker.id, Speaker.name, Speaker.kind).order_by(Speaker.id))
        speakers = db.execute(quoted).all()
        full = aliased(Speaker)
        shared = db.execute(
            select(Speaker.id, Speaker.name, func.count(full.id))
            .join(full, (full.surname_key == Speaker.surname_key) & full.given_key.is_not(None))
            .where(Speaker.kind == "person", Speaker.given_key.is_(None), full.kind == "person")
            .group_by(Speaker.id, Speaker.name).order_by(Speaker.id).limit(limit))
        return {
            "surnames": [{"speaker_id": sid, "speaker": name, "people": people,
                          "why": f"a surname {people} stored people share: merge it into the right one"}
                         for sid, name, people in shared],
            "weak_links": [{"printed": printed, "how": how, "score": score, "speaker_id": sid, "speaker": name,
                            "article_id": article_id, "link": link}
                           for printed, how, score, sid, name, link, article_id in weak],
            "names": [{"speaker_id": s.id, "speaker": s.name, "mentions": s.mentions, "why": why}
                      for s in speakers if (why := name_doubt(s.name, s.kind))][:limit],
            "kinds": [{"speaker_id": s.id, "speaker": s.name, "kind": s.kind, "mentions": s.mentions, "why": why}
                      for s in speakers if (why := kind_doubt(s.name, s.kind))][:limit],
        }


def _refuse_namesake(db: Session, speaker: Speaker, name: str, kind: str) -> None:
    other = db.scalar(select(Speaker).where(Speaker.name_key == name_key(name), Speaker.kind == kind,
                                            Speaker.id != speaker.id))
    if other is not None:
        raise ValueError(f"{other.name!r} (#{other.id}) is already a {kind}: "
                         f"`quotes speakers merge {other.id} {speaker.id}` joins the two")


def rename(engine: Engine, ref: str, new_name: str) -> str:
    """Give the speaker ``ref`` names (name, alias or id) the canonical name ``new_name``; its old name stays an alias."""
    new_name = " ".join(new_name.split())
    if not new_name:
        raise ValueError("a speaker's name cannot be empty")
    with Session(writer(engine)) as db, db.begin():
        speaker = find_speaker(db, ref)
        _refuse_namesake(db, speaker, new_name, speaker.kind)
        old = speaker.name
        set_name(speaker, new_name)
        add_alias(db, speaker, old, USER)
        add_alias(db, speaker, new_name, USER)
        return old


def set_kind(engine: Engine, ref: str, kind: str) -> str:
    """Make the speaker ``ref`` names a person or an organisation; returns its name."""
    if kind not in KINDS:
        raise ValueError(f"a speaker's kind is one of {', '.join(KINDS)}, not {kind!r}")
    with Session(writer(engine)) as db, db.begin():
        speaker = find_speaker(db, ref)
        _refuse_namesake(db, speaker, speaker.name, kind)
        speaker.kind = kind
        set_name(speaker, speaker.name)
        add_alias(db, speaker, speaker.name, USER)  # later articles naming it, as either kind, follow the fix
        return speaker.name


def split(engine: Engine, ref: str, article_id: int, new_name: str | None = None) -> tuple[str, int]:
    """Undo a wrong link: the mentions of speaker ``ref`` in article ``article_id`` go to a speaker of their own.

    That speaker is named ``new_name``, else as the article printed the name. A quote printed
    only by that article moves whole; one other articles printed too keeps theirs, and the
    article's wording becomes a quote of the new speaker. The link is recorded as the user's,
    so the article never rejoins the old speaker. Returns the new speaker's name and mentions moved.
    """
    with Session(writer(engine)) as db, db.begin():
        old = find_speaker(db, ref)
        moved = list(db.scalars(select(Mention).where(Mention.speaker_id == old.id, Mention.article_id == article_id)
                                .order_by(Mention.start)))
        if not moved:
            raise LookupError(f"{old.name!r} is not quoted in article {article_id}")
        link = db.scalar(select(SpeakerLink).where(SpeakerLink.speaker_id == old.id,
                                                   SpeakerLink.article_id == article_id))
        name = " ".join((new_name or (link.name if link else "")).split())
        if not name or name_key(name) == name_key(old.name):
            raise ValueError(f"the article names {old.name!r} as the speaker is named: give the new speaker --name")
        _refuse_namesake(db, old, name, old.kind)
        new = new_speaker(db, name, old.kind)
        add_alias(db, new, name, USER)
        for mention in moved:
            mention.speaker_id = new.id
            mention.role_id = _role_for(db, new, mention.role_id)
        _move_quotes(db, old.id, new.id, article_id, moved)
        if link is not None:
            link.speaker_id, link.how, link.score = new.id, "user", 1.0
        return name, len(moved)


def _role_for(db: Session, speaker: Speaker, role_id: int | None) -> int | None:
    """The speaker's role with the title and organisation of role ``role_id`` (created with its dates)."""
    if role_id is None:
        return None
    role = db.get_one(Role, role_id)
    same = db.scalar(select(Role).where(Role.speaker_id == speaker.id, Role.title == role.title,
                                        Role.organization == role.organization))
    if same is None:
        same = Role(speaker_id=speaker.id, title=role.title, organization=role.organization,
                    first_seen=role.first_seen, last_seen=role.last_seen)
        db.add(same)
        db.flush()
    return same.id


def _move_quotes(db: Session, old_id: int, new_id: int, article_id: int, moved: list[Mention]) -> None:
    """Quotes printed only in the article move whole; the others give the article's wording a quote of the new speaker."""
    by_quote: dict[int, list[Mention]] = {}
    for mention in moved:
        by_quote.setdefault(mention.quote_id, []).append(mention)
    for quote_id, mentions in by_quote.items():
        elsewhere = db.scalar(select(func.count()).where(Mention.quote_id == quote_id, Mention.article_id != article_id))
        if not elsewhere:
            db.execute(update(Quote).where(Quote.id == quote_id).values(speaker_id=new_id))
            for table in (QuoteWording, QuoteFingerprint):
                db.execute(update(table).where(table.quote_id == quote_id).values(speaker_id=new_id))
            continue
        seen = db.get_one(Quote, quote_id).first_seen
        for _, pieces in itertools.groupby(mentions, key=lambda m: m.group):
            pieces = list(pieces)
            quote_id, _ = assign_quote(db, new_id, unit_text(p.text for p in pieces), seen)
            for piece in pieces:
                piece.quote_id = quote_id
    db.flush()
