"""Ingest: read articles, extract their quotes, store them: the pipeline above extraction and the store;
and re-extraction, the same over stored articles with a newer extractor.

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

import datetime as dt
import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from quotes.article import Article, ReadError, ReadWarning
from quotes.store.articles import stored_articles, to_reextract
from quotes.store.placing import HeldBackRefused
from quotes.store.speakers import apply_alias_file
from quotes.store.write import ArticleBatch, IngestResult, Restored, find_article, writing

if TYPE_CHECKING:
    from spacy.language import Language

    from quotes.mention import Mention

#: Called after each input item with its status: "stored", "skipped", "error" or "warning" (a ReadWarning:
#: an input that holds no article through no fault of its own, neither stored nor an error); re-extraction
#: calls it with "stored" (the mentions changed), "unchanged" or "error".
ProgressCallback = Callable[[Article | ReadError, str], None]

T = TypeVar("T")
M = TypeVar("M")  # what a batch holds of each article: its mentions, for ingest

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
    from quotes.extract import extract_many, extractor_version  # loads spaCy: only once there is something new

    version = extractor_version(nlp)

    failed: list[ReadError] = []

    def not_extracted(article: Article, exc: Exception) -> None:
        failed.append(ReadError.for_article(article, "not extracted", f"{type(exc).__name__}: {exc}"))
        error(failed[-1])

    def store(batch: list[tuple[Article, list[Mention]]]) -> bool:
        """Store the batch in one transaction, then report it; False when a strict run must stop."""
        nonlocal total
        done = in_savepoints(engine, aliases, version, batch, ArticleBatch.store, "not stored", strict,
                             mentions_of=lambda mentions: mentions)
        for article, stored in done:
            if isinstance(stored, ReadError):
                error(stored)
                continue
            total += stored
            notify(article, "stored" if stored.articles else "skipped")
        return not (strict and (failed or any(isinstance(stored, ReadError) for _, stored in done)))

    extracted = extract_many(itertools.chain([first], pending), nlp=nlp, on_error=not_extracted, jobs=jobs)
    for batch in batches(extracted, batch_size, stop=lambda: strict and bool(failed)):
        if not store(batch):
            break
    return total


def in_savepoints(engine: Engine, aliases: Mapping[str, str], version: str | None,
                  batch: list[tuple[Article, M]], step: Callable[[ArticleBatch, Article, M], T],
                  refused: str, strict: bool = False,
                  mentions_of: Callable[[M], Iterable[Mention]] | None = None) -> list[tuple[Article, T | ReadError]]:
    """``step`` over each extracted article of the batch, in one transaction, each article in a savepoint of its
    own (quotes.store.write.writing): one the database refuses is that article's error (``article ID <refused>``),
    not the run's, and with ``strict`` the batch's last. The batch's quotes are written together as it ends;
    should the database refuse those, the batch is stored again with each article's quotes written with it.
    ``mentions_of`` gives an article's mentions from what the batch holds of it, so the stored speakers their
    names can meet are read at once."""
    try:
        return _each_in_savepoint(engine, aliases, version, batch, step, refused, strict, True, mentions_of)
    except (DataError, IntegrityError, HeldBackRefused):  # writing the quotes together: find the article, keep the rest
        return _each_in_savepoint(engine, aliases, version, batch, step, refused, strict, False, None)


def _each_in_savepoint(engine: Engine, aliases: Mapping[str, str], version: str | None,
                       batch: list[tuple[Article, M]], step: Callable[[ArticleBatch, Article, M], T],
                       refused: str, strict: bool, together: bool,
                       mentions_of: Callable[[M], Iterable[Mention]] | None) -> list[tuple[Article, T | ReadError]]:
    done: list[tuple[Article, T | ReadError]] = []
    with writing(engine, aliases=aliases, extractor=version, together=together) as articles:
        if mentions_of is not None:
            articles.expect(mention for _, held in batch for mention in mentions_of(held))
        for article, mentions in batch:
            try:
                done.append((article, step(articles, article, mentions)))
            except (DataError, IntegrityError) as exc:
                done.append((article, ReadError.for_article(article, refused, exc.orig)))
                if strict:
                    break
    return done


def batches(extracted: Iterable[tuple[Article, M]], batch_size: int | None,
            stop: Callable[[], bool] = lambda: False) -> Iterator[list[tuple[Article, M]]]:
    """The extracted articles in batches of ``batch_size`` (default BATCH_ARTICLES), or of what BATCH_SECONDS
    of extraction gave; ``stop`` is asked before each article and, when true, ends with the batch begun."""
    batch: list[tuple[Article, M]] = []
    started = time.monotonic()
    for pair in extracted:
        if stop():
            break
        if not batch:
            started = time.monotonic()
        batch.append(pair)
        if len(batch) >= (batch_size or BATCH_ARTICLES) or time.monotonic() - started >= BATCH_SECONDS:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class ReextractResult:
    """What a re-extraction did: articles extracted again and those whose mentions changed, the mentions
    they had and have now, the new quotes, and the articles that could not be (no stored body, or a
    failure: one error each)."""

    articles: int = 0
    changed: int = 0
    replaced: int = 0
    mentions: int = 0
    quotes: int = 0
    bodiless: int = 0
    errors: list[ReadError] = field(default_factory=list)


def reextract(
    engine: Engine,
    since: dt.date | None = None,
    outlet: str | None = None,
    everything: bool = False,
    nlp: Language | None = None,
    on_progress: ProgressCallback | None = None,
    on_total: Callable[[int], None] | None = None,
    alias_file: Path | None = None,
    batch_size: int | None = None,
    jobs: int | None = None,
) -> ReextractResult:
    """Run the current extractor over the stored articles another version produced (every one with
    ``everything``), ``since`` a date and of an ``outlet`` (as quotes.store.articles.to_reextract selects
    them), replacing their mentions in ingest order, a batch per transaction as ingest stores them.

    What a person corrected stays: merges, renames, kinds and aliases (names a person gave identify the
    speaker for the new mentions as for new articles) and splits (the article's name stays linked to the
    speaker it was split to); speakers no article quotes any more are deleted. A run stopped half-way
    leaves whole articles, each of either version, and the next run takes up the rest.
    ``on_total`` is given the number of articles to extract before the work starts.
    """
    from quotes.extract import extract_many, extractor_version

    version = extractor_version(nlp)
    ids, bodiless = to_reextract(engine, version, since, outlet, everything)
    total = ReextractResult(bodiless=bodiless)
    if on_total:
        on_total(len(ids))
    if not ids:
        return total
    aliases = apply_alias_file(engine, alias_file) if alias_file else {}
    notify = on_progress or (lambda item, status: None)

    def not_extracted(article: Article, exc: Exception) -> None:
        total.errors.append(ReadError.for_article(article, "not extracted again", f"{type(exc).__name__}: {exc}"))
        notify(total.errors[-1], "error")

    def restore(articles: ArticleBatch, article: Article, mentions: list[Mention]) -> Restored:
        return articles.restore(int(article.id), mentions)

    extracted = extract_many(stored_articles(engine, ids), nlp=nlp, on_error=not_extracted, jobs=jobs)
    for batch in batches(extracted, batch_size):
        # an article the database refuses keeps its old mentions; the others go on
        for article, outcome in in_savepoints(engine, aliases, version, batch, restore, "not stored again"):
            if isinstance(outcome, ReadError):
                total.errors.append(outcome)
                notify(outcome, "error")
                continue
            total.articles += 1
            total.changed += outcome.changed
            total.replaced += outcome.replaced
            total.mentions += outcome.stored.mentions
            total.quotes += outcome.stored.quotes
            notify(article, "stored" if outcome.changed else "unchanged")
    return total
