"""Search by index: full-text indexes over quote text, speaker names and aliases, and roles; a
maintained quote count per speaker.

SQLite gets FTS5 tables kept in step by triggers, so every write path (ingest, merges, renames,
``articles remove``) keeps them right without knowing they exist: ``quote_search`` (the quotes'
text, external content), ``role_search`` (roles' title and organisation, external content) and
``speaker_search`` (one row per speaker, rowid the speaker's id, holding its name and every alias).
PostgreSQL gets GIN indexes on ``to_tsvector('simple', ...)`` of the same columns, which the
queries in quotes.store.textsearch match expression for expression. ``speakers.quote_count``
is kept by triggers on ``quotes`` on both, so listing speakers by quotes reads an index, not
every quote. A speaker's quotes and an outlet's articles are indexed by date, and a role's
mentions with their quotes, replacing the indexes on the speaker, the outlet and the role alone. Existing rows are indexed and counted here.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tokenizer of every SQLite full-text index: Unicode words, case and accents folded.
TOKENIZE = "unicode61 remove_diacritics 2"


#: FTS5 merges its index segments as it goes; ingest writes one per article (a savepoint flushes it), and
#: the default eagerness (4) cost ~1 ms of CPU a quote at 1M mentions, against ~0.1 ms at 16 (the most
#: segments FTS5 lets gather before merging them), with no slower matching.
_MERGE_LESS = "INSERT INTO {table} ({table}, rank) VALUES ('automerge', 16)"


def _speaker_names(speaker: str) -> str:
    """SQL replacing the speaker_search row of speaker ``speaker`` (an SQL expression) by its current names."""
    return f"""
    DELETE FROM speaker_search WHERE rowid = {speaker};
    INSERT INTO speaker_search (rowid, names)
    SELECT s.id, s.name || char(10) || coalesce(
        (SELECT group_concat(a.alias, char(10)) FROM speaker_aliases a WHERE a.speaker_id = s.id), '')
    FROM speakers s WHERE s.id = {speaker};"""


def _external_content(table: str, source: str, columns: list[str], when: str) -> list[str]:
    """An FTS5 index ``table`` over ``columns`` of ``source`` (rowid its id) and the triggers keeping it in step."""
    names, new, old = ", ".join(columns), ", ".join(f"NEW.{c}" for c in columns), ", ".join(f"OLD.{c}" for c in columns)
    delete = f"INSERT INTO {table} ({table}, rowid, {names}) VALUES ('delete', OLD.id, {old});"
    insert = f"INSERT INTO {table} (rowid, {names}) VALUES (NEW.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5({names}, content='{source}', content_rowid='id', "
        f"tokenize='{TOKENIZE}')",
        f"INSERT INTO {table} ({table}) VALUES ('rebuild')",
        _MERGE_LESS.format(table=table),
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON {source} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON {source} BEGIN {delete} END",
        f"CREATE TRIGGER {table}_update AFTER UPDATE OF {when} ON {source} BEGIN {delete} {insert} END",
    ]


SQLITE_UP = [
    *_external_content("quote_search", "quotes", ["text"], "text"),
    *_external_content("role_search", "roles", ["title", "organization"], "title, organization"),
    f"CREATE VIRTUAL TABLE speaker_search USING fts5(names, tokenize='{TOKENIZE}')",
    _MERGE_LESS.format(table="speaker_search"),
    """INSERT INTO speaker_search (rowid, names)
       SELECT s.id, s.name || char(10) || coalesce(group_concat(a.alias, char(10)), '')
       FROM speakers s LEFT JOIN speaker_aliases a ON a.speaker_id = s.id GROUP BY s.id, s.name""",
    f"CREATE TRIGGER speaker_search_insert AFTER INSERT ON speakers BEGIN {_speaker_names('NEW.id')} END",
    f"CREATE TRIGGER speaker_search_rename AFTER UPDATE OF name ON speakers BEGIN {_speaker_names('NEW.id')} END",
    "CREATE TRIGGER speaker_search_delete AFTER DELETE ON speakers BEGIN "
    "DELETE FROM speaker_search WHERE rowid = OLD.id; END",
    f"CREATE TRIGGER speaker_search_alias_insert AFTER INSERT ON speaker_aliases BEGIN "
    f"{_speaker_names('NEW.speaker_id')} END",
    f"CREATE TRIGGER speaker_search_alias_delete AFTER DELETE ON speaker_aliases BEGIN "
    f"{_speaker_names('OLD.speaker_id')} END",
    f"CREATE TRIGGER speaker_search_alias_update AFTER UPDATE OF alias, speaker_id ON speaker_aliases BEGIN "
    f"{_speaker_names('OLD.speaker_id')} {_speaker_names('NEW.speaker_id')} END",
    "CREATE TRIGGER quotes_count_insert AFTER INSERT ON quotes WHEN NEW.speaker_id IS NOT NULL BEGIN "
    "UPDATE speakers SET quote_count = quote_count + 1 WHERE id = NEW.speaker_id; END",
    "CREATE TRIGGER quotes_count_delete AFTER DELETE ON quotes WHEN OLD.speaker_id IS NOT NULL BEGIN "
    "UPDATE speakers SET quote_count = quote_count - 1 WHERE id = OLD.speaker_id; END",
    "CREATE TRIGGER quotes_count_update AFTER UPDATE OF speaker_id ON quotes "
    "WHEN OLD.speaker_id IS NOT NEW.speaker_id BEGIN "
    "UPDATE speakers SET quote_count = quote_count - 1 WHERE id = OLD.speaker_id; "
    "UPDATE speakers SET quote_count = quote_count + 1 WHERE id = NEW.speaker_id; END",
]
SQLITE_DOWN = [
    *(f"DROP TRIGGER {name}" for name in (
        "quotes_count_insert", "quotes_count_delete", "quotes_count_update",
        "speaker_search_insert", "speaker_search_rename", "speaker_search_delete", "speaker_search_alias_insert",
        "speaker_search_alias_delete", "speaker_search_alias_update",
        *(f"{table}_{event}" for table in ("quote_search", "role_search") for event in ("insert", "delete", "update")))),
    "DROP TABLE speaker_search", "DROP TABLE role_search", "DROP TABLE quote_search",
]

#: PostgreSQL: the expressions quotes.store.textsearch matches, GIN-indexed, and the quote count trigger.
PG_INDEXES = {
    "ix_quotes_text_search": ("quotes", "text"),
    "ix_speakers_name_search": ("speakers", "name"),
    "ix_speaker_aliases_alias_search": ("speaker_aliases", "alias"),
    "ix_roles_search": ("roles", "title || ' ' || organization"),
}
PG_UP = [
    *(f"CREATE INDEX {name} ON {table} USING gin (to_tsvector('simple', {expression}))"
      for name, (table, expression) in PG_INDEXES.items()),
    """CREATE FUNCTION quotes_count_speaker() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.speaker_id IS NOT NULL THEN
        UPDATE speakers SET quote_count = quote_count - 1 WHERE id = OLD.speaker_id;
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.speaker_id IS NOT NULL THEN
        UPDATE speakers SET quote_count = quote_count + 1 WHERE id = NEW.speaker_id;
      END IF;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER quotes_count_speaker AFTER INSERT OR DELETE OR UPDATE OF speaker_id ON quotes "
    "FOR EACH ROW EXECUTE FUNCTION quotes_count_speaker()",
]
PG_DOWN = [
    "DROP TRIGGER quotes_count_speaker ON quotes", "DROP FUNCTION quotes_count_speaker()",
    *(f"DROP INDEX {name}" for name in PG_INDEXES),
]


