"""The ``quotes`` command line: a thin layer over the library modules."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from quotes import QuotesError, __version__
from quotes.read import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy import Engine

    from quotes.progress import Progress
    from quotes.store.reader import Reader


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_url", envvar="QUOTES_DB", metavar="URL",
              help="Database URL or SQLite file path (env QUOTES_DB). Default: db/quotes.sqlite in a "
                   "source checkout, else quotes.sqlite in the user's data directory "
                   "(~/.local/share/quotes on Linux).")
@click.version_option(__version__, prog_name="quotes")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None) -> None:
    """Find, attribute, deduplicate and search quotes in news articles.

    Only `ingest`, `upgrade`, `articles remove` and the `speakers` fixes create or change the database; the other
    commands open it read-only.
    """
    ctx.obj = {"db_url": db_url}


#: The attribution confidence a mention needs to be shown (confidence is a calibrated probability).
_MIN_CONFIDENCE = click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
                               help="Only quotes attributed with at least this probability of the speaker being right.")

# Options shared by the commands that read articles.
_STRICT = click.option("--strict", is_flag=True, help="Stop at the first unreadable input.")
_MAX_BYTES = click.option(
    "--max-bytes", type=click.IntRange(min=1), envvar="QUOTES_MAX_BYTES", default=DEFAULT_MAX_BYTES,
    show_default=True, help="Refuse an article larger than this: a file, a JSONL line, a WARC record or a "
                            "fetched page (env QUOTES_MAX_BYTES).")
# The option of the commands that extract.
_JOBS = click.option("--jobs", type=click.IntRange(min=1), default=None,
                     help="Processes extracting at once; the output is the same for any number "
                          "[default: every core].")

# How much a reading command says on stderr as it runs (see quotes/progress.py).
_VERBOSITY = [
    click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings on stderr: errors only "
                                                     "(warnings are still counted)."),
    click.option("-v", "--verbose", is_flag=True, help="Also print each step on stderr: every article done, every "
                                                       "page fetched or read from the cache."),
]


def _verbosity(ctx: click.Context, quiet: bool, verbose: bool) -> int:
    from quotes.progress import NORMAL, QUIET, VERBOSE

    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot both be given", ctx)
    return QUIET if quiet else VERBOSE if verbose else NORMAL


def _reporter(progress: Progress, stored: str, other: str) -> Callable[[object, str], None]:
    """The progress callback of ingest, reextract and load: errors and warnings counted and printed, each other
    article printed (verbose) as ``stored`` when its status is "stored", else as ``other``."""
    def report(item, status: str) -> None:
        progress.advance()
        if status == "error":
            progress.error(item)
        elif status == "warning":
            progress.warning(item)
        else:
            progress.info(f"{stored if status == 'stored' else other}: {item.link or item.id}")

    return report


def _options(*options):
    """Apply a list of click options to a command, first one first in --help."""
    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command
    return decorate


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@_STRICT
@_MAX_BYTES
@_MIN_CONFIDENCE
@_JOBS
@_options(*_VERBOSITY)
@click.pass_context
def extract_cmd(ctx: click.Context, paths: tuple[str, ...], fmt: str, strict: bool, max_bytes: int,
                min_confidence: float | None, jobs: int | None, quiet: bool, verbose: bool) -> None:
    """Print every quote in PATHS (files, directories, URLs, - for stdin) without touching the database.

    PATHS may hold .txt, .jsonl, .html and .warc/.warc.gz files, and http(s) URLs (fetched
    politely, not cached: see `quotes ingest`). One JSON object per quote mention, as
    DESIGN.md's contract says. Unreadable inputs are reported on stderr and make the exit code
    1; the rest is still printed unless --strict. Progress and warnings go to stderr.
    """
    from quotes.article import ReadError, ReadWarning
    from quotes.extract import extract_many
    from quotes.progress import Progress
    from quotes.read import Inputs

    errors: list[ReadError] = []
    inputs = Inputs(paths, max_bytes=max_bytes)
    progress = Progress("extracting", inputs.total, _verbosity(ctx, quiet, verbose), unit="article")

    def report(error: ReadError) -> None:
        errors.append(error)
        progress.error(error)

    def articles():
        for item in inputs:
            if isinstance(item, ReadWarning):
                progress.warning(item)
                progress.advance()
            elif isinstance(item, ReadError):
                report(item)
                progress.advance()
                if strict:
                    return
            elif not (strict and errors):  # an article extraction gave up on stops a strict run too
                yield item

    def not_extracted(article, exc: Exception) -> None:
        report(ReadError.for_article(article, "not extracted", f"{type(exc).__name__}: {exc}"))
        progress.advance()

    with progress:
        for article, mentions in extract_many(articles(), on_error=not_extracted, jobs=jobs):
            progress.advance()
            progress.info(f"extracted: {article.link or article.id} ({len(mentions)} mention(s))")
            records = [m.record(article) for m in mentions if not min_confidence or m.confidence >= min_confidence]
            if fmt == "jsonl":
                for record in records:
                    click.echo(json.dumps(record, ensure_ascii=False, default=str))
            else:
                from quotes.output import print_rows

                columns = ["article_id", "speaker", "role", "kind", "text"]
                print_rows(columns, [[r[c] for c in columns] for r in records], "table")
    sys.exit(1 if errors else 0)


# --- the store: ingest, search, speakers, show, sql ------------------------------------------

_FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]), default="table",
                       show_default=True, help="json prints one JSON array, jsonl one JSON object a line.")


def _limit(default: int, what: str):
    """The --limit option of a listing: at most ``default`` rows unless told otherwise, 0 for all."""
    return click.option("--limit", type=click.IntRange(min=0), default=default, show_default=True,
                        help=f"At most this many {what}, 0 for all; a note on stderr says when there were more.")


def _cut(ctx: click.Context, found: list, limit: int, what: str) -> list:
    """``found`` (fetched with ``limit + 1``) cut to ``limit``, with a note on stderr when something was cut."""
    if limit and len(found) > limit:
        click.echo(f"note: only the first {limit} {what} are shown (see --limit)", err=True)
        return found[:limit]
    return found
_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _engine(ctx: click.Context, write: bool = False) -> Engine:
    """The database named by --db / QUOTES_DB (see `quotes --help`); exit 1 with the reason when it cannot be used.

    Only ``write`` commands create or migrate it; the others open it read-only.
    """
    from quotes.store.db import StoreError, open_db

    try:
        return open_db(ctx.obj["db_url"], write=write)
    except (StoreError, ImportError) as exc:  # ImportError: no driver, e.g. psycopg for PostgreSQL
        click.echo(f"error: {str(exc).splitlines()[0]}", err=True)
        ctx.exit(1)


def _reader(ctx: click.Context) -> Reader:
    """A read-only reader of the database named by --db (a SQLite file needs no SQLAlchemy); exit 1 when it cannot be read."""
    from quotes.store.location import StoreError
    from quotes.store.reader import open_reader

    try:
        return open_reader(ctx.obj["db_url"])
    except (StoreError, ImportError) as exc:  # ImportError: no driver, e.g. psycopg for PostgreSQL
        click.echo(f"error: {str(exc).splitlines()[0]}", err=True)
        ctx.exit(1)


def _fail(ctx: click.Context, message: object) -> None:
    """Print ``error: message`` on stderr and exit with code 1."""
    click.echo(f"error: {message}", err=True)
    ctx.exit(1)


# Live inputs: how pages and feeds are fetched (the defaults are quotes.read.fetch.Politeness's).
_FETCH = [
    click.option("--feed", "feeds", multiple=True, metavar="URL",
                 help="An RSS or Atom feed: the page of each entry is ingested (repeatable)."),
    click.option("--feeds", "feed_lists", multiple=True, metavar="FILE",
                 help="A file of feed URLs, one a line, # for comments (repeatable)."),
    click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), envvar="QUOTES_CACHE",
                 help="Where fetched pages are kept (env QUOTES_CACHE) [default: cache/ beside the default "
                      "database, in the data directory]."),
    click.option("--timeout", type=click.FloatRange(min=0.001), metavar="SECONDS", envvar="QUOTES_FETCH_TIMEOUT", default=20.0,
                 show_default=True, help="Seconds a request may take, body included (env QUOTES_FETCH_TIMEOUT)."),
    click.option("--retries", type=click.IntRange(min=0), metavar="N", envvar="QUOTES_FETCH_RETRIES", default=2, show_default=True,
                 help="Requests asked again after a failed connection, a time-out, 429 or 5xx (env QUOTES_FETCH_RETRIES)."),
    click.option("--delay", type=click.FloatRange(min=0), metavar="SECONDS", envvar="QUOTES_FETCH_DELAY", default=1.0, show_default=True,
                 help="Seconds between two requests to one host, longer if its robots.txt asks; retries wait "
                      "twice that, doubling (env QUOTES_FETCH_DELAY)."),
]


def _fetcher(cache_dir: Path | None, max_bytes: int, timeout: float, retries: int, delay: float):
    """The Fetcher of one run: the politeness asked for, pages cached in ``cache_dir`` or the default cache."""
    from quotes.read.fetch import Fetcher, Politeness
    from quotes.store.location import data_dir

    politeness = Politeness(timeout=timeout, retries=retries, delay=delay, backoff=2 * delay)
    return Fetcher(cache_dir or data_dir() / "cache", max_bytes=max_bytes, politeness=politeness)


#: The alias file naming speakers, for every command that stores articles.
_ALIASES = click.option("--aliases", "alias_file", type=click.Path(dir_okay=False, path_type=Path),
                        envvar="QUOTES_ALIASES",
                        help="Alias CSV file (name,alias) applied first (env QUOTES_ALIASES; default db/aliases.csv).")
#: How ingest and reextract store: the alias file naming speakers, processes, articles per transaction.
_STORING = [
    _ALIASES,
    _JOBS,
    click.option("--batch", "batch_size", type=click.IntRange(min=1), default=None,
                 help="Articles stored per transaction at most; 1 commits every article [default: a batch "
                      "ends at 64 articles or after 2 s of extraction, see quotes.ingest]."),
]


@cli.command("ingest")
@click.argument("paths", nargs=-1)
@_options(*_FETCH)
@_STRICT
@_MAX_BYTES
@_options(*_STORING)
@_options(*_VERBOSITY)
@click.pass_context
def ingest_cmd(ctx: click.Context, paths: tuple[str, ...], feeds: tuple[str, ...], feed_lists: tuple[str, ...],
               cache_dir: Path | None, timeout: float, retries: int, delay: float, strict: bool, max_bytes: int,
               alias_file: Path | None, jobs: int | None, batch_size: int, quiet: bool, verbose: bool) -> None:
    """Extract the quotes in PATHS (files, directories, URLs, - for stdin) and in feeds, and store them.

    PATHS may hold .txt, .jsonl, .html and .warc/.warc.gz files, and http(s) URLs of pages. Pages
    are fetched politely (robots.txt, a pause between requests to a host) and kept in the cache,
    so a page is downloaded once. Articles already stored (same canonical URL or same text) are
    skipped, so running it again adds nothing. Unreadable inputs are reported on stderr as
    `error: PATH[:LINE]: reason` and make the exit code 1; the rest is still stored unless
    --strict. Warnings (a date that cannot be read, a page with no article text) are counted in
    the summary. The alias file's rows (canonical name, alias) are applied to the stored speakers
    and to every new article.
    """
    from quotes.ingest import ingest
    from quotes.progress import Progress
    from quotes.read import Inputs, is_url
    from quotes.store.speakers import AliasFileError, default_alias_file

    if not (paths or feeds or feed_lists):
        raise click.UsageError("nothing to ingest: give PATHS, --feed URL or --feeds FILE", ctx)
    verbosity = _verbosity(ctx, quiet, verbose)
    engine = _engine(ctx, write=True)
    web = feeds or feed_lists or any(is_url(path) for path in paths)
    fetcher = _fetcher(cache_dir, max_bytes, timeout, retries, delay) if web else None
    try:
        with Progress("ingesting", None, verbosity, unit="article") as progress:
            inputs = Inputs(paths, feeds, feed_lists, max_bytes=max_bytes, fetcher=fetcher)
            progress.set_total(inputs.total)

            result = ingest(engine, inputs, on_progress=_reporter(progress, "stored", "already present"), strict=strict,
                            alias_file=alias_file or default_alias_file(), jobs=jobs, batch_size=batch_size)
    except AliasFileError as exc:
        _fail(ctx, exc)
    finally:
        if fetcher:
            fetcher.close()
    click.echo(
        f"articles stored: {result.articles}, already present: {result.skipped}, "
        f"mentions: {result.mentions}, new quotes: {result.quotes}, errors: {len(result.errors)}, "
        f"warnings: {progress.warnings}"
    )
    if fetcher:
        click.echo(f"web requests: {fetcher.requests}, downloaded: {fetcher.downloads}, "
                   f"from the cache: {fetcher.from_cache}")
    sys.exit(1 if result.errors else 0)


@cli.command("reextract")
@click.option("--since", type=_DATE, help="Only articles dated on or after this day (YYYY-MM-DD): publication, else ingestion.")
@click.option("--outlet", help="Only articles of outlets whose name or domain contains this.")
@click.option("--all", "everything", is_flag=True,
              help="Every matching article, even those this version of the extractor produced.")
@_options(*_STORING)
@_options(*_VERBOSITY)
@click.pass_context
def reextract_cmd(ctx: click.Context, since: dt.datetime | None, outlet: str | None, everything: bool,
                  alias_file: Path | None, jobs: int | None, batch_size: int | None, quiet: bool, verbose: bool) -> None:
    """Extract the stored articles again with this version of the extractor, replacing their mentions.

    Articles another version produced (an older package, another lexicon) are taken, in the order
    they were ingested; --all takes the ones this version produced too. Quotes are clustered again
    where their mentions changed, speakers no article quotes any more go, and every correction
    made by hand stays: merges, aliases, renames, kinds and splits. Articles stored before bodies
    were kept (schema revision 0004) cannot be extracted again and are counted.
    """
    from quotes.ingest import reextract
    from quotes.progress import Progress
    from quotes.store.speakers import AliasFileError, default_alias_file

    engine = _engine(ctx, write=True)
    try:
        with Progress("re-extracting", None, _verbosity(ctx, quiet, verbose), unit="article") as progress:
            result = reextract(engine, since.date() if since else None, outlet, everything,
                               on_progress=_reporter(progress, "changed", "unchanged"),
                               on_total=progress.set_total, alias_file=alias_file or default_alias_file(),
                               jobs=jobs, batch_size=batch_size)
    except AliasFileError as exc:
        _fail(ctx, exc)
    click.echo(f"articles extracted again: {result.articles}, changed: {result.changed}, "
               f"mentions: {result.replaced} -> {result.mentions}, "
               f"new quotes: {result.quotes}, without a stored body: {result.bodiless}, errors: {len(result.errors)}")
    sys.exit(1 if result.errors else 0)


@cli.command("load")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_ALIASES
@click.option("--batch", "batch_size", type=click.IntRange(min=1), default=None,
              help="Articles stored per transaction at most [default: 256].")
@_options(*_VERBOSITY)
@click.pass_context
def load_cmd(ctx: click.Context, directory: Path, alias_file: Path | None, batch_size: int | None,
             quiet: bool, verbose: bool) -> None:
    """Store the articles and mentions of a scale-out run (DIRECTORY, as `quotes spark extract --out` writes it).

    Articles are stored in the run's ingest order by the rules ingest stores by, so the database
    is what a serial `quotes ingest` of the same articles in that order gives; articles already
    stored are skipped, so loading a run twice adds nothing and a later run joins its speakers and
    quotes to those stored. Needs pyarrow (pip install 'quotes[parquet]').
    """
    try:
        from quotes.load import load, run_errors
        from quotes.tables import TablesError
    except ImportError as exc:
        _fail(ctx, f"quotes load needs pyarrow: pip install 'quotes[parquet]' ({exc})")
    from quotes.progress import Progress
    from quotes.store.speakers import AliasFileError, default_alias_file

    engine = _engine(ctx, write=True)
    try:
        unread = run_errors(directory)
        with Progress("loading", None, _verbosity(ctx, quiet, verbose), unit="article") as progress:
            result = load(engine, directory, batch_size, alias_file or default_alias_file(),
                          _reporter(progress, "stored", "already present"))
    except (AliasFileError, TablesError) as exc:
        _fail(ctx, exc)
    click.echo(f"articles stored: {result.articles}, already present: {result.skipped}, "
               f"mentions: {result.mentions}, new quotes: {result.quotes}, errors: {len(result.errors)}, "
               f"inputs the run could not read: {unread} (its errors table)")
    sys.exit(1 if result.errors else 0)


@cli.command("upgrade")
@click.pass_context
def upgrade_cmd(ctx: click.Context) -> None:
    """Migrate the database to this version's schema (writing commands do it by themselves)."""
    from quotes.store.db import SCHEMA_REVISION

    _engine(ctx, write=True)
    click.echo(f"the database is at schema revision {SCHEMA_REVISION}")


