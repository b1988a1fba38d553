"""The store: opening and migrating, ingesting idempotently, deduplicating, querying, read-only SQL."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from quotes.article import Article, ReadError, canonical_url
from quotes.dedup import MIN_CONFLICT_WORDS, normalize
from quotes.ingest import ingest
from quotes.mention import Mention, Span
from quotes.names import is_name_form
from quotes.store import schema
from quotes.store.db import open_db, resolve_url
from quotes.store.speakers import merge
from quotes.store.write import store_article
from quotes.store.adhoc import QueryError, ReadOnlyError, run_sql, single_statement
from quotes.store.profile import speaker_profile
from quotes.store.query import search, show_quote, speakers

ROOT = Path(__file__).resolve().parents[1]
HEAD = ScriptDirectory.from_config(Config(str(ROOT / "db" / "alembic.ini"))).get_current_head()

KIRBY = dict(speaker="John Kirby", speaker_kind="person", title="coordinator",
             organization="National Security Council", role="National Security Council coordinator")
PRICE = dict(speaker="Ned Price", speaker_kind="person", title="spokesman",
             organization="State Department", role="State Department spokesman")
LONG = "We will not tolerate further missile launches over our territory this year"


def story(*quotes: str, by: dict | None = KIRBY, said_by: str | None = "Kirby",
          **fields) -> tuple[Article, list[Mention]]:
    """An article whose body is each quote followed by '<said_by> said.', with its mentions."""
    body, mentions = "", []
    for number, words in enumerate(quotes):
        start = len(body) + 1
        body += f'"{words}," {said_by or "someone"} said. '
        who = Span(said_by, start + len(words) + 3, start + len(words) + 3 + len(said_by)) if said_by else None
        mentions.append(Mention(text=words, start=start, end=start + len(words), speaker_mention=who,
                                cue="said", group=number, confidence=0.9, **(by or {})))
    fields.setdefault("id", fields.get("url") or body[:20])
    return Article(text=body, **fields), mentions


def count(engine: Engine, table: type[schema.Base]) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def table_counts(engine: Engine) -> dict[str, int]:
    return {model.__tablename__: count(engine, model) for model in schema.Base.__subclasses__()}


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every table's rows in id order, without ingestion timestamps."""
    with engine.connect() as conn:
        return {
            table.name: [tuple(v for k, v in row._mapping.items() if k != "ingested_at")
                         for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
            for table in schema.Base.metadata.sorted_tables
        }


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_db(f"sqlite:///{tmp_path / 'quotes.sqlite'}")


# --- opening the database ----------------------------------------------------------------------

def test_open_db_creates_every_table_and_view(engine):
    inspector = inspect(engine)
    assert set(inspector.get_table_names()) >= {
        "outlets", "articles", "speakers", "speaker_aliases", "roles", "quotes", "mentions"}
    assert sorted(inspector.get_view_names()) == sorted(schema.VIEWS.tables) == ["quote_conflicts", "quote_sources"]
    for view in schema.VIEWS.tables.values():
        assert [c["name"] for c in inspector.get_columns(view.name)] == [c.name for c in view.columns]
    assert [c.name for c in schema.quote_sources.columns] == [
        "quote_id", "speaker", "role", "quote", "mention_text", "outlet", "url", "title", "published"]


# SQLite cannot reflect an expression index (ix_outlets_lower_name), so Alembic leaves it out of the
# comparison and says so; the PostgreSQL test below compares it.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migrations_leave_exactly_the_schema_the_models_describe(engine):
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn, opts={"include_name": schema.modelled}), schema.Base.metadata) == []


def test_reopening_a_current_database_keeps_it_as_it_is(tmp_path):
    url = f"sqlite:///{tmp_path / 'quotes.sqlite'}"
    store_article(open_db(url), *story(LONG, url="https://example.com/a"))
    reopened = open_db(url)
    assert count(reopened, schema.Article) == 1
    with reopened.connect() as conn:
        assert conn.scalar(text("select version_num from alembic_version")) == HEAD


