"""Bad metadata is that article's error, never the run's: the articles around it are stored (issue 17)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotes.cli import cli

GOOD = '"The ferry will run all winter," said Ana Ruiz, the harbor director.'


def ingest(tmp_path: Path, folder: Path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "q.sqlite"), "ingest", str(folder)])
    stored = CliRunner().invoke(cli, ["--db", str(tmp_path / "q.sqlite"), "sql", "SELECT count(*) AS n FROM articles",
                                      "--format", "csv"]).stdout.splitlines()[-1]
    return result, int(stored)


def folder_with(tmp_path: Path, name: str, content: str | bytes) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD.replace("ferry", "bus"))
    (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    (folder / "c.txt").write_text(GOOD.replace("ferry", "tram"))
    return folder


@pytest.mark.parametrize("field", [{"url": "http://[::1"}, {"url": 42}, {"outlet": True}, {"outlet": ["A", "B"]},
                                   {"title": {"main": "Piers"}}])
def test_a_jsonl_article_with_a_bad_field_is_its_error_and_the_others_are_stored(tmp_path, nlp, field):
    line = json.dumps({"id": "b", "text": GOOD, **field})
    result, stored = ingest(tmp_path, folder_with(tmp_path, "b.jsonl", line + "\n"))
    assert result.exit_code == 1 and stored == 2
    assert "b.jsonl:1: malformed article:" in result.stderr and "Traceback" not in result.stderr


def test_a_malformed_url_in_front_matter_is_that_files_error(tmp_path, nlp):
    result, stored = ingest(tmp_path, folder_with(tmp_path, "b.txt", f"---\nurl: http://[::1\n---\n{GOOD}\n"))
    assert result.exit_code == 1 and stored == 2
    assert "b.txt: invalid URL 'http://[::1'" in result.stderr


def test_a_lone_surrogate_in_text_and_title_is_replaced_and_the_article_stored(tmp_path, nlp):
    line = json.dumps({"id": "b", "title": "Piers \ud800", "url": "https://harbor.test/\ud800",
                       "text": GOOD.replace("winter", "winter \ud800")})
    result, stored = ingest(tmp_path, folder_with(tmp_path, "b.jsonl", line + "\n"))
    assert result.exit_code == 0 and stored == 3
    extracted = CliRunner().invoke(cli, ["extract", str(tmp_path / "in" / "b.jsonl")])
    assert extracted.exit_code == 0 and "\ufffd" in json.loads(extracted.stdout.splitlines()[0])["text"]


def test_a_warc_record_with_a_malformed_target_uri_is_its_error_and_the_next_record_read(tmp_path, nlp):
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for uri, words in (("http://[::1", "bus"), ("https://harbor.test/b", "ferry")):
        page = f"<html><body><article><p>{GOOD.replace('ferry', words)}</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(page), http_headers=headers))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "crawl.warc").write_bytes(buffer.getvalue())
    result, stored = ingest(tmp_path, folder)
    assert result.exit_code == 1 and stored == 1
    assert "record http://[::1: invalid URL" in result.stderr
