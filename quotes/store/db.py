"""Open the database: URL resolution, engine set-up, and migrations to head on every open."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

import quotes
import quotes.migrations

#: Milliseconds a SQLite connection waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000

#: Execution option :func:`writer` sets on read-then-write transactions. SQLite begins them with
#: BEGIN IMMEDIATE, taking the write lock at BEGIN, so one never fails half-way on a concurrent
#: writer; PostgreSQL takes :data:`PG_WRITER_LOCK` first.
WRITER = "quotes_writer"

#: Key of the transaction-level advisory lock (``pg_advisory_xact_lock``) every writer transaction
#: takes first on PostgreSQL: any constant the application uses for nothing else ("quotes" in
#: ASCII). Under READ COMMITTED two ingests could each read that a speaker, outlet or wording is
#: not stored yet and each insert it, making duplicate quotes (or failing on a unique key); holding
#: this lock until commit or rollback runs writers one at a time, as BEGIN IMMEDIATE does on SQLite.
PG_WRITER_LOCK = 0x71756F746573


def data_dir() -> Path:
    """Where the default database and alias file live: ``<repo>/db`` in a source checkout, else ``.``."""
    repo_db = Path(quotes.__file__).resolve().parents[1] / "db"
    return repo_db if repo_db.is_dir() else Path.cwd()


def default_url() -> str:
    """SQLite file ``<repo>/db/quotes.sqlite`` in a source checkout, else ``./quotes.sqlite``."""
    return f"sqlite:///{data_dir() / 'quotes.sqlite'}"


def resolve_url(db: str | None) -> str:
    """A SQLAlchemy URL from ``--db``: a URL as given, a plain path as a SQLite file, None as the default."""
    if not db:
        return default_url()
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def _configure_sqlite(engine: Engine) -> None:
    """WAL, busy timeout and foreign keys on every connection; SQLAlchemy emits BEGIN itself.

    pysqlite's legacy transaction handling would autocommit DDL and skip BEGIN before reads;
    taking over BEGIN makes migrations and each ingested article truly atomic.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITER) else "BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    """Writer transactions wait for and hold PG_WRITER_LOCK, so they run one at a time."""

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        if connection.get_execution_options().get(WRITER):
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITER_LOCK})")


def make_engine(url: str) -> Engine:
    """An engine for a resolved URL: SQLite gets WAL, busy_timeout and foreign keys, PostgreSQL the writer lock."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    elif engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
    return engine


def writer(engine: Engine) -> Engine:
    """The engine for read-then-write transactions, which run one at a time (see WRITER)."""
    return engine.execution_options(**{WRITER: True})


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(quotes.migrations.__file__).parent))
    return config


def upgrade(engine: Engine) -> None:
    """Migrate the database to the newest schema; a quick no-op when it is already there."""
    config = _alembic_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect() as connection:
        if set(MigrationContext.configure(connection).get_current_heads()) == heads:
            return
    with writer(engine).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_db(db: str | None = None) -> Engine:
    """The engine for ``--db`` (URL, SQLite path or None for the default), migrated to head."""
    engine = make_engine(resolve_url(db))
    upgrade(engine)
    return engine


def sqlite_path(engine: Engine) -> Path | None:
    """The file of a SQLite database, None for in-memory SQLite and other databases."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        return None
    return Path(database)
