"""Store articles and their extracted mentions: speakers, roles, deduplicated quotes; many articles a transaction.

Storing is idempotent: an article already in the database (same canonical URL, or same content
hash under any URL) adds nothing, and a run killed half-way leaves only whole articles. Ingest
stores a batch of articles per transaction, each in a savepoint (:func:`writing`): a commit per
article would cost more than the article. The statements every article runs are Core statements
built once, since building and running ORM statements was most of the cost of storing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from sqlalchemy import Engine, Select, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from quotes.article import Article, ReadError, canonical_url
from quotes.mention import Mention, unit_text
from quotes.names import (
    RoleKey,
    acronyms,
    is_name_form,
    name_key,
    normalize_organization,
    person_name,
    speaker_key,
    title_family,
)
from quotes.store import schema
from quotes.store.clustering import assign_quote, new_quote
from quotes.store.db import writer
from quotes.store.speakers import (
    LINK_SCORES,
    ORIGIN_STRENGTH,
    SEEN,
    VARIANT,
    known_expansion,
    resolve,
    spell_out,
)

@dataclass
class IngestResult:
    """What an ingest run did: articles stored and skipped, mentions and new quotes, input errors."""

    articles: int = 0
    skipped: int = 0
    mentions: int = 0
    quotes: int = 0
    errors: list[ReadError] = field(default_factory=list)

    def __iadd__(self, other: IngestResult) -> IngestResult:
        self.articles += other.articles
        self.skipped += other.skipped
        self.mentions += other.mentions
        self.quotes += other.quotes
        self.errors += other.errors
        return self


def _domain(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


_ARTICLES, _OUTLETS, _ROLES = schema.Article.__table__, schema.Outlet.__table__, schema.Role.__table__
_MENTIONS, _LINKS, _ALIASES = schema.Mention.__table__, schema.SpeakerLink.__table__, schema.SpeakerAlias.__table__

# Statements every article runs, built once (see quotes.store.clustering): each index is named in the comment.
_BY_HASH = select(_ARTICLES.c.id).where(_ARTICLES.c.content_hash == bindparam("hash")).limit(1)  # unique
_BY_HASH_OR_URL = select(_ARTICLES.c.id).where(  # both unique: a multi-index OR
    or_(_ARTICLES.c.content_hash == bindparam("hash"), _ARTICLES.c.canonical_url == bindparam("url"))).limit(1)
_NEW_ARTICLE = insert(_ARTICLES).returning(_ARTICLES.c.id)
_OUTLET = select(_OUTLETS.c.id, _OUTLETS.c.domain).where(func.lower(_OUTLETS.c.name) == bindparam("name"))
_NEW_OUTLET = insert(_OUTLETS).returning(_OUTLETS.c.id)
_NEW_ROLE = insert(_ROLES).returning(_ROLES.c.id)
_ROLE_DATES = update(_ROLES).where(_ROLES.c.id == bindparam("role")).values(
    first_seen=bindparam("first"), last_seen=bindparam("last"))
_ALIASES_OF = select(_ALIASES.c.speaker_id, _ALIASES.c.alias, _ALIASES.c.origin).where(  # primary key
    _ALIASES.c.speaker_id.in_(bindparam("speakers", expanding=True)))
_ALIAS_ORIGIN = update(_ALIASES).where(_ALIASES.c.speaker_id == bindparam("speaker"),
                                       _ALIASES.c.alias == bindparam("name")).values(origin=bindparam("new_origin"))


def _role_query(title: bool, organization: bool) -> Select:
    """The speaker's latest role agreeing with the parts given (unique (speaker_id, title, organization) index)."""
    query = select(_ROLES.c.id, _ROLES.c.first_seen, _ROLES.c.last_seen).where(
        _ROLES.c.speaker_id == bindparam("speaker"))
    if title:
        query = query.where(func.lower(_ROLES.c.title) == bindparam("title"))
    if organization:
        query = query.where(func.lower(_ROLES.c.organization) == bindparam("organization"))
    return query.order_by(_ROLES.c.last_seen.desc(), _ROLES.c.id.desc()).limit(1)


