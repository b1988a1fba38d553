"""Load a scale-out run's tables (quotes.tables) into the store by the rules ingest stores by.

A run (``quotes spark extract``, or quotes.tables.write) holds articles and their mentions in
ingest order (quotes.dedup_rows.ingest_order). The load streams both in that order and stores
each article as ingest would have, a batch of articles per transaction with a savepoint each
(quotes.ingest), so speakers, roles and quotes come out as a serial ``quotes ingest`` of the
same articles in that order gives them; only the extraction is skipped. Loading is idempotent:
the batch's articles the store holds already are found in one look-up (their keys staged in
bulk, PostgreSQL's COPY) and skipped, so loading a run twice adds nothing and loading the next
month joins its speakers and quotes to those stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quotes.article import Article
from quotes.dedup_rows import ingest_order
from quotes.ingest import ProgressCallback, batches, in_savepoints
from quotes.rows import to_article, to_mention
from quotes.store.speakers import apply_alias_file
from quotes.store.write import ArticleBatch, IngestResult, already_stored
from quotes.tables import TablesError, dataset, scan

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from quotes.mention import Mention

#: Articles stored per transaction when the caller gives no batch size.
LOAD_BATCH = 256


@dataclass
class Loaded:
    """One article's mentions as the run holds them, and the version of the extractor that found them."""

    mentions: list[Mention]
    extractor: str | None


def _mention_order(row: dict) -> tuple:
    return *ingest_order(row), row["start"], row["end"]


def loaded(directory: Path | str) -> Iterator[tuple[Article, Loaded]]:
    """The run's articles in ingest order, each with its mentions (the two tables merged as they stream);
    TablesError when either table is out of that order or a mention names no article of the run."""
    mentions = scan(directory, "mentions")
    pending = next(mentions, None)
    previous: tuple | None = None
    for row in scan(directory, "articles"):
        order = ingest_order(row)
        if previous is not None and order < previous:
            raise TablesError(f"{directory}: the articles are not in ingest order at article {row['article_id']} "
                              "(quotes spark extract and quotes.tables.write write them sorted)")
        own: dict[tuple, Mention] = {}
        while pending is not None and (at := ingest_order(pending)) <= order:
            if at < order:
                raise TablesError(f"{directory}: a mention of article {pending['article_id']} is out of ingest "
                                  "order or of no article in the articles table")
            own.setdefault(_mention_order(pending), to_mention(pending))  # a second copy of a row adds nothing
            pending = next(mentions, None)
        if order != previous:  # the same article twice is one (the store would skip the copy)
            yield to_article(row), Loaded(list(own.values()), row["extractor"])
        previous = order
    if pending is not None:
        raise TablesError(f"{directory}: mentions of article {pending['article_id']} are in no article of the run")


def run_errors(directory: Path | str) -> int:
    """How many inputs the run could not read or extract (the rows of its errors table)."""
    return dataset(directory, "errors").count_rows()


def load(engine: Engine, directory: Path | str, batch_size: int | None = None, alias_file: Path | None = None,
         on_progress: ProgressCallback | None = None) -> IngestResult:
    """Store the articles of the run in ``directory`` that the store does not hold yet, with their mentions,
    as ingest stores them (module docstring). An article the database refuses is counted as an error and the
    load goes on. ``alias_file`` names speakers as for ingest; ``batch_size`` articles (default LOAD_BATCH)
    per transaction."""
    aliases = apply_alias_file(engine, alias_file) if alias_file else {}
    notify = on_progress or (lambda item, status: None)
    total = IngestResult()

    def store(articles: ArticleBatch, article: Article, found: Loaded) -> IngestResult:
        return articles.store(article, found.mentions, found.extractor, looked_up=True)

    for batch in batches(loaded(directory), batch_size or LOAD_BATCH):
        present = already_stored(engine, [article for article, _ in batch])
        for pos in sorted(present):
            total.skipped += 1
            notify(batch[pos][0], "skipped")
        new = [pair for pos, pair in enumerate(batch) if pos not in present]
        for article, outcome in in_savepoints(engine, aliases, None, new, store, "not loaded",
                                              mentions_of=lambda found: found.mentions):
            if isinstance(outcome, IngestResult):
                total += outcome
                notify(article, "stored" if outcome.articles else "skipped")
            else:
                total.errors.append(outcome)
                notify(outcome, "error")
    return total
