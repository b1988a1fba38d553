"""Store one article and its extracted mentions: speakers, roles, deduplicated quotes, one transaction.

Storing is idempotent: an article already in the database (same canonical URL, or same content
hash under any URL) adds nothing, and a run killed half-way leaves only whole articles.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from quotes.article import Article, ReadError, canonical_url
from quotes.dedup import unit_text
from quotes.mention import Mention
from quotes.names import RoleKey, acronyms, is_name_form, name_key, normalize_organization, person_name, title_family
from quotes.store import schema
from quotes.store.clustering import TRAILING, assign_quote
from quotes.store.db import writer
from quotes.store.speakers import LINK_SCORES, SEEN, VARIANT, add_alias, known_expansion, resolve, spell_out

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


def find_article(db: Session, article: Article) -> int | None:
    """The id of the stored article that is this one, by content hash or canonical URL."""
    same = schema.Article.content_hash == article.content_hash
    if article.url:
        same = or_(same, schema.Article.canonical_url == canonical_url(article.url))
    return db.scalar(select(schema.Article.id).where(same).limit(1))


class _ArticleWriter:
    """Stores one article's mentions inside the caller's transaction."""

    def __init__(self, db: Session, seen: dt.date, aliases: Mapping[str, str]) -> None:
        self.db = db
        self.seen = seen  # the article's date: publication, else ingestion
        self.aliases = aliases  # alias file: {alias key: canonical name}
        self.defined: dict[str, str] = {}  # acronyms the article defines
        self.organizations: dict[str, str] = {}  # organisation as printed -> as stored
        self.speakers: dict[tuple[str, str], tuple[schema.Speaker, str]] = {}  # (name key, kind) -> speaker, how
        self.new_quotes = 0
        self.outlet_id: int | None = None  # set by outlet()

    def outlet(self, article: Article) -> int | None:
        """The outlet's id by name (case-insensitive), created on first sight; None when unknown."""
        domain = _domain(article.url)
        name = (article.outlet or domain or "").strip()
        if not name:
            return None
        outlet = self.db.scalar(select(schema.Outlet).where(func.lower(schema.Outlet.name) == name.lower()))
        if outlet is None:
            outlet = schema.Outlet(name=name, domain=domain)
            self.db.add(outlet)
        elif outlet.domain is None:
            outlet.domain = domain
        self.db.flush()
        self.outlet_id = outlet.id
        return outlet.id

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
        return name_key(mention.speaker or ""), mention.speaker_kind or "person"

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
        for key, name in names.items():
            speaker, how = self.speakers[key] = resolve(self.db, name, key[1], roles[key], self.outlet_id)
            self.db.add(schema.SpeakerLink(article_id=article_id, speaker_id=speaker.id, name=name, how=how,
                                           score=LINK_SCORES[how]))

    def speaker(self, mention: Mention) -> schema.Speaker:
        """The mention's speaker (resolved by resolve_speakers), with the names it goes by here as aliases."""
        speaker, how = self.speakers[self._key(mention)]
        add_alias(self.db, speaker, mention.speaker, VARIANT if how == "variant" else SEEN)
        said_by = mention.speaker_mention
        if said_by and speaker.kind != "anonymous" and is_name_form(said_by.text):
            add_alias(self.db, speaker, said_by.text, SEEN)
        return speaker

    def _find_role(self, speaker_id: int, title: str, organization: str) -> schema.Role | None:
        """The speaker's latest role agreeing with every part given, so "the coordinator" joins "NSC coordinator"."""
        query = select(schema.Role).where(schema.Role.speaker_id == speaker_id)
        for column, value in ((schema.Role.title, title), (schema.Role.organization, organization)):
            if value:
                query = query.where(func.lower(column) == value.lower())
        return self.db.scalars(query.order_by(schema.Role.last_seen.desc(), schema.Role.id.desc())).first()

    def role(self, speaker: schema.Speaker, mention: Mention) -> schema.Role | None:
        """The speaker's role row for the mention's title family and organisation, its dates widened to this article."""
        title, organization = self.role_key(mention)
        if not title and not organization:
            return None
        role = self._find_role(speaker.id, title, organization)
        if role is None:
            role = schema.Role(
                speaker_id=speaker.id, title=title, organization=organization,
                first_seen=self.seen, last_seen=self.seen,
            )
            self.db.add(role)
        else:
            role.first_seen = min(role.first_seen, self.seen)
            role.last_seen = max(role.last_seen, self.seen)
        self.db.flush()
        return role

    def quote(self, speaker: schema.Speaker | None, text: str) -> schema.Quote:
        """The speaker's quote these words belong to (quotes.store.clustering), else a new one.

        A mention without speaker is always a quote of its own: there is no one to deduplicate by.
        """
        if speaker is None:
            quote = schema.Quote(speaker_id=None, text=text.strip(TRAILING), first_seen=self.seen)
            self.db.add(quote)
            self.db.flush()
            new = True
        else:
            quote, new = assign_quote(self.db, speaker.id, text, self.seen)
        self.new_quotes += new
        return quote

    def unit(self, article_id: int, pieces: list[Mention]) -> None:
        """Store the pieces of one quote (several for a split or multi-paragraph quote) under one quote."""
        speaker = None
        for piece in pieces:  # one speaker for all pieces (see units); each piece's printed name becomes an alias
            if piece.speaker:
                speaker = self.speaker(piece)
        quote = self.quote(speaker, unit_text(piece.text for piece in pieces))
        for mention in pieces:
            role = self.role(speaker, mention) if speaker else None
            said_by = mention.speaker_mention
            self.db.add(
                schema.Mention(
                    quote_id=quote.id, article_id=article_id, speaker_id=speaker.id if speaker else None,
                    role_id=role.id if role else None, text=mention.text, start=mention.start, end=mention.end,
                    cue=mention.cue, kind=mention.kind, role_text=mention.role, title=mention.title,
                    organization=mention.organization,
                    speaker_mention=said_by.text if said_by else None,
                    speaker_mention_start=said_by.start if said_by else None,
                    speaker_mention_end=said_by.end if said_by else None,
                    group=mention.group, confidence=mention.confidence,
                )
            )

    def units(self, mentions: Iterable[Mention]) -> list[list[Mention]]:
        """The article's mentions as quotes: the pieces sharing a ``group`` and a speaker, in article order."""
        units: dict[tuple[int, tuple[str, str] | None], list[Mention]] = {}
        for mention in sorted(mentions, key=lambda m: m.start):
            units.setdefault((mention.group, self._key(mention) if mention.speaker else None), []).append(mention)
        return list(units.values())


