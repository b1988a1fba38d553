"""Ingest: read articles, extract their quotes, store them: the pipeline above extraction and the store.

Ingesting is idempotent: an article already stored (same canonical URL, or same content hash
under any URL) is skipped before the language model ever sees it, and each article is stored
in its own transaction, so a run killed half-way and run again gives the same database as an
uninterrupted run.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from quotes.article import Article, ReadError
from quotes.store.speakers import apply_alias_file
from quotes.store.write import IngestResult, find_article, store_article

if TYPE_CHECKING:
    from spacy.language import Language

#: Called after each input item with its status: "stored", "skipped" or "error".
ProgressCallback = Callable[[Article | ReadError, str], None]


def ingest(
    engine: Engine,
    items: Iterable[Article | ReadError],
    nlp: Language | None = None,
    on_progress: ProgressCallback | None = None,
    strict: bool = False,
    alias_file: Path | None = None,
    jobs: int | None = None,
) -> IngestResult:
    """Extract and store every new article in ``items``; read errors, and articles that cannot be
    extracted or stored, are counted, not fatal unless ``strict``.

    ``alias_file`` (CSV ``name,alias``, see quotes.store.speakers) is applied to the store first and
    names the speakers of the new articles; AliasFileError when it cannot be read. ``jobs``
    processes extract at once (default: every core; see quotes.extract.extract_many).
    """
    aliases = apply_alias_file(engine, alias_file) if alias_file else {}
    total = IngestResult()
    notify = on_progress or (lambda item, status: None)

    def new_articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, ReadError):
                total.errors.append(item)
                notify(item, "error")
                if strict:
                    return
                continue
            with Session(engine) as db:
                present = find_article(db, item) is not None
            if present:
                total.skipped += 1
                notify(item, "skipped")
            else:
                yield item

    pending = new_articles()
    first = next(pending, None)
    if first is None:  # nothing new: do not load the language model at all
        return total
    from quotes.extract import extract_many  # loads spaCy: only once there is something new

    failed: list[ReadError] = []

    def not_extracted(article: Article, exc: Exception) -> None:
        error = ReadError(article.link or article.id, f"article {article.id} not extracted: {type(exc).__name__}: {exc}")
        failed.append(error)
        total.errors.append(error)
        notify(error, "error")

    for article, mentions in extract_many(itertools.chain([first], pending), nlp=nlp, on_error=not_extracted, jobs=jobs):
        if strict and failed:
            break
        try:
            stored = store_article(engine, article, mentions, aliases=aliases)
        except DataError as exc:  # a value this database cannot hold: this article's error, not the run's
            error = ReadError(article.link or article.id, f"article {article.id} not stored: {exc.orig}")
            total.errors.append(error)
            notify(error, "error")
            if strict:
                break
            continue
        total += stored
        notify(article, "stored" if stored.articles else "skipped")
    return total