@cli.command("search")
@click.option("--speaker", help="Words beginning words of the speaker's name or an alias (\"kirby\", \"j kir\").")
@click.option("--role", help="Words beginning words of a title or organisation given in a source, or its acronym "
                             "(\"council\", \"NSC\").")
@click.option("--outlet", help="Part of a source's outlet name or domain.")
@click.option("--since", type=_DATE, help="Quotes first seen on or after this date (YYYY-MM-DD).")
@click.option("--until", type=_DATE, help="Quotes first seen on or before this date (YYYY-MM-DD).")
@click.option("--text", help="Whole words, and \"quoted phrases\", that must all occur in the quote.")
@click.option("--sort", type=click.Choice(["oldest", "newest", "sources"]), default="oldest", show_default=True,
              help="By the date first seen, or most sources (articles) first.")
@_limit(100, "quotes")
@_MIN_CONFIDENCE
@_FORMAT
@click.pass_context
def search_cmd(ctx: click.Context, speaker: str | None, role: str | None, outlet: str | None,
               since: dt.datetime | None, until: dt.datetime | None, text: str | None, sort: str, limit: int,
               min_confidence: float | None, fmt: str) -> None:
    """Find quotes by speaker, role, outlet, date and words, with their sources.

    Words match whole words, case and accents ignored: --text war never finds "aware".
    """
    from quotes.output import print_json, print_jsonl, print_rows
    from quotes.store.query import SearchError, search

    try:
        found = search(_reader(ctx), speaker=speaker, role=role, outlet=outlet, since=since and since.date(),
                       until=until and until.date(), text=text, limit=limit + 1 if limit else None,
                       min_confidence=min_confidence, sort=sort)
    except SearchError as exc:
        _fail(ctx, exc)
    found = _cut(ctx, found, limit, "quotes")
    if fmt in ("json", "jsonl"):
        (print_json if fmt == "json" else print_jsonl)(found)
        return
    columns = ["id", "first_seen", "speaker", "roles", "sources", "outlets", "quote"]
    rows = [
        [q["quote_id"], q["first_seen"], q["speaker"], q["roles"], len(q["sources"]),
         sorted({s["outlet"] for s in q["sources"] if s["outlet"]}), q["text"]]
        for q in found
    ]
    print_rows(columns, rows, fmt)


