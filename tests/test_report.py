"""`quotes report`: its content on the seeds, filters, Markdown, escaping, the empty database, and 1,000 articles."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from synthetic_news import build_news_store
from test_store import pg_server  # noqa: F401  (a fixture)

from quotes.read import read_paths
from quotes.cli import cli
from quotes.report import Scope, build_report, link_target, render
from quotes.report.model import MARKDOWN_INDEX, QUOTES_PER_SPEAKER
from quotes.store.db import open_db
from quotes.ingest import ingest
from quotes.store.schema import Article, Mention, Outlet, Quote, Speaker

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FOX = SEEDS / "000_6244afe28d155e96.txt"


def seed_database(path: Path, nlp) -> Path:
    """Store seeds/ (the two real seeds and the invented samples) in the SQLite file ``path``; all closed after."""
    engine = open_db(str(path))
    result = ingest(engine, read_paths([str(SEEDS)]), nlp=nlp)
    assert result.articles >= 2 and not result.errors
    engine.dispose()  # the last connection closing folds SQLite's write-ahead log into the file
    return path


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory, nlp) -> Path:
    return seed_database(tmp_path_factory.mktemp("seeded") / "quotes.sqlite", nlp)


def report(db: Path, *args: str) -> tuple[int, str, str]:
    """Run ``quotes --db DB report ARGS...``: exit code, standard output, standard error."""
    result = CliRunner().invoke(cli, ["--db", str(db), "report", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def html(seeded_db, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("report") / "report.html"
    code, _, err = report(seeded_db, "-o", str(path))
    assert code == 0, err
    assert f"wrote {path}" in err
    return path.read_text()


def test_html_report_names_kirby_with_his_roles_and_both_seed_outlets(html):
    assert "John Kirby" in html
    assert "National Security Council coordinator" in html  # Fox News: "National Security Council (NSC) coordinator"
    assert "National Security Council spokesperson" in html  # Benzinga's spokesman, as a title family
    assert "as U.S. National Security Council spokesman" in html  # and as Benzinga printed it
    assert "Fox News" in html and "Benzinga" in html
    for section in ("overview", "volume", "speakers", "index", "profiles", "carried", "outlets", "misattributions"):
        assert f'id="{section}"' in html and f'href="#{section}"' in html


def test_html_report_is_one_self_contained_page(html):
    assert html.startswith("<!DOCTYPE html>")
    assert re.findall(r"<script\b[^>]*>", html, re.IGNORECASE) == ["<script>"]  # one, inline: the index's
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.split("<main>")[0])  # nothing fetched
    assert "@import" not in html and "url(" not in html
    assert html.count("<svg") >= 3
    assert html.count('role="img"') == html.count("<svg")


def test_each_source_links_its_article_and_shows_the_quote_in_context(seeded_db, html):
    with sqlite3.connect(seeded_db) as db:
        urls = {url for (url,) in db.execute("select distinct url from quote_sources")}
    for url in urls:
        target = link_target(url, Path("/tmp/anywhere"))
        assert target is not None
        if not url.startswith("https://"):  # a seed read from a file links to the file
            assert (Path("/tmp/anywhere") / target).resolve() == Path(url).resolve()
    assert "seeds/000_6244afe28d155e96.txt" in html
    assert "“<mark>As part of this proposed deal, Russia would receive over two dozen kinds of weapons and " \
           "munitions from Korea.</mark>”" in html  # in its paragraph, the marks as the article printed them
    assert "munitions from Pyongyang" in html  # Benzinga's wording of the same quote, under the same card


def test_report_data_counts_kirby_quotes_per_outlet_and_the_quotes_both_outlets_carried(seeded_db):
    data = build_report(open_db(str(seeded_db)))
    assert data.ranking[0].name == "John Kirby"
    kirby = data.heatmap.counts[data.heatmap.speakers.index("John Kirby")]
    per_outlet = dict(zip(data.heatmap.outlets, kirby, strict=True))
    assert (per_outlet["Fox News"], per_outlet["Benzinga"]) == (5, 3)
    shared = [q for q in data.carried.quotes if q.speaker == "John Kirby"]
    assert len(shared) == 3 and all(q.outlets == ["Benzinga", "Fox News"] for q in shared)
    roles = {span.role: dict(span.outlets) for span in data.sections[0].roles}
    assert roles == {"National Security Council coordinator": {"Fox News": 1},
                     "National Security Council spokesperson": {"Benzinga": 1}}


def test_markdown_report_has_the_same_content(seeded_db):
    code, md, _ = report(seeded_db, "--format", "md", "-o", "-")
    assert code == 0
    assert md.startswith("# Who said what, where")
    assert "<svg" not in md and "<mark>" not in md
    assert "| 1 | John Kirby | person | 5 |" in md
    assert "### John Kirby" in md and "| National Security Council coordinator |" in md
    assert "**Fox News**" in md and "**Benzinga**" in md
    assert f"(<{link_target(str(FOX), Path.cwd())}>)" in md  # printed to stdout: links relative to here
    for heading in ("## Overview", "## Speakers ranked by quotes", "## Most widely carried quotes",
                    "## Who quotes whom: outlets × speakers", "## Possible misattributions"):
        assert heading in md


def test_speaker_filter_keeps_only_that_speaker(seeded_db):
    others = {s.name for s in build_report(open_db(str(seeded_db))).ranking} - {"John Kirby"}
    assert others
    code, md, _ = report(seeded_db, "--speaker", "KIRBY", "--format", "md", "-o", "-")
    assert code == 0
    assert "by speakers matching “KIRBY”" in md
    assert "| 1 | John Kirby | person | 5 |" in md
    assert not [name for name in others if name in md]


def test_date_filters_keep_quotes_first_seen_in_range(seeded_db):
    since, until = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    data = build_report(open_db(str(seeded_db)), Scope(since=since, until=until))
    shown = [q for section in data.sections for q in section.quotes.quotes]
    assert shown and all(since <= q.first_seen <= until for q in shown)
    assert data.overview.quotes == len(shown) < build_report(open_db(str(seeded_db))).overview.quotes
    code, md, _ = report(seeded_db, "--since", "2026-04-01", "--until", "2026-04-30", "--format", "md", "-o", "-")
    assert code == 0 and "Quotes first seen from 2026-04-01 to 2026-04-30" in md
    assert "### Tomas Reyes" in md and "John Kirby" not in md  # the seeds' Kirby quotes are dated when ingested


def test_empty_database_and_unmatched_filters_give_a_clear_message(seeded_db, tmp_path):
    output = tmp_path / "report.html"
    open_db(str(tmp_path / "empty.sqlite")).dispose()  # created and migrated, as an ingest of nothing leaves it
    code, _, err = report(tmp_path / "empty.sqlite", "-o", str(output))
    assert code == 1
    assert "error: the database has no quotes yet: store some with `quotes ingest PATH...` first" in err
    assert not output.exists()
    code, _, err = report(seeded_db, "--speaker", "nobody-at-all", "-o", str(output))
    assert code == 1 and "no quote matches the filters: Quotes by speakers matching “nobody-at-all”" in err


@pytest.fixture
def db_copy(seeded_db, tmp_path) -> Path:
    """A copy of the seeded database a test may change."""
    return Path(shutil.copy(seeded_db, tmp_path / "quotes.sqlite"))


def test_each_quote_shows_in_its_own_paragraph_of_the_stored_article(seeded_db):
    text = render(build_report(open_db(str(seeded_db)), Scope(speaker="kirby")), "html")
    assert 'title="The quote in its paragraph"' in text
    assert re.search(r"Ukraine,” Kirby said\. “<mark>As part of this proposed deal", text)


def test_articles_stored_before_bodies_were_show_quotes_between_their_neighbours(db_copy):
    with sqlite3.connect(db_copy) as db:
        db.execute("update articles set body = null")
    text = render(build_report(open_db(str(db_copy)), Scope(speaker="kirby")), "html")
    assert 'title="The quote in its paragraph"' not in text
    assert 'title="The quote between those printed just before and after it in the article"' in text


def test_misattributions_come_from_the_conflicts_view_when_the_schema_has_one(db_copy):
    with sqlite3.connect(db_copy) as db:
        db.execute("drop view if exists quote_conflicts")
    without = render(build_report(open_db(str(db_copy))), "md")
    assert "_This database has no `quote_conflicts` view yet" in without
    with sqlite3.connect(db_copy) as db:
        kirby, other = (db.execute("select q.id from quotes q join speakers s on s.id = q.speaker_id "
                                   "where s.name = ? order by q.id limit 1", (name,)).fetchone()[0]
                        for name in ("John Kirby", "Maria Alvarez"))
        db.execute(f"create view quote_conflicts as select {kirby} as quote_id, {other} as other_quote_id "
                   f"union all select {other}, {kirby}")  # both ways round, as a symmetric view lists them
    engine = open_db(str(db_copy))
    page = render(build_report(engine, Scope(speaker="kirby")), "html")
    pair = page[page.index('<div class="conflict">'):]
    assert page.count('<div class="conflict">') == 1
    assert '<p class="who">John Kirby</p>' in pair and '<p class="who">Maria Alvarez</p>' in pair
    assert "Fox News" in pair and "Northfield Herald" in pair
    unrelated = render(build_report(engine, Scope(speaker="okafor")), "md")
    assert "No possible misattribution: no words in this report are given to two different speakers." in unrelated


def test_words_two_outlets_give_to_two_speakers_are_shown_as_a_possible_misattribution(tmp_path, nlp):
    words = "We will not tolerate further missile launches over our territory this year"
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(
        json.dumps({"id": outlet, "url": f"https://{outlet}.example/a", "outlet": outlet.title(),
                    "text": f'"{words}," said {speaker}, the {role}.'}) + "\n"
        for outlet, speaker, role in (("daily", "John Kirby", "National Security Council coordinator"),
                                      ("metro", "Ned Price", "State Department spokesman"))))
    engine = open_db(str(tmp_path / "quotes.sqlite"))
    ingest(engine, read_paths([str(feed)]), nlp=nlp)
    page = render(build_report(engine), "md")
    section = page[page.index("## Possible misattributions"):]
    assert "### John Kirby or Ned Price?" in section
    assert "https://daily.example/a" in section and "https://metro.example/a" in section


def one_quote(tmp_path: Path, speaker: str, text: str, url: str, title: str, outlet: str | None = None,
              content_hash: str = "0" * 64):
    """A database holding one quote of ``speaker`` printed by one article, as stored rows (for hostile values)."""
    engine = open_db(str(tmp_path / "quotes.sqlite"))
    with Session(engine) as db, db.begin():
        row = Outlet(name=outlet) if outlet else None
        person = Speaker(name=speaker, kind="person")
        db.add_all([r for r in (row, person) if r is not None])
        db.flush()
        article = Article(url=url, outlet_id=row.id if row else None, title=title, published=dt.date(2024, 1, 2),
                          content_hash=content_hash, ingested_at=dt.datetime(2024, 1, 2, tzinfo=dt.UTC))
        quote = Quote(speaker_id=person.id, text=text, first_seen=dt.date(2024, 1, 2))
        db.add_all([article, quote])
        db.flush()
        db.add(Mention(quote_id=quote.id, article_id=article.id, speaker_id=person.id, text=quote.text, start=0,
                       end=len(quote.text), kind="direct", group=0, confidence=1.0))
    return engine


def test_stored_text_is_escaped_and_odd_links_are_not_followed(tmp_path):
    engine = one_quote(tmp_path, "Mallory <img src=x onerror=alert(1)>", "We <script>alert('x')</script> | *stars*",
                       url="javascript:alert(1)", title="<script>alert(1)</script>", outlet="<b>Evil</b> & Co")
    data = build_report(engine)
    page = render(data, "html")
    assert page.count("<script") == 1 and "<img" not in page and "<b>Evil" not in page  # the one is the index's
    assert "&lt;script&gt;alert(" in page and "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in page
    assert 'href="javascript:' not in page
    md = render(data, "md")
    assert "> We \\<script\\>alert('x')\\</script\\> \\| \\*stars\\*" in md
    assert "](<javascript:" not in md


def test_a_markdown_link_cannot_be_ended_early_by_its_url(tmp_path):
    engine = one_quote(tmp_path, "Lena Voss", "The pier opens in May",
                       url="https://example.test/a>)[x](javascript:alert(1))", title="Harbor")
    md = render(build_report(engine), "md")
    assert "[Harbor](<https://example.test/a%3E%29[x]%28javascript:alert%281%29%29>)" in md
    assert "(javascript:" not in md


def test_bidirectional_overrides_in_outlets_and_urls_are_not_printed(tmp_path):
    engine = one_quote(tmp_path, "Lena Voss", "The pier opens in May", url="https://example.test/\u202etxt.exe",
                       title="Harbor", outlet="Daily \u202eswen\u202c Wire")
    data = build_report(engine)
    for fmt in ("html", "md"):
        page = render(data, fmt)
        assert "Daily swen Wire" in page
        assert not any(ch in page for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# --- a thousand articles ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def news_db(tmp_path_factory) -> Path:
    """A thousand invented articles (tests/synthetic_news.py), stored by bulk SQL."""
    return build_news_store(tmp_path_factory.mktemp("news") / "quotes.sqlite")


@pytest.fixture(scope="module")
def news(news_db):
    return build_report(open_db(str(news_db)))


def test_the_index_lists_every_speaker_once_most_quoted_first(news_db, news):
    with sqlite3.connect(news_db) as db:
        speakers = db.execute("select count(distinct speaker_id) from quotes").fetchone()[0]
    assert speakers > 500 and len(news.speakers) == speakers == len({s.speaker_id for s in news.speakers})
    assert [s.quotes for s in news.speakers] == sorted((s.quotes for s in news.speakers), reverse=True)
    assert news.ranking == news.speakers[:12]
    index = render(news, "html").split('<table id="speaker-index">')[1].split("</table>")[0]
    assert index.count("<tr>") == speakers + 1  # and the header
    assert index.count('<a href="#speaker-') == len(news.sections)  # the ranked link to their sections


def test_an_index_row_gives_when_the_speaker_was_first_and_last_seen_and_their_latest_role(news_db, news):
    busiest = news.speakers[0]
    with sqlite3.connect(news_db) as db:
        first, last = db.execute(
            "select min(coalesce(a.published, date(a.ingested_at))), max(coalesce(a.published, date(a.ingested_at))) "
            "from mentions m join quotes q on q.id = m.quote_id join articles a on a.id = m.article_id "
            "where q.speaker_id = ?", (busiest.speaker_id,)).fetchone()
        title, organization = db.execute(
            "select r.title, r.organization from mentions m join quotes q on q.id = m.quote_id "
            "join articles a on a.id = m.article_id join roles r on r.id = m.role_id where q.speaker_id = ? "
            "order by coalesce(a.published, date(a.ingested_at)) desc, m.id desc limit 1",
            (busiest.speaker_id,)).fetchone()
    assert (str(busiest.first_seen), str(busiest.last_seen)) == (first, last)
    assert busiest.latest_role == f"{organization} {title}"


def test_long_sections_say_how_many_more_there_are_and_how_to_see_them(news):
    page = render(news, "html")
    assert len(news.sections) == 12
    for section in news.sections:
        shown = section.quotes.quotes
        assert len(shown) == 3 and len(shown) + section.quotes.hidden == section.speaker.quotes
        assert [q.first_seen for q in shown] == sorted(q.first_seen for q in shown)  # by date
        assert (f"… and {section.quotes.hidden:,} more quotes: see <code>quotes search --speaker "
                f"&#34;{section.speaker.name}&#34;</code>") in page
        assert sum(n for _, n in section.outlets) <= section.speaker.mentions
    assert any(s.hidden_roles for s in news.sections) and "more rarer roles: see <code>quotes speakers show" in page
    assert len(news.carried.quotes) == 10 and news.carried.hidden > 0
    assert f"… and {news.carried.hidden:,} more quotes: see <code>quotes search --sort sources</code>" in page


def test_a_report_on_one_speaker_lists_more_of_their_quotes(news_db, news):
    name = news.speakers[0].name
    one = build_report(open_db(str(news_db)), Scope(speaker=name))
    assert [s.speaker.name for s in one.sections] == [name]
    assert len(one.sections[0].quotes.quotes) == QUOTES_PER_SPEAKER


def test_quote_volume_counts_every_mention_once_per_week_over_a_year_and_a_half(news):
    assert news.volume.unit == "week"
    starts = [start for start, _ in news.volume.periods]
    assert all((b - a).days == 7 for a, b in zip(starts, starts[1:]))
    assert sum(n for _, n in news.volume.periods) == news.overview.mentions
    assert min(n for _, n in news.volume.periods) < max(n for _, n in news.volume.periods) / 3  # the news's waves


def test_filters_narrow_the_index_too(news_db, news):
    since, until = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
    dated = build_report(open_db(str(news_db)), Scope(since=since, until=until))
    with sqlite3.connect(news_db) as db:
        speakers = db.execute("select count(distinct speaker_id) from quotes where first_seen between ? and ?",
                              (since.isoformat(), until.isoformat())).fetchone()[0]
    assert len(dated.speakers) == speakers < len(news.speakers)
    assert all(s.first_seen >= since for s in dated.speakers)
    surname = news.speakers[0].name.split()[1]
    named = build_report(open_db(str(news_db)), Scope(speaker=surname))
    assert named.speakers and all(surname in s.name for s in named.speakers)


def test_the_markdown_index_is_capped_with_the_command_listing_every_speaker(news_db, news):
    code, md, _ = report(news_db, "--format", "md", "-o", "-")
    assert code == 0
    ranks = re.findall(r"^\| (\d+) \| ", md.split("## Speakers ranked by quotes")[1].split("\n## ")[0], re.MULTILINE)
    assert ranks == [str(rank) for rank in range(1, MARKDOWN_INDEX + 1)]
    assert f"_… and {len(news.speakers) - MARKDOWN_INDEX} more speaker(s): see `quotes speakers --limit 0`._" in md


@pytest.mark.postgres
def test_on_postgresql_the_report_holds_what_it_holds_on_sqlite(pg_server, seeded_db, nlp):
    engine = open_db(pg_server("report"))
    ingest(engine, read_paths([str(SEEDS)]), nlp=nlp)
    on_postgres, on_sqlite = build_report(engine), build_report(open_db(str(seeded_db)))
    assert [(s.name, s.quotes, s.outlets) for s in on_postgres.speakers] == [
        (s.name, s.quotes, s.outlets) for s in on_sqlite.speakers]
    assert sum(n for _, n in on_postgres.volume.periods) == on_sqlite.overview.mentions
    assert "and 0 more" not in render(on_postgres, "html")
    engine.dispose()
