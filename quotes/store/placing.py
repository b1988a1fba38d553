"""Placing many articles' quotes at once: the store's deduplication for a batch, in a few statements.

Storing a quote one at a time (quotes.store.clustering.assign_quote) costs about six statements:
an exact look-up, the fingerprints, the candidates' wordings, the quote, then the new rows. A
:class:`Placer` queues the quotes of a batch of articles instead, reads what the store holds of
them in one look-up per table (:class:`BatchIndex`: every wording and fingerprint the batch could
meet), runs the same :func:`quotes.dedup.place` in memory, and writes the quotes, wordings,
fingerprints and mentions with one statement per table. It gives the rows, ids included, that
placing the quotes one by one in the same order gives: a quote that would fold older quotes
together (rare) is left to assign_quote itself, after what came before it is written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Row, Select, any_, bindparam, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from quotes.dedup import Placement, fingerprints, normalize, place, text_key, tokens
from quotes.store.clustering import TRAILING, assign_quote
from quotes.store.db import insert_rows
from quotes.store.schema import Mention, Quote, QuoteFingerprint, QuoteWording

_WORDINGS, _PRINTS, _QUOTES, _MENTIONS = (QuoteWording.__table__, QuoteFingerprint.__table__, Quote.__table__,
                                          Mention.__table__)
#: Values (or pairs) one look-up is given at most, well within SQLite's limit on parameters (PostgreSQL takes
#: arrays).
CHUNK = 2000
#: Where the keys of wordings written in this batch start: after every row id the store holds.
_NEW_ROW = 1 << 62


def _among(column, name: str, arrays: bool):
    """``column IN (:name)``: one array parameter on PostgreSQL, a parameter a value elsewhere."""
    if arrays:
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def _reads(arrays: bool) -> dict[str, Select]:
    """What BatchIndex reads by quote: the candidate quotes' wordings and texts."""
    return {
        "wordings": select(_WORDINGS.c.id, _WORDINGS.c.quote_id, _WORDINGS.c.words, _WORDINGS.c.normalized).where(
            _among(_WORDINGS.c.quote_id, "quotes", arrays)),
        "quotes": select(_QUOTES.c.id, _QUOTES.c.text, _QUOTES.c.first_seen).where(
            _among(_QUOTES.c.id, "quotes", arrays)),
    }


_READS = {arrays: _reads(arrays) for arrays in (False, True)}
#: What BatchIndex reads by (speaker, key) pair, each pair one look-up of an index: (columns, table, join).
#: Two IN lists instead would look up every speaker with every key of the batch.
_BY_PAIR = {
    "exact": ("t.speaker_id, t.normalized, t.quote_id", _WORDINGS.name, "t.speaker_id = w.a AND t.text_key = w.b"),
    "postings": ("t.speaker_id, t.fingerprint, t.quote_id", _PRINTS.name, "t.speaker_id = w.a AND t.fingerprint = w.b"),
}


