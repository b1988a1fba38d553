"""The store under pressure: an ingest killed with SIGKILL, and two ingests at once, in real processes."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from quotes.store.db import open_db
from test_store import dump

NAMES = ["Ana Ruiz", "Leo Brandt", "Mira Holm", "Sam Otieno", "Ivo Lund", "Jo Park"]


def articles(folder: Path, count: int) -> Path:
    """``count`` short articles, each quoting two people, one per file."""
    folder.mkdir()
    for i in range(count):
        a, b = NAMES[i % len(NAMES)], NAMES[(i + 1) % len(NAMES)]
        body = (
            f"Story {i}: the council met on day {i} to discuss pier number {i}.\n\n"
            f'"Pier {i} will reopen once the divers finish their survey," {a} said.\n\n'
            f'"We counted {i + 3} damaged pylons and expect more," said {b}, the harbor engineer.\n\n'
            + "The meeting ran late, and the vote was postponed until next week. " * 8
        )
        (folder / f"a{i:03}.txt").write_text(f"---\noutlet: Harbor News\npublished: 2026-01-{1 + i % 28:02}\n---\n{body}")
    return folder


def ingest(db: Path, folder: Path, *options: str) -> subprocess.Popen:
    env = {**os.environ, "QUOTES_ALIASES": str(db.parent / "aliases.csv")}
    cmd = [str(Path(sys.executable).parent / "quotes"), "--db", str(db), "ingest", str(folder), *options]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def stored(db: Path) -> int:
    try:
        with open_db(str(db)).connect() as conn:
            return conn.execute(text("select count(*) from articles")).scalar_one()
    except Exception:  # not created yet, or locked for the moment
        return 0


def stored_so_far(db: Path) -> int:
    """What ``stored`` counts, read in a millisecond by a plain read-only connection, so that a kill lands
    right after the count is reached (opening the store the way quotes does takes far longer)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)) as conn:
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:  # not created or migrated yet
        return 0


def test_an_ingest_killed_mid_way_then_rerun_equals_an_uninterrupted_one(tmp_path):
    folder = articles(tmp_path / "in", 40)
    whole, killed = tmp_path / "whole" / "q.sqlite", tmp_path / "killed" / "q.sqlite"
    whole.parent.mkdir(), killed.parent.mkdir()
    assert ingest(whole, folder).wait(timeout=300) == 0

    proc = ingest(killed, folder, "--batch", "2")  # commits early and often, so the kill lands between them
    deadline = time.monotonic() + 120
    while stored_so_far(killed) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    workers = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert 3 <= stored(killed) < 40
    assert workers, "the ingest extracted in one process: nothing shows that its workers go with it"
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "extraction workers outlived their parent"

    assert ingest(killed, folder).wait(timeout=300) == 0
    assert dump(open_db(str(killed))) == dump(open_db(str(whole)))


def test_two_ingests_at_once_on_one_sqlite_file_store_each_article_once(tmp_path):
    folder = articles(tmp_path / "in", 12)
    db = tmp_path / "q.sqlite"
    open_db(str(db))  # migrated before the race, as any existing database would be
    procs = [ingest(db, folder), ingest(db, folder)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with open_db(str(db)).connect() as conn:
        assert conn.execute(text("select count(*) from articles")).scalar_one() == 12
        assert conn.execute(text("select count(*) from mentions")).scalar_one() == 24
    assert all("errors: 0" in out.decode() for out, _ in outputs)
