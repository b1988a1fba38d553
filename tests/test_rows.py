"""Extraction as plain rows (quotes.rows): the records of ``quotes extract`` with their article, errors as rows."""

import dataclasses
import json

import pytest
from harbor_articles import HARBOR

from quotes.article import ReadError
from quotes.extract import extract_many, pieces
from quotes.rows import article_fields, article_row, extracted, rows, to_article, to_mention


@pytest.fixture(scope="module")
def harbor_rows(nlp):
    return list(rows(HARBOR, nlp=nlp))


def test_rows_are_the_extract_records_with_their_articles_fields(nlp, harbor_rows):
    expected = [{**mention.record(article), **article_fields(article)}
                for article, mentions in extract_many(HARBOR, nlp=nlp, jobs=1) for mention in mentions]
    assert len(harbor_rows) == len(expected) > 0
    for row, record in zip(harbor_rows, expected, strict=True):
        assert row == record


def test_a_row_names_its_article_by_content_hash_and_iso_date():
    row = article_fields(HARBOR[0])
    assert row["article_key"] == HARBOR[0].content_hash
    assert row["published"] == "2024-03-05"
    assert article_fields(HARBOR[1])["published"] is None


def test_a_mention_row_keeps_the_speakers_title_beside_the_headline(harbor_rows):
    weller = next(row for row in harbor_rows if row["speaker"] == "Tom Weller" and row["title"])
    assert weller["title"] != weller["article_title"]
    assert weller["article_title"] == next(a.title for a in HARBOR if a.id == weller["article_id"])


def test_extracted_gives_every_article_a_row_even_one_without_quotes(nlp):
    quiet = dataclasses.replace(HARBOR[0], id="quiet", text="The harbour opened at dawn. Boats left at noon.")
    found = list(extracted([quiet, HARBOR[0]], nlp=nlp))
    assert [(row["article_id"], len(row["mentions"]) > 0) for row in found] == [("quiet", False), (HARBOR[0].id, True)]
    assert found[1]["extractor"] and found[1]["text"] == HARBOR[0].text


def test_an_article_row_gives_back_the_article(nlp):
    for article in HARBOR:
        assert to_article(article_row(article)) == article


def test_a_mention_row_gives_back_the_mention_even_through_json(nlp, harbor_rows):
    expected = [mention for _, mentions in extract_many(HARBOR, nlp=nlp, jobs=1) for mention in mentions]
    assert [to_mention(json.loads(json.dumps(row))) for row in harbor_rows] == expected


def test_rows_survive_a_round_trip_through_json(harbor_rows):
    assert json.loads(json.dumps(harbor_rows)) == harbor_rows


def test_an_unreadable_input_is_an_error_row_and_the_rows_go_on(nlp, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(HARBOR[3].text)
    missing = str(tmp_path / "missing.txt")
    found = list(rows([missing, ReadError("feed", "timed out"), str(story)], nlp=nlp))
    errors = [row for row in found if "error" in row]
    assert [(row["error"], row["source"]) for row in errors] == [("error", missing), ("error", "feed")]
    assert {row["speaker"] for row in found if "error" not in row} == {"Tom Weller", "A city engineer"}


def test_an_article_that_cannot_be_extracted_is_an_error_row_and_the_rows_go_on(nlp, monkeypatch):
    broken = dataclasses.replace(HARBOR[2], text="This text breaks the pipeline.")
    real_split = pieces.split

    def split(nlp, text):
        if text == broken.text:
            raise ValueError("boom")
        return real_split(nlp, text)

    monkeypatch.setattr(pieces, "split", split)
    found = list(rows([broken, HARBOR[3]], nlp=nlp))
    assert [(row["source"], row["error"]) for row in found if "error" in row] == [(broken.url, "error")]
    assert "ValueError: boom" in found[0]["reason"]
    assert len([row for row in found if "error" not in row]) == 2
