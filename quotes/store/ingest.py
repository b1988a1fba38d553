"""Ingest: extract quotes from articles and store them, deduplicated, one transaction per article.

Ingesting is idempotent: an article already in the database (same canonical URL, or same
content hash under any URL) adds nothing, and a run killed half-way leaves only whole articles,
so running it again gives the same database as an uninterrupted run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from quotes.article import Article, ReadError
from quotes.dedup import find_same, tokens
from quotes.mention import Mention
from quotes.roles import normalize_organization
from quotes.store import schema
from quotes.store.db import SQLITE_BEGIN

if TYPE_CHECKING:
    from spacy.language import Language

#: Query parameters that only track the reader and never change the article.
TRACKING_PARAM = re.compile(r"^(utm_.*|fbclid|gclid)$", re.I)

#: Speaker mentions that are not names and so never become aliases.
PRONOUNS = frozenset("i me we us you he him she her it they them his hers its their theirs one who".split())
_DETERMINERS = frozenset({"the", "a", "an"})

#: Trailing punctuation a quote piece keeps when printed ("We are ready,") but a canonical text drops.
_TRAILING = " \t\n,;:"

#: Called after each input item with its status: "stored", "skipped" or "error".
ProgressCallback = Callable[[Article | ReadError, str], None]


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


def canonical_url(url: str) -> str:
    """The URL as an article identity: scheme and host lower-cased, fragment and tracking parameters gone."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAM.match(k)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), ""))


