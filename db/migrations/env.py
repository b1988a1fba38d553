"""Alembic environment for the quotes schema.

``quotes.store.db.upgrade`` passes an open connection in ``config.attributes["connection"]``;
the alembic CLI (``alembic -c db/alembic.ini ...``) gets the database from ``sqlalchemy.url``,
else ``QUOTES_DB``, else the default SQLite file.
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from quotes.store.db import make_engine, resolve_url
from quotes.store.schema import Base, modelled

config = context.config
target_metadata = Base.metadata

if config.config_file_name and config.cmd_opts is not None:  # logging as alembic.ini says, from the CLI only
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    return resolve_url(config.get_main_option("sqlalchemy.url") or os.environ.get("QUOTES_DB"))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
        include_name=modelled,  # the full-text indexes are the migrations' alone
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Print the SQL (``alembic upgrade head --sql``) instead of running it."""
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on the caller's connection, or in one transaction on the configured database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with make_engine(_url()).begin() as connection:
        _run(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