@cli.group("speakers", invoke_without_command=True)
@click.option("--role", help="Only speakers with a title or organisation with these words, or its acronym.")
@_limit(100, "speakers")
@_FORMAT
@click.pass_context
def speakers_cmd(ctx: click.Context, role: str | None, limit: int, fmt: str) -> None:
    """List speakers, most quoted first, with their roles (latest first); subcommands show and fix them.

    A speaker is given to the subcommands by canonical name, alias or id (case ignored).
    """
    if ctx.invoked_subcommand:
        return
    from quotes.output import print_json, print_rows
    from quotes.store.query import speakers

    found = _cut(ctx, speakers(_reader(ctx), role=role, limit=limit + 1 if limit else None), limit, "speakers")
    if fmt == "json":
        print_json(found)
        return
    columns = ["speaker_id", "name", "kind", "quotes", "roles"]
    print_rows(columns, [[s[c] for c in columns] for s in found], fmt)


@speakers_cmd.command("show")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def speakers_show_cmd(ctx: click.Context, name: str, fmt: str) -> None:
    """Show speaker NAME: aliases, role timeline with dates and sources, and quotes per outlet."""
    from quotes.article import printable
    from quotes.output import print_json
    from quotes.store.profile import speaker_profile

    try:
        profile = speaker_profile(_engine(ctx), name)
    except LookupError as exc:
        _fail(ctx, exc)
    if fmt == "json":
        print_json(profile)
        return
    external = f", {profile['external_id']}" if profile["external_id"] else ""
    click.echo(f"{profile['name']} (#{profile['speaker_id']}, {profile['kind']}{external}), {profile['quotes']} quote(s)")
    click.echo(f"aliases: {', '.join(a['alias'] for a in profile['aliases']) or '-'}")
    click.echo("roles:" if profile["roles"] else "roles: -")
    for role in profile["roles"]:
        click.echo(f"  {role['first_seen']} .. {role['last_seen']}  {role['role']}")
        for source in role["sources"]:
            click.echo("      " + printable("  ".join(p for p in (source["published"], source["outlet"], source["url"]) if p)))
    click.echo("quotes per outlet:" if profile["outlets"] else "quotes per outlet: -")
    for outlet in profile["outlets"]:
        click.echo(f"  {outlet['quotes']:>5}  {outlet['outlet'] or '(unknown outlet)'}")