def database_at(url: str, revision: str, *rows: str) -> None:
    """A database migrated to ``revision`` holding what the SQL statements ``rows`` insert."""
    config = Config(str(ROOT / "db" / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, revision)
    engine = create_engine(url)
    with engine.begin() as conn:
        for sql in rows:
            conn.execute(text(sql))
        if engine.dialect.name == "postgresql":  # rows given their ids leave the id sequences behind
            for table in ("outlets", "speakers", "articles", "quotes", "mentions"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"))
    engine.dispose()


def database_at_0002(url: str) -> None:
    """A database migrated to 0002 holding, as 0002 stored them, Kirby's split quote as one quote and
    another as two, two short quotes of his with a shared opening as one, and the same words as
    Kirby's in one outlet and as Price's in another."""
    first, second = WHOLE.split(", ", 1)
    opening, rest = SPLIT.split(", ", 1)
    rows = [
        "INSERT INTO outlets (id, name) VALUES (1, 'The Daily'), (2, 'Wire')",
        "INSERT INTO speakers (id, name, kind, name_key, given_key, surname_key) VALUES "
        "(1, 'John Kirby', 'person', 'john kirby', 'john', 'kirby'), (2, 'Ned Price', 'person', 'ned price', 'ned', 'price')",
        "INSERT INTO speaker_aliases (speaker_id, alias, alias_key, origin) VALUES "
        "(1, 'John Kirby', 'john kirby', 'seen'), (2, 'Ned Price', 'ned price', 'seen')",
        "INSERT INTO articles (id, outlet_id, content_hash, ingested_at) VALUES "
        "(1, 1, 'a', '2024-03-01 00:00:00'), (2, 2, 'b', '2024-03-02 00:00:00')",
        f"INSERT INTO quotes (id, speaker_id, text, first_seen) VALUES (1, 1, '{WHOLE}', '2024-03-01'), "
        f"(2, 1, '{LONG}', '2024-03-01'), (3, 2, '{LONG}', '2024-03-02'), (4, 1, '{opening},', '2024-03-02'), "
        f"(5, 1, '{rest}', '2024-03-02'), (6, 1, 'We will not accept this violation today', '2024-03-01')",
        'INSERT INTO mentions (id, quote_id, article_id, speaker_id, text, start, "end", kind, "group", confidence) '
        f"VALUES (1, 1, 1, 1, '{first}', 0, 1, 'direct', 0, 0.9), (2, 1, 1, 1, '{second}', 2, 3, 'direct', 0, 0.9), "
        f"(3, 2, 1, 1, '{LONG}', 4, 5, 'direct', 1, 0.9), (4, 3, 2, 2, '{LONG}', 0, 1, 'direct', 0, 0.9), "
        f"(5, 4, 2, 1, '{opening},', 2, 3, 'direct', 1, 0.9), (6, 5, 2, 1, '{rest}', 4, 5, 'direct', 1, 0.9), "
        "(7, 6, 1, 1, 'We will not accept this violation today', 6, 7, 'direct', 2, 0.9), "
        "(8, 6, 2, 1, 'We will not accept this outcome today', 6, 7, 'direct', 2, 0.9)",
    ]
    database_at(url, "0002", *rows)


def check_upgraded_from_0002(engine: Engine) -> None:
    """What 0003 must leave: the quotes a fresh ingest would make (a split quote's pieces in one, two quotes
    sharing an opening apart), indexed so new wordings join them, and their conflicts listed."""
    with engine.connect() as conn:
        assert conn.scalar(text("select version_num from alembic_version")) == HEAD
        assert conn.execute(text("select quote_id, normalized from quote_wordings where quote_id = 1")).all() == [
            (1, normalize(WHOLE))]
        assert conn.execute(select(schema.Quote.id, schema.Quote.text, schema.Quote.first_seen)
                            .where(schema.Quote.id >= 4).order_by(schema.Quote.id)).all() == [
            (4, SPLIT, dt.date(2024, 3, 2)), (6, "We will not accept this violation today", dt.date(2024, 3, 1)),
            (7, "We will not accept this outcome today", dt.date(2024, 3, 2))]
    assert conflicts(engine) == [("John Kirby", "Ned Price"), ("Ned Price", "John Kirby")]
    edited = WHOLE.replace("review", "reconsider")
    assert store_article(engine, *story(edited, url="https://wire.example/new")).quotes == 0
    assert store_article(engine, *story(LONG.replace("missile", "rocket"), url="https://wire.example/b")).quotes == 0
    assert count(engine, schema.Quote) == 6


def test_migration_0003_upgrades_a_0002_database_so_new_articles_join_its_quotes(tmp_path):
    url = f"sqlite:///{tmp_path / 'quotes.sqlite'}"
    database_at_0002(url)
    check_upgraded_from_0002(open_db(url))


def test_migration_0003_keeps_quotes_without_words_apart_and_unindexed_as_ingest_does(tmp_path):
    url = f"sqlite:///{tmp_path / 'quotes.sqlite'}"
    database_at(
        url, "0002",
        "INSERT INTO speakers (id, name, kind, name_key, given_key, surname_key) VALUES "
        "(1, 'John Kirby', 'person', 'john kirby', 'john', 'kirby')",
        "INSERT INTO articles (id, content_hash, ingested_at) VALUES (1, 'a', '2024-03-01 00:00:00')",
        "INSERT INTO quotes (id, speaker_id, text, first_seen) VALUES (1, 1, '!!!', '2024-03-01')",
        'INSERT INTO mentions (id, quote_id, article_id, speaker_id, text, start, "end", kind, "group", confidence) '
        "VALUES (1, 1, 1, 1, '!!!', 0, 3, 'direct', 0, 0.9), (2, 1, 1, 1, '...', 4, 7, 'direct', 1, 0.9)",
    )
    engine = open_db(url)
    with engine.connect() as conn:
        assert conn.execute(select(schema.Mention.quote_id).order_by(schema.Mention.id)).scalars().all() == [1, 2]
    assert count(engine, schema.QuoteWording) == 0


def database_at_0005(url: str) -> None:
    """A database migrated to 0005 holding Kirby's quote (alias "Mr. Kirby", NSC coordinator) and Price's."""
    database_at(
        url, "0005",
        "INSERT INTO speakers (id, name, kind, name_key, given_key, surname_key) VALUES "
        "(1, 'John Kirby', 'person', 'john kirby', 'john', 'kirby'), (2, 'Ned Price', 'person', 'ned price', 'ned', 'price')",
        "INSERT INTO speaker_aliases (speaker_id, alias, alias_key, origin) VALUES (1, 'Mr. Kirby', 'mr. kirby', 'seen')",
        "INSERT INTO roles (id, speaker_id, title, organization, first_seen, last_seen) VALUES "
        "(1, 1, 'coordinator', 'National Security Council', '2024-03-01', '2024-03-01')",
        "INSERT INTO articles (id, content_hash, ingested_at) VALUES (1, 'a', '2024-03-01 00:00:00')",
        f"INSERT INTO quotes (id, speaker_id, text, first_seen) VALUES (1, 1, '{LONG}', '2024-03-01'), "
        "(2, 2, 'We are aware of the report', '2024-03-01')",
        'INSERT INTO mentions (id, quote_id, article_id, speaker_id, role_id, text, start, "end", kind, "group", '
        f"confidence) VALUES (1, 1, 1, 1, 1, '{LONG}', 0, 1, 'direct', 0, 0.9), "
        "(2, 2, 1, 2, NULL, 'We are aware of the report', 2, 3, 'direct', 1, 0.9)",
    )


def check_upgraded_from_0005(engine: Engine) -> None:
    """What 0006 must leave: the rows a 0005 database held found by words, names, aliases and roles, and counted."""
    assert [q["quote_id"] for q in search(engine, text="launches")] == [1]
    assert search(engine, text="war") == []  # "aware" holds it, not as a word
    assert [q["speaker"] for q in search(engine, speaker="mr kir")] == ["John Kirby"]
    assert [q["speaker"] for q in search(engine, role="NSC coord")] == []
    assert [q["speaker"] for q in search(engine, role="security coord")] == ["John Kirby"]
    assert [(s["name"], s["quotes"]) for s in speakers(engine)] == [("John Kirby", 1), ("Ned Price", 1)]


def test_migration_0006_indexes_and_counts_what_a_0005_database_holds(tmp_path):
    url = f"sqlite:///{tmp_path / 'quotes.sqlite'}"
    database_at_0005(url)
    check_upgraded_from_0005(open_db(url))


def test_full_text_indexes_follow_quotes_and_names_as_they_change(engine):
    store_article(engine, *story(LONG, url="https://example.com/a"))
    store_article(engine, *story("Talks will resume in Geneva on Monday morning", by=PRICE, said_by="Price",
                                 url="https://example.com/b"))
    merge(engine, "Ned Price", "John Kirby")
    assert [(q["speaker"], q["text"]) for q in search(engine, speaker="kirby", text="geneva")] == [
        ("Ned Price", "Talks will resume in Geneva on Monday morning")]
    assert [(s["name"], s["quotes"]) for s in speakers(engine)] == [("Ned Price", 2)]


def test_sqlite_connections_use_wal_and_enforce_foreign_keys(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_alembic_ini_downgrades_and_upgrades_the_schema_by_hand(tmp_path):
    url = f"sqlite:///{tmp_path / 'quotes.sqlite'}"
    config = Config(str(ROOT / "db" / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = open_db(url)  # upgrades again
    assert "mentions" in inspect(engine).get_table_names()


def test_db_option_takes_a_url_or_a_plain_sqlite_path(tmp_path):
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url(str(tmp_path / "q.sqlite")) == f"sqlite:///{tmp_path / 'q.sqlite'}"
    assert resolve_url(None).startswith("sqlite:///") and resolve_url(None).endswith("quotes.sqlite")


# --- article identity --------------------------------------------------------------------------

def test_canonical_url_lowercases_scheme_and_host_and_drops_fragment_and_tracking():
    assert canonical_url("HTTPS://WWW.Example.COM/News/A?id=7&utm_source=x&fbclid=1&gclid=2#top") == \
        "https://www.example.com/News/A?id=7"


def test_storing_the_same_article_twice_adds_nothing(engine):
    assert store_article(engine, *story(LONG, url="https://example.com/a")).articles == 1
    before = table_counts(engine)
    again = store_article(engine, *story(LONG, url="https://example.com/a"))
    assert (again.articles, again.skipped) == (0, 1)
    assert table_counts(engine) == before


def test_an_article_keeps_the_body_its_mention_offsets_index(engine):
    article, mentions = story("We will review the request", url="https://daily.example/a")
    store_article(engine, article, mentions)
    with engine.connect() as conn:
        body, start, end, quoted = conn.execute(
            select(schema.Article.body, schema.Mention.start, schema.Mention.end, schema.Mention.text)
            .join(schema.Mention, schema.Mention.article_id == schema.Article.id)).one()
    assert body == article.text and body[start:end] == quoted


def test_the_same_url_with_tracking_parameters_is_the_same_article(engine):
    store_article(engine, *story(LONG, url="https://example.com/a"))
    other_text = story("Something else entirely was said here today", url="https://EXAMPLE.com/a?utm_medium=social")
    assert store_article(engine, *other_text).skipped == 1


def test_the_same_text_under_another_url_is_the_same_article(engine):
    store_article(engine, *story(LONG, url="https://example.com/a"))
    assert store_article(engine, *story(LONG, url="https://mirror.example.org/copy")).skipped == 1


def test_an_article_without_url_is_identified_by_its_text(engine):
    store_article(engine, *story(LONG, path="one.txt"))
    assert store_article(engine, *story(LONG, path="copy-of-one.txt")).skipped == 1
    assert store_article(engine, *story(LONG + " again", path="two.txt")).articles == 1


def test_an_article_that_fails_half_way_leaves_no_trace(engine):
    article, mentions = story(LONG, "A second quote that will clash on its offsets", url="https://example.com/a")
    mentions[1].start, mentions[1].end = mentions[0].start, mentions[0].end  # same span twice
    with pytest.raises(IntegrityError):
        store_article(engine, article, mentions)
    assert set(table_counts(engine).values()) == {0}


# --- outlets, speakers, aliases, roles ---------------------------------------------------------

def test_outlets_are_shared_by_name_and_take_their_domain_from_the_url(engine):
    store_article(engine, *story(LONG, url="https://www.daily.example/a", outlet="The Daily"))
    store_article(engine, *story("Another quote of many words for the record", url="https://daily.example/b",
                                 outlet="the daily"))
    with engine.connect() as conn:
        assert conn.execute(select(schema.Outlet.name, schema.Outlet.domain)).all() == [("The Daily", "daily.example")]


def test_speakers_are_merged_by_name_ignoring_case(engine):
    store_article(engine, *story(LONG, url="https://example.com/a"))
    store_article(engine, *story("Talks will resume in Geneva on Monday morning", url="https://example.com/b",
                                 by={**KIRBY, "speaker": "JOHN KIRBY"}))
    assert count(engine, schema.Speaker) == 1


def test_anonymous_sources_are_shared_within_an_article_but_never_across_articles(engine):
    official = dict(speaker="a senior official", speaker_kind="anonymous")
    store_article(engine, *story(LONG, "Talks will resume in Geneva on Monday morning", by=official,
                                 said_by="the official", url="https://example.com/a"))
    store_article(engine, *story("A third quote about something else entirely today", by=official,
                                 said_by="the official", url="https://example.com/b"))
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).where(schema.Speaker.kind == "anonymous")) == 2


def test_aliases_are_the_full_name_and_name_forms_but_not_pronouns_or_titles(engine):
    store_article(engine, *story(LONG, said_by="Kirby", url="https://example.com/a"))
    store_article(engine, *story("Talks will resume in Geneva on Monday morning", said_by="Mr. Kirby",
                                 url="https://example.com/b"))
    store_article(engine, *story("A third quote about something else entirely today", said_by="He",
                                 url="https://example.com/c"))
    store_article(engine, *story("A fourth quote about yet another thing this week", said_by="the coordinator",
                                 url="https://example.com/d"))
    with engine.connect() as conn:
        aliases = set(conn.scalars(select(schema.SpeakerAlias.alias)))
    assert aliases == {"John Kirby", "Kirby", "Mr. Kirby"}


def test_name_forms_start_with_a_capital_after_any_article():
    assert [is_name_form(t) for t in ("Kirby", "the Pentagon", "She", "they", "The spokesman")] == [
        True, True, False, False, False]


def test_a_role_with_and_without_a_us_qualifier_is_one_role_spanning_both_dates(engine):
    store_article(engine, *story(LONG, by={**KIRBY, "organization": "U.S. National Security Council"},
                                 url="https://example.com/a", published=dt.date(2024, 3, 5)))
    store_article(engine, *story("Talks will resume in Geneva on Monday morning", url="https://example.com/b",
                                 published=dt.date(2024, 2, 1)))
    with engine.connect() as conn:
        roles = conn.execute(select(schema.Role.title, schema.Role.organization,
                                    schema.Role.first_seen, schema.Role.last_seen)).all()
        printed = set(conn.scalars(select(schema.Mention.organization)))
    assert roles == [("coordinator", "National Security Council", dt.date(2024, 2, 1), dt.date(2024, 3, 5))]
    assert printed == {"U.S. National Security Council", "National Security Council"}


def test_a_role_given_only_by_its_title_joins_the_speakers_full_role(engine):
    store_article(engine, *story(LONG, url="https://example.com/a"))
    store_article(engine, *story("Talks will resume in Geneva on Monday morning", url="https://example.com/b",
                                 by={**KIRBY, "organization": None, "role": "coordinator"}))
    with engine.connect() as conn:
        assert conn.execute(select(schema.Role.title, schema.Role.organization)).all() == [
            ("coordinator", "National Security Council")]
        assert conn.scalar(select(func.count(func.distinct(schema.Mention.role_id)))) == 1


def test_an_undated_article_dates_its_role_and_quote_by_the_ingestion_day(engine):
    now = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
    store_article(engine, *story(LONG, url="https://example.com/a"), now=now)
    with engine.connect() as conn:
        assert conn.scalar(select(schema.Role.first_seen)) == dt.date(2024, 6, 1)
        assert conn.scalar(select(schema.Quote.first_seen)) == dt.date(2024, 6, 1)


# --- quotes -------------------------------------------------------------------------------------

def test_an_edited_version_and_an_excerpt_join_the_speakers_existing_quote(engine):
    store_article(engine, *story(LONG, url="https://example.com/a"))
    edited = store_article(engine, *story(LONG.replace("missile", "rocket"), url="https://example.com/b"))
    excerpt = store_article(engine, *story("further missile launches over our territory", url="https://example.com/c"))
    assert (edited.quotes, excerpt.quotes) == (0, 0)
    assert count(engine, schema.Quote) == 1
    assert count(engine, schema.Mention) == 3


def test_the_longest_version_becomes_the_canonical_text_and_the_earliest_date_first_seen(engine):
    store_article(engine, *story("further missile launches over our territory this year", url="https://example.com/a",
                                 published=dt.date(2024, 3, 9)))
    store_article(engine, *story(LONG, url="https://example.com/b", published=dt.date(2024, 3, 2)))
    with engine.connect() as conn:
        assert conn.execute(select(schema.Quote.text, schema.Quote.first_seen)).all() == [(LONG, dt.date(2024, 3, 2))]


def test_the_same_words_from_two_speakers_are_two_quotes(engine):
    store_article(engine, *story(LONG, url="https://example.com/a"))
    store_article(engine, *story(LONG + ".", by=PRICE, said_by="Price", url="https://example.com/b"))
    assert count(engine, schema.Quote) == 2


def test_a_mention_without_speaker_is_stored_as_its_own_quote(engine):
    store_article(engine, *story(LONG, by=None, said_by=None, url="https://example.com/a"))
    store_article(engine, *story(LONG + "!", by=None, said_by=None, url="https://example.com/b"))
    with engine.connect() as conn:
        assert conn.execute(select(schema.Quote.speaker_id)).all() == [(None,), (None,)]
    assert [q["speaker"] for q in search(engine, text="missile")] == [None, None]
    assert search(engine, speaker="kirby") == []


def test_quotes_without_words_are_each_a_quote_of_their_own_and_never_indexed(engine):
    store_article(engine, *story("!!!", "...", url="https://example.com/a"))
    store_article(engine, *story("\U0001F64F\U0001F64F", "!!!", url="https://example.com/b"))
    assert count(engine, schema.Quote) == 4
    assert (count(engine, schema.QuoteWording), count(engine, schema.QuoteFingerprint)) == (0, 0)


WHOLE = "We will keep the embassy open through the winter, and we will review our staffing again in the spring."
SPLIT = "Our consulate in the north will reopen next month, once the new security staff have arrived."
STOCK = "We are monitoring the situation closely."
VIOLATION = "We will not accept this violation of our airspace by foreign military drones"
OUTCOME = "We will not accept this outcome of the talks without a vote in parliament"


def split_story(first: str, second: str, by: dict = KIRBY, said_by: str = "Kirby",
                **fields) -> tuple[Article, list[Mention]]:
    """An article printing one quote split around '<said_by> said,': two mentions sharing one group."""
    body = f'"{first}," {said_by} said, "{second}"'
    start_second = body.index(second)
    who = Span(said_by, len(first) + 4, len(first) + 4 + len(said_by))
    mentions = [Mention(text=text, start=start, end=start + len(text), speaker_mention=who, cue="said", group=0,
                        confidence=0.9, **by) for text, start in ((first, 1), (second, start_second))]
    fields.setdefault("id", fields.get("url") or body[:20])
    return Article(text=body, **fields), mentions


def quote_rows(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(select(schema.Quote.id, schema.Quote.text).order_by(schema.Quote.id)).all()


def test_the_pieces_of_a_split_quote_join_the_whole_quote_printed_elsewhere(engine):
    store_article(engine, *story(WHOLE, url="https://daily.example/whole"))
    first, second = WHOLE.split(", ", 1)
    split = store_article(engine, *split_story(first, second, url="https://wire.example/split"))
    assert split.quotes == 0
    assert [text for _, text in quote_rows(engine)] == [WHOLE]
    assert count(engine, schema.Mention) == 3


def test_a_whole_quote_printed_after_its_split_version_joins_it(engine):
    first, second = WHOLE.split(", ", 1)
    store_article(engine, *split_story(first, second, url="https://wire.example/split"))
    assert store_article(engine, *story(WHOLE, url="https://daily.example/whole")).quotes == 0
    assert count(engine, schema.Quote) == 1


def test_one_speakers_two_quotes_sharing_an_opening_stay_two_quotes(engine):
    store_article(engine, *story(VIOLATION, url="https://daily.example/a"))
    store_article(engine, *story(OUTCOME, url="https://wire.example/b"))
    assert count(engine, schema.Quote) == 2


def test_a_new_article_joins_the_quote_and_re_ingesting_it_adds_nothing(engine):
    store_article(engine, *story(LONG, url="https://daily.example/a"))
    excerpt = story("further missile launches over our territory", url="https://wire.example/b?fbclid=x")
    assert store_article(engine, *excerpt).quotes == 0
    before = table_counts(engine)
    assert store_article(engine, *story("further missile launches over our territory",
                                        url="https://WIRE.example/b#more")).skipped == 1
    assert table_counts(engine) == before


def conflicts(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(select(schema.quote_conflicts.c.speaker, schema.quote_conflicts.c.other_speaker)
                            .order_by(schema.quote_conflicts.c.speaker)).all()


def test_the_same_words_given_to_two_speakers_by_two_outlets_are_two_linked_quotes(engine):
    store_article(engine, *story(LONG, url="https://daily.example/a", outlet="The Daily"))
    store_article(engine, *story(f"“{LONG.upper()}”", by=PRICE, said_by="Price", url="https://wire.example/b",
                                 outlet="Wire"))
    assert count(engine, schema.Quote) == 2
    assert conflicts(engine) == [("John Kirby", "Ned Price"), ("Ned Price", "John Kirby")]


def test_show_quote_lists_a_possible_misattribution(engine):
    store_article(engine, *story(LONG, url="https://daily.example/a", outlet="The Daily"))
    store_article(engine, *story(LONG, by=PRICE, said_by="Price", url="https://wire.example/b", outlet="Wire"))
    kirby = search(engine, speaker="kirby")[0]["quote_id"]
    [other] = show_quote(engine, kirby)["conflicts"]
    assert (other["speaker"], other["text"]) == ("Ned Price", LONG)


def test_a_short_stock_phrase_from_two_speakers_is_no_misattribution(engine):
    assert len(normalize(STOCK).split()) < MIN_CONFLICT_WORDS <= len(normalize(LONG).split())
    store_article(engine, *story(STOCK, url="https://daily.example/a", outlet="The Daily"))
    store_article(engine, *story(STOCK, by=PRICE, said_by="Price", url="https://wire.example/b", outlet="Wire"))
    assert count(engine, schema.Quote) == 2
    assert conflicts(engine) == []


# --- queries ------------------------------------------------------------------------------------

@pytest.fixture
def newsroom(engine: Engine) -> Engine:
    """Kirby quoted by two outlets (one file without URL), Price by one."""
    store_article(engine, *story(LONG, "Talks will resume in Geneva on Monday morning", said_by="Kirby",
                                 url="https://www.daily.example/a", outlet="The Daily", title="Launches",
                                 published=dt.date(2024, 3, 1)))
    store_article(engine, *story(LONG.replace("missile", "rocket"), said_by="Mr. Kirby", path="wire/b.txt",
                                 outlet="Wire Service", published=dt.date(2024, 3, 2)))
    store_article(engine, *story("We don’t comment on ongoing negotiations with partners", by=PRICE,
                                 said_by="Price", url="https://daily.example/c", outlet="The Daily",
                                 published=dt.date(2024, 4, 1)))
    return engine


def test_search_by_speaker_matches_any_part_of_a_name_or_alias_ignoring_case(newsroom):
    assert [q["speaker"] for q in search(newsroom, speaker="KIRBY")] == ["John Kirby", "John Kirby"]
    assert [q["speaker"] for q in search(newsroom, speaker="mr. kir")] == ["John Kirby", "John Kirby"]
    assert [q["speaker"] for q in search(newsroom, speaker="ned")] == ["Ned Price"]


def test_search_by_role_matches_part_of_a_title_or_organisation(newsroom):
    assert {q["speaker"] for q in search(newsroom, role="security council")} == {"John Kirby"}
    assert {q["speaker"] for q in search(newsroom, role="spokes")} == {"Ned Price"}


def test_search_by_outlet_dates_and_words(newsroom):
    assert [q["speaker"] for q in search(newsroom, outlet="wire")] == ["John Kirby"]
    assert [q["first_seen"] for q in search(newsroom, since=dt.date(2024, 3, 15))] == ["2024-04-01"]
    assert len(search(newsroom, until=dt.date(2024, 3, 1))) == 2
    assert [q["text"] for q in search(newsroom, text="geneva MONDAY")] == [
        "Talks will resume in Geneva on Monday morning"]
    assert search(newsroom, text="geneva tuesday") == []


def test_search_words_match_any_apostrophe(newsroom):
    assert [q["speaker"] for q in search(newsroom, text="don't")] == ["Ned Price"]


def test_search_wildcards_in_filters_are_taken_literally(newsroom):
    assert search(newsroom, speaker="%") == []
    assert search(newsroom, text="_") == []


def test_search_returns_each_quote_with_roles_and_every_source(newsroom):
    [quote] = search(newsroom, speaker="kirby", text="launches")
    assert quote["text"] == LONG
    assert quote["roles"] == ["National Security Council coordinator"]
    assert quote["first_seen"] == "2024-03-01"
    assert quote["sources"] == [
        {"outlet": "The Daily", "url": "https://www.daily.example/a", "title": "Launches",
         "published": "2024-03-01", "text": LONG, "role": "National Security Council coordinator"},
        {"outlet": "Wire Service", "url": "wire/b.txt", "title": None, "published": "2024-03-02",
         "text": LONG.replace("missile", "rocket"), "role": "National Security Council coordinator"},
    ]


def test_search_limit_keeps_the_oldest_quotes(newsroom):
    assert [q["first_seen"] for q in search(newsroom, limit=1)] == ["2024-03-01"]


def test_search_by_speaker_and_outlet_keeps_the_speakers_quotes_that_outlet_printed(newsroom):
    assert [q["text"] for q in search(newsroom, speaker="kirby", outlet="wire")] == [LONG]
    assert [q["speaker"] for q in search(newsroom, speaker="price", outlet="daily", min_confidence=0.5)] == ["Ned Price"]


@pytest.mark.parametrize("sort", ["oldest", "newest"])
def test_search_reading_the_date_index_in_order_finds_what_sorting_every_match_finds(newsroom, monkeypatch, sort):
    from quotes.store import query

    by_sorting = search(newsroom, outlet="daily", sort=sort, limit=2)
    monkeypatch.setattr(query, "WALK_AFTER", 1)  # every match set counts as large
    assert search(newsroom, outlet="daily", sort=sort, limit=2) == by_sorting
    assert len(by_sorting) == 2


def test_speakers_are_listed_most_quoted_first_with_their_roles(newsroom):
    assert [(s["name"], s["kind"], s["quotes"], s["roles"]) for s in speakers(newsroom)] == [
        ("John Kirby", "person", 2, ["National Security Council coordinator"]),
        ("Ned Price", "person", 1, ["State Department spokesperson"]),
    ]
    assert [s["name"] for s in speakers(newsroom, role="state")] == ["Ned Price"]


def test_show_quote_gives_every_source_with_its_own_wording(newsroom):
    quote_id = search(newsroom, text="launches")[0]["quote_id"]
    shown = show_quote(newsroom, quote_id)
    assert [s["text"] for s in shown["sources"]] == [LONG, LONG.replace("missile", "rocket")]
    assert show_quote(newsroom, 999) is None


def test_show_quote_gives_each_sources_differences_from_the_canonical_wording(newsroom):
    shown = show_quote(newsroom, search(newsroom, text="launches")[0]["quote_id"])
    assert shown["sources"][1]["differences"] == [
        {"op": "same", "words": "We will not tolerate further"}, {"op": "removed", "words": "missile"},
        {"op": "added", "words": "rocket"}, {"op": "same", "words": "launches over our territory this year"}]


# --- read-only SQL ------------------------------------------------------------------------------

def test_run_sql_returns_columns_and_rows(newsroom):
    query = "SELECT speaker, count(*) AS n FROM quote_sources GROUP BY speaker ORDER BY speaker;"
    result = run_sql(newsroom, query)
    assert result.columns == ["speaker", "n"]
    assert result.rows == [("John Kirby", 3), ("Ned Price", 1)]


@pytest.mark.parametrize("statement", [
    "DELETE FROM quotes",
    "UPDATE speakers SET name = 'x'",
    "DROP TABLE mentions",
    "CREATE TEMP TABLE scratch (x)",
    "PRAGMA user_version = 5",
])
def test_run_sql_refuses_writes_and_changes_nothing(newsroom, statement):
    before = dump(newsroom)
    with pytest.raises(ReadOnlyError, match="read-only"):
        run_sql(newsroom, statement)
    assert dump(newsroom) == before


def test_run_sql_refuses_to_attach_or_create_other_files(newsroom, tmp_path):
    for statement in (f"ATTACH '{tmp_path / 'other.db'}' AS other", f"VACUUM INTO '{tmp_path / 'copy.db'}'"):
        with pytest.raises(ReadOnlyError):
            run_sql(newsroom, statement)
    assert not (tmp_path / "other.db").exists() and not (tmp_path / "copy.db").exists()


def test_run_sql_refuses_several_statements(newsroom):
    with pytest.raises(QueryError, match="one SQL statement"):
        run_sql(newsroom, "SELECT 1; DELETE FROM quotes")


def test_single_statement_ignores_semicolons_in_strings_and_comments():
    assert single_statement("SELECT ';' AS x -- a; comment\n; /* ; */ ") == "SELECT ';' AS x -- a; comment"


def test_run_sql_reports_other_errors_as_query_errors(newsroom):
    with pytest.raises(QueryError, match="no such table") as caught:
        run_sql(newsroom, "SELECT * FROM nowhere")
    assert not isinstance(caught.value, ReadOnlyError)


# --- ingest with the real extractor ---------------------------------------------------------------

def kirby_articles() -> list[Article]:
    return [
        Article(id="one", url="https://daily.example/one", outlet="The Daily", published=dt.date(2024, 3, 1),
                text=f'"{LONG}," said John Kirby, the National Security Council coordinator.\n\n'
                     '"Talks will resume in Geneva on Monday morning," Kirby added.'),
        Article(id="two", url="https://wire.example/two", outlet="Wire", published=dt.date(2024, 3, 2),
                text=f'"{LONG.replace("missile", "rocket")}," John Kirby, the coordinator, told reporters.'),
        Article(id="three", url="https://wire.example/three", outlet="Wire", published=dt.date(2024, 3, 3),
                text='"The budget is balanced for the first time in years," said Ned Price, '
                     'the State Department spokesman.'),
    ]


def test_ingest_extracts_stores_and_deduplicates(engine, nlp):
    result = ingest(engine, kirby_articles(), nlp=nlp)
    assert (result.articles, result.skipped, result.errors) == (3, 0, [])
    assert (result.mentions, result.quotes) == (4, 3)
    assert [q["speaker"] for q in search(engine, text="launches")] == ["John Kirby"]
    assert len(search(engine, text="launches")[0]["sources"]) == 2


def test_ingesting_the_same_input_again_adds_zero_rows(engine, nlp):
    ingest(engine, kirby_articles(), nlp=nlp)
    before = dump(engine)
    again = ingest(engine, kirby_articles(), nlp=nlp)
    assert (again.articles, again.skipped, again.mentions, again.quotes) == (0, 3, 0, 0)
    assert dump(engine) == before


def test_a_run_stopped_half_way_and_run_again_gives_the_same_database(tmp_path, nlp):
    interrupted = open_db(f"sqlite:///{tmp_path / 'interrupted.sqlite'}")
    ingest(interrupted, kirby_articles()[:1], nlp=nlp)
    ingest(interrupted, kirby_articles(), nlp=nlp)
    straight = open_db(f"sqlite:///{tmp_path / 'straight.sqlite'}")
    ingest(straight, kirby_articles(), nlp=nlp)
    assert dump(interrupted) == dump(straight)


def holm_articles() -> list[Article]:
    """Three outlets quoting one ambassador: whole, split around "Holm said", excerpt and an edited word,
    and two of her quotes that share an opening."""
    whole = "We will keep the embassy open through the winter, and we will review our staffing again in the spring"
    return [
        Article(id="daily", url="https://daily.example/embassy", outlet="The Daily", published=dt.date(2024, 5, 2),
                text=f'The embassy in Vardo will stay open.\n\n"{whole}," said Ambassador Lena Holm.\n\n'
                     f'"{VIOLATION}," Holm said.'),
        Article(id="wire", url="https://wire.example/holm?utm_source=rss", outlet="Wire",
                published=dt.date(2024, 5, 1),
                text='Ambassador Lena Holm spoke in Vardo on Wednesday.\n\n"We will keep the embassy open through '
                     'the winter," Holm said, "and we will review our staffing again in the spring."\n\n'
                     f'"{OUTCOME}," she added.'),
        Article(id="metro", url="https://metro.example/vardo", outlet="Metro", published=dt.date(2024, 5, 3),
                text='Officials in Vardo spoke on Friday.\n\n"We will review our staffing again in the spring," '
                     'Ambassador Lena Holm told reporters.\n\n'
                     f'"{whole.replace("embassy", "consulate")}," the ambassador later said.'),
    ]


def test_ingest_joins_whole_split_excerpt_and_edited_printings_and_keeps_a_shared_opening_apart(engine, nlp):
    ingest(engine, holm_articles(), nlp=nlp)
    embassy, outcome, violation = search(engine, speaker="holm")
    assert embassy["text"].startswith("We will keep the embassy open") and embassy["first_seen"] == "2024-05-01"
    assert sorted({s["outlet"] for s in embassy["sources"]}) == ["Metro", "The Daily", "Wire"]
    assert len(embassy["sources"]) == 4  # Wire's split printing as one source, The Daily, Metro's excerpt and edit
    wire = next(s for s in embassy["sources"] if s["outlet"] == "Wire")
    assert wire["text"] == "We will keep the embassy open through the winter, and we will review our staffing again in the spring."
    assert (outcome["text"], violation["text"]) == (OUTCOME, VIOLATION)


def test_a_quote_split_into_short_pieces_joins_the_whole_printed_elsewhere(engine, nlp):
    articles = [
        Article(id="a", url="https://daily.example/vote", outlet="The Daily",
                text='The council met on Monday.\n\n"We tried hard," Ruth Amos said, "but the vote failed."'),
        Article(id="b", url="https://wire.example/vote", outlet="Wire",
                text='The council met on Monday.\n\n"We tried hard, but the vote failed," council leader Ruth Amos said.'),
    ]
    ingest(engine, articles, nlp=nlp)
    [quote] = search(engine, speaker="amos")
    assert [s["outlet"] for s in quote["sources"]] == ["The Daily", "Wire"]


def test_ingest_counts_read_errors_and_reports_progress(engine, nlp):
    bad = ReadError("feed.jsonl", "malformed article", line=2)
    seen: list[tuple[str, str]] = []
    items = [kirby_articles()[0], bad, kirby_articles()[0]]
    result = ingest(engine, items, nlp=nlp, on_progress=lambda item, status: seen.append((status, str(item)[:9])))
    assert result.errors == [bad]
    assert result.articles == 1 and result.skipped == 1
    assert sorted(status for status, _ in seen) == ["error", "skipped", "stored"]


def test_strict_ingest_stops_at_the_first_read_error(engine, nlp):
    first, second, _ = kirby_articles()
    result = ingest(engine, [first, ReadError("bad.txt", "not valid UTF-8"), second], nlp=nlp, strict=True)
    assert (result.articles, len(result.errors)) == (1, 1)
    assert count(engine, schema.Article) == 1


# --- PostgreSQL -----------------------------------------------------------------------------------

def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout)


def _start_postgres() -> tuple[list[str], bool]:
    """Install (Debian, as root) and start a local PostgreSQL cluster: (version, name, port), started here?"""
    if os.geteuid() != 0:
        pytest.skip("starting PostgreSQL needs root")
    if shutil.which("pg_lsclusters") is None:
        if shutil.which("apt-get") is None:
            pytest.skip("PostgreSQL is not installed and apt-get is not available")
        _run("apt-get", "update", "-q", timeout=300)
        installed = _run("apt-get", "install", "-y", "-q", "postgresql", timeout=600)
        if installed.returncode != 0 or shutil.which("pg_lsclusters") is None:
            pytest.skip(f"could not install PostgreSQL: {installed.stderr[-300:]}")
    clusters = [line.split() for line in _run("pg_lsclusters", "--no-header").stdout.splitlines() if line.strip()]
    if not clusters:
        pytest.skip("no PostgreSQL cluster")
    version, name, port, status = clusters[0][:4]
    if status == "online":
        return [version, name, port], False
    started = _run("pg_ctlcluster", version, name, "start")
    if started.returncode != 0:
        pytest.skip(f"could not start PostgreSQL: {started.stderr.strip()}")
    return [version, name, port], True


def _psql(port: str, sql: str) -> subprocess.CompletedProcess:
    return _run("runuser", "-u", "postgres", "--", "psql", "-p", port, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql)


@pytest.fixture(scope="module")
def pg_server():
    """A function making a fresh PostgreSQL database and giving its URL; the databases are dropped (and the
    server stopped if started here) after."""
    pytest.importorskip("psycopg", reason="pip install -e '.[postgres]'")
    (version, name, port), started = _start_postgres()
    made: list[str] = []

    def new_database(suffix: str) -> str:
        database = f"quotes_test_{os.getpid()}_{suffix}"
        for sql in (
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quotes_test') THEN "
            "CREATE ROLE quotes_test LOGIN PASSWORD 'quotes_test'; END IF; END $$",
            f"DROP DATABASE IF EXISTS {database}",
            f"CREATE DATABASE {database} OWNER quotes_test",
        ):
            done = _psql(port, sql)
            if done.returncode != 0:
                pytest.skip(f"PostgreSQL refused set-up: {done.stderr.strip()}")
        made.append(database)
        return f"postgresql+psycopg://quotes_test:quotes_test@localhost:{port}/{database}"

    yield new_database
    for database in made:
        _psql(port, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    if started:
        _run("pg_ctlcluster", version, name, "stop")


@pytest.fixture(scope="module")
def pg_engine(pg_server):
    """A fresh PostgreSQL database migrated by open_db."""
    engine = open_db(pg_server("main"))
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_postgres_migrations_leave_exactly_the_schema_the_models_describe(pg_engine):
    with pg_engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn, opts={"include_name": schema.modelled}), schema.Base.metadata) == []
    assert sorted(inspect(pg_engine).get_view_names()) == sorted(schema.VIEWS.tables)


@pytest.mark.postgres
def test_postgres_migration_0003_upgrades_a_0002_database_so_new_articles_join_its_quotes(pg_server):
    url = pg_server("at_0002")
    database_at_0002(url)
    engine = open_db(url)
    check_upgraded_from_0002(engine)
    engine.dispose()


@pytest.mark.postgres
def test_postgres_stores_deduplicates_and_searches_like_sqlite(pg_engine):
    store_article(pg_engine, *story(LONG, url="https://example.com/pg-a", outlet="The Daily",
                                    published=dt.date(2024, 3, 1)))
    store_article(pg_engine, *story(LONG.replace("missile", "rocket"), said_by="Mr. Kirby",
                                    url="https://example.com/pg-b", published=dt.date(2024, 3, 2)))
    assert store_article(pg_engine, *story(LONG, url="https://EXAMPLE.com/pg-a#x")).skipped == 1
    [quote] = search(pg_engine, speaker="MR. KIRBY", role="council", text="launches")
    assert [s["published"] for s in quote["sources"]] == ["2024-03-01", "2024-03-02"]
    assert speakers(pg_engine)[0]["quotes"] == 1


@pytest.mark.postgres
def test_postgres_migration_0006_indexes_and_counts_what_a_0005_database_holds(pg_server):
    url = pg_server("at_0005")
    database_at_0005(url)
    engine = open_db(url)
    check_upgraded_from_0005(engine)
    engine.dispose()


@pytest.mark.postgres
def test_postgres_text_search_matches_whole_words_and_phrases_like_sqlite(pg_engine):
    store_article(pg_engine, *story("We are aware the war moved toward the border", url="https://example.com/pg-war"))
    found = [q["text"] for q in search(pg_engine, text="war")]
    assert found == ["We are aware the war moved toward the border"]
    assert search(pg_engine, text='"war moved"', sort="newest") == search(pg_engine, text="war")
    assert search(pg_engine, text='"moved war"') == []
    assert search(pg_engine, text="ware") == []


@pytest.mark.postgres
def test_postgres_stores_an_article_whose_text_held_a_nul_character(pg_engine):
    article, mentions = story("The harbour stays closed until the cranes are checked", url="https://example.com/pg-nul")
    article = Article(id=article.id, text=article.text.replace(" ", " \x00", 1), url=article.url)
    assert store_article(pg_engine, article, mentions).articles == 1
    with pg_engine.connect() as conn:
        body = conn.scalar(select(schema.Article.body).where(schema.Article.url == article.url))
    assert body == article.text and "\x00" not in body


@pytest.mark.postgres
def test_postgres_read_only_sql_reads_and_refuses_writes(pg_engine):
    result = run_sql(pg_engine, "SELECT count(*) AS n FROM quote_sources WHERE url LIKE '%example%'")
    assert result.columns == ["n"] and result.rows[0][0] >= 0
    for statement in ("DELETE FROM quotes", "SELECT nextval('quotes_id_seq')"):
        with pytest.raises(ReadOnlyError, match=re.escape("read-only")):
            run_sql(pg_engine, statement)


@pytest.mark.postgres
def test_postgres_resolves_speakers_shows_profiles_and_merges_like_sqlite(pg_engine):
    nsc = {**KIRBY, "speaker": "Jon Kirbie", "title": "spokesman"}
    store_article(pg_engine, *story(LONG, by=nsc, said_by="Jon Kirbie", url="https://example.com/pg-c",
                                    outlet="Wire", published=dt.date(2024, 3, 3)))
    store_article(pg_engine, *story("A quote about something else entirely this week", said_by="Kirby",
                                    by={**KIRBY, "speaker": "Kirby"}, url="https://example.com/pg-d"))
    assert [q["speaker"] for q in search(pg_engine, text="entirely")] == ["John Kirby"]
    merge(pg_engine, "John Kirby", "Jon Kirbie")
    profile = speaker_profile(pg_engine, "kirby")
    assert profile["name"] == "John Kirby"
    assert [r["role"] for r in profile["roles"]] == ["National Security Council coordinator",
                                                     "National Security Council spokesperson"]
    assert "Wire" in [o["outlet"] for o in profile["outlets"]]
    assert len(search(pg_engine, speaker="kirbie", text="launches")) == 1


@pytest.mark.postgres
def test_postgres_joins_split_quotes_and_links_misattributions_like_sqlite(pg_engine):
    first, second = WHOLE.split(", ", 1)
    store_article(pg_engine, *split_story(first, second, url="https://wire.example/pg-split", outlet="Wire"))
    assert store_article(pg_engine, *story(WHOLE, url="https://daily.example/pg-whole", outlet="Daily")).quotes == 0
    store_article(pg_engine, *story(WHOLE, by=PRICE, said_by="Price", url="https://other.example/pg-price",
                                    outlet="Other"))
    kirby = search(pg_engine, speaker="kirby", text="embassy")[0]
    assert [s["outlet"] for s in kirby["sources"]] == ["Daily", "Wire"]  # the split printing is one source
    assert [c["speaker"] for c in show_quote(pg_engine, kirby["quote_id"])["conflicts"]] == ["Ned Price"]


@pytest.mark.postgres
def test_postgres_two_ingests_at_once_store_each_article_speaker_and_quote_once(pg_server):
    url = pg_server("race")
    open_db(url).dispose()  # migrated before the race, as any existing database would be
    names = ["Ana Ruiz", "Leo Brandt", "Mira Holm"]
    pairs = []  # each quote printed by two outlets
    for i in range(24):
        name = names[i % len(names)]
        words = f"We counted {i + 3} damaged pylons at pier {i} and expect more"
        by = {**KIRBY, "speaker": name}
        pairs.append((story(words, by=by, said_by=name, url=f"https://daily.example/{i}", outlet="Daily"),
                      story(f"{words}!", by=by, said_by=name, url=f"https://wire.example/{i}", outlet="Wire")))
    orders = [[a for pair in pairs for a in pair], [a for pair in pairs for a in reversed(pair)]]
    start = threading.Barrier(len(orders))

    def ingest_all(articles: list[tuple[Article, list[Mention]]]) -> None:
        engine = open_db(url)
        start.wait()
        for article, mentions in articles:
            store_article(engine, article, mentions)
        engine.dispose()

    with ThreadPoolExecutor(len(orders)) as pool:
        for done in [pool.submit(ingest_all, order) for order in orders]:
            done.result()
    engine = open_db(url)
    assert {table: n for table, n in table_counts(engine).items()
            if table in ("articles", "outlets", "speakers", "quotes", "mentions")} == {
        "articles": 48, "outlets": 2, "speakers": 3, "quotes": 24, "mentions": 48}
    engine.dispose()
