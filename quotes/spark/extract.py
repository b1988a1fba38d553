"""The extraction job: input files to a run's Parquet tables (quotes.tables), quotes.rows.extracted on every worker.

Inputs are listed on the driver: local paths (directories walked as quotes.read walks them),
Hadoop URLs (``hdfs://``, ``s3a://``, ``file://``, globs allowed; read by Spark as
``binaryFile``, so a worker gets the file's bytes), and the lines of a manifest, as cc-pyspark
takes a list of WARC files. Each input file is one row of a DataFrame, repartitioned so a task
holds few files, and ``mapInArrow`` runs :func:`quotes.rows.extracted` over each (the pipeline
loaded once per Python worker by quotes.extract.load_nlp). Every outcome row carries its input
and its position in it, so that ties in ingest order (copies of one article) break the same way
in every run. The outcomes are persisted and computed once; the tables are written from them,
articles and mentions sorted in ingest order so that their part files, in name order, stream
them in that order. A bad input is an error row and a count, never a failed task.
"""

from __future__ import annotations

import gzip
import io
import itertools
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial

import pyarrow as pa
from pyspark import StorageLevel
from pyspark.accumulators import Accumulator
from pyspark.errors import AnalysisException
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from quotes import QuotesError
from quotes.article import Article, ReadError
from quotes.dedup_rows import UNDATED
from quotes.read import DEFAULT_MAX_BYTES, KINDS, is_url, iter_files, kind_of, read_file, read_stream
from quotes.rows import error_row, extracted
from quotes.spark.session import spark_schema
from quotes.tables import ARTICLES, ERRORS, MENTIONS, SCHEMAS

#: One input per row: a local file's path, or a URL with its bytes, or an error the driver found listing inputs.
INPUTS = "source string, content binary, error string"

#: One outcome of quotes.rows.extracted per row: an article with its mentions, or an error; and where it came from.
OUTCOMES = pa.schema([
    ("input_source", pa.string()), ("input_position", pa.int64()),
    ("article", pa.struct(list(ARTICLES))), ("mentions", pa.list_(pa.struct(list(MENTIONS)))),
    ("error", pa.struct(list(ERRORS))),
])

#: Outcome rows per Arrow batch a worker yields: one WARC file may hold thousands of articles.
BATCH_ROWS = 256

#: A URL Hadoop reads: a scheme and a colon, then a slash (``s3a://bucket/key``, ``file:/tmp/x``).
_HADOOP_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")

#: The files binaryFile reads under a directory URL: those quotes.read reads from a local directory.
_READ_GLOB = "*{" + ",".join(KINDS) + "}"


class SparkJobError(QuotesError):
    """An input the job cannot take: a web page, an unreadable manifest."""


@dataclass
class Counters:
    """The job's accumulators, added to by the workers and read on the driver once the outcomes are computed."""

    articles: Accumulator
    mentions: Accumulator
    errors: Accumulator
    warnings: Accumulator
    cpu_seconds: Accumulator   # the workers' CPU time in the extraction, pipeline loading included
    load_seconds: Accumulator  # of which importing and loading the pipeline, once per Python worker

    @classmethod
    def of(cls, spark: SparkSession) -> Counters:
        """New counters at zero."""
        context = spark.sparkContext
        return cls(*(context.accumulator(0) for _ in range(4)), context.accumulator(0.0), context.accumulator(0.0))

    def count(self, outcome: dict) -> None:
        """Count one outcome row of quotes.rows.extracted."""
        if "error" not in outcome:
            self.articles.add(1)
            self.mentions.add(len(outcome["mentions"]))
        else:
            (self.warnings if outcome["error"] == "warning" else self.errors).add(1)

    def values(self) -> dict[str, float]:
        """The counts so far, by name."""
        return {name: getattr(self, name).value for name in self.__dataclass_fields__}


def _hadoop_url(name: str) -> bool:
    """Whether an input names a file through Hadoop (a URL other than a web page's) rather than a local path."""
    if is_url(name):
        raise SparkJobError(f"{name}: the Spark job reads files, not web pages (local paths, or Hadoop URLs "
                            "such as hdfs:// or s3a://); fetch pages with quotes ingest")
    return bool(_HADOOP_URL.match(name))


