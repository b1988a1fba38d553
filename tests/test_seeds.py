"""The seeds end to end, through the CLI: what `make demo` shows and issue 2's acceptance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.article import Article
from quotes.read import read_paths
from quotes.cli import cli

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CONTRACT_KEYS = {
    "article_id", "url", "outlet", "text", "start", "end", "speaker", "speaker_kind", "speaker_mention",
    "role", "title", "organization", "cue", "kind", "group", "confidence",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory, nlp):
    """``quotes --db <a database holding the ingested seeds> ARGS...``."""
    folder = tmp_path_factory.mktemp("seeds")
    url = f"sqlite:///{folder / 'quotes.sqlite'}"
    runner = CliRunner(env={"QUOTES_ALIASES": str(folder / "aliases.csv")})

    def invoke(*args: str):
        return runner.invoke(cli, ["--db", url, *args])

    result = invoke("ingest", str(SEEDS))
    assert result.exit_code == 0, result.output
    return invoke


def search(run, *args: str) -> list[dict]:
    result = run("search", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_kirby_has_five_quotes_three_carried_by_both_seed_outlets(run):
    quotes = search(run, "--speaker", "kirby")
    assert len(quotes) == 5
    shared = [q for q in quotes if len(q["sources"]) == 2]
    assert len(shared) == 3
    assert all({s["outlet"] for s in q["sources"]} == {"Fox News", "Benzinga"} for q in shared)


def test_from_korea_and_from_pyongyang_are_one_quote(run):
    [quote] = search(run, "--speaker", "kirby", "--text", "proposed deal")
    wordings = sorted(s["text"] for s in quote["sources"])
    assert any(w.rstrip(",.").endswith("from Korea") for w in wordings)
    assert any(w.rstrip(",.").endswith("from Pyongyang") for w in wordings)


def test_every_kirby_quote_names_him_in_full_with_his_roles(run):
    quotes = search(run, "--speaker", "kirby")
    assert {q["speaker"] for q in quotes} == {"John Kirby"}
    roles = {r for q in quotes for r in q["roles"]}
    assert any("coordinator" in r for r in roles) and any("spokes" in r for r in roles)


def test_no_speaker_is_a_pronoun_or_a_bare_surname(run):
    result = run("sql", "select name from speakers", "--format", "json")
    names = {row["name"] for row in json.loads(result.stdout)}
    assert not names & {"He", "he", "Kirby", "She", "Reyes", "Alvarez"}


def test_cross_headlines_see_also_and_boilerplate_give_no_quotes(run):
    result = run("sql", "select mention_text from quote_sources", "--format", "json")
    texts = " | ".join(row["mention_text"] for row in json.loads(result.stdout))
    for junk in ("RED ZONE", "Cat Videos", "Read the full article", "Harbour Lights", "rust belt"):
        assert junk not in texts


def test_the_same_words_from_two_speakers_stay_two_quotes(run):
    quotes = search(run, "--text", "monitoring the situation closely")
    assert {q["speaker"] for q in quotes} == {"Maria Alvarez", "Tomas Reyes"}


def test_a_quote_edited_between_outlets_is_one_quote_with_both_sources(run):
    [quote] = search(run, "--speaker", "reyes", "--text", "lose a paycheck")
    assert {s["outlet"] for s in quote["sources"]} == {"Northfield Herald", "Coastal Times"}


def test_a_speaker_keeps_each_role_an_article_gives(run):
    result = run("speakers", "show", "Tomas Reyes")
    assert result.exit_code == 0, result.output
    assert "deputy mayor" in result.stdout and "acting mayor" in result.stdout


def test_anonymous_sources_and_organisations_speak_as_themselves(run):
    result = run("sql", "select name, kind from speakers", "--format", "json")
    kinds = {row["name"]: row["kind"] for row in json.loads(result.stdout)}
    assert kinds["one dock supervisor"] == "anonymous"
    assert kinds["transport ministry"] == "organization"


def test_sql_reads_the_public_view_and_refuses_to_delete(run):
    before = run("sql", "select speaker, quote, outlet, url from quote_sources", "--format", "json")
    assert before.exit_code == 0 and json.loads(before.stdout)
    refused = run("sql", "delete from quotes")
    assert refused.exit_code == 1
    after = run("sql", "select speaker, quote, outlet, url from quote_sources", "--format", "json")
    assert after.stdout == before.stdout


def test_extract_prints_the_design_contract_with_exact_offsets(nlp):
    bodies = {a.id: a.text for a in read_paths([str(SEEDS)]) if isinstance(a, Article)}
    result = CliRunner().invoke(cli, ["extract", str(SEEDS)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) > 20
    for record in records:
        assert set(record) == CONTRACT_KEYS
        assert bodies[record["article_id"]][record["start"] : record["end"]] == record["text"]
        mention = record["speaker_mention"]
        if mention is not None:
            assert bodies[record["article_id"]][mention["start"] : mention["end"]] == mention["text"]
