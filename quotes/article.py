"""Read articles: the first stage of the data flow.

Every input (a ``.txt`` file with optional front matter, a ``.jsonl`` file with one article per
line, an ``.html`` page, a ``.warc`` / ``.warc.gz`` web archive, a directory, or ``-`` for
standard input) becomes :class:`Article` objects. A file or record that cannot be read becomes a
:class:`ReadError` in the same stream, so one bad input never stops the rest. HTML and WARC
reading live in :mod:`quotes.readers`, imported only when such a file turns up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: Articles larger than this many bytes are refused (override with ``QUOTES_MAX_BYTES`` or ``--max-bytes``).
DEFAULT_MAX_BYTES = 5_000_000

#: File name endings read from directories, and the reader each one needs.
KINDS = {
    ".txt": "text", ".text": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".html": "html", ".htm": "html",
    ".warc": "warc", ".warc.gz": "warc",
}


@dataclass
class Article:
    """One news item: its body text and, where known, where it came from."""

    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    path: str | None = None  # the file it was read from: its link when it has no URL
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Drop NUL characters, which carry no text and which PostgreSQL cannot store in any text column."""
        self.text = self.text.replace("\x00", "")
        for name in ("id", "url", "outlet", "title", "path"):
            value = getattr(self, name)
            if isinstance(value, str) and "\x00" in value:
                setattr(self, name, value.replace("\x00", ""))

    @property
    def link(self) -> str | None:
        """Where a reader can find the article: its URL, else the file it came from."""
        return self.url or self.path

    @property
    def content_hash(self) -> str:
        """SHA-256 of the body with Unicode and whitespace normalised: the same text is one article."""
        norm = " ".join(unicodedata.normalize("NFKC", self.text).split())
        return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass
class ReadError:
    """An input that could not be read, with where (file, JSONL line or WARC record URI) and why."""

    source: str
    reason: str
    line: int | None = None
    record: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        if self.record:
            where += f" record {self.record}"
        return f"{where}: {self.reason}"


def parse_date(value: object) -> dt.date | None:
    """An ISO date or datetime string (or date) as a date; None when absent or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``---``-delimited ``key: value`` front matter from a text file's body."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        return {}, text
    meta: dict[str, str] = {}
    for line in text[4:end].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip()
    return meta, text[end + len("\n---\n") :]


def article_from_mapping(obj: dict, default_id: str, path: str | None = None) -> Article:
    """Build an Article from a JSON object or front-matter dict; raises ValueError when unusable."""
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError('no "text" string')
    return Article(
        id=str(obj.get("id") or default_id),
        text=text,
        url=obj.get("url") or None,
        outlet=obj.get("outlet") or None,
        title=obj.get("title") or None,
        published=parse_date(obj.get("published")),
        path=path,
    )


def _max_bytes() -> int:
    return int(os.environ.get("QUOTES_MAX_BYTES", DEFAULT_MAX_BYTES))


#: The reason given for data that is not text at all.
BINARY = "binary file (contains NUL bytes)"


def is_binary(data: bytes) -> bool:
    """Whether the data is binary rather than text in any encoding: a NUL byte in its first 8 KiB."""
    return b"\x00" in data[:8192]


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) text; ValueError for binary or undecodable data."""
    if is_binary(data):
        raise ValueError(BINARY)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-8 (byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_file(data: bytes, source: str) -> Iterator[Article | ReadError]:
    """A text file: optional front matter (url, outlet, title, published), then the body."""
    try:
        text = _decode(data)
    except ValueError as exc:
        yield ReadError(source, str(exc))
        return
    meta, body = split_front_matter(text)
    if not body.strip():
        yield ReadError(source, "empty article")
        return
    yield article_from_mapping({**meta, "text": body}, default_id=source, path=source)


def read_jsonl(data: bytes, source: str, limit: int = DEFAULT_MAX_BYTES) -> Iterator[Article | ReadError]:
    """One article object per line (each at most ``limit`` bytes); a bad line is an error of its own."""
    try:
        text = _decode(data)
    except ValueError as exc:
        yield ReadError(source, str(exc))
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if len(line) > limit:
            yield ReadError(source, f"article larger than {limit} bytes", number)
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            article = article_from_mapping(obj, default_id=f"{source}:{number}", path=source)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            yield ReadError(source, f"malformed article: {exc}", number)
            continue
        if not article.text.strip():
            yield ReadError(source, "empty article", number)
            continue
        yield article


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
        from quotes.readers.html import read_html

        return read_html(data, source)
    return read_text_file(data, source)


def read_file(name: str, limit: int) -> Iterator[Article | ReadError]:
    """The articles in one file; a WARC is streamed record by record, any other file over ``limit`` is refused."""
    kind = kind_of(name) or "text"
    if kind == "warc":  # the limit applies to each record, never to the archive
        from quotes.readers.warc import read_warc

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
