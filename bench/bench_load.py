"""Loading a scale-out run: articles/s of ``quotes load`` against a serial ``store_article``, in the same run.

The first ``--limit`` articles are extracted once into a run's Parquet tables (quotes.tables.write,
cached in $QUOTES_BENCH_DIR, default /tmp/quotes-bench). Then, into empty databases: each
article stored by ``store_article`` in ingest order, a transaction each (the serial writer the
target is set against), and the run loaded by ``quotes.load.load``; then the same run loaded again
(every article already present). SQLite always; PostgreSQL too with ``--pg URL``, a scratch
database the bench empties (``DROP SCHEMA public CASCADE``) before each measurement.

    python bench/bench_load.py [ARTICLES.jsonl] [--limit 200] [--pg postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import itertools
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from quotes.load import load, loaded
from quotes.read import read_paths
from quotes.rows import extracted
from quotes.store.db import make_engine, open_db
from quotes.store.write import store_article
from quotes.tables import write

DEFAULT_ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear-train.jsonl"
#: Acceptance target (issue 15): the load at least this many times the serial writer's articles/s.
TARGET = 10.0


def run_of(path: Path, limit: int) -> Path:
    """The cached run of the first ``limit`` articles of ``path``, extracted on every core once."""
    directory = Path(os.environ.get("QUOTES_BENCH_DIR", "/tmp/quotes-bench")) / f"run-{path.stem}-{limit}"
    if not (directory / "errors").is_dir():
        started = time.perf_counter()
        counts = write(extracted(itertools.islice(read_paths([str(path)]), limit)), directory)
        print(f"extracted {counts['articles']} articles, {counts['mentions']} mentions "
              f"in {time.perf_counter() - started:.1f} s into {directory}")
    return directory


def empty(url: str | None, scratch: Path, name: str) -> str:
    """The URL of an empty database: a new SQLite file, or the PostgreSQL scratch database emptied."""
    if url is None:
        return f"sqlite:///{scratch / name}.sqlite"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def timed(action) -> tuple[float, float]:
    """Wall and CPU seconds of ``action()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(run: Path, url: str | None, scratch: Path) -> None:
    """Print the serial writer's, the load's and the reload's rates into one kind of database, and the ratio."""
    pairs = [(article, found.mentions, found.extractor) for article, found in loaded(run)]
    label = "PostgreSQL" if url else "SQLite"

    serial = open_db(empty(url, scratch, "serial"))
    wall, cpu = timed(lambda: [store_article(serial, a, m, extractor=e) for a, m, e in pairs])
    serial.dispose()
    rates = {"store_article, a transaction each": (wall, cpu)}
    loading = open_db(empty(url, scratch, "load"))
    rates["quotes load"] = timed(lambda: load(loading, run))
    rates["quotes load again (all present)"] = timed(lambda: load(loading, run))
    loading.dispose()
    base = len(pairs) / rates["store_article, a transaction each"][0]
    for what, (wall, cpu) in rates.items():
        rate = len(pairs) / wall
        print(f"{label:10} {what:36} {1000 * wall / len(pairs):7.1f} ms/article wall "
              f"{1000 * cpu / len(pairs):6.1f} ms CPU  {rate:8.0f} articles/s  {rate / base:5.2f}x")
    ratio = len(pairs) / rates["quotes load"][0] / base
    print(f"{label:10} load / serial writer: {ratio:.2f}x (target {TARGET:.0f}x: {'met' if ratio >= TARGET else 'missed'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--pg", help="a scratch PostgreSQL database URL (emptied!) to measure on as well")
    args = parser.parse_args()
    run = run_of(args.articles, args.limit)
    with tempfile.TemporaryDirectory() as scratch:
        measure(run, None, Path(scratch))
        if args.pg:
            measure(run, args.pg, Path(scratch))


if __name__ == "__main__":
    main()
