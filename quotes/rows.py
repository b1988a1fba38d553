"""Extraction as plain rows: the engine-neutral first half of scaling out (README, "Scaling out: the core").

:func:`rows` turns input items (articles, read errors, or paths of files, directories, JSONL or
WARC archives) into JSON-able dicts, one per mention: the record ``quotes extract`` prints
(:meth:`quotes.mention.Mention.record`) with the article's headline, publication date and
:func:`article_key`. :func:`extracted` gives the same a row per article (all the store keeps
of it, its mention rows nested), for jobs that also write the articles. An input that cannot
be read or extracted becomes an error row and the rows go on; :func:`to_article` and
:func:`to_mention` turn rows back into what the store takes (``quotes load``). Nothing here knows of a cluster engine or a database: a Spark, Dask or Beam job
maps :func:`rows` over its partitions of inputs, and quotes.dedup_rows deduplicates the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from quotes.article import Article, ReadError, ReadWarning
from quotes.mention import Mention, Span
from quotes.read import read_paths

if TYPE_CHECKING:
    from spacy.language import Language

#: What :func:`rows` takes: articles, errors already found, and paths or URLs to read (quotes.read).
Item = Article | ReadError | str


def article_key(article: Article) -> str:
    """The article's stable identity: its content hash, as the store identifies an article (the same text is one)."""
    return article.content_hash


def article_fields(article: Article) -> dict:
    """The article's columns every one of its mention rows carries; ``published`` as an ISO date or None.

    The headline is ``article_title``: ``title`` is the speaker's title in a mention's record.
    """
    return {"article_id": article.id, "article_key": article_key(article), "url": article.url,
            "outlet": article.outlet, "article_title": article.title,
            "published": article.published.isoformat() if article.published else None}


def article_row(article: Article, extractor: str | None = None) -> dict:
    """The article as a row of its own, all the store keeps of it: its fields, ``path``, ``text`` (the body)
    and the ``extractor`` version that extracted it (quotes.extract.extractor_version)."""
    fields = article_fields(article)
    return {**fields, "title": fields.pop("article_title"), "path": article.path, "text": article.text,
            "extractor": extractor}


def to_article(row: dict) -> Article:
    """The article an :func:`article_row` was made of (``published`` an ISO date, a date, or None)."""
    published = row["published"]
    return Article(id=row["article_id"], text=row["text"], url=row["url"], outlet=row["outlet"], title=row["title"],
                   published=dt.date.fromisoformat(published) if isinstance(published, str) else published,
                   path=row["path"])


def to_mention(row: dict) -> Mention:
    """The mention a mention row holds (its ``speaker_mention`` a dict, as JSON and Parquet give it back)."""
    said_by = row["speaker_mention"]
    return Mention(text=row["text"], start=row["start"], end=row["end"], speaker=row["speaker"],
                   speaker_kind=row["speaker_kind"], speaker_mention=Span(**said_by) if said_by else None,
                   role=row["role"], title=row["title"], organization=row["organization"], cue=row["cue"],
                   kind=row["kind"], group=row["group"], confidence=row["confidence"])


def error_row(error: ReadError) -> dict:
    """An input that gave no article, as a row: ``error`` is "error", or "warning" for a ReadWarning."""
    return {"error": "warning" if isinstance(error, ReadWarning) else "error", "source": error.source,
            "line": error.line, "record": error.record, "reason": error.reason}


def _articles(items: Iterable[Item], errors: list[dict]) -> Iterator[Article]:
    """The articles of ``items``, paths read in turn; each input that gives none is appended to ``errors``."""
    for item in items:
        for found in read_paths([item]) if isinstance(item, str) else [item]:
            if isinstance(found, ReadError):
                errors.append(error_row(found))
            else:
                yield found


def extracted(items: Iterable[Item], nlp: Language | None = None, jobs: int = 1) -> Iterator[dict]:
    """One row per input item's outcome, in input order: an :func:`article_row` with its mention rows under
    ``mentions`` (none is an article too: it is stored), or an error row; an error never stops the rows."""
    from quotes.extract import extract_many, extractor_version  # loads spaCy: only when rows are asked for

    version = extractor_version(nlp)
    errors: list[dict] = []

    def not_extracted(article: Article, exc: Exception) -> None:
        errors.append(error_row(ReadError.for_article(article, "not extracted", f"{type(exc).__name__}: {exc}")))

    for article, mentions in extract_many(_articles(items, errors), nlp=nlp, jobs=jobs, on_error=not_extracted):
        yield from errors
        errors.clear()
        fields = article_fields(article)
        yield {**article_row(article, version), "mentions": [{**m.record(article), **fields} for m in mentions]}
    yield from errors


def rows(items: Iterable[Item], nlp: Language | None = None, jobs: int = 1) -> Iterator[dict]:
    """One row per mention of every article in ``items``, in input order, and one error row per input that
    gave no article or could not be extracted; an error never stops the rows (see the module docstring)."""
    for row in extracted(items, nlp=nlp, jobs=jobs):
        yield from row.get("mentions", [row])
