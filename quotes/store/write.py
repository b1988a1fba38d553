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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from sqlalchemy import Engine, Row, Select, bindparam, func, insert, or_, select, text, update
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
from quotes.store.articles import forget_mentions
from quotes.store.db import writer
from quotes.store.directory import ORIGIN_STRENGTH, SEEN, VARIANT, Directory
from quotes.store.placing import Placer
from quotes.store.speakers import (
    LINK_SCORES,
    adopt_surname,
    drop_unused,
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


@dataclass
class Restored:
    """What re-extracting one article did: the mentions it had, what was stored, and whether anything changed."""

    replaced: int
    stored: IngestResult
    changed: bool


def _domain(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


_ARTICLES, _OUTLETS, _ROLES = schema.Article.__table__, schema.Outlet.__table__, schema.Role.__table__
_MENTIONS, _LINKS, _ALIASES = schema.Mention.__table__, schema.SpeakerLink.__table__, schema.SpeakerAlias.__table__
_SPEAKERS = schema.Speaker.__table__

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
_USES_ACRONYM = select(_ROLES.c.id).where(_ROLES.c.organization == bindparam("acronym")).limit(1)  # what spell_out scans
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


_STAGE = "CREATE TEMPORARY TABLE IF NOT EXISTS staged_articles (pos INTEGER, content_hash TEXT, canonical_url TEXT)"
_STAGED_PRESENT = text(  # each staged row looks up the two unique indexes of articles
    "SELECT s.pos FROM staged_articles s WHERE EXISTS (SELECT 1 FROM articles a WHERE a.content_hash = s.content_hash)"
    " OR EXISTS (SELECT 1 FROM articles a WHERE a.canonical_url = s.canonical_url)")


def already_stored(engine: Engine, articles: Sequence[Article]) -> set[int]:
    """The positions in ``articles`` of those the store holds already (as :func:`find_article` finds them), in
    one look-up: their keys go into a staging table (PostgreSQL's COPY, SQLite one executemany) joined to articles."""
    keys = [(pos, article.content_hash, canonical_url(article.url) if article.url else None)
            for pos, article in enumerate(articles)]
    with engine.begin() as conn:
        conn.execute(text(_STAGE))
        conn.execute(text("DELETE FROM staged_articles"))
        if conn.dialect.name == "postgresql":
            with conn.connection.driver_connection.cursor().copy(
                    "COPY staged_articles (pos, content_hash, canonical_url) FROM STDIN") as copy:
                for row in keys:
                    copy.write_row(row)
        elif keys:
            conn.execute(text("INSERT INTO staged_articles VALUES (:pos, :hash, :url)"),
                         [{"pos": pos, "hash": key, "url": url} for pos, key, url in keys])
        present = set(conn.execute(_STAGED_PRESENT).scalars())
        conn.execute(text("DELETE FROM staged_articles"))
    return present


#: The columns of a mention that extraction gives, in the order of _stored_fields.
_FIELDS = ("start", "end", "text", "kind", "cue", "role_text", "title", "organization", "speaker_mention",
           "speaker_mention_start", "speaker_mention_end", "group", "confidence")
_STORED_MENTIONS = (select(*(_MENTIONS.c[name] for name in _FIELDS), _SPEAKERS.c.kind.label("speaker_kind"),
                           _MENTIONS.c.speaker_id)
                    .outerjoin(_SPEAKERS, _SPEAKERS.c.id == _MENTIONS.c.speaker_id)
                    .where(_MENTIONS.c.article_id == bindparam("article")))  # unique (article_id, start, end)


def _stored_fields(mention: Mention) -> tuple:
    """The mention's values of the _FIELDS columns."""
    said_by = mention.speaker_mention
    return (mention.start, mention.end, mention.text, mention.kind, mention.cue, mention.role, mention.title,
            mention.organization, said_by.text if said_by else None, said_by.start if said_by else None,
            said_by.end if said_by else None, mention.group, mention.confidence)


def _cleaned(mentions: Iterable[Mention]) -> list[Mention]:
    """The mentions with each person's name cleaned before it names a speaker: the parser's "March Rubio"
    (from "In March Rubio said") is "Rubio"."""
    return [replace(m, speaker=person_name(m.speaker)) if m.speaker and m.speaker_kind == "person" else m
            for m in mentions]


def _given_name(mention: Mention, aliases: Mapping[str, str]) -> str:
    """The name the mention's speaker is linked by: as the article gives it, or as the alias file names it."""
    assert mention.speaker
    return mention.speaker if mention.speaker_kind == "anonymous" else aliases.get(name_key(mention.speaker),
                                                                                  mention.speaker)


class _ArticleWriter:
    """Stores one article's mentions inside the caller's transaction."""

    def __init__(self, db: Session, seen: dt.date, aliases: Mapping[str, str],
                 pinned: Mapping[str, int] | None = None, placer: Placer | None = None,
                 known: Directory | None = None) -> None:
        self.db = db
        self.known = known or Directory(db)  # the stored speakers names resolve to: the batch's, else its own
        #: where the article's quotes wait to be placed: the batch's (written when the batch ends), else its own
        self.placer = placer or Placer()
        self.placing_now = placer is None
        self.seen = seen  # the article's date: publication, else ingestion
        self.aliases = aliases  # alias file: {alias key: canonical name}
        self.pinned = pinned or {}  # name key -> the speaker a person linked the article's name to (split)
        self.defined: dict[str, str] = {}  # acronyms the article defines
        self.organizations: dict[str, str] = {}  # organisation as printed -> as stored
        self.speakers: dict[tuple[str, str], tuple[schema.Speaker, str]] = {}  # (name key, kind) -> speaker, how
        self.names: dict[tuple[int, str], str] = {}  # (speaker id, alias) -> strongest origin, stored by aliases()
        self.outlet_id: int | None = None  # set by outlet()
        self.article_id: int | None = None  # set by write_mentions()
        self.roles: dict[tuple[int, str, str], int] = {}  # (speaker id, title, organisation) -> role, by role()

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
                self.known.acronym_added(short)
                if self.known.expansion(short) == long:
                    if self.db.execute(_USES_ACRONYM, {"acronym": short}).first():
                        self.placer.flush(self.db)  # the queued mentions name the roles spell_out folds
                        spell_out(self.db, short, long)
                    self.known.spelled_out(short, long)

    def role_key(self, mention: Mention) -> RoleKey:
        """The mention's role as stored: title family, organisation normalised through every known acronym."""
        printed = mention.organization or ""
        if printed not in self.organizations:
            organization = normalize_organization(printed, self.defined) or ""
            self.organizations[printed] = organization and (self.known.expansion(organization) or organization)
        return title_family(mention.title), self.organizations[printed]

    def _key(self, mention: Mention) -> tuple[str, str]:
        return speaker_key(mention.speaker or "", mention.speaker_kind)

    def unchanged(self, article_id: int, mentions: list[Mention], links: Iterable[Row]) -> bool:
        """Whether ``mentions`` are the article's stored mentions: the same words, cues, roles and confidence,
        each said by a speaker of the same kind that the article's link of the same name points to."""
        names: dict[int, set[str]] = defaultdict(set)
        for link in links:
            names[link.speaker_id].add(name_key(link.name))
        stored = {(row.start, row.end): row for row in self.db.execute(_STORED_MENTIONS, {"article": article_id})}
        if len(stored) != len(mentions):
            return False
        for mention in mentions:
            row = stored.get((mention.start, mention.end))
            if row is None or tuple(row)[:-2] != _stored_fields(mention):
                return False
            if mention.speaker is None:
                if row.speaker_id is not None:
                    return False
            elif (row.speaker_kind != (mention.speaker_kind or "person")
                  or name_key(_given_name(mention, self.aliases)) not in names[row.speaker_id]):
                return False
        return True

    def resolve_speakers(self, article_id: int, mentions: Iterable[Mention]) -> None:
        """Find or create the speaker of each name the article quotes, judged by every role it gives that name,
        and record each link with its evidence score."""
        names: dict[tuple[str, str], str] = {}
        roles: dict[tuple[str, str], set[RoleKey]] = defaultdict(set)
        for mention in mentions:
            if mention.speaker:
                key = self._key(mention)
                names.setdefault(key, _given_name(mention, self.aliases))
                role = self.role_key(mention)
                if any(role):
                    roles[key].add(role)
        links = []
        self.known.ensure((name, kind) for (_, kind), name in names.items())
        for key, name in names.items():
            pinned = self.pinned.get(key[0])
            speaker = self.db.get(schema.Speaker, pinned) if pinned else None
            speaker, how = self.speakers[key] = ((speaker, "user") if speaker else resolve(
                self.known, name, key[1], roles[key], self.outlet_id, self.placer.quoted(self.outlet_id)))
            links.append({"article_id": article_id, "speaker_id": speaker.id, "name": name, "how": how,
                          "score": LINK_SCORES[how]})
        here = {speaker.id for speaker, _ in self.speakers.values()}
        for key, (speaker, how) in self.speakers.items():
            if how == "new":  # a full name first seen now takes in the bare surname stored before it
                adopt_surname(self.known, speaker, roles[key], keep=here - {speaker.id},
                              before_merge=lambda: self.placer.flush(self.db))
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
        if all(speaker_id in self.known.speakers for speaker_id in speakers):
            stored = {(speaker_id, alias): origin for speaker_id in speakers
                      for alias, origin in self.known.origins(speaker_id).items()}
        else:  # a speaker a person pinned the name to (re-extraction), not looked up by name
            stored = {(row.speaker_id, row.alias): row.origin
                      for row in self.db.execute(_ALIASES_OF, {"speakers": speakers})}
        new = [{"speaker_id": speaker_id, "alias": alias, "alias_key": name_key(alias), "origin": origin}
               for (speaker_id, alias), origin in self.names.items() if (speaker_id, alias) not in stored]
        if new:
            self.db.execute(insert(_ALIASES), new)
        for (speaker_id, alias), origin in self.names.items():
            if (speaker_id, alias) in stored and ORIGIN_STRENGTH[origin] > ORIGIN_STRENGTH[stored[speaker_id, alias]]:
                self.db.execute(_ALIAS_ORIGIN, {"speaker": speaker_id, "name": alias, "new_origin": origin})
                self.known.alias_added(speaker_id, alias, origin)
        for row in new:
            self.known.alias_added(row["speaker_id"], row["alias"], row["origin"])

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
        key = (speaker.id, title.lower(), organization.lower())
        if key in self.roles:  # the article's dates are in it already: the same answer as the last look-up
            return self.roles[key]
        try:  # the batch's directory knows every role of the speakers it read or created
            found = self.known.latest_role(speaker.id, key[1], key[2])
        except KeyError:
            query = _FIND_ROLE[bool(title), bool(organization)]
            found = self.db.execute(query, {"speaker": speaker.id, "title": key[1], "organization": key[2]}).first()
        if found is None or not found[1] <= self.seen <= found[2]:
            # a new role, or new dates, may change what other look-ups of the speaker find
            self.roles = {known: role for known, role in self.roles.items() if known[0] != speaker.id}
        if found is None:
            role = self.db.execute(_NEW_ROLE, {"speaker_id": speaker.id, "title": title, "organization": organization,
                                               "first_seen": self.seen, "last_seen": self.seen}).scalar_one()
            self.known.role_added(speaker.id, (title, organization), role, self.seen)
        else:
            role, first_seen, last_seen = found
            if not first_seen <= self.seen <= last_seen:
                first, last = min(first_seen, self.seen), max(last_seen, self.seen)
                self.db.execute(_ROLE_DATES, {"role": role, "first": first, "last": last})
                self.known.role_dates(speaker.id, role, first, last)
        self.roles[key] = role
        return role

    def unit(self, article_id: int, pieces: list[Mention]) -> None:
        """Queue the pieces of one quote (several for a split or multi-paragraph quote), to be stored under one
        quote (quotes.store.placing); a quote without speaker is always one of its own."""
        speaker = None
        for piece in pieces:  # one speaker for all pieces (see units); each piece's printed name becomes an alias
            if piece.speaker:
                speaker = self.speaker(piece)
        rows = [{"article_id": article_id, "speaker_id": speaker.id if speaker else None,
                 "role_id": self.role(speaker, mention) if speaker else None,
                 **dict(zip(_FIELDS, _stored_fields(mention), strict=True))} for mention in pieces]
        self.placer.add(speaker.id if speaker else None, unit_text(piece.text for piece in pieces), self.seen, rows,
                        self.outlet_id)

    def units(self, mentions: Iterable[Mention]) -> list[list[Mention]]:
        """The article's mentions as quotes: the pieces sharing a ``group`` and a speaker, in article order."""
        units: dict[tuple[int, tuple[str, str] | None], list[Mention]] = {}
        for mention in sorted(mentions, key=lambda m: m.start):
            units.setdefault((mention.group, self._key(mention) if mention.speaker else None), []).append(mention)
        return list(units.values())

    def write(self, article: Article, mentions: Iterable[Mention], now: dt.datetime,
              extractor: str | None) -> IngestResult:
        """Store the article (not stored yet) and its mentions."""
        article_id = self.db.execute(_NEW_ARTICLE, {
            "url": article.url, "canonical_url": canonical_url(article.url) if article.url else None,
            "outlet_id": self.outlet(article), "title": article.title, "published": article.published,
            "content_hash": article.content_hash, "ingested_at": now, "external_id": article.id,
            "path": article.path, "body": article.text, "extractor": extractor,
        }).scalar_one()
        return self.write_mentions(article_id, article.text, mentions)

    def write_mentions(self, article_id: int, text: str, mentions: Iterable[Mention]) -> IngestResult:
        """Store the mentions of the stored article ``article_id``, whose body is ``text``."""
        self.article_id = article_id
        self.store_acronyms(text)
        mentions = _cleaned(mentions)
        self.resolve_speakers(article_id, mentions)
        for pieces in self.units(mentions):
            self.unit(article_id, pieces)
        self.aliases_seen()
        if self.placing_now:
            self.placer.flush(self.db)
        return IngestResult(articles=1, mentions=len(mentions), quotes=self.placer.new[article_id])


class ArticleBatch:
    """Stores articles in one open transaction, each in a savepoint of its own: one that fails leaves no trace
    and the others stay; nothing is kept until the transaction commits (see :func:`writing`).

    ``together``: the articles' quotes are placed and written together when the batch ends (:meth:`settle`,
    quotes.store.placing) rather than article by article: the same rows, in a few statements.
    """

    def __init__(self, db: Session, now: dt.datetime | None, aliases: Mapping[str, str], extractor: str | None,
                 together: bool = False) -> None:
        self.db = db
        self.now = now
        self.aliases = aliases
        self.extractor = extractor
        self.placer = Placer(shared=True) if together else None
        self.known = Directory(db) if together else None  # the speakers the batch's names resolve to
        self.stored: list[tuple[int, IngestResult]] = []  # article id, what storing it did (its quotes: settle)
        self.keys: set[tuple[str, str]] = set()  # content hashes and canonical URLs of those stored looked_up

    def expect(self, mentions: Iterable[Mention]) -> None:
        """Read at once the stored speakers the names of these mentions, the batch's, can be resolved to; a batch
        storing its articles one at a time reads them article by article instead."""
        if self.known is not None:
            self.known.ensure(((_given_name(m, self.aliases), m.speaker_kind or "person")
                               for m in _cleaned(mentions) if m.speaker), new_people=True)

    def settle(self) -> None:
        """Place and write the quotes the batch holds back, and count each article's new quotes."""
        if self.placer is not None:
            self.placer.flush(self.db)
            for article_id, result in self.stored:
                result.quotes = self.placer.new[article_id]

    def store(self, article: Article, mentions: Iterable[Mention], extractor: str | None = None,
              looked_up: bool = False) -> IngestResult:
        """Store one article and its mentions (extracted by ``extractor``, default the batch's); nothing happens
        when it is already stored. ``looked_up``: the caller found it absent from the store before the batch
        began (already_stored), so only the batch's own articles are looked at."""
        # the keys find_article looks for, kept for the batch's own articles only when the store is not asked
        keys = ({("hash", article.content_hash)} | ({("url", canonical_url(article.url))} if article.url else set())
                if looked_up else set())
        if (keys & self.keys) if looked_up else find_article(self.db, article) is not None:
            return IngestResult(skipped=1)
        now = self.now or dt.datetime.now(dt.UTC)
        held = self.placer.snapshot() if self.placer is not None else None
        try:
            with self.db.begin_nested():
                writer = _ArticleWriter(self.db, article.published or now.date(), self.aliases, placer=self.placer,
                                        known=self.known)
                result = writer.write(article, mentions, now, extractor or self.extractor)
        except BaseException:
            if held is not None:  # the savepoint took back the article, and any quotes written during it
                self.placer.restore(held)
                self.known.forget()
            raise
        finally:
            self.db.expire_all()  # speakers and roles loaded here may have changed under a later article
        self.stored.append((writer.article_id, result))
        self.keys |= keys
        return result

    def restore(self, article_id: int, mentions: Iterable[Mention]) -> Restored:
        """Replace the stored article's mentions with ``mentions`` (a newer extractor's, over its stored body):
        what only the old ones held goes (quotes.store.articles.forget_mentions), a name a person linked to a
        speaker by hand (``speakers split``) stays linked to it, and speakers left with nothing are deleted.
        Mentions the same as the stored ones are left as they are, quote ids and all."""
        self.settle()  # what the batch holds back goes first
        try:
            with self.db.begin_nested():
                conn = self.db.connection()
                row = conn.execute(select(_ARTICLES.c.body, _ARTICLES.c.outlet_id, _ARTICLES.c.published,
                                          _ARTICLES.c.ingested_at).where(_ARTICLES.c.id == article_id)).one()
                links = conn.execute(select(_LINKS.c.name, _LINKS.c.speaker_id, _LINKS.c.how)
                                     .where(_LINKS.c.article_id == article_id)).all()
                writer = _ArticleWriter(self.db, row.published or row.ingested_at.date(), self.aliases,
                                        {name_key(link.name): link.speaker_id for link in links if link.how == "user"})
                writer.outlet_id = row.outlet_id
                mentions = _cleaned(mentions)
                conn.execute(update(_ARTICLES).where(_ARTICLES.c.id == article_id).values(extractor=self.extractor))
                if writer.unchanged(article_id, mentions, links):
                    return Restored(len(mentions), IngestResult(articles=1, mentions=len(mentions)), changed=False)
                before, _ = forget_mentions(conn, article_id)
                result = writer.write_mentions(article_id, row.body, mentions)
                drop_unused(self.db, {link.speaker_id for link in links})
                return Restored(before, result, changed=True)
        finally:
            self.db.expire_all()


@contextmanager
def writing(engine: Engine, now: dt.datetime | None = None, aliases: Mapping[str, str] | None = None,
            extractor: str | None = None, together: bool = False) -> Iterator[ArticleBatch]:
    """An :class:`ArticleBatch` whose articles commit together when the block ends (roll back when it raises);
    ``together`` places their quotes together then (see ArticleBatch).

    ``aliases`` maps alias keys to canonical names (the alias file, see quotes.store.speakers);
    ``now`` is the ingestion time (the clock's at each article when None); ``extractor`` the version
    of what extracted the mentions (quotes.extract.extractor_version), stored with each article.
    """
    with Session(writer(engine)) as db, db.begin():
        batch = ArticleBatch(db, now, aliases or {}, extractor, together)
        yield batch
        batch.settle()


def store_article(
    engine: Engine,
    article: Article,
    mentions: Iterable[Mention],
    now: dt.datetime | None = None,
    aliases: Mapping[str, str] | None = None,
    extractor: str | None = None,
) -> IngestResult:
    """Store one article and its mentions in a transaction of its own; nothing happens when it is already stored."""
    with writing(engine, now, aliases, extractor) as batch:
        return batch.store(article, mentions)