_FIND_ROLE = {(title, organization): _role_query(title, organization) for title in (False, True)
              for organization in (False, True)}


def find_article(db: Session, article: Article) -> int | None:
    """The id of the stored article that is this one, by content hash or canonical URL."""
    if article.url:
        return db.execute(_BY_HASH_OR_URL, {"hash": article.content_hash, "url": canonical_url(article.url)}).scalar()
    return db.execute(_BY_HASH, {"hash": article.content_hash}).scalar()


class _ArticleWriter:
    """Stores one article's mentions inside the caller's transaction."""

    def __init__(self, db: Session, seen: dt.date, aliases: Mapping[str, str]) -> None:
        self.db = db
        self.seen = seen  # the article's date: publication, else ingestion
        self.aliases = aliases  # alias file: {alias key: canonical name}
        self.defined: dict[str, str] = {}  # acronyms the article defines
        self.organizations: dict[str, str] = {}  # organisation as printed -> as stored
        self.speakers: dict[tuple[str, str], tuple[schema.Speaker, str]] = {}  # (name key, kind) -> speaker, how
        self.names: dict[tuple[int, str], str] = {}  # (speaker id, alias) -> strongest origin, stored by aliases()
        self.new_quotes = 0
        self.outlet_id: int | None = None  # set by outlet()

    def outlet(self, article: Article) -> int | None:
        """The outlet's id by name (case-insensitive), created on first sight; None when unknown."""
        domain = _domain(article.url)
        name = (article.outlet or domain or "").strip()
        if not name:
            return None
        found = self.db.execute(_OUTLET, {"name": name.lower()}).first()
        if found is None:
            self.outlet_id = self.db.execute(_NEW_OUTLET, {"name": name, "domain": domain}).scalar_one()
        else:
            self.outlet_id = found.id
            if found.domain is None and domain is not None:
                self.db.execute(update(_OUTLETS).where(_OUTLETS.c.id == found.id).values(domain=domain))
        return self.outlet_id

    def store_acronyms(self, text: str) -> None:
        """Store the acronyms the article defines; one now defined one way only renames roles using it."""
        self.defined = acronyms(text)
        for short, long in self.defined.items():
            if self.db.get(schema.Acronym, (short, long)) is None:
                self.db.add(schema.Acronym(acronym=short, expansion=long))
                self.db.flush()
                if known_expansion(self.db, short) == long:
                    spell_out(self.db, short, long)

    def role_key(self, mention: Mention) -> RoleKey:
        """The mention's role as stored: title family, organisation normalised through every known acronym."""
        printed = mention.organization or ""
        if printed not in self.organizations:
            organization = normalize_organization(printed, self.defined) or ""
            self.organizations[printed] = organization and (known_expansion(self.db, organization) or organization)
        return title_family(mention.title), self.organizations[printed]

    def _key(self, mention: Mention) -> tuple[str, str]:
        return speaker_key(mention.speaker or "", mention.speaker_kind)

    def resolve_speakers(self, article_id: int, mentions: Iterable[Mention]) -> None:
        """Find or create the speaker of each name the article quotes, judged by every role it gives that name,
        and record each link with its evidence score."""
        names: dict[tuple[str, str], str] = {}
        roles: dict[tuple[str, str], set[RoleKey]] = defaultdict(set)
        for mention in mentions:
            if mention.speaker:
                key = self._key(mention)
                anonymous = key[1] == "anonymous"
                names.setdefault(key, mention.speaker if anonymous else self.aliases.get(key[0], mention.speaker))
                role = self.role_key(mention)
                if any(role):
                    roles[key].add(role)
        links = []
        for key, name in names.items():
            speaker, how = self.speakers[key] = resolve(self.db, name, key[1], roles[key], self.outlet_id)
            links.append({"article_id": article_id, "speaker_id": speaker.id, "name": name, "how": how,
                          "score": LINK_SCORES[how]})
        if links:
            self.db.execute(insert(_LINKS), links)

    def _alias(self, speaker: schema.Speaker, alias: str, origin: str) -> None:
        """Note another name of the speaker (as quotes.store.speakers.add_alias records it), kept by aliases()."""
        key = (speaker.id, " ".join(alias.split()))
        if key not in self.names or ORIGIN_STRENGTH[origin] > ORIGIN_STRENGTH[self.names[key]]:
            self.names[key] = origin

    def aliases_seen(self) -> None:
        """Store the names noted for the article's speakers: new ones added, stronger origins kept."""
        if not self.names:
            return
        speakers = sorted({speaker_id for speaker_id, _ in self.names})
        stored = {(row.speaker_id, row.alias): row.origin for row in self.db.execute(_ALIASES_OF, {"speakers": speakers})}
        new = [{"speaker_id": speaker_id, "alias": alias, "alias_key": name_key(alias), "origin": origin}
               for (speaker_id, alias), origin in self.names.items() if (speaker_id, alias) not in stored]
        if new:
            self.db.execute(insert(_ALIASES), new)
        for (speaker_id, alias), origin in self.names.items():
            if (speaker_id, alias) in stored and ORIGIN_STRENGTH[origin] > ORIGIN_STRENGTH[stored[speaker_id, alias]]:
                self.db.execute(_ALIAS_ORIGIN, {"speaker": speaker_id, "name": alias, "new_origin": origin})

    def speaker(self, mention: Mention) -> schema.Speaker:
        """The mention's speaker (resolved by resolve_speakers), with the names it goes by here as aliases."""
        speaker, how = self.speakers[self._key(mention)]
        self._alias(speaker, mention.speaker, VARIANT if how == "variant" else SEEN)
        said_by = mention.speaker_mention
        if said_by and speaker.kind != "anonymous" and is_name_form(said_by.text):
            self._alias(speaker, said_by.text, SEEN)
        return speaker

    def role(self, speaker: schema.Speaker, mention: Mention) -> int | None:
        """The id of the speaker's role for the mention's title family and organisation, its dates widened to
        this article; a part given matches case-insensitively, so "the coordinator" joins "NSC coordinator"."""
        title, organization = self.role_key(mention)
        if not title and not organization:
            return None
        query = _FIND_ROLE[bool(title), bool(organization)]
        found = self.db.execute(query, {"speaker": speaker.id, "title": title.lower(),
                                        "organization": organization.lower()}).first()
        if found is None:
            return self.db.execute(_NEW_ROLE, {"speaker_id": speaker.id, "title": title, "organization": organization,
                                               "first_seen": self.seen, "last_seen": self.seen}).scalar_one()
        if not found.first_seen <= self.seen <= found.last_seen:
            self.db.execute(_ROLE_DATES, {"role": found.id, "first": min(found.first_seen, self.seen),
                                          "last": max(found.last_seen, self.seen)})
        return found.id

    def quote(self, speaker: schema.Speaker | None, text: str) -> int:
        """The id of the speaker's quote these words belong to (quotes.store.clustering), else of a new one.

        A mention without speaker is always a quote of its own: there is no one to deduplicate by.
        """
        if speaker is None:
            quote_id, new = new_quote(self.db, None, text, self.seen), True
        else:
            quote_id, new = assign_quote(self.db, speaker.id, text, self.seen)
        self.new_quotes += new
        return quote_id

    def unit(self, article_id: int, pieces: list[Mention]) -> None:
        """Store the pieces of one quote (several for a split or multi-paragraph quote) under one quote."""
        speaker = None
        for piece in pieces:  # one speaker for all pieces (see units); each piece's printed name becomes an alias
            if piece.speaker:
                speaker = self.speaker(piece)
        quote_id = self.quote(speaker, unit_text(piece.text for piece in pieces))
        rows = []
        for mention in pieces:
            said_by = mention.speaker_mention
            rows.append({
                "quote_id": quote_id, "article_id": article_id, "speaker_id": speaker.id if speaker else None,
                "role_id": self.role(speaker, mention) if speaker else None, "text": mention.text,
                "start": mention.start, "end": mention.end, "cue": mention.cue, "kind": mention.kind,
                "role_text": mention.role, "title": mention.title, "organization": mention.organization,
                "speaker_mention": said_by.text if said_by else None,
                "speaker_mention_start": said_by.start if said_by else None,
                "speaker_mention_end": said_by.end if said_by else None,
                "group": mention.group, "confidence": mention.confidence,
            })
        self.db.execute(insert(_MENTIONS), rows)  # now, before a later quote of the article can fold this one

    def units(self, mentions: Iterable[Mention]) -> list[list[Mention]]:
        """The article's mentions as quotes: the pieces sharing a ``group`` and a speaker, in article order."""
        units: dict[tuple[int, tuple[str, str] | None], list[Mention]] = {}
        for mention in sorted(mentions, key=lambda m: m.start):
            units.setdefault((mention.group, self._key(mention) if mention.speaker else None), []).append(mention)
        return list(units.values())

    def write(self, article: Article, mentions: Iterable[Mention], now: dt.datetime) -> IngestResult:
        """Store the article (not stored yet) and its mentions."""
        self.store_acronyms(article.text)
        article_id = self.db.execute(_NEW_ARTICLE, {
            "url": article.url, "canonical_url": canonical_url(article.url) if article.url else None,
            "outlet_id": self.outlet(article), "title": article.title, "published": article.published,
            "content_hash": article.content_hash, "ingested_at": now, "external_id": article.id,
            "path": article.path, "body": article.text,
        }).scalar_one()
        # "March Rubio" from "In March Rubio said": the parser's name, cleaned before it names a speaker
        mentions = [replace(m, speaker=person_name(m.speaker)) if m.speaker and m.speaker_kind == "person" else m
                    for m in mentions]
        self.resolve_speakers(article_id, mentions)
        for pieces in self.units(mentions):
            self.unit(article_id, pieces)
        self.aliases_seen()
        return IngestResult(articles=1, mentions=len(mentions), quotes=self.new_quotes)


