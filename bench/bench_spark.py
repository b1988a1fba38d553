"""The Spark job against one process: words per CPU-second, and the job's fixed start-up cost.

In one run, on the first ``--limit`` articles of a JSONL file (by default PolNeAR's training
set in ../shared/eval, read from there and copied only to a temporary directory, split into
``--files`` JSONL files so the job has that many tasks):

1. one process: ``extract_many(jobs=1)``, the pipeline loaded beforehand; its ``time.process_time()``;
2. the fixed cost of a Spark run: the session's start (the JVM) and a tiny job (one short article
   extracted, which also starts the Python workers and loads their pipeline);
3. the Spark job (``quotes.spark.extract.extract``, ``local[--cores]``) on the same articles: its
   wall time, the Python workers' CPU (measured inside mapInArrow and summed by an accumulator,
   pipeline loading apart), and the JVM's own CPU (/proc, local mode: the JVM is this run's child);
   then the dedup job's wall time.

    python bench/bench_spark.py [ARTICLES.jsonl] [--limit 100] [--files 4] [--cores 2]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from quotes.article import Article
from quotes.extract import extract_many, load_nlp
from quotes.read import read_paths
from quotes.spark.dedup import dedup
from quotes.spark.extract import extract
from quotes.spark.session import start

DEFAULT_ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear-train.jsonl"


def first_articles(path: Path, limit: int) -> list[Article]:
    """The first ``limit`` articles of the file (unreadable lines skipped)."""
    found = []
    for item in read_paths([str(path)]):
        if isinstance(item, Article):
            found.append(item)
            if len(found) == limit:
                break
    return found


def write_jsonl(articles: list[Article], folder: Path, files: int) -> list[str]:
    """The articles as ``files`` JSONL files in ``folder``, dealt out in turn; their paths."""
    paths = [folder / f"part-{n}.jsonl" for n in range(files)]
    lines: list[list[str]] = [[] for _ in paths]
    for n, article in enumerate(articles):
        lines[n % files].append(json.dumps({"id": article.id, "text": article.text, "url": article.url,
                                            "outlet": article.outlet, "title": article.title,
                                            "published": article.published and article.published.isoformat()}))
    for path, chunk in zip(paths, lines):
        path.write_text("".join(line + "\n" for line in chunk))
    return [str(path) for path in paths]


def jvm_cpu_seconds(spark) -> float:
    """The CPU time of the JVM's own threads so far (local mode: the JVM is a process of this machine)."""
    pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--files", type=int, default=4, help="JSONL files the articles are split into (tasks)")
    parser.add_argument("--cores", type=int, default=2, help="local[N] of the Spark job")
    args = parser.parse_args()

    articles = first_articles(args.articles, args.limit)
    words = sum(len(article.text.split()) for article in articles)
    nlp = load_nlp()
    cpu = time.process_time()
    mentions = sum(len(found) for _, found in extract_many(articles, nlp=nlp, jobs=1))
    one_process = time.process_time() - cpu

    with tempfile.TemporaryDirectory(prefix="quotes-bench-spark-") as tmp:
        folder = Path(tmp)
        inputs = write_jsonl(articles, folder, args.files)
        (folder / "tiny").mkdir()
        tiny = write_jsonl(articles[:1], folder / "tiny", 1)
        began = time.perf_counter()
        spark = start(f"local[{args.cores}]", {"spark.sql.shuffle.partitions": str(args.files)})
        session = time.perf_counter() - began
        spark.sparkContext.setLogLevel("ERROR")
        began = time.perf_counter()
        extract(spark, tiny, str(folder / "tiny-out"))
        tiny_job = time.perf_counter() - began

        jvm = jvm_cpu_seconds(spark)
        counts = extract(spark, inputs, str(folder / "out"), partitions=args.files)
        jvm = jvm_cpu_seconds(spark) - jvm
        began = time.perf_counter()
        deduped = dedup(spark, str(folder / "out"))
        dedup_wall = time.perf_counter() - began
        spark.stop()

    workers = counts["cpu_seconds"] - counts["load_seconds"]
    print(json.dumps({
        "articles": len(articles), "words": words, "mentions": {"one process": mentions, "spark": counts["mentions"]},
        "one process": {"cpu_seconds": round(one_process, 2), "words_per_cpu_second": round(words / one_process)},
        "spark": {
            "master": f"local[{args.cores}]", "tasks": args.files, "wall_seconds": round(counts["seconds"], 2),
            "worker_cpu_seconds": round(workers, 2), "worker_load_cpu_seconds": round(counts["load_seconds"], 2),
            "jvm_cpu_seconds": round(jvm, 2),
            "words_per_worker_cpu_second": round(words / workers),
            "words_per_cpu_second_workers_and_jvm": round(words / (counts["cpu_seconds"] + jvm)),
            "dedup_wall_seconds": round(dedup_wall, 2), "quotes": deduped["quotes"],
        },
        "fixed_cost": {"session_start_seconds": round(session, 2), "tiny_job_seconds": round(tiny_job, 2),
                       "total_seconds": round(session + tiny_job, 2)},
    }, indent=2))


if __name__ == "__main__":
    main()
