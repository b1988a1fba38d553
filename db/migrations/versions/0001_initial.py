"""Initial schema: outlets, articles, speakers, aliases, roles, quotes, mentions, view quote_sources.

Revision ID: 0001
Revises:
Create Date: 2025-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUOTE_SOURCES_VIEW = """
CREATE VIEW quote_sources AS
SELECT m.quote_id AS quote_id,
       s.name AS speaker,
       m.role_text AS role,
       q.text AS quote,
       m.text AS mention_text,
       o.name AS outlet,
       COALESCE(a.url, a.path) AS url,
       a.title AS title,
       a.published AS published
FROM mentions m
JOIN quotes q ON q.id = m.quote_id
JOIN articles a ON a.id = m.article_id
LEFT JOIN speakers s ON s.id = m.speaker_id
LEFT JOIN outlets o ON o.id = a.outlet_id
"""


def upgrade() -> None:
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("domain", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outlets"),
        sa.UniqueConstraint("name", name="uq_outlets_name"),
    )
    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_speakers"),
        sa.UniqueConstraint("name_key", "kind", name="uq_speakers_name_key_kind"),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("canonical_url", sa.Text(), nullable=True),
        sa.Column("outlet_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["outlet_id"], ["outlets.id"], name="fk_articles_outlet_id_outlets"),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    )
    op.create_index("ix_articles_outlet_id", "articles", ["outlet_id"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_table(
        "speaker_aliases",
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["speaker_id"], ["speakers.id"], name="fk_speaker_aliases_speaker_id_speakers"),
        sa.PrimaryKeyConstraint("speaker_id", "alias", name="pk_speaker_aliases"),
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("organization", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=False),
        sa.Column("last_seen", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["speaker_id"], ["speakers.id"], name="fk_roles_speaker_id_speakers"),
        sa.PrimaryKeyConstraint("id", name="pk_roles"),
        sa.UniqueConstraint("speaker_id", "title", "organization", name="uq_roles_speaker_id_title_organization"),
    )
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["speaker_id"], ["speakers.id"], name="fk_quotes_speaker_id_speakers"),
        sa.PrimaryKeyConstraint("id", name="pk_quotes"),
    )
    op.create_index("ix_quotes_speaker_id", "quotes", ["speaker_id"])
    op.create_index("ix_quotes_first_seen", "quotes", ["first_seen"])
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("cue", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("role_text", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("organization", sa.Text(), nullable=True),
        sa.Column("speaker_mention", sa.Text(), nullable=True),
        sa.Column("speaker_mention_start", sa.Integer(), nullable=True),
        sa.Column("speaker_mention_end", sa.Integer(), nullable=True),
        sa.Column("group", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_mentions_article_id_articles"),
        sa.ForeignKeyConstraint(["quote_id"], ["quotes.id"], name="fk_mentions_quote_id_quotes"),
        sa.ForeignKeyConstraint(["role_id"], ["roles.id"], name="fk_mentions_role_id_roles"),
        sa.ForeignKeyConstraint(["speaker_id"], ["speakers.id"], name="fk_mentions_speaker_id_speakers"),
        sa.PrimaryKeyConstraint("id", name="pk_mentions"),
        sa.UniqueConstraint("article_id", "start", "end", name="uq_mentions_article_id_start_end"),
    )
    op.create_index("ix_mentions_quote_id", "mentions", ["quote_id"])
    op.create_index("ix_mentions_role_id", "mentions", ["role_id"])
    op.create_index("ix_mentions_speaker_id_quote_id", "mentions", ["speaker_id", "quote_id"])
    op.execute(QUOTE_SOURCES_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW quote_sources")
    for table in ("mentions", "quotes", "roles", "speaker_aliases", "articles", "speakers", "outlets"):
        op.drop_table(table)
