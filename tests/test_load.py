"""Loading a scale-out run into the store (quotes load): the tables a serial ingest in ingest order gives, once."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from harbor_articles import HARBOR
from sqlalchemy import Engine

from quotes.article import Article
from quotes.cli import cli
from quotes.dedup_rows import ingest_order
from quotes.ingest import ingest
from quotes.load import load
from quotes.rows import article_fields, extracted
from quotes.store.db import open_db
from quotes.tables import ARTICLES, MENTIONS, TablesError, scan, write
from test_store import dump, pg_server  # noqa: F401  (pg_server is a fixture)

#: The harbor articles, a surname-only follow-up the store links to Tom Weller, and new text at a known URL.
FOLLOW_UP = Article("harbor-5", '"The cranes are back in service," port director Weller said on Thursday.',
                    url="https://example.net/harbor-5", outlet="Bay News", published=dt.date(2024, 3, 7))
REVISED = dataclasses.replace(HARBOR[0], id="harbor-2-revised", text=HARBOR[0].text + "\n\nThis story was updated.",
                              published=dt.date(2024, 3, 8))
ARTICLES_OF_RUN = [*HARBOR, FOLLOW_UP, REVISED]


def in_ingest_order(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda article: ingest_order(article_fields(article)))


@pytest.fixture(scope="module")
def outcomes(nlp):
    return list(extracted(ARTICLES_OF_RUN, nlp=nlp))


@pytest.fixture(scope="module")
def run(outcomes, tmp_path_factory):
    directory = tmp_path_factory.mktemp("run")
    write(outcomes, directory)
    return directory


@pytest.fixture(scope="module")
def serial(nlp, tmp_path_factory) -> dict:
    """The tables of a serial ingest of the same articles in ingest order."""
    engine = open_db(str(tmp_path_factory.mktemp("serial") / "quotes.sqlite"))
    ingest(engine, in_ingest_order(ARTICLES_OF_RUN), nlp=nlp, jobs=1)
    tables = dump(engine)
    engine.dispose()
    return tables


@pytest.fixture
def engine(tmp_path) -> Engine:
    return open_db(str(tmp_path / "quotes.sqlite"))


def test_a_load_gives_the_tables_a_serial_ingest_in_ingest_order_gives(engine, run, serial):
    result = load(engine, run)
    assert (result.articles, result.skipped, result.errors) == (len(ARTICLES_OF_RUN) - 1, 1, [])
    assert dump(engine) == serial


def test_the_run_exercises_a_link_across_articles_and_a_known_url(serial):
    weller = [row for row in serial["speakers"] if "Weller" in row[1]]
    assert len(weller) == 1
    assert any(row[2:4] == (weller[0][0], "Weller") for row in serial["speaker_links"])
    assert len(serial["articles"]) == len(ARTICLES_OF_RUN) - 1


def test_loading_a_run_twice_adds_nothing(engine, run, serial):
    load(engine, run)
    again = load(engine, run)
    assert (again.articles, again.skipped, again.mentions) == (0, len(ARTICLES_OF_RUN), 0)
    assert dump(engine) == serial


def test_a_later_run_joins_the_speakers_and_quotes_stored_as_ingest_would(engine, outcomes, serial, tmp_path):
    ordered = sorted(outcomes, key=ingest_order)
    write(ordered[:3], tmp_path / "first")
    write(ordered[3:], tmp_path / "second")
    load(engine, tmp_path / "first")
    load(engine, tmp_path / "second", batch_size=1)
    assert dump(engine) == serial


def test_articles_out_of_ingest_order_are_a_clear_error(engine, run, tmp_path):
    articles = list(scan(run, "articles"))[::-1]
    (tmp_path / "articles").mkdir()
    pq.write_table(pa.Table.from_pylist(articles, schema=ARTICLES), tmp_path / "articles" / "part-0.parquet")
    for table in ("mentions", "errors"):
        (tmp_path / table).symlink_to(run / table)
    with pytest.raises(TablesError, match="ingest order"):
        load(engine, tmp_path)


def test_the_load_command_reports_what_it_stored(tmp_path, run):
    database = tmp_path / "cli.sqlite"
    done = CliRunner().invoke(cli, ["--db", str(database), "load", str(run), "--quiet"])
    assert done.exit_code == 0, done.output
    assert f"articles stored: {len(ARTICLES_OF_RUN) - 1}, already present: 1" in done.output
    assert "inputs the run could not read: 0" in done.output


def test_the_load_command_names_a_directory_that_holds_no_run(tmp_path):
    done = CliRunner().invoke(cli, ["--db", str(tmp_path / "cli.sqlite"), "load", str(tmp_path)])
    assert done.exit_code != 0
    assert "table (a folder" in done.output and "Traceback" not in done.output


def test_a_load_stopped_by_a_damaged_file_keeps_the_batches_stored_and_resumes(engine, run, serial, tmp_path):
    for table in ("articles", "errors"):
        (tmp_path / table).symlink_to(run / table)
    (tmp_path / "mentions").mkdir()
    rows = list(scan(run, "mentions"))
    write_part = lambda part, chunk: pq.write_table(pa.Table.from_pylist(chunk, schema=MENTIONS),  # noqa: E731
                                                    tmp_path / "mentions" / f"{part}.parquet")
    write_part("part-0", rows[:4])
    write_part("part-1", rows[4:])
    damaged = tmp_path / "mentions" / "part-1.parquet"
    whole = damaged.read_bytes()
    damaged.write_bytes(whole[:100])
    with pytest.raises(TablesError, match="part-1.parquet"):
        load(engine, tmp_path, batch_size=1)
    assert 0 < len(dump(engine)["articles"]) < len(serial["articles"])  # the batches before the damage stay
    damaged.write_bytes(whole)
    load(engine, tmp_path, batch_size=1)
    assert dump(engine) == serial


@pytest.mark.postgres
def test_on_postgresql_a_load_gives_the_serial_ingests_tables_and_a_second_load_adds_nothing(pg_server, run, nlp):
    engine, fresh = open_db(pg_server("load")), open_db(pg_server("load_serial"))
    ingest(fresh, in_ingest_order(ARTICLES_OF_RUN), nlp=nlp, jobs=1)
    load(engine, run, batch_size=2)
    assert dump(engine) == dump(fresh)
    assert load(engine, run).articles == 0
    assert dump(engine) == dump(fresh)
    engine.dispose()
    fresh.dispose()
