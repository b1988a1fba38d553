"""Deduplication at scale: cluster synthetic mention sets of 100k and 1M with the code ingest uses.

Each size runs in a fresh process, so its peak memory (``ru_maxrss``) is its own. The mentions
are generated first (not timed), then placed one by one, in publication order, through
``quotes.dedup.MemoryIndex`` (``quotes.dedup.place``, the same rule, fingerprints and candidate
search ingest runs against its tables). Printed per size: seconds, mentions per second, peak
memory of the process and what clustering added to it, and how well the clusters match the
generated truth; then the growth ratio of the time.

The synthetic news: a Zipf-distributed vocabulary; speakers with a Zipf-skewed share of the
quotes (the busiest says about a tenth of everything, like a daily briefing spokesperson);
quotes of 8 to 80 words, some opening with a stock opening ("we will not accept ...") shared
with other quotes of the same speaker, some being a stock phrase many speakers say; each quote
carried by 1 + geometric outlets (mean about 3.5, a few carried by 40), each printing it with
other capitals, punctuation and quotation marks (62%), an edited word (14%), one word more or
less (4%), an excerpt of at least 6 words (14%), or split around "he said" (6%).

    python bench/bench_dedup.py [--sizes 100000 1000000] [--seed 5]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import string
import subprocess
import sys
import time
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass

from quotes.dedup import MemoryIndex
from quotes.mention import unit_text

#: Acceptance targets (issue 5): at 1M mentions, and the growth from 100k to 1M.
TARGET_SECONDS = 60.0
TARGET_PEAK_MIB = 2048.0
TARGET_GROWTH = 12.0

VOCABULARY = 30_000
MENTIONS_PER_SPEAKER = 40  # speakers = mentions / this
STOCK_PHRASES = 200
STOCK_OPENINGS = 100


@dataclass
class Mentions:
    """Generated mentions in publication order: speaker, printed text and the true quote of each."""

    speakers: array
    texts: list[str]
    truth: array


def _surface(rng: random.Random, words: list[str]) -> str:
    """The words as one outlet prints them: capitals, commas, a final mark, curly or straight apostrophes."""
    out = [w.capitalize() if i == 0 or rng.random() < 0.03 else w for i, w in enumerate(words)]
    if len(out) > 8 and rng.random() < 0.5:
        out[rng.randrange(2, len(out) - 2)] += ","
    text = " ".join(out) + rng.choice(("", ".", ",", "!", "."))
    return text.replace("'", "\u2019") if rng.random() < 0.5 else text


def _variant(rng: random.Random, words: list[str], vocabulary: list[str]) -> str:
    """One outlet's printing of a quote: mostly the same words, else an edit, an excerpt or split pieces."""
    n, roll = len(words), rng.random()
    if roll < 0.14 and n >= 14:  # one edited word with identical words around it
        edited = list(words)
        edited[rng.randrange(6, n - 1)] = rng.choice(vocabulary)
        return _surface(rng, edited)
    if roll < 0.18 and n >= 14:  # one word more or less
        edited = list(words)
        position = rng.randrange(6, n - 6)
        if rng.random() < 0.5:
            del edited[position]
        else:
            edited.insert(position, rng.choice(vocabulary))
        return _surface(rng, edited)
    if roll < 0.32 and n >= 10:  # an excerpt
        length = rng.randrange(6, n)
        start = rng.randrange(0, n - length + 1)
        return _surface(rng, words[start:start + length])
    if roll < 0.38 and n >= 8:  # split around "he said": one unit of two pieces
        cut = rng.randrange(2, n - 2)
        return unit_text([_surface(rng, words[:cut]).rstrip(".!") + ",", _surface(rng, words[cut:])])
    return _surface(rng, words)


