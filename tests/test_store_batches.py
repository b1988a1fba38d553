"""Storing many articles per transaction: each article still whole or absent, a batch committed or lost whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.exc import DataError

from quotes.ingest import ingest
from quotes.store.db import open_db
from quotes.store.write import ArticleBatch, _ArticleWriter, store_article, writing
from test_store import dump, kirby_articles, story, table_counts

NOW = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_db(f"sqlite:///{tmp_path / 'quotes.sqlite'}")


def three_stories() -> list[tuple]:
    return [story("We will open the new bridge in the spring", url="https://daily.example/bridge"),
            story("The budget is balanced for the first time in years", url="https://daily.example/budget"),
            story("Talks will resume in Geneva on Monday morning", url="https://wire.example/talks")]


def commits(engine: Engine) -> list[int]:
    """A list that grows by one at each commit on the engine."""
    seen: list[int] = []
    event.listen(engine, "commit", lambda conn: seen.append(1))
    return seen


def test_a_batch_stores_its_articles_exactly_as_one_transaction_each_would(tmp_path):
    one_by_one = open_db(str(tmp_path / "one.sqlite"))
    for article, mentions in three_stories():
        store_article(one_by_one, article, mentions, now=NOW)
    batched = open_db(str(tmp_path / "batched.sqlite"))
    with writing(batched, now=NOW) as batch:
        for article, mentions in three_stories():
            batch.store(article, mentions)
    assert dump(batched) == dump(one_by_one)


def test_an_article_failing_half_way_in_a_batch_leaves_no_trace_and_the_others_are_stored(tmp_path, monkeypatch):
    (a, a_mentions), (b, b_mentions), (c, c_mentions) = three_stories()
    expected = open_db(str(tmp_path / "expected.sqlite"))
    for article, mentions in ((a, a_mentions), (c, c_mentions)):
        store_article(expected, article, mentions, now=NOW)
    real_unit = _ArticleWriter.unit

    def refuse_b(writer, article_id, pieces):  # after b's article, speaker and link rows are written
        if pieces[0].text.startswith("The budget"):
            raise DataError("INSERT INTO mentions ...", {}, Exception("value out of range"))
        real_unit(writer, article_id, pieces)

    monkeypatch.setattr(_ArticleWriter, "unit", refuse_b)
    engine = open_db(str(tmp_path / "quotes.sqlite"))
    with writing(engine, now=NOW) as batch:
        batch.store(a, a_mentions)
        with pytest.raises(DataError):
            batch.store(b, b_mentions)
        batch.store(c, c_mentions)
    assert table_counts(engine) == table_counts(expected)


def test_nothing_of_a_batch_is_kept_when_it_fails_before_its_commit(engine):
    (a, a_mentions), (b, b_mentions), _ = three_stories()
    store_article(engine, a, a_mentions, now=NOW)
    before = dump(engine)
    with pytest.raises(KeyboardInterrupt), writing(engine, now=NOW) as batch:
        batch.store(b, b_mentions)
        raise KeyboardInterrupt  # as a run stopped before the batch commits
    assert dump(engine) == before


def test_the_same_article_twice_in_one_batch_is_stored_once(engine):
    (a, a_mentions), *_ = three_stories()
    with writing(engine, now=NOW) as batch:
        first, second = batch.store(a, a_mentions), batch.store(a, a_mentions)
    assert (first.articles, second.articles, second.skipped) == (1, 0, 1)


def test_ingest_commits_once_a_batch_not_once_an_article(tmp_path, nlp):
    batched, one_by_one = open_db(str(tmp_path / "batched.sqlite")), open_db(str(tmp_path / "one.sqlite"))
    batched_commits, single_commits = commits(batched), commits(one_by_one)
    ingest(batched, kirby_articles(), nlp=nlp, batch_size=64)
    ingest(one_by_one, kirby_articles(), nlp=nlp, batch_size=1)
    assert (len(batched_commits), len(single_commits)) == (1, 3)
    assert table_counts(batched) == table_counts(one_by_one)


def test_a_run_stopped_after_its_first_batch_keeps_that_batch_and_a_second_run_completes_it(tmp_path, nlp):
    def stop_after_first_batch(item, status):
        raise KeyboardInterrupt  # progress is reported once a batch is committed

    interrupted = open_db(str(tmp_path / "interrupted.sqlite"))
    with pytest.raises(KeyboardInterrupt):
        ingest(interrupted, kirby_articles(), nlp=nlp, batch_size=2, on_progress=stop_after_first_batch)
    assert table_counts(interrupted)["articles"] == 2
    again = ingest(interrupted, kirby_articles(), nlp=nlp, batch_size=2)
    assert (again.skipped, again.articles) == (2, 1)
    straight = open_db(str(tmp_path / "straight.sqlite"))
    ingest(straight, kirby_articles(), nlp=nlp)
    assert table_counts(interrupted) == table_counts(straight)


def test_a_strict_ingest_stops_at_an_article_the_database_refuses_and_keeps_the_ones_before(engine, nlp, monkeypatch):
    store = ArticleBatch.store

    def refuse_two(batch, article, mentions):
        if article.id == "two":
            raise DataError("INSERT INTO articles ...", {}, Exception("value out of range"))
        return store(batch, article, mentions)

    monkeypatch.setattr(ArticleBatch, "store", refuse_two)
    result = ingest(engine, kirby_articles(), nlp=nlp, strict=True)
    assert (result.articles, [e.reason for e in result.errors]) == (1, ["article two not stored: value out of range"])
    assert table_counts(engine)["articles"] == 1
