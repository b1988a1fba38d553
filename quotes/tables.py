"""The Parquet tables of a scale-out run: their schemas, and writing and reading them without an engine.

A run's output is a directory with one Parquet dataset (a folder of part files) per table:
``articles`` (quotes.rows.article_row: all the store keeps of an article), ``mentions``
(quotes.rows mention rows), and ``errors`` (quotes.rows.error_row: inputs that gave no article);
deduplication adds ``quotes`` (each mention's quote, quotes.dedup_rows) and two summaries of its
mentions, ``speakers`` and ``roles``, for reading the run without a database. The Spark job
(quotes.spark) writes them from its workers and ``quotes load`` reads them; :func:`write` writes
the same from one process, for small runs and for tests. Articles and mentions are written in
ingest order (quotes.dedup_rows.ingest_order, then a mention's start), the order the store
takes them in, so a load streams them. Needs pyarrow (the ``parquet`` extra).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from quotes.dedup_rows import ingest_order

_TEXT, _INT, _REAL = pa.string(), pa.int64(), pa.float64()

#: One row per article (quotes.rows.article_row); ``published`` is an ISO date, as in the JSON records.
ARTICLES = pa.schema([
    ("article_id", _TEXT), ("article_key", _TEXT), ("url", _TEXT), ("outlet", _TEXT), ("title", _TEXT),
    ("published", _TEXT), ("path", _TEXT), ("text", _TEXT), ("extractor", _TEXT),
])

#: One row per mention: the record ``quotes extract`` prints, with its article's key, headline and date.
MENTIONS = pa.schema([
    ("article_id", _TEXT), ("url", _TEXT), ("outlet", _TEXT), ("text", _TEXT), ("start", _INT), ("end", _INT),
    ("speaker", _TEXT), ("speaker_kind", _TEXT),
    ("speaker_mention", pa.struct([("text", _TEXT), ("start", _INT), ("end", _INT)])),
    ("role", _TEXT), ("title", _TEXT), ("organization", _TEXT), ("cue", _TEXT), ("kind", _TEXT),
    ("group", _INT), ("confidence", _REAL), ("article_key", _TEXT), ("article_title", _TEXT), ("published", _TEXT),
])

#: One row per input that gave no article: "error", or "warning" for a page with no article text.
ERRORS = pa.schema([("error", _TEXT), ("source", _TEXT), ("line", _INT), ("record", _TEXT), ("reason", _TEXT)])

#: One row per mention after deduplication: the mention (article key and start) and the key of its quote.
QUOTES = pa.schema([("article_key", _TEXT), ("start", _INT), ("quote", _TEXT)])

#: The speaker columns of the summaries: quotes.dedup_rows.speaker_key's kind and name, and an anonymous
#: source's article (null for other speakers), so one row per partition of the dedup.
_SPEAKER = [("kind", _TEXT), ("name", _TEXT), ("article_key", _TEXT)]
_SEEN = [("first_seen", _TEXT), ("last_seen", _TEXT)]


def _count(name: str) -> pa.Field:
    """A count column: never null."""
    return pa.field(name, _INT, nullable=False)


#: One row per speaker: the name as first printed (in ingest order), mentions in quotes, articles, and the
#: earliest and latest publication dates (ISO; null when every article is undated).
SPEAKERS = pa.schema([*_SPEAKER, ("speaker", _TEXT), _count("mentions"), _count("articles"), *_SEEN])

#: One row per speaker and role given (a title, an organization or both): mentions and dates as in SPEAKERS.
ROLES = pa.schema([*_SPEAKER, ("title", _TEXT), ("organization", _TEXT), _count("mentions"), *_SEEN])

SCHEMAS = {"articles": ARTICLES, "mentions": MENTIONS, "errors": ERRORS, "quotes": QUOTES, "speakers": SPEAKERS,
           "roles": ROLES}


class TablesError(ValueError):
    """A directory that holds no run's tables, or a table with columns other than its schema's."""


def batch(rows: Iterable[dict], schema: pa.Schema) -> pa.RecordBatch:
    """The rows as one Arrow batch of ``schema`` (keys outside it ignored, missing ones null)."""
    return pa.RecordBatch.from_pylist([{name: row.get(name) for name in schema.names} for row in rows],
                                      schema=schema)


def split(extracted: Iterable[dict]) -> Iterator[tuple[str, dict]]:
    """(table, row) for each outcome of quotes.rows.extracted: the article and each of its mentions, or the error."""
    for row in extracted:
        if "error" in row:
            yield "errors", row
        else:
            yield "articles", row
            for mention in row["mentions"]:
                yield "mentions", mention


def write(extracted: Iterable[dict], directory: Path | str, part: str = "part-0") -> dict[str, int]:
    """Write quotes.rows.extracted outcomes as the run's tables in ``directory`` (one part file each, replaced
    if present), articles and mentions sorted in ingest order as the Spark job writes them; the rows per table."""
    collected: dict[str, list[dict]] = {"articles": [], "mentions": [], "errors": []}
    for table, row in split(extracted):
        collected[table].append(row)
    collected["articles"].sort(key=ingest_order)
    collected["mentions"].sort(key=lambda row: (*ingest_order(row), row["start"]))
    for table, rows in collected.items():
        folder = Path(directory) / table
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_batches([batch(rows, SCHEMAS[table])]), folder / f"{part}.parquet")
    return {table: len(rows) for table, rows in collected.items()}


def dataset(directory: Path | str, table: str) -> ds.Dataset:
    """The table of the run in ``directory`` as an Arrow dataset; TablesError when it is missing or malformed."""
    folder = Path(directory) / table
    if not folder.is_dir():
        raise TablesError(f"{directory}: no {table} table (a folder {table}/ of Parquet files) in it")
    try:
        found = ds.dataset(folder, format="parquet", exclude_invalid_files=False,
                           ignore_prefixes=[".", "_"])
    except (pa.ArrowInvalid, OSError) as exc:
        raise TablesError(f"{folder}: not a Parquet dataset: {exc}") from exc
    missing = set(SCHEMAS[table].names) - set(found.schema.names)
    if missing:
        raise TablesError(f"{folder}: lacks the column(s) {', '.join(sorted(missing))}")
    return found


def scan(directory: Path | str, table: str, batch_rows: int = 1024) -> Iterator[dict]:
    """The table's rows as dicts of its schema's columns, streamed in the order of its part files' names and of
    the rows within each (the order the writer sorted them in), ``batch_rows`` at a time in memory; TablesError
    when a part file cannot be read."""
    names = SCHEMAS[table].names
    for path in sorted(dataset(directory, table).files):
        try:
            for chunk in pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=names):
                yield from chunk.to_pylist()
        except (pa.ArrowException, OSError) as exc:  # a truncated or overwritten part file
            raise TablesError(f"{path}: cannot be read as Parquet: {exc}") from exc
