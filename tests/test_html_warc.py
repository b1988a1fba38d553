"""HTML pages and WARC archives: quotes come from the article body only, with the page's metadata."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotes.read import read_paths, read_stream
from quotes.cli import cli

BODY_QUOTE = "Every crane has been checked twice, and the pier is safe for the first ferries,"

# An invented page: every quotation outside <article> is boilerplate that must not be stored.
PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Harbor crews finish storm repairs | Coastline Courier</title>
<link rel="canonical" href="https://www.coastline-courier.test/news/harbor-repairs">
<meta property="og:site_name" content="Coastline Courier">
<meta property="article:published_time" content="2026-03-02T08:15:00Z">
<script>var promo = "Subscribe today," said the banner; window.tagline = "We never sleep";</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li>"The best local news," Readers Weekly said</li></ul></nav>
<header><p>"Download the app now," editor Paul Grant said.</p></header>
<article>
<h1>Harbor crews finish storm repairs</h1>
<p>Crews working through the weekend reopened the north pier of Port Alder on Monday, two weeks
after the storm that tore away its railings and flooded the fish market.</p>
<p>"Every crane has been checked twice, and the pier is safe for the first ferries," said Mira Holm,
the port director.</p>
<p>The city council approved the emergency budget last month, and the repairs came in under the
estimate, according to the public works office, which oversaw the contractors on site.</p>
<aside class="related-stories"><h3>Related stories</h3><ul>
<li><a href="/flood">"We lost everything," fisherman Tom Berg said after the flood</a></li></ul></aside>
<p>Ferry service to the islands resumes on Tuesday morning with the usual timetable, the operator
announced in a notice posted at the terminal.</p>
</article>
<footer><p>"Journalism you can trust," publisher Irene Vogt said. Copyright 2025 Coastline Courier</p></footer>
</body></html>
"""

# A second invented story, with a quote running over two paragraphs.
STORY = """<html><head><title>Council freezes ferry fares</title>
<meta property="og:title" content="Council freezes ferry fares">
<meta property="og:site_name" content="Island Gazette">
<meta property="article:published_time" content="2026-04-14">
</head><body><div class="story-body">
<p>The council voted 7-2 on Tuesday to freeze ferry fares for another year, after a long debate.</p>
<p>"We heard from hundreds of families. They told us the fares were already too high.</p>
<p>"So we listened, and the freeze passed," said Mayor Ana Ruiz.</p>
<p>Opponents said the freeze would cost the city about $2 million in lost revenue next year.</p>
</div></body></html>
"""

EMPTY_PAGE = "<html><head><title>Nothing here</title></head><body><nav>Home</nav></body></html>"


def run(tmp_path: Path, *args: str):
    url = f"sqlite:///{tmp_path / 'quotes.sqlite'}"
    return CliRunner(env={"QUOTES_ALIASES": str(tmp_path / "aliases.csv")}).invoke(cli, ["--db", url, *args])


def sql(tmp_path: Path, query: str) -> list[dict]:
    return json.loads(run(tmp_path, "sql", query, "--format", "json").stdout)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def response(writer: WARCWriter, uri: str, body: bytes, content_type: str = "text/html; charset=utf-8",
             status: str = "200 OK") -> None:
    """Write one HTTP response record."""
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))