def _by_pairs(conn: Connection, read: str, pairs: Iterable[tuple[int, int]]) -> Iterator[Row]:
    """The rows of ``read`` for each (speaker, key) pair: the pairs joined as an array (PostgreSQL) or VALUES rows."""
    columns, table, on = _BY_PAIR[read]
    pairs = sorted(set(pairs))
    if conn.dialect.name == "postgresql":
        yield from conn.execute(text(f"SELECT {columns} FROM unnest(CAST(:a AS bigint[]), CAST(:b AS bigint[])) "
                                     f"AS w(a, b) JOIN {table} t ON {on}"),
                                {"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
        return
    for start in range(0, len(pairs), CHUNK):
        part = pairs[start:start + CHUNK]
        values = ", ".join(["(?, ?)"] * len(part))
        yield from conn.exec_driver_sql(f"WITH w(a, b) AS (VALUES {values}) SELECT {columns} FROM w JOIN {table} t ON {on}",
                                        tuple(value for pair in part for value in pair))


_SET_QUOTE = update(_QUOTES).where(_QUOTES.c.id == bindparam("quote")).values(
    text=bindparam("new_text"), first_seen=bindparam("new_first_seen"))


def _chunks(values: Iterable, size: int | None) -> Iterator[list]:
    """The values, sorted, in lists of ``size`` (one list when None)."""
    values = sorted(set(values))
    size = size or len(values) or 1
    for start in range(0, len(values), size):
        yield values[start:start + size]


@dataclass
class Unit:
    """One quote of an article as ingest stores it: who said it, its printed wording, and its mention rows."""

    speaker: int | None
    text: str
    seen: dt.date
    rows: list[dict]  # the pieces' mention rows, all but their quote_id
    words: str = ""  # normalised, for an attributed quote

    @property
    def article(self) -> int:
        return self.rows[0]["article_id"]


class BatchIndex:
    """quotes.dedup.Index over what the store holds of a batch's quotes, and the batch's own quotes as placed.

    Quote ids are the store's; a quote of the batch has a provisional id above every stored one, in
    order of creation, as the store's own ids would be.
    """

    def __init__(self, db: Session, units: Sequence[Unit], first_new: int) -> None:
        self.exact_rows: dict[tuple[int, str], set[int]] = defaultdict(set)
        self.posted: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.rows: dict[int, list[tuple[int, int, str]]] = defaultdict(list)  # quote -> (-words, row key, words)
        self.quotes: dict[int, tuple[str, dt.date]] = {}  # quote -> its canonical text and first date
        self.next_quote, self.next_row = first_new, _NEW_ROW
        attributed = [unit for unit in units if unit.speaker is not None and unit.words]
        if not attributed:
            return
        conn = db.connection()
        arrays = conn.dialect.name == "postgresql"
        reads, size = _READS[arrays], None if arrays else CHUNK
        for speaker, words, quote in _by_pairs(conn, "exact", ((u.speaker, text_key(u.words)) for u in attributed)):
            self.exact_rows[speaker, words].add(quote)
        prints = ((u.speaker, p) for u in attributed for p in fingerprints(u.words.split()))
        for speaker, fingerprint, quote in _by_pairs(conn, "postings", prints):
            self.posted[speaker, fingerprint].append(quote)
        stored = {q for quotes in self.exact_rows.values() for q in quotes} | {
            q for quotes in self.posted.values() for q in quotes}
        for part in _chunks(stored, size):
            for row_id, quote, words, normalized in conn.execute(reads["wordings"], {"quotes": part}):
                self.rows[quote].append((-words, row_id, normalized))
            for quote, canonical, first_seen in conn.execute(reads["quotes"], {"quotes": part}):
                self.quotes[quote] = (canonical, first_seen)

    # the quotes.dedup.Index protocol, as quotes.store.clustering.SqlIndex answers it
    def exact(self, speaker: int, words: str) -> int | None:
        return min(self.exact_rows.get((speaker, words), ()), default=None)

    def postings(self, speaker: int, prints: Iterable[int]) -> dict[int, list[int]]:
        return {p: list(self.posted[speaker, p]) for p in prints if (speaker, p) in self.posted}

    def wordings(self, quotes: Sequence[int]) -> dict[int, list[str]]:
        found = {}
        for quote in quotes:
            if self.rows.get(quote):
                found[quote] = list(dict.fromkeys(words for _, _, words in sorted(self.rows[quote])))
        return found

    # what assign_quote writes, kept here instead
    def new_quote(self, text: str, seen: dt.date) -> int:
        quote, self.next_quote = self.next_quote, self.next_quote + 1
        self.quotes[quote] = (text.strip(TRAILING), seen)
        return quote

    def widen(self, quote: int, placement: Placement, text: str, seen: dt.date) -> bool:
        """Give the quote the wording as canonical text when it is longer, and the earlier date; True if it changed."""
        canonical, first_seen = self.quotes[quote]
        longer = len(placement.words.split()) > len(tokens(canonical))
        if not (longer or seen < first_seen):
            return False
        self.quotes[quote] = (text.strip(TRAILING) if longer else canonical, min(first_seen, seen))
        return True

    def record(self, speaker: int, quote: int, placement: Placement) -> dict:
        """Index the wording under the quote; returns its quote_wordings row."""
        words = placement.words
        self.rows[quote].append((-len(words.split()), self.next_row, words))
        self.next_row += 1
        self.exact_rows[speaker, words].add(quote)
        for p in placement.post:
            self.posted[speaker, p].append(quote)
        return {"quote_id": quote, "speaker_id": speaker, "text_key": text_key(words), "words": len(words.split()),
                "normalized": words}


def _next_id(db: Session, table) -> int:
    """The id the store would give the table's next row: its sequence's next value on PostgreSQL, else one past
    the largest (SQLite's rowid)."""
    conn = db.connection()
    if conn.dialect.name == "postgresql":
        sequence = conn.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name})
        return conn.scalar(text(f"SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM {sequence}"))
    return (conn.scalar(select(func.max(table.c.id))) or 0) + 1


class HeldBackRefused(Exception):
    """The database refused quotes a batch held back for its earlier articles: no one article's fault, so the
    batch is stored again one article at a time (quotes.ingest.in_savepoints)."""


