"""Ingest: read articles, extract their quotes, store them: the pipeline above extraction and the store.

Ingesting is idempotent: an article already stored (same canonical URL, or same content hash
under any URL) is skipped before the language model ever sees it, and each article is stored
whole or not at all, so a run killed half-way and run again gives the same database as an
uninterrupted run.

Extracted articles are stored a batch at a time (BATCH_ARTICLES, or what BATCH_SECONDS of
extraction gave), in one transaction with a savepoint per article: an article the database
refuses fails alone, and a run killed at any moment loses at most the batch not yet committed,
which the next run extracts again. Progress is reported once a batch is committed.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from quotes.article import Article, ReadError, ReadWarning
from quotes.store.speakers import apply_alias_file
from quotes.store.write import IngestResult, find_article, writing

if TYPE_CHECKING:
    from spacy.language import Language

    from quotes.mention import Mention

#: Called after each input item with its status: "stored", "skipped", "error" or "warning" (a ReadWarning:
#: an input that holds no article through no fault of its own, neither stored nor an error).
ProgressCallback = Callable[[Article | ReadError, str], None]

#: Most articles stored per transaction, and the most seconds of extraction a batch waits for.
BATCH_ARTICLES = 64
BATCH_SECONDS = 2.0


def ingest(
    engine: Engine,
    items: Iterable[Article | ReadError],
    nlp: Language | None = None,
    on_progress: ProgressCallback | None = None,
    strict: bool = False,
    alias_file: Path | None = None,
    batch_size: int | None = None,
    jobs: int | None = None,
) -> IngestResult:
    """Extract and store every new article in ``items``; read errors, and articles that cannot be
    extracted or stored, are counted, not fatal unless ``strict``.

    ``alias_file`` (CSV ``name,alias``, see quotes.store.speakers) is applied to the store first and
    names the speakers of the new articles; AliasFileError when it cannot be read. ``batch_size``
    articles at most (default BATCH_ARTICLES) are stored per transaction (1: a commit per article). ``jobs``
    processes extract at once (default: every core; see quotes.extract.extract_many).
    """
    aliases = apply_alias_file(engine, alias_file) if alias_file else {}
    total = IngestResult()
    notify = on_progress or (lambda item, status: None)

    def error(item: ReadError) -> None:
        total.errors.append(item)
        notify(item, "error")

    def new_articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, ReadWarning):
                notify(item, "warning")
                continue
            if isinstance(item, ReadError):
                error(item)
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
        failed.append(ReadError(article.link or article.id, f"article {article.id} not extracted: {type(exc).__name__}: {exc}"))
        error(failed[-1])

    def store(batch: list[tuple[Article, list[Mention]]]) -> bool:
        """Store the batch in one transaction, then report it; False when a strict run must stop."""
        nonlocal total
        done: list[tuple[Article | ReadError, IngestResult | None]] = []
        with writing(engine, aliases=aliases) as articles:
            for article, mentions in batch:
                try:
                    done.append((article, articles.store(article, mentions)))
                except (DataError, IntegrityError) as exc:  # refused by the database: this article's error, not the run's
                    done.append((ReadError(article.link or article.id, f"article {article.id} not stored: {exc.orig}"), None))
                    if strict:
                        break
        for item, stored in done:
            if stored is None:
                error(item)
                continue
            total += stored
            notify(item, "stored" if stored.articles else "skipped")
        return not (strict and (failed or any(stored is None for _, stored in done)))

    batch: list[tuple[Article, list[Mention]]] = []
    started = time.monotonic()
    for article, mentions in extract_many(itertools.chain([first], pending), nlp=nlp, on_error=not_extracted, jobs=jobs):
        if strict and failed:
            break
        if not batch:
            started = time.monotonic()
        batch.append((article, mentions))
        if len(batch) >= (batch_size or BATCH_ARTICLES) or time.monotonic() - started >= BATCH_SECONDS:
            if not store(batch):
                return total
            batch = []
    if batch:
        store(batch)
    return total
