"""The SQL store, one module per job; import what you need so the CLI stays quick to start.

    db      open_db(URL or path) -> Engine, migrated to head (SQLite default, PostgreSQL by URL)
    schema  the tables and the ``quote_sources`` view as SQLAlchemy models
    ingest  ingest(engine, articles) -> IngestResult: extract, deduplicate, store, idempotently
    query   search, speakers, speaker_profile, show_quote, and read-only run_sql
"""
