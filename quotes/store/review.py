"""Review speaker identities: what a person should look at, and the fixes ``rename`` and ``kind``.

:func:`review` lists weak links (a name linked by a rule no role confirmed), speakers whose name
is no plausible name ("Tuesday", "From"), and people that look like organisations and back.
Every fix records the old name as a user alias, so later articles naming it follow the fix.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from quotes.lexicon import HONORIFICS, NOT_PERSON_WORDS, ORGANIZATION_ENDINGS, ORGANIZATION_NOUNS
from quotes.names import name_key
from quotes.store.db import writer
from quotes.store.schema import Article, Mention, Speaker, SpeakerLink
from quotes.store.speakers import USER, WEAK_LINK, set_name, add_alias, find_speaker

#: The kinds a person may give a speaker by hand.
KINDS = ("person", "organization")
#: A name longer than this many words is a headline fragment, not a name.
MAX_NAME_WORDS = 6


def name_doubt(name: str) -> str | None:
    """Why ``name`` is not a plausible name ("a capitalised common word", ...), or None."""
    words = name.split()
    if len(words) == 1 and words[0].casefold().strip(".,") in NOT_PERSON_WORDS:
        return "a common word, not a name"
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
    """What to review: ``weak_links``, ``names`` (implausible) and ``kinds`` (doubtful), each at most ``limit``."""
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
        return {
            "weak_links": [{"printed": printed, "how": how, "score": score, "speaker_id": sid, "speaker": name,
                            "article_id": article_id, "link": link}
                           for printed, how, score, sid, name, link, article_id in weak],
            "names": [{"speaker_id": s.id, "speaker": s.name, "mentions": s.mentions, "why": why}
                      for s in speakers if (why := name_doubt(s.name))][:limit],
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
