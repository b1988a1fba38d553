"""Re-extraction (issue 16): a newer extractor run over stored articles gives what a fresh ingest would, and
every correction a person made stays."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, text

from quotes.article import Article
from quotes.cli import cli
from quotes.extract import extractor_version
from quotes.ingest import ingest, reextract
from quotes.mention import Mention, Span
from quotes.store.db import open_db
from quotes.store.review import rename, set_kind, split
from quotes.store.speakers import merge
from quotes.store.write import store_article
from test_store import pg_server  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[1]

FERRY = Article(
    id="ferry", url="https://harbor-gazette.test/ferry", outlet="Harbor Gazette", published=dt.date(2026, 4, 6),
    text='The ferry service to Pell Island will resume in May, officials said on Monday.\n\n'
         '"We have fixed the ramp and trained new crews," said Dana Whitcomb, the director of the Pell Island '
         'Transit Authority.\n\n'
         '"Riders should expect delays during the first week," Whitcomb added.')
FARES = Article(
    id="fares", url="https://coast-ledger.test/ferry-returns", outlet="Coast Ledger", published=dt.date(2026, 4, 7),
    text='"We have fixed the ramp and trained new crews," transit director Dee Whitcomb told reporters on Monday.\n\n'
         'Mayor Luis Ortega welcomed the news. "The island has waited long enough," Ortega said.\n\n'
         "Ortega insisted, 'The fares will not go up this year.'")


@pytest.fixture
def engine(tmp_path) -> Engine:
    return open_db(str(tmp_path / "quotes.sqlite"))


def store(engine: Engine, nlp, *articles: Article) -> None:
    ingest(engine, list(articles), nlp=nlp, jobs=1)


def as_if_older(engine: Engine, article: Article) -> None:
    """Store ``article`` as an older extractor saw it: one quote, given to a speaker it misread."""
    opener = article.text.index('"') + 1
    words = article.text[opener : article.text.index('"', opener)]
    store_article(engine, article, [Mention(text=words, start=opener, end=opener + len(words), speaker="Pell Island",
                                            speaker_kind="person", speaker_mention=Span("Pell", 21, 25),
                                            cue="said", confidence=0.4)], extractor="0.0.1+older")


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """What a reader sees, ids aside: every source of every quote, every speaker and role."""
    return {
        "sources": sorted(rows(engine, "SELECT speaker, role, quote, mention_text, outlet, url, published "
                                       "FROM quote_sources")),
        "speakers": sorted(rows(engine, "SELECT name, kind, quote_count FROM speakers")),
        "roles": sorted(rows(engine, "SELECT s.name, r.title, r.organization, r.first_seen, r.last_seen "
                                     "FROM roles r JOIN speakers s ON s.id = r.speaker_id")),
        "mentions": sorted(rows(engine, 'SELECT a.url, m.start, m."end", m.cue, m.speaker_mention, m.confidence '
                                        "FROM mentions m JOIN articles a ON a.id = m.article_id")),
    }


def rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def change(engine: Engine, sql: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql))


def test_every_stored_article_names_the_extractor_that_produced_its_mentions(engine, nlp):
    store(engine, nlp, FERRY)
    assert rows(engine, "SELECT extractor FROM articles") == [(extractor_version(nlp),)]


def test_the_extractor_version_is_the_package_version_and_a_digest(nlp):
    from quotes import __version__

    package, digest = extractor_version(nlp).split("+")
    assert package == __version__ and len(digest) == 10 and int(digest, 16) >= 0


def test_articles_the_current_extractor_produced_are_left_alone(engine, nlp):
    store(engine, nlp, FERRY, FARES)
    before = snapshot(engine)
    result = reextract(engine, nlp=nlp, jobs=1)
    assert (result.articles, snapshot(engine)) == (0, before)


def test_an_older_extractors_articles_come_out_as_a_fresh_ingest_gives_them(engine, nlp, tmp_path):
    as_if_older(engine, FERRY)
    store(engine, nlp, FARES)
    result = reextract(engine, nlp=nlp, jobs=1)
    fresh = open_db(str(tmp_path / "fresh.sqlite"))
    store(fresh, nlp, FERRY, FARES)
    assert (result.articles, result.changed, result.replaced, result.mentions) == (1, 1, 1, 2)
    assert snapshot(engine) == snapshot(fresh)
    assert rows(engine, "SELECT DISTINCT extractor FROM articles") == [(extractor_version(nlp),)]


def test_a_speaker_no_article_quotes_any_more_is_deleted(engine, nlp):
    as_if_older(engine, FERRY)
    reextract(engine, nlp=nlp, jobs=1)
    names = [name for name, in rows(engine, "SELECT name FROM speakers")]
    assert "Dana Whitcomb" in names and "Pell Island" not in names
    assert rows(engine, "SELECT count(*) FROM speaker_aliases WHERE alias = 'Pell Island'") == [(0,)]


def test_mentions_that_did_not_change_keep_their_quote_ids(engine, nlp):
    store(engine, nlp, FERRY, FARES)
    before = rows(engine, "SELECT id, quote_id, start FROM mentions ORDER BY id")
    result = reextract(engine, everything=True, nlp=nlp, jobs=1)
    assert (result.articles, result.changed) == (2, 0)
    assert rows(engine, "SELECT id, quote_id, start FROM mentions ORDER BY id") == before


def test_a_merge_made_by_hand_stays_after_reextraction(engine, nlp):
    store(engine, nlp, FERRY, FARES)
    merge(engine, "Dana Whitcomb", "Dee Whitcomb")
    reextract(engine, everything=True, nlp=nlp, jobs=1, batch_size=1)
    rows_before = rows(engine, "SELECT speaker, count(*) FROM quote_sources GROUP BY speaker ORDER BY speaker")
    assert rows_before == [("Dana Whitcomb", 3), ("Luis Ortega", 2)]


def test_a_merge_stays_when_the_articles_mentions_change(engine, nlp):
    store(engine, nlp, FERRY, FARES)
    merge(engine, "Dana Whitcomb", "Dee Whitcomb")
    change(engine, "UPDATE mentions SET cue = 'remarked'")  # as if an older extractor had missed a cue word
    result = reextract(engine, everything=True, nlp=nlp, jobs=1)
    assert result.changed == 2
    assert rows(engine, "SELECT DISTINCT speaker FROM quote_sources WHERE quote LIKE 'We have fixed%'") == [
        ("Dana Whitcomb",)]
    assert rows(engine, "SELECT count(*) FROM quotes WHERE text LIKE 'We have fixed%'") == [(1,)]


def test_a_split_made_by_hand_stays_after_reextraction(engine, nlp):
    store(engine, nlp, FERRY, FARES)
    merge(engine, "Dana Whitcomb", "Dee Whitcomb")
    fares_id = rows(engine, "SELECT id FROM articles WHERE external_id = 'fares'")[0][0]
    split(engine, "Dana Whitcomb", fares_id, "Deanna Whitcomb")
    change(engine, "UPDATE mentions SET cue = 'remarked'")
    reextract(engine, everything=True, nlp=nlp, jobs=1)
    assert rows(engine, "SELECT speaker, outlet FROM quote_sources WHERE quote LIKE 'We have fixed%' "
                        "ORDER BY outlet") == [("Deanna Whitcomb", "Coast Ledger"), ("Dana Whitcomb", "Harbor Gazette")]


def test_a_rename_and_a_kind_made_by_hand_stay_after_reextraction(engine, nlp):
    store(engine, nlp, FERRY, FARES)
    rename(engine, "Luis Ortega", "Luis A. Ortega")
    set_kind(engine, "Dana Whitcomb", "organization")
    change(engine, "UPDATE mentions SET cue = 'remarked'")
    reextract(engine, everything=True, nlp=nlp, jobs=1)
    assert rows(engine, "SELECT name, kind FROM speakers ORDER BY name") == [
        ("Dana Whitcomb", "organization"), ("Dee Whitcomb", "person"), ("Luis A. Ortega", "person")]


def test_since_and_outlet_choose_the_articles_taken(engine, nlp):
    store(engine, nlp, FERRY, FARES)
    assert reextract(engine, since=dt.date(2026, 4, 7), everything=True, nlp=nlp, jobs=1).articles == 1
    assert reextract(engine, outlet="harbor-gazette", everything=True, nlp=nlp, jobs=1).articles == 1
    assert reextract(engine, outlet="Ledger", since=dt.date(2026, 4, 8), everything=True, nlp=nlp, jobs=1).articles == 0


def test_an_article_stored_without_its_body_is_counted_and_kept(engine, nlp):
    store(engine, nlp, FERRY)
    change(engine, "UPDATE articles SET body = NULL, extractor = NULL")  # as ingested before revision 0004 kept bodies
    before = snapshot(engine)
    result = reextract(engine, nlp=nlp, jobs=1)
    assert (result.articles, result.bodiless, snapshot(engine)) == (0, 1, before)


@pytest.mark.postgres
def test_on_postgresql_changed_mentions_come_out_as_a_fresh_ingest_gives_them_keeping_a_merge(pg_server, nlp):
    engine, fresh = open_db(pg_server("reextract")), open_db(pg_server("reextract_fresh"))
    for database in (engine, fresh):
        store(database, nlp, FERRY, FARES)
        merge(database, "Dana Whitcomb", "Dee Whitcomb")
    change(engine, "UPDATE mentions SET cue = 'remarked'")  # as an older extractor, known to none, gave them
    change(engine, "UPDATE articles SET extractor = NULL")
    assert reextract(engine, nlp=nlp, jobs=1).changed == 2
    assert snapshot(engine) == snapshot(fresh)
    engine.dispose()
    fresh.dispose()


def test_reextract_on_the_command_line_says_what_changed(engine, nlp):
    as_if_older(engine, FERRY)
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(engine.url.database), "reextract", "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "articles extracted again: 1, changed: 1, mentions: 1 -> 2" in result.output


def _quotes(db: Path, *args: str, lexicon: Path | None = None) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name != "QUOTES_LEXICON"}
    if lexicon:
        env["QUOTES_LEXICON"] = str(lexicon)
    return subprocess.run([sys.executable, "-m", "quotes", "--db", str(db), *args], capture_output=True, text=True,
                          env=env, cwd=db.parent, timeout=300)


def test_a_lexicon_entry_changed_then_restored_comes_back_by_reextraction_keeping_a_merge(tmp_path):
    packaged = (ROOT / "quotes" / "data" / "lexicon.toml").read_text(encoding="utf-8")
    assert "\ninsist = {}\n" in packaged
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text(packaged.replace("\ninsist = {}\n", "\n"), encoding="utf-8")  # "insisted" no speech verb
    inputs = tmp_path / "articles"
    inputs.mkdir()
    for article in (FERRY, FARES):
        (inputs / f"{article.id}.txt").write_text(f"---\nurl: {article.url}\noutlet: {article.outlet}\n"
                                                 f"published: {article.published}\n---\n{article.text}\n")
    db = tmp_path / "quotes.sqlite"
    assert _quotes(db, "ingest", "--jobs", "1", str(inputs), lexicon=lexicon).returncode == 0
    assert _quotes(db, "speakers", "merge", "Dana Whitcomb", "Dee Whitcomb").returncode == 0
    said = "SELECT speaker FROM quote_sources WHERE quote LIKE 'The fares%'"
    assert _quotes(db, "sql", said, "--format", "csv").stdout.split() == ["speaker"]  # no speaker without the verb
    result = _quotes(db, "reextract", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "articles extracted again: 2, changed: 1," in result.stdout
    assert _quotes(db, "sql", said, "--format", "csv").stdout.split() == ["speaker", "Luis", "Ortega"]
    whitcomb = "SELECT speaker, count(*) FROM quote_sources WHERE speaker LIKE '%Whitcomb' GROUP BY speaker"
    assert _quotes(db, "sql", whitcomb, "--format", "csv").stdout.splitlines() == ["speaker,count(*)",
                                                                                  "Dana Whitcomb,3"]


def test_a_lexicon_that_cannot_be_read_is_one_line_of_error(tmp_path):
    result = _quotes(tmp_path / "quotes.sqlite", "extract", "-", lexicon=tmp_path / "missing.toml")
    assert result.returncode == 1
    assert result.stderr.startswith("error: QUOTES_LEXICON=") and "Traceback" not in result.stderr