def manifest_inputs(spark: SparkSession, manifest: str, base_url: str = "") -> list[str]:
    """The inputs a manifest lists, one a line, each prefixed with ``base_url``; blank lines and ``#`` comments
    skipped. The manifest is a file of the driver's machine or a Hadoop URL, gzipped or not (``warc.paths.gz``)."""
    try:
        if _hadoop_url(manifest):
            lines = [row.value for row in spark.read.text(manifest).collect()]
        else:
            with (gzip.open if manifest.endswith(".gz") else open)(manifest, "rt", encoding="utf-8") as listed:
                lines = list(listed)
    except (AnalysisException, OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise SparkJobError(f"{manifest}: cannot read the manifest: {reason}") from None
    return [base_url + line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _binary_files(spark: SparkSession, urls: list[str]) -> tuple[DataFrame | None, list[ReadError]]:
    """The files behind Hadoop URLs as binaryFile rows; a URL that names nothing is an error, not a failed job."""
    def load(names: list[str]) -> DataFrame:
        return (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                .option("pathGlobFilter", _READ_GLOB).load(names))

    if not urls:
        return None, []
    try:
        return load(urls), []
    except AnalysisException:  # one of them is missing: find which, one by one
        found, missing = [], []
        for url in urls:
            try:
                load([url])
                found.append(url)
            except AnalysisException as exc:
                missing.append(ReadError(url, str(exc).splitlines()[0]))
        return (load(found) if found else None), missing


def inputs(spark: SparkSession, names: Iterable[str]) -> DataFrame:
    """The inputs as a DataFrame of :data:`INPUTS`: local paths expanded here (a path that cannot be walked an
    error row), URLs read by Spark as binaryFile."""
    local: list[str] = []
    urls: list[str] = []
    for name in names:
        (urls if _hadoop_url(name) else local).append(name)
    files, missing = _binary_files(spark, urls)
    found = [(item.source, None, item.reason) if isinstance(item, ReadError) else (item, None, None)
             for item in itertools.chain(iter_files(local), missing)]
    listed = spark.createDataFrame(found, INPUTS)
    if files is None:
        return listed
    return listed.unionByName(files.select(F.col("path").alias("source"), "content",
                                           F.lit(None).cast("string").alias("error")))


def _read(item: dict, limit: int) -> Iterator[Article | ReadError]:
    """The articles of one input row: the file at a local path, a URL's bytes, or the error found listing it."""
    source = item["source"]
    if item["error"] is not None:
        yield ReadError(source, item["error"])
    elif item["content"] is None:
        yield from read_file(source, limit)
    else:
        yield from read_stream(io.BufferedReader(io.BytesIO(item["content"])), source, kind_of(source) or "text", limit)


def outcomes(item: dict, limit: int) -> Iterator[dict]:
    """quotes.rows.extracted of one input row; an input that raises is an error row after what it gave."""
    from quotes.extract import load_nlp  # spaCy on the workers only: the driver never loads it

    try:
        yield from extracted(_read(item, limit), nlp=load_nlp(), jobs=1)
    except Exception as exc:  # a reader's or the pipeline's bug: this input's rest is lost, not the task
        yield error_row(ReadError(item["source"], f"stopped reading: {type(exc).__name__}: {exc}"))


def _outcome_row(source: str, position: int, outcome: dict) -> dict:
    """An outcome as a row of :data:`OUTCOMES`."""
    error = "error" in outcome
    return {"input_source": source, "input_position": position, "article": None if error else outcome,
            "mentions": None if error else outcome["mentions"], "error": outcome if error else None}


def extract_batches(batches: Iterator[pa.RecordBatch], counters: Counters, limit: int) -> Iterator[pa.RecordBatch]:
    """The mapInArrow function: batches of :data:`INPUTS` rows to batches of :data:`OUTCOMES` rows."""
    started = time.process_time()
    from quotes.extract import load_nlp

    load_nlp()  # once per Python worker: the pipeline stays loaded while Spark reuses the worker
    counters.load_seconds.add(time.process_time() - started)
    for batch in batches:
        for item in batch.to_pylist():
            found = enumerate(outcomes(item, limit))
            while chunk := list(itertools.islice(found, BATCH_ROWS)):
                for _, outcome in chunk:
                    counters.count(outcome)
                yield pa.RecordBatch.from_pylist([_outcome_row(item["source"], position, outcome)
                                                  for position, outcome in chunk], schema=OUTCOMES)
    counters.cpu_seconds.add(time.process_time() - started)


def ingest_columns(*then: str) -> list[Column]:
    """The columns of quotes.dedup_rows.ingest_order (an undated article last), then ``then``."""
    return [F.coalesce(F.col("published"), F.lit(UNDATED)), F.col("article_key"), F.col("article_id"),
            *map(F.col, then)]


def write_tables(found: DataFrame, out: str) -> None:
    """The articles, mentions and errors tables of the outcomes in ``out`` (each replaced if present)."""
    where = ["input_source", "input_position"]
    articles = found.where(F.col("article").isNotNull()).select("article.*", *where)
    mentions = found.select(*where, F.posexplode("mentions").alias("mention_position", "mention")) \
        .select("mention.*", *where, "mention_position")
    errors = found.where(F.col("error").isNotNull()).select("error.*", *where)
    tables = {"articles": articles.orderBy(*ingest_columns(*where)),
              "mentions": mentions.orderBy(*ingest_columns("start", *where, "mention_position")),
              "errors": errors.orderBy(*where)}
    for table, rows in tables.items():  # to(): exactly the table's columns, in its order, of its types
        rows.to(spark_schema(SCHEMAS[table])).write.mode("overwrite").parquet(f"{out}/{table}")


def extract(spark: SparkSession, names: Iterable[str], out: str, partitions: int | None = None,
            limit: int = DEFAULT_MAX_BYTES) -> dict[str, float]:
    """Extract every input into the run's tables in ``out`` (a local path or a Hadoop URL); the counts of
    :class:`Counters` and the job's ``seconds``. ``partitions`` tasks extract (default: one per input file);
    ``limit`` caps one article's bytes as ``--max-bytes`` does."""
    started = time.monotonic()
    listed = inputs(spark, names)
    counters = Counters.of(spark)
    function = partial(extract_batches, counters=counters, limit=limit)
    found = (listed.repartition(partitions or max(1, listed.count()))
             .mapInArrow(function, spark_schema(OUTCOMES)).persist(StorageLevel.MEMORY_AND_DISK))
    try:
        found.count()  # the extraction runs here, once: the three tables are written from its result
        write_tables(found, out)
    finally:
        found.unpersist()
    return {**counters.values(), "seconds": time.monotonic() - started}