def generate(size: int, seed: int) -> Mentions:
    """About ``size`` mentions (exactly ``size``) of synthetic quotes, in publication order."""
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 10))) for _ in range(VOCABULARY)]
    word_weights = list(_cumulative(1 / (rank + 1) for rank in range(VOCABULARY)))
    speakers = max(10, size // MENTIONS_PER_SPEAKER)
    speaker_weights = list(_cumulative(1 / (rank + 1) for rank in range(speakers)))
    stock = [rng.choices(vocabulary, cum_weights=word_weights, k=rng.randint(6, 8)) for _ in range(STOCK_PHRASES)]
    openings = [rng.choices(vocabulary, cum_weights=word_weights, k=5) for _ in range(STOCK_OPENINGS)]
    timeline: list[tuple[float, int, str, object]] = []
    quote = 0
    while len(timeline) < size:
        speaker = rng.choices(range(speakers), cum_weights=speaker_weights)[0]
        roll = rng.random()
        phrase = rng.randrange(STOCK_PHRASES) if roll < 0.03 else None
        if phrase is not None:
            words = list(stock[phrase])
        else:
            length = min(80, 8 + int(rng.expovariate(1 / 16)))
            words = rng.choices(vocabulary, cum_weights=word_weights, k=length)
            if roll < 0.13:
                words[:5] = rng.choice(openings)
        outlets = 40 if rng.random() < 0.005 else 1 + min(30, int(rng.expovariate(1 / 2.5)))
        truth = quote if phrase is None else (speaker, phrase)  # a stock phrase is one quote per speaker
        for _ in range(outlets):
            timeline.append((quote + rng.expovariate(1 / 50), speaker, _variant(rng, words, vocabulary), truth))
        quote += 1
    timeline.sort(key=lambda mention: mention[0])
    del timeline[size:]
    truths = {t: i for i, t in enumerate(dict.fromkeys(t for *_, t in timeline))}
    return Mentions(array("i", (s for _, s, _, _ in timeline)), [text for _, _, text, _ in timeline],
                    array("i", (truths[t] for *_, t in timeline)))


def _cumulative(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality(placed: list[int], truth: array) -> dict:
    """How the clusters match the truth: mentions outside their cluster's main truth (wrongly merged)
    and outside their truth's main cluster (missed)."""
    by_cluster: dict[int, Counter] = defaultdict(Counter)
    by_truth: dict[int, Counter] = defaultdict(Counter)
    for cluster, true in zip(placed, truth):
        by_cluster[cluster][true] += 1
        by_truth[true][cluster] += 1
    merged = sum(sum(c.values()) - max(c.values()) for c in by_cluster.values())
    missed = sum(sum(c.values()) - max(c.values()) for c in by_truth.values())
    return {"quotes": len(by_cluster), "true_quotes": len(by_truth),
            "wrongly_merged": merged / len(placed), "missed": missed / len(placed)}


def run_one(size: int, seed: int) -> dict:
    """Generate ``size`` mentions, cluster them, and measure."""
    mentions = generate(size, seed)
    gc.freeze()  # the generated input lives to the end: keep the collector from rescanning it
    before = _rss_mib()
    index = MemoryIndex()
    start = time.perf_counter()
    placed = [index.add(speaker, text) for speaker, text in zip(mentions.speakers, mentions.texts)]
    seconds = time.perf_counter() - start
    peak = _rss_mib()
    placed = [index.quote_of(quote) for quote in placed]
    return {"mentions": size, "seconds": seconds, "peak_mib": peak, "clustering_mib": peak - before,
            **quality(placed, mentions.truth)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size, JSON out
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed)))
        return
    results = []
    for size in args.sizes:
        child = subprocess.run([sys.executable, __file__, "--one", str(size), "--seed", str(args.seed)],
                               capture_output=True, text=True, check=True)
        result = json.loads(child.stdout)
        results.append(result)
        print(f"{size:>9,} mentions: {result['seconds']:6.1f} s  {size / result['seconds']:>8,.0f}/s  "
              f"peak {result['peak_mib']:7.0f} MiB (clustering {result['clustering_mib']:.0f} MiB)  "
              f"{result['quotes']:,} quotes for {result['true_quotes']:,} true  "
              f"wrongly merged {result['wrongly_merged']:.2%}  missed {result['missed']:.2%}", flush=True)
    ok = True
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = large["seconds"] / small["seconds"]
        print(f"growth: {large['mentions'] / small['mentions']:.0f}x mentions -> {growth:.1f}x time "
              f"(target <= {TARGET_GROWTH:.0f}x)")
        ok = growth <= TARGET_GROWTH
    largest = results[-1]
    if largest["mentions"] >= 1_000_000:
        ok = ok and largest["seconds"] <= TARGET_SECONDS and largest["peak_mib"] <= TARGET_PEAK_MIB
        print(f"1M target: <= {TARGET_SECONDS:.0f} s and <= {TARGET_PEAK_MIB:.0f} MiB peak: {'met' if ok else 'MISSED'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
