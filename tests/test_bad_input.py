"""Bad input gets a clear line per file and never stops or spoils the rest of an ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli

GOOD = 'The harbor reopened on Monday.\n"Every crane has been checked twice," said Mira Holm, the port director.\n'
LINES = [
    {"id": "a1", "text": '"We will rebuild the pier by June," Mayor Ana Ruiz said.', "outlet": "Wire"},
    {"id": "a2", "text": '"Nobody was hurt in the storm," fire chief Leo Brandt said.', "outlet": "Wire"},
]


def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "latin1.txt").write_bytes('"Caf\xe9 au lait," said Jo.'.encode("latin-1"))
    (folder / "empty.txt").write_text("")
    lines = [json.dumps(LINES[0]), '{"id": "broken", "text": "unterminated', json.dumps(LINES[1])]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "good.txt").write_text(GOOD)
    return folder


def run(tmp_path: Path, *args: str):
    url = f"sqlite:///{tmp_path / 'quotes.sqlite'}"
    return CliRunner(env={"QUOTES_ALIASES": str(tmp_path / "aliases.csv")}).invoke(cli, ["--db", url, *args])


def test_a_folder_of_bad_files_stores_the_good_articles_names_each_bad_one_and_exits_1(tmp_path, nlp):
    result = run(tmp_path, "ingest", str(mixed_folder(tmp_path)))
    assert result.exit_code == 1
    for name in ("binary.txt", "latin1.txt", "empty.txt", "feed.jsonl:2"):
        assert name in result.stderr
    assert "Traceback" not in result.output
    speakers = json.loads(run(tmp_path, "sql", "select name from speakers order by name", "--format", "json").stdout)
    assert [s["name"] for s in speakers] == ["Ana Ruiz", "Leo Brandt", "Mira Holm"]


def test_strict_stops_at_the_first_bad_file(tmp_path, nlp):
    result = run(tmp_path, "ingest", "--strict", str(mixed_folder(tmp_path)))
    assert result.exit_code == 1
    assert result.stderr.count("error:") == 1


def test_a_file_over_the_size_limit_is_refused_by_name(tmp_path, monkeypatch, nlp):
    big = tmp_path / "big.txt"
    big.write_text(GOOD * 50)
    monkeypatch.setenv("QUOTES_MAX_BYTES", "1000")
    result = run(tmp_path, "ingest", str(big))
    assert result.exit_code == 1 and "big.txt" in result.stderr and "larger than 1000 bytes" in result.stderr


def test_a_nul_character_inside_an_article_is_dropped_and_the_article_stored(tmp_path, nlp):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({**LINES[0], "text": LINES[0]["text"].replace("pier", "pi\u0000er")}) + "\n")
    result = run(tmp_path, "ingest", str(feed))
    assert result.exit_code == 0
    rows = json.loads(run(tmp_path, "sql", "select body from articles", "--format", "json").stdout)
    assert rows == [{"body": LINES[0]["text"]}]


@pytest.mark.parametrize("refusal", ["DataError", "IntegrityError"])
def test_an_article_the_database_refuses_is_named_and_the_rest_are_stored(tmp_path, monkeypatch, nlp, refusal):
    import sqlalchemy.exc

    from quotes.store.write import ArticleBatch

    store = ArticleBatch.store

    def refuse_a1(batch, article, mentions):  # a value PostgreSQL cannot hold; a row a concurrent writer stored first
        if article.id == "a1":
            raise getattr(sqlalchemy.exc, refusal)("INSERT INTO articles ...", {}, Exception("value out of range"))
        return store(batch, article, mentions)

    monkeypatch.setattr(ArticleBatch, "store", refuse_a1)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(line) + "\n" for line in LINES))
    result = run(tmp_path, "ingest", str(feed))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{feed}: article a1 not stored: value out of range" in result.stderr
    speakers = json.loads(run(tmp_path, "sql", "select name from speakers", "--format", "json").stdout)
    assert speakers == [{"name": "Leo Brandt"}]


def test_extract_names_an_article_extraction_gave_up_on_and_prints_the_others(tmp_path, monkeypatch, nlp):
    import quotes.extract.components as components

    real = components.attribute

    def fail_on_b(doc, *args, **kwargs):  # as a component would fail on an article it cannot handle
        if "second" in doc.text:
            raise RuntimeError("cannot attribute this one")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(components, "attribute", fail_on_b)
    for name, word in (("a.txt", "first"), ("b.txt", "second"), ("c.txt", "third")):
        (tmp_path / name).write_text(f'"The {word} ferry leaves at noon," said Ana Ruiz.\n')
    result = CliRunner().invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    assert [json.loads(line)["text"].split()[1] for line in result.stdout.splitlines()] == ["first", "third"]
    assert f"error: {tmp_path / 'b.txt'}: article {tmp_path / 'b.txt'} not extracted: RuntimeError: cannot attribute this one" in result.stderr
