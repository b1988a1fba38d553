"""Text files (with optional YAML front matter) and JSONL files of article objects."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import BinaryIO

from quotes.article import Article, ReadError
from quotes.read.fields import article_from_mapping

#: The reason given for data that is not text at all.
BINARY = "binary file (contains NUL bytes)"

#: The text encodings read besides UTF-8, known by their byte order mark; UTF-32's come first, as the
#: little-endian one starts with UTF-16's.
WIDE_BOMS = {codecs.BOM_UTF32_LE: "utf-32", codecs.BOM_UTF32_BE: "utf-32",
             codecs.BOM_UTF16_LE: "utf-16", codecs.BOM_UTF16_BE: "utf-16"}

#: How much of a JSONL line over the limit is read at a time while it is skipped.
SKIP_CHUNK = 1 << 16


def wide_codec(data: bytes) -> str | None:
    """The codec, "utf-16" or "utf-32", of text that opens with its byte order mark and holds the NUL
    bytes its ASCII characters have (Latin-1 text may open with the bytes of UTF-16's mark); else None."""
    if b"\x00" not in data[2:8192]:
        return None
    return next((codec for bom, codec in WIDE_BOMS.items() if data.startswith(bom)), None)


def is_binary(data: bytes) -> bool:
    """Whether the data is binary rather than text: a NUL byte in its first 8 KiB, unless it is UTF-16 or
    UTF-32 text with a byte order mark, whose NUL bytes are part of its characters."""
    return b"\x00" in data[:8192] and wide_codec(data) is None


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), or UTF-16 / UTF-32 with a BOM, as text with line ends made ``\\n``;
    ValueError for binary or undecodable data."""
    if is_binary(data):
        raise ValueError(BINARY)
    codec = wide_codec(data) or "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid {codec.removesuffix('-sig').upper()} (byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``---``-delimited YAML front matter (``key: value`` lines) from a text file's body.

    Values are read as strings (``outlet: "Example News"`` loses its quotation marks, a date
    stays text for :func:`quotes.read.fields.parse_date`); keys are lower-cased. ValueError when
    the block is not a YAML mapping.
    """
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        return {}, text
    import yaml  # only for files with front matter: the query commands import this module too

    try:
        meta = yaml.load(text[4:end], Loader=yaml.BaseLoader)  # every scalar a string: no 'No' -> False
    except RecursionError:
        raise ValueError("malformed front matter: nested too deeply") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" on line {where.line + 2}" if where is not None else ""
        raise ValueError(f"malformed front matter{line} ({getattr(exc, 'problem', None) or exc}): "
                         "front matter is YAML, so quote a value holding ': '") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ValueError("malformed front matter: not a list of key: value lines")
    return {str(key).strip().lower(): value for key, value in meta.items()}, text[end + len("\n---\n"):]


def read_text_file(data: bytes, source: str) -> Iterator[Article | ReadError]:
    """A text file: optional front matter (url, outlet, title, published), then the body."""
    try:
        meta, body = split_front_matter(decode(data))
        if not body.strip():
            raise ValueError("empty article")
        yield article_from_mapping({**meta, "text": body}, default_id=source, path=source)
    except ValueError as exc:
        yield ReadError(source, str(exc))


def read_jsonl(stream: BinaryIO, source: str, limit: int) -> Iterator[Article | ReadError]:
    """One article object per line, read a line at a time, each at most ``limit`` bytes of UTF-8; a bad
    line is an error of its own, and memory stays bounded by ``limit`` however long the file or stream."""
    head = stream.peek(8192)[:8192]
    if codec := wide_codec(head):
        yield ReadError(source, f"{codec.upper()} text is not supported in JSONL: convert the file to UTF-8")
        return
    if is_binary(head):
        yield ReadError(source, BINARY)
        return
    for number, line in enumerate(_lines(stream, limit), start=1):
        if line is None:
            yield ReadError(source, f"article larger than {limit} bytes", number)
            continue
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if line.strip():
            yield _jsonl_article(line, source, number)


def _lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Each line's bytes without its line end, or None for a line longer than ``limit`` (skipped, never held whole)."""
    while line := stream.readline(limit + 2):  # room for "\r\n" after ``limit`` bytes
        whole = line.endswith(b"\n")
        line = line.rstrip(b"\r\n")
        if len(line) <= limit:
            yield line
            continue
        while not whole and (rest := stream.readline(SKIP_CHUNK)):
            whole = rest.endswith(b"\n")
        yield None


def _jsonl_article(line: bytes, source: str, number: int) -> Article | ReadError:
    """The article one JSONL line holds, or the reason it holds none."""
    try:
        obj = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return ReadError(source, f"not valid UTF-8 (byte {exc.start} of the line)", number)
    except (ValueError, RecursionError) as exc:  # json.JSONDecodeError is a ValueError
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        return ReadError(source, f"malformed article: {reason}", number)
    try:
        if not isinstance(obj, dict):
            raise ValueError("not a JSON object")
        article = article_from_mapping(obj, default_id=f"{source}:{number}", path=source)
    except ValueError as exc:
        return ReadError(source, f"malformed article: {exc}", number)
    if not article.text.strip():
        return ReadError(source, "empty article", number)
    return article
