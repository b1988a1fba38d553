"""Ad-hoc SQL stays inside the database, in bounded time and rows, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.store.adhoc import QueryError, QueryTimeout, ReadOnlyError, run_sql
from quotes.store.db import open_db
from quotes.store.write import store_article
from test_store import LONG, _psql, dump, pg_server, story  # noqa: F401  (pg_server is a fixture)

FOREVER = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "quotes.sqlite"
    engine = open_db(str(path))
    store_article(engine, *story(LONG, url="https://example.com/a", published=dt.date(2024, 3, 1)))
    engine.dispose()  # the last connection closed: SQLite folds the WAL back into the file
    return path


def test_a_never_ending_query_stops_at_its_time_limit(db):
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="stopped after 0.3 s"):
        run_sql(open_db(str(db), write=False), FOREVER, timeout=0.3)
    assert time.monotonic() - started < 5


def test_rows_beyond_the_limit_are_cut_and_said(db):
    result = run_sql(open_db(str(db), write=False),
                     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) SELECT i FROM n",
                     max_rows=20)
    assert result.rows == [(i,) for i in range(1, 21)] and result.more


def test_the_cli_notes_cut_rows_on_stderr(db):
    result = CliRunner().invoke(cli, ["--db", str(db), "sql", "--max-rows", "1", "--format", "csv",
                                      "SELECT name FROM speakers UNION ALL SELECT name FROM speakers"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["name", "John Kirby"]
    assert "note: only the first 1 rows are shown (see --max-rows)" in result.stderr


def test_ctrl_c_stops_a_running_query(db):
    code = "from quotes.cli import main; main()"
    child = subprocess.Popen([sys.executable, "-c", code, "--db", str(db), "sql", "--timeout", "60", FOREVER],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)  # started, and running the query
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=10)
    assert child.returncode == 1 and err.strip().splitlines()[-1] == "Aborted!"


@pytest.mark.parametrize("pragma", ["PRAGMA writable_schema = 1", "PRAGMA journal_mode = DELETE",
                                    "PRAGMA query_only = 0"])
def test_pragmas_that_change_anything_are_refused(db, pragma):
    engine = open_db(str(db), write=False)
    with pytest.raises(ReadOnlyError):
        run_sql(engine, pragma)


def test_read_only_pragmas_are_allowed(db):
    result = run_sql(open_db(str(db), write=False), "PRAGMA table_info(speakers)")
    assert "name" in [row[1] for row in result.rows]


def test_fts3_tokenizer_cannot_leak_memory_addresses(db):
    with pytest.raises(QueryError, match="not authorized"):
        run_sql(open_db(str(db), write=False), "SELECT hex(fts3_tokenizer('simple'))")


def test_a_read_command_leaves_the_database_file_untouched(db):
    assert list(db.parent.glob("quotes.sqlite-*")) == []
    engine = open_db(str(db), write=False)
    before = db.read_bytes()
    run_sql(engine, "SELECT count(*) FROM mentions")
    assert CliRunner().invoke(cli, ["--db", str(db), "search", "--speaker", "kirby"]).exit_code == 0
    assert db.read_bytes() == before


def test_another_applications_database_is_refused_and_left_as_it_was(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    before = other.read_bytes()
    for command in (["search", "--speaker", "kirby"], ["sql", "SELECT 1"], ["report", "-o", "-"]):
        result = CliRunner().invoke(cli, ["--db", str(other), *command])
        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: {other} is not a quotes database (it holds other tables: notes)")
    assert CliRunner().invoke(cli, ["--db", str(other), "ingest", str(tmp_path / "none")]).exit_code == 1
    assert other.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


# --- PostgreSQL --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pg_superuser(pg_server):
    """The URL of a fresh migrated database reached as a superuser login role."""
    url = pg_server("adhoc")
    port = url.rsplit(":", 1)[1].split("/")[0]
    _psql(port, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quotes_test_super') THEN "
                "CREATE ROLE quotes_test_super LOGIN SUPERUSER PASSWORD 'quotes_test_super'; END IF; END $$")
    open_db(url).dispose()
    return url.replace("quotes_test:quotes_test@", "quotes_test_super:quotes_test_super@")


@pytest.mark.postgres
def test_postgres_refuses_ad_hoc_sql_as_a_superuser_and_runs_no_program(pg_superuser, tmp_path):
    marker = Path("/tmp") / f"quotes-test-copy-{os.getpid()}"
    engine = open_db(pg_superuser, write=False)
    for statement in (f"COPY (SELECT 1) TO PROGRAM 'touch {marker}'", "SELECT pg_read_file('/etc/hostname')",
                      "SELECT 1"):
        with pytest.raises(QueryError, match="refused: the database role 'quotes_test_super' is a superuser"):
            run_sql(engine, statement)
    assert not marker.exists()


@pytest.mark.postgres
def test_postgres_ordinary_role_cannot_copy_to_a_program_or_read_server_files(pg_server):
    url = pg_server("adhoc_plain")
    engine = open_db(url)
    marker = Path("/tmp") / f"quotes-test-copy-plain-{os.getpid()}"
    for statement in (f"COPY (SELECT 1) TO PROGRAM 'touch {marker}'", "SELECT pg_read_file('/etc/hostname')",
                      "SELECT lo_import('/etc/hostname')"):
        with pytest.raises(QueryError):
            run_sql(engine, statement)
    assert not marker.exists()
    assert run_sql(engine, "SELECT count(*) FROM quotes").rows == [(0,)]


@pytest.mark.postgres
def test_postgres_never_ending_query_stops_at_its_time_limit(pg_server):
    engine = open_db(pg_server("adhoc_slow"))
    with pytest.raises(QueryTimeout):
        run_sql(engine, "SELECT pg_sleep(30)", timeout=0.5)


def test_sqlite_database_is_unchanged_by_refused_statements(db):
    engine = open_db(str(db), write=False)
    before = dump(engine)
    for statement in ("DELETE FROM quotes", "PRAGMA writable_schema = 1", "ATTACH 'x.db' AS x"):
        with pytest.raises(QueryError):
            run_sql(engine, statement)
    assert dump(engine) == before
