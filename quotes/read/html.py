"""Read HTML pages: the article body only, with its URL, title, publication date and outlet.

trafilatura finds the main text and drops scripts, navigation, headers, footers, comments and
related-story boxes, so no quote is taken from them. Its metadata gives the URL (``og:url``,
then ``<link rel="canonical">``), the title (title meta tags, the JSON-LD headline, ``<title>``
without the site name, ``<h1>``), the date (htmldate over ``article:published_time`` and other
meta tags, JSON-LD, ``<time>`` elements and the URL) and the outlet (``og:site_name``, the
JSON-LD publisher, else the domain).
"""

from __future__ import annotations

from collections.abc import Iterator

import trafilatura

from quotes.article import Article, ReadError
from quotes.read.fields import article_from_mapping
from quotes.read.text import BINARY, decode, is_binary, wide_codec

#: htmldate's structured sources only: its extensive search reads dates out of free text and
#: takes a footer's "(c) 2025" for 2025-01-01.
DATE_PARAMS = {"extensive_search": False, "original_date": True}

#: Elements that are never the article, removed before trafilatura's fallbacks (which take any
#: text on a page where its main extractor finds none) could read them.
NEVER_BODY = ["//nav", "//footer", "//aside"]


def html_article(data: bytes, source: str, url: str | None = None,
                 record: str | None = None) -> Article | ReadError:
    """The page's main text as paragraphs separated by blank lines, with its metadata; ReadError without a body.

    ``url``, when known (a WARC record's target URI), is the article's URL whatever the page
    says; ``record`` names the WARC record in errors.
    """
    if is_binary(data):
        return ReadError(source, BINARY, record=record)
    try:  # a page in UTF-16 or UTF-32 is decoded by its byte order mark; trafilatura reads other encodings
        page = decode(data) if wide_codec(data) else data
    except ValueError as exc:
        return ReadError(source, str(exc), record=record)
    try:
        doc = trafilatura.bare_extraction(
            page, url=url, with_metadata=True, include_comments=False, favor_precision=True,
            date_extraction_params=DATE_PARAMS, prune_xpath=NEVER_BODY,
        )
    except Exception as exc:  # a parser failure on hostile markup stays this page's error
        return ReadError(source, f"unreadable HTML ({type(exc).__name__}: {exc})", record=record)
    lines = [line.strip() for line in doc.text.splitlines()] if doc and doc.text else []
    text = "\n\n".join(line for line in lines if line)
    if not text:
        return ReadError(source, "no article text found in the HTML", record=record)
    record_fields = {"text": text, "url": url or doc.url, "outlet": doc.sitename, "title": doc.title,
                     "published": doc.date}
    try:
        return article_from_mapping(record_fields, default_id=record or source, path=source)
    except ValueError as exc:
        return ReadError(source, str(exc), record=record)


def read_html(data: bytes, source: str) -> Iterator[Article | ReadError]:
    """The article in one HTML file (any encoding the page declares or trafilatura detects)."""
    yield html_article(data, source)
