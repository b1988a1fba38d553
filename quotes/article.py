"""The records the data flow starts from: an article, and an input that could not be read."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit


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

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the body with Unicode and whitespace normalised: the same text is one article (worked out
        once: looking the article up, skipping and storing it each ask)."""
        norm = " ".join(unicodedata.normalize("NFKC", self.text).split())
        return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass
class ReadError:
    """An input that could not be read, with where (file, JSONL line or WARC record URI) and why."""

    source: str
    reason: str
    line: int | None = None
    record: str | None = None

    @classmethod
    def for_article(cls, article: Article, what: str, detail: object) -> ReadError:
        """An article read whole that went no further: ``article ID <what>: <detail>``, found at its link."""
        return cls(article.link or article.id, f"article {article.id} {what}: {detail}")

    def __str__(self) -> str:
        """``source[:line] [record URI]: reason``, with control characters escaped (see :func:`printable`)."""
        where = f"{self.source}:{self.line}" if self.line else self.source
        if self.record:
            where += f" record {self.record}"
        return printable(f"{where}: {self.reason}")


class ReadWarning(ReadError):
    """An input read whole that holds no article, through no fault of its own (a fetched page with no
    article text, such as a gallery or a video): counted as a warning, never as an error."""


def printable(text: str) -> str:
    """The text with every character that is not printable escaped as in a Python literal, so a file name
    holding an escape sequence or a newline cannot redraw a terminal or forge an output line. A byte that
    is not UTF-8 in a file name (decoded by Python as a lone surrogate) shows as that byte, ``\\xff``."""
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    if "\udc80" <= char <= "\udcff":  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{ord(char) - 0xDC00:02x}"
    return repr(char)[1:-1]


def canonical_url(url: str) -> str:
    """The URL as an article's identity: courlan's normalisation (scheme and host lower-cased, default
    port, tracking parameters such as ``utm_*``, ``fbclid`` and ``mc_eid`` dropped, parameters sorted),
    without the fragment."""
    from courlan import normalize_url

    return normalize_url(urlsplit(url.strip())._replace(fragment=""))
