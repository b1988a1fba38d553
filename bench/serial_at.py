"""Time the serial writer of another revision of quotes: ``store_article`` over given articles, a transaction each.

bench_load.py runs this with that revision's source tree first on the path and no site
customisation (``python -S``), so ``import quotes`` is the old package, never the installed one:

    PYTHONPATH=OLD_TREE:SITE_PACKAGES python -S bench/serial_at.py DATABASE_URL ARTICLES.jsonl

Each line of ARTICLES.jsonl is ``{"article": {...}, "mentions": [{...}, ...]}`` (the fields of
quotes.article.Article and quotes.mention.Mention); the line printed is ``{"wall": s, "cpu": s}``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import time


def main() -> None:
    from quotes.article import Article
    from quotes.mention import Mention, Span
    from quotes.store.db import open_db
    from quotes.store.write import store_article

    url, path = sys.argv[1], sys.argv[2]
    known = {field.name for field in dataclasses.fields(Mention)}
    article_fields = {field.name for field in dataclasses.fields(Article)}
    pairs = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            fields = {k: v for k, v in row["article"].items() if k in article_fields}
            published = fields.get("published")
            article = Article(**{**fields, "published": dt.date.fromisoformat(published) if published else None})
            mentions = []
            for found in row["mentions"]:
                words = found["speaker_mention"]
                mentions.append(Mention(**{k: v for k, v in found.items() if k in known and k != "speaker_mention"},
                                        speaker_mention=Span(**words) if words else None))
            pairs.append((article, mentions))
    engine = open_db(url)
    wall, cpu = time.perf_counter(), time.process_time()
    for article, mentions in pairs:
        store_article(engine, article, mentions)
    print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))


if __name__ == "__main__":
    main()
