"""The store's commands: ingest, search, speakers, show and sql, through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli

LAUNCHES = "We will not tolerate further missile launches over our territory this year"

DAILY = f"""---
url: https://www.daily.example/launches?utm_source=feed
outlet: The Daily
title: Launches condemned
published: 2024-03-01
---
"{LAUNCHES}," said John Kirby, the National Security Council coordinator.

"Talks will resume in Geneva on Monday morning," Kirby added.
"""

WIRE = {
    "id": "w1", "url": "https://wire.example/kirby", "outlet": "Wire", "published": "2024-03-02",
    "text": f'"{LAUNCHES.replace("missile", "rocket")}," John Kirby, the coordinator, told reporters.',
}
PRICE = {
    "id": "w2", "url": "https://wire.example/price", "outlet": "Wire", "published": "2024-03-05",
    "text": '"The budget is balanced for the first time in years," said Ned Price, the State Department spokesman.',
}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A directory with one text article and a JSON-lines file of two more."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "daily.txt").write_text(DAILY)
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(a) for a in (WIRE, PRICE)) + "\n")
    return folder


@pytest.fixture
def run(tmp_path: Path):
    """Invoke ``quotes --db <tmp sqlite> ARGS...`` with a private alias file; returns the click Result."""
    url = f"sqlite:///{tmp_path / 'quotes.sqlite'}"
    runner = CliRunner(env={"QUOTES_ALIASES": str(tmp_path / "aliases.csv")})
    return lambda *args, input=None: runner.invoke(cli, ["--db", url, *args], input=input)


@pytest.fixture
def ingested(run, inputs, nlp):
    result = run("ingest", str(inputs))
    assert result.exit_code == 0, result.stderr
    return run


def test_ingest_stores_every_article_and_prints_a_summary(run, inputs, nlp):
    result = run("ingest", str(inputs))
    assert result.exit_code == 0
    assert "articles stored: 3, already present: 0, mentions: 4, new quotes: 3, errors: 0" in result.stdout


def test_ingesting_the_same_input_again_stores_nothing(ingested, inputs):
    result = ingested("ingest", str(inputs))
    assert result.exit_code == 0
    assert "articles stored: 0, already present: 3, mentions: 0, new quotes: 0" in result.stdout


def test_ingest_reports_a_bad_line_with_its_place_and_stores_the_rest(run, inputs, nlp):
    bad = inputs / "wire.jsonl"
    bad.write_text(bad.read_text() + "{not json\n")
    result = run("ingest", str(inputs))
    assert result.exit_code == 1
    assert f"error: {bad}:3: malformed article" in result.stderr
    assert "articles stored: 3" in result.stdout


def test_strict_ingest_stops_at_the_first_error(run, tmp_path, nlp):
    (tmp_path / "a_bad.txt").write_bytes(b"\xff\xfe not text")
    (tmp_path / "b_good.txt").write_text(DAILY)
    result = run("ingest", "--strict", str(tmp_path / "a_bad.txt"), str(tmp_path / "b_good.txt"))
    assert result.exit_code == 1
    assert "error:" in result.stderr and "not valid UTF-8" in result.stderr
    assert "articles stored: 0" in result.stdout


def test_db_option_accepts_a_plain_file_path(tmp_path, inputs, nlp):
    path = tmp_path / "plain.sqlite"
    result = CliRunner().invoke(cli, ["--db", str(path), "ingest", str(inputs / "daily.txt")])
    assert result.exit_code == 0
    assert path.exists()


def test_search_json_is_one_array_of_quotes_with_sources(ingested):
    result = ingested("search", "--speaker", "kirby", "--text", "launches", "--format", "json")
    assert result.exit_code == 0
    [quote] = json.loads(result.stdout)
    assert quote["speaker"] == "John Kirby"
    assert quote["roles"] == ["National Security Council coordinator"]
    assert [(s["outlet"], s["published"]) for s in quote["sources"]] == [("The Daily", "2024-03-01"),
                                                                         ("Wire", "2024-03-02")]


def test_search_filters_by_role_outlet_and_dates(ingested):
    def speakers_of(*args: str) -> list[str]:
        return [q["speaker"] for q in json.loads(ingested("search", *args, "--format", "json").stdout)]

    assert speakers_of("--role", "state department") == ["Ned Price"]
    assert speakers_of("--outlet", "daily") == ["John Kirby", "John Kirby"]
    assert speakers_of("--since", "2024-03-03") == ["Ned Price"]
    assert speakers_of("--until", "2024-03-01") == ["John Kirby", "John Kirby"]


def test_search_csv_has_a_header_and_one_row_per_quote(ingested):
    result = ingested("search", "--speaker", "KIRBY", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "first_seen", "speaker", "roles", "sources", "outlets", "quote"]
    assert [(r[2], r[4]) for r in rows[1:]] == [("John Kirby", "2"), ("John Kirby", "1")]


def test_search_table_shows_the_quotes(ingested):
    result = ingested("search", "--speaker", "price")
    assert result.exit_code == 0
    assert "Ned Price" in result.stdout and "The budget is balanced" in result.stdout


def test_search_rejects_a_malformed_date(ingested):
    result = ingested("search", "--since", "March")
    assert result.exit_code == 2


def test_speakers_lists_the_most_quoted_first(ingested):
    result = ingested("speakers", "--format", "json")
    assert [(s["name"], s["quotes"]) for s in json.loads(result.stdout)] == [("John Kirby", 2), ("Ned Price", 1)]
    by_role = ingested("speakers", "--role", "security council", "--format", "json")
    assert [s["name"] for s in json.loads(by_role.stdout)] == ["John Kirby"]


def test_show_prints_every_source_with_its_own_wording(ingested):
    quote_id = json.loads(ingested("search", "--text", "launches", "--format", "json").stdout)[0]["quote_id"]
    result = ingested("show", str(quote_id))
    assert result.exit_code == 0
    assert result.stdout.count(LAUNCHES) == 2  # the quote, and the source that printed it so
    assert "https://www.daily.example/launches" in result.stdout and "https://wire.example/kirby" in result.stdout


def launches_id(run) -> int:
    return json.loads(run("search", "--text", "launches", "--format", "json").stdout)[0]["quote_id"]


def test_show_marks_the_words_a_source_changed(ingested):
    result = ingested("show", str(launches_id(ingested)))
    assert "We will not tolerate further [-missile-]{+rocket+} launches" in result.stdout


def test_show_json_gives_each_sources_differences_as_runs(ingested):
    shown = json.loads(ingested("show", str(launches_id(ingested)), "--format", "json").stdout)
    wire = next(source for source in shown["sources"] if source["outlet"] == "Wire")
    assert [run["op"] for run in wire["differences"]] == ["same", "removed", "added", "same"]
    assert shown["conflicts"] == []


def test_show_names_the_other_speaker_of_the_same_words(run, tmp_path, nlp):
    articles = tmp_path / "conflict.jsonl"
    articles.write_text(json.dumps(WIRE) + "\n" + json.dumps({
        "id": "m1", "url": "https://metro.example/price", "outlet": "Metro", "text": WIRE["text"].replace(
            "John Kirby, the coordinator,", "Ned Price, the State Department spokesman,")}) + "\n")
    assert run("ingest", str(articles)).exit_code == 0
    result = run("show", str(launches_id(run)))
    assert "possible misattribution: the same words are given to Ned Price in quote #2" in result.stdout


def test_show_of_an_unknown_quote_is_an_error(ingested):
    result = ingested("show", "999")
    assert result.exit_code == 1
    assert "error: no quote with id 999" in result.stderr


def test_sql_prints_rows_as_csv_and_json(ingested):
    query = "select speaker, count(*) as n from quote_sources group by speaker order by speaker"
    as_csv = ingested("sql", query, "--format", "csv")
    assert as_csv.stdout.splitlines() == ["speaker,n", "John Kirby,3", "Ned Price,1"]
    as_json = ingested("sql", query, "--format", "json")
    assert json.loads(as_json.stdout) == [{"speaker": "John Kirby", "n": 3}, {"speaker": "Ned Price", "n": 1}]


def test_sql_refuses_a_write_with_an_error_and_exit_code_1(ingested):
    result = ingested("sql", "delete from quotes")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: read-only")
    assert ingested("sql", "select count(*) as n from quotes", "--format", "csv").stdout.splitlines()[1] == "3"


def test_sql_without_a_query_runs_each_statement_read_from_stdin(ingested):
    result = ingested("sql", "--format", "csv", input="select count(*) as n\n  from speakers;\ndrop table quotes;\n"
                                                      "select 'done' as status;\n")
    assert result.stdout.splitlines() == ["n", "2", "status", "done"]
    assert "error: read-only" in result.stderr
    assert result.exit_code == 1


def test_a_database_that_cannot_be_opened_is_an_error(tmp_path):
    missing = tmp_path / "missing" / "q.sqlite"
    result = CliRunner().invoke(cli, ["--db", str(missing), "speakers"])
    assert result.exit_code == 1
    assert result.stderr == f"error: no database at {missing}: `quotes ingest` creates it\n"
    result = CliRunner().invoke(cli, ["--db", str(missing), "ingest", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot create the database {missing}: the directory {missing.parent} "
                                    "does not exist")
    assert not missing.parent.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["show", str(2**70)], "is not in the range 1<=x<=9223372036854775807"),
    (["search", "--speaker", "k" * 100_000], "error: --speaker is 100000 characters long; at most 500 are searched"),
    (["search", "--text", " ".join(["harbor"] * 1000)], "error: --text is 6999 characters long"),
    (["search", "--text", " ".join(["pier"] * 80)], "error: --text has 80 words; at most 64 are searched"),
    (["report", "-o", "/dev/full"], "error: cannot write /dev/full: No space left on device"),
])
def test_outsized_arguments_and_unwritable_outputs_are_one_line_errors(ingested, args, message):
    result = ingested(*args)
    assert result.exit_code in (1, 2) and message in result.stderr
    assert "Traceback" not in result.stderr and result.exception is None or isinstance(result.exception, SystemExit)


def test_stored_control_characters_are_printed_escaped_in_search_and_show(run, tmp_path, nlp):
    story = tmp_path / "esc"
    story.mkdir()
    (story / "a.txt").write_text('---\ntitle: "Pier\\e[2J news"\nurl: "https://harbor.test/a\\e]0;owned\\a"\n---\n'
                                 '"The pier reopens in May," said Ana Ruiz, the harbor director.\n')
    assert run("ingest", str(story)).exit_code == 0
    shown = run("show", "1")
    listed = run("search", "--speaker", "ruiz")
    for output in (shown.stdout, listed.stdout):
        assert "\x1b" not in output and "\x07" not in output
    assert "Pier\\x1b[2J news" in shown.stdout and "\\x1b]0;owned\\x07" in shown.stdout
