"""`quotes ingest` of URLs and feeds served on 127.0.0.1: what is stored, what is counted, what a re-run costs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from local_web import Reply, article_page, rss_feed

from quotes.cli import cli

RSS = {"Content-Type": "application/rss+xml", "ETag": '"feed-1"'}


@pytest.fixture
def run(tmp_path: Path):
    """``quotes --db <tmp> ARGS...`` with a private cache and alias file, no pause between requests, short time-outs."""
    env = {"QUOTES_ALIASES": str(tmp_path / "aliases.csv"), "QUOTES_CACHE": str(tmp_path / "cache"),
           "QUOTES_FETCH_DELAY": "0", "QUOTES_FETCH_TIMEOUT": "0.5", "QUOTES_FETCH_RETRIES": "0"}
    runner = CliRunner(env=env)
    return lambda *args: runner.invoke(cli, ["--db", str(tmp_path / "quotes.sqlite"), *args])


def stored(tmp_path: Path, column: str) -> list:
    with sqlite3.connect(tmp_path / "quotes.sqlite") as db:
        return [row[0] for row in db.execute(f"select {column} from articles order by id")]


def test_ingest_fetches_a_url_and_stores_its_article(web, run, tmp_path, nlp):
    web.routes["/news/1"] = Reply(body=article_page(1))
    result = run("ingest", web.url("/news/1"))
    assert result.exit_code == 0, result.stderr
    assert "articles stored: 1, already present: 0, mentions: 1, new quotes: 1, errors: 0, warnings: 0" in result.stdout
    assert stored(tmp_path, "url") == [web.url("/news/1")]
    assert stored(tmp_path, "path") == [None]


def test_each_failing_url_is_an_error_line_counted_and_the_rest_is_stored(web, run, tmp_path, nlp):
    web.routes["/good"] = Reply(body=article_page(1))
    web.routes["/slow"] = Reply(body=article_page(2), pause=1.5)
    web.routes["/loop"] = Reply(302, headers={"Location": "/loop"})
    web.routes["/file.pdf"] = Reply(body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    web.routes["/huge"] = Reply(body=b"<p>" + b"x" * 5000)
    paths = ["/slow", "/missing", "/loop", "/file.pdf", "/huge", "/good"]
    result = run("ingest", "--max-bytes", "4000", *map(web.url, paths))
    assert result.exit_code == 1
    assert "articles stored: 1, already present: 0, mentions: 1, new quotes: 1, errors: 5" in result.stdout
    for path, reason in [("/slow", "timed out after 0.5 s (1 attempt)"), ("/missing", "HTTP 404 Not Found"),
                         ("/loop", "redirect loop"), ("/file.pdf", "not an HTML page"), ("/huge", "page larger than 4000 bytes")]:
        assert f"error: {web.url(path)}: {reason}" in result.stderr


def test_a_feed_of_20_pages_ingested_twice_fetches_and_adds_nothing_the_second_time(web, run, tmp_path, nlp):
    links = [web.url(f"/story/{n}") for n in range(20)]
    for n in range(20):
        web.routes[f"/story/{n}"] = Reply(body=article_page(n))
    web.routes["/feed.xml"] = lambda headers: (Reply(304, headers=RSS) if headers.get("if-none-match") == RSS["ETag"]
                                               else Reply(body=rss_feed(links), headers=RSS))
    first = run("ingest", "--feed", web.url("/feed.xml"))
    requests_first = len(web.hits)
    second = run("ingest", "--feed", web.url("/feed.xml"))
    assert first.exit_code == 0 and second.exit_code == 0, first.stderr + second.stderr
    assert "articles stored: 20, already present: 0, mentions: 20, new quotes: 20, errors: 0" in first.stdout
    assert "web requests: 22, downloaded: 21, from the cache: 0" in first.stdout  # robots.txt (a 404), the feed, 20 pages
    assert requests_first == 22
    assert "articles stored: 0, already present: 20, mentions: 0, new quotes: 0, errors: 0" in second.stdout
    assert "web requests: 1, downloaded: 0, from the cache: 21" in second.stdout  # the feed, answered 304
    assert [hit.path for hit in web.hits[requests_first:]] == ["/feed.xml"]
    assert len(stored(tmp_path, "id")) == 20


def test_a_feed_list_file_ingests_every_feed_it_names(web, run, tmp_path, nlp):
    for number, name in enumerate("ab"):
        web.routes[f"/{name}/story"] = Reply(body=article_page(number))
        web.routes[f"/{name}/rss"] = Reply(body=rss_feed([web.url(f"/{name}/story")]), headers=RSS)
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# two local papers\n{web.url('/a/rss')}\n\n{web.url('/b/rss')}\n")
    result = run("ingest", "--feeds", str(listing))
    assert "articles stored: 2" in result.stdout
    assert stored(tmp_path, "url") == [web.url("/a/story"), web.url("/b/story")]


def test_a_feed_gives_its_title_and_date_to_a_page_without_them(web, run, tmp_path, nlp):
    web.routes["/story"] = Reply(body=article_page(1, title=None, dated=False))
    web.routes["/rss"] = Reply(body=rss_feed([web.url("/story")]), headers=RSS)
    run("ingest", "--feed", web.url("/rss"))
    assert stored(tmp_path, "title") == ["Entry 0"]
    assert stored(tmp_path, "published") == ["2026-03-01"]


def test_a_malformed_feed_is_an_error_and_the_other_inputs_go_on(web, run, tmp_path, nlp):
    web.routes["/broken"] = Reply(body=b"<html><p>not a feed", headers={"Content-Type": "text/html"})
    web.routes["/story"] = Reply(body=article_page(1))
    result = run("ingest", web.url("/story"), "--feed", web.url("/broken"))
    assert result.exit_code == 1
    assert f"error: {web.url('/broken')}: not a readable RSS or Atom feed" in result.stderr
    assert "articles stored: 1, already present: 0, mentions: 1, new quotes: 1, errors: 1" in result.stdout


def test_warnings_are_counted_in_the_summary_without_failing_the_run(web, run, nlp):
    web.routes["/gallery"] = Reply(body=b"<html><body><nav>Photos of the week</nav></body></html>")
    web.routes["/undated"] = Reply(body=article_page(1, dated=False))
    result = run("ingest", web.url("/gallery"), web.url("/undated"))
    assert result.exit_code == 0
    assert "errors: 0, warnings: 2" in result.stdout
    assert f"warning: {web.url('/gallery')}: no article text found in the page: skipped" in result.stderr
    assert f"warning: {web.url('/undated')}: no publication date found" in result.stderr


def test_quiet_prints_no_warning_but_still_counts_it(web, run, nlp):
    web.routes["/undated"] = Reply(body=article_page(1, dated=False))
    result = run("ingest", "--quiet", web.url("/undated"))
    assert result.stderr == ""
    assert "warnings: 1" in result.stdout


def test_verbose_prints_each_page_fetched_and_each_article_stored(web, run, nlp):
    web.routes["/story"] = Reply(body=article_page(1))
    first = run("ingest", "--verbose", web.url("/story"))
    again = run("ingest", "-v", web.url("/story"))
    assert f"{web.url('/story')}: fetched" in first.stderr
    assert f"stored: {web.url('/story')}" in first.stderr
    assert f"{web.url('/story')}: from the cache" in again.stderr
    assert f"already present: {web.url('/story')}" in again.stderr


def test_ingest_with_nothing_to_read_is_a_usage_error(run):
    result = run("ingest")
    assert result.exit_code == 2
    assert "nothing to ingest: give PATHS, --feed URL or --feeds FILE" in result.stderr


def test_extract_prints_the_quotes_of_a_url_and_keeps_nothing(web, run, tmp_path, nlp):
    web.routes["/story"] = Reply(body=article_page(1))
    result = run("extract", web.url("/story"))
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["speaker"] for line in result.stdout.splitlines()] == ["Ada Lind"]
    assert not (tmp_path / "cache").exists() and not (tmp_path / "quotes.sqlite").exists()
