"""A database that is locked, full, newer or missing: one line saying what happened and what to do, data intact."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import event

from quotes.article import Article
from quotes.cli import cli
from quotes.ingest import ingest
from quotes.read import read_paths
from quotes.store.db import SCHEMA_REVISION, explain_failure, open_db
from test_store import database_at, dump

STORY = ('The harbor board met on Tuesday.\n\n"We will rebuild the north pier before winter," said Ana Ruiz, '
         'the board\'s chair.\n\n')


def quotes_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from quotes.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


@pytest.fixture
def db(tmp_path: Path, nlp) -> Path:
    path = tmp_path / "quotes.sqlite"
    (tmp_path / "a.txt").write_text(STORY)
    engine = open_db(str(path))
    assert ingest(engine, read_paths([str(tmp_path / "a.txt")]), nlp=nlp).articles == 1
    engine.dispose()
    return path


def test_an_ingest_waiting_too_long_for_the_write_lock_says_so_and_stores_nothing(db, tmp_path):
    (tmp_path / "b.txt").write_text(STORY.replace("north", "south"))
    before = dump(open_db(str(db), write=False))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        done = quotes_cli("--db", str(db), "ingest", str(tmp_path / "b.txt"), env={"QUOTES_LOCK_TIMEOUT": "0.5"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "error: the database is locked by another writer and stayed locked for 0.5 s; nothing stored was lost: "
        "run the command again once the other one is done")
    assert dump(open_db(str(db), write=False)) == before


def test_a_lock_timeout_that_is_no_number_is_warned_about_and_the_default_kept(db):
    done = quotes_cli("--db", str(db), "sql", "select count(*) as n from articles", "--format", "csv",
                      env={"QUOTES_LOCK_TIMEOUT": "30s"})
    assert done.returncode == 0 and done.stdout.split() == ["n", "1"]
    assert "QUOTES_LOCK_TIMEOUT='30s' is not a number of seconds" in done.stderr and "Traceback" not in done.stderr


def test_a_full_disk_stops_the_ingest_with_the_stored_articles_intact(db, nlp):
    engine = open_db(str(db))
    before = dump(engine)

    @event.listens_for(engine, "connect")
    def _no_room(dbapi_connection, _record) -> None:  # as if the disk had no page left
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()
    big = Article(id="big", text=STORY + "The minutes ran long. " * 1_000)
    with pytest.raises(Exception) as failed:
        ingest(engine, [big], nlp=nlp)
    assert explain_failure(failed.value) == (
        "the disk is full; what was stored before is intact: free some space and run the command again")
    assert dump(open_db(str(db), write=False)) == before


def test_a_database_from_a_newer_quotes_is_refused_by_every_command(db):
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    for command in (["search"], ["sql", "SELECT 1"], ["ingest", str(db.parent / "a.txt")]):
        result = CliRunner().invoke(cli, ["--db", str(db), *command])
        assert result.exit_code == 1
        assert result.stderr.startswith("error: the database has schema revision 0999, newer than this version")


def test_a_file_that_is_not_a_database_is_refused_and_kept(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping: eggs, milk\n")
    for command in (["search"], ["ingest", str(notes)]):
        result = CliRunner().invoke(cli, ["--db", str(notes), *command])
        assert result.exit_code == 1 and result.stderr == f"error: {notes} is not a SQLite database\n"
    assert notes.read_text() == "shopping: eggs, milk\n"


def test_an_older_schema_is_upgraded_only_by_a_writing_command(tmp_path):
    path = tmp_path / "old.sqlite"
    database_at(f"sqlite:///{path}", "0003")
    refused = CliRunner().invoke(cli, ["--db", str(path), "search"])
    assert refused.exit_code == 1
    assert refused.stderr == ("error: the database has the older schema revision 0003: `quotes upgrade` migrates it "
                              f"to {SCHEMA_REVISION}\n")
    upgraded = CliRunner().invoke(cli, ["--db", str(path), "upgrade"])
    assert upgraded.exit_code == 0 and f"schema revision {SCHEMA_REVISION}" in upgraded.stdout
    assert CliRunner().invoke(cli, ["--db", str(path), "search"]).exit_code == 0


@pytest.fixture
def read_only_mount(tmp_path: Path):
    """A read-only bind mount of a fresh directory (needs root and mount), unmounted after."""
    source, mounted = tmp_path / "source", tmp_path / "mounted"
    source.mkdir()
    mounted.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "--bind", source, mounted], capture_output=True).returncode:
        pytest.skip("a read-only mount needs root and mount(8)")
    try:
        yield source, mounted
    finally:
        subprocess.run(["umount", "--lazy", mounted], capture_output=True)  # open engines may still hold the file


def test_a_database_on_a_read_only_file_system_is_read_by_every_read_command(db, read_only_mount):
    source, mounted = read_only_mount
    (source / "quotes.sqlite").write_bytes(db.read_bytes())  # a WAL database, folded back into the file
    assert subprocess.run(["mount", "-o", "remount,ro,bind", mounted], capture_output=True).returncode == 0
    archived = str(mounted / "quotes.sqlite")
    found = CliRunner().invoke(cli, ["--db", archived, "search", "--speaker", "ruiz", "--format", "json"])
    assert found.exit_code == 0 and '"speaker": "Ana Ruiz"' in found.stdout
    counted = CliRunner().invoke(cli, ["--db", archived, "sql", "SELECT count(*) AS n FROM quotes", "--format", "csv"])
    assert counted.stdout.splitlines() == ["n", "1"]
    refused = CliRunner().invoke(cli, ["--db", archived, "ingest", str(db.parent / "a.txt")])
    assert refused.exit_code == 1 and refused.stderr.startswith("error: ")


def test_the_schema_revision_quotes_checks_is_alembics_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from quotes.store.db import KNOWN_REVISIONS

    scripts = ScriptDirectory.from_config(Config(str(Path(__file__).resolve().parents[1] / "db" / "alembic.ini")))
    assert scripts.get_heads() == [SCHEMA_REVISION]
    assert [s.revision for s in reversed(list(scripts.walk_revisions()))] == list(KNOWN_REVISIONS)
