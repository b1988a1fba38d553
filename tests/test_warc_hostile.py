"""WARC archives cut short (issue 17): the records before the cut are read, and the cut is one error line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import quotes.read.warc as warc
from quotes.article import Article, ReadError
from quotes.read import read_paths

URIS = [f"https://harbor.test/story/{n}" for n in range(3)]


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
