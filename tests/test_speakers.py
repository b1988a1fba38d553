"""Speakers and roles (issue 4): one person, one speaker, across every article, with a role history."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from click.testing import CliRunner
from sqlalchemy import Engine, select, text

from quotes.article import Article
from quotes.cli import cli
from quotes.mention import Mention, Span
from quotes.ingest import ingest
from quotes.names import near_surnames, roles_fit, split_name, title_family
from quotes.read import read_paths
from quotes.store import schema
from quotes.store.db import make_engine, open_db
from quotes.store.speakers import (
    AliasFileError,
    AmbiguousSpeaker,
    SpeakerNotFound,
    alias,
    merge,
    read_alias_file,
)
from quotes.store.write import store_article
from quotes.store.profile import speaker_profile
from quotes.store.query import search, speakers

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Said:
    """One quote for an invented article: the words, who said them as extraction names them, and the role given."""

    words: str
    speaker: str
    title: str | None = None
    organization: str | None = None
    kind: str = "person"


def publish(engine: Engine, url: str, *quotes: Said, preface: str = "", outlet: str | None = None,
            published: dt.date | None = None) -> None:
    """Store an article: ``preface``, then each quote as '"words," <speaker> said.', with hand-built mentions."""
    body, mentions = preface, []
    for number, said in enumerate(quotes):
        start = len(body) + 2
        body += f' "{said.words}," {said.speaker} said.'
        who = start + len(said.words) + 3
        role = " ".join(part for part in (said.organization, said.title) if part) or None
        mentions.append(Mention(
            text=said.words, start=start, end=start + len(said.words), speaker=said.speaker,
            speaker_kind=said.kind, speaker_mention=Span(said.speaker, who, who + len(said.speaker)),
            role=role, title=said.title, organization=said.organization, cue="said", group=number,
        ))
    store_article(engine, Article(id=url, text=body, url=url, outlet=outlet, published=published), mentions)


def names(engine: Engine) -> list[str]:
    """Every stored speaker's name, oldest first."""
    with engine.connect() as conn:
        return list(conn.scalars(select(schema.Speaker.name).order_by(schema.Speaker.id)))


def speaker_of(engine: Engine, words: str) -> str | None:
    """The speaker of the one quote containing ``words``."""
    [found] = search(engine, text=words)
    return found["speaker"]


def aliases_of(engine: Engine, name: str) -> dict[str, str]:
    """The speaker's aliases (besides its name) with their origins."""
    return {a["alias"]: a["origin"] for a in speaker_profile(engine, name)["aliases"]}


def roles_of(engine: Engine, name: str) -> list[tuple[str, str, str, str]]:
    """The speaker's roles as (title family, organisation, first seen, last seen), oldest first."""
    return [(r["title"], r["organization"], r["first_seen"], r["last_seen"])
            for r in speaker_profile(engine, name)["roles"]]


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_db(f"sqlite:///{tmp_path / 'quotes.sqlite'}")


# --- names, titles and the rules on them ---------------------------------------------------------

def test_split_name_drops_honorifics_and_suffixes_and_keeps_particles_with_the_surname():
    assert split_name("Gov. Laura Kelly") == ("laura", "kelly")
    assert split_name("Kelly") == (None, "kelly")
    assert split_name("Martin Luther King Jr.") == ("martin", "king")
    assert split_name("Ursula von der Leyen") == ("ursula", "von der leyen")
    assert split_name("José Álvarez") == ("jose", "alvarez")


def test_spokesman_spokeswoman_and_spokesperson_are_one_title_family():
    assert {title_family(t) for t in ("spokesman", "Spokeswoman", "spokesperson")} == {"spokesperson"}
    assert title_family("deputy spokeswoman") == "deputy spokesperson"
    assert title_family("coordinator") == "coordinator"


def test_roles_fit_on_a_shared_organisation_or_the_same_title_head_word():
    nsc_spokesperson = [("spokesperson", "National Security Council")]
    assert roles_fit([("national security spokesperson", "White House")], nsc_spokesperson)
    assert roles_fit([("coordinator", "National Security Council")], nsc_spokesperson)
    assert not roles_fit([("governor", "")], [("senator", "")])
    assert not roles_fit([("", "")], [("", "")])


def test_near_surnames_allow_one_edit_per_four_letters_and_never_more_than_two():
    assert near_surnames("zelensky", "zelenskyy") and near_surnames("zelenskyy", "zelenskiy")
    assert near_surnames("kelly", "kelley")
    assert not near_surnames("kelly", "kelsey")  # two edits in five letters
    assert not near_surnames("li", "lu")
    assert near_surnames("tikhanovskaya", "tsikhanouskaya")
    assert not near_surnames("kowalczyk", "kovalchuk")  # three edits


# --- identity across articles ---------------------------------------------------------------------

def test_a_surname_only_mention_joins_the_known_speaker_whose_role_fits(engine):
    publish(engine, "https://a.example/1", Said("We remain concerned about the talks", "John Kirby",
                                                 "spokesperson", "National Security Council"))
    publish(engine, "https://b.example/2", Said("We will keep watching the border closely", "Kirby",
                                                 "national security spokesman", "White House"))
    assert names(engine) == ["John Kirby"]
    assert speaker_of(engine, "border") == "John Kirby"


