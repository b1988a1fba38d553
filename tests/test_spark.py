"""The Spark job in local mode (quotes.spark): the same mentions as `quotes extract`, the same quotes as the
in-process dedup, bad inputs as rows of the errors table, and one output whatever the partitions."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from harbor_articles import HARBOR
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotes.article import ReadError
from quotes.cli import cli
from quotes.dedup_rows import dedup, ingest_order, speaker_key
from quotes.extract import extract_many
from quotes.ingest import ingest
from quotes.load import load
from quotes.read import read_paths
from quotes.rows import article_fields
from quotes.store import schema
from quotes.store.db import open_db
from quotes.tables import SCHEMAS, dataset, scan, write
from test_store import dump, pg_server  # noqa: F401  (pg_server is a fixture)

if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("the Spark job needs Java 17, and no java is on PATH (nor JAVA_HOME set)", allow_module_level=True)

from quotes.spark.dedup import dedup as spark_dedup  # noqa: E402  (pyspark is only worth importing with a JVM)
from quotes.spark.extract import SparkJobError, extract, inputs, manifest_inputs, outcomes  # noqa: E402
from quotes.spark.session import start  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

#: Small and quick: two cores, no UI, a JVM that starts fast, and shuffles into several part files.
CONF = {"spark.ui.enabled": "false", "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        "spark.sql.shuffle.partitions": "3", "spark.sql.adaptive.coalescePartitions.enabled": "false"}

#: Two invented pages of a crawl, each with a quote.
PAGES = {
    "https://news.example.test/ferry": "<html><head><title>Ferry returns</title></head><body><article>"
    "<p>The ferry will run again on Saturday, the operator said on Thursday morning at the harbor office.</p>"
    "<p>\"We have tested every engine twice and the crew is ready for the first crossing,\" "
    "said captain Lena Ortiz.</p></article></body></html>",
    "https://news.example.test/pier": "<html><head><title>Pier repairs</title></head><body><article>"
    "<p>Repairs on the north pier will take another month, engineers told the council on Friday.</p>"
    "<p>\"The north pier is worse than anyone expected,\" said engineer Sam Byrne, who led the survey.</p>"
    "</article></body></html>",
}


def warc(path: Path) -> Path:
    """A gzipped WARC of the pages' HTML responses."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, html in PAGES.items():
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(html.encode()),
                                                          http_headers=headers))
    return path


def jsonl(path: Path, articles, bad_line: str) -> Path:
    """The articles as JSONL, ``bad_line`` between the first and the second."""
    lines = [json.dumps({"id": a.id, "text": a.text, "url": a.url, "outlet": a.outlet, "title": a.title,
                         "published": a.published and a.published.isoformat()}) for a in articles]
    path.write_text("\n".join([lines[0], bad_line, *lines[1:]]) + "\n")
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The inputs: HARBOR as JSONL with a malformed line, a binary file, and a WARC listed in a manifest."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "blob.txt").write_bytes(b"\x00\x01binary\x00")
    (folder / "crawl.paths").write_text("# the crawl\ncrawl.warc.gz\nmissing.warc.gz\n")
    return {"jsonl": jsonl(folder / "harbor.jsonl", HARBOR, '{"text": "cut sh'), "blob": folder / "blob.txt",
            "warc": warc(folder / "crawl.warc.gz"), "manifest": folder / "crawl.paths"}


@pytest.fixture(scope="module")
def spark():
    session = start("local[2]", CONF)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def names(spark, files) -> list[str]:
    """What the job is given: local paths, and the manifest's lines under a file:// base URL (one names nothing)."""
    return [str(files["jsonl"]), str(files["blob"]),
            *manifest_inputs(spark, str(files["manifest"]), f"file://{files['manifest'].parent}/")]


def run(spark, names, out: Path, partitions: int) -> dict:
    """Extract and deduplicate into ``out`` in ``partitions`` tasks: the counts of both jobs."""
    counts = extract(spark, names, str(out), partitions=partitions)
    return {**counts, **spark_dedup(spark, str(out), partitions=partitions)}


@pytest.fixture(scope="module")
def four(spark, names, tmp_path_factory) -> tuple[Path, dict]:
    """The job's output with 4 partitions, and its counts."""
    out = tmp_path_factory.mktemp("four")
    return out, run(spark, names, out, partitions=4)


@pytest.fixture(scope="module")
def expected(files, nlp) -> list[dict]:
    """What `quotes extract` prints for the same inputs, with each article's key, headline and date."""
    read = (item for item in read_paths([str(files[name]) for name in ("jsonl", "blob", "warc")])
            if not isinstance(item, ReadError))
    rows = [{**mention.record(article), **article_fields(article)}
            for article, mentions in extract_many(read, nlp=nlp, jobs=1) for mention in mentions]
    return sorted(rows, key=lambda row: (*ingest_order(row), row["start"]))


def test_the_mentions_are_the_records_of_quotes_extract_field_by_field(four, expected):
    out, _ = four
    assert len(expected) > len(HARBOR)
    assert list(scan(out, "mentions")) == expected


