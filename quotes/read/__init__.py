"""Read articles: the first stage of the data flow.

Every input (a ``.txt`` file with optional front matter, a ``.jsonl`` file with one article per
line, an ``.html`` page, a ``.warc`` / ``.warc.gz`` web archive, a directory, or ``-`` for
standard input) becomes :class:`~quotes.article.Article` objects. A file or record that cannot
be read becomes a :class:`~quotes.article.ReadError` in the same stream, so one bad input never
stops the rest. HTML and WARC reading are imported only when such a file turns up.

No input is read without bound, or can block the run: only regular files and standard input are
read, and never much more than ``--max-bytes`` of them is held at once.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from quotes.article import Article, ReadError
from quotes.read.files import open_regular, walk
from quotes.read.text import read_jsonl, read_text_file

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


def iter_files(paths: Iterable[str]) -> Iterator[str | ReadError]:
    """Expand directories (recursively, sorted, hidden files skipped) into the article files they hold;
    what the walk cannot enter is a ReadError in the stream (see :func:`quotes.read.files.walk`)."""
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


def read_paths(paths: Iterable[str], max_bytes: int | None = None) -> Iterator[Article | ReadError]:
    """Every article in the given files, directories or ``-`` (stdin), with per-file errors.

    ``max_bytes`` caps one article (a file, a JSONL line, a WARC record); by default
    ``QUOTES_MAX_BYTES`` or 5 MB.
    """
    limit = _max_bytes() if max_bytes is None else max_bytes
    for name in iter_files(paths):
        if isinstance(name, ReadError):
            yield name
        elif name == "-":
            yield from read_stdin(limit)
        else:
            yield from read_file(name, limit)
