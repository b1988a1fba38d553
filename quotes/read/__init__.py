"""Read articles: the first stage of the data flow.

Every input (a ``.txt`` file with optional front matter, a ``.jsonl`` file with one article per
line, an ``.html`` page, a ``.warc`` / ``.warc.gz`` web archive, a directory, ``-`` for
standard input, an ``http(s)://`` URL, or the pages an RSS or Atom feed lists) becomes
:class:`~quotes.article.Article` objects. A file, record or URL that cannot be read becomes a
:class:`~quotes.article.ReadError` in the same stream, so one bad input never stops the rest.
HTML, WARC and web reading are imported only when such an input turns up.

No input is read without bound, or can block the run: only regular files and standard input are
read, and never much more than ``--max-bytes`` of them is held at once.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, BinaryIO

from quotes.article import Article, ReadError
from quotes.read.files import open_regular, walk
from quotes.read.text import read_jsonl, read_text_file

if TYPE_CHECKING:
    from quotes.read.feeds import Entry
    from quotes.read.fetch import Fetcher

#: Articles larger than this many bytes are refused (override with ``QUOTES_MAX_BYTES`` or ``--max-bytes``).
DEFAULT_MAX_BYTES = 5_000_000

#: The source named in the errors of standard input.
STDIN = "<stdin>"

#: File name endings read from directories, and the reader each one needs.
KINDS = {
    ".txt": "text", ".text": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".html": "html", ".htm": "html",
    ".warc": "warc", ".warc.gz": "warc",
}


def _max_bytes() -> int:
    return int(os.environ.get("QUOTES_MAX_BYTES", DEFAULT_MAX_BYTES))


def kind_of(name: str) -> str | None:
    """The reader a file name asks for ("text", "jsonl", "html", "warc"), or None for other files."""
    lower = name.lower()
    return next((kind for ending, kind in KINDS.items() if lower.endswith(ending)), None)


def is_url(name: str) -> bool:
    """Whether an input names a web page to fetch (``http://`` or ``https://``) rather than a file."""
    return name[:8].lower().startswith(("http://", "https://"))


def iter_files(paths: Iterable[str]) -> Iterator[str | ReadError]:
    """Expand directories (recursively, sorted, hidden files skipped) into the article files they hold;
    what the walk cannot enter is a ReadError in the stream (see :func:`quotes.read.files.walk`).
    URLs pass through as they are."""
    return walk(paths, lambda name: kind_of(name) is not None)


def _sniff(head: bytes) -> str:
    """The kind of data read from stdin: JSONL when it opens with ``{``, HTML with ``<``, else text."""
    return {b"{": "jsonl", b"<": "html"}.get(head.lstrip()[:1], "text")


def read_stream(stream: BinaryIO, source: str, kind: str, limit: int) -> Iterator[Article | ReadError]:
    """The articles in one open file or stream, read as ``kind``, holding about ``limit`` bytes at most:
    a text or HTML file is read to ``limit + 1`` bytes, a JSONL file a line and a WARC a record at a time."""
    if kind == "jsonl":
        yield from read_jsonl(stream, source, limit)
        return
    if kind == "warc":
        from quotes.read.warc import read_warc

        yield from read_warc(stream, source, limit)
        return
    data = stream.read(limit + 1)
    if len(data) > limit:
        what = "input" if source == STDIN else "file"
        yield ReadError(source, f"{what} larger than {limit} bytes (see --max-bytes)")
    elif kind == "html":
        from quotes.read.html import read_html

        yield from read_html(data, source)
    else:
        yield from read_text_file(data, source)


def read_file(name: str, limit: int) -> Iterator[Article | ReadError]:
    """The articles in one regular file, read as its name ending says (text if none); an error for
    anything else, or for a file that cannot be opened or read."""
    try:
        with open_regular(name) as stream:
            yield from read_stream(stream, name, kind_of(name) or "text", limit)
    except OSError as exc:
        yield ReadError(name, exc.strerror or str(exc))


def read_stdin(limit: int) -> Iterator[Article | ReadError]:
    """The articles on standard input, JSONL, HTML or text as its first character says."""
    if sys.stdin is None:  # closed before the run started
        yield ReadError(STDIN, "no standard input")
        return
    stream = sys.stdin.buffer
    if not hasattr(stream, "peek"):  # a replaced stdin, such as a test's
        stream = io.BufferedReader(stream)
    try:
        yield from read_stream(stream, STDIN, _sniff(stream.peek(8192)), limit)
    except OSError as exc:
        yield ReadError(STDIN, exc.strerror or str(exc))


def read_paths(paths: Iterable[str], max_bytes: int | None = None,
               fetcher: Fetcher | None = None) -> Iterator[Article | ReadError]:
    """Every article in the given files, directories, URLs or ``-`` (stdin), with per-input errors.

    ``max_bytes`` caps one article (a file, a JSONL line, a WARC record, a page); by default
    ``QUOTES_MAX_BYTES`` or 5 MB. URLs are fetched by ``fetcher`` (by default one with no cache).
    """
    reader = Inputs((), max_bytes=max_bytes, fetcher=fetcher)
    for name in iter_files(paths):
        yield from reader.read(name)


class Inputs:
    """The inputs of one run, listed before any is read so that their number is known (:attr:`total`).

    Directories are walked and feeds (``feeds`` URLs, and the URLs in the ``feed_lists`` files)
    fetched and parsed when it is made; iterating reads each file, page and feed entry in turn.
    """

    def __init__(self, paths: Iterable[str], feeds: Iterable[str] = (), feed_lists: Iterable[str] = (),
                 max_bytes: int | None = None, fetcher: Fetcher | None = None) -> None:
        self.limit = _max_bytes() if max_bytes is None else max_bytes
        self._fetcher = fetcher
        self.items: list[str | Entry | ReadError] = list(iter_files(paths))
        feed_urls = list(feeds)
        if feed_lists:
            from quotes.read.feeds import feed_list

            for path in feed_lists:
                listed = feed_list(path)
                if isinstance(listed, ReadError):
                    self.items.append(listed)
                else:
                    feed_urls += listed
        if feed_urls:
            from quotes.read.feeds import feed_entries

            for url in feed_urls:
                self.items += feed_entries(url, self.fetcher)

    @property
    def fetcher(self) -> Fetcher:
        """The fetcher of URLs and feeds: the one given, else one made on first use with no cache."""
        if self._fetcher is None:
            from quotes.read.fetch import Fetcher

            self._fetcher = Fetcher(max_bytes=self.limit)
        return self._fetcher

    @property
    def total(self) -> int | None:
        """How many articles or errors iterating gives, when each input is one article (not JSONL, WARC or stdin)."""
        many = any(isinstance(item, str) and (item == "-" or (not is_url(item) and kind_of(item) in ("jsonl", "warc")))
                   for item in self.items)
        return None if many else len(self.items)

    def __iter__(self) -> Iterator[Article | ReadError]:
        for item in self.items:
            yield from self.read(item)

    def read(self, item: str | Entry | ReadError) -> Iterator[Article | ReadError]:
        """The articles of one input: a file or ``-``, a URL, a feed entry, or the error already found."""
        if isinstance(item, ReadError):
            yield item
        elif isinstance(item, str) and item == "-":
            yield from read_stdin(self.limit)
        elif isinstance(item, str) and not is_url(item):
            yield from read_file(item, self.limit)
        else:
            from quotes.read.fetch import read_page

            if isinstance(item, str):
                yield read_page(item, self.fetcher)
            else:
                yield read_page(item.link, self.fetcher, title=item.title, published=item.published)
