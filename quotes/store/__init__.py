"""The SQL store, one module per job; import what you need so the CLI stays quick to start.

    db        open_db(URL or path) -> Engine, migrated to head (SQLite default, PostgreSQL by URL)
    schema    the tables and views as SQLAlchemy models
    speakers  one person, one speaker across articles; merges and aliases by hand
    clustering  quotes.dedup's placement against the tables; folding quotes together
    write     store_article(engine, article, mentions): speakers, roles, quotes, one transaction
    query     search, speakers, speaker_profile, show_quote, and read-only run_sql

Nothing here imports spaCy or the extraction modules: the store takes Article and Mention
records, whoever made them (quotes.ingest runs extraction and hands them over).
"""
