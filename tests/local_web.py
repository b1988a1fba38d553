"""A web server on 127.0.0.1 for the live-input tests: routes a test sets, every request counted.

Never the internet: the server binds the loopback address on a free port, in a thread of the test
process, and stops with the test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """What a route answers: a status, headers, a body (or chunks sent one by one), after an optional pause."""

    status: int = 200
    body: bytes | Callable[[], Iterator[bytes]] = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    pause: float = 0.0
    header_pause: float = 0.0  # a pause before each header line: a server trickling its headers


@dataclass
class Hit:
    """One request received: its path, its headers, when it came."""

    path: str
    headers: dict[str, str]
    at: float


class LocalWeb:
    """A threaded HTTP/1.0 server; ``routes`` maps a path to a Reply or a function of the request's headers."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Callable[[dict[str, str]], Reply]] = {}
        self.hits: list[Hit] = []
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802  (http.server's name)
                headers = {name.lower(): value for name, value in self.headers.items()}
                web.hits.append(Hit(self.path, headers, time.monotonic()))
                route = web.routes.get(self.path, Reply(404, b"not here"))
                reply = route(headers) if callable(route) else route
                time.sleep(reply.pause)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        if reply.header_pause:
                            self.flush_headers()
                            time.sleep(reply.header_pause)
                        self.send_header(name, value)
                    if isinstance(reply.body, bytes):
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    for chunk in [reply.body] if isinstance(reply.body, bytes) else reply.body():
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def requests_to(self, path: str) -> int:
        return sum(hit.path == path for hit in self.hits)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


SUBJECTS = ["The north pier", "Our night crossing", "The island service", "Every school boat", "The cargo landing"]
CLAIMS = ["will reopen before the spring tides arrive", "needs two more crews to run safely",
          "carried more passengers than in any winter on record", "is paid for by the harbour fund alone"]


def article_page(number: int, title: str | None = "Ferry news", dated: bool = True) -> bytes:
    """An invented news page whose body holds one quote by a harbour official, different for
    each ``number`` below 20;
    without ``title`` it has neither a title nor a heading, without ``dated`` no date."""
    head = f"<title>{title} {number}</title>" if title else ""
    heading = f"<h1>Ferry line {number} returns</h1>" if title else ""
    if dated:
        head += '<meta property="article:published_time" content="2026-03-02T08:15:00Z">'
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}
<meta property="og:site_name" content="Harbour Herald"></head><body><article>
{heading}
<p>The ferry line number {number} returned to the north pier on Monday after a winter of repairs to
its landing stage, and the first crossing left on time with a full deck of passengers.</p>
<p>"{SUBJECTS[number % 5]} {CLAIMS[number // 5 % 4]}," said Ada Lind, the harbour master.</p>
<p>The harbour office said that the timetable would be reviewed at the end of the season, when the
counts of passengers on every crossing are published for the town council.</p>
</article></body></html>""".encode()


def http_date(seconds: float) -> str:
    return formatdate(seconds, usegmt=True)


def rss_feed(links: list[str], title: str = "Harbour Herald") -> bytes:
    """An RSS 2.0 feed listing ``links``, each entry titled and dated (one day apart from 1 March 2026)."""
    items = "".join(f"<item><title>Entry {n}</title><link>{link}</link>"
                    f"<pubDate>{n % 28 + 1:02d} Mar 2026 09:00:00 GMT</pubDate></item>"
                    for n, link in enumerate(links))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://127.0.0.1/</link><description>news</description>{items}</channel></rss>").encode()