def links(engine: Engine) -> list[tuple[str, str, str, float]]:
    """Every recorded speaker link as (name as printed, speaker, how, score), oldest first."""
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(
            select(schema.SpeakerLink.name, schema.Speaker.name, schema.SpeakerLink.how, schema.SpeakerLink.score)
            .join(schema.Speaker, schema.Speaker.id == schema.SpeakerLink.speaker_id).order_by(schema.SpeakerLink.id))]


def test_a_surname_only_mention_without_a_role_joins_the_only_person_of_that_surname_as_a_weak_link(engine):
    publish(engine, "https://a.example/1", Said("We remain concerned about the talks", "John Kirby",
                                                 "spokesperson", "National Security Council"))
    publish(engine, "https://b.example/2", Said("We will keep watching the border closely", "Kirby"))
    assert names(engine) == ["John Kirby"]
    assert links(engine) == [("John Kirby", "John Kirby", "new", 1.0), ("Kirby", "John Kirby", "surname, no role", 0.5)]


def test_a_surname_with_a_role_in_the_same_field_joins_the_only_person_of_that_surname(engine):
    publish(engine, "https://a.example/1", Said("We remain concerned about the talks", "John Kirby",
                                                 "coordinator", "National Security Council"))
    publish(engine, "https://b.example/2", Said("We will keep watching the border closely", "Kirby",
                                                 "national security spokesman", "White House"))
    assert names(engine) == ["John Kirby"]
    assert {r[:2] for r in roles_of(engine, "John Kirby")} == {("coordinator", "National Security Council"),
                                                              ("national security spokesperson", "White House")}


def test_a_middle_initial_does_not_make_another_person(engine):
    publish(engine, "https://a.example/1", Said("The wall will be built", "Donald Trump", "candidate"))
    publish(engine, "https://b.example/2", Said("We are going to win big", "Donald J. Trump"))
    assert names(engine) == ["Donald Trump"]
    assert links(engine)[-1] == ("Donald J. Trump", "Donald Trump", "full name, no role", 0.7)


def test_a_senator_and_a_governor_of_one_surname_stay_apart(engine):
    publish(engine, "https://a.example/1", Said("The vote will happen on Tuesday", "Mark Kelly", "senator", "Senate"))
    publish(engine, "https://b.example/2", Said("Schools will reopen next week", "Kelly", "governor", "Kansas"))
    assert names(engine) == ["Mark Kelly", "Kelly"]


def test_a_bare_surname_stored_before_the_full_name_joins_it_as_a_weak_link(engine):
    publish(engine, "https://a.example/1", Said("Ohio will not raise the gas tax", "Kasich"))
    publish(engine, "https://b.example/2", Said("We balanced the budget twice", "John Kasich", "governor", "Ohio"))
    assert names(engine) == ["John Kasich"]
    assert speaker_of(engine, "gas tax") == "John Kasich"
    assert links(engine) == [("Kasich", "John Kasich", "surname, no role", 0.5), ("John Kasich", "John Kasich", "new", 1.0)]
    assert aliases_of(engine, "John Kasich")["Kasich"] == "seen"


def test_a_bare_surname_whose_role_conflicts_with_the_later_full_name_stays_apart(engine):
    publish(engine, "https://a.example/1", Said("Schools will reopen next week", "Kelly", "governor", "Kansas"))
    publish(engine, "https://b.example/2", Said("The vote will happen on Tuesday", "Mark Kelly", "senator", "Senate"))
    assert names(engine) == ["Kelly", "Mark Kelly"]


def test_a_bare_surname_a_person_gave_a_name_stays_apart_from_a_later_full_name(engine):
    publish(engine, "https://a.example/1", Said("Ohio will not raise the gas tax", "Kasich"))
    alias(engine, "Kasich", "Mr. Kasich")
    publish(engine, "https://b.example/2", Said("We balanced the budget twice", "John Kasich", "governor", "Ohio"))
    assert names(engine) == ["Kasich", "John Kasich"]


def test_a_surname_only_mention_whose_role_fits_nobody_becomes_a_speaker_under_that_name(engine):
    publish(engine, "https://a.example/1", Said("We remain concerned about the talks", "John Kirby",
                                                 "spokesperson", "National Security Council"))
    publish(engine, "https://b.example/2", Said("The harvest was the best in a decade", "Kirby",
                                                 "farmer", "Kirby Family Farms"))
    assert names(engine) == ["John Kirby", "Kirby"]


def test_namesakes_are_told_apart_by_their_roles(engine):
    publish(engine, "https://a.example/1", Said("The vote will happen on Tuesday", "Mark Kelly", "senator"))
    publish(engine, "https://a.example/2", Said("Schools will reopen next week", "Laura Kelly", "governor", "Kansas"))
    publish(engine, "https://b.example/3", Said("The budget protects every classroom", "Kelly", "governor"))
    publish(engine, "https://b.example/4", Said("The amendment failed by two votes", "Kelly", "senator"))
    assert names(engine) == ["Mark Kelly", "Laura Kelly"]
    assert speaker_of(engine, "classroom") == "Laura Kelly"
    assert speaker_of(engine, "amendment") == "Mark Kelly"


