"""Open the database: where it is, how connections are set up, and which commands may change it.

Writing commands (``open_db(db, write=True)``: ingest, merges) create a missing SQLite file and
migrate a database that is empty or already ours to the newest schema. Reading commands
(``write=False``: search, show, sql, report) open an existing database read-only and never
change it: a missing file, a file that is not a SQLite database, another application's database
or an out-of-date schema is a :class:`StoreError` saying what to do. The schema revision is read
straight from ``alembic_version``, so Alembic is imported only when a migration must run.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote as url_quote
from urllib.parse import unquote

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import SQLAlchemyError

#: The newest schema revision this version of quotes writes (a test checks it is Alembic's head).
SCHEMA_REVISION = "0005"
#: Every revision this version knows, oldest first.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005")

#: Milliseconds a SQLite connection waits for another writer before giving up (env QUOTES_LOCK_TIMEOUT, seconds).
SQLITE_BUSY_TIMEOUT_MS = int(float(os.environ.get("QUOTES_LOCK_TIMEOUT", "30")) * 1000)

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

_SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(Exception):
    """A database that cannot be opened for what was asked; the message says why and what to do."""


def checkout_dir() -> Path | None:
    """The source checkout this package runs from (``pyproject.toml`` and ``db/migrations`` beside it), else None."""
    spec = importlib.util.find_spec("quotes")
    root = Path(next(iter(spec.submodule_search_locations))).resolve().parent if spec else None
    if root and (root / "pyproject.toml").is_file() and (root / "db" / "migrations").is_dir():
        return root
    return None


def data_dir() -> Path:
    """Where the default database and alias file live: ``db/`` in a source checkout, else the user's data directory.

    The user's data directory is platformdirs' ``user_data_path("quotes")``: on Linux
    ``$XDG_DATA_HOME/quotes`` (``~/.local/share/quotes``), on macOS
    ``~/Library/Application Support/quotes``, on Windows ``%LOCALAPPDATA%\\quotes``.
    """
    checkout = checkout_dir()
    if checkout is not None:
        return checkout / "db"
    from platformdirs import user_data_path

    return user_data_path("quotes", appauthor=False)


def default_url() -> str:
    """The SQLite file ``quotes.sqlite`` in :func:`data_dir`."""
    return f"sqlite:///{data_dir() / 'quotes.sqlite'}"


def resolve_url(db: str | None) -> str:
    """A SQLAlchemy URL from ``--db``: a URL as given, a plain path as a SQLite file, None as the default."""
    if not db:
        return default_url()
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


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


def read_only_uri(path: Path) -> str:
    """The SQLite URI opening ``path`` read-only.

    A WAL database needs its -shm file beside it even to be read; where the directory is
    read-only (a mounted archive), nobody can be writing it, so SQLite may treat it as immutable.
    """
    immutable = "" if os.access(path.parent, os.W_OK) else "&immutable=1"
    return f"file:{url_quote(str(path))}?mode=ro{immutable}"


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


def _check_sqlite_file(url: str, write: bool) -> None:
    """A clear StoreError for a SQLite path that is missing, in a missing directory, or not a SQLite file."""
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return
    path = Path(url.removeprefix("sqlite:///"))
    if not path.exists():
        if not write:
            raise StoreError(f"no database at {path}: `quotes ingest` creates it")
        if not path.parent.is_dir():
            raise StoreError(f"cannot create the database {path}: the directory {path.parent} does not exist")
        return
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    if header and header != _SQLITE_HEADER:
        raise StoreError(f"{path} is not a SQLite database")


def revision(engine: Engine) -> str | None:
    """The schema revision stored in the database; None for an empty database; StoreError for another application's."""
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" in tables:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            return found[0] if len(found) == 1 else None
    if tables:
        shown = ", ".join(sorted(tables)[:5])
        raise StoreError(f"{describe(engine)} is not a quotes database "
                         f"(it holds other tables: {shown}); give quotes a database of its own")
    return None


def upgrade(engine: Engine) -> None:
    """Migrate the database to SCHEMA_REVISION with Alembic (imported only here)."""
    from alembic import command
    from alembic.config import Config

    spec = importlib.util.find_spec("quotes.migrations")
    config = Config()
    config.set_main_option("script_location", str(next(iter(spec.submodule_search_locations))))
    with writer(engine).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _check_revision(engine: Engine, write: bool) -> None:
    """Migrate (writers) or refuse (readers) a database not at SCHEMA_REVISION; always refuse a newer one."""
    current = revision(engine)
    if current == SCHEMA_REVISION:
        return
    if current is not None and current not in KNOWN_REVISIONS:
        raise StoreError(f"the database has schema revision {current}, newer than this version of quotes "
                         f"knows ({SCHEMA_REVISION}): upgrade quotes (pip install -U quotes)")
    if not write:
        if current is None:
            raise StoreError("the database is empty: `quotes ingest` fills it")
        raise StoreError(f"the database has the older schema revision {current}: "
                         f"`quotes upgrade` migrates it to {SCHEMA_REVISION}")
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
    _check_sqlite_file(url, write)
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
