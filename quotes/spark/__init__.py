"""The scale-out job on Spark (README, "Scaling out: Spark"): the core of quotes.rows and quotes.dedup_rows on a cluster.

quotes.spark.extract turns input files (local, Hadoop URLs, a manifest of WARC files) into a run's
Parquet tables (quotes.tables) with ``mapInArrow``; quotes.spark.dedup adds the quotes table;
quotes.spark.session starts the session both run in. ``quotes spark extract`` and ``quotes spark
dedup`` run them, locally or under ``spark-submit``. Needs the ``spark`` extra and Java 17.
"""
