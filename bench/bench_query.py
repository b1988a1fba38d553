"""Query speed on a store of a million mentions: each command's wall time, start-up included, as a person runs it.

Builds (once, cached: bench/bigdb.py) or reuses the synthetic store, then runs each command
``--runs`` times in a fresh process (``python -m quotes``, output thrown away) and prints the
median wall time, the median CPU time (user + system: what a busy machine does not inflate) and
the rows it printed; then the time of ``quotes.store.query.search(speaker=...)`` alone,
in-process, as the CLI runs it (sqlite3, its SQL and the rows it builds), and of a bare
interpreter start for scale.

    python bench/bench_query.py [--mentions 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time

import bigdb
from quotes.store.query import search
from quotes.store.reader import open_reader

#: Acceptance targets (issue 14): a command's wall time, start-up included; the speaker search's SQL.
TARGET_COMMAND_SECONDS = 0.3
TARGET_SQL_SECONDS = 0.05

COMMANDS = [
    ["search", "--speaker", "kirby"],
    ["search", "--role", "coordinator"],
    ["search", "--text", "bazo vela", "--limit", "50"],
    ["search", "--text", "jomewa", "--sort", "newest", "--limit", "20"],
    ["search", "--text", '"juji cuwupi" vo', "--limit", "20"],
    ["search", "--speaker", "kirby", "--sort", "sources", "--format", "jsonl"],
    ["show", "1"],
    ["speakers"],
    ["speakers", "--limit", "50"],
    ["articles", "--limit", "50"],
    ["outlets"],
    ["sql", "select count(*) from mentions"],
]


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(args: list[str], runs: int) -> tuple[float, float, int]:
    """The median wall and CPU seconds of ``args`` run ``runs`` times in fresh processes, and the lines it printed."""
    times, cpus, lines = [], [], 0
    for _ in range(runs):
        began, cpu = time.perf_counter(), _cpu()
        done = subprocess.run(args, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - began)
        cpus.append(_cpu() - cpu)
        lines = done.stdout.count("\n")
    return statistics.median(times), statistics.median(cpus), lines


def main() -> None:
    """Parse the command line, build or reuse the store, time every command, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000, help="size of the store (default 1M)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command; the median is kept (default 5)")
    args = parser.parse_args()
    db = bigdb.big_store(args.mentions)
    quotes = [sys.executable, "-m", "quotes", "--db", str(db)]
    print(f"{args.mentions} mentions in {db}; median of {args.runs} runs, start-up included: wall s, CPU s")
    bare, bare_cpu, _ = run([sys.executable, "-c", "pass"], args.runs)
    print(f"  {bare:6.3f} {bare_cpu:6.3f}  (python -c pass: the interpreter alone)")
    worst = 0.0
    for command in COMMANDS:
        seconds, cpu, lines = run([*quotes, *command], args.runs)
        worst = max(worst, seconds)
        print(f"  {seconds:6.3f} {cpu:6.3f}  quotes {' '.join(command)}  ({lines} lines)")
    reader = open_reader(str(db))
    search(reader, speaker="kirby")  # warm: the first query reads the pages from disk
    times = []
    for _ in range(args.runs):
        began = time.perf_counter()
        found = search(reader, speaker="kirby")
        times.append(time.perf_counter() - began)
    sql = statistics.median(times)
    print(f"  {sql:6.3f}         search(speaker='kirby') in-process: {len(found)} quotes with "
          f"{sum(len(q['sources']) for q in found)} sources")
    began = time.perf_counter()
    for _ in range(args.runs):
        search(reader, speaker="kirby", limit=100)
    print(f"  {(time.perf_counter() - began) / args.runs:6.3f}         search(speaker='kirby', limit=100) in-process "
          "(the command's default limit)")
    print(f"slowest command {worst:.3f} s (target <= {TARGET_COMMAND_SECONDS} s); "
          f"speaker search {sql * 1000:.0f} ms (target <= {TARGET_SQL_SECONDS * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
