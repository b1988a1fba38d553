"""A batch stored together (quotes.store.placing, quotes.store.directory) gives the rows one article at a time gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.exc import DataError, IntegrityError

from quotes.article import Article
from quotes.mention import Mention, Span
from quotes.store.schema import Mention as MentionRow
from quotes.store.db import insert_rows, open_db
from quotes.ingest import in_savepoints
from quotes.store import directory, placing
from quotes.store.placing import Placer
from quotes.store.write import ArticleBatch, _ArticleWriter, store_article, writing
from test_speakers import links
from test_store import dump, pg_server  # noqa: F401  (pg_server is a fixture)

NOW = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
KOREA = "Russia is receiving weapons and munitions for its war in Ukraine from Korea, and we will respond to it"
BRIDGE = "We will open the new bridge in the spring and the ferry will keep running until then"
TUNNEL = "The tunnel under the river will take another four years to finish and cost more"


def article(url: str, *said: tuple, outlet: str = "Harbor Daily", day: int = 1, preface: str = "") -> tuple:
    """An article printing each (words, speaker[, title, organisation]) as '"words," speaker said.' after
    ``preface``, with its mentions."""
    body, mentions = preface, []
    for group, (words, speaker, *role) in enumerate(said):
        start = len(body) + 1
        body += f'"{words}," {speaker or "someone"} said. '
        who = Span(speaker, start + len(words) + 3, start + len(words) + 3 + len(speaker)) if speaker else None
        title, organization = role or (None, None)
        mentions.append(Mention(text=words, start=start, end=start + len(words), speaker=speaker,
                                speaker_kind="person" if speaker else None, speaker_mention=who, cue="said",
                                group=group, confidence=0.9, title=title, organization=organization,
                                role=" ".join(part for part in (organization, title) if part) or None))
    return Article(id=url, text=body, url=url, outlet=outlet, published=dt.date(2024, 3, day)), mentions


def one_by_one(path: Path, articles: list[tuple]) -> dict:
    engine = open_db(str(path))
    for story, mentions in articles:
        store_article(engine, story, mentions, now=NOW)
    return dump(engine)


def together(path: Path, articles: list[tuple]) -> dict:
    engine = open_db(str(path))
    with writing(engine, now=NOW, together=True) as batch:
        for story, mentions in articles:
            batch.store(story, mentions)
    return dump(engine)


def test_repeats_edits_excerpts_and_longer_wordings_are_placed_as_one_article_at_a_time_places_them(tmp_path):
    articles = [
        article("https://a.example/1", (KOREA, "John Kirby"), (BRIDGE, "Ana Ruiz"), day=5),
        article("https://b.example/2", (KOREA.replace("Korea", "Pyongyang"), "John Kirby"), day=6),
        article("https://c.example/3", (KOREA, "John Kirby"), ("The weather is fine", None), day=2),
        article("https://d.example/4", (BRIDGE + " and the buses too", "Ana Ruiz"), (BRIDGE[:40], "Ana Ruiz")),
    ]
    assert together(tmp_path / "together.sqlite", articles) == one_by_one(tmp_path / "one.sqlite", articles)


def test_a_wording_that_joins_two_quotes_of_the_batch_folds_them_as_one_article_at_a_time_does(tmp_path):
    articles = [
        article("https://a.example/1", (BRIDGE, "Ana Ruiz")),
        article("https://b.example/2", (TUNNEL, "Ana Ruiz")),
        article("https://c.example/3", (f"{BRIDGE}. {TUNNEL}", "Ana Ruiz")),  # both, whole: one utterance
        article("https://d.example/4", (TUNNEL, "Ana Ruiz"), (KOREA, "John Kirby")),
    ]
    tables = together(tmp_path / "together.sqlite", articles)
    assert tables == one_by_one(tmp_path / "one.sqlite", articles)
    assert len([quote for quote in tables["quotes"] if "tunnel" in quote[2]]) == 1


def test_a_full_name_taking_in_the_surname_quoted_earlier_in_the_batch_gives_the_rows_of_one_at_a_time(tmp_path):
    articles = [
        article("https://a.example/1", (BRIDGE, "Ruiz")),
        article("https://b.example/2", (TUNNEL, "Ana Ruiz")),  # stores Ana Ruiz, who takes in "Ruiz"
        article("https://c.example/3", (BRIDGE, "Ana Ruiz")),
        article("https://d.example/4", (KOREA, "Ruiz")),  # the surname alone, after the merge
    ]
    tables = together(tmp_path / "together.sqlite", articles)
    assert tables == one_by_one(tmp_path / "one.sqlite", articles)
    assert [speaker[1] for speaker in tables["speakers"]] == ["Ana Ruiz"]


def test_roles_renamed_for_an_acronym_an_article_of_the_batch_spells_out_are_the_ones_a_later_surname_fits(tmp_path):
    articles = [
        article("https://a.example/1", (BRIDGE, "Tom Weller", "director", "HPA")),
        article("https://b.example/2", (KOREA, "Lena Weller", "spokeswoman", "City Police")),
        article("https://c.example/3", (TUNNEL, "Ana Ruiz", "engineer", "Harbor Port Authority"),
                preface="The Harbor Port Authority (HPA) met on Monday. "),  # HPA defined: Weller's role renamed
        article("https://d.example/4", (BRIDGE, "Weller", "engineer", "Harbor Port Authority")),
    ]
    tables = together(tmp_path / "together.sqlite", articles)
    assert tables == one_by_one(tmp_path / "one.sqlite", articles)
    assert ("Weller", "Tom Weller", "surname", 0.8) in links(open_db(str(tmp_path / "together.sqlite")))


def test_a_surname_an_outlet_quoted_earlier_in_the_batch_is_the_namesake_it_quoted(tmp_path):
    articles = [
        article("https://a.example/1", (BRIDGE, "Mark Kelly"), outlet="Desert Daily"),
        article("https://b.example/2", (TUNNEL, "Laura Kelly"), outlet="Plains Post"),
        article("https://a.example/3", (KOREA, "Kelly"), outlet="Desert Daily"),
    ]
    tables = together(tmp_path / "together.sqlite", articles)
    assert tables == one_by_one(tmp_path / "one.sqlite", articles)
    assert ("Kelly", "Mark Kelly", "surname, same outlet", 0.55) in links(open_db(str(tmp_path / "together.sqlite")))


def test_an_article_failing_after_its_merge_wrote_the_batch_leaves_the_quotes_before_it_whole(tmp_path, monkeypatch):
    first, failing, last = (article("https://a.example/1", (BRIDGE, "Ruiz")),
                            article("https://b.example/2", (TUNNEL, "Ana Ruiz")),
                            article("https://c.example/3", (KOREA, "John Kirby")))
    expected = one_by_one(tmp_path / "expected.sqlite", [first, last])
    real = _ArticleWriter.aliases_seen

    def refuse_the_second(writer):  # after Ana Ruiz took in "Ruiz", which wrote the first article's quote
        if any(alias == "Ana Ruiz" for _, alias in writer.names):
            raise DataError("INSERT INTO speaker_aliases ...", {}, Exception("value too long"))
        real(writer)

    monkeypatch.setattr(_ArticleWriter, "aliases_seen", refuse_the_second)
    engine = open_db(str(tmp_path / "together.sqlite"))
    with writing(engine, now=NOW, together=True) as batch:
        batch.store(*first)
        with pytest.raises(DataError):
            batch.store(*failing)
        batch.store(*last)
    assert dump(engine) == expected


def test_a_batch_whose_quotes_the_database_refuses_together_is_stored_again_one_article_at_a_time(tmp_path, monkeypatch):
    articles = [article("https://a.example/1", (BRIDGE, "Ana Ruiz")), article("https://b.example/2", (KOREA, "Kirby"))]
    refusals, real = [], Placer.flush

    def refuse_the_first(placer, db):  # the batch's, as it ends; then each article's own
        if not refusals:
            refusals.append(db)
            raise IntegrityError("INSERT INTO mentions ...", {}, Exception("constraint failed"))
        real(placer, db)

    monkeypatch.setattr(Placer, "flush", refuse_the_first)
    engine = open_db(str(tmp_path / "quotes.sqlite"))
    done = in_savepoints(engine, {}, None, articles, ArticleBatch.store, "not stored")
    assert len(refusals) == 1
    assert [result.articles for _, result in done] == [1, 1]
    assert dump(engine) == one_by_one(tmp_path / "one.sqlite", articles)


def test_a_batch_with_more_names_and_wordings_than_one_look_up_takes_gives_the_rows_of_one_at_a_time(
        tmp_path, monkeypatch):
    monkeypatch.setattr(placing, "CHUNK", 2)  # so three speakers, their names and wordings take several look-ups
    monkeypatch.setattr(directory, "CHUNK", 1)
    articles = [article("https://a.example/1", (BRIDGE, "Ana Ruiz"), (KOREA, "John Kirby")),
                article("https://b.example/2", (BRIDGE, "Ana Ruiz"), (TUNNEL, "Tom Weller")),
                article("https://c.example/3", (KOREA.replace("Korea", "Pyongyang"), "John Kirby"), (TUNNEL, "Tom Weller"))]
    assert together(tmp_path / "together.sqlite", articles) == one_by_one(tmp_path / "one.sqlite", articles)


def test_an_acronym_spelled_out_mid_batch_leaves_the_queued_mentions_with_the_role_they_fold_into(tmp_path):
    articles = [  # "NSC" is folded into "National Security Council" by the third article, the second's role
        article("https://a.example/1", (BRIDGE, "John Kirby", "spokesman", "National Security Council")),
        article("https://a.example/2", (KOREA, "John Kirby", "spokesman", "NSC")),
        article("https://a.example/3", (TUNNEL, "Sam Reyes", "spokeswoman", "Red Cross"),
                preface="Kirby speaks for the National Security Council (NSC). "),
    ]
    tables = together(tmp_path / "together.sqlite", articles)
    assert tables == one_by_one(tmp_path / "one.sqlite", articles)
    assert len({row[4] for row in tables["mentions"] if row[4] is not None}) == 2  # Kirby's one role, Reyes's


def test_quotes_held_back_that_the_database_refuses_mid_batch_blame_no_article_and_the_batch_is_stored_again(
        tmp_path, monkeypatch):
    articles = [article("https://a.example/1", (BRIDGE, "Ruiz")),
                article("https://b.example/2", (TUNNEL, "Ana Ruiz")),  # takes in "Ruiz": the queue is written
                article("https://c.example/3", (KOREA, "John Kirby"))]
    refusals, real = [], Placer._write

    def refuse_the_first(*args):
        if not refusals:
            refusals.append(1)
            raise IntegrityError("INSERT INTO mentions ...", {}, Exception("constraint failed"))
        real(*args)

    monkeypatch.setattr(Placer, "_write", staticmethod(refuse_the_first))
    engine = open_db(str(tmp_path / "quotes.sqlite"))
    done = in_savepoints(engine, {}, None, articles, ArticleBatch.store, "not stored")
    assert len(refusals) == 1
    assert [result.articles for _, result in done] == [1, 1, 1]
    assert dump(engine) == one_by_one(tmp_path / "one.sqlite", articles)


@pytest.mark.postgres
def test_on_postgresql_rows_copy_refuses_are_the_error_sqlalchemy_raises_for_any_statement(pg_server):
    engine = open_db(pg_server("copy"))
    with pytest.raises(DataError), engine.begin() as conn:
        insert_rows(conn, MentionRow.__table__, [{"quote_id": 1, "article_id": 1, "text": "x", "start": 0, "end": 1,
                                               "kind": "k" * 40, "group": 0, "confidence": 0.5}])
    engine.dispose()