@speakers_cmd.command("merge")
@click.argument("keep")
@click.argument("other")
@click.pass_context
def speakers_merge_cmd(ctx: click.Context, keep: str, other: str) -> None:
    """Merge speaker OTHER into KEEP: mentions, quotes, roles and aliases move, and quotes are deduplicated again."""
    from quotes.store.speakers import merge

    try:
        done = merge(_engine(ctx, write=True), keep, other)
    except (LookupError, ValueError) as exc:
        _fail(ctx, exc)
    click.echo(f"merged {done.merged!r} into {done.kept!r}: {done.mentions} mention(s) moved, "
               f"{done.quotes_joined} quote(s) joined")


@speakers_cmd.command("alias")
@click.argument("name")
@click.argument("alias")
@click.pass_context
def speakers_alias_cmd(ctx: click.Context, name: str, alias: str) -> None:
    """Make ALIAS another name of speaker NAME; a speaker stored under ALIAS is merged into it.

    Articles that name ALIAS are then filed under NAME. For aliases that must survive a rebuilt
    database, put them in the alias file (see `quotes ingest --help`).
    """
    from quotes.store.speakers import alias as add_alias

    try:
        name = add_alias(_engine(ctx, write=True), name, alias)
    except LookupError as exc:
        _fail(ctx, exc)
    click.echo(f"{alias!r} is now an alias of {name!r}")


