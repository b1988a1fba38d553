"""Where the database is and whether it is one quotes can use, found without SQLAlchemy.

The query commands start by asking this: ``quotes sql`` on a SQLite file then needs nothing but
the standard library's sqlite3, and every command judges the schema revision by the same rule
(:func:`judge_revision`), whether the revision was read through SQLAlchemy (quotes.store.db)
or straight from the file (:func:`sqlite_reader`).
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import warnings
from pathlib import Path
from urllib.parse import quote as url_quote

#: The newest schema revision this version of quotes writes (a test checks it is Alembic's head).
SCHEMA_REVISION = "0008"
#: Every revision this version knows, oldest first.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")


def _busy_timeout_ms(seconds: str | None) -> int:
    """QUOTES_LOCK_TIMEOUT (seconds) in milliseconds: 30 s when unset, or, with a warning, when not a number."""
    try:
        return int(float(seconds or "30") * 1000)
    except ValueError:
        warnings.warn(f"QUOTES_LOCK_TIMEOUT={seconds!r} is not a number of seconds: waiting 30 s for a lock", stacklevel=2)
        return 30_000


#: Milliseconds a SQLite connection waits for another writer before giving up (env QUOTES_LOCK_TIMEOUT, seconds).
SQLITE_BUSY_TIMEOUT_MS = _busy_timeout_ms(os.environ.get("QUOTES_LOCK_TIMEOUT"))

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


def migrations_dir() -> Path:
    """The Alembic migrations this code runs: its own checkout's ``db/migrations``, else the packaged ``quotes.migrations``.

    In a checkout the two are the same files unless the package was installed from another
    checkout (an editable install shared by several work trees), whose migrations would not
    match this code's schema.
    """
    checkout = checkout_dir()
    if checkout is not None:
        return checkout / "db" / "migrations"
    spec = importlib.util.find_spec("quotes.migrations")
    return Path(next(iter(spec.submodule_search_locations)))


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


def read_only_uri(path: Path) -> str:
    """The SQLite URI opening ``path`` read-only.

    A WAL database needs its -shm file beside it even to be read; where the directory is
    read-only (a mounted archive), nobody can be writing it, so SQLite may treat it as immutable.
    """
    immutable = "" if os.access(path.parent, os.W_OK) else "&immutable=1"
    return f"file:{url_quote(str(path))}?mode=ro{immutable}"


def check_sqlite_file(url: str, write: bool) -> None:
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


def sqlite_file(url: str) -> Path | None:
    """The file a resolved SQLite URL names; None for in-memory SQLite and other databases."""
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:" or "?" in url:
        return None
    return Path(url.removeprefix("sqlite:///"))


def judge_revision(tables: set[str], found: list[str], where: str, write: bool) -> bool:
    """Whether a database holding ``tables`` and the alembic_version rows ``found`` must be migrated
    (only a writer may); StoreError for another application's database, a newer schema, or an
    empty or older one opened by a reader."""
    current = found[0] if "alembic_version" in tables and len(found) == 1 else None
    if current is None and tables and "alembic_version" not in tables:
        shown = ", ".join(sorted(tables)[:5])
        raise StoreError(f"{where} is not a quotes database "
                         f"(it holds other tables: {shown}); give quotes a database of its own")
    if current == SCHEMA_REVISION:
        return False
    if current is not None and current not in KNOWN_REVISIONS:
        raise StoreError(f"the database has schema revision {current}, newer than this version of quotes "
                         f"knows ({SCHEMA_REVISION}): upgrade quotes (pip install -U quotes)")
    if not write:
        if current is None:
            raise StoreError("the database is empty: `quotes ingest` fills it")
        raise StoreError(f"the database has the older schema revision {current}: "
                         f"`quotes upgrade` migrates it to {SCHEMA_REVISION}")
    return True


def sqlite_reader(url: str) -> Path:
    """The SQLite file of ``url``, checked, as a reading command needs it: it exists, is a quotes database
    and has this version's schema. StoreError otherwise."""
    path = sqlite_file(url)
    assert path is not None, url
    check_sqlite_file(url, write=False)
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            found = ([row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
                     if "alembic_version" in tables else [])
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        message = str(exc).strip().splitlines()
        raise StoreError(f"cannot open the database: {message[0] if message else type(exc).__name__}") from None
    judge_revision(tables, found, str(path), write=False)
    return path
