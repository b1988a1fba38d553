"""Article bodies: ``articles.body`` keeps the text quotes were extracted from.

Mention offsets index this text, so the report can show each quote in its own paragraph and a
later extractor can run again over stored articles. Articles ingested before this revision keep
a NULL body (their text was never stored); the report shows their quotes between the
neighbouring quotes instead.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("body", sa.Text(), nullable=True))


def downgrade() -> None:
    # a plain ALTER TABLE (SQLite >= 3.35 has DROP COLUMN): batch mode would copy the table,
    # which the views over articles (quote_sources) do not survive on SQLite
    op.drop_column("articles", "body")
