"""Look-ups by index that storing an article makes: roles by organisation, outlets by name, case ignored.

When an article first defines an acronym ("the National Security Council (NSC)"), ingest renames
the roles whose organisation is that acronym (quotes.store.speakers.spell_out); and it finds the
article's outlet by its name whatever the case. Without these indexes both look-ups read the
whole table, so storing an article cost more the more the store held.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_roles_organization"), "roles", ["organization"])
    op.create_index("ix_outlets_lower_name", "outlets", [sa.text("lower(name)")])


def downgrade() -> None:
    op.drop_index("ix_outlets_lower_name", table_name="outlets")
    op.drop_index(op.f("ix_roles_organization"), table_name="roles")
