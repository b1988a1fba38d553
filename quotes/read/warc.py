"""Read WARC web archives (``.warc``, ``.warc.gz``): each HTML page a crawler saved is an article.

Records are streamed one at a time, so memory stays bounded by the size limit of one record
whatever the size of the archive. Only responses with status 200 and an HTML content type are
read; requests, metadata, revisits, redirects and images are skipped.

An archive is read as far as it is whole: each record is read to its end before its page is
yielded, and a file cut short is one error after the records before the cut. A cut exactly between
two records (for ``.warc.gz``, between two gzip members), or inside the blank lines that close the
last record, loses no record and reads as the shorter archive it then is. A gzipped archive is
decompressed here, not by warcio, so its size can be counted: it may expand to ``MAX_EXPANSION``
times its own size (or times the record limit, for a small file) and no more, so a gzip bomb ends as
one error in bounded time and memory.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from quotes.article import Article, ReadError
from quotes.read.html import html_article

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

#: How many times its own size (or the record limit, if larger) a gzipped archive may expand to.
#: Crawled HTML compresses 5 to 10 times; a gzip bomb about a thousand times.
MAX_EXPANSION = 100

#: The most bytes one record's WARC and HTTP headers may take: no crawler writes more.
HEADER_LIMIT = 1 << 20

#: The most bytes handed to warcio in one read.
BLOCK = 1 << 16

UNREADABLE = "unreadable WARC archive"
CUT_FILE = f"{UNREADABLE}: the file is cut short"
CUT_RECORD = "record cut short: the archive is truncated"


class _Broken(Exception):
    """The archive cannot be read past this point; the message is the file's error."""


class _Cut(_Broken):
    """The archive ends inside a record: the error of the record being read, if any, else the file's."""

    def __init__(self) -> None:
        super().__init__(CUT_FILE)


class _Counted:
    """The archive's bytes, decompressed, as warcio reads them: counted against ``cap`` and, while warcio
    parses a record's headers, against HEADER_LIMIT, so neither a bomb nor an endless header line can
    grow memory or run on; a gzip member that ends early is a cut, which warcio would take for the end."""

    def __init__(self, stream: BinaryIO, cap: int) -> None:
        self.stream, self.cap = stream, cap
        self.total = 0
        self.head = b""  # the first bytes: "WARC/" in an archive
        self.at_end = False
        self.headers_from: int | None = None

    def read(self, size: int | None = -1) -> bytes:
        try:
            # read1: one read of the file at most, so the bytes before a cut are handed on before it
            data = self.stream.read1(BLOCK if size is None or size < 0 else min(size, BLOCK))
        except EOFError:  # gzip: the file ends before the member's end-of-stream marker
            raise _Cut() from None
        self.at_end = self.at_end or not data
        self.head = (self.head + data[:5])[:5]
        self.total += len(data)
        if self.total > self.cap:
            raise _Broken(f"{UNREADABLE}: it expands to more than {self.cap} bytes, "
                          f"{MAX_EXPANSION} times its size (a gzip bomb?)")
        if self.headers_from is not None and self.total - self.headers_from > HEADER_LIMIT:
            raise _Broken(f"{UNREADABLE}: a record's headers run past {HEADER_LIMIT} bytes")
        return data

    def tell(self) -> int:
        return self.total


def is_html_page(record: ArcWarcRecord) -> bool:
    """Whether the record is a successful HTTP response carrying an HTML page."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return record.http_headers.get_statuscode() == "200" and content_type in HTML_TYPES


def _records(source: _Counted) -> Iterator[ArcWarcRecord]:
    """The archive's records, each with whole headers and a Content-Length; _Broken where it stops."""
    records = ArchiveIterator(source)
    records.reader.set_decomp(None)  # decompressed by the caller, counted: never a second gzip layer
    while True:
        source.headers_from = source.total
        try:
            record = next(records)
        except StopIteration:
            break
        except _Broken:
            raise
        except Exception as exc:  # ArchiveLoadFailed, or warcio failing in its own ways on headers cut off
            if source.at_end and b"WARC/".startswith(source.head):
                raise _Cut() from None
            if not source.head.startswith(b"WARC/"):
                raise _Broken("not a WARC archive") from None
            raise _Broken(f"{UNREADABLE}: {exc}") from None
        finally:
            source.headers_from = None
        if record.format != "warc":  # warcio would read any text as ARC lines
            raise _Broken("not a WARC archive")
        if not re.fullmatch(r"\s*\d+\s*", record.rec_headers.get_header("Content-Length") or "", re.ASCII):
            # warcio reads a missing length as "to the end of the file", a bad one as 0
            raise _Cut() if source.at_end else _Broken(f"{UNREADABLE}: a record without a valid Content-Length")
        yield record
    if records.offset < source.total:  # headers cut off, which warcio takes for the end of the archive
        raise _Cut()
    if not source.total:
        raise _Broken("empty WARC archive")


def _body(record: ArcWarcRecord, limit: int) -> bytes | None:
    """The page in an HTML response record, decoded; None when it is larger than ``limit``, which is known
    from the record's length or, for a compressed page, after reading no more than ``limit + 1`` bytes."""
    if record.payload_length > limit:
        return None
    data = record.content_stream().read(limit + 1)
    return data if len(data) <= limit else None


def _skip_rest(record: ArcWarcRecord) -> None:
    """Read the record to its end, so that a record cut short is known before anything of it is yielded."""
    while record.raw_stream.read(BLOCK):
        pass
    if record.raw_stream.limit:  # warcio's LimitReader, short of the record's Content-Length
        raise _Cut()


def _size(stream: BinaryIO) -> int:
    """The archive's size in bytes: the file's, or for bytes in memory (a cluster job's input) the buffer's."""
    try:
        return os.fstat(stream.fileno()).st_size
    except io.UnsupportedOperation:
        size = stream.seek(0, io.SEEK_END)
        stream.seek(0)  # read from the start, as a file just opened is
        return size


def read_warc(stream: BinaryIO, path: str, limit: int) -> Iterator[Article | ReadError]:
    """Every HTML page in the archive, streamed; a bad record is its own error, a broken archive ends the file.

    ``limit`` caps one record's page; the archive itself may expand, if gzipped, to
    ``MAX_EXPANSION`` times the larger of its size and ``limit``.
    """
    cap = MAX_EXPANSION * max(_size(stream), limit)
    gzipped = stream.peek(2)[:2] == b"\x1f\x8b"
    source = _Counted(gzip.GzipFile(fileobj=stream) if gzipped else stream, cap)
    current = None  # the record being read: a cut inside it is that record's error
    try:
        for current in _records(source):
            uri = current.rec_headers.get_header("WARC-Target-URI")
            page = is_html_page(current)
            body = _body(current, limit) if page else None
            _skip_rest(current)
            current = None
            if page:
                yield (html_article(body, path, url=uri, record=uri) if body is not None else
                       ReadError(path, f"record larger than {limit} bytes (see --max-bytes)", record=uri))
    except _Cut:
        uri = current and current.rec_headers.get_header("WARC-Target-URI")
        yield ReadError(path, CUT_RECORD, record=uri) if uri else ReadError(path, CUT_FILE)
    except _Broken as exc:
        yield ReadError(path, str(exc))
    except (OSError, zlib.error) as exc:  # bad gzip data, or the disk
        yield ReadError(path, f"{UNREADABLE}: {getattr(exc, 'strerror', None) or exc}")
    except Exception as exc:  # warcio fails in its own ways on malformed records
        yield ReadError(path, f"{UNREADABLE} ({type(exc).__name__}: {exc})")
