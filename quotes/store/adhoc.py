"""Ad-hoc SQL (``quotes sql``): one read-only statement that cannot reach past the database, in bounded time and rows.

The database itself enforces every rule, so no parser of ours has to be right about SQL:

- **SQLite**: a separate ``mode=ro`` connection with ``query_only``, an authorizer that refuses
  ATTACH, every PRAGMA but the read-only ones Datasette also allows, and functions that leak
  process memory (``fts3_tokenizer``) or load code; a progress handler stops a statement after
  its time limit (and on Ctrl-C).
- **PostgreSQL**: a READ ONLY transaction with ``statement_timeout``, for a login role that can
  reach nothing outside the database. A read-only transaction still lets a superuser run
  ``COPY ... TO PROGRAM`` or ``pg_read_file``, so a session user that is a superuser, or a member
  of a role that may run server programs or read and write server files, is refused (the README
  shows how to create a ``quotes_reader`` role).
"""

from __future__ import annotations

import contextlib
import re
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quotes.store.location import SQLITE_BUSY_TIMEOUT_MS, read_only_uri

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: Seconds a statement may run by default (``quotes sql --timeout``).
DEFAULT_TIMEOUT = 5.0
#: Rows returned by default (``quotes sql --max-rows``); more are cut and counted.
DEFAULT_MAX_ROWS = 10_000

