"""Extraction as plain rows: the engine-neutral first half of scaling out (README, "Scaling out: the core").

:func:`rows` turns input items (articles, read errors, or paths of files, directories, JSONL or
WARC archives) into JSON-able dicts, one per mention: the record ``quotes extract`` prints
(:meth:`quotes.mention.Mention.record`) with the article's title, publication date and
:func:`article_key`. An input that cannot be read or extracted becomes an error row and the
rows go on. Nothing here knows of a cluster engine or a database: a Spark, Dask or Beam job
maps :func:`rows` over its partitions of inputs, and quotes.dedup_rows deduplicates the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from quotes.article import Article, ReadError, ReadWarning
from quotes.read import read_paths

if TYPE_CHECKING:
    from spacy.language import Language

#: What :func:`rows` takes: articles, errors already found, and paths or URLs to read (quotes.read).
Item = Article | ReadError | str


def article_key(article: Article) -> str:
    """The article's stable identity: its content hash, as the store identifies an article (the same text is one)."""
    return article.content_hash


def article_fields(article: Article) -> dict:
    """The article's columns every one of its rows carries; ``published`` as an ISO date or None."""
    return {"article_id": article.id, "article_key": article_key(article), "url": article.url,
            "outlet": article.outlet, "title": article.title,
            "published": article.published.isoformat() if article.published else None}


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


def rows(items: Iterable[Item], nlp: Language | None = None, jobs: int = 1) -> Iterator[dict]:
    """One row per mention of every article in ``items``, in input order, and one error row per input that
    gave no article or could not be extracted; an error never stops the rows (see the module docstring)."""
    from quotes.extract import extract_many  # loads spaCy: only when rows are asked for

    errors: list[dict] = []

    def not_extracted(article: Article, exc: Exception) -> None:
        errors.append(error_row(ReadError.for_article(article, "not extracted", f"{type(exc).__name__}: {exc}")))

    for article, mentions in extract_many(_articles(items, errors), nlp=nlp, jobs=jobs, on_error=not_extracted):
        yield from errors
        errors.clear()
        fields = article_fields(article)
        for mention in mentions:
            yield {**mention.record(article), **fields}
    yield from errors
