"""Property tests of the readers: whatever the bytes or the JSON values, read_paths never raises, and each
item it is fed becomes exactly one article or one error."""

from __future__ import annotations

import codecs
import io
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotes.article import Article, ReadError
from quotes.read import read_paths
from quotes.read.fields import article_from_mapping

FIELDS = ["text", "id", "url", "outlet", "title", "published"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.sampled_from(["", " ", "2026-03-02", "March 2, 2016", "http://[::1", "https://a.test/x", "\ud800"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6)
RECORDS = st.lists(st.dictionaries(st.sampled_from(FIELDS), JSON), min_size=1, max_size=5)
PREFIXES = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE, b"---\n", b"{", b"<p>", b'{"text": "']
BYTES = st.builds(lambda prefix, rest: prefix + rest, st.sampled_from(PREFIXES), st.binary(max_size=300))


def read_bytes(data: bytes, name: str) -> list[Article | ReadError]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        items = list(read_paths([str(path)], max_bytes=1000))
    assert all(isinstance(i, (Article, ReadError)) for i in items)
    assert all(i.path == str(path) if isinstance(i, Article) else i.source == str(path) for i in items)
    return items


def expected(record: dict, number: int, path: str) -> Article | None:
    """The article the record schema makes of a line, or None when the line is an error."""
    try:
        article = article_from_mapping(record, default_id=f"{path}:{number}", path=path)
    except ValueError:
        return None
    return article if article.text.strip() else None


@settings(max_examples=60, deadline=None)
@given(RECORDS)
def test_any_json_value_in_any_field_is_one_article_or_one_error_per_line(records):
    lines = "".join(json.dumps(record) + "\n" for record in records)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "feed.jsonl")
        Path(path).write_text(lines, encoding="utf-8")
        items = list(read_paths([path], max_bytes=1_000_000))
        assert len(items) == len(records)
        for number, (item, record) in enumerate(zip(items, records), start=1):
            article = expected(record, number, path)
            if article is None:
                assert isinstance(item, ReadError) and item.line == number
            else:
                assert item == article


@settings(max_examples=60, deadline=None)
@given(BYTES)
def test_any_bytes_as_a_text_or_html_file_are_one_article_or_one_error(data):
    for name in ("random.txt", "random.html"):
        assert len(read_bytes(data, name)) == 1


@settings(max_examples=60, deadline=None)
@given(BYTES)
def test_any_bytes_as_a_jsonl_file_are_one_item_per_line_or_one_error_for_the_file(data):
    items = read_bytes(data, "random.jsonl")
    lines = [line for line in data.removeprefix(codecs.BOM_UTF8).split(b"\n") if line.strip()]
    file_errors = [i for i in items if isinstance(i, ReadError) and i.line is None]
    assert len(items) == len(lines) or (file_errors == items and len(items) == 1)


URIS = [f"https://harbor.test/{n}" for n in range(2)]


def small_archive(gzipped: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for n, uri in enumerate(URIS):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = f'<article><p>"Pier {n} reopens on Monday," said Mira Holm, the port director.</p></article>'
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body.encode()),
                                                      http_headers=headers))
    return buffer.getvalue()


DAMAGE = st.sampled_from([small_archive(True), small_archive(False)]).flatmap(lambda archive: st.tuples(
    st.just(archive), st.integers(0, len(archive)), st.integers(0, len(archive)), st.binary(min_size=1, max_size=8)))


@settings(max_examples=40, deadline=None)
@given(DAMAGE)
def test_a_warc_cut_or_overwritten_anywhere_never_raises_and_a_cut_keeps_the_pages_before(damage):
    archive, cut, at, junk = damage  # which cuts must be errors: test_warc_hostile.py
    articles = [i.url for i in read_bytes(archive[:cut], "cut.warc.gz") if isinstance(i, Article)]
    assert articles == URIS[: len(articles)]
    read_bytes(archive[:at] + junk + archive[at + len(junk):], "spliced.warc.gz")
