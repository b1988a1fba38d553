"""A synthetic store of about a million mentions, built by bulk SQL for the store and query benchmarks.

Built once per size and schema revision and cached under ``$QUOTES_BENCH_DIR`` (default
``/tmp/quotes-bench``), never committed. The schema is the migrations' (``open_db``); the rows are
inserted with sqlite3's ``executemany`` in one transaction, which takes a minute or two, not the
days ingesting real articles would.

The shape follows news: speakers with a Zipf-skewed share of the quotes (the busiest says a
tenth of everything), the well-known names of the 2016 election news (PolNeAR's) among the
busiest so that storing those articles meets big speakers; "John Kirby" at rank 100; about
2.9 mentions a quote, 8 mentions an article, one to three roles for most speakers, the full
name and surname of each person as aliases, one wording and five fingerprints a quote.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import sys
import time
from array import array
from pathlib import Path

from quotes.dedup import text_key
from quotes.store.db import SCHEMA_REVISION, open_db

CACHE = Path(os.environ.get("QUOTES_BENCH_DIR", "/tmp/quotes-bench"))

#: The busiest speakers, in order: the names the 2016 election news quotes most.
FAMOUS = ["Donald Trump", "Hillary Clinton", "Barack Obama", "Bernie Sanders", "Ted Cruz", "Marco Rubio",
          "Jeb Bush", "Ben Carson", "Paul Ryan", "John Kasich", "Mike Pence", "Chris Christie", "Mitch McConnell",
          "Tim Kaine", "Carly Fiorina", "Rand Paul", "Joe Biden", "John Kerry", "Josh Earnest", "Kellyanne Conway"]
KIRBY_RANK = 100
TITLES = ["spokesperson", "senator", "governor", "secretary", "coordinator", "minister", "mayor", "chair",
          "director", "ambassador", "representative", "analyst", "professor", "adviser", "commissioner"]
MENTIONS_PER_ARTICLE = 8
MENTIONS_PER_QUOTE = 2.9
MENTIONS_PER_SPEAKER = 40
OUTLETS = 300
START = dt.date(2015, 1, 1)
DAYS = 3650


def path_for(mentions: int) -> Path:
    return CACHE / f"store-{mentions}-r{SCHEMA_REVISION}.sqlite"


def _words(rng: random.Random, count: int) -> list[str]:
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"]
    found: dict[str, None] = {}
    while len(found) < count:
        found["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))] = None
    return list(found)


def _zipf_picker(rng: random.Random, n: int, s: float = 1.0):
    """A function drawing 0..n-1 with probability proportional to 1 / (rank + 1) ** s."""
    import bisect
    import itertools

    weights = [1 / (rank + 1) ** s for rank in range(n)]
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]
    return lambda: bisect.bisect_left(cumulative, rng.random() * total)


def build(path: Path, mentions: int, seed: int = 14) -> None:
    """Write a synthetic store of ``mentions`` mentions at ``path`` (replaced if present)."""
    rng = random.Random(seed)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    open_db(str(path)).dispose()  # the migrations' schema
    began = time.perf_counter()
    n_speakers = max(len(FAMOUS) + KIRBY_RANK, mentions // MENTIONS_PER_SPEAKER)
    n_quotes = int(mentions / MENTIONS_PER_QUOTE)
    n_articles = mentions // MENTIONS_PER_ARTICLE
    vocabulary = _words(rng, 20_000)
    word = _zipf_picker(rng, len(vocabulary), 1.05)
    given, family = _words(rng, 3000), _words(rng, 8000)
    names = list(FAMOUS)
    seen_names = set(names) | {"John Kirby"}
    while len(names) < n_speakers - 1:
        name = f"{rng.choice(given).title()} {rng.choice(family).title()}"
        if name not in seen_names:
            seen_names.add(name)
            names.append(name)
    names.insert(KIRBY_RANK - 1, "John Kirby")
    organizations = ["National Security Council", "State Department", "White House", "Pentagon",
                     *(f"{rng.choice(family).title()} {rng.choice(['Council', 'Department', 'Party', 'Institute', 'Committee'])}"
                       for _ in range(1500))]

    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("BEGIN")
    db.executemany("INSERT INTO outlets (id, name, domain) VALUES (?, ?, ?)",
                   ((i + 1, f"{w.title()} News", f"{w}.example") for i, w in enumerate(family[:OUTLETS])))
    outlet = _zipf_picker(rng, OUTLETS, 0.8)
    db.executemany(
        "INSERT INTO articles (id, url, canonical_url, outlet_id, title, published, content_hash, ingested_at, "
        "external_id, path, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        ((i, f"https://news{i % 97}.example/{i}", f"https://news{i % 97}.example/{i}", outlet() + 1, f"Story {i}",
          (START + dt.timedelta(days=i * DAYS // n_articles)).isoformat(), f"{i:064x}", "2026-01-01 00:00:00.000000",
          str(i), f"Synthetic article {i}.") for i in range(1, n_articles + 1)))

    speakers = []
    for i, name in enumerate(names, 1):
        first, last = name.lower().split(" ", 1)
        speakers.append((i, name, "person", name.lower(), first, last))
    db.executemany("INSERT INTO speakers (id, name, kind, name_key, given_key, surname_key) VALUES (?, ?, ?, ?, ?, ?)",
                   speakers)
    db.executemany("INSERT INTO speaker_aliases (speaker_id, alias, alias_key, origin) VALUES (?, ?, ?, 'seen')",
                   ((i, alias, alias.lower()) for i, name, *_ in speakers for alias in (name, name.split(" ", 1)[1])))
    roles: list[list[int]] = [[] for _ in range(n_speakers + 1)]
    role_rows = []
    for speaker_id in range(1, n_speakers + 1):
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            role_rows.append((len(role_rows) + 1, speaker_id, rng.choice(TITLES), rng.choice(organizations)))
            roles[speaker_id].append(len(role_rows))
    if roles[KIRBY_RANK] == []:
        role_rows.append((len(role_rows) + 1, KIRBY_RANK, "coordinator", "National Security Council"))
        roles[KIRBY_RANK].append(len(role_rows))
    db.executemany("INSERT OR IGNORE INTO roles (id, speaker_id, title, organization, first_seen, last_seen) "
                   "VALUES (?, ?, ?, ?, '2015-01-01', '2024-12-31')", role_rows)
    db.executemany("INSERT INTO acronyms (acronym, expansion) VALUES (?, ?)",
                   [("NSC", "National Security Council"), ("DOD", "Department of Defense")])

    speaker_of = _zipf_picker(rng, n_speakers, 1.0)
    quote_speaker = array("i", (speaker_of() + 1 for _ in range(n_quotes)))
    texts = [" ".join(vocabulary[word()] for _ in range(rng.randint(8, 40))) for _ in range(n_quotes)]
    # each mention: its quote; the mentions of a quote in distinct articles, articles filled at random
    quote_of = array("i", range(n_quotes))
    quote_of.extend(rng.randrange(n_quotes) for _ in range(mentions - n_quotes))
    articles = array("i", (1 + i // MENTIONS_PER_ARTICLE for i in range(mentions)))
    rng.shuffle(articles)
    first_article = array("i", [n_articles + 1]) * n_quotes
    for quote, article in zip(quote_of, articles):
        first_article[quote] = min(first_article[quote], article)
    db.executemany("INSERT INTO quotes (id, speaker_id, text, first_seen) VALUES (?, ?, ?, ?)",
                   ((q + 1, quote_speaker[q], texts[q],
                     (START + dt.timedelta(days=first_article[q] * DAYS // n_articles)).isoformat())
                    for q in range(n_quotes)))
    db.executemany("INSERT INTO quote_wordings (quote_id, speaker_id, text_key, words, normalized) VALUES (?, ?, ?, ?, ?)",
                   ((q + 1, quote_speaker[q], text_key(texts[q]), texts[q].count(" ") + 1, texts[q])
                    for q in range(n_quotes)))
    db.executemany("INSERT OR IGNORE INTO quote_fingerprints (speaker_id, fingerprint, quote_id) VALUES (?, ?, ?)",
                   ((quote_speaker[q], rng.getrandbits(32), q + 1) for q in range(n_quotes) for _ in range(5)))
    slot = array("i", [0]) * (n_articles + 1)

    def mention_rows():  # in article order, as ingest stores them
        for i in sorted(range(mentions), key=articles.__getitem__):
            quote, article = quote_of[i], articles[i]
            speaker = quote_speaker[quote]
            held = roles[speaker]
            role = held[quote % len(held)] if held and quote % 10 < 7 else None
            start = slot[article] * 400
            slot[article] += 1
            text = texts[quote]
            yield (quote + 1, article, speaker, role, text, start, start + len(text), "said", "direct",
                   None, slot[article], 0.8)

    db.executemany(
        'INSERT INTO mentions (quote_id, article_id, speaker_id, role_id, text, start, "end", cue, kind, '
        'speaker_mention, "group", confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', mention_rows())
    db.execute("INSERT INTO speaker_links (article_id, speaker_id, name, how, score) "
               "SELECT DISTINCT m.article_id, m.speaker_id, s.name, 'name', 1.0 "
               "FROM mentions m JOIN speakers s ON s.id = m.speaker_id")
    db.execute("COMMIT")
    db.close()
    print(f"built {path} ({mentions} mentions) in {time.perf_counter() - began:.0f} s", file=sys.stderr)


def big_store(mentions: int = 1_000_000) -> Path:
    """The cached synthetic store of ``mentions`` mentions: a copy of a cached store of an older schema migrated
    (timed: the migrations at that size), else built."""
    path = path_for(mentions)
    if path.exists():
        return path
    older = sorted(CACHE.glob(f"store-{mentions}-r*.sqlite"))
    if not older:
        build(path, mentions)
        return path
    copy = path.with_suffix(".migrating")
    shutil.copyfile(older[-1], copy)
    began = time.perf_counter()
    open_db(str(copy)).dispose()  # migrates; the last connection closed folds the WAL back into the file
    copy.rename(path)
    print(f"migrated a copy of {older[-1].name} to {path.name} in {time.perf_counter() - began:.0f} s",
          file=sys.stderr)
    return path