#: Single-column indexes widened by a second column: (table, column, second column).
WIDENED = (("quotes", "speaker_id", "first_seen"), ("articles", "outlet_id", "published"),
           ("mentions", "role_id", "quote_id"))


def upgrade() -> None:
    # a plain ADD COLUMN: batch mode would copy the table, which the views over speakers do not survive on SQLite
    op.add_column("speakers", sa.Column("quote_count", sa.Integer(), server_default="0", nullable=False))
    op.execute("UPDATE speakers SET quote_count = (SELECT count(*) FROM quotes WHERE quotes.speaker_id = speakers.id)")
    op.create_index(op.f("ix_speakers_quote_count"), "speakers", ["quote_count"])
    for table, column, by in WIDENED:
        op.create_index(op.f(f"ix_{table}_{column}_{by}"), table, [column, by])
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    for statement in SQLITE_UP if op.get_context().dialect.name == "sqlite" else PG_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in SQLITE_DOWN if op.get_context().dialect.name == "sqlite" else PG_DOWN:
        op.execute(statement)
    for table, column, by in WIDENED:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
        op.drop_index(op.f(f"ix_{table}_{column}_{by}"), table_name=table)
    op.drop_index(op.f("ix_speakers_quote_count"), table_name="speakers")
    op.drop_column("speakers", "quote_count")
