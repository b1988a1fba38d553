"""Dedup over plain rows, one speaker at a time (quotes.dedup_rows): the store's quotes, whatever the partitioning."""

import random
from collections import defaultdict

import pytest
from harbor_articles import HARBOR
from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.dedup_rows import UNDATED, dedup, dedup_partition, ingest_order, partition_key, speaker_key
from quotes.ingest import ingest
from quotes.rows import article_fields, rows
from quotes.store import schema
from quotes.store.db import open_db


@pytest.fixture(scope="module")
def harbor_rows(nlp):
    return list(rows(HARBOR, nlp=nlp))


@pytest.fixture(scope="module")
def harbor_store(nlp, tmp_path_factory):
    """The harbor articles ingested one by one in ingest order: (article key, start) -> (quote id, speaker id)."""
    engine = open_db(str(tmp_path_factory.mktemp("store") / "quotes.sqlite"))
    ingest(engine, sorted(HARBOR, key=lambda article: ingest_order(article_fields(article))), nlp=nlp, jobs=1)
    with Session(engine) as db:
        stored = db.execute(select(schema.Article.content_hash, schema.Mention.start, schema.Mention.quote_id,
                                   schema.Mention.speaker_id).join(schema.Article)).all()
    engine.dispose()
    return {(key, start): (quote, speaker) for key, start, quote, speaker in stored}


def groups(pairs) -> set[frozenset]:
    """The sets of mentions, (article key, start), that share a label, from (mention, label) pairs."""
    grouped = defaultdict(set)
    for mention, label in pairs:
        grouped[label].add(mention)
    return {frozenset(members) for members in grouped.values()}


def quotes_of(deduped) -> set[frozenset]:
    return groups(((row["article_key"], row["start"]), row["quote"]) for row in deduped)


def partitioned(rows_, seed: int) -> list[dict]:
    """What a cluster job gives: rows shuffled, grouped by partition key, the partitions deduplicated in any order."""
    shuffled = random.Random(seed).sample(rows_, len(rows_))
    partitions = defaultdict(list)
    for row in shuffled:
        partitions[partition_key(row)].append(row)
    tasks = random.Random(seed).sample(sorted(partitions), len(partitions))
    return [row for key in tasks for row in dedup_partition(partitions[key])]


def test_the_quotes_are_those_the_store_makes_ingesting_in_ingest_order(harbor_rows, harbor_store):
    assert quotes_of(dedup(harbor_rows)) == groups((mention, quote) for mention, (quote, _) in harbor_store.items())


def test_the_harbor_articles_exercise_every_placement(harbor_rows):
    """Weller's excerpt, whole and split whole are one quote; Ruiz's quote, its edit and its excerpt another."""
    sizes = sorted(len(quote) for quote in quotes_of(dedup(harbor_rows)))
    assert sizes == [1, 1, 1, 3, 4]  # two anonymous engineers and Ruiz's other quote alone; Ruiz 3; Weller 1+1+2 pieces


def test_speaker_partitions_are_the_stores_speakers_when_every_article_gives_the_full_name(harbor_rows, harbor_store):
    by_key = groups(((row["article_key"], row["start"]), speaker_key(row)) for row in harbor_rows)
    assert by_key == groups((mention, speaker) for mention, (_, speaker) in harbor_store.items())


@pytest.mark.parametrize("seed", range(5))
def test_shuffled_rows_deduplicated_per_speaker_give_the_same_quotes(harbor_rows, seed):
    assert quotes_of(partitioned(harbor_rows, seed)) == quotes_of(dedup(harbor_rows))


def test_a_quote_is_named_by_its_first_mention_in_ingest_order(harbor_rows):
    first = min((row for row in harbor_rows if row["speaker"] == "Tom Weller"), key=ingest_order)
    assert first["article_id"] == "harbor-0"
    assert {row["quote"] for row in dedup(harbor_rows) if row["speaker"] == "Tom Weller"} == {
        f"{first['article_key']}:{first['start']}"}


def test_ingest_order_is_publication_date_then_content_hash_and_undated_last():
    order = sorted(HARBOR, key=lambda article: ingest_order(article_fields(article)))
    assert [article.id for article in order] == ["harbor-0", "harbor-1", "harbor-2", "harbor-3"]
    assert ingest_order(article_fields(HARBOR[1]))[0] == UNDATED


def test_an_anonymous_source_is_a_speaker_of_its_own_in_every_article(harbor_rows):
    engineers = [row for row in harbor_rows if row["speaker_kind"] == "anonymous"]
    assert len(engineers) == 2
    assert speaker_key(engineers[0]) != speaker_key(engineers[1])


def test_a_surname_alone_is_not_linked_to_the_full_name_as_the_store_links_it():
    row = {"speaker_kind": "person", "article_key": "k"}
    assert speaker_key({**row, "speaker": "Weller"}) != speaker_key({**row, "speaker": "Tom Weller"})
    assert speaker_key({**row, "speaker": "TOM  weller"}) == speaker_key({**row, "speaker": "Tom Weller"})


def test_a_second_copy_of_an_article_adds_no_mention(harbor_rows):
    copy = [{**row, "article_id": "harbor-1-copy"} for row in harbor_rows if row["article_id"] == "harbor-1"]
    assert dedup(harbor_rows + copy) == dedup(harbor_rows)


def test_a_mention_without_speaker_is_a_quote_of_its_own():
    row = {"speaker": None, "speaker_kind": None, "published": None, "article_id": "a", "text": "We are ready."}
    unattributed = [{**row, "article_key": key, "start": 0, "group": 1} for key in ("k1", "k2")]
    assert {row["quote"] for row in dedup(unattributed)} == {"k1:0", "k2:0"}


def test_a_mention_without_speaker_is_partitioned_with_its_article_alone():
    row = {"speaker": None, "speaker_kind": None, "article_key": "k1"}
    assert partition_key(row) == ("", "k1") != partition_key({**row, "article_key": "k2"})


def test_error_rows_are_left_out_of_the_quotes(harbor_rows):
    assert dedup([*harbor_rows, {"error": "error", "source": "x", "line": None, "record": None, "reason": "?"}]) == \
        dedup(harbor_rows)
