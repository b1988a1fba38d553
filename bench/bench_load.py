"""Loading a scale-out run: articles/s of ``quotes load`` against a serial ``store_article``, in the same run.

The first ``--limit`` articles are extracted once into a run's Parquet tables (quotes.tables.write,
cached in $QUOTES_BENCH_DIR, default /tmp/quotes-bench). Then, into empty databases: each
article stored by ``store_article`` in ingest order, a transaction each, by this revision and by
the revision the target was set against (``--baseline``, the serial writer when the scale-out
was asked for: its source taken from git and run in a process of its own, bench/serial_at.py);
the run loaded by ``quotes.load.load``; then the same run loaded again (every article already
present). SQLite always; PostgreSQL too with ``--pg URL``, a scratch database the bench empties
(``DROP SCHEMA public CASCADE``) before each measurement.

    python bench/bench_load.py [ARTICLES.jsonl] [--limit 200] [--pg postgresql+psycopg://...] [--baseline REV]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import itertools
import json
import os
import subprocess
import sys
import sysconfig
import tarfile
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

BENCH = Path(__file__).resolve().parent
DEFAULT_ARTICLES = BENCH.parents[1] / "shared" / "eval" / "polnear-train.jsonl"
#: Acceptance target (issue 15): the load at least this many times the serial writer's articles/s ...
TARGET = 10.0
#: ... the serial writer of the head the target was set on (about 160 ms of client CPU an article then).
BASELINE = "59f0ad97d1115cdd6c2d314368b158f532fd3baa"


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


def source_of(revision: str, scratch: Path) -> Path | None:
    """The package source of ``revision`` of this checkout, unpacked under ``scratch``; None without git history."""
    try:
        done = subprocess.run(["git", "-C", str(BENCH.parent), "archive", "--format=tar", revision],
                              capture_output=True)
    except OSError as exc:
        print(f"serial writer at {revision[:10]}: not measured (no git: {exc})")
        return None
    if done.returncode:
        print(f"serial writer at {revision[:10]}: not measured ({done.stderr.decode(errors='replace').strip()})")
        return None
    tree = scratch / f"quotes-{revision[:10]}"
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        # the data filter (Python 3.11.4 and later) refuses links and paths out of the tree
        tar.extractall(tree, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    return tree


def timed_at(tree: Path, pairs: list, url: str, scratch: Path) -> tuple[float, float] | None:
    """Wall and CPU seconds of the serial writer of the source ``tree``, storing ``pairs`` into ``url``
    (bench/serial_at.py in a process of its own, that tree's package first on its path); None, said
    why, when it fails. Without site (-S) the installed package is not imported, nor anything else a
    .pth file would add."""
    articles = scratch / "articles.jsonl"
    with articles.open("w", encoding="utf-8") as out:
        for article, mentions, _ in pairs:
            row = {"article": {**dataclasses.asdict(article), "published": article.published and article.published.isoformat()},
                   "mentions": [dataclasses.asdict(m) for m in mentions]}
            out.write(json.dumps(row) + "\n")
    paths = dict.fromkeys([str(tree), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    done = subprocess.run([sys.executable, "-S", str(BENCH / "serial_at.py"), url, str(articles)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)})
    lines = done.stdout.splitlines()
    if done.returncode or not lines:
        print(f"serial writer of {tree.name}: not measured (it failed: {done.stderr.strip()[-2000:]})")
        return None
    seconds = json.loads(lines[-1])
    return seconds["wall"], seconds["cpu"]


def timed(action) -> tuple[float, float]:
    """Wall and CPU seconds of ``action()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(run: Path, url: str | None, scratch: Path, baseline: str, old: Path | None) -> None:
    """Print the serial writers', the load's and the reload's rates into one kind of database, and the ratios."""
    pairs = [(article, found.mentions, found.extractor) for article, found in loaded(run)]
    label = "PostgreSQL" if url else "SQLite"
    here, then = "store_article, a transaction each", f"store_article at {baseline[:10]}"

    serial = open_db(empty(url, scratch, "serial"))
    rates = {here: timed(lambda: [store_article(serial, a, m, extractor=e) for a, m, e in pairs])}
    serial.dispose()
    baseline_seconds = timed_at(old, pairs, empty(url, scratch, "baseline"), scratch) if old is not None else None
    if baseline_seconds is not None:
        rates[then] = baseline_seconds
    loading = open_db(empty(url, scratch, "load"))
    rates["quotes load"] = timed(lambda: load(loading, run))
    rates["quotes load again (all present)"] = timed(lambda: load(loading, run))
    loading.dispose()
    base = len(pairs) / rates[here][0]
    for what, (wall, cpu) in rates.items():
        rate = len(pairs) / wall
        print(f"{label:10} {what:36} {1000 * wall / len(pairs):7.1f} ms/article wall "
              f"{1000 * cpu / len(pairs):6.1f} ms CPU  {rate:8.0f} articles/s  {rate / base:5.2f}x")
    loaded_rate = len(pairs) / rates["quotes load"][0]
    print(f"{label:10} load / serial writer of this revision: {loaded_rate / base:.2f}x")
    if then in rates:
        ratio = loaded_rate * rates[then][0] / len(pairs)
        print(f"{label:10} load / serial writer at {baseline[:10]}: {ratio:.2f}x "
              f"(target {TARGET:.0f}x: {'met' if ratio >= TARGET else 'missed'})")
    else:
        print(f"{label:10} target {TARGET:.0f}x: not evaluated (the serial writer at {baseline[:10]} was not measured)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--pg", help="a scratch PostgreSQL database URL (emptied!) to measure on as well")
    parser.add_argument("--baseline", default=BASELINE, help="the revision whose serial writer the target is set against")
    args = parser.parse_args()
    run = run_of(args.articles, args.limit)
    with tempfile.TemporaryDirectory() as scratch:
        old = source_of(args.baseline, Path(scratch))
        measure(run, None, Path(scratch), args.baseline, old)
        if args.pg:
            measure(run, args.pg, Path(scratch), args.baseline, old)


if __name__ == "__main__":
    main()
