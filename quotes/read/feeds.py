"""RSS and Atom feeds: the pages they list, with the feed's title and date for pages that lack them.

A feed is fetched through the :class:`~quotes.read.fetch.Fetcher` (asked again each run, with
``ETag`` / ``Last-Modified``, so an unchanged feed costs a 304) and parsed by feedparser, which
reads RSS 0.9x to 2.0, RSS 1.0 and Atom, and resolves relative links against the feed's URL.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from xml.sax import SAXException

from quotes.article import ReadError
from quotes.read.fetch import FetchError, Fetcher
from quotes.read.files import open_regular

log = logging.getLogger("quotes.read.feeds")

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
               "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
#: The most of a feed list file read (a million bytes: some ten thousand feeds).
MAX_LIST_BYTES = 1_000_000


@dataclass(frozen=True)
class Entry:
    """One item of a feed: the page it links to, and the feed's title and date for it."""

    link: str
    feed: str
    title: str | None = None
    published: dt.date | None = None


def feed_entries(url: str, fetcher: Fetcher) -> list[Entry | ReadError]:
    """The entries of the feed at ``url`` in the feed's order; one ReadError for a feed that cannot be
    fetched or parsed, and one for each entry that links nowhere."""
    import feedparser

    try:
        page = fetcher.feed(url, FEED_ACCEPT)
    except FetchError as exc:
        return [ReadError(url, str(exc))]
    parsed = feedparser.parse(page.body, response_headers={"content-location": page.url,
                                                           "content-type": page.content_type or "application/xml"})
    if not parsed.entries and (parsed.bozo or not parsed.version):
        why = f": {parsed.get('bozo_exception')}" if parsed.bozo else ""
        return [ReadError(url, f"not a readable RSS or Atom feed{why}")]
    if isinstance(parsed.get("bozo_exception"), SAXException):
        log.warning("%s: the feed is not well-formed XML (%s); its %d entries were read leniently",
                    url, parsed.bozo_exception, len(parsed.entries))
    found: list[Entry | ReadError] = []
    for number, item in enumerate(parsed.entries, start=1):
        link = (item.get("link") or "").strip()
        if not link.lower().startswith(("http://", "https://")):
            found.append(ReadError(url, f"feed entry {number} has no http(s) link", record=link or None))
            continue
        when = item.get("published_parsed") or item.get("updated_parsed")
        found.append(Entry(link, url, title=(item.get("title") or "").strip() or None,
                           published=dt.date(*when[:3]) if when else None))
    return found


def feed_list(path: str) -> list[str] | ReadError:
    """The feed URLs in a feed list file: one a line, blank lines and ``#`` comments skipped."""
    try:
        with open_regular(path) as stream:
            lines = [line.strip() for line in stream.read(MAX_LIST_BYTES).decode("utf-8").splitlines()]
    except OSError as exc:
        return ReadError(path, exc.strerror or str(exc))
    except UnicodeDecodeError as exc:
        return ReadError(path, f"not valid UTF-8 (byte {exc.start})")
    return [line for line in lines if line and not line.startswith("#")]