def test_a_surname_that_fits_two_namesakes_is_not_guessed(engine):
    publish(engine, "https://a.example/1", Said("The vote will happen on Tuesday", "Mark Kelly", "senator"))
    publish(engine, "https://a.example/2", Said("The bill is dead on arrival", "Megan Kelly", "senator"))
    publish(engine, "https://b.example/3", Said("The amendment failed by two votes", "Kelly", "senator"))
    assert speaker_of(engine, "amendment") == "Kelly"


def test_surname_only_resolution_works_on_extracted_articles(engine, nlp):
    ingest(engine, [
        Article(id="1", text='"We remain concerned about the talks this week," said John Kirby, '
                             'the National Security Council spokesman.'),
        Article(id="2", text='"We will keep watching the border closely," Kirby, '
                             'the White House national security spokesman, said.'),
    ], nlp=nlp)
    assert [s["name"] for s in speakers(engine)] == ["John Kirby"]


def test_a_spelling_variant_with_the_same_given_name_and_a_fitting_role_is_merged_automatically(engine):
    publish(engine, "https://a.example/1", Said("We need more air defence now", "Volodymyr Zelenskyy",
                                                 "president", "Ukraine"))
    publish(engine, "https://b.example/2", Said("The front line is holding this week", "Volodymyr Zelensky",
                                                 "president", "Ukrainian"))
    publish(engine, "https://c.example/3", Said("Our partners must act faster than this", "Volodymyr Zelenskiy",
                                                 "president"))
    assert names(engine) == ["Volodymyr Zelenskyy"]
    assert aliases_of(engine, "Volodymyr Zelenskyy") == {"Volodymyr Zelensky": "variant",
                                                         "Volodymyr Zelenskiy": "variant"}


def test_a_merged_variant_is_recognised_by_its_alias_even_without_a_role(engine):
    publish(engine, "https://a.example/1", Said("We need more air defence now", "Volodymyr Zelenskyy", "president"))
    publish(engine, "https://b.example/2", Said("The front line is holding", "Volodymyr Zelensky", "president"))
    publish(engine, "https://c.example/3", Said("Our partners must act faster than this", "Volodymyr Zelensky"))
    assert names(engine) == ["Volodymyr Zelenskyy"]


def test_a_spelling_variant_with_another_given_name_is_kept_apart(engine):
    publish(engine, "https://a.example/1", Said("We need more air defence now", "Volodymyr Zelenskyy", "president"))
    publish(engine, "https://b.example/2", Said("The front line is holding", "Oleksandr Zelensky", "president"))
    assert names(engine) == ["Volodymyr Zelenskyy", "Oleksandr Zelensky"]


def test_a_spelling_variant_whose_roles_do_not_fit_is_kept_apart(engine):
    publish(engine, "https://a.example/1", Said("Rates will stay on hold", "Anna Petrova", "economist", "Sberbank"))
    publish(engine, "https://b.example/2", Said("The match was a disgrace", "Anna Petrov", "coach", "Spartak"))
    publish(engine, "https://c.example/3", Said("Nothing was decided today", "Anna Petrovna"))
    assert names(engine) == ["Anna Petrova", "Anna Petrov", "Anna Petrovna"]


def test_anonymous_sources_are_never_merged_across_articles_even_with_the_same_role(engine):
    official = Said("We are not aware of any such plan", "a senior official", "official", "State Department",
                    kind="anonymous")
    publish(engine, "https://a.example/1", official)
    publish(engine, "https://b.example/2", replace(official, words="No decision has been made yet"))
    assert names(engine) == ["a senior official", "a senior official"]


# --- roles and acronyms ---------------------------------------------------------------------------

def test_spokesman_and_spokeswoman_in_one_organisation_are_one_role_and_mentions_keep_the_printed_title(engine):
    publish(engine, "https://a.example/1", Said("The ceasefire holds", "Sam Reyes", "spokesman", "Red Cross"),
            published=dt.date(2024, 1, 5))
    publish(engine, "https://b.example/2", Said("Aid is getting through", "Sam Reyes", "spokeswoman", "Red Cross"),
            published=dt.date(2024, 2, 9))
    assert roles_of(engine, "Sam Reyes") == [("spokesperson", "Red Cross", "2024-01-05", "2024-02-09")]
    with engine.connect() as conn:
        assert set(conn.scalars(select(schema.Mention.title))) == {"spokesman", "spokeswoman"}


def test_an_organisation_printed_as_an_acronym_is_stored_under_the_definition_of_any_article(engine):
    publish(engine, "https://a.example/1", Said("Talks resume on Monday", "John Kirby", "coordinator",
                                                 "National Security Council"),
            preface="The National Security Council (NSC) met on Friday.")
    publish(engine, "https://b.example/2", Said("We remain concerned", "John Kirby", "spokesman", "U.S. NSC"))
    assert roles_of(engine, "John Kirby")[1][:2] == ("spokesperson", "National Security Council")
    with engine.connect() as conn:
        assert conn.execute(select(schema.Acronym.acronym, schema.Acronym.expansion)).all() == [
            ("NSC", "National Security Council")]