def test_the_tables_have_exactly_the_schemas_of_quotes_tables(four):
    out, _ = four
    for table, schema in SCHEMAS.items():
        assert pq.read_schema(sorted(dataset(out, table).files)[0]).equals(schema), table


def test_bad_inputs_are_rows_of_the_errors_table_and_counted_and_the_job_goes_on(four, files):
    out, counts = four
    errors = {(row["source"], row["line"], row["reason"].split(":")[0]) for row in scan(out, "errors")}
    assert errors == {(str(files["jsonl"]), 2, "malformed article"),
                      (str(files["blob"]), None, "binary file (contains NUL bytes)"),
                      (f"file://{files['warc'].parent}/missing.warc.gz", None, "[PATH_NOT_FOUND] Path does not exist")}
    assert (counts["errors"], counts["warnings"]) == (3, 0)
    assert counts["articles"] == len(list(scan(out, "articles"))) == len(HARBOR) + len(PAGES)


def test_the_quotes_are_those_of_the_in_process_dedup(four, expected):
    out, counts = four
    in_process = sorted((row["article_key"], row["start"], row["quote"]) for row in dedup(expected))
    assert sorted(tuple(row.values()) for row in scan(out, "quotes")) == in_process
    assert counts["quotes"] == len({quote for _, _, quote in in_process}) < counts["quoted"] == len(expected)


def summarized(rows: list[dict], *by: str) -> list[dict]:
    """What the speakers table (``by`` none) or the roles table (``by`` title and organization) says of the rows."""
    groups = defaultdict(list)
    for row in rows:
        if speaker_key(row) and (not by or any(row[name] for name in by)):
            groups[(speaker_key(row), *(row[name] for name in by))].append(row)
    found = []
    for (key, *values), group in groups.items():
        dates = sorted(row["published"] for row in group if row["published"])
        first = min(group, key=lambda row: (*ingest_order(row), row["start"]))
        found.append({"kind": key[0], "name": key[1], "article_key": key[2] if len(key) > 2 else None,
                      **({} if by else {"speaker": first["speaker"]}), **dict(zip(by, values)),
                      "mentions": len(group), **({} if by else {"articles": len({row["article_key"] for row in group})}),
                      "first_seen": dates[0] if dates else None, "last_seen": dates[-1] if dates else None})
    return sorted(found, key=lambda row: tuple(row[name] or "" for name in ("kind", "name", "article_key", *by)))


def test_the_speakers_table_sums_up_each_speakers_mentions(four, expected):
    out, _ = four
    speakers = list(scan(out, "speakers"))
    assert speakers == summarized(dedup(expected))
    assert {"speaker": "Tom Weller", "articles": 3, "first_seen": "2024-03-01", "last_seen": "2024-03-05"}.items() \
        <= next(row for row in speakers if row["name"] == "tom weller").items()


def test_the_roles_table_gives_each_speakers_roles_with_their_dates(four, expected):
    out, _ = four
    roles = list(scan(out, "roles"))
    assert roles == summarized(dedup(expected), "title", "organization")
    assert {"title": "director", "organization": "Port", "mentions": 4}.items() <= next(
        row for row in roles if row["name"] == "tom weller").items()


def test_articles_and_mentions_stream_back_in_ingest_order_across_part_files(four):
    out, _ = four
    assert len(dataset(out, "mentions").files) > 1
    articles = list(scan(out, "articles"))
    assert articles == sorted(articles, key=ingest_order)
    mentions = list(scan(out, "mentions"))
    assert mentions == sorted(mentions, key=lambda row: (*ingest_order(row), row["start"]))


def test_one_partition_gives_the_same_tables_as_four(spark, names, four, tmp_path):
    out, counts = four
    assert run(spark, names, tmp_path, partitions=1).keys() == counts.keys()
    for table in SCHEMAS:
        assert list(scan(tmp_path, table)) == list(scan(out, table)), table


def test_copies_of_an_article_come_in_one_order_whatever_the_order_of_inputs_and_partitions(spark, files, tmp_path):
    """Two copies of one file: the same articles (ids and text), told apart by their path only."""
    shutil.copy(files["jsonl"], tmp_path / "copy.jsonl")
    copies = [str(files["jsonl"]), str(tmp_path / "copy.jsonl")]
    for partitions, names in ((1, copies), (3, copies[::-1])):
        extract(spark, names, str(tmp_path / str(partitions)), partitions=partitions)
    articles = [list(scan(tmp_path / str(partitions), "articles")) for partitions in (1, 3)]
    assert articles[0] == articles[1]
    assert len({row["path"] for row in articles[0]}) == 2 and len({row["article_id"] for row in articles[0]}) == len(HARBOR)


def test_quotes_load_stores_the_jobs_output_in_its_order(four, expected, tmp_path):
    out, _ = four
    engine = open_db(str(tmp_path / "quotes.sqlite"))
    result = load(engine, out)
    engine.dispose()
    assert (result.articles, result.mentions, result.errors) == (len(HARBOR) + len(PAGES), len(expected), [])


