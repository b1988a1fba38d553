"""The Parquet tables of a scale-out run (quotes.tables): what is written is read back, in ingest order."""

import pytest
from harbor_articles import HARBOR

from quotes.article import ReadError
from quotes.dedup_rows import ingest_order
from quotes.rows import extracted
from quotes.tables import TablesError, scan, write


@pytest.fixture(scope="module")
def harbor_extracted(nlp):
    return list(extracted([*HARBOR, ReadError("feed.xml", "not a feed")], nlp=nlp))


def test_written_tables_read_back_as_the_rows_in_ingest_order(harbor_extracted, tmp_path):
    counts = write(harbor_extracted, tmp_path)
    mentions = sorted((mention for row in harbor_extracted for mention in row.get("mentions", [])),
                      key=lambda row: (*ingest_order(row), row["start"]))
    assert list(scan(tmp_path, "mentions")) == mentions
    articles = list(scan(tmp_path, "articles"))
    assert [row["article_id"] for row in articles] == [
        row["article_id"] for row in sorted((row for row in harbor_extracted if "error" not in row), key=ingest_order)]
    assert counts == {"articles": len(HARBOR), "mentions": len(mentions), "errors": 1}


def test_an_error_row_is_a_row_of_the_errors_table(harbor_extracted, tmp_path):
    write(harbor_extracted, tmp_path)
    assert [(row["source"], row["reason"]) for row in scan(tmp_path, "errors")] == [("feed.xml", "not a feed")]


def test_a_directory_without_the_table_is_a_clear_error(tmp_path):
    with pytest.raises(TablesError, match="no articles table"):
        list(scan(tmp_path, "articles"))


def test_a_table_of_other_columns_is_a_clear_error(tmp_path, harbor_extracted):
    write(harbor_extracted, tmp_path)
    (tmp_path / "articles").rename(tmp_path / "moved")
    (tmp_path / "errors").rename(tmp_path / "articles")
    with pytest.raises(TablesError, match="lacks the column"):
        list(scan(tmp_path, "articles"))


def test_a_damaged_part_file_is_a_clear_error(tmp_path, harbor_extracted):
    write(harbor_extracted, tmp_path)
    part = tmp_path / "mentions" / "part-0.parquet"
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    with pytest.raises(TablesError, match="part-0.parquet"):
        list(scan(tmp_path, "mentions"))