@speakers_cmd.command("review")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many per list.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def speakers_review_cmd(ctx: click.Context, limit: int, fmt: str) -> None:
    """List what a person should check: weak links, names that are no names, people that look like organisations."""
    from quotes.output import print_json, print_rows
    from quotes.store.review import review

    found = review(_engine(ctx), limit=limit)
    if fmt == "json":
        print_json(found)
        return
    sections = (("weak links: a name linked by a rule no role confirmed", "weak_links",
                 ["printed", "speaker_id", "speaker", "how", "score", "article_id", "link"]),
                ("bare surnames several people share", "surnames", ["speaker_id", "speaker", "people", "why"]),
                ("names that are no plausible name", "names", ["speaker_id", "speaker", "mentions", "why"]),
                ("kinds in doubt", "kinds", ["speaker_id", "speaker", "kind", "mentions", "why"]))
    for title, key, columns in sections:
        click.echo(f"{title} ({len(found[key])}):")
        if found[key]:
            print_rows(columns, [[row[c] for c in columns] for row in found[key]], "table")
        click.echo()


@speakers_cmd.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def speakers_import_cmd(ctx: click.Context, path: Path) -> None:
    """Seed the speakers of a people file: CSV name,aliases,roles,external_id (see the README)."""
    from quotes.store.people import PeopleFileError, import_people

    try:
        done = import_people(_engine(ctx, write=True), path)
    except PeopleFileError as exc:
        _fail(ctx, exc)
    for why in done.refused:
        click.echo(f"error: {path}: {why}", err=True)
    click.echo(f"people created: {done.created}, updated: {done.updated}, refused: {len(done.refused)}")
    sys.exit(1 if done.refused else 0)


@speakers_cmd.command("split")
@click.argument("name")
@click.option("--article", "article_id", type=click.IntRange(min=1, max=2**63 - 1), required=True,
              help="The article (its id in `articles`) whose mentions of NAME are somebody else's.")
@click.option("--name", "new_name", help="The other speaker's name [default: as the article prints it].")
@click.pass_context
def speakers_split_cmd(ctx: click.Context, name: str, article_id: int, new_name: str | None) -> None:
    """Undo a wrong link: NAME's mentions in one article go to a speaker of their own."""
    from quotes.store.review import split

    try:
        named, moved = split(_engine(ctx, write=True), name, article_id, new_name)
    except (LookupError, ValueError) as exc:
        _fail(ctx, exc)
    click.echo(f"{moved} mention(s) of article {article_id} moved from {name!r} to {named!r}")


@speakers_cmd.command("rename")
@click.argument("name")
@click.argument("new_name")
@click.pass_context
def speakers_rename_cmd(ctx: click.Context, name: str, new_name: str) -> None:
    """Give speaker NAME the canonical name NEW_NAME; the old name stays an alias."""
    from quotes.store.review import rename

    try:
        old = rename(_engine(ctx, write=True), name, new_name)
    except (LookupError, ValueError) as exc:
        _fail(ctx, exc)
    click.echo(f"{old!r} is now called {new_name!r}")


@speakers_cmd.command("kind")
@click.argument("name")
@click.argument("kind", type=click.Choice(["person", "organization"]))
@click.pass_context
def speakers_kind_cmd(ctx: click.Context, name: str, kind: str) -> None:
    """Make speaker NAME a person or an organisation."""
    from quotes.store.review import set_kind

    try:
        named = set_kind(_engine(ctx, write=True), name, kind)
    except (LookupError, ValueError) as exc:
        _fail(ctx, exc)
    click.echo(f"{named!r} is now a {kind}")


@cli.command("show")
@click.argument("quote_id", type=click.IntRange(min=1, max=2**63 - 1))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show_cmd(ctx: click.Context, quote_id: int, fmt: str) -> None:
    """Show one quote and every source that printed it, each with its own wording, differences marked."""
    from quotes.article import printable
    from quotes.dedup import mark_differences
    from quotes.output import print_json
    from quotes.store.query import show_quote

    quote = show_quote(_reader(ctx), quote_id)
    if quote is None:
        click.echo(f"error: no quote with id {quote_id}", err=True)
        sys.exit(1)
    if fmt == "json":
        print_json(quote)
        return
    roles = f" ({'; '.join(quote['roles'])})" if quote["roles"] else ""
    speaker = quote["speaker"] or "unknown speaker"
    click.echo(f"#{quote['quote_id']}  {speaker}{roles}, first seen {quote['first_seen']}")
    click.echo(f"\u201c{quote['text']}\u201d\n")
    click.echo(f"{len(quote['sources'])} source(s), words that differ marked [-as in the quote-]{{+as printed+}}:")
    for source in quote["sources"]:  # stored text printed escaped: it may hold control characters
        where = "  ".join(part for part in (source["published"], source["outlet"], source["url"]) if part)
        click.echo(f"  {printable(where)}")
        if source["title"]:
            click.echo(f"    {printable(source['title'])}")
        role = f" ({source['role']})" if source["role"] else ""
        wording = mark_differences((run["op"], run["words"]) for run in source["differences"])
        click.echo(f"    \u201c{printable(wording)}\u201d{printable(role)}")
    for other in quote["conflicts"]:
        click.echo(f"\npossible misattribution: the same words are given to {other['speaker']} "
                   f"in quote #{other['quote_id']}")


