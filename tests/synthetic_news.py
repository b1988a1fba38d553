"""A news-shaped store of invented articles, written by bulk SQL: the report at a thousand articles in a second.

Extracting a thousand articles takes many minutes here, so the rows go straight into the
migrations' schema (``open_db``) with sqlite3's ``executemany``; the store's triggers still keep
the search indexes. Every text is made up from the word lists below. The shape follows news: a
few speakers say most of the quotes (Zipf), roles change over the months, a third of the quotes
are printed by more than one outlet, some quotes have no speaker, some articles no date, and a
few wordings are given to two speakers (possible misattributions).

Run it to write a store for trying the report by hand: ``python tests/synthetic_news.py OUT.sqlite``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
import sqlite3
import sys
from pathlib import Path

from quotes.dedup import text_key
from quotes.store.db import open_db

GIVEN = ["Ada", "Bruno", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Keiko", "Liam",
         "Marta", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Samir", "Tessa", "Umar", "Vera", "Wim", "Yara",
         "Zoltan", "Amara", "Bashir", "Celine", "Dario", "Esme", "Felix", "Gaia", "Hamid", "Ilse", "Jamal", "Kira"]
FAMILY = ["Abbott", "Bakker", "Castillo", "Dunmore", "Eriksen", "Fontaine", "Garrido", "Holt", "Ibarra", "Jansen",
          "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okonkwo", "Petrov", "Quayle", "Rinaldi", "Sato", "Thorne",
          "Ueda", "Varga", "Whitlock", "Xiong", "Yilmaz", "Zeller", "Achterberg", "Brandt", "Cortez", "Devlin",
          "Estrada", "Falk", "Grimaldi", "Haas", "Iversen", "Jovanovic", "Kaur", "Lachance", "Mbeki", "Novak"]
TITLES = ["spokesperson", "director", "mayor", "minister", "chair", "councillor", "commissioner", "adviser"]
BODIES = ["Harbor Authority", "Transit Board", "Water Council", "Ministry of Housing", "City Council",
          "Port Workers Union", "Regional Health Service", "Energy Agency", "Parks Department", "School Board"]
OUTLETS = ["The Harbor Ledger", "Northfield Herald", "Valley Courier", "Coastline Times", "Metro Dispatch",
           "The Evening Signal", "Riverbend Post", "Lakeside Gazette", "The Granite Record", "Summit Daily",
           "Bayview Chronicle", "The Plainsman", "Eastgate Observer", "Westmoor Tribune", "Capital Wire",
           "The Lantern", "Ridgeway News", "Orchard Voice", "Harborside Bulletin", "The Civic Sentinel"]
SUBJECTS = ["The new ferry schedule", "This budget", "The water plan", "Our housing programme", "The port expansion",
            "The bus network", "The school calendar", "The energy tariff", "The flood barrier", "The clinic"]
VERBS = ["will start", "has to wait", "is ready", "will cost less", "needs more work", "was approved",
         "is on track", "will be reviewed"]
ENDS = ["before the summer", "after the vote", "by the end of the year", "once the council agrees",
        "as soon as the funds arrive", "in every district", "for the families who need it", "without new taxes"]
CUES = ["said", "told reporters", "added", "said on Tuesday", "wrote in a statement"]
START = dt.date(2024, 1, 1)
DAYS = 540  # a year and a half of news
MENTIONS_PER_ARTICLE = 8
REPRINTED = 0.35  # share of mentions that print a quote some earlier article printed
UNATTRIBUTED = 0.05  # share of new quotes with no speaker
UNDATED = 0.02  # share of articles with no publication date
SHARED_WORDINGS = 6  # wordings given to two speakers


def _zipf(rng: random.Random, n: int, s: float = 1.1):
    """A function drawing 0..n-1 with probability proportional to 1 / (rank + 1) ** s."""
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** s for rank in range(n)))
    return lambda: bisect.bisect_left(cumulative, rng.random() * cumulative[-1])


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(ENDS)}, and we will say so plainly"


def build_news_store(path: Path, articles: int = 1000, seed: int = 16) -> Path:
    """Write a store of ``articles`` invented articles (eight quotes each) at ``path``, a new SQLite file."""
    rng = random.Random(seed)
    open_db(str(path)).dispose()  # the migrations' schema
    names = [f"{g} {f}" for g, f in itertools.product(GIVEN, FAMILY)]
    rng.shuffle(names)
    speakers = names[: max(articles, 50)]  # news names about as many people as it has articles
    speaker_of = _zipf(rng, len(speakers))
    outlet_of = _zipf(rng, len(OUTLETS), 0.7)
    roles: dict[int, list[tuple[int, str, str]]] = {}  # speaker -> roles held, in the order held
    texts: list[str] = []
    quote_speaker: list[int | None] = []
    first_seen: list[dt.date] = []
    twins: list[int] = []  # quotes whose words an earlier quote of another speaker has
    article_rows, mention_rows = [], []
    for article in range(1, articles + 1):
        x = (article - 1) / articles  # the news comes in waves: five a year and a half, the busiest weeks 6x the calmest
        day = START + dt.timedelta(days=int(DAYS * (x + 0.7 * math.sin(10 * math.pi * x) / (10 * math.pi))))
        published = None if rng.random() < UNDATED else day
        paragraphs, offset = [], 0
        for group in range(MENTIONS_PER_ARTICLE):
            if texts and rng.random() < REPRINTED:
                quote = rng.randrange(max(0, len(texts) - 400), len(texts))  # a recent quote, printed again
            else:
                quote = len(texts)
                twin = quote > 100 and len(twins) < SHARED_WORDINGS and quote_speaker[quote - 100]
                texts.append(texts[quote - 100] if twin else _sentence(rng) + f" ({quote})")
                speaker = speaker_of() + 1
                if twin:  # an earlier quote's words, given to someone else
                    twins.append(quote)
                    speaker = quote_speaker[quote - 100] % len(speakers) + 1
                quote_speaker.append(None if not twin and rng.random() < UNATTRIBUTED else speaker)
                first_seen.append(day)
            speaker = quote_speaker[quote]
            held = roles.setdefault(speaker, []) if speaker else []
            if speaker and (not held or rng.random() < 0.02):  # a new role, now and then
                held.append((speaker, rng.choice(TITLES), rng.choice(BODIES)))
            role = held[-1] if held else None
            who = f"{speakers[speaker - 1]}, the {role[1]} of the {role[2]}" if role else "an official"
            paragraph = f"“{texts[quote]},” {who} {rng.choice(CUES)}."
            start = offset + 1
            mention_rows.append((quote + 1, article, speaker, role, texts[quote], start, start + len(texts[quote]),
                                 group, f"{role[1]} of the {role[2]}" if role else None))
            paragraphs.append(paragraph)
            offset += len(paragraph) + 1
        article_rows.append((article, f"https://news.example/{article}", outlet_of() + 1,
                             f"City desk, story {article}", published and published.isoformat(), f"{article:064x}",
                             f"{day.isoformat()} 12:00:00.000000", "\n".join(paragraphs)))
    role_ids = {role: i for i, role in enumerate(sorted({r for held in roles.values() for r in held}), 1)}

    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.executemany("INSERT INTO outlets (id, name, domain) VALUES (?, ?, ?)",
                   ((i, name, f"outlet{i}.example") for i, name in enumerate(OUTLETS, 1)))
    db.executemany("INSERT INTO articles (id, url, canonical_url, outlet_id, title, published, content_hash, "
                   "ingested_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   ((a, url, url, *rest) for a, url, *rest in article_rows))
    db.executemany("INSERT INTO speakers (id, name, kind, name_key, given_key, surname_key) VALUES (?, ?, 'person', ?, ?, ?)",
                   ((i, name, name.lower(), *name.lower().split(" ", 1)) for i, name in enumerate(speakers, 1)))
    db.executemany("INSERT INTO speaker_aliases (speaker_id, alias, alias_key, origin) VALUES (?, ?, ?, 'seen')",
                   ((i, alias, alias.lower()) for i, name in enumerate(speakers, 1)
                    for alias in (name, name.split(" ", 1)[1])))
    db.executemany("INSERT INTO roles (id, speaker_id, title, organization, first_seen, last_seen) "
                   "VALUES (?, ?, ?, ?, ?, ?)", ((i, *role, START.isoformat(), (START + dt.timedelta(days=DAYS))
                                                  .isoformat()) for role, i in role_ids.items()))
    db.executemany("INSERT INTO quotes (id, speaker_id, text, first_seen) VALUES (?, ?, ?, ?)",
                   ((q + 1, quote_speaker[q], texts[q], first_seen[q].isoformat()) for q in range(len(texts))))
    db.executemany(
        'INSERT INTO mentions (quote_id, article_id, speaker_id, role_id, text, start, "end", cue, kind, role_text, '
        '"group", confidence) VALUES (?, ?, ?, ?, ?, ?, ?, \'said\', \'direct\', ?, ?, 0.9)',
        ((q, a, s, role and role_ids[role], t, b, e, r, g) for q, a, s, role, t, b, e, g, r in mention_rows))
    db.executemany("INSERT INTO quote_wordings (quote_id, speaker_id, text_key, words, normalized) "
                   "VALUES (?, ?, ?, ?, ?)", ((q + 1, quote_speaker[q], text_key(texts[q]), texts[q].count(" ") + 1,
                                               texts[q]) for q in range(len(texts)) if quote_speaker[q]))
    db.execute("COMMIT")
    db.close()
    return path


if __name__ == "__main__":
    print(build_news_store(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000))
