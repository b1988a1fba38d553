"""Deduplication over plain rows, one speaker at a time: the engine-neutral second half of scaling out.

The store places each quote as it ingests articles, one after the other (quotes.store.clustering),
so which quotes a wording joins depends on what came before it. Here that order is a property
of the rows: :func:`ingest_order` (publication date, undated last, then the article's content
hash and id) and, within an article, the position of each quote. :func:`dedup_speaker` sorts one
speaker's rows so and replays :func:`quotes.dedup.cluster`, the same placement rule the store
applies, so partitioning rows by :func:`partition_key` (the speaker; for a quote without one, its
article) and deduplicating each partition (:func:`dedup_partition`) gives the same quotes whatever
the partitions and the order of their tasks, and the same as a store that ingested the articles in
that order.

A row is a dict of quotes.rows (article fields and a mention's record); the result is each row
with ``quote``: the key (``article_key:start``) of the first mention of its quote in ingest order.

:func:`speaker_key` is the speaker as one article names it: the full name key and kind, an
anonymous source one per article, as the store keys speakers within an article. It does not
replay the store's links across articles (quotes.store.speakers.resolve): a surname alone
("Kirby") linked to the one stored person of that surname, a full name with middle names or
initials ("Donald J. Trump"), spelling variants ("Zelenskiy"), and aliases given by hand or
by the alias file are each a speaker of their own here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from quotes.dedup import cluster
from quotes.mention import unit_text
from quotes.names import speaker_key as name_speaker_key

#: The date an undated article sorts by: after every dated one, as the store dates it by its ingestion.
UNDATED = "9999-12-31"


def ingest_order(row: dict) -> tuple[str, str, str]:
    """The position of a row's article among all articles: publication date (UNDATED when none), content hash, id."""
    return row["published"] or UNDATED, row["article_key"], row["article_id"]


def speaker_key(row: dict) -> tuple[str, ...] | None:
    """The partition a row's quote is deduplicated in: its speaker in the article (module docstring); None without one."""
    if not row.get("speaker"):
        return None
    name, kind = name_speaker_key(row["speaker"], row["speaker_kind"])
    return (kind, name, row["article_key"]) if kind == "anonymous" else (kind, name)


def quote_key(row: dict) -> str:
    """The identity of the quote that starts at this row: its article key and start, the same in every partition."""
    return f"{row['article_key']}:{row['start']}"


def _units(rows: Iterable[dict]) -> list[list[dict]]:
    """The quotes as printed, in ingest order: a copy of an article already seen dropped (the store skips it),
    pieces of one article sharing a ``group`` together (one split or multi-paragraph quote)."""
    ordered = sorted(rows, key=lambda row: (*ingest_order(row), row["start"]))
    first_copy: dict[str, str] = {}
    units: dict[tuple[str, int], list[dict]] = {}
    for row in ordered:
        if first_copy.setdefault(row["article_key"], row["article_id"]) == row["article_id"]:
            units.setdefault((row["article_key"], row["group"]), []).append(row)
    return list(units.values())


def dedup_speaker(rows: Iterable[dict]) -> list[dict]:
    """One speaker's rows, in ingest order, each with the ``quote`` it belongs to by the store's placement rule.

    The rows may come in any order; they must share one :func:`speaker_key` (not None).
    """
    units = _units(rows)
    clusters = cluster([unit_text(row["text"] for row in unit) for unit in units])
    quote_of = {position: quote_key(units[members[0]][0]) for members in clusters for position in members}
    return [{**row, "quote": quote_of[position]} for position, unit in enumerate(units) for row in unit]


def partition_key(row: dict) -> tuple[str, ...]:
    """The partition a row is deduplicated in: its :func:`speaker_key`, or for a quote without speaker
    ``("", article_key)``, its article's own (such a quote is a quote of its own; only copies of the article meet)."""
    return speaker_key(row) or ("", row["article_key"])


def dedup_partition(rows: Iterable[dict]) -> list[dict]:
    """The rows of one :func:`partition_key`, in ingest order, each with its ``quote``: a speaker's by
    :func:`dedup_speaker`, those without speaker each the quote of its own printed unit."""
    rows = list(rows)
    if rows and speaker_key(rows[0]) is None:
        return [{**row, "quote": quote_key(unit[0])} for unit in _units(rows) for row in unit]
    return dedup_speaker(rows)


def dedup(rows: Iterable[dict]) -> list[dict]:
    """Every mention row with its ``quote``, one :func:`partition_key` at a time, as a partitioned job does.

    A quote without a speaker is a quote of its own, as in the store; error rows are left out.
    """
    partitions: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for row in rows:
        if "error" not in row:
            partitions[partition_key(row)].append(row)
    return [row for partition in partitions.values() for row in dedup_partition(partition)]