@cli.group("articles", invoke_without_command=True)
@click.option("--outlet", help="Only articles of outlets whose name or domain contains this.")
@_limit(100, "articles")
@_FORMAT
@click.pass_context
def articles_cmd(ctx: click.Context, outlet: str | None, limit: int, fmt: str) -> None:
    """List the stored articles, newest first, with the number of quote mentions in each; `remove` deletes one."""
    if ctx.invoked_subcommand:
        return
    from quotes.output import print_rows
    from quotes.store.articles import articles

    found = _cut(ctx, articles(_reader(ctx), outlet=outlet, limit=limit + 1 if limit else None), limit, "articles")
    columns = ["article_id", "published", "outlet", "title", "url", "mentions"]
    print_rows(columns, [[a[c] for c in columns] for a in found], fmt)


@articles_cmd.command("remove")
@click.argument("article_id", type=click.IntRange(min=1, max=2**63 - 1))
@click.pass_context
def articles_remove_cmd(ctx: click.Context, article_id: int) -> None:
    """Delete article ARTICLE_ID, its mentions and every quote no other article printed, in one transaction."""
    from quotes.store.articles import remove_article

    try:
        removed = remove_article(_engine(ctx, write=True), article_id)
    except LookupError as exc:
        _fail(ctx, exc)
    click.echo(f"removed article {article_id} ({removed.title or 'untitled'}): {removed.mentions} mention(s), "
               f"{removed.quotes} quote(s) no other article printed")


@cli.command("outlets")
@_FORMAT
@click.pass_context
def outlets_cmd(ctx: click.Context, fmt: str) -> None:
    """List the outlets, most stored articles first, with each one's latest article date."""
    from quotes.output import print_rows
    from quotes.store.articles import outlets

    found = outlets(_reader(ctx))
    columns = ["outlet_id", "name", "domain", "articles", "latest"]
    print_rows(columns, [[o[c] for c in columns] for o in found], fmt)


@cli.command("browse", context_settings={"ignore_unknown_options": True})
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--immutable", is_flag=True,
              help="Open the file as one nothing writes while it is served (an archive): table counts are "
                   "computed once. Without it, pages show what a running ingest adds.")
@click.argument("datasette_args", nargs=-1, type=click.UNPROCESSED, metavar="[-- DATASETTE_OPTIONS]")
@click.pass_context
def browse_cmd(ctx: click.Context, host: str, port: int, immutable: bool, datasette_args: tuple[str, ...]) -> None:
    """Serve the database with Datasette, read-only, with table descriptions and canned queries.

    The descriptions and canned queries (quotes by speaker, by role, most carried, roles over
    time) apply whatever the file is called. A SQLite file only; options after `--` go to
    `datasette serve`. Needs Datasette (pip install 'quotes[browse]').
    """
    import os

    from quotes.store.browse import serve
    from quotes.store.location import StoreError, resolve_url, sqlite_file, sqlite_reader

    url = resolve_url(ctx.obj["db_url"])
    if sqlite_file(url) is None:
        _fail(ctx, "quotes browse serves a SQLite file: give --db path/to/quotes.sqlite")
    try:
        database = sqlite_reader(url)
    except StoreError as exc:
        _fail(ctx, str(exc).splitlines()[0])
    if not os.access(database.parent, os.W_OK):  # a WAL database opened mode=ro needs its -shm file beside it
        immutable = True
    try:
        serve(database, host, port, immutable=immutable, extra=datasette_args)
    except ImportError as exc:
        _fail(ctx, f"quotes browse needs Datasette: pip install 'quotes[browse]' ({exc})")
    except OSError as exc:  # the data directory, where the metadata file goes, cannot be written
        _fail(ctx, f"cannot write Datasette's metadata: {exc.strerror or exc} ({exc.filename})")


def _sql_statements() -> Iterator[str]:
    """Statements read from stdin, each ending with ";" (prompting when stdin is a terminal)."""
    interactive = sys.stdin.isatty()
    if interactive:
        import readline  # noqa: F401  (line editing and history for input())

        click.echo("read-only SQL; end each statement with ';', quit with \\q or Ctrl-D", err=True)
    lines: list[str] = []
    while True:
        try:
            line = input(("quotes> " if not lines else "   ...> ") if interactive else "")
        except EOFError:
            break
        if not lines and line.strip() in {"\\q", ".quit", ".exit", "quit", "exit"}:
            break
        if lines or line.strip():
            lines.append(line)
        if line.rstrip().endswith(";"):
            yield "\n".join(lines)
            lines = []
    if lines:
        yield "\n".join(lines)


@cli.command("sql")
@click.argument("query", required=False)
@_FORMAT
@click.option("--timeout", type=click.FloatRange(min=0.001), default=5.0, show_default=True,
              help="Seconds a statement may run.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Rows printed at most; the rest are cut, with a note on stderr.")
@click.pass_context
def sql_cmd(ctx: click.Context, query: str | None, fmt: str, timeout: float, max_rows: int) -> None:
    """Run read-only SQL: QUERY, or statements typed at a prompt (or piped in) when QUERY is absent.

    The database itself refuses writes, PRAGMAs that change anything, and (on PostgreSQL)
    anything reaching past the database; a refused or failing statement prints `error: ...` and
    makes the exit code 1. Tables and views are described in the README.
    """
    from quotes.output import print_rows
    from quotes.store.adhoc import QueryError, run_sql
    from quotes.store.location import StoreError, resolve_url, sqlite_file, sqlite_reader

    url = resolve_url(ctx.obj["db_url"])
    try:  # a SQLite file is read with sqlite3 alone: no SQLAlchemy to import
        db = sqlite_reader(url) if sqlite_file(url) else _engine(ctx)
    except StoreError as exc:
        _fail(ctx, str(exc).splitlines()[0])
    failed = False
    for statement in [query] if query is not None else _sql_statements():
        try:
            result = run_sql(db, statement, timeout=timeout, max_rows=max_rows)
        except QueryError as exc:
            click.echo(f"error: {exc}", err=True)
            failed = True
            continue
        print_rows(result.columns, result.rows, fmt)
        if result.more:
            click.echo(f"note: only the first {max_rows} rows are shown (see --max-rows)", err=True)
    sys.exit(1 if failed else 0)


