"""The stored schema (DESIGN.md's public SQL surface) as SQLAlchemy 2.0 declarative models.

Alembic migrations in ``db/migrations`` create and change the tables and the ``quote_sources``
view; these models must describe the schema the latest migration leaves (a test compares them).
Empty role parts are stored as ``''`` rather than NULL so that the unique (speaker, title,
organization) constraint holds on every database.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: Constraint and index names, so the migrations and the models name everything alike.
NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose metadata Alembic's env.py compares against."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Outlet(Base):
    """A publisher, known by name ("Reuters") and, where seen in a URL, its domain."""

    __tablename__ = "outlets"
    __table_args__ = (Index("ix_outlets_lower_name", text("lower(name)")),)  # found by name, case ignored (0008)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    domain: Mapped[str | None] = mapped_column(Text)


class Article(Base):
    """One ingested article; identified by canonical URL or, failing that, by content hash."""

    __tablename__ = "articles"
    __table_args__ = (Index(None, "outlet_id", "published"),)  # an outlet's articles by date (migration 0006)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str | None] = mapped_column(Text)  # as given in the input
    canonical_url: Mapped[str | None] = mapped_column(Text, unique=True)  # identity when there is a URL
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    external_id: Mapped[str | None] = mapped_column(Text)  # the input's own id (jsonl "id")
    path: Mapped[str | None] = mapped_column(Text)  # the file it was read from
    body: Mapped[str | None] = mapped_column(Text)  # the text mention offsets index (NULL before revision 0004)
    # quotes.extract.extractor_version of what produced its mentions (NULL before revision 0007)
    extractor: Mapped[str | None] = mapped_column(Text, index=True)


class Speaker(Base):
    """A person, organisation or anonymous source with one canonical name.

    ``name_key`` is the case-folded name for people and organisations, unique per kind, and NULL
    for anonymous sources, which are never merged across articles. People named with a given
    name and surname also carry both, accent- and case-folded, to find them by surname alone
    and to spot spelling variants (``quotes.store.speakers``).
    """

    __tablename__ = "speakers"
    __table_args__ = (UniqueConstraint("name_key", "kind"), Index(None, "external_id", unique=True))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # person / organization / anonymous
    name_key: Mapped[str | None] = mapped_column(Text)
    given_key: Mapped[str | None] = mapped_column(Text, index=True)  # "volodymyr"; NULL for a bare surname
    surname_key: Mapped[str | None] = mapped_column(Text, index=True)  # "zelenskyy"; NULL unless a person
    external_id: Mapped[str | None] = mapped_column(Text)  # "Q22686" from a people file (migration 0005)
    # quotes whose speaker this is, kept by triggers on quotes (migration 0006)
    quote_count: Mapped[int] = mapped_column(Integer, server_default="0", index=True)


class SpeakerAlias(Base):
    """Another name a speaker appears under ("Kirby", "Mr. Kirby"), including the full name.

    ``origin`` says where it came from: ``seen`` (printed in an article), ``variant`` (a spelling
    variant merged automatically) or ``user`` (``quotes speakers alias``/``merge``, the alias
    file). Only ``variant`` and ``user`` aliases identify the speaker when an article names them.
    """

    __tablename__ = "speaker_aliases"

    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), primary_key=True)
    alias: Mapped[str] = mapped_column(Text, primary_key=True)
    alias_key: Mapped[str] = mapped_column(Text, index=True)  # the alias case-folded, for look-ups
    origin: Mapped[str] = mapped_column(String(10))  # seen / variant / user


class SpeakerLink(Base):
    """How one article's name for a speaker was linked to the stored speaker, and how sure that is (migration 0005).

    ``how`` is quotes.store.speakers' rule (name, alias, full name, surname, variant, new);
    ``score`` its evidence, from 1.0 (the same full name) down; below
    quotes.store.speakers.WEAK_LINK the link is weak and listed by ``quotes speakers review``.
    """

    __tablename__ = "speaker_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), index=True)
    name: Mapped[str] = mapped_column(Text)  # as the article gives it
    how: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float, index=True)


class Acronym(Base):
    """An acronym some article defined ("NSC" = "National Security Council"); one row per meaning."""

    __tablename__ = "acronyms"

    acronym: Mapped[str] = mapped_column(Text, primary_key=True)
    expansion: Mapped[str] = mapped_column(Text, primary_key=True)


class Role(Base):
    """A title family in an organisation held by a speaker, with the dates it was first and last seen.

    ``title`` is the title family ("spokesperson" for spokesman, spokeswoman and spokesperson);
    each mention keeps the title and organisation as printed, and ``mentions.role_id`` links
    the role to every mention (and so every article) that shows it.
    """

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("speaker_id", "title", "organization"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"))
    title: Mapped[str] = mapped_column(Text)  # title family; '' when the article gives none
    # normalised (acronyms expanded, "U.S." dropped); '' when none; indexed for renaming an acronym (migration 0008)
    organization: Mapped[str] = mapped_column(Text, index=True)
    first_seen: Mapped[dt.date] = mapped_column(Date)
    last_seen: Mapped[dt.date] = mapped_column(Date)


class Quote(Base):
    """A deduplicated utterance: every mention of the same words by the same speaker."""

    __tablename__ = "quotes"
    __table_args__ = (Index(None, "speaker_id", "first_seen"),)  # a speaker's quotes by date (migration 0006)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id"))
    text: Mapped[str] = mapped_column(Text)  # canonical wording: the longest version seen
    first_seen: Mapped[dt.date] = mapped_column(Date, index=True)


class Mention(Base):
    """One occurrence of a quote in one article, with its wording and role exactly as printed."""

    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("article_id", "start", "end"),
        Index(None, "speaker_id", "quote_id"),
        Index(None, "role_id", "quote_id"),  # the quotes of a role, from the index alone (migration 0006)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id"))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    cue: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # direct / partial
    role_text: Mapped[str | None] = mapped_column(Text)  # "U.S. National Security Council coordinator"
    title: Mapped[str | None] = mapped_column(Text)  # as printed
    organization: Mapped[str | None] = mapped_column(Text)  # as printed
    speaker_mention: Mapped[str | None] = mapped_column(Text)  # "He", "Kirby"
    speaker_mention_start: Mapped[int | None] = mapped_column(Integer)
    speaker_mention_end: Mapped[int | None] = mapped_column(Integer)
    group: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)


class QuoteWording(Base):
    """One distinct wording of a quote, normalised as quotes.dedup compares it (migration 0003).

    A wording is what one article prints of the quote: the pieces of a split or multi-paragraph
    quote joined. ``text_key`` is a 64-bit hash of ``normalized`` for exact look-ups, per
    speaker and, for the ``quote_conflicts`` view, across speakers. Only attributed quotes have
    wordings: a mention without a speaker is its own quote and never deduplicated.
    """

    __tablename__ = "quote_wordings"
    __table_args__ = (Index(None, "speaker_id", "text_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"))
    text_key: Mapped[int] = mapped_column(BigInteger, index=True)
    words: Mapped[int] = mapped_column(Integer)  # number of normalised words
    normalized: Mapped[str] = mapped_column(Text)


class QuoteFingerprint(Base):
    """The deduplication index: a winnowed word-4-gram fingerprint of a speaker's quote (migration 0003).

    New wordings find their candidate quotes here by (speaker, fingerprint) instead of reading
    every wording the speaker ever said; see quotes.dedup.fingerprints.
    """

    __tablename__ = "quote_fingerprints"

    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), primary_key=True)
    fingerprint: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), primary_key=True, index=True)


#: The full-text indexes of migration 0006, which no model describes: SQLite's FTS5 tables (and the
#: shadow tables FTS5 keeps, named after them) and PostgreSQL's GIN expression indexes.
SEARCH_TABLES = ("quote_search", "role_search", "speaker_search")
SEARCH_INDEXES = ("ix_quotes_text_search", "ix_speakers_name_search", "ix_speaker_aliases_alias_search",
                  "ix_roles_search")


def modelled(name: str | None, type_: str, *_: object) -> bool:
    """Whether Alembic's comparison with the models should look at this reflected table or index
    (``include_name``): everything but the full-text indexes."""
    if type_ == "table":
        return not (name or "").startswith(SEARCH_TABLES)
    return not (type_ == "index" and name in SEARCH_INDEXES)


#: Views live in their own metadata so ``create_all`` and Alembic's comparison leave them alone.
VIEWS = MetaData()

#: The view ad-hoc SQL users and the report read: one row per mention, with its quote and source
#: (created by the migrations; ``url`` is the article's file path when it has no URL).
quote_sources = Table(
    "quote_sources",
    VIEWS,
    Column("quote_id", Integer),
    Column("speaker", Text),
    Column("role", Text),
    Column("quote", Text),
    Column("mention_text", Text),
    Column("outlet", Text),
    Column("url", Text),
    Column("title", Text),
    Column("published", Date),
)

#: Possible misattributions (migration 0003): pairs of quotes by different speakers that share a
#: wording of at least quotes.dedup.MIN_CONFLICT_WORDS words printed by different outlets (an
#: article without outlet counts as its own). One row per ordered pair, so each quote's conflicts
#: are ``WHERE quote_id = ?``.
quote_conflicts = Table(
    "quote_conflicts",
    VIEWS,
    Column("quote_id", Integer),
    Column("speaker_id", Integer),
    Column("speaker", Text),
    Column("quote", Text),
    Column("other_quote_id", Integer),
    Column("other_speaker_id", Integer),
    Column("other_speaker", Text),
    Column("other_quote", Text),
)
