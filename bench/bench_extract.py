"""Extraction throughput and quality: ours on every core, ours in one process, and the spaCy + textacy baseline.

Each system runs as its users run it: ours as ``quotes extract`` does by default (every core this
process may use), the baseline in one process, as textacy's users run it; ours in one process is
there to show what the cores add. The same articles for all, both models loaded and warmed up
before any clock starts, and only extraction timed (quotes.evaluate.run_system). With --rounds N
the systems take turns N times and each keeps its best time, which damps noise from other work
on the machine.

    python bench/bench_extract.py [ARTICLES.jsonl] [--limit 200] [--rounds 1] [--jobs N]

ARTICLES.jsonl is gold data (../shared/eval/polnear-train.jsonl by default) or any JSONL with
``id`` and ``text`` per line; quality figures are printed too but only mean something on gold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quotes.evaluate import Scores, format_scores, load_gold, load_textacy_nlp, run_system
from quotes.extract import load_nlp
from quotes.extract.parallel import available_cores

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear-train.jsonl"


def bench(path: Path, limit: int, rounds: int, jobs: int) -> dict[str, Scores]:
    """Each system's best run over the first ``limit`` articles of ``path`` in ``rounds`` rounds."""
    articles = load_gold(path)[:limit]
    ours, baseline = load_nlp(), load_textacy_nlp()
    systems = {  # column name: (system, pipeline, processes)
        f"quotes ({jobs} processes)": ("quotes", ours, jobs),
        "quotes (1 process)": ("quotes", ours, 1),
        "textacy": ("textacy", baseline, 1),
    }
    best: dict[str, Scores] = {}
    for round_ in range(rounds):
        order = list(systems) if round_ % 2 == 0 else list(reversed(systems))
        for column in order:
            name, nlp, processes = systems[column]
            scores, _ = run_system(name, articles, nlp=nlp, jobs=processes)
            print(f"round {round_ + 1} {column}: {scores.seconds:.1f} s, {scores.words_per_second:.0f} words/s",
                  file=sys.stderr)
            if column not in best or scores.seconds < best[column].seconds:
                best[column] = scores
    return {column: best[column] for column in systems}


def main() -> None:
    """Parse the command line, run the benchmark, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=Path, default=DEFAULT_GOLD,
                        help=f"JSONL articles or gold data (default {DEFAULT_GOLD})")
    parser.add_argument("--limit", type=int, default=200, help="first N articles (default 200)")
    parser.add_argument("--rounds", type=int, default=1, help="let the systems take turns N times, keep each one's best")
    parser.add_argument("--jobs", type=int, default=available_cores(),
                        help="processes for ours on every core (default: the cores this process may use)")
    args = parser.parse_args()
    if not args.articles.exists():
        parser.exit(2, f"error: {args.articles} not found; give a JSONL file of articles\n")
    results = bench(args.articles, args.limit, args.rounds, args.jobs)
    first = next(iter(results.values()))
    print(f"{first.articles} articles, {first.words} words, {available_cores()} cores")
    print(format_scores(results))
    many, one = results[f"quotes ({args.jobs} processes)"], results["quotes (1 process)"]
    if one.words_per_second:
        print(f"quotes on {args.jobs} processes: {many.words_per_second / one.words_per_second:.2f}x one process")


if __name__ == "__main__":
    main()