#: SQL lexemes: strings, quoted names, comments, semicolons, and runs of anything else.
_LEXEME = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|;|[^'\";/-]+|.", re.S)

#: PRAGMAs that only read (Datasette's allow-list, and data_version, which FTS5 reads to open its
#: tables: quote_search and the other full-text indexes); any other PRAGMA is refused.
READ_ONLY_PRAGMAS = frozenset("""
    database_list foreign_key_list function_list index_info index_list index_xinfo module_list
    pragma_list table_info table_xinfo table_list collation_list compile_options data_version
""".split())
#: SQL functions refused on SQLite: they leak the process's memory addresses or load code.
DENIED_FUNCTIONS = frozenset({"fts3_tokenizer", "load_extension"})
#: Virtual instructions between two checks of the time limit and of Ctrl-C.
_PROGRESS_STEPS = 10_000

#: PostgreSQL roles that reach past the database: server programs, server files.
PG_DANGEROUS_ROLES = ("pg_execute_server_program", "pg_read_server_files", "pg_write_server_files")
#: SQLSTATEs: a write inside a READ ONLY transaction; a statement cancelled by statement_timeout.
_PG_READ_ONLY, _PG_TIMEOUT = "25006", "57014"
#: How SQLite words a refused write (``mode=ro``/``query_only``) and a statement our authorizer denied.
_SQLITE_REFUSALS = ("readonly database", "not authorized", "authorization denied")


class QueryError(Exception):
    """A query the database could not run; the message says why."""


class ReadOnlyError(QueryError):
    """A query that tried to change the database, which read-only SQL refuses."""


class QueryTimeout(QueryError):
    """A query stopped at its time limit."""


@dataclass
class Result:
    """A statement's column names and rows; ``more`` is True when rows beyond ``max_rows`` were cut."""

    columns: list[str]
    rows: list[tuple]
    more: bool = False


def single_statement(query: str) -> str:
    """The one SQL statement in ``query``, trailing semicolon dropped; QueryError for none or several."""
    statements: list[list[str]] = [[]]
    for lexeme in _LEXEME.findall(query):
        if lexeme == ";":
            statements.append([])
        else:
            statements[-1].append(lexeme)
    code = [s for s in statements if any(x.strip() and not x.startswith(("--", "/*")) for x in s)]
    if not code:
        raise QueryError("no SQL statement given")
    if len(code) > 1:
        raise QueryError("one SQL statement at a time, please")
    return "".join(code[0]).strip()


def _sqlite_authorizer(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
    """Refuse ATTACH/DETACH, PRAGMAs that are not read-only, and DENIED_FUNCTIONS."""
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() not in READ_ONLY_PRAGMAS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@contextlib.contextmanager
def _ctrl_c_stops(connection: sqlite3.Connection) -> Iterator[None]:
    """Ctrl-C interrupts the running statement, then raises KeyboardInterrupt (SQLite would swallow it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[int] = []

    def on_sigint(signum: int, _frame: object) -> None:
        pressed.append(signum)
        connection.interrupt()

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if pressed:
            raise KeyboardInterrupt  # in place of the "interrupted" error the statement ended with


def _sqlite_connection(path: Path | None, timeout: float) -> sqlite3.Connection:
    if path is None:
        raise QueryError("read-only SQL needs a SQLite database file")
    connection = sqlite3.connect(read_only_uri(path.resolve()), uri=True)
    connection.execute(f"PRAGMA busy_timeout = {min(SQLITE_BUSY_TIMEOUT_MS, int(timeout * 1000))}")
    connection.execute("PRAGMA query_only = ON")
    connection.set_authorizer(_sqlite_authorizer)
    deadline = time.monotonic() + timeout
    connection.set_progress_handler(lambda: time.monotonic() > deadline, _PROGRESS_STEPS)
    return connection


def _pg_connection(engine: Engine, timeout: float):
    """A DB-API connection in a READ ONLY transaction, for a login role that cannot reach past the database.

    The check is on ``session_user``, not ``current_user``: a superuser session can always take
    its power back inside one statement (``set_config('role', ...)`` before ``query_to_xml`` of a
    ``COPY ... TO PROGRAM``), so no SET ROLE makes it safe.
    """
    connection = engine.raw_connection()
    cursor = connection.cursor()
    cursor.execute("SET TRANSACTION READ ONLY")
    cursor.execute("SELECT set_config('statement_timeout', %s, true)", (f"{int(timeout * 1000)}ms",))
    cursor.execute(
        "SELECT session_user, rolsuper, " + ", ".join(f"pg_has_role(session_user, '{r}', 'MEMBER')"
                                                     for r in PG_DANGEROUS_ROLES)
        + " FROM pg_roles WHERE rolname = session_user")
    user, superuser, *dangerous = cursor.fetchone()
    if superuser or any(dangerous):
        connection.rollback()
        connection.close()
        what = "a superuser" if superuser else "allowed to run server programs or touch server files"
        raise QueryError(
            f"refused: the database role {user!r} is {what}, so ad-hoc SQL could reach past the database; "
            "connect as a read-only role (see the README: quotes_reader)")
    return connection


def _message(exc: Exception) -> str:
    message = str(exc).strip().splitlines()
    return message[0] if message else type(exc).__name__


def run_sql(db: Engine | Path, query: str, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS) -> Result:
    """Run one SQL statement read-only, stopped after ``timeout`` seconds, keeping ``max_rows`` rows.

    ``db`` is an engine, or the path of a SQLite file (which needs no SQLAlchemy at all: quick to start).

    Raises ReadOnlyError for a statement that would change anything, QueryTimeout at the time
    limit, and QueryError for any other failure (several statements, syntax, unknown table,
    a refused PRAGMA or function, an unsafe PostgreSQL role).
    """
    statement = single_statement(query)
    if isinstance(db, Path):
        connection, errors = _sqlite_connection(db, timeout), sqlite3.Error
    elif db.dialect.name == "sqlite":
        from quotes.store.db import sqlite_path

        connection, errors = _sqlite_connection(sqlite_path(db), timeout), sqlite3.Error
    else:
        connection, errors = _pg_connection(db, timeout), (sqlite3.Error, db.dialect.loaded_dbapi.Error)
    interruptible = _ctrl_c_stops(connection) if isinstance(connection, sqlite3.Connection) else contextlib.nullcontext()
    try:
        with interruptible:
            cursor = connection.cursor()
            cursor.execute(statement)
            columns = [column[0] for column in cursor.description or ()]
            rows = [tuple(row) for row in cursor.fetchmany(max_rows + 1)] if cursor.description else []
    except errors as exc:
        message, state = _message(exc), getattr(exc, "sqlstate", None)
        if state == _PG_TIMEOUT or (isinstance(exc, sqlite3.OperationalError) and message == "interrupted"):
            raise QueryTimeout(f"stopped after {timeout:g} s (see --timeout)") from None
        if state == _PG_READ_ONLY or any(m in message.lower() for m in _SQLITE_REFUSALS):
            raise ReadOnlyError(f"read-only: the database refused to change anything ({message})") from None
        raise QueryError(message) from None
    finally:
        connection.rollback()
        connection.close()
    return Result(columns, rows[:max_rows], more=len(rows) > max_rows)
