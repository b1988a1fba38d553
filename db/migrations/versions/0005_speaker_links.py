"""Speaker links and external ids: how each article's name was linked to a stored speaker, with an
evidence score; and an id such as a Wikidata QID, from a people file, that decides identity.

A bare surname linked to the one stored person of that surname, with no role to confirm it, is
a weak link; ``quotes speakers review`` lists those for a person to check.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "speaker_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("how", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_speaker_links_article_id_articles")),
        sa.ForeignKeyConstraint(["speaker_id"], ["speakers.id"], name=op.f("fk_speaker_links_speaker_id_speakers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_links")),
    )
    op.create_index(op.f("ix_speaker_links_speaker_id"), "speaker_links", ["speaker_id"])
    op.create_index(op.f("ix_speaker_links_score"), "speaker_links", ["score"])
    # a plain ADD COLUMN and a unique index: batch mode would copy the table, which the views over
    # speakers (quote_sources, quote_conflicts) do not survive on SQLite
    op.add_column("speakers", sa.Column("external_id", sa.Text(), nullable=True))
    op.create_index(op.f("ix_speakers_external_id"), "speakers", ["external_id"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_speakers_external_id"), table_name="speakers")
    op.drop_column("speakers", "external_id")
    op.drop_index(op.f("ix_speaker_links_score"), table_name="speaker_links")
    op.drop_index(op.f("ix_speaker_links_speaker_id"), table_name="speaker_links")
    op.drop_table("speaker_links")