def test_an_acronym_defined_by_a_later_article_spells_out_the_roles_stored_before(engine):
    publish(engine, "https://a.example/1", Said("We remain concerned", "John Kirby", "spokesman", "NSC"))
    publish(engine, "https://a.example/2", Said("Talks resume on Monday", "John Kirby", "spokesman",
                                                 "National Security Council"),
            preface="Kirby speaks for the National Security Council (NSC).")
    assert [role[:2] for role in roles_of(engine, "John Kirby")] == [("spokesperson", "National Security Council")]


def test_an_acronym_defined_two_ways_is_left_as_printed(engine):
    publish(engine, "https://a.example/1", Said("Ships are waiting", "Ann Lee", "director", "Port Authority"),
            preface="The Port Authority (PA) is busy.")
    publish(engine, "https://a.example/2", Said("Elections are due", "Omar Said", "minister", "Palestinian Authority"),
            preface="The Palestinian Authority (PA) met.")
    publish(engine, "https://a.example/3", Said("Ships are still waiting", "Ann Lee", "director", "PA"))
    assert [role[:2] for role in roles_of(engine, "Ann Lee")] == [("director", "Port Authority"), ("director", "PA")]


def test_search_by_role_matches_the_title_family_and_the_organisation(engine):
    publish(engine, "https://a.example/1", Said("The ceasefire holds", "Sam Reyes", "spokeswoman", "Red Cross"))
    assert [q["speaker"] for q in search(engine, role="spokesman")] == ["Sam Reyes"]
    assert [q["speaker"] for q in search(engine, role="red cross")] == ["Sam Reyes"]
    assert search(engine, role="coordinator") == []


def test_search_by_role_finds_an_organisation_by_an_acronym_some_article_defined(engine):
    publish(engine, "https://a.example/1", Said("Talks resume on Monday", "John Kirby", "coordinator",
                                                 "National Security Council"),
            preface="The National Security Council (NSC) met on Friday.")
    publish(engine, "https://a.example/2", Said("The ceasefire holds", "Sam Reyes", "spokeswoman", "Red Cross"))
    assert [q["speaker"] for q in search(engine, role="NSC")] == ["John Kirby"]
    assert [s["name"] for s in speakers(engine, role="nsc")] == ["John Kirby"]


# --- merging and aliases by hand -------------------------------------------------------------------

@pytest.fixture
def two_zelenskys(engine: Engine) -> Engine:
    """The same quote filed under "Volodymyr Zelenskyy" and, lacking a role, under a bare "Zelensky"."""
    publish(engine, "https://a.example/1", Said("We need more air defence systems before the winter comes",
                                                 "Volodymyr Zelenskyy", "president", "Ukraine"),
            outlet="Kyiv Post", published=dt.date(2024, 3, 1))
    publish(engine, "https://b.example/2", Said("We need more air defence systems before the winter starts",
                                                 "Zelensky"), outlet="Wire", published=dt.date(2024, 2, 28))
    return engine


def test_merge_moves_mentions_and_aliases_and_joins_the_quotes_dedup_calls_the_same(two_zelenskys):
    done = merge(two_zelenskys, "Volodymyr Zelenskyy", "Zelensky")
    assert (done.kept, done.merged, done.mentions, done.quotes_joined) == ("Volodymyr Zelenskyy", "Zelensky", 1, 1)
    assert names(two_zelenskys) == ["Volodymyr Zelenskyy"]
    [quote] = search(two_zelenskys, speaker="zelensky")
    assert (quote["first_seen"], len(quote["sources"])) == ("2024-02-28", 2)
    assert aliases_of(two_zelenskys, "Volodymyr Zelenskyy")["Zelensky"] == "user"


def test_merging_two_speakers_who_said_the_same_words_keeps_the_wording_once(engine):
    words = "We need more air defence systems before the winter comes"
    publish(engine, "https://a.example/1", Said(words, "Volodymyr Zelenskyy", "president", "Ukraine"))
    publish(engine, "https://b.example/2", Said(f"{words}!", "Zelensky"))
    merge(engine, "Volodymyr Zelenskyy", "Zelensky")
    with engine.connect() as conn:
        assert conn.execute(text("select normalized from quote_wordings")).scalars().all() == [
            "we need more air defence systems before the winter comes"]


def test_after_a_merge_articles_naming_the_merged_speaker_go_to_the_kept_one(two_zelenskys):
    merge(two_zelenskys, "Volodymyr Zelenskyy", "Zelensky")
    publish(two_zelenskys, "https://c.example/3", Said("The front line is holding", "Zelensky"))
    assert names(two_zelenskys) == ["Volodymyr Zelenskyy"]


def test_merge_folds_a_role_both_speakers_hold_into_one_spanning_both_dates(engine):
    publish(engine, "https://a.example/1", Said("Rates stay on hold", "Anna Petrova", "economist", "Sberbank"),
            published=dt.date(2024, 1, 1))
    publish(engine, "https://a.example/2", Said("Inflation is easing", "A. Petrova", "economist", "Sberbank"),
            published=dt.date(2024, 5, 1))
    merge(engine, "Anna Petrova", "A. Petrova")
    assert roles_of(engine, "Anna Petrova") == [("economist", "Sberbank", "2024-01-01", "2024-05-01")]
    assert len(speaker_profile(engine, "Anna Petrova")["roles"][0]["sources"]) == 2


