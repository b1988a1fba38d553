"""Search that finds words, orders and cuts what it finds, and what is stored listed and removed, through the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli

WAR = "The war in the north must end before the winter comes"
AWARE = "We are aware of the risks and we are moving toward a deal"
FERRIES = "Ferries will run on the winter timetable from Monday"


def article(outlet: str, published: str, text: str) -> str:
    return f"---\nurl: https://{outlet.lower()}.example/{published}\noutlet: {outlet}\npublished: {published}\n---\n{text}\n"


ARTICLES = {
    "daily.txt": article("Daily", "2024-03-01", f'"{AWARE}," said Ana Ruiz, the harbor director.'),
    "wire.txt": article("Wire", "2024-03-05", f'"{WAR}," said Ana Ruiz, the harbor director.'),
    "metro.txt": article("Metro", "2024-03-09", f'"{WAR}," Ana Ruiz told reporters.'),
    "post.txt": article("Post", "2024-03-07", f'"{FERRIES}," said Leo Brandt, the transport minister.'),
}


@pytest.fixture(scope="module")
def stored(tmp_path_factory, nlp) -> Path:
    """A database of four articles: Ruiz's two quotes (one printed by Wire and Metro) and Brandt's one."""
    folder = tmp_path_factory.mktemp("news")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text)
    db = folder / "quotes.sqlite"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(folder)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def run(stored):
    """``quotes --db <the stored database> ARGS...``."""
    return lambda *args: CliRunner().invoke(cli, ["--db", str(stored), *args])


@pytest.fixture
def own_copy(stored, tmp_path):
    """``quotes --db <a copy of the stored database> ARGS...``, for commands that change it."""
    db = tmp_path / "copy.sqlite"
    with sqlite3.connect(stored) as source, sqlite3.connect(db) as copy:
        source.backup(copy)  # what the write-ahead log holds too
    return lambda *args: CliRunner().invoke(cli, ["--db", str(db), *args])


def texts(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [quote["text"] for quote in json.loads(result.stdout)]


def test_text_search_matches_whole_words_never_parts_of_words(run):
    assert texts(run("search", "--text", "war", "--format", "json")) == [WAR]
    assert texts(run("search", "--text", "ware", "--format", "json")) == []


def test_text_search_matches_a_quoted_phrase_as_adjacent_words_in_order(run):
    assert texts(run("search", "--text", '"the winter comes"', "--format", "json")) == [WAR]
    assert texts(run("search", "--text", '"winter the"', "--format", "json")) == []
    assert texts(run("search", "--text", 'monday "winter timetable"', "--format", "json")) == [FERRIES]


def test_speaker_search_matches_the_beginnings_of_name_words_not_their_middles(run):
    assert set(texts(run("search", "--speaker", "ana r", "--format", "json"))) == {WAR, AWARE}
    assert texts(run("search", "--speaker", "uiz", "--format", "json")) == []


@pytest.mark.parametrize(("sort", "expected"), [("oldest", [WAR, FERRIES]), ("newest", [FERRIES, WAR]),
                                                ("sources", [WAR, FERRIES])])
def test_search_sorts_by_date_first_seen_either_way_or_by_most_sources(run, sort, expected):
    assert texts(run("search", "--text", "winter", "--sort", sort, "--format", "json")) == expected


def test_search_limit_keeps_that_many_and_says_on_stderr_that_there_were_more(run):
    result = run("search", "--sort", "newest", "--limit", "1", "--format", "json")
    assert texts(result) == [FERRIES]
    assert "note: only the first 1 quotes are shown (see --limit)" in result.stderr
    assert "note:" not in run("search", "--limit", "3", "--format", "json").stderr


def test_search_jsonl_prints_one_quote_with_its_sources_a_line(run):
    lines = run("search", "--text", "war", "--format", "jsonl").stdout.splitlines()
    [quote] = [json.loads(line) for line in lines]
    assert [source["outlet"] for source in quote["sources"]] == ["Wire", "Metro"]


def test_sql_jsonl_prints_one_row_object_a_line(run):
    result = run("sql", "select name from outlets order by name", "--format", "jsonl")
    assert result.stdout.splitlines() == ['{"name": "Daily"}', '{"name": "Metro"}', '{"name": "Post"}',
                                          '{"name": "Wire"}']


def test_sql_reads_the_full_text_index_of_quotes(run):
    result = run("sql", "select q.text from quotes q join quote_search on quote_search.rowid = q.id "
                        "where quote_search match 'war'", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == [WAR]


def test_articles_lists_the_stored_articles_newest_first_with_their_mentions(run):
    listed = json.loads(run("articles", "--format", "json").stdout)
    assert [(a["outlet"], a["published"], a["mentions"]) for a in listed] == [
        ("Metro", "2024-03-09", 1), ("Post", "2024-03-07", 1), ("Wire", "2024-03-05", 1), ("Daily", "2024-03-01", 1)]
    assert [a["outlet"] for a in json.loads(run("articles", "--outlet", "wir", "--format", "json").stdout)] == ["Wire"]


def test_outlets_lists_every_outlet_with_its_articles(run):
    listed = json.loads(run("outlets", "--format", "json").stdout)
    assert {(o["name"], o["domain"], o["articles"]) for o in listed} == {
        ("Daily", "daily.example", 1), ("Wire", "wire.example", 1), ("Metro", "metro.example", 1),
        ("Post", "post.example", 1)}


def article_id(run, outlet: str) -> str:
    return str(next(a["article_id"] for a in json.loads(run("articles", "--format", "json").stdout)
                    if a["outlet"] == outlet))


def ruiz_quotes(run) -> int:
    return next(s["quotes"] for s in json.loads(run("speakers", "--format", "json").stdout) if s["name"] == "Ana Ruiz")


def test_removing_an_article_removes_the_quote_only_it_printed_and_its_speakers_count(own_copy):
    result = own_copy("articles", "remove", article_id(own_copy, "Daily"))
    assert result.exit_code == 0, result.output
    assert "1 mention(s), 1 quote(s) no other article printed" in result.stdout
    assert texts(own_copy("search", "--text", "aware", "--format", "json")) == []
    assert ruiz_quotes(own_copy) == 1
    assert [a["outlet"] for a in json.loads(own_copy("articles", "--format", "json").stdout)] == ["Metro", "Post", "Wire"]


def test_removing_an_article_keeps_a_quote_another_article_printed_with_that_source(own_copy):
    assert own_copy("articles", "remove", article_id(own_copy, "Wire")).exit_code == 0
    [quote] = json.loads(own_copy("search", "--text", "war", "--format", "json").stdout)
    assert [(s["outlet"], s["published"]) for s in quote["sources"]] == [("Metro", "2024-03-09")]
    assert quote["first_seen"] == "2024-03-09"
    assert ruiz_quotes(own_copy) == 2


def test_removing_an_article_that_is_not_stored_is_an_error(own_copy):
    result = own_copy("articles", "remove", "99")
    assert result.exit_code == 1
    assert "error: no article with id 99" in result.stderr


def roles(run) -> list[tuple[str, str, str, str]]:
    rows = json.loads(run("sql", "select s.name, r.title, r.first_seen, r.last_seen from roles r "
                               "join speakers s on s.id = r.speaker_id order by s.name", "--format", "json").stdout)
    return [(r["name"], r["title"], r["first_seen"], r["last_seen"]) for r in rows]


def test_removing_an_article_dates_a_role_by_the_articles_left_and_drops_a_role_only_it_showed(own_copy):
    assert roles(own_copy) == [("Ana Ruiz", "harbor director", "2024-03-01", "2024-03-05"),
                               ("Leo Brandt", "transport minister", "2024-03-07", "2024-03-07")]
    for outlet in ("Daily", "Post"):
        assert own_copy("articles", "remove", article_id(own_copy, outlet)).exit_code == 0
    assert roles(own_copy) == [("Ana Ruiz", "harbor director", "2024-03-05", "2024-03-05")]