class Placer:
    """The quotes of a batch of articles, queued, then placed and written together by :meth:`flush`.

    Until then the batch's mentions are in no table, so the placer also answers which speakers
    each outlet quoted in the queued articles (:meth:`quoted`, for quotes.store.speakers.resolve).
    """

    def __init__(self, shared: bool = False) -> None:
        self.shared = shared  # holds the quotes of a batch's articles, not of one article
        self.units: list[Unit] = []
        self.by_outlet: dict[int, set[int]] = defaultdict(set)
        self.new: Counter[int] = Counter()  # article id -> quotes new with it, placed so far

    def add(self, speaker: int | None, text: str, seen: dt.date, rows: list[dict], outlet: int | None) -> None:
        """Queue one quote (its mention rows, all but their quote_id) of an article of ``outlet``."""
        self.units.append(Unit(speaker, text, seen, rows, normalize(text) if speaker is not None else ""))
        if speaker is not None and outlet is not None:
            self.by_outlet[outlet].add(speaker)

    def quoted(self, outlet: int | None) -> set[int]:
        """The speakers the outlet is quoting in queued articles."""
        return self.by_outlet.get(outlet, set()) if outlet is not None else set()

    def snapshot(self) -> tuple:
        """What :meth:`restore` returns to: taken before an article that may fail (its savepoint rolls back
        a flush made during it too)."""
        return list(self.units), {k: set(v) for k, v in self.by_outlet.items()}, Counter(self.new)

    def restore(self, state: tuple) -> None:
        units, by_outlet, new = state
        self.units, self.by_outlet, self.new = list(units), defaultdict(set, by_outlet), Counter(new)

    def flush(self, db: Session) -> None:
        """Place and write every queued quote, counting the new ones by article in :attr:`new`; a refusal of a
        batch's queue is HeldBackRefused."""
        units, self.units = self.units, []
        self.by_outlet.clear()
        try:
            while units:
                units = self._place(db, units)
        except DBAPIError as exc:
            if self.shared:
                raise HeldBackRefused(f"the database refused quotes held back for the batch: {exc.orig}") from exc
            raise

    def _place(self, db: Session, units: list[Unit]) -> list[Unit]:
        """Place units in memory up to the first that folds quotes together, which assign_quote then places
        in the store; returns the units after it."""
        first_new = _next_id(db, _QUOTES)
        index = BatchIndex(db, units, first_new)
        quote_of: list[int] = []
        wordings: list[tuple[dict, list[int]]] = []  # quote_wordings rows, each with its new fingerprints
        changed: set[int] = set()
        for position, unit in enumerate(units):
            if unit.speaker is None:
                quote_of.append(index.new_quote(unit.text, unit.seen))
                self.new[unit.article] += 1
                continue
            placement = place(index, unit.speaker, unit.words)
            if placement.absorbs:
                self._write(db, index, first_new, units[:position], quote_of, wordings, changed)
                quote_id, fresh = assign_quote(db, unit.speaker, unit.text, unit.seen)
                db.execute(insert(_MENTIONS), [{**row, "quote_id": quote_id} for row in unit.rows])
                self.new[unit.article] += fresh
                return units[position + 1:]
            if placement.quote is None:
                quote = index.new_quote(unit.text, unit.seen)
                self.new[unit.article] += 1
            else:
                quote = placement.quote
                if index.widen(quote, placement, unit.text, unit.seen) and quote < first_new:
                    changed.add(quote)  # a stored quote: updated; one of the batch is written as it ends
            if placement.indexed:
                wordings.append((index.record(unit.speaker, quote, placement), placement.post))
            quote_of.append(quote)
        self._write(db, index, first_new, units, quote_of, wordings, changed)
        return []

    @staticmethod
    def _write(db: Session, index: BatchIndex, first_new: int, units: Sequence[Unit], quote_of: Sequence[int],
               wordings: Sequence[tuple[dict, list[int]]], changed: Iterable[int]) -> None:
        """Write the placed units: new quotes with the ids placing gave them, wordings, fingerprints, mentions."""
        conn = db.connection()
        speaker_of = {quote: unit.speaker for unit, quote in zip(units, quote_of, strict=False)}
        new = [{"id": quote, "speaker_id": speaker_of[quote], "text": index.quotes[quote][0],
                "first_seen": index.quotes[quote][1]} for quote in range(first_new, index.next_quote)]
        insert_rows(conn, _QUOTES, new)
        insert_rows(conn, _WORDINGS, [row for row, _ in wordings])
        insert_rows(conn, _PRINTS, [{"speaker_id": row["speaker_id"], "fingerprint": p, "quote_id": row["quote_id"]}
                                    for row, post in wordings for p in post])
        insert_rows(conn, _MENTIONS, [{**row, "quote_id": quote}
                                      for unit, quote in zip(units, quote_of, strict=False) for row in unit.rows])
        updates = [{"quote": quote, "new_text": index.quotes[quote][0], "new_first_seen": index.quotes[quote][1]}
                   for quote in sorted(changed)]
        if updates:
            conn.execute(_SET_QUOTE, updates)
        if new and conn.dialect.name == "postgresql":  # the sequence moves past the ids given here
            conn.execute(text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                         {"table": _QUOTES.name, "last": new[-1]["id"]})