def test_merging_a_speaker_into_itself_or_an_unknown_speaker_is_refused(two_zelenskys):
    with pytest.raises(ValueError, match="same speaker"):
        merge(two_zelenskys, "Zelensky", "zelensky")
    with pytest.raises(SpeakerNotFound):
        merge(two_zelenskys, "Zelensky", "Nobody Known")


def test_an_alias_files_later_mentions_of_it_under_the_speaker(engine):
    publish(engine, "https://a.example/1", Said("The ceasefire holds", "Sam Reyes", "spokesman", "Red Cross"))
    assert alias(engine, "sam reyes", "Samuel Reyes") == "Sam Reyes"
    publish(engine, "https://b.example/2", Said("Aid is getting through", "Samuel Reyes"))
    assert names(engine) == ["Sam Reyes"]


def test_an_alias_naming_a_stored_speaker_merges_that_speaker_in(two_zelenskys):
    alias(two_zelenskys, "Volodymyr Zelenskyy", "Zelensky")
    assert names(two_zelenskys) == ["Volodymyr Zelenskyy"]
    assert len(search(two_zelenskys, speaker="zelensky")) == 1


def test_an_alias_of_a_speaker_stored_only_under_the_alias_renames_it(engine):
    publish(engine, "https://a.example/1", Said("The front line is holding", "Zelensky"))
    alias(engine, "Volodymyr Zelenskyy", "Zelensky")
    assert names(engine) == ["Volodymyr Zelenskyy"]
    with pytest.raises(SpeakerNotFound):
        alias(engine, "Nobody Known", "Nobody")


def test_an_ambiguous_name_is_refused_and_the_ids_tell_the_speakers_apart(engine):
    official = Said("We are not aware of any such plan", "a senior official", kind="anonymous")
    publish(engine, "https://a.example/1", official)
    publish(engine, "https://b.example/2", replace(official, words="No decision has been made yet"))
    with pytest.raises(AmbiguousSpeaker, match=r"a senior official \(#1\), a senior official \(#2\)"):
        speaker_profile(engine, "a senior official")
    assert speaker_profile(engine, "2")["speaker_id"] == 2


# --- the alias file ---------------------------------------------------------------------------------

def test_the_alias_file_is_name_alias_csv_and_a_missing_file_has_no_aliases(tmp_path):
    path = tmp_path / "aliases.csv"
    assert read_alias_file(path) == []
    path.write_text('name,alias\n\nVolodymyr Zelenskyy,Zelensky\n"Kirby, John",Kirby\n')
    assert read_alias_file(path) == [("Volodymyr Zelenskyy", "Zelensky"), ("Kirby, John", "Kirby")]


def test_an_alias_file_without_its_header_or_with_an_incomplete_row_is_an_error(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("Volodymyr Zelenskyy,Zelensky\n")
    with pytest.raises(AliasFileError, match="first line must be name,alias"):
        read_alias_file(path)
    path.write_text("name,alias\nVolodymyr Zelenskyy,Zelensky\nJohn Kirby\n")
    with pytest.raises(AliasFileError, match=r"aliases.csv:3: expected a canonical name and an alias"):
        read_alias_file(path)


def test_cli_ingest_with_a_broken_alias_file_is_an_error(tmp_path):
    (tmp_path / "aliases.csv").write_text("John Kirby\n")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "q.sqlite"), "ingest", "--aliases",
                                      str(tmp_path / "aliases.csv"), str(tmp_path)])
    assert result.exit_code == 1
    assert "error: " in result.stderr and "aliases.csv:1: the first line must be name,alias" in result.stderr


def test_ingest_applies_the_alias_file_to_stored_speakers_and_new_articles(two_zelenskys, tmp_path, nlp):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,alias\nVolodymyr Zelenskyy,Zelensky\nOlena Zelenska,Zelenska\n")
    ingest(two_zelenskys, [Article(id="3", text='"Our children need schools that are safe," Zelenska said.')],
           nlp=nlp, alias_file=aliases)
    assert names(two_zelenskys) == ["Volodymyr Zelenskyy", "Olena Zelenska"]


# --- speakers show ------------------------------------------------------------------------------------

def test_speaker_profile_gives_aliases_a_role_timeline_with_sources_and_quotes_per_outlet(engine):
    publish(engine, "https://daily.example/1", Said("Talks resume on Monday", "John Kirby", "coordinator",
                                                     "National Security Council"),
            outlet="The Daily", published=dt.date(2024, 1, 10))
    publish(engine, "https://wire.example/2", Said("We remain concerned", "Kirby", "spokesman",
                                                    "U.S. National Security Council"),
            Said("We will keep watching the border", "Kirby", "spokesman", "National Security Council"),
            outlet="Wire", published=dt.date(2024, 3, 2))
    profile = speaker_profile(engine, "kirby")
    assert profile["name"] == "John Kirby" and profile["quotes"] == 3
    assert profile["aliases"] == [{"alias": "Kirby", "origin": "seen"}]
    assert [(r["role"], r["first_seen"], r["last_seen"], [s["url"] for s in r["sources"]])
            for r in profile["roles"]] == [
        ("National Security Council coordinator", "2024-01-10", "2024-01-10", ["https://daily.example/1"]),
        ("National Security Council spokesperson", "2024-03-02", "2024-03-02", ["https://wire.example/2"]),
    ]
    assert profile["outlets"] == [{"outlet": "Wire", "quotes": 2}, {"outlet": "The Daily", "quotes": 1}]


