"""The dedup job: a run's mentions table to its quotes, speakers and roles tables, dedup_partition on every worker.

Each mention gets its partition key (quotes.dedup_rows.partition_key: the speaker as the article
names it; for a mention without speaker, its article) in a first ``mapInArrow``; the rows are
then hash-partitioned by key and sorted within each partition by key and ingest order, so a
second ``mapInArrow`` sees each key's rows one after the other and replays the store's placement
rule over them. The data goes through DataFrame operations only, no RDD (Spark Connect has none);
the counts are accumulators, which only classic Spark has. The quotes table is written sorted in
ingest order, the same rows whatever the partitions; the speakers and roles tables summarize the
mentions given a quote (a second copy of an article adds nothing), sorted by speaker.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from operator import itemgetter

import pyarrow as pa
from pyspark import StorageLevel
from pyspark.accumulators import Accumulator
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from quotes.dedup_rows import dedup_partition, partition_key, quote_key
from quotes.spark.extract import ingest_columns
from quotes.spark.session import spark_schema
from quotes.tables import MENTIONS, QUOTES, SCHEMAS

#: The columns of a mention the key and the placement rule need, and its key.
_NEEDED = ["article_key", "article_id", "published", "start", "group", "text", "speaker", "speaker_kind", "title",
           "organization"]
_KEY = ("key", pa.list_(pa.string()))
KEYED = pa.schema([_KEY, *(MENTIONS.field(name) for name in _NEEDED)])

#: A quotes row, with the ingest-order columns it is sorted by and what the speakers and roles summarize.
QUOTED = pa.schema([*QUOTES, _KEY, *(MENTIONS.field(name) for name in
                                     ("published", "article_id", "speaker", "title", "organization"))])

#: Rows per Arrow batch a worker yields.
BATCH_ROWS = 4096


@dataclass
class Counters:
    """The dedup's accumulators, added to by the workers and read on the driver when the quotes are written."""

    mentions: Accumulator  # read from the mentions table
    quoted: Accumulator    # given a quote: all but those of a second copy of an article
    quotes: Accumulator    # distinct quotes: the mentions that start one

    @classmethod
    def of(cls, spark: SparkSession) -> Counters:
        """New counters at zero."""
        return cls(*(spark.sparkContext.accumulator(0) for _ in range(3)))

    def values(self) -> dict[str, int]:
        """The counts so far, by name."""
        return {name: getattr(self, name).value for name in self.__dataclass_fields__}


def key_batches(batches: Iterator[pa.RecordBatch], counters: Counters) -> Iterator[pa.RecordBatch]:
    """The first mapInArrow function: each mention with its partition key."""
    for batch in batches:
        rows = batch.to_pylist()
        counters.mentions.add(len(rows))
        yield pa.RecordBatch.from_pylist([{**row, "key": list(partition_key(row))} for row in rows], schema=KEYED)


def quote_batches(batches: Iterator[pa.RecordBatch], counters: Counters) -> Iterator[pa.RecordBatch]:
    """The second mapInArrow function: rows sorted by key to their quotes, one key's rows at a time."""
    rows = (row for batch in batches for row in batch.to_pylist())
    quoted = (row for _, group in itertools.groupby(rows, key=itemgetter("key")) for row in dedup_partition(group))
    while chunk := list(itertools.islice(quoted, BATCH_ROWS)):
        counters.quoted.add(len(chunk))
        counters.quotes.add(sum(row["quote"] == quote_key(row) for row in chunk))
        yield pa.RecordBatch.from_pylist(chunk, schema=QUOTED)


def summaries(quoted: DataFrame) -> dict[str, DataFrame]:
    """The speakers and roles tables of the mentions given a quote (:data:`QUOTED` rows), sorted by speaker."""
    said = quoted.where(F.col("key")[0] != "")  # a mention without speaker is nobody's
    speaker = [F.col("key")[0].alias("kind"), F.col("key")[1].alias("name"), F.get("key", 2).alias("article_key")]
    seen = [F.min("published").alias("first_seen"), F.max("published").alias("last_seen")]
    speakers = said.groupBy("key").agg(
        F.min_by("speaker", F.struct(*ingest_columns("start"))).alias("speaker"), F.count("*").alias("mentions"),
        F.countDistinct("article_key").alias("articles"), *seen)
    roles = said.where(F.col("title").isNotNull() | F.col("organization").isNotNull()) \
        .groupBy("key", "title", "organization").agg(F.count("*").alias("mentions"), *seen)
    return {"speakers": speakers.select(*speaker, "*").orderBy("kind", "name", "article_key"),
            "roles": roles.select(*speaker, "*").orderBy("kind", "name", "article_key", "title", "organization")}


def dedup(spark: SparkSession, directory: str, partitions: int | None = None) -> dict[str, float]:
    """Write the quotes, speakers and roles tables of the run in ``directory`` (each replaced if present) from its
    mentions table; the counts of :class:`Counters` and the job's ``seconds``. ``partitions`` tasks deduplicate
    (default: ``spark.sql.shuffle.partitions``)."""
    started = time.monotonic()
    counters = Counters.of(spark)
    mentions = spark.read.parquet(f"{directory}/mentions").select(*_NEEDED)
    keyed = mentions.mapInArrow(partial(key_batches, counters=counters), spark_schema(KEYED))
    by_key = keyed.repartition(partitions, "key") if partitions else keyed.repartition("key")
    quoted = (by_key.sortWithinPartitions("key", *ingest_columns("start"))
              .mapInArrow(partial(quote_batches, counters=counters), spark_schema(QUOTED))
              .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        quoted.count()  # the dedup runs here, once: the tables below are its result, sorted and summarized
        tables = {"quotes": quoted.orderBy(*ingest_columns("start", "quote")),
                  **summaries(quoted)}
        for table, rows in tables.items():
            rows.to(spark_schema(SCHEMAS[table])).write.mode("overwrite").parquet(f"{directory}/{table}")
    finally:
        quoted.unpersist()
    return {**counters.values(), "seconds": time.monotonic() - started}
