"""Open the database: where it is, how connections are set up, and which commands may change it.

Writing commands (``open_db(db, write=True)``: ingest, merges) create a missing SQLite file and
migrate a database that is empty or already ours to the newest schema. Reading commands
(``write=False``: search, show, sql, report) open an existing database read-only and never
change it: a missing file, a file that is not a SQLite database, another application's database
or an out-of-date schema is a :class:`StoreError` saying what to do. The schema revision is read
straight from ``alembic_version``, so Alembic is imported only when a migration must run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from quotes.store.location import (  # noqa: F401  (the store's names for them)
    KNOWN_REVISIONS,
    SCHEMA_REVISION,
    SQLITE_BUSY_TIMEOUT_MS,
    StoreError,
    check_sqlite_file,
    checkout_dir,
    data_dir,
    default_url,
    judge_revision,
    migrations_dir,
    read_only_uri,
    resolve_url,
)

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

#: KiB of page cache for each SQLite connection that may write.
WRITER_CACHE_KIB = 65536


def _configure_sqlite(engine: Engine, read_only: bool) -> None:
    """Busy timeout and foreign keys on every connection; SQLAlchemy emits BEGIN itself.

    pysqlite's legacy transaction handling would autocommit DDL and skip BEGIN before reads;
    taking over BEGIN makes migrations and each ingested article truly atomic.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("PRAGMA synchronous = NORMAL")  # with WAL (set by open_db): safe, far fewer fsyncs
            # the pages a batch writes to a large store's indexes would not fit in the default 2 MiB cache
            cursor.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
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


def make_engine(url: str, read_only: bool = False) -> Engine:
    """An engine for a resolved URL: SQLite gets busy_timeout, foreign keys and WAL (or ``mode=ro``), PostgreSQL the writer lock."""
    if read_only and url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        url = f"sqlite:///{read_only_uri(Path(url.removeprefix('sqlite:///')))}&uri=true"
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, read_only)
    elif engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
    return engine


def writer(engine: Engine) -> Engine:
    """The engine for read-then-write transactions, which run one at a time (see WRITER)."""
    return engine.execution_options(**{WRITER: True})


def sqlite_path(engine: Engine) -> Path | None:
    """The file of a SQLite database, None for in-memory SQLite and other databases."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        return None
    return Path(unquote(database.removeprefix("file:"))) if engine.url.query.get("uri") else Path(database)


def describe(engine: Engine) -> str:
    """The database as a person names it: the SQLite file's path, else the URL without its password."""
    path = sqlite_path(engine)
    return str(path) if path is not None else engine.url.render_as_string(hide_password=True)


def upgrade(engine: Engine) -> None:
    """Migrate the database to SCHEMA_REVISION with Alembic (imported only here)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with writer(engine).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _check_revision(engine: Engine, write: bool) -> None:
    """Migrate (writers) or refuse (readers) a database not at SCHEMA_REVISION; always refuse a newer one.

    The revision is read from ``alembic_version``, so Alembic is imported only when a migration must run.
    """
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        found = (connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
                 if "alembic_version" in tables else [])
    if judge_revision(tables, found, describe(engine), write):
        upgrade(engine)


#: What a database failure means for the person at the terminal, by words in its message (SQLite, PostgreSQL).
_FAILURES = (
    (("database is locked", "lock timeout"), "the database is locked by another writer and stayed locked for "
     "{timeout:g} s; nothing stored was lost: run the command again once the other one is done"),
    (("database or disk is full", "no space left on device", "could not extend file", "disk full"),
     "the disk is full; what was stored before is intact: free some space and run the command again"),
    (("attempt to write a readonly database", "readonly database"),
     "the database file or its directory is read-only; writing commands need write access"),
)


def explain_failure(exc: BaseException) -> str | None:
    """One line saying what a database failure means and what to do; None for any other exception."""
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, (DBAPIError, sqlite3.Error, OSError)):
        return None
    text = str(getattr(exc, "orig", None) or exc).lower()
    for words, message in _FAILURES:
        if any(word in text for word in words):
            return message.format(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    if isinstance(exc, DBAPIError):
        first = str(exc.orig or exc).strip().splitlines()
        return f"database error: {first[0] if first else type(exc).__name__}"
    return None


def open_db(db: str | None = None, write: bool = True) -> Engine:
    """The engine for ``--db`` (URL, SQLite path or None for the default).

    ``write``: create a missing SQLite file and migrate to the newest schema. Otherwise the
    database must exist at the newest schema, and SQLite is opened read-only. StoreError when
    the database cannot be used as asked.
    """
    url = resolve_url(db)
    if not db and write:
        data_dir().mkdir(parents=True, exist_ok=True)  # the user's data directory, on first ingest
    check_sqlite_file(url, write)
    engine = make_engine(url, read_only=not write)
    try:
        _check_revision(engine, write)
        if write and engine.dialect.name == "sqlite":
            raw = engine.raw_connection()  # outside a transaction, which SQLAlchemy would begin
            try:  # WAL persists in the file: readers never block the writer
                raw.driver_connection.execute("PRAGMA journal_mode = WAL")
            finally:
                raw.close()
    except (sqlite3.DatabaseError, SQLAlchemyError) as exc:  # the WAL pragma runs on the raw driver connection
        engine.dispose()
        message = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        raise StoreError(f"cannot open the database: {message[0] if message else type(exc).__name__}") from None
    return engine


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping]) -> None:
    """Insert many rows of one shape: PostgreSQL's COPY, elsewhere one executemany (the rows' keys name the columns)."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), list(rows))
        return
    columns = list(rows[0])
    names = ", ".join(conn.dialect.identifier_preparer.quote(column) for column in columns)
    statement = f"COPY {table.name} ({names}) FROM STDIN"
    dbapi = conn.dialect.loaded_dbapi
    try:
        with conn.connection.driver_connection.cursor().copy(statement) as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])
    except dbapi.Error as exc:  # the driver's own error: as SQLAlchemy raises it for any statement
        raise DBAPIError.instance(statement, None, exc, dbapi.Error, dialect=conn.dialect) from exc