# --- the command line ---------------------------------------------------------------------------------

@pytest.fixture
def run(two_zelenskys: Engine):
    """Invoke ``quotes --db <the two_zelenskys database> ARGS...``."""
    url = str(two_zelenskys.url)
    return lambda *args: CliRunner().invoke(cli, ["--db", url, *args])


def test_cli_speakers_without_a_subcommand_still_lists_speakers_filtered_by_role(run):
    listed = json.loads(run("speakers", "--role", "president", "--format", "json").stdout)
    assert [s["name"] for s in listed] == ["Volodymyr Zelenskyy"]


def test_cli_speakers_show_prints_aliases_roles_with_sources_and_outlets(run):
    result = run("speakers", "show", "Volodymyr Zelenskyy")
    assert result.exit_code == 0, result.stderr
    assert "Ukraine president" in result.stdout and "2024-03-01  Kyiv Post  https://a.example/1" in result.stdout
    assert "1  Kyiv Post" in result.stdout


def test_cli_speakers_show_of_an_unknown_speaker_is_an_error(run):
    result = run("speakers", "show", "Nobody Known")
    assert (result.exit_code, result.stderr) == (1, "error: no speaker named 'Nobody Known'\n")


def test_cli_speakers_merge_reports_what_moved(run):
    result = run("speakers", "merge", "Volodymyr Zelenskyy", "Zelensky")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "merged 'Zelensky' into 'Volodymyr Zelenskyy': 1 mention(s) moved, 1 quote(s) joined\n"


def test_cli_speakers_alias_adds_the_alias(run):
    result = run("speakers", "alias", "Volodymyr Zelenskyy", "Zelenskiy")
    assert (result.exit_code, result.stdout) == (0, "'Zelenskiy' is now an alias of 'Volodymyr Zelenskyy'\n")
    assert "Zelenskiy" in run("speakers", "show", "zelenskiy").stdout


