"""WARC archives cut short or built to explode (issue 17): the records before the damage are read, the
damage is one error line, and reading takes bounded time and memory."""

from __future__ import annotations

import gzip
import io
import tracemalloc
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import quotes.read.warc as warc
from quotes.article import Article, ReadError
from quotes.read import read_paths
from quotes.read.html import html_article

URIS = [f"https://harbor.test/story/{n}" for n in range(3)]
MB = 1 << 20


def page(n: int) -> bytes:
    return (f'<html><body><article><p>"Pier {n} reopens on Monday," said Mira Holm, the port director, '
            f"after the divers finished their survey.</p></article></body></html>").encode()


def archive(gzipped: bool) -> tuple[bytes, list[int]]:
    """Three HTML responses, each with a quote, and the offsets where each record starts and the last ends."""
    buffer, starts = io.BytesIO(), []
    writer = WARCWriter(buffer, gzip=gzipped)
    for n, uri in enumerate(URIS):
        starts.append(buffer.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(page(n)),
                                                      http_headers=headers))
    return buffer.getvalue(), [*starts, buffer.tell()]


def read(path: Path, max_bytes: int = 100_000) -> list[Article | ReadError]:
    return list(read_paths([str(path)], max_bytes=max_bytes))


def peak_memory(action):
    """What ``action()`` returns, and the most memory Python held while it ran, trafilatura having read a
    page before (its first page loads what it keeps for the next)."""
    html_article(page(0), "warm-up")
    tracemalloc.start()
    try:
        return action(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- cut short -----------------------------------------------------------------------------


@pytest.fixture
def cheap_pages(monkeypatch):
    """Pages read as their bytes, not by trafilatura: the cut tests read an archive a few thousand times."""
    monkeypatch.setattr(warc, "html_article", lambda data, path, url, record: Article(
        id=url, text=data.decode(), url=url, path=path))


def dense_cuts(data: bytes, bounds: list[int]) -> list[int]:
    """Every fourth offset, and every offset next to a line end or a record's, where parsers change state."""
    marks = [at for at, byte in enumerate(data) if byte == ord("\n")] + bounds
    near = {at + shift for at in marks for shift in range(-5, 3)}
    return sorted({*range(0, len(data), 4)} | {at for at in near if 0 <= at <= len(data)})


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_an_archive_cut_anywhere_reads_the_records_before_the_cut_then_one_error(tmp_path, cheap_pages, gzipped):
    data, bounds = archive(gzipped)
    path = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    for cut in dense_cuts(data, bounds):
        path.write_bytes(data[:cut])
        items = read(path)
        # a record is whole once its content is: the blank lines closing it lose nothing (a .warc.gz
        # record cut in its gzip member's last bytes is read, then the cut is the error)
        closing = 0 if gzipped else len(b"\r\n\r\n")
        whole = [uri for uri, end in zip(URIS, bounds[1:]) if cut >= end - closing]
        articles = [i.url for i in items if isinstance(i, Article)]
        errors = [i for i in items if isinstance(i, ReadError)]
        assert articles == URIS[: len(articles)] and len(articles) >= len(whole), cut
        assert gzipped or articles == whole, cut
        if any(end - closing <= cut <= end for end in bounds[1:]):  # reads as the shorter archive it then is
            assert errors == [], cut
        else:
            assert len(errors) == 1 and items[-1] is errors[0], cut
            assert errors[0].reason.startswith(("record cut short", "unreadable WARC archive", "empty")), cut


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_an_archive_cut_to_30_bytes_is_cut_short_not_empty(tmp_path, gzipped):
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(archive(gzipped)[0][:30])
    assert [str(i) for i in read(path)] == [f"{path}: unreadable WARC archive: the file is cut short"]


def test_a_cut_inside_a_page_names_the_record_and_keeps_the_pages_before(tmp_path):
    data, bounds = archive(gzipped=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: bounds[1] + (bounds[2] - bounds[1]) * 3 // 4])
    items = read(path)
    assert [i.url for i in items[:-1]] == URIS[:1]
    assert str(items[-1]) == f"{path} record {URIS[1]}: record cut short: the archive is truncated"


# --- bombs ---------------------------------------------------------------------------------


def gzipped_record(body_size: int, body_member: bytes, content_type: str = "text/html") -> bytes:
    """One response record as gzip members, its body ``body_size`` bytes of what ``body_member`` holds
    (repeated): a member can be repeated without compressing its bytes again."""
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n".encode()
    headers = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.test/\r\n"
               f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000000>\r\n"
               f"Content-Type: application/http; msgtype=response\r\n"
               f"Content-Length: {len(http) + body_size}\r\n\r\n").encode()
    repeats = body_size // len(gzip.decompress(body_member))
    return gzip.compress(headers + http) + body_member * repeats + gzip.compress(b"\r\n\r\n")


def test_a_gzip_bomb_ends_with_one_error_in_bounded_memory_after_the_pages_before_it(tmp_path):
    data, _ = archive(gzipped=True)
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(data + gzipped_record(200 * MB, gzip.compress(bytes(MB), 9)))  # 200 MB of zeros
    cap = warc.MAX_EXPANSION * path.stat().st_size
    items, peak = peak_memory(lambda: read(path, max_bytes=10_000))
    assert [i.url for i in items[:-1]] == URIS
    assert str(items[-1]) == (f"{path}: unreadable WARC archive: it expands to more than {cap} bytes, "
                              f"{warc.MAX_EXPANSION} times its size (a gzip bomb?)")
    assert cap < 50 * MB and peak < 5 * MB


def test_a_gzip_bomb_in_place_of_headers_ends_at_the_header_limit(tmp_path):
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(gzip.compress(b"WARC/1.0\r\nWARC-Type: ") + gzip.compress(bytes(MB), 9) * 200)
    items, peak = peak_memory(lambda: read(path))
    assert [str(i) for i in items] == [
        f"{path}: unreadable WARC archive: a record's headers run past {warc.HEADER_LIMIT} bytes"]
    assert peak < 5 * MB


def test_a_page_over_the_limit_is_refused_by_its_length_and_never_held(tmp_path):
    data, _ = archive(gzipped=False)
    buffer = io.BytesIO()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    big = b"<p>" + b"Pier news. " * (20 * MB // 11) + b"</p>"
    WARCWriter(buffer, gzip=False).write_record(WARCWriter(buffer).create_warc_record(
        "https://harbor.test/huge", "response", payload=io.BytesIO(big), http_headers=headers))
    path = tmp_path / "big.warc"
    path.write_bytes(buffer.getvalue() + data)
    items, peak = peak_memory(lambda: read(path, max_bytes=100_000))
    assert str(items[0]) == f"{path} record https://harbor.test/huge: record larger than 100000 bytes (see --max-bytes)"
    assert [i.url for i in items[1:]] == URIS
    assert peak < 5 * MB