def crawl(path: Path, pages: dict[str, str]) -> Path:
    """A gzipped WARC: for each page a request and its HTML response, plus an image and a 404 page."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, html in pages.items():
            request = io.BytesIO(f"GET {uri} HTTP/1.1\r\nHost: example.test\r\n\r\n".encode())
            writer.write_record(writer.create_warc_record(uri, "request", payload=request))
            response(writer, uri, html.encode("utf-8"))
        response(writer, "https://cdn.example.test/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")
        response(writer, "https://example.test/missing", b'<p>"Not found," the server said.</p>', status="404 Not Found")
    return path


# --- HTML ------------------------------------------------------------------------------------


def test_an_html_page_stores_only_the_body_quote_with_canonical_url_title_date_and_outlet(tmp_path, nlp):
    page = write(tmp_path / "harbor.html", PAGE)
    result = run(tmp_path, "ingest", str(page))
    assert result.exit_code == 0, result.output
    assert [m["text"] for m in sql(tmp_path, "select text from mentions")] == [BODY_QUOTE]
    assert sql(tmp_path, "select mention_text, speaker, outlet, url, title, published from quote_sources") == [{
        "mention_text": BODY_QUOTE, "speaker": "Mira Holm", "outlet": "Coastline Courier",
        "url": "https://www.coastline-courier.test/news/harbor-repairs",
        "title": "Harbor crews finish storm repairs", "published": "2026-03-02",
    }]


def test_extract_prints_only_the_body_quote_of_an_html_page_with_exact_offsets(tmp_path, nlp):
    page = write(tmp_path / "harbor.htm", PAGE)
    result = run(tmp_path, "extract", str(page))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["text"], r["speaker"]) for r in records] == [(BODY_QUOTE, "Mira Holm")]
    assert records[0]["url"] == "https://www.coastline-courier.test/news/harbor-repairs"
    assert records[0]["outlet"] == "Coastline Courier"
    (article,) = read_paths([str(page)])
    assert article.text[records[0]["start"]:records[0]["end"]] == BODY_QUOTE


def test_html_paragraphs_stay_paragraphs_so_a_quote_over_two_paragraphs_is_one_group(tmp_path, nlp):
    page = write(tmp_path / "fares.html", STORY)
    (article,) = read_paths([str(page)])
    assert len(article.text.split("\n\n")) == 4  # the four <p>, each one paragraph
    assert (article.title, article.outlet, str(article.published)) == (
        "Council freezes ferry fares", "Island Gazette", "2026-04-14")
    assert article.url is None and article.link == str(page)  # no canonical URL: the file is the link
    records = [json.loads(line) for line in run(tmp_path, "extract", str(page)).stdout.splitlines()]
    assert [r["text"] for r in records] == [
        "We heard from hundreds of families. They told us the fares were already too high.",
        "So we listened, and the freeze passed,",
    ]
    assert {r["group"] for r in records} == {records[0]["group"]}
    assert records[-1]["speaker"] == "Ana Ruiz"


def test_malformed_html_is_read_leniently_and_an_html_file_without_a_body_is_an_error_by_name(tmp_path, nlp):
    folder = tmp_path / "pages"
    folder.mkdir()
    # unclosed tags everywhere, no <html> or <body>
    write(folder / "broken.html", '<div><p>"We will rebuild the pier by June," Mayor Ana Ruiz said at the town '
                                  'hall on Monday night.<p>The council <b>agreed <i>to pay for it from the reserve')
    write(folder / "empty.html", EMPTY_PAGE)
    (folder / "zero.html").write_bytes(b"")
    (folder / "binary.htm").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(folder / "tags.html", "<<<>>><></<!-->")
    result = run(tmp_path, "ingest", str(folder))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for name, reason in [("empty.html", "no article text found in the HTML"),
                         ("zero.html", "no article text found in the HTML"),
                         ("binary.htm", "binary file"), ("tags.html", "no article text found in the HTML")]:
        assert f"{folder / name}: {reason}" in result.stderr
    assert result.stderr.count("error:") == 4
    assert [s["name"] for s in sql(tmp_path, "select name from speakers")] == ["Ana Ruiz"]


def test_html_on_stdin_is_read_as_html(tmp_path, nlp):
    result = CliRunner().invoke(cli, ["extract", "-"], input=PAGE)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == [BODY_QUOTE]


# --- WARC ------------------------------------------------------------------------------------


def test_a_warc_archive_ingests_its_html_responses_and_skips_requests_images_and_errors(tmp_path, nlp):
    archive = crawl(tmp_path / "crawl.warc.gz", {
        "https://www.coastline-courier.test/news/harbor-repairs?utm_source=feed": PAGE,
        "https://gazette.example.test/2026/fares": STORY,
    })
    with gzip.open(archive) as check:  # really gzipped, and really holds the skipped records
        assert check.read().count(b"WARC-Type: ") == 6
    result = run(tmp_path, "ingest", str(archive))
    assert result.exit_code == 0, result.output
    assert "articles stored: 2" in result.stdout
    rows = sql(tmp_path, "select a.url, a.title, a.published, o.name as outlet from articles a "
                         "join outlets o on o.id = a.outlet_id order by a.id")
    assert rows == [
        {"url": "https://www.coastline-courier.test/news/harbor-repairs?utm_source=feed",
         "title": "Harbor crews finish storm repairs", "published": "2026-03-02", "outlet": "Coastline Courier"},
        {"url": "https://gazette.example.test/2026/fares", "title": "Council freezes ferry fares",
         "published": "2026-04-14", "outlet": "Island Gazette"},
    ]
    texts = {m["text"] for m in sql(tmp_path, "select text from mentions")}
    assert BODY_QUOTE in texts and not any("lost everything" in t or "Not found" in t for t in texts)
    assert "articles stored: 0, already present: 2" in run(tmp_path, "ingest", str(archive)).stdout


def test_a_warc_archive_in_memory_reads_as_the_file_does(tmp_path):
    """A cluster job hands the reader an archive's bytes (Spark's binaryFile), not a file."""
    archive = crawl(tmp_path / "crawl.warc.gz", {"https://gazette.example.test/2026/fares": STORY,
                                                 "https://example.test/empty": EMPTY_PAGE})
    in_memory = read_stream(io.BufferedReader(io.BytesIO(archive.read_bytes())), str(archive), "warc", 100_000)
    assert list(in_memory) == list(read_paths([str(archive)]))


def test_a_bad_warc_record_is_named_by_file_and_uri_and_the_other_records_are_stored(tmp_path, nlp):
    archive = crawl(tmp_path / "crawl.warc.gz", {
        "https://example.test/empty": EMPTY_PAGE,
        "https://www.coastline-courier.test/news/harbor-repairs": PAGE,
    })
    result = run(tmp_path, "ingest", str(archive))
    assert result.exit_code == 1
    assert f"error: {archive} record https://example.test/empty: no article text found" in result.stderr
    assert "articles stored: 1" in result.stdout and "Traceback" not in result.output


def test_broken_warc_files_are_errors_by_name(tmp_path, nlp):
    whole = crawl(tmp_path / "whole.warc.gz", {"https://www.coastline-courier.test/a": PAGE}).read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(whole[: len(whole) // 2])
    write(tmp_path / "notes.warc", "just some notes\nthat are not an archive\n")
    (tmp_path / "empty.warc").write_bytes(b"")
    names = ["cut.warc.gz", "notes.warc", "empty.warc"]
    result = run(tmp_path, "extract", *(str(tmp_path / n) for n in names))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{tmp_path / 'cut.warc.gz'} record https://www.coastline-courier.test/a: record cut short" in result.stderr
    assert f"{tmp_path / 'notes.warc'}: not a WARC archive" in result.stderr
    assert f"{tmp_path / 'empty.warc'}: empty WARC archive" in result.stderr


# --- size limit and --strict -----------------------------------------------------------------


def test_max_bytes_limits_each_warc_record_not_the_archive(tmp_path, nlp):
    archive = crawl(tmp_path / "crawl.warc.gz", {
        "https://gazette.example.test/2026/fares": STORY,
        "https://www.coastline-courier.test/news/harbor-repairs": PAGE,
    })
    limit = len(STORY.encode()) + 10  # the archive, and the harbor page, are larger
    assert archive.stat().st_size > limit > len(STORY.encode())
    result = run(tmp_path, "ingest", "--max-bytes", str(limit), str(archive))
    assert result.exit_code == 1
    assert (f"error: {archive} record https://www.coastline-courier.test/news/harbor-repairs: "
            f"record larger than {limit} bytes") in result.stderr
    assert "articles stored: 1" in result.stdout


def test_max_bytes_refuses_a_larger_file_in_ingest_and_extract_and_wins_over_the_environment(tmp_path, monkeypatch, nlp):
    page = write(tmp_path / "harbor.html", PAGE)
    size = page.stat().st_size
    monkeypatch.setenv("QUOTES_MAX_BYTES", "100")  # the option given on the command line wins
    for command in ("extract", "ingest"):
        refused = run(tmp_path, command, "--max-bytes", str(size - 1), str(page))
        assert refused.exit_code == 1
        assert f"error: {page}: file larger than {size - 1} bytes" in refused.stderr
        accepted = run(tmp_path, command, "--max-bytes", str(size), str(page))
        assert accepted.exit_code == 0, accepted.output
    assert run(tmp_path, "extract", str(page)).exit_code == 1  # QUOTES_MAX_BYTES alone still applies


def test_extract_strict_stops_at_the_first_error_and_exit_codes_say_whether_anything_failed(tmp_path, nlp):
    good = write(tmp_path / "b_good.html", PAGE)
    bad = write(tmp_path / "a_empty.html", EMPTY_PAGE)
    lenient = run(tmp_path, "extract", str(bad), str(good))
    assert lenient.exit_code == 1 and BODY_QUOTE in lenient.stdout
    strict = run(tmp_path, "extract", "--strict", str(bad), str(good))
    assert strict.exit_code == 1 and strict.stdout == "" and strict.stderr.count("error:") == 1
    assert run(tmp_path, "extract", "--strict", str(good)).exit_code == 0


def test_an_archive_cut_inside_a_records_headers_is_an_error_and_the_rest_of_the_folder_is_stored(tmp_path, nlp):
    buffer, starts = io.BytesIO(), []
    writer = WARCWriter(buffer, gzip=True)
    for uri in ("https://www.coastline-courier.test/a", "https://www.coastline-courier.test/b"):
        starts.append(buffer.tell())
        response(writer, uri, PAGE.encode("utf-8"))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cut.warc.gz").write_bytes(buffer.getvalue()[: starts[1] + 100])
    write(folder / "good.html", PAGE.replace("Tuesday", "Wednesday"))
    result = run(tmp_path, "ingest", str(folder))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{folder / 'cut.warc.gz'}: unreadable WARC archive" in result.stderr
    assert str(folder / "good.html") in {row["path"] for row in sql(tmp_path, "select path from articles")}


def test_a_utf16_page_with_its_byte_order_mark_is_read_not_refused_as_binary(tmp_path, nlp):
    page = tmp_path / "harbor.html"
    page.write_bytes(PAGE.replace('charset="utf-8"', 'charset="utf-16"').encode("utf-16"))
    result = run(tmp_path, "ingest", str(page))
    assert result.exit_code == 0, result.output
    assert [m["text"] for m in sql(tmp_path, "select text from mentions")] == [BODY_QUOTE]
