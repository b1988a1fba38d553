"""Deduplication at scale: quote wordings, the fingerprint index, and the quote_conflicts view.

``quote_wordings`` holds each quote's distinct normalised wordings (one per way an article
printed it, split pieces joined) with a hash key; ``quote_fingerprints`` the winnowed word-4-gram
fingerprints ingest looks candidates up by, so placing a new mention no longer reads every
wording its speaker ever said. ``quote_conflicts`` lists pairs of quotes by different speakers
sharing a wording of at least 10 words (quotes.dedup.MIN_CONFLICT_WORDS when this was written)
printed by different outlets: possible misattributions, kept apart but linked.

The data step uses the application's own rules: every attributed mention is clustered again
(quotes.dedup, in ingest order), so an upgraded database holds the quotes a fresh ingest of
the same articles would, each keeping the oldest quote id it had; then the wordings and
fingerprints are indexed. Downgrading drops the additions and keeps the new clustering.

Revision ID: 0003
Revises: 0002
Create Date: 2025-11-24
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# The data step uses the application's own rules, so stored keys are what ingest would write.
from quotes.dedup import MAX_POSTINGS, MemoryIndex, fingerprints, normalize, text_key
from quotes.mention import unit_text
from quotes.store.clustering import TRAILING

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUOTE_CONFLICTS_VIEW = """
CREATE VIEW quote_conflicts AS
SELECT DISTINCT w.quote_id AS quote_id,
       w.speaker_id AS speaker_id,
       s.name AS speaker,
       q.text AS quote,
       o.quote_id AS other_quote_id,
       o.speaker_id AS other_speaker_id,
       os.name AS other_speaker,
       oq.text AS other_quote
FROM quote_wordings w
JOIN quote_wordings o ON o.text_key = w.text_key AND o.normalized = w.normalized AND o.speaker_id <> w.speaker_id
JOIN quotes q ON q.id = w.quote_id
JOIN quotes oq ON oq.id = o.quote_id
JOIN speakers s ON s.id = w.speaker_id
JOIN speakers os ON os.id = o.speaker_id
WHERE w.words >= 10
  AND EXISTS (
    SELECT 1
    FROM mentions m
    JOIN articles a ON a.id = m.article_id
    JOIN mentions om ON om.quote_id = o.quote_id
    JOIN articles oa ON oa.id = om.article_id
    WHERE m.quote_id = w.quote_id
      AND COALESCE(a.outlet_id, -a.id) <> COALESCE(oa.outlet_id, -oa.id)
  )