class ArticleBatch:
    """Stores articles in one open transaction, each in a savepoint of its own: one that fails leaves no trace
    and the others stay; nothing is kept until the transaction commits (see :func:`writing`)."""

    def __init__(self, db: Session, now: dt.datetime | None, aliases: Mapping[str, str]) -> None:
        self.db = db
        self.now = now
        self.aliases = aliases

    def store(self, article: Article, mentions: Iterable[Mention]) -> IngestResult:
        """Store one article and its mentions; nothing happens when it is already stored."""
        if find_article(self.db, article) is not None:
            return IngestResult(skipped=1)
        now = self.now or dt.datetime.now(dt.UTC)
        try:
            with self.db.begin_nested():
                return _ArticleWriter(self.db, article.published or now.date(), self.aliases).write(article, mentions, now)
        finally:
            self.db.expire_all()  # speakers and roles loaded here may have changed under a later article


@contextmanager
def writing(engine: Engine, now: dt.datetime | None = None,
            aliases: Mapping[str, str] | None = None) -> Iterator[ArticleBatch]:
    """An :class:`ArticleBatch` whose articles commit together when the block ends (roll back when it raises).

    ``aliases`` maps alias keys to canonical names (the alias file, see quotes.store.speakers);
    ``now`` is the ingestion time (the clock's at each article when None).
    """
    with Session(writer(engine)) as db, db.begin():
        yield ArticleBatch(db, now, aliases or {})


def store_article(
    engine: Engine,
    article: Article,
    mentions: Iterable[Mention],
    now: dt.datetime | None = None,
    aliases: Mapping[str, str] | None = None,
) -> IngestResult:
    """Store one article and its mentions in a transaction of its own; nothing happens when it is already stored."""
    with writing(engine, now, aliases) as batch:
        return batch.store(article, mentions)