def store_article(
    engine: Engine,
    article: Article,
    mentions: Iterable[Mention],
    now: dt.datetime | None = None,
    aliases: Mapping[str, str] | None = None,
) -> IngestResult:
    """Store one article and its mentions atomically; nothing happens when it is already stored.

    ``aliases`` maps alias keys to canonical names (the alias file, see quotes.store.speakers).
    """
    now = now or dt.datetime.now(dt.UTC)
    with Session(writer(engine)) as db, db.begin():
        if find_article(db, article) is not None:
            return IngestResult(skipped=1)
        article_writer = _ArticleWriter(db, article.published or now.date(), aliases or {})
        article_writer.store_acronyms(article.text)
        row = schema.Article(
            url=article.url, canonical_url=canonical_url(article.url) if article.url else None,
            outlet_id=article_writer.outlet(article), title=article.title, published=article.published,
            content_hash=article.content_hash, ingested_at=now, external_id=article.id, path=article.path,
            body=article.text,
        )
        db.add(row)
        db.flush()
        # "March Rubio" from "In March Rubio said": the parser's name, cleaned before it names a speaker
        mentions = [replace(m, speaker=person_name(m.speaker)) if m.speaker and m.speaker_kind == "person" else m
                    for m in mentions]
        article_writer.resolve_speakers(row.id, mentions)
        for pieces in article_writer.units(mentions):
            article_writer.unit(row.id, pieces)
        return IngestResult(articles=1, mentions=len(mentions), quotes=article_writer.new_quotes)