@pytest.mark.postgres
def test_loaded_into_postgresql_the_output_gives_a_serial_ingests_tables_and_a_second_load_adds_nothing(
        four, files, pg_server, nlp):
    out, _ = four
    read = [item for item in read_paths([str(files[name]) for name in ("jsonl", "blob", "warc")])
            if not isinstance(item, ReadError)]
    serial, loaded = open_db(pg_server("spark_serial")), open_db(pg_server("spark_load"))
    ingest(serial, sorted(read, key=lambda article: ingest_order(article_fields(article))), nlp=nlp, jobs=1)
    load(loaded, out, batch_size=3)
    assert without_paths(dump(loaded)) == without_paths(dump(serial))
    again = load(loaded, out)
    assert (again.articles, again.skipped) == (0, len(read))
    assert without_paths(dump(loaded)) == without_paths(dump(serial))
    serial.dispose()
    loaded.dispose()


def without_paths(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The tables with the articles' file paths left out: the job read the WARC by its URL (file:/...), ingest by its
    path."""
    path = [column.name for column in schema.Article.__table__.columns if column.name != "ingested_at"].index("path")
    return {**tables, "articles": [row[:path] + row[path + 1:] for row in tables["articles"]]}


def test_an_input_that_raises_is_an_error_row_not_a_failed_task(monkeypatch, nlp):
    def broken(name, limit):
        raise RuntimeError("reader bug")

    monkeypatch.setattr("quotes.spark.extract.read_file", broken)
    assert list(outcomes({"source": "x.txt", "content": None, "error": None}, 1000)) == [
        {"error": "error", "source": "x.txt", "line": None, "record": None,
         "reason": "stopped reading: RuntimeError: reader bug"}]


def test_a_gzipped_manifest_lists_what_the_plain_one_does(spark, files, tmp_path):
    plain = files["manifest"]
    (tmp_path / "crawl.paths.gz").write_bytes(gzip.compress(plain.read_bytes()))
    assert manifest_inputs(spark, str(tmp_path / "crawl.paths.gz"), "s3a://cc/") == \
        manifest_inputs(spark, str(plain), "s3a://cc/") == ["s3a://cc/crawl.warc.gz", "s3a://cc/missing.warc.gz"]


def test_an_unreadable_manifest_is_a_clear_error(spark, tmp_path):
    with pytest.raises(SparkJobError, match=r"nothing\.paths: cannot read the manifest: No such file"):
        manifest_inputs(spark, str(tmp_path / "nothing.paths"))


def test_a_web_page_is_refused_as_an_input_with_a_clear_error(spark):
    with pytest.raises(SparkJobError, match="reads files, not web pages"):
        inputs(spark, ["https://example.test/story"])


def test_spark_submit_runs_the_extract_command_with_its_arguments(files, tmp_path):
    """`spark-submit quotes/__main__.py spark extract ...`: the command line of `quotes spark extract`."""
    conf = [arg for key, value in CONF.items() for arg in ("--conf", f"{key}={value}")]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYSPARK_PYTHON": sys.executable}
    submit = [str(Path(sys.executable).parent / "spark-submit"), "--master", "local[1]", *conf,
              str(ROOT / "quotes" / "__main__.py"), "spark", "extract", str(files["jsonl"]), "--out", str(tmp_path)]
    result = subprocess.run(submit, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"wrote {tmp_path}: articles: {len(HARBOR)}, mentions: " in result.stdout
    assert ", errors: 1, warnings: 0, in " in result.stdout


def test_the_dedup_command_names_a_directory_without_mentions_before_starting_spark(tmp_path):
    done = CliRunner().invoke(cli, ["spark", "dedup", str(tmp_path)])
    assert done.exit_code != 0
    assert "no mentions table" in done.output and "Spark job failed" not in done.output


def test_the_dedup_command_writes_the_quotes_table_and_says_so(spark, four, tmp_path):
    out, counts = four
    shutil.copytree(out / "mentions", tmp_path / "mentions")
    result = CliRunner().invoke(cli, ["spark", "dedup", str(tmp_path), "--partitions", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {tmp_path}/quotes, speakers, roles: mentions: {counts['mentions']}, ")
    assert list(scan(tmp_path, "quotes")) == list(scan(out, "quotes"))


@pytest.mark.parametrize(("missing", "message"), [("java", "the Spark job needs Java 17: java on PATH, or JAVA_HOME"),
                                                  ("pyspark", "the Spark job needs pyspark: pip install 'quotes[spark]'")])
def test_without_java_or_pyspark_the_command_says_what_to_install(monkeypatch, tmp_path, missing, message):
    if missing == "java":
        monkeypatch.setattr("quotes.spark.session._java", lambda: None)
    else:
        monkeypatch.setitem(sys.modules, "pyspark", None)
    write([], tmp_path)  # a run's tables, empty: the command gets as far as starting Spark
    result = CliRunner().invoke(cli, ["spark", "dedup", str(tmp_path)])
    assert (result.exit_code, result.output) == (1, f"error: {message}\n")
