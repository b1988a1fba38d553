"""Articles longer than spaCy takes at once are parsed in pieces, and one failing article spares the rest (issue 17).

The piece size and ``nlp.max_length`` are lowered here so that short texts take the paths a
1.2 MB article takes; tests/test_resources.py runs one at full size.
"""

from __future__ import annotations

import pytest
import spacy
from click.testing import CliRunner
from spacy.language import Language

from quotes.article import Article
from quotes.cli import cli
from quotes.extract import extract, extract_many, pieces

NAMES = ["Ana Ruiz", "Leo Brandt", "Mira Holm", "Sam Otieno", "Ivo Lund", "Jo Park"]


def ordinary_article(chars: int) -> str:
    """News-like paragraphs, each person quoted by full name, surname and pronoun, up to ``chars`` characters."""
    paras, i = [], 0
    while sum(map(len, paras)) < chars:
        a, b = NAMES[i % len(NAMES)], NAMES[(i + 1) % len(NAMES)]
        paras += [
            f"The council met on day {i} to discuss pier number {i}, which the storms damaged last winter.",
            f'"Pier {i} will reopen once the divers finish their survey," {a} said on Tuesday.',
            f'"We counted {i + 3} damaged pylons and expect more," said {b}, the harbor engineer.',
            f'{a.split()[1]} said the repairs would cost about ${i % 9 + 1} million. She added: "We have the money."',
        ]
        i += 1
    return "\n\n".join(paras)


def summary(mentions) -> list[tuple]:
    return [(m.text, m.start, m.end, m.speaker) for m in mentions]


def test_a_long_run_of_quotation_marks_is_tokenized_in_parts_and_keeps_its_text(nlp):
    text = 'He wrote ' + '"' * 200_000 + ' and stopped.'
    doc = pieces.make_doc(nlp, text)  # whole, the tokenizer would take hours
    assert doc.text == text
    assert [t.text for t in doc[:2]] == ["He", "wrote"]


def test_a_run_no_longer_than_any_word_or_url_is_tokenized_whole(nlp):
    url = "https://example.org/" + "a/" * ((pieces.MAX_RUN_CHARS - 30) // 2)  # with its comma, just under the limit
    text = f"See {url}, she said."
    assert [t.text for t in pieces.make_doc(nlp, text)] == [t.text for t in nlp.tokenizer(text)]


def test_an_article_parsed_in_pieces_gives_the_quotes_and_speakers_it_gives_whole(nlp, monkeypatch):
    text = ordinary_article(6_000)
    whole = extract(text, nlp)
    monkeypatch.setattr(pieces, "MAX_PIECE_TOKENS", 300)
    assert len(pieces._pieces(pieces.make_doc(nlp, text))) > 4
    in_pieces = extract(text, nlp)
    assert summary(in_pieces) == summary(whole)
    assert all(text[m.start : m.end] == m.text for m in in_pieces)
    assert all(text[s.start : s.end] == s.text for m in in_pieces if (s := m.speaker_mention))


def test_names_and_pronouns_resolve_across_pieces(nlp, monkeypatch):
    monkeypatch.setattr(pieces, "MAX_PIECE_TOKENS", 40)
    text = ("Mayor Ana Ruiz opened the new pier on Monday before a crowd of several hundred residents.\n\n"
            + "The pier had been closed for two years after a winter storm broke its pylons.\n\n" * 3
            + '"It was worth the wait," Ruiz said.\n\n"We will keep it open all year," she added.')
    doc = pieces.make_doc(nlp, text)
    parts = [doc[start:end].text for start, end in pieces._pieces(doc)]
    assert "Ana Ruiz" in parts[0] and "Ruiz said" not in parts[0] and "Ana" not in parts[-1]
    assert [m.speaker for m in extract(text, nlp)] == ["Ana Ruiz", "Ana Ruiz"]


def test_an_article_longer_than_spacys_max_length_is_ingested_between_two_others(nlp, monkeypatch, tmp_path):
    monkeypatch.setattr(nlp, "max_length", 5_000)  # as a 1.2 MB article is longer than the default 1,000,000
    monkeypatch.setattr(pieces, "MAX_PIECE_TOKENS", 500)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text('"The ferry runs again," Leo Brandt said.')
    (folder / "b.txt").write_text(ordinary_article(6_000))
    (folder / "c.txt").write_text('"The bridge opens in May," said Mira Holm.')
    runner = CliRunner(env={"QUOTES_ALIASES": str(tmp_path / "aliases.csv")})

    extracted = runner.invoke(cli, ["extract", "--format", "table", str(folder)])
    assert extracted.exit_code == 0, extracted.output
    assert "The ferry runs again" in extracted.output and "The bridge opens in May" in extracted.output
    assert "damaged pylons" in extracted.output

    ingested = runner.invoke(cli, ["--db", f"sqlite:///{tmp_path / 'q.sqlite'}", "ingest", str(folder)])
    assert ingested.exit_code == 0, ingested.output
    assert "articles stored: 3," in ingested.output


@Language.component("fails_on_boom")
def fails_on_boom(doc):
    if "BOOM" in doc.text:
        raise ValueError("cannot take a BOOM")
    return doc


@pytest.fixture(params=["before quotes", "after quotes"])
def fragile_nlp(request) -> Language:
    """A small pipeline that fails on any text saying BOOM, in the batch parse or in the per-article stage."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    if request.param == "before quotes":
        nlp.add_pipe("fails_on_boom")
    nlp.add_pipe("quotes")
    if request.param == "after quotes":
        nlp.add_pipe("fails_on_boom")
    return nlp


def test_one_failing_article_leaves_the_others_of_its_batch_extracted(fragile_nlp):
    articles = [Article(str(i), f'"Pier {i} reopens," said Ana Ruiz.') for i in range(5)]
    articles[2].text = "BOOM"
    failed = []
    done = extract_many(articles, nlp=fragile_nlp, batch_size=16, on_error=lambda a, exc: failed.append((a.id, str(exc))))
    assert [a.id for a, _ in done] == ["0", "1", "3", "4"]
    assert failed == [("2", "cannot take a BOOM")]


def test_a_failing_article_is_logged_when_no_one_asks_for_its_error(fragile_nlp, caplog):
    articles = [Article("good", '"Pier 1 reopens," said Ana Ruiz.'), Article("bad", "BOOM", path="in/bad.txt")]
    assert [a.id for a, _ in extract_many(articles, nlp=fragile_nlp)] == ["good"]
    assert "in/bad.txt: article bad not extracted: ValueError: cannot take a BOOM" in caplog.text


@pytest.mark.parametrize("strict", [False, True])
def test_ingest_counts_an_article_it_cannot_extract_as_an_error_and_stores_the_rest_unless_strict(fragile_nlp, tmp_path, strict):
    from quotes.ingest import ingest
    from quotes.store.db import open_db

    articles = [Article(f"a{i}", f'"Pier {i} reopens today," said Ana Ruiz.', url=f"https://news.example/{i}") for i in range(4)]
    articles[1].text = "BOOM"
    result = ingest(open_db(str(tmp_path / "q.sqlite")), articles, nlp=fragile_nlp, strict=strict)
    assert [str(e) for e in result.errors] == ["https://news.example/1: article a1 not extracted: ValueError: cannot take a BOOM"]
    assert result.articles == (1 if strict else 3)
