"""What readers take from an article's metadata: identity by canonical URL, dates in any common form, YAML front matter."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from quotes.article import Article, ReadError, canonical_url
from quotes.read import read_paths
from quotes.read.fields import parse_date


@pytest.mark.parametrize("variant", [
    "HTTP://Harbor.Example:80/story?b=2&a=1",
    "http://harbor.example/story?a=1&b=2&utm_source=feed&mc_eid=abc123",
    "http://harbor.example/story?fbclid=x1&a=1&gclid=y2&b=2#comments",
])
def test_one_story_under_tracking_ports_and_parameter_order_is_one_url(variant):
    assert canonical_url(variant) == canonical_url("http://harbor.example/story?a=1&b=2")


def test_different_stories_keep_different_urls():
    assert canonical_url("https://harbor.example/story?id=1") != canonical_url("https://harbor.example/story?id=2")


@pytest.mark.parametrize("written", ["Wed, 02 Mar 2016 10:00:00 GMT", "March 2, 2016", "2016/03/02", "2016-03-02",
                                     "2016-03-02T23:30:00Z"])
def test_a_date_in_any_common_form_is_read(written):
    assert parse_date(written) == dt.date(2016, 3, 2)


def test_an_unreadable_date_is_a_warning_and_no_date(caplog):
    with caplog.at_level(logging.WARNING, logger="quotes.read"):
        assert parse_date("sometime last spring", "story.txt") is None
    assert "story.txt: cannot read the date 'sometime last spring'" in caplog.text


def write(tmp_path, text: str) -> list[Article | ReadError]:
    path = tmp_path / "story.txt"
    path.write_text(text)
    return list(read_paths([str(path)]))


def test_front_matter_is_yaml_so_quoted_values_lose_their_marks(tmp_path):
    [article] = write(tmp_path, '---\noutlet: "Example News"\ntitle: \'Piers: the plan\'\npublished: March 2, 2016\n'
                                '---\n"We will rebuild," said Ana Ruiz.\n')
    assert (article.outlet, article.title, article.published) == ("Example News", "Piers: the plan", dt.date(2016, 3, 2))


def test_front_matter_values_stay_text_whatever_they_look_like(tmp_path):
    [article] = write(tmp_path, "---\noutlet: No\ntitle: 2016\n---\nThe pier reopened.\n")
    assert (article.outlet, article.title) == ("No", "2016")


def test_front_matter_that_is_not_yaml_is_that_files_error(tmp_path):
    [error] = write(tmp_path, "---\ntitle: Piers: the plan\n---\nThe pier reopened.\n")
    assert isinstance(error, ReadError)
    assert "malformed front matter on line 2" in error.reason and "quote a value holding ': '" in error.reason
