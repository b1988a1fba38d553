"""Extractor versions: ``articles.extractor`` names the extractor that produced an article's mentions.

``quotes reextract`` runs the current extractor over the articles another one produced; the
version is the package's with a digest of the models, settings, lexicon and scorer
(quotes.extract.extractor_version). Articles ingested before this revision keep a NULL
version, which no extractor has: every one of them is re-extracted.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN: batch mode would copy the table, which the views over articles do not survive on SQLite
    op.add_column("articles", sa.Column("extractor", sa.Text(), nullable=True))
    op.create_index(op.f("ix_articles_extractor"), "articles", ["extractor"])


def downgrade() -> None:
    op.drop_index(op.f("ix_articles_extractor"), table_name="articles")
    op.drop_column("articles", "extractor")
