"""Live inputs, fetched from a server on 127.0.0.1: politeness, the cache, feeds, and a clear error for each failure."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_web import Reply, article_page, http_date, rss_feed

from quotes.article import Article, ReadError, ReadWarning
from quotes.read import Inputs
from quotes.read.feeds import feed_entries, feed_list
from quotes.read.fetch import Fetcher, Politeness, read_page

#: Short enough for fast tests, long enough for a page served at once.
QUICK = Politeness(timeout=0.5, retries=1, backoff=0.01, delay=0)


@pytest.fixture
def fetcher(tmp_path: Path) -> Iterator[Fetcher]:
    with Fetcher(tmp_path / "cache", max_bytes=100_000, politeness=QUICK) as client:
        yield client


def endless() -> Iterator[bytes]:
    while True:
        yield b"<p>" + b"word " * 10_000 + b"</p>"


def trickle() -> Iterator[bytes]:
    yield b"<html><body><p>"
    for _ in range(40):
        time.sleep(0.1)
        yield b"word "


FAILURES = {
    "a body that trickles in": (Reply(body=trickle, headers={"Content-Type": "text/html"}), "timed out after 0.5 s (2 attempts)"),
    "a slow server": (Reply(body=article_page(1), pause=2.0), "timed out after 0.5 s (2 attempts)"),
    "headers that trickle in": (Reply(body=article_page(1), header_pause=0.3, headers={
        f"X-Line-{n}": "slow" for n in range(10)}), "timed out after 0.5 s (2 attempts)"),
    "a missing page": (Reply(404, b"gone"), "HTTP 404 Not Found"),
    "a redirect loop": (Reply(302, headers={"Location": "/bad?again"}), "redirect loop: "),
    "a PDF": (Reply(body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"}), "not an HTML page (Content-Type: application/pdf)"),
    "a huge declared body": (Reply(body=b"<p>" + b"x" * 200_000), "page larger than 100000 bytes (200003 declared"),
    "a huge streamed body": (Reply(body=endless, headers={"Content-Type": "text/html"}), "page larger than 100000 bytes"),
    "a failing server": (Reply(500, b"oops"), "HTTP 500 Internal Server Error (2 attempts)"),
}


@pytest.mark.parametrize("case", FAILURES)
def test_each_failure_is_the_pages_error_with_a_reason(web, fetcher, case):
    reply, reason = FAILURES[case]
    web.routes["/bad"] = web.routes["/bad?again"] = reply
    started = time.monotonic()
    result = read_page(web.url("/bad"), fetcher)
    assert isinstance(result, ReadError) and not isinstance(result, ReadWarning)
    assert result.source == web.url("/bad")
    assert reason in result.reason
    assert time.monotonic() - started < 3


def test_a_redirect_loop_names_every_hop(web, fetcher):
    web.routes["/a"] = Reply(301, headers={"Location": "/b"})
    web.routes["/b"] = Reply(302, headers={"Location": "/a"})
    result = read_page(web.url("/a"), fetcher)
    assert result.reason == f"redirect loop: {web.url('/a')} -> {web.url('/b')} -> {web.url('/a')}"


def test_a_redirected_page_is_stored_under_the_url_it_ended_at(web, fetcher):
    web.routes["/short"] = Reply(301, headers={"Location": "/news/ferry-line-1"})
    web.routes["/news/ferry-line-1"] = Reply(body=article_page(1))
    article = read_page(web.url("/short"), fetcher)
    assert isinstance(article, Article)
    assert article.url == web.url("/news/ferry-line-1")
    assert article.path is None
    assert "Our night crossing will reopen" in article.text


def test_a_page_robots_txt_disallows_is_never_requested(web, fetcher):
    web.routes["/robots.txt"] = Reply(body=b"User-agent: quotes\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})
    web.routes["/private/story"] = Reply(body=article_page(1))
    result = read_page(web.url("/private/story"), fetcher)
    assert isinstance(result, ReadError)
    assert "disallowed by" in result.reason and "robots.txt" in result.reason
    assert web.requests_to("/private/story") == 0


def test_a_robots_txt_the_server_fails_on_forbids_the_host(web, fetcher):
    web.routes["/robots.txt"] = Reply(503, b"down")
    web.routes["/story"] = Reply(body=article_page(1))
    result = read_page(web.url("/story"), fetcher)
    assert "robots.txt" in result.reason and "nothing there is fetched" in result.reason
    assert web.requests_to("/story") == 0


def test_a_busy_server_is_asked_again_after_a_pause(web, fetcher):
    answers = iter([Reply(503, b"busy", headers={"Retry-After": "0"}), Reply(body=article_page(1))])
    web.routes["/story"] = lambda headers: next(answers)
    assert isinstance(read_page(web.url("/story"), fetcher), Article)
    assert web.requests_to("/story") == 2


def test_requests_to_one_host_wait_the_delay_between_them(web, tmp_path):
    for number in range(3):
        web.routes[f"/{number}"] = Reply(body=article_page(number))
    with Fetcher(tmp_path / "cache", politeness=Politeness(timeout=1, delay=0.3)) as polite:
        for number in range(3):
            polite.page(web.url(f"/{number}"))
    times = [hit.at for hit in web.hits]  # robots.txt, then the three pages
    assert len(times) == 4
    assert all(later - earlier >= 0.25 for earlier, later in zip(times, times[1:]))


def test_every_request_names_the_tool_in_its_user_agent(web, fetcher):
    web.routes["/story"] = Reply(body=article_page(1))
    fetcher.page(web.url("/story"))
    assert {hit.headers["user-agent"].split("/")[0] for hit in web.hits} == {"quotes"}


def test_a_page_fetched_once_is_read_from_the_cache_by_the_next_run(web, tmp_path):
    web.routes["/story"] = Reply(body=article_page(1))
    for _ in range(2):
        with Fetcher(tmp_path / "cache", politeness=QUICK) as client:
            page = client.page(web.url("/story"))
    assert page.source == "cache"
    assert page.body == article_page(1)
    assert web.requests_to("/story") == 1
    assert web.requests_to("/robots.txt") == 1  # kept for a day


def test_a_feed_is_asked_again_with_its_etag_and_an_unchanged_one_costs_no_download(web, tmp_path):
    feed = rss_feed([web.url("/1")])
    modified = http_date(time.time() - 3600)

    def answer(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(body=feed, headers={"Content-Type": "application/rss+xml", "ETag": '"v1"', "Last-Modified": modified})

    web.routes["/feed"] = answer
    for _ in range(2):
        with Fetcher(tmp_path / "cache", politeness=QUICK) as client:
            page = client.feed(web.url("/feed"), "application/rss+xml")
    assert page.body == feed
    assert web.requests_to("/feed") == 2
    assert client.downloads == 0 and client.from_cache == 1
    assert web.hits[-1].headers["if-modified-since"] == modified


def test_a_feed_entry_takes_the_feeds_title_and_date_when_the_page_has_none(web, fetcher):
    web.routes["/feed"] = Reply(body=rss_feed([web.url("/1")]), headers={"Content-Type": "application/rss+xml"})
    web.routes["/1"] = Reply(body=article_page(1, title=None, dated=False))
    (entry,) = feed_entries(web.url("/feed"), fetcher)
    article = read_page(entry.link, fetcher, title=entry.title, published=entry.published)
    assert (article.title, article.published.isoformat()) == ("Entry 0", "2026-03-01")


def test_a_page_keeps_its_own_title_and_date_over_the_feeds(web, fetcher):
    web.routes["/1"] = Reply(body=article_page(1))
    article = read_page(web.url("/1"), fetcher, title="Entry 0", published="2026-03-01")
    assert (article.title, article.published.isoformat()) == ("Ferry line 1 returns", "2026-03-02")


def test_feed_entries_are_resolved_against_the_feed_url(web, fetcher):
    web.routes["/news/feed"] = Reply(body=rss_feed(["story-1", "/story-2"]), headers={"Content-Type": "text/xml"})
    links = [entry.link for entry in feed_entries(web.url("/news/feed"), fetcher)]
    assert links == [web.url("/news/story-1"), web.url("/story-2")]


@pytest.mark.parametrize("body", [b"<rss><channel><title>cut", b"{\"json\": true}", b"\x00\x01\x02"])
def test_a_malformed_feed_is_one_error(web, fetcher, body):
    web.routes["/feed"] = Reply(body=body, headers={"Content-Type": "application/rss+xml"})
    (error,) = feed_entries(web.url("/feed"), fetcher)
    assert isinstance(error, ReadError)
    assert error.reason.startswith("not a readable RSS or Atom feed")


def test_a_feed_cut_short_gives_the_entries_before_the_cut_and_a_warning(web, fetcher, caplog):
    whole = rss_feed([web.url("/1"), web.url("/2")])
    web.routes["/feed"] = Reply(body=whole[: whole.index(b"<item>", whole.index(b"</item>"))] + b"<item><title>Ent",
                                headers={"Content-Type": "application/rss+xml"})
    with caplog.at_level("WARNING", logger="quotes.read"):
        found = feed_entries(web.url("/feed"), fetcher)
    assert found[0].link == web.url("/1")
    assert [str(error) for error in found[1:]] == [f"{web.url('/feed')}: feed entry 2 has no http(s) link"]
    assert "the feed is not well-formed XML" in caplog.text


def test_a_page_with_no_article_text_is_a_warning_not_an_error(web, fetcher):
    web.routes["/gallery"] = Reply(body=b"<html><body><nav>Home | Photos</nav></body></html>")
    result = read_page(web.url("/gallery"), fetcher)
    assert isinstance(result, ReadWarning)
    assert result.reason == "no article text found in the page: skipped"


def test_a_page_with_no_date_anywhere_is_logged_as_a_warning(web, fetcher, caplog):
    web.routes["/1"] = Reply(body=article_page(1, dated=False))
    with caplog.at_level("WARNING", logger="quotes.read"):
        article = read_page(web.url("/1"), fetcher)
    assert article.published is None
    assert f"{web.url('/1')}: no publication date found" in caplog.text


def test_a_feed_list_file_skips_comments_and_blank_lines(tmp_path):
    listing = tmp_path / "feeds.txt"
    listing.write_text("# morning papers\nhttps://a.example/feed\n\n  https://b.example/rss#top  \n")
    assert feed_list(str(listing)) == ["https://a.example/feed", "https://b.example/rss#top"]


def test_the_inputs_know_their_number_before_any_page_is_read(web, fetcher, tmp_path):
    web.routes["/feed"] = Reply(body=rss_feed([web.url(f"/{n}") for n in range(3)]), headers={"Content-Type": "text/xml"})
    listing = tmp_path / "feeds.txt"
    listing.write_text(web.url("/feed") + "\n")
    inputs = Inputs([web.url("/extra")], feed_lists=[str(listing)], fetcher=fetcher)
    assert inputs.total == 4
    assert [hit.path for hit in web.hits] == ["/robots.txt", "/feed"]
