"""Deduplication in the store: quotes.dedup.place against the database, folding quotes, speaker merges.

Ingest places each new wording with the same :func:`quotes.dedup.place` the in-memory
benchmark uses, through :class:`SqlIndex`: exact repeats by ``quote_wordings`` (speaker,
text_key), everything else by the speaker's ``quote_fingerprints``, then only the candidate
quotes' wordings are read. Nothing reads all of a speaker's quotes, so placing a mention costs
the same for a speaker with five quotes as for one with fifty thousand.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from quotes.dedup import MemoryIndex, Placement, fingerprints, normalize, place, text_key, tokens
from quotes.store.schema import Mention, Quote, QuoteFingerprint, QuoteWording

#: Trailing punctuation a quote piece keeps when printed ("We are ready,") but a canonical text drops.
TRAILING = " \t\n,;:"


_WORDINGS, _PRINTS, _QUOTES = QuoteWording.__table__, QuoteFingerprint.__table__, Quote.__table__

# Ingest runs these for every quote: built once, so each run skips building and keying the statement.
_EXACT = select(func.min(_WORDINGS.c.quote_id)).where(
    _WORDINGS.c.speaker_id == bindparam("speaker"), _WORDINGS.c.text_key == bindparam("key"),
    _WORDINGS.c.normalized == bindparam("words"))
_POSTINGS = select(_PRINTS.c.fingerprint, _PRINTS.c.quote_id).where(
    _PRINTS.c.speaker_id == bindparam("speaker"), _PRINTS.c.fingerprint.in_(bindparam("prints", expanding=True)))
_QUOTE_WORDINGS = (select(_WORDINGS.c.quote_id, _WORDINGS.c.normalized)
                   .where(_WORDINGS.c.quote_id.in_(bindparam("quotes", expanding=True)))
                   .order_by(_WORDINGS.c.quote_id, _WORDINGS.c.words.desc(), _WORDINGS.c.id))
_QUOTE = select(_QUOTES.c.text, _QUOTES.c.first_seen).where(_QUOTES.c.id == bindparam("quote"))
_NEW_QUOTE = insert(_QUOTES).returning(_QUOTES.c.id)


class SqlIndex:
    """quotes.dedup.Index over the ``quote_wordings`` and ``quote_fingerprints`` tables, in ``db``'s transaction."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def exact(self, speaker: int, words: str) -> int | None:
        """The oldest quote of ``speaker`` with exactly this normalised wording, or None."""
        return self.db.execute(_EXACT, {"speaker": speaker, "key": text_key(words), "words": words}).scalar()

    def postings(self, speaker: int, prints: Iterable[int]) -> dict[int, list[int]]:
        """For each of ``prints`` the speaker has posted: the quotes posting it."""
        found: dict[int, list[int]] = {}
        for fingerprint, quote in self.db.execute(_POSTINGS, {"speaker": speaker, "prints": list(prints)}):
            found.setdefault(fingerprint, []).append(quote)
        return found

    def wordings(self, quotes: Sequence[int]) -> dict[int, list[str]]:
        """Each quote's distinct normalised wordings, the longest (then oldest) first, in the order of ``quotes``."""
        found: dict[int, list[str]] = {quote: [] for quote in quotes}
        for quote, words in self.db.execute(_QUOTE_WORDINGS, {"quotes": list(quotes)}):
            if words not in found[quote]:
                found[quote].append(words)
        return {quote: wordings for quote, wordings in found.items() if wordings}


def _set_quote(db: Session, quote_id: int, text: str, first_seen: dt.date) -> None:
    """Give a quote its canonical text and date (an ORM update, so a quote a caller holds stays in step)."""
    db.execute(update(Quote).where(Quote.id == quote_id).values(text=text, first_seen=first_seen))


def fold_quote(db: Session, source_id: int, target_id: int) -> None:
    """Make quote ``source_id`` part of ``target_id``: mentions, wordings and fingerprints move,
    the longer canonical text (the target's on a tie) and the earlier date win, the source goes."""
    source, target = (db.execute(_QUOTE, {"quote": quote}).one() for quote in (source_id, target_id))
    text = source.text if len(tokens(source.text)) > len(tokens(target.text)) else target.text
    _set_quote(db, target_id, text, min(target.first_seen, source.first_seen))
    db.execute(update(Mention).where(Mention.quote_id == source_id).values(quote_id=target_id))
    for table, column in ((QuoteWording, QuoteWording.normalized), (QuoteFingerprint, QuoteFingerprint.fingerprint)):
        # what both hold (the same words said by two speakers now merged) stays once, the target's
        targets = select(column).where(table.quote_id == target_id)
        db.execute(delete(table).where(table.quote_id == source_id, column.in_(targets)))
        db.execute(update(table).where(table.quote_id == source_id).values(quote_id=target_id))
    db.execute(delete(Quote).where(Quote.id == source_id))


