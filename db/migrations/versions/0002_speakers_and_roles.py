"""Speakers and roles: acronyms table, name keys on speakers, alias keys and origins, roles by title family.

Existing rows are brought along: speakers get their given-name and surname keys, aliases
their look-up key and the origin ``seen``, and role titles become title families
("spokeswoman" -> "spokesperson"), roles that thereby coincide being folded into the oldest.
The acronyms table starts empty: article texts are not stored, so it fills as articles are
ingested. Downgrading drops the additions but cannot restore the titles as printed (every
mention still has them).

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# The data steps use the application's own rules, so stored keys are what ingest would write.
from quotes.names import name_key, split_name, title_family

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

speakers = sa.table("speakers", sa.column("id"), sa.column("name"), sa.column("kind"),
                    sa.column("given_key"), sa.column("surname_key"))
aliases = sa.table("speaker_aliases", sa.column("speaker_id"), sa.column("alias"),
                   sa.column("alias_key"), sa.column("origin"))
roles = sa.table("roles", sa.column("id"), sa.column("speaker_id"), sa.column("title"),
                 sa.column("organization"), sa.column("first_seen"), sa.column("last_seen"))
mentions = sa.table("mentions", sa.column("role_id"))


def _fill_speaker_keys(conn: sa.Connection) -> None:
    for speaker_id, name in conn.execute(sa.select(speakers.c.id, speakers.c.name).where(speakers.c.kind == "person")):
        given, surname = split_name(name)
        conn.execute(speakers.update().where(speakers.c.id == speaker_id)
                     .values(given_key=given, surname_key=surname))


def _fill_alias_keys(conn: sa.Connection) -> None:
    for speaker_id, alias in conn.execute(sa.select(aliases.c.speaker_id, aliases.c.alias)):
        conn.execute(aliases.update().where(aliases.c.speaker_id == speaker_id, aliases.c.alias == alias)
                     .values(alias_key=name_key(alias), origin="seen"))


def _titles_to_families(conn: sa.Connection) -> None:
    """Rename each role's title to its family, folding a role into an older one it now duplicates."""
    kept: dict[tuple, tuple] = {}  # (speaker, family, organisation) -> (id, first_seen, last_seen)
    rows = conn.execute(sa.select(roles).order_by(roles.c.id)).all()
    for role in rows:
        key = (role.speaker_id, title_family(role.title), role.organization)
        if key not in kept:
            kept[key] = (role.id, role.first_seen, role.last_seen)
            continue
        target, first_seen, last_seen = kept[key]
        kept[key] = (target, min(first_seen, role.first_seen), max(last_seen, role.last_seen))
        conn.execute(mentions.update().where(mentions.c.role_id == role.id).values(role_id=target))
        conn.execute(roles.delete().where(roles.c.id == role.id))
    for (_, family, _), (role_id, first_seen, last_seen) in kept.items():
        conn.execute(roles.update().where(roles.c.id == role_id)
                     .values(title=family, first_seen=first_seen, last_seen=last_seen))


def upgrade() -> None:
    conn = op.get_bind()
    op.create_table(
        "acronyms",
        sa.Column("acronym", sa.Text(), nullable=False),
        sa.Column("expansion", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("acronym", "expansion", name="pk_acronyms"),
    )
    op.add_column("speakers", sa.Column("given_key", sa.Text(), nullable=True))
    op.add_column("speakers", sa.Column("surname_key", sa.Text(), nullable=True))
    op.create_index("ix_speakers_given_key", "speakers", ["given_key"])
    op.create_index("ix_speakers_surname_key", "speakers", ["surname_key"])
    _fill_speaker_keys(conn)
    op.add_column("speaker_aliases", sa.Column("alias_key", sa.Text(), nullable=True))
    op.add_column("speaker_aliases", sa.Column("origin", sa.String(10), nullable=True))
    _fill_alias_keys(conn)
    with op.batch_alter_table("speaker_aliases") as batch:  # speaker_aliases is no foreign key's target
        batch.alter_column("alias_key", existing_type=sa.Text(), nullable=False)
        batch.alter_column("origin", existing_type=sa.String(10), nullable=False)
    op.create_index("ix_speaker_aliases_alias_key", "speaker_aliases", ["alias_key"])
    _titles_to_families(conn)


def downgrade() -> None:
    op.drop_index("ix_speaker_aliases_alias_key", "speaker_aliases")
    with op.batch_alter_table("speaker_aliases") as batch:
        batch.drop_column("origin")
        batch.drop_column("alias_key")
    op.drop_index("ix_speakers_surname_key", "speakers")
    op.drop_index("ix_speakers_given_key", "speakers")
    op.drop_column("speakers", "surname_key")
    op.drop_column("speakers", "given_key")
    op.drop_table("acronyms")