def test_cli_search_by_role_acronym(tmp_path, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text('The National Security Council (NSC) met. "Talks will resume in Geneva on '
                                  'Monday morning," said John Kirby, the National Security Council coordinator.\n')
    db = ["--db", str(tmp_path / "q.sqlite")]
    assert CliRunner().invoke(cli, [*db, "ingest", "--aliases", str(tmp_path / "none.csv"), str(folder)]).exit_code == 0
    found = json.loads(CliRunner().invoke(cli, [*db, "search", "--role", "NSC", "--format", "json"]).stdout)
    assert [q["speaker"] for q in found] == ["John Kirby"]


# --- the seeds --------------------------------------------------------------------------------------

def _seed_dir() -> Path | None:
    """The seed articles: the repository's seeds/ when it holds any, else the shared ones beside the checkout."""
    return next((d for d in (ROOT / "seeds", ROOT.parent / "shared" / "seeds") if any(d.glob("*.txt"))), None)


def test_the_seeds_give_one_john_kirby_with_a_coordinator_and_a_spokesman_role_each_from_its_article(engine, nlp):
    seeds = _seed_dir()
    if seeds is None:
        pytest.skip("no seed articles")
    articles = [a for a in read_paths([str(seeds)]) if isinstance(a, Article)]
    ingest(engine, articles, nlp=nlp)
    assert [s["name"] for s in speakers(engine) if "kirby" in s["name"].lower()] == ["John Kirby"]
    roles = {(r["title"], r["organization"]): [s["url"] for s in r["sources"]]
             for r in speaker_profile(engine, "John Kirby")["roles"]}
    coordinator = next(a.link for a in articles if "coordinator John Kirby" in a.text)
    spokesman = next(a.link for a in articles if re.search(r"spokesman\s+John Kirby", a.text))
    assert roles == {("coordinator", "National Security Council"): [coordinator],
                     ("spokesperson", "National Security Council"): [spokesman]}


# --- upgrading a database made before speakers and roles ---------------------------------------------

def test_the_migration_keys_existing_speakers_and_aliases_and_folds_titles_into_families(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    config = Config(str(ROOT / "db" / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0001")
    with make_engine(url).begin() as conn:
        for statement in (
            "INSERT INTO speakers VALUES (1, 'Sam Reyes', 'person', 'sam reyes')",
            "INSERT INTO speaker_aliases VALUES (1, 'Mr. Reyes')",
            "INSERT INTO roles VALUES (1, 1, 'spokesman', 'Red Cross', '2024-01-05', '2024-01-05')",
            "INSERT INTO roles VALUES (2, 1, 'spokeswoman', 'Red Cross', '2024-02-09', '2024-02-09')",
            "INSERT INTO articles (id, content_hash, ingested_at) VALUES (1, 'h', '2024-02-09 00:00:00')",
            "INSERT INTO quotes VALUES (1, 1, 'Aid is getting through', '2024-02-09')",
            'INSERT INTO mentions (id, quote_id, article_id, speaker_id, role_id, text, start, "end", kind, '
            "\"group\", confidence) VALUES (1, 1, 1, 1, 2, 'Aid is getting through', 0, 22, 'direct', 0, 0.9)",
        ):
            conn.execute(text(statement))
    engine = open_db(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT given_key, surname_key FROM speakers")).all() == [("sam", "reyes")]
        assert conn.execute(text("SELECT alias_key, origin FROM speaker_aliases")).all() == [("mr. reyes", "seen")]
        assert conn.execute(text("SELECT id, title, first_seen, last_seen FROM roles")).all() == [
            (1, "spokesperson", "2024-01-05", "2024-02-09")]
        assert conn.scalar(text("SELECT role_id FROM mentions")) == 1


# --- review and corrections by hand ----------------------------------------------------------------

def test_review_lists_a_weak_link_a_name_that_is_no_name_and_a_person_named_like_an_outlet(engine):
    from quotes.store.review import review

    publish(engine, "https://a.example/1", Said("We remain concerned about the talks", "John Kirby",
                                                 "spokesperson", "National Security Council"))
    publish(engine, "https://b.example/2", Said("We will keep watching the border closely", "Kirby"),
            Said("Turnout was higher than anyone expected", "Tuesday"),
            Said("The footage speaks for itself", "Harbor News"))
    found = review(engine)
    assert [(w["printed"], w["speaker"], w["how"]) for w in found["weak_links"]] == [
        ("Kirby", "John Kirby", "surname, no role")]
    assert [(n["speaker"], n["why"]) for n in found["names"]] == [("Tuesday", "a common word, not a name")]
    assert [(k["speaker"], k["why"]) for k in found["kinds"]] == [("Harbor News", "a person named like an organisation")]


def test_review_lists_a_bare_surname_two_stored_people_share(engine):
    from quotes.store.review import review

    publish(engine, "https://a.example/1", Said("The vote will happen on Tuesday", "Mark Kelly", "senator"),
            Said("Schools will reopen next week", "Laura Kelly", "governor"))
    publish(engine, "https://b.example/2", Said("We need a deal by Friday", "Kelly"))
    assert [(s["speaker"], s["people"]) for s in review(engine)["surnames"]] == [("Kelly", 2)]


def test_an_alias_merges_a_speaker_of_that_name_filed_as_another_kind(engine):
    publish(engine, "https://a.example/1", Said("Moderates win elections", "Al From", "founder",
                                                 "Democratic Leadership Council"))
    publish(engine, "https://b.example/2", Said("The center is where the votes are", "From", kind="organization"))
    alias(engine, "Al From", "From")
    assert names(engine) == ["Al From"]
    assert speaker_of(engine, "votes are") == "Al From"


def test_a_renamed_speaker_keeps_its_old_name_and_later_articles_naming_it_follow(engine):
    from quotes.store.review import rename

    publish(engine, "https://a.example/1", Said("The pier reopens in May", "Ana Ruiz Vega", "mayor"))
    rename(engine, "Ana Ruiz Vega", "Ana Ruiz")
    publish(engine, "https://b.example/2", Said("The ferry will run all winter", "Ana Ruiz Vega"))
    assert names(engine) == ["Ana Ruiz"]
    assert speaker_of(engine, "ferry") == "Ana Ruiz"
    assert aliases_of(engine, "Ana Ruiz")["Ana Ruiz Vega"] == "user"


def test_a_kind_set_by_hand_holds_for_later_articles_that_name_it_as_the_other_kind(engine):
    from quotes.store.review import set_kind

    publish(engine, "https://a.example/1", Said("The footage speaks for itself", "Harbor News"))
    set_kind(engine, "Harbor News", "organization")
    publish(engine, "https://b.example/2", Said("We stand by our reporting on the pier", "Harbor News"))
    with engine.connect() as conn:
        assert conn.execute(select(schema.Speaker.name, schema.Speaker.kind)).all() == [("Harbor News", "organization")]
    assert speaker_of(engine, "stand by") == "Harbor News"


def test_renaming_onto_another_speakers_name_points_to_merge(engine):
    from quotes.store.review import rename

    publish(engine, "https://a.example/1", Said("The pier reopens in May", "Ana Ruiz", "mayor"),
            Said("The ferry will run all winter", "Ana Ruiz Vega"))
    with pytest.raises(ValueError, match="quotes speakers merge"):
        rename(engine, "Ana Ruiz Vega", "ana ruiz")


def test_cli_speakers_review_prints_each_list(run):
    result = run("speakers", "review")
    assert result.exit_code == 0, result.stderr
    assert "weak links: a name linked by a rule no role confirmed (" in result.stdout
    assert "names that are no plausible name (" in result.stdout


def test_a_people_file_seeds_speakers_whose_external_id_decides_identity(engine, tmp_path):
    from quotes.store.people import import_people

    people = tmp_path / "people.csv"
    people.write_text("name,aliases,roles,external_id\n"
                      "Ana Ruiz,Mayor Ruiz;A. Ruiz,mayor|Port City,Q900001\n"
                      "Ivo Brandt,,chairman|Harbor Safety Board,\n")
    done = import_people(engine, people)
    assert (done.created, done.updated, done.refused) == (2, 0, [])
    publish(engine, "https://a.example/1", Said("The pier reopens in May", "A. Ruiz"),
            Said("Inspections start on Monday", "Brandt"))
    assert speaker_of(engine, "pier") == "Ana Ruiz" and speaker_of(engine, "Inspections") == "Ivo Brandt"
    from quotes.report import build_report, render

    assert "### Ana Ruiz (Q900001)" in render(build_report(engine), "md")
    people.write_text("name,aliases,roles,external_id\nAna Ruiz Vega,,,Q900001\n")
    assert import_people(engine, people).updated == 1  # the id, not the name, says who this is
    profile = speaker_profile(engine, "Ana Ruiz Vega")
    assert profile["external_id"] == "Q900001" and "Ana Ruiz" in {a["alias"] for a in profile["aliases"]}


def test_a_people_file_row_naming_another_stored_person_by_id_is_refused(engine, tmp_path):
    from quotes.store.people import import_people

    people = tmp_path / "people.csv"
    people.write_text("name,aliases,roles,external_id\nAna Ruiz,,,Q900001\n")
    import_people(engine, people)
    people.write_text("name,aliases,roles,external_id\nAna Ruiz,,,Q900002\n")
    done = import_people(engine, people)
    assert done.refused == ["'Ana Ruiz' is stored as another person (Q900001); rename one of them first"]


def test_cli_speakers_show_prints_the_external_id(engine, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("name,aliases,roles,external_id\nAna Ruiz,,mayor|Port City,Q900001\n")
    imported = CliRunner().invoke(cli, ["--db", str(engine.url), "speakers", "import", str(people)])
    assert imported.exit_code == 0 and imported.stdout == "people created: 1, updated: 0, refused: 0\n"
    shown = CliRunner().invoke(cli, ["--db", str(engine.url), "speakers", "show", "Ana Ruiz"])
    assert shown.stdout.startswith("Ana Ruiz (#1, person, Q900001), 0 quote(s)")


def article_id(engine: Engine, url: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(schema.Article.id).where(schema.Article.url == url))


def test_split_undoes_a_wrong_link_and_re_ingesting_keeps_it(engine):
    from quotes.store.review import split

    publish(engine, "https://a.example/1", Said("Schools will reopen next week", "Laura Kelly", "governor", "Kansas"))
    publish(engine, "https://b.example/2", Said("The harvest was the best in a decade", "Kelly"),
            Said("Schools will reopen next week", "Kelly"))
    assert names(engine) == ["Laura Kelly"]  # the only Kelly: a weak link
    wrong = article_id(engine, "https://b.example/2")
    assert split(engine, "Laura Kelly", wrong) == ("Kelly", 2)
    assert names(engine) == ["Laura Kelly", "Kelly"]
    assert speaker_of(engine, "harvest") == "Kelly"
    reopen = {q["speaker"]: len(q["sources"]) for q in search(engine, text="reopen")}
    assert reopen == {"Laura Kelly": 1, "Kelly": 1}  # the shared words: one quote each
    publish(engine, "https://b.example/2", Said("The harvest was the best in a decade", "Kelly"),
            Said("Schools will reopen next week", "Kelly"))  # the same article again adds nothing
    assert speaker_of(engine, "harvest") == "Kelly"
    assert links(engine)[-1] == ("Kelly", "Kelly", "user", 1.0)


def test_split_needs_a_name_when_the_article_prints_the_speakers_own(engine):
    from quotes.store.review import split

    publish(engine, "https://a.example/1", Said("Schools will reopen next week", "Laura Kelly", "governor"))
    with pytest.raises(ValueError, match="give the new speaker --name"):
        split(engine, "Laura Kelly", article_id(engine, "https://a.example/1"))
    assert split(engine, "Laura Kelly", article_id(engine, "https://a.example/1"), "Laura Kelly Jr.")[1] == 1


def test_a_month_the_parser_took_into_a_name_does_not_make_another_person(engine):
    publish(engine, "https://a.example/1", Said("The plan fails our families", "Marco Rubio", "senator"))
    publish(engine, "https://b.example/2", Said("We will fight it in the Senate", "March Rubio", "senator"))
    assert names(engine) == ["Marco Rubio"]
    assert speaker_of(engine, "Senate") == "Marco Rubio"


def test_a_title_or_role_noun_the_parser_took_into_a_name_is_dropped(engine):
    publish(engine, "https://a.example/1", Said("We will review the grant", "Spokeswoman Haley Morris"),
            Said("Money talks in this race", "Donor Lena Adler"))
    assert names(engine) == ["Haley Morris", "Lena Adler"]


def test_of_namesakes_no_role_tells_apart_the_one_the_same_outlet_quoted_is_a_weak_link(engine):
    publish(engine, "https://a.example/1", Said("The vote will happen on Tuesday", "Mark Kelly", "senator"),
            outlet="Desert Daily")
    publish(engine, "https://b.example/2", Said("Schools will reopen next week", "Laura Kelly", "governor"),
            outlet="Plains Post")
    publish(engine, "https://a.example/3", Said("We need a deal by Friday", "Kelly"), outlet="Desert Daily")
    publish(engine, "https://c.example/4", Said("The rain will not stop us", "Kelly"), outlet="River Wire")
    assert speaker_of(engine, "deal by Friday") == "Mark Kelly"
    assert speaker_of(engine, "rain") == "Kelly"  # no outlet evidence: left apart, for review
    assert ("Kelly", "Mark Kelly", "surname, same outlet", 0.55) in links(engine)
