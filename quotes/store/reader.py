"""Read the store with plain SQL: a SQLite file through the standard library's sqlite3 alone, any other
database through SQLAlchemy.

The query commands read this way because importing SQLAlchemy costs more than their whole query
(~0.7 s of CPU against milliseconds): on SQLite, ``quotes search`` never imports it. The SQL they
run is the same on both databases, ``:name`` parameters and all, but for what
quotes.store.textsearch writes per dialect.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quotes.store.location import SQLITE_BUSY_TIMEOUT_MS, read_only_uri, resolve_url, sqlite_file, sqlite_reader

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


class Reader:
    """A read-only connection running SQL with ``:name`` parameters; ``dialect`` is "sqlite" or "postgresql"."""

    dialect: str

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
        """Every row of ``sql``."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the connection."""


class SqliteReader(Reader):
    """A SQLite file opened read-only with sqlite3 (no SQLAlchemy)."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(read_only_uri(path), uri=True)
        self.connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        self.connection.execute("PRAGMA query_only = ON")

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
        return self.connection.execute(sql, params or {}).fetchall()

    def close(self) -> None:
        self.connection.close()


class ConnectionReader(Reader):
    """A SQLAlchemy connection of any dialect."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
        from sqlalchemy import text

        return [tuple(row) for row in self.connection.execute(text(sql), params or {})]

    def close(self) -> None:
        self.connection.close()


def open_reader(db: str | None) -> Reader:
    """A reader of ``--db`` (URL, SQLite path or None for the default), checked as reading commands need it.

    StoreError (quotes.store.location) when it cannot be read; ImportError without the driver.
    """
    url = resolve_url(db)
    if sqlite_file(url):
        return SqliteReader(sqlite_reader(url))
    from quotes.store.db import open_db

    return ConnectionReader(open_db(url, write=False).connect())


@contextmanager
def reading(db: Engine | Reader) -> Iterator[Reader]:
    """``db`` as a reader: a reader as it is, an engine's connection for the block."""
    if isinstance(db, Reader):
        yield db
        return
    reader = ConnectionReader(db.connect())
    try:
        yield reader
    finally:
        reader.close()


def in_list(name: str, values: Sequence[object]) -> tuple[str, dict[str, object]]:
    """``(:name0, :name1, ...)`` for an ``IN`` condition on ``values``, and its parameters."""
    params = {f"{name}{i}": value for i, value in enumerate(values)}
    return "(" + ", ".join(f":{key}" for key in params) + ")", params