def main() -> None:
    """Console-script entry point: a database failure (locked, disk full, ...) or a set-up error is one line,
    never a traceback."""
    try:
        cli()
    except QuotesError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:
        from quotes.store.db import explain_failure

        message = explain_failure(exc)
        if message is None:
            raise
        click.echo(f"error: {message}", err=True)
        sys.exit(1)


# --- evaluation ------------------------------------------------------------------------------


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--baseline", type=click.Choice(["textacy"]), help="Also run this baseline on the same articles.")
@click.option("--errors", "n_errors", type=click.IntRange(min=0), default=0, show_default=True,
              help="Show up to N misses, N false alarms and N wrong speakers of each system.")
@click.option("--limit", type=click.IntRange(min=1), help="Score at most N articles (after --offset).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Skip the first N articles.")
@click.option("--json", "as_json", is_flag=True, help="Print scores (and error samples) as one JSON object.")
@click.option("--scorer", type=click.Choice(["learned", "rules"]),
              help="Who picks our speakers [default: the pipeline's config, rules].")
@_JOBS
def eval_cmd(gold: str, baseline: str | None, n_errors: int, limit: int | None, offset: int, as_json: bool,
             scorer: str | None, jobs: int | None) -> None:
    """Score our extraction, and optionally a baseline, against the gold quotes in GOLD (JSONL).

    Scoring rules are in DESIGN.md (Evaluation) and quotes/evaluate.py. --offset and --limit
    select articles, e.g. to keep a held-out part. Ours runs as `quotes extract` does (every
    core, or --jobs), a baseline in one process as its users run it; the speed ratio is printed
    last. Progress (count, rate, time left) goes to stderr on a terminal.
    """
    from dataclasses import asdict

    from quotes.evaluate import error_samples, format_scores, load_gold, run_system
    from quotes.progress import Progress

    articles = load_gold(gold)[offset:][:limit]
    scores, samples = {}, {}
    for name in ["quotes", *([baseline] if baseline else [])]:
        with Progress(name, len(articles), unit="article") as progress:
            try:
                scores[name], predictions = run_system(name, articles, progress=progress.advance,
                                                       scorer=scorer if name == "quotes" else None, jobs=jobs)
            except ValueError as exc:  # a system that is not installed
                raise click.ClickException(str(exc)) from None
        if n_errors:
            samples[name] = error_samples(articles, predictions, n_errors)
    if as_json:
        out = {"scores": {name: s.as_dict() for name, s in scores.items()}}
        if n_errors:
            out["error_samples"] = {name: {kind: [asdict(e) for e in found] for kind, found in by_kind.items()}
                                    for name, by_kind in samples.items()}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    click.echo(format_scores(scores))
    for name, by_kind in samples.items():
        for kind, found in by_kind.items():
            click.echo(f"\n== {name}: {kind} ({len(found)} shown) ==")
            for sample in found:
                click.echo(str(sample))


@cli.command("train")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the model (JSON); the packaged one is quotes/data/scorer.json.")
@click.option("--limit", type=click.IntRange(min=1),
              help="Train on the first N articles [default: the first 80% of GOLD; the rest is held out].")
@click.option("--kind", type=click.Choice(["clogit", "trees", "logistic"]), default="clogit", show_default=True,
              help="Conditional logit (a softmax over each quote's candidates), gradient-boosted trees or logistic regression.")
@click.option("--cache", type=click.Path(dir_okay=False, path_type=Path),
              help="A spaCy DocBin of the parsed articles: read when it exists, else written (saves re-parsing).")
def train_cmd(gold: str, output: Path, limit: int | None, kind: str, cache: Path | None) -> None:
    """Train the speaker scorer on GOLD (JSONL) and print its 5-fold cross-validated figures.

    Needs scikit-learn (the eval extra); the model written is numbers only. Progress to stderr.
    """
    from quotes.evaluate import load_gold
    from quotes.training import train_from_gold

    articles = load_gold(gold)
    articles = articles[: limit or int(0.8 * len(articles))]
    try:
        figures = train_from_gold(articles, output, kind=kind, cache=cache, source=Path(gold).name,
                                  log=lambda line: click.echo(line, err=True))
    except ImportError as exc:
        raise click.ClickException(f"training needs the eval extra (scikit-learn): {exc}") from None
    click.echo(json.dumps(figures, indent=2))


# --- the report --------------------------------------------------------------------------------


@cli.command("report")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="File to write, - for standard output [default: reports/report.html, or .md with --format md].")
@click.option("--since", type=_DATE, help="Only quotes first seen on or after this date (YYYY-MM-DD).")
@click.option("--until", type=_DATE, help="Only quotes first seen on or before this date (YYYY-MM-DD).")
@click.option("--speaker", help="Only speakers with a name or alias whose words begin with these (\"kirby\").")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True,
              help="html: one self-contained page with charts; md: the same content as Markdown.")
@_MIN_CONFIDENCE
@click.pass_context
def report_cmd(ctx: click.Context, output: Path | None, since: dt.datetime | None, until: dt.datetime | None,
               speaker: str | None, fmt: str, min_confidence: float | None) -> None:
    """Write a report a person reads: who is quoted, in which roles, by which outlets, which quotes travelled.

    The HTML page has its style and charts inline and opens from disk with no network. Nothing
    to report (an empty database, or filters matching no quote) is an error with exit code 1.
    """
    from quotes.report import EmptyReport, Scope, write_report

    output = output or Path("reports") / f"report.{fmt}"
    to_stdout = str(output) == "-"
    scope = Scope(since=since and since.date(), until=until and until.date(), speaker=speaker,
                  min_confidence=min_confidence)
    try:
        report = write_report(_engine(ctx), None if to_stdout else output, fmt, scope, echo=click.echo)
    except EmptyReport as exc:
        _fail(ctx, exc)
    except OSError as exc:
        _fail(ctx, f"cannot write {output}: {exc.strerror or exc}")
    if not to_stdout:
        click.echo(f"wrote {output}: {report.overview.quotes} quotes by {report.overview.speakers} speakers "
                   f"from {report.overview.articles} articles", err=True)


