"""`quotes browse`: Datasette with the project's descriptions and canned queries, whatever the file is called, read-only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_browser import TIMEOUT, _free_port, _json_once_up
from test_report import seed_database

from quotes.cli import cli
from quotes.store.browse import datasette_metadata

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def monitor_db(tmp_path_factory, nlp) -> Path:
    """The seeds in a file whose name is not quotes.sqlite."""
    return seed_database(tmp_path_factory.mktemp("monitor") / "monitor-2026.db", nlp)


def test_the_metadata_is_filed_under_the_name_datasette_gives_the_file():
    metadata = datasette_metadata(Path("/data/archive/monitor-2026.db"))
    assert list(metadata["databases"]) == ["monitor-2026"]
    assert "quotes_by_speaker" in metadata["databases"]["monitor-2026"]["queries"]


def test_browse_serves_the_canned_queries_of_a_file_named_otherwise_and_never_writes_it(monitor_db, tmp_path):
    port = _free_port()
    before = monitor_db.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (tmp_path / "browse.log").open("wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "quotes", "--db", str(monitor_db), "browse", "--port", str(port)],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    query = urllib.parse.urlencode({"speaker": "kirby", "_shape": "array"})
    try:
        rows = _json_once_up(f"http://127.0.0.1:{port}/monitor-2026/quotes_by_speaker.json?{query}", server)
        metadata = _json_once_up(f"http://127.0.0.1:{port}/-/metadata.json", server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=TIMEOUT)
    assert rows, (tmp_path / "browse.log").read_text()
    assert {row["speaker"] for row in rows} == {"John Kirby"}
    assert "Quotes, speakers, roles" in metadata["databases"]["monitor-2026"]["description"]
    assert monitor_db.read_bytes() == before


def test_extra_options_go_to_datasette_serve(monitor_db):
    result = CliRunner().invoke(cli, ["--db", str(monitor_db), "browse", "--", "--get", "/monitor-2026.json"])
    assert result.exit_code == 0, result.output
    assert "quotes_by_speaker" in {query["name"] for query in json.loads(result.stdout)["queries"]}


def test_browse_refuses_what_is_not_a_quotes_sqlite_file(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["--db", str(tmp_path / "none.sqlite"), "browse"])
    server = runner.invoke(cli, ["--db", "postgresql://localhost/quotes", "browse"])
    assert missing.exit_code == 1 and "no database at" in missing.stderr
    assert server.exit_code == 1 and "quotes browse serves a SQLite file" in server.stderr
