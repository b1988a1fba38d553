"""--min-confidence keeps only quotes attributed at least that surely, in extract, search and the report."""

from __future__ import annotations

import json

from click.testing import CliRunner

from quotes.article import Article
from quotes.cli import cli
from quotes.mention import Mention, Span
from quotes.report import Scope, build_report
from quotes.store.db import open_db
from quotes.store.query import search
from quotes.store.write import store_article

SURE = "The new pier opens to ferries in May"
UNSURE = "Nobody asked the fishermen what they wanted"


def stored(tmp_path):
    engine = open_db(str(tmp_path / "quotes.sqlite"))
    body = f'"{SURE}," said Ana Ruiz. "{UNSURE}," a voice called out.'
    mentions = [
        Mention(text=SURE, start=1, end=1 + len(SURE), speaker="Ana Ruiz", speaker_kind="person",
                speaker_mention=Span("Ana Ruiz", body.index("Ana"), body.index("Ana") + 8), confidence=0.93),
        Mention(text=UNSURE, start=body.index(UNSURE), end=body.index(UNSURE) + len(UNSURE), speaker="Ana Ruiz",
                speaker_kind="person", group=1, confidence=0.41),
    ]
    store_article(engine, Article(id="a", text=body, url="https://harbor.test/a"), mentions)
    return engine


def test_search_keeps_the_quotes_attributed_at_least_that_surely(tmp_path):
    engine = stored(tmp_path)
    assert {q["text"] for q in search(engine)} == {SURE, UNSURE}
    assert [q["text"] for q in search(engine, min_confidence=0.9)] == [SURE]


def test_the_report_covers_only_the_sure_quotes_and_says_so(tmp_path):
    report = build_report(stored(tmp_path), Scope(min_confidence=0.9))
    assert report.overview.quotes == 1
    assert "attributed with confidence 0.9 or more" in report.scope.describe()


def test_extract_prints_only_mentions_at_least_that_sure(tmp_path, nlp):
    story = tmp_path / "a.txt"
    story.write_text("The storm reached the harbor on Monday.\n\n"
                     '"Somebody should have warned the families on the east shore much earlier than this."\n\n'
                     '"We are ready for the storm," Mayor Ana Ruiz said.\n')
    every = CliRunner().invoke(cli, ["extract", str(story)]).stdout.splitlines()
    sure = CliRunner().invoke(cli, ["extract", str(story), "--min-confidence", "0.5"]).stdout.splitlines()
    confidences = [json.loads(line)["confidence"] for line in every]
    assert len(sure) == sum(c >= 0.5 for c in confidences) < len(every)
    assert all(json.loads(line)["confidence"] >= 0.5 for line in sure)