def _domain(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def is_name_form(text: str) -> bool:
    """True for words that name a speaker ("Kirby", "Mr. Kirby", "the Pentagon"), not "he" or "the spokesman"."""
    words = text.split()
    return text.casefold() not in PRONOUNS and any(
        w[0].isupper() for w in words if w.casefold() not in _DETERMINERS
    )


def _find_article(db: Session, article: Article) -> int | None:
    """The id of the stored article that is this one, by content hash or canonical URL."""
    same = schema.Article.content_hash == article.content_hash
    if article.url:
        same = or_(same, schema.Article.canonical_url == canonical_url(article.url))
    return db.scalar(select(schema.Article.id).where(same).limit(1))


class _ArticleWriter:
    """Stores one article's mentions inside the caller's transaction."""

    def __init__(self, db: Session, seen: dt.date) -> None:
        self.db = db
        self.seen = seen  # the article's date: publication, else ingestion
        self.speakers: dict[tuple[str, str], schema.Speaker] = {}
        self.candidates: dict[int, list[tuple[int, list[str]]]] = {}  # speaker id -> (quote id, tokens)
        self.new_quotes = 0

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
        return outlet.id

    def speaker(self, mention: Mention) -> schema.Speaker:
        """The speaker row: shared by (name, kind) case-insensitively, anonymous ones per article only."""
        kind = mention.speaker_kind or "person"
        key = (mention.speaker.casefold(), kind)
        speaker = self.speakers.get(key)
        if speaker is None:
            name_key = None if kind == "anonymous" else key[0]
            if name_key is not None:
                speaker = self.db.scalar(
                    select(schema.Speaker).where(schema.Speaker.name_key == name_key, schema.Speaker.kind == kind)
                )
            if speaker is None:
                speaker = schema.Speaker(name=mention.speaker, kind=kind, name_key=name_key)
                self.db.add(speaker)
                self.db.flush()
            self.speakers[key] = speaker
        self._aliases(speaker, mention)
        return speaker

    def _aliases(self, speaker: schema.Speaker, mention: Mention) -> None:
        names = {mention.speaker}
        if mention.speaker_mention and speaker.kind != "anonymous" and is_name_form(mention.speaker_mention.text):
            names.add(mention.speaker_mention.text)
        for alias in {" ".join(name.split()) for name in names}:
            if self.db.get(schema.SpeakerAlias, (speaker.id, alias)) is None:
                self.db.add(schema.SpeakerAlias(speaker_id=speaker.id, alias=alias))

    def _find_role(self, speaker_id: int, title: str, organization: str) -> schema.Role | None:
        """The speaker's latest role agreeing with every part given, so "the coordinator" joins "NSC coordinator"."""
        query = select(schema.Role).where(schema.Role.speaker_id == speaker_id)
        for column, value in ((schema.Role.title, title), (schema.Role.organization, organization)):
            if value:
                query = query.where(func.lower(column) == value.lower())
        return self.db.scalars(query.order_by(schema.Role.last_seen.desc(), schema.Role.id.desc())).first()

    def role(self, speaker: schema.Speaker, mention: Mention) -> schema.Role | None:
        """The speaker's role row for the mention's title and organisation, its dates widened to this article."""
        title = (mention.title or "").strip()
        organization = normalize_organization(mention.organization) or ""
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

    def _candidates(self, speaker_id: int) -> list[tuple[int, list[str]]]:
        """Every stored wording of the speaker's quotes, tokenised once per article."""
        if speaker_id not in self.candidates:
            rows = self.db.execute(
                select(schema.Mention.quote_id, schema.Mention.text)
                .where(schema.Mention.speaker_id == speaker_id)
                .distinct()
                .order_by(schema.Mention.quote_id)
            )
            self.candidates[speaker_id] = [(quote_id, tokens(text)) for quote_id, text in rows]
        return self.candidates[speaker_id]

    def quote(self, speaker: schema.Speaker | None, text: str) -> schema.Quote:
        """The speaker's quote these words belong to (dedup.same_quote), else a new one."""
        words = tokens(text)
        canonical = text.strip(_TRAILING)
        pool = self._candidates(speaker.id) if speaker else []
        quote_id = find_same(words, pool)
        if quote_id is None:
            quote = schema.Quote(speaker_id=speaker.id if speaker else None, text=canonical, first_seen=self.seen)
            self.db.add(quote)
            self.db.flush()
            self.new_quotes += 1
        else:
            quote = self.db.get_one(schema.Quote, quote_id)
            if len(words) > len(tokens(quote.text)):
                quote.text = canonical
            quote.first_seen = min(quote.first_seen, self.seen)
        pool.append((quote.id, words))
        return quote

    def mention(self, article_id: int, mention: Mention) -> None:
        """Store one mention with its speaker, role and quote."""
        speaker = self.speaker(mention) if mention.speaker else None
        role = self.role(speaker, mention) if speaker else None
        quote = self.quote(speaker, mention.text)
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


def store_article(
    engine: Engine, article: Article, mentions: Iterable[Mention], now: dt.datetime | None = None
) -> IngestResult:
    """Store one article and its mentions atomically; nothing happens when it is already stored."""
    now = now or dt.datetime.now(dt.UTC)
    writer_engine = engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
    with Session(writer_engine) as db, db.begin():
        if _find_article(db, article) is not None:
            return IngestResult(skipped=1)
        writer = _ArticleWriter(db, article.published or now.date())
        row = schema.Article(
            url=article.url, canonical_url=canonical_url(article.url) if article.url else None,
            outlet_id=writer.outlet(article), title=article.title, published=article.published,
            content_hash=article.content_hash, ingested_at=now, external_id=article.id, path=article.path,
        )
        db.add(row)
        db.flush()
        mentions = list(mentions)
        for mention in mentions:
            writer.mention(row.id, mention)
        return IngestResult(articles=1, mentions=len(mentions), quotes=writer.new_quotes)


def ingest(
    engine: Engine,
    items: Iterable[Article | ReadError],
    nlp: Language | None = None,
    on_progress: ProgressCallback | None = None,
    strict: bool = False,
) -> IngestResult:
    """Extract and store every new article in ``items``; read errors are counted, not fatal unless ``strict``."""
    total = IngestResult()
    notify = on_progress or (lambda item, status: None)

    def new_articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, ReadError):
                total.errors.append(item)
                notify(item, "error")
                if strict:
                    return
                continue
            with Session(engine) as db:
                present = _find_article(db, item) is not None
            if present:
                total.skipped += 1
                notify(item, "skipped")
            else:
                yield item

    pending = new_articles()
    first = next(pending, None)
    if first is None:  # nothing new: do not load the language model at all
        return total
    from quotes.extract import extract_many

    for article, mentions in extract_many(itertools.chain([first], pending), nlp=nlp):
        stored = store_article(engine, article, mentions)
        total += stored
        notify(article, "stored" if stored.articles else "skipped")
    return total
