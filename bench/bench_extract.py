"""Extraction throughput: our extractor against the spaCy + textacy baseline.

Fair by construction: the same articles, one process, one core (BLAS threads limited to one and
the process pinned to one CPU), both models loaded and warmed up before any clock starts, and
only extraction timed (quotes.evaluate.run_system). With --rounds N the two systems alternate
N times and each keeps its best time, which damps noise from other work on the machine.

    python bench/bench_extract.py [ARTICLES.jsonl] [--limit 200] [--rounds 1]

ARTICLES.jsonl is gold data (../shared/eval/polnear-train.jsonl by default) or any JSONL with
``id`` and ``text`` per line; quality figures are printed too but only mean something on gold.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from quotes.evaluate import Scores, format_scores, load_gold, load_textacy_nlp, run_system  # noqa: E402
from quotes.extract import load_nlp  # noqa: E402

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear-train.jsonl"


def pin_to_one_cpu() -> None:
    """Run on a single CPU where the OS allows it (Linux)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def bench(path: Path, limit: int, rounds: int) -> dict[str, Scores]:
    """Each system's best run over the first ``limit`` articles of ``path`` in ``rounds`` rounds."""
    articles = load_gold(path)[:limit]
    pipelines = {"quotes": load_nlp(), "textacy": load_textacy_nlp()}
    best: dict[str, Scores] = {}
    for round_ in range(rounds):
        order = list(pipelines) if round_ % 2 == 0 else list(reversed(pipelines))
        for name in order:
            scores, _ = run_system(name, articles, nlp=pipelines[name])
            print(f"round {round_ + 1} {name}: {scores.seconds:.1f} s, {scores.words_per_second:.0f} words/s",
                  file=sys.stderr)
            if name not in best or scores.seconds < best[name].seconds:
                best[name] = scores
    return {name: best[name] for name in pipelines}


def main() -> None:
    """Parse the command line, run the benchmark, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=Path, default=DEFAULT_GOLD,
                        help=f"JSONL articles or gold data (default {DEFAULT_GOLD})")
    parser.add_argument("--limit", type=int, default=200, help="first N articles (default 200)")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the systems N times, keep the best")
    args = parser.parse_args()
    if not args.articles.exists():
        parser.exit(2, f"error: {args.articles} not found; give a JSONL file of articles\n")
    pin_to_one_cpu()
    results = bench(args.articles, args.limit, args.rounds)
    print(f"{results['quotes'].articles} articles, {results['quotes'].words} words, one core")
    print(format_scores(results))


if __name__ == "__main__":
    main()
