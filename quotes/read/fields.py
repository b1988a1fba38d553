"""The article record every reader fills: field types checked, dates and URLs read, one schema for all.

Text files' front matter, JSONL objects, HTML pages and WARC records all become an
:class:`~quotes.article.Article` through :func:`article_from_mapping`, so a bad value (a number
for a URL, an object for a title, a URL that cannot be parsed) is the same clear per-item error
whichever reader met it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from urllib.parse import urlsplit

from quotes.article import Article

log = logging.getLogger("quotes.read")

#: The optional text fields of an article record.
TEXT_FIELDS = ("url", "outlet", "title")


class FieldError(ValueError):
    """A record whose field has the wrong type or an unreadable value."""


def clean_text(value: str) -> str:
    """Text with lone surrogates (from JSON ``"\\ud800"``) replaced by U+FFFD, one character for one."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if has_surrogate(value) else value


def has_surrogate(value: str) -> bool:
    """Whether the text holds a lone surrogate, which no UTF-8 encoder (nor database) accepts."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def parse_date(value: object, source: str = "") -> dt.date | None:
    """A publication date from ISO text, a date or datetime, or any common written form; None when absent.

    ``Wed, 02 Mar 2016 10:00:00 GMT``, ``March 2, 2016`` and ``2016/03/02`` are read by
    dateparser; text that holds no full date (day, month and year) is logged as a warning and
    gives None, so the article is dated by its ingestion.
    """
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
    import dateparser  # only for dates that are not ISO: it takes a moment to load

    parsed = dateparser.parse(text, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"],
                                                                 "RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        log.warning("%s: cannot read the date %r; the article is dated by its ingestion", source, text[:80])
        return None
    return parsed.date()


def check_url(url: str | None) -> str | None:
    """The URL, stripped, when it parses as one; FieldError for a URL that cannot be parsed."""
    if url is None:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a port that is not a number)
    except ValueError as exc:
        raise FieldError(f"invalid URL {url[:200]!r}: {exc}") from None
    return url or None


def _text_field(obj: Mapping, name: str) -> str | None:
    value = obj.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise FieldError(f'field "{name}" must be a string, not {type(value).__name__}')
    return clean_text(value)


def article_from_mapping(obj: Mapping, default_id: str, path: str | None = None) -> Article:
    """The Article a record describes (``text`` and optional ``id``, ``url``, ``outlet``, ``title``, ``published``).

    Raises FieldError (a ValueError) naming the field that is missing, of the wrong type or unreadable.
    """
    text = obj.get("text")
    if not isinstance(text, str):
        raise FieldError('no "text" string')
    ident = obj.get("id")
    if isinstance(ident, bool) or (ident is not None and not isinstance(ident, (str, int))):
        raise FieldError(f'field "id" must be a string or a number, not {type(ident).__name__}')
    published = obj.get("published")
    if published is not None and not isinstance(published, (str, dt.date)):
        raise FieldError(f'field "published" must be a date string, not {type(published).__name__}')
    fields = {name: _text_field(obj, name) for name in TEXT_FIELDS}
    return Article(
        id=clean_text(str(ident)) if ident not in (None, "") else default_id,
        text=clean_text(text),
        url=check_url(fields["url"]),
        outlet=fields["outlet"] and fields["outlet"].strip() or None,
        title=fields["title"],
        published=parse_date(published, path or default_id),
        path=path,
    )
