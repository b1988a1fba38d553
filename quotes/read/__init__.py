"""Read articles: the first stage of the data flow.

Every input (a ``.txt`` file with optional front matter, a ``.jsonl`` file with one article per
line, an ``.html`` page, a ``.warc`` / ``.warc.gz`` web archive, a directory, or ``-`` for
standard input) becomes :class:`~quotes.article.Article` objects. A file or record that cannot
be read becomes a :class:`~quotes.article.ReadError` in the same stream, so one bad input never
stops the rest. HTML and WARC reading are imported only when such a file turns up.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from quotes.article import Article, ReadError
from quotes.read.text import read_jsonl, read_text_file

#: Articles larger than this many bytes are refused (override with ``QUOTES_MAX_BYTES`` or ``--max-bytes``).
DEFAULT_MAX_BYTES = 5_000_000

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


def iter_files(paths: Iterable[str]) -> Iterator[str]:
    """Expand directories (recursively, sorted, hidden files skipped) into the article files they hold."""
    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            for child in sorted(p.rglob("*")):
                rel = child.relative_to(p)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                    if kind_of(child.name):
                        yield str(child)
        else:
            yield path


def _sniff(data: bytes) -> str:
    """The kind of data read from stdin: JSONL when it opens with ``{``, HTML with ``<``, else text."""
    head = data.lstrip()[:1]
    return {b"{": "jsonl", b"<": "html"}.get(head, "text")


def _read_data(data: bytes, source: str, kind: str, limit: int) -> Iterator[Article | ReadError]:
    """The articles in one file's bytes, read as ``kind``."""
    if kind == "jsonl":
        return read_jsonl(data, source, limit)
    if kind == "html":
        from quotes.read.html import read_html

        return read_html(data, source)
    return read_text_file(data, source)


def read_file(name: str, limit: int) -> Iterator[Article | ReadError]:
    """The articles in one file; a WARC is streamed record by record, any other file over ``limit`` is refused."""
    kind = kind_of(name) or "text"
    if kind == "warc":  # the limit applies to each record, never to the archive
        from quotes.read.warc import read_warc

        yield from read_warc(name, limit)
        return
    path = Path(name)
    try:
        if kind != "jsonl" and path.stat().st_size > limit:  # JSONL: the limit applies per line
            yield ReadError(name, f"file larger than {limit} bytes (see --max-bytes)")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield ReadError(name, exc.strerror or str(exc))
        return
    yield from _read_data(data, name, kind, limit)


def read_paths(paths: Iterable[str], max_bytes: int | None = None) -> Iterator[Article | ReadError]:
    """Every article in the given files, directories or ``-`` (stdin), with per-file errors.

    ``max_bytes`` caps one article (a file, a JSONL line, a WARC record); by default
    ``QUOTES_MAX_BYTES`` or 5 MB.
    """
    limit = _max_bytes() if max_bytes is None else max_bytes
    for name in iter_files(paths):
        if name == "-":
            data = sys.stdin.buffer.read()
            yield from _read_data(data, "<stdin>", _sniff(data), limit)
        else:
            yield from read_file(name, limit)
