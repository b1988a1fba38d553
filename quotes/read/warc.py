"""Read WARC web archives (``.warc``, ``.warc.gz``): each HTML page a crawler saved is an article.

Records are streamed one at a time, so memory stays bounded by the size limit of one record
whatever the size of the archive. Only responses with status 200 and an HTML content type are
read; requests, metadata, revisits, redirects and images are skipped.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from quotes.article import Article, ReadError
from quotes.read.html import html_article

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def is_html_page(record: ArcWarcRecord) -> bool:
    """Whether the record is a successful HTTP response carrying an HTML page."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return record.http_headers.get_statuscode() == "200" and content_type in HTML_TYPES


def record_article(record: ArcWarcRecord, path: str, limit: int) -> Article | ReadError:
    """The article in one HTML response record, its target URI as URL; ReadError over ``limit`` bytes."""
    uri = record.rec_headers.get_header("WARC-Target-URI")
    try:
        data = record.content_stream().read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:  # broken chunking or content encoding
        return ReadError(path, f"unreadable record body: {exc}", record=uri)
    if len(data) > limit:
        return ReadError(path, f"record larger than {limit} bytes (see --max-bytes)", record=uri)
    if getattr(record.raw_stream, "limit", 0) > 0:  # warcio stops quietly where a file is cut off
        return ReadError(path, "record cut short: the archive is truncated", record=uri)
    return html_article(data, path, url=uri, record=uri)


def read_warc(stream: BinaryIO, path: str, limit: int) -> Iterator[Article | ReadError]:
    """Every HTML page in the archive, streamed; a bad record is its own error, a broken archive ends the file."""
    try:
        empty = True
        for record in ArchiveIterator(stream):
            empty = False
            if record.format != "warc":  # warcio would read any text as ARC lines
                raise ArchiveLoadFailed(record.format)
            if is_html_page(record):
                yield record_article(record, path, limit)
        if empty:
            yield ReadError(path, "empty WARC archive")
    except ArchiveLoadFailed:
        yield ReadError(path, "not a WARC archive")
    except (OSError, EOFError, zlib.error) as exc:
        yield ReadError(path, getattr(exc, "strerror", None) or f"unreadable WARC archive: {exc}")
    except Exception as exc:  # warcio fails in its own ways on a file cut off inside a record's headers
        yield ReadError(path, f"unreadable WARC archive ({type(exc).__name__}: {exc})")