# --- scaling out: the Spark job --------------------------------------------------------------


def _conf_pair(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """--conf KEY=VALUE pairs as a dict, a pair without "=" a usage error."""
    if bad := next((value for value in values if "=" not in value), None):
        raise click.BadParameter(f"{bad!r} is not KEY=VALUE", ctx, param)
    return dict(value.split("=", 1) for value in values)


_SPARK = [
    click.option("--partitions", type=click.IntRange(min=1), metavar="N",
                 help="Tasks the work is split into [default: extract, one per input file; dedup, "
                      "spark.sql.shuffle.partitions]."),
    click.option("--master", metavar="URL", help="Spark master (local[N], spark://..., yarn) [default: Spark's "
                                                 "configuration, else local[*]]."),
    click.option("--conf", "settings", multiple=True, metavar="KEY=VALUE", callback=_conf_pair,
                 help="A Spark setting, as spark-submit --conf takes it (repeatable); wins over the job's defaults."),
]


@cli.group("spark")
def spark_cmd() -> None:
    """Extract and deduplicate as a Spark job, into Parquet tables that `quotes load` stores.

    Locally (Java 17 and the spark extra: pip install 'quotes[spark]') or on a cluster, also
    under spark-submit with the same arguments (README, "Scaling out: Spark"). Spark's own
    configuration (spark-defaults.conf, SPARK_* variables, spark-submit options) applies.
    """


def _spark_session(ctx: click.Context, master: str | None, settings: dict[str, str]):
    """The session of a spark command (an active one if any): left running, it ends with the process."""
    from quotes.spark.session import SparkUnavailable, start

    try:
        return start(master, settings)
    except SparkUnavailable as exc:
        _fail(ctx, exc)


@spark_cmd.command("extract")
@click.argument("inputs", nargs=-1)
@click.option("--out", required=True, metavar="DIR", help="Where the tables go: a local folder or a Hadoop URL.")
@click.option("--manifest", metavar="FILE", help="A file of inputs (WARC paths or URLs), one a line, as cc-pyspark "
                                                 "takes them: a file here or a Hadoop URL, gzipped or not.")
@click.option("--input-base-url", default="", metavar="URL",
              help="Put before each manifest line (s3a://commoncrawl/ for Common Crawl's paths).")
@_MAX_BYTES
@_options(*_SPARK)
@click.pass_context
def spark_extract_cmd(ctx: click.Context, inputs: tuple[str, ...], out: str, manifest: str | None,
                      input_base_url: str, max_bytes: int, partitions: int | None, master: str | None,
                      settings: dict[str, str]) -> None:
    """Extract every quote in INPUTS into DIR's articles, mentions and errors tables (Parquet).

    INPUTS are .txt, .jsonl, .html and .warc/.warc.gz files, directories of them, and Hadoop URLs
    (file://, hdfs://, s3a://, globs allowed); a manifest adds more. Local paths must be readable
    where the workers run. An input that cannot be read is a row of the errors table and counted;
    the job goes on, and exits 0 unless Spark itself fails.
    """
    if not (inputs or manifest):
        raise click.UsageError("nothing to extract: give INPUTS or --manifest FILE", ctx)
    spark = _spark_session(ctx, master, settings)
    from pyspark.errors import PySparkException

    from quotes.spark.extract import extract, manifest_inputs

    try:
        listed = [*inputs, *(manifest_inputs(spark, manifest, input_base_url) if manifest else [])]
        counts = extract(spark, listed, out, partitions=partitions, limit=max_bytes)
    except PySparkException as exc:
        _fail(ctx, f"the Spark job failed: {str(exc).splitlines()[0]}")
    click.echo(f"wrote {out}: articles: {counts['articles']}, mentions: {counts['mentions']}, "
               f"errors: {counts['errors']}, warnings: {counts['warnings']}, in {counts['seconds']:.1f} s "
               f"(workers' CPU {counts['cpu_seconds']:.1f} s)")


@spark_cmd.command("dedup")
@click.argument("directory", metavar="DIR")
@_options(*_SPARK)
@click.pass_context
def spark_dedup_cmd(ctx: click.Context, directory: str, partitions: int | None, master: str | None,
                    settings: dict[str, str]) -> None:
    """Deduplicate DIR's mentions table (from `quotes spark extract`) into its quotes, speakers and roles tables.

    Each speaker's mentions are placed into quotes as the store places them, in ingest order; a
    mention without speaker is a quote of its own. The same tables whatever the partitions.
    """
    if not re.match(r"[A-Za-z][\w+.-]+:/", directory):  # a local run: say what is missing before a JVM starts
        try:
            from quotes.tables import TablesError, dataset
        except ImportError:
            pass  # no pyarrow: the session's start says what to install
        else:
            try:
                dataset(directory, "mentions")
            except TablesError as exc:
                _fail(ctx, exc)
    spark = _spark_session(ctx, master, settings)
    from pyspark.errors import PySparkException

    from quotes.spark.dedup import dedup

    try:
        counts = dedup(spark, directory, partitions=partitions)
    except PySparkException as exc:
        _fail(ctx, f"the Spark job failed: {str(exc).splitlines()[0]}")
    click.echo(f"wrote {directory}/quotes, speakers, roles: mentions: {counts['mentions']}, "
               f"in quotes: {counts['quoted']} (the rest second copies of an article), quotes: {counts['quotes']}, "
               f"in {counts['seconds']:.1f} s")
