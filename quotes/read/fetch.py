"""Fetch web pages politely, and read them as articles: the live input of ``quotes ingest URL`` and of feeds.

Every request names the tool in its user agent, waits its turn on each host (``delay`` seconds
apart, or the robots.txt ``Crawl-delay`` when longer), asks robots.txt first (RFC 9309: a
robots.txt that is missing or forbidden allows everything; one the server fails on forbids
everything until it answers), and gives up after ``timeout`` seconds, retrying failed connections,
time-outs, 429 and 5xx answers with a doubling back-off. Redirects are followed one hop at a time,
each asked of its own host's robots.txt, to at most ``max_redirects``; a loop is named as one.
Only HTML is read as a page, and no body over ``max_bytes`` is read.

Fetched pages are kept in a :class:`~quotes.read.cache.PageCache`: a page already fetched is read
from the disk without a request; a feed is asked again with its ``ETag`` / ``Last-Modified`` (a
304 answer costs no download); robots.txt is kept for a day. Each failure is a
:class:`FetchError` with a reason a person can act on, which the readers turn into that input's
error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from quotes import __version__
from quotes.article import Article, ReadError, ReadWarning
from quotes.read.cache import Cached, PageCache

log = logging.getLogger("quotes.read.fetch")

USER_AGENT = f"quotes/{__version__} (quote attribution for news monitoring; python-httpx/{httpx.__version__})"
#: What a page request accepts, and the content types read as HTML.
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Answers worth asking again after a pause (the server is busy or failing for now).
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
#: Seconds robots.txt is trusted before it is asked again; its largest part read (RFC 9309: 500 KiB).
ROBOTS_FRESH = 86_400
ROBOTS_MAX_BYTES = 500 * 1024
#: The longest pause taken for a Retry-After header or a Crawl-delay.
MAX_PAUSE = 60.0


class FetchError(Exception):
    """A URL that could not be fetched as asked; the message says why."""


@dataclass(frozen=True)
class Politeness:
    """How requests are made: time-outs, retries, the pause between requests to one host, robots.txt."""

    timeout: float = 20.0
    retries: int = 2
    backoff: float = 2.0  # the first retry's pause, doubling: twice the delay
    delay: float = 1.0
    max_redirects: int = 5
    robots: bool = True
    user_agent: str = USER_AGENT


@dataclass
class Page:
    """A fetched body, the URL it was found at after redirects, and how it came: "network" or "cache"."""

    url: str
    body: bytes
    content_type: str
    source: str


@dataclass
class _Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes = b""


class _Deadline:
    """Cuts a request's connection once ``seconds`` have passed, whatever it is waiting for: httpx's time-out
    bounds each read, so a server trickling its headers a byte at a time would otherwise hold a run for ever.
    A cut request raises httpx.ReadTimeout on leaving the block."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.cut = False
        self._socket: socket.socket | None = None
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def trace(self, event: str, info: dict) -> None:
        """httpcore's trace hook: note the socket each connection opens (the TLS one replaces the plain one)."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self._socket = info["return_value"].get_extra_info("socket")

    def _cut(self) -> None:
        self.cut = True
        with contextlib.suppress(OSError, AttributeError):
            self._socket.shutdown(socket.SHUT_RDWR)  # wakes the read blocked on it

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: object) -> None:
        self._timer.cancel()
        if self.cut and (kind is None or issubclass(kind, httpx.TransportError)):
            raise httpx.ReadTimeout(f"no whole answer within {self.seconds:g} s") from exc


class Fetcher:
    """An HTTP client with politeness, a size limit and a page cache; counts the requests it made.

    ``transport`` (an httpx transport) is for tests; use as a context manager, or call :meth:`close`.
    """

    def __init__(self, cache_dir: Path | None = None, max_bytes: int = 5_000_000,
                 politeness: Politeness | None = None, transport: httpx.BaseTransport | None = None) -> None:
        self.politeness = politeness or Politeness()
        self.max_bytes = max_bytes
        self.cache = PageCache(cache_dir)
        self.requests = 0  # HTTP requests sent, robots.txt and retries included
        self.downloads = 0  # bodies received (not counting 304 answers and error pages)
        self.from_cache = 0  # pages and feeds served from the cache, with or without a 304 first
        # no kept-alive connections: each request's own socket is what _Deadline cuts (and a pause between
        # requests to a host, see Politeness.delay, leaves little for keep-alive to save)
        self._client = httpx.Client(headers={"User-Agent": self.politeness.user_agent},
                                    timeout=self.politeness.timeout, follow_redirects=False, transport=transport,
                                    limits=httpx.Limits(max_keepalive_connections=0))
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def page(self, url: str) -> Page:
        """The HTML page at ``url``, from the cache when it was fetched before; FetchError otherwise."""
        return self._get(url, HTML_ACCEPT, html_only=True, fresh_for=None)

    def feed(self, url: str, accept: str) -> Page:
        """The document at ``url`` asked again each time (conditionally, when cached): feeds change."""
        return self._get(url, accept, html_only=False, fresh_for=0)

    def _get(self, url: str, accept: str, html_only: bool, fresh_for: float | None) -> Page:
        try:
            return self._fetch(url, accept, html_only, fresh_for)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # a URL httpx refuses, a body it cannot decode
            raise FetchError(f"{type(exc).__name__}: {exc}") from None

    def _fetch(self, url: str, accept: str, html_only: bool, fresh_for: float | None) -> Page:
        cached = self.cache.load(url)
        if cached and cached.status == 200 and (fresh_for is None or cached.age < fresh_for):
            self.from_cache += 1
            log.info("%s: from the cache", url)
            return Page(cached.url, cached.body, cached.content_type, "cache")
        usable = cached if cached and cached.status == 200 else None
        final, answer = self._follow(url, {"Accept": accept, **(usable.validators() if usable else {})}, html_only)
        if answer.status == 304 and usable:
            self.from_cache += 1
            self.cache.save(url, dataclasses.replace(usable, fetched_at=time.time()))
            log.info("%s: not modified, from the cache", url)
            return Page(usable.url, usable.body, usable.content_type, "cache")
        if answer.status != 200:
            raise FetchError(_status_reason(answer.status))
        entry = _entry(final, answer)
        self.cache.save(url, entry)
        log.info("%s: fetched, %d bytes%s", url, len(answer.body), f" from {final}" if final != url else "")
        return Page(final, answer.body, entry.content_type, "network")

    def _follow(self, url: str, headers: dict[str, str], html_only: bool, robots: bool = True) -> tuple[str, _Answer]:
        """The final URL and answer, following redirects one hop at a time."""
        seen = [url]
        for _ in range(self.politeness.max_redirects + 1):
            if urlsplit(url).scheme not in ("http", "https"):
                raise FetchError(f"not an http or https URL: {url[:200]}")
            if robots:
                self._check_robots(url)
            answer = self._attempts(url, headers, html_only)
            location = answer.headers.get("location")
            if answer.status not in REDIRECT_STATUS or not location:
                return url, answer
            url = urljoin(url, location)
            if url in seen:
                raise FetchError(f"redirect loop: {' -> '.join([*seen[seen.index(url):], url])}")
            seen.append(url)
        raise FetchError(f"more than {self.politeness.max_redirects} redirects (last to {url[:200]})")

    def _attempts(self, url: str, headers: dict[str, str], html_only: bool) -> _Answer:
        """One answer, asking again after a pause when the connection failed or the server said to."""
        rules = self.politeness
        why, pause = "", 0.0
        for attempt in range(rules.retries + 1):
            if attempt:
                time.sleep(min(MAX_PAUSE, pause or rules.backoff * 2 ** (attempt - 1)))
            pause = 0.0
            self._wait_turn(url)
            try:
                answer = self._once(url, headers, html_only)
            except httpx.TimeoutException:
                why = f"timed out after {rules.timeout:g} s"
                continue
            except httpx.TransportError as exc:
                why = f"connection failed ({exc or type(exc).__name__})"
                continue
            if answer.status not in RETRY_STATUS:
                return answer
            why = _status_reason(answer.status)
            pause = _retry_after(answer.headers.get("retry-after"))
        tries = rules.retries + 1
        raise FetchError(f"{why} ({tries} attempt{'s' if tries > 1 else ''})")

    def _once(self, url: str, headers: dict[str, str], html_only: bool) -> _Answer:
        """One request; the body is read only from a 200 answer, within the size limit and the time-out."""
        self.requests += 1
        deadline = time.monotonic() + self.politeness.timeout
        with _Deadline(self.politeness.timeout) as cut, self._client.stream(
                "GET", url, headers=headers, extensions={"trace": cut.trace}) as response:
            if response.status_code != 200:
                return _Answer(response.status_code, response.headers)
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if html_only and kind and kind not in HTML_TYPES:
                raise FetchError(f"not an HTML page (Content-Type: {kind})")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"page larger than {self.max_bytes} bytes ({declared} declared; see --max-bytes)")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise FetchError(f"page larger than {self.max_bytes} bytes (see --max-bytes)")
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("the body came too slowly")
            self.downloads += 1
            return _Answer(200, response.headers, bytes(body))

    def _wait_turn(self, url: str) -> None:
        """Sleep until this host's last request is ``delay`` seconds old (or its robots.txt Crawl-delay)."""
        host = urlsplit(url).netloc.lower()
        robots = self._robots.get(_origin(url))
        crawl_delay = robots.crawl_delay(self.politeness.user_agent) if not isinstance(robots, (str, type(None))) else None
        delay = max(self.politeness.delay, min(MAX_PAUSE, float(crawl_delay or 0)))
        if host in self._last:
            time.sleep(max(0.0, self._last[host] + delay - time.monotonic()))
        self._last[host] = time.monotonic()

    def _check_robots(self, url: str) -> None:
        if not self.politeness.robots:
            return
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, str):
            raise FetchError(rules)
        if not rules.can_fetch(self.politeness.user_agent, url):
            raise FetchError(f"disallowed by {origin}/robots.txt for {self.politeness.user_agent.split('/')[0]}")

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | str:
        """The origin's robots.txt rules (cached for a day), or the reason nothing may be fetched there."""
        url = f"{origin}/robots.txt"
        cached = self.cache.load(url)
        if cached and cached.age < ROBOTS_FRESH:
            status, body = cached.status, cached.body
        else:
            try:
                final, answer = self._follow(url, {"Accept": "text/plain,*/*;q=0.5"}, html_only=False, robots=False)
            except FetchError as exc:
                return f"robots.txt of {origin} could not be read ({exc}): nothing there is fetched"
            status, body = answer.status, answer.body
            if status == 200 or 400 <= status < 500:
                self.cache.save(url, _entry(final, answer))
        parser = urllib.robotparser.RobotFileParser(url)
        if 400 <= status < 500:
            parser.allow_all = True
        elif status != 200:
            return f"robots.txt of {origin} answered {_status_reason(status)}: nothing there is fetched"
        parser.parse(body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace").splitlines())
        return parser


def read_page(url: str, fetcher: Fetcher, title: str | None = None,
              published: object = None) -> Article | ReadError:
    """The article on the web page at ``url``, with ``title`` and ``published`` (a feed's) where the page has none.

    A page that is fetched but holds no article text (a gallery, a video, an index) is a
    ReadWarning; a page with no date anywhere is logged as a warning and dated by its ingestion.
    """
    from quotes.read.fields import parse_date
    from quotes.read.html import html_article

    try:
        page = fetcher.page(url)
    except FetchError as exc:
        return ReadError(url, str(exc))
    article = html_article(page.body, url, url=page.url)
    if isinstance(article, ReadError):
        if article.reason.startswith("no article text"):
            return ReadWarning(url, "no article text found in the page: skipped")
        return article
    article = dataclasses.replace(article, path=None, title=article.title or title,
                                  published=article.published or parse_date(published, url))
    if article.published is None:
        log.warning("%s: no publication date found; the article is dated by its ingestion", url)
    return article


def _entry(url: str, answer: _Answer) -> Cached:
    headers = answer.headers
    return Cached(url=url, status=answer.status, content_type=headers.get("content-type", ""),
                  etag=headers.get("etag"), last_modified=headers.get("last-modified"),
                  fetched_at=time.time(), body=answer.body)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _status_reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _retry_after(value: str | None) -> float:
    """Seconds a Retry-After header asks for (its number-of-seconds form; a date is ignored)."""
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0