"""

mentions = sa.table("mentions", sa.column("id"), sa.column("quote_id"), sa.column("article_id"),
                    sa.column("speaker_id"), sa.column("group"), sa.column("start"), sa.column("text"))
articles = sa.table("articles", sa.column("id"), sa.column("published"), sa.column("ingested_at"))
quotes = sa.table("quotes", sa.column("id"), sa.column("speaker_id"), sa.column("text"),
                  sa.column("first_seen", sa.Date))
wordings = sa.table("quote_wordings", sa.column("quote_id"), sa.column("speaker_id"), sa.column("text_key"),
                    sa.column("words"), sa.column("normalized"))
prints = sa.table("quote_fingerprints", sa.column("speaker_id"), sa.column("fingerprint"), sa.column("quote_id"))

#: Rows per INSERT of the data step.
BATCH = 5000


def _recluster(conn: sa.Connection) -> None:
    """Cluster every attributed mention again by the current rule, as a fresh ingest would, keeping quote ids.

    Units (the pieces of one quote in one article) are placed in ingest order through
    quotes.dedup.MemoryIndex. Each cluster keeps the oldest quote id its mentions had (a new
    id when a quote splits), its longest printing as text and its earliest article date as
    first_seen; quotes left without mentions go.
    """
    rows = conn.execute(
        sa.select(mentions.c.id, mentions.c.quote_id, mentions.c.speaker_id, mentions.c.article_id,
                  mentions.c.group, mentions.c.text,
                  sa.func.coalesce(articles.c.published, sa.func.date(articles.c.ingested_at)).label("seen"))
        .join(articles, articles.c.id == mentions.c.article_id)
        .where(mentions.c.speaker_id.is_not(None))
        .order_by(mentions.c.article_id, mentions.c.start)
    ).all()
    units: dict[tuple[int, int, int], list[sa.Row]] = {}  # (article, group, speaker) -> pieces, in ingest order
    for row in rows:
        units.setdefault((row.article_id, row.group, row.speaker_id), []).append(row)
    index = MemoryIndex()
    placed = [(index.add(speaker, unit_text(p.text for p in pieces)), pieces)
              for (_, _, speaker), pieces in units.items()]
    clusters: dict[int, list[list[sa.Row]]] = {}
    for number, pieces in placed:
        clusters.setdefault(index.quote_of(number), []).append(pieces)
    taken: set[int] = set()
    emptied: set[int] = set()
    for cluster in sorted(clusters.values(), key=lambda c: min(p.quote_id for pieces in c for p in pieces)):
        old = {p.quote_id for pieces in cluster for p in pieces}
        printed = max((unit_text(p.text for p in pieces) for pieces in cluster),
                      key=lambda t: len(normalize(t).split()))  # the first longest, as ingest keeps it
        first_seen = min(str(p.seen) for pieces in cluster for p in pieces)  # ISO dates, as SQLite gives them
        values = {"text": printed.strip(TRAILING), "first_seen": dt.date.fromisoformat(first_seen)}
        free = sorted(old - taken)
        if free:
            target = free[0]
            conn.execute(quotes.update().where(quotes.c.id == target).values(**values))
        else:
            speaker = cluster[0][0].speaker_id
            target = conn.execute(quotes.insert().values(speaker_id=speaker, **values).returning(quotes.c.id)).scalar()
        taken.add(target)
        emptied |= old
        moved = [p.id for pieces in cluster for p in pieces if p.quote_id != target]
        for start in range(0, len(moved), BATCH):
            conn.execute(mentions.update().where(mentions.c.id.in_(moved[start:start + BATCH])).values(quote_id=target))
    gone = sorted(emptied - taken)
    for start in range(0, len(gone), BATCH):
        conn.execute(quotes.delete().where(quotes.c.id.in_(gone[start:start + BATCH])))


def _index_existing_mentions(conn: sa.Connection) -> None:
    """One wording per distinct unit text of each quote, and its fingerprints, as ingest records them."""
    rows = conn.execute(
        sa.select(mentions.c.quote_id, mentions.c.speaker_id, mentions.c.article_id, mentions.c.group,
                  mentions.c.text)
        .where(mentions.c.speaker_id.is_not(None))
        .order_by(mentions.c.quote_id, mentions.c.article_id, mentions.c.group, mentions.c.start)
    ).all()
    seen: set[tuple[int, str]] = set()
    posted: set[tuple[int, int, int]] = set()
    postings: Counter[tuple[int, int]] = Counter()
    new_wordings: list[dict] = []
    new_prints: list[dict] = []
    for (quote_id, speaker_id, _, _), pieces in itertools.groupby(rows, key=lambda r: tuple(r)[:4]):
        words = normalize(unit_text(piece.text for piece in pieces))
        if not words or (quote_id, words) in seen:
            continue
        seen.add((quote_id, words))
        new_wordings.append({"quote_id": quote_id, "speaker_id": speaker_id, "text_key": text_key(words),
                             "words": len(words.split()), "normalized": words})
        for fingerprint in fingerprints(words.split()):
            if (speaker_id, fingerprint, quote_id) not in posted and postings[speaker_id, fingerprint] < MAX_POSTINGS:
                posted.add((speaker_id, fingerprint, quote_id))
                postings[speaker_id, fingerprint] += 1
                new_prints.append({"speaker_id": speaker_id, "fingerprint": fingerprint, "quote_id": quote_id})
    for table, values in ((wordings, new_wordings), (prints, new_prints)):
        for start in range(0, len(values), BATCH):
            conn.execute(table.insert(), values[start:start + BATCH])


def upgrade() -> None:
    op.create_table(
        "quote_wordings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("text_key", sa.BigInteger(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("normalized", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["quote_id"], ["quotes.id"], name="fk_quote_wordings_quote_id_quotes"),
        sa.ForeignKeyConstraint(["speaker_id"], ["speakers.id"], name="fk_quote_wordings_speaker_id_speakers"),
        sa.PrimaryKeyConstraint("id", name="pk_quote_wordings"),
    )
    op.create_index("ix_quote_wordings_quote_id", "quote_wordings", ["quote_id"])
    op.create_index("ix_quote_wordings_text_key", "quote_wordings", ["text_key"])
    op.create_index("ix_quote_wordings_speaker_id_text_key", "quote_wordings", ["speaker_id", "text_key"])
    op.create_table(
        "quote_fingerprints",
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.BigInteger(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["quote_id"], ["quotes.id"], name="fk_quote_fingerprints_quote_id_quotes"),
        sa.ForeignKeyConstraint(["speaker_id"], ["speakers.id"], name="fk_quote_fingerprints_speaker_id_speakers"),
        sa.PrimaryKeyConstraint("speaker_id", "fingerprint", "quote_id", name="pk_quote_fingerprints"),
    )
    op.create_index("ix_quote_fingerprints_quote_id", "quote_fingerprints", ["quote_id"])
    _recluster(op.get_bind())
    _index_existing_mentions(op.get_bind())
    op.execute(QUOTE_CONFLICTS_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW quote_conflicts")
    op.drop_table("quote_fingerprints")
    op.drop_table("quote_wordings")