def _record(db: Session, speaker_id: int, quote_id: int, placement: Placement) -> None:
    """Index a wording new to the quote: its row in quote_wordings and its new fingerprints."""
    words = placement.words
    db.execute(insert(_WORDINGS), {"quote_id": quote_id, "speaker_id": speaker_id, "text_key": text_key(words),
                                   "words": len(words.split()), "normalized": words})
    if placement.post:
        db.execute(insert(_PRINTS),
                   [{"speaker_id": speaker_id, "fingerprint": p, "quote_id": quote_id} for p in placement.post])


def new_quote(db: Session, speaker_id: int | None, text: str, seen: dt.date) -> int:
    """A new quote's id: the printed wording without trailing punctuation, first seen ``seen``."""
    return db.execute(_NEW_QUOTE, {"speaker_id": speaker_id, "text": text.strip(TRAILING), "first_seen": seen}).scalar_one()


def assign_quote(db: Session, speaker_id: int, text: str, seen: dt.date) -> tuple[int, bool]:
    """The id of the speaker's quote the printed wording ``text`` belongs to, and whether it is new.

    Quotes the wording shows to be one utterance are folded into the oldest of them; the
    wording becomes the canonical text when it is the longest; ``first_seen`` takes ``seen``
    when earlier. ``text`` is one quote as an article prints it (quotes.mention.unit_text).
    """
    placement = place(SqlIndex(db), speaker_id, normalize(text))
    if placement.quote is None:
        quote_id = new_quote(db, speaker_id, text, seen)
    else:
        quote_id = placement.quote
        for other in placement.absorbs:
            fold_quote(db, other, quote_id)
        canonical, first_seen = db.execute(_QUOTE, {"quote": quote_id}).one()
        longer = len(placement.words.split()) > len(tokens(canonical))
        if longer or seen < first_seen:
            _set_quote(db, quote_id, text.strip(TRAILING) if longer else canonical, min(first_seen, seen))
    if placement.indexed:
        _record(db, speaker_id, quote_id, placement)
    return quote_id, placement.quote is None


def merge_speaker_quotes(db: Session, keep_id: int, other_id: int) -> int:
    """Give speaker ``other_id``'s wordings and fingerprints to ``keep_id``, then re-cluster ``keep_id``'s quotes.

    Call after the mentions and quotes moved and before ``other_id`` is deleted. Quotes are
    replayed oldest first through quotes.dedup.place, each by its canonical wording, and one
    that joins an older quote is folded into it (the newer never absorbs the older). Returns
    how many quotes were folded.
    """
    for table in (QuoteWording, QuoteFingerprint):
        db.execute(update(table).where(table.speaker_id == other_id).values(speaker_id=keep_id))
    rows = db.execute(
        select(QuoteWording.quote_id, QuoteWording.normalized)
        .where(QuoteWording.speaker_id == keep_id)
        .order_by(QuoteWording.quote_id, QuoteWording.words.desc(), QuoteWording.id)
    ).all()
    memory = MemoryIndex()
    stored: dict[int, int] = {}  # quote number in memory -> quote id in the store
    folded = 0
    for quote_id, group in itertools.groupby(rows, key=lambda row: row.quote_id):
        canonical, *others = dict.fromkeys(row.normalized for row in group)
        placement = place(memory, keep_id, canonical)
        if placement.quote is None:
            target = memory.new_quote()
            stored[target] = quote_id
        else:
            target = placement.quote
            fold_quote(db, quote_id, stored[target])
            folded += 1
        for absorbed in placement.absorbs:
            fold_quote(db, stored[absorbed], stored[target])
            memory.fold(absorbed, target)
            folded += 1
        memory.record(keep_id, target, placement)
        for words in others:
            if memory.exact(keep_id, words) is None:  # one both speakers printed is the target's already
                memory.record(keep_id, target, Placement(words, post=sorted(fingerprints(words.split()))))
    return folded
