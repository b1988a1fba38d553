"""Query the store: quotes by speaker, role, outlet, date and words; the speakers list; one quote.

Every function takes an engine or a quotes.store.reader.Reader and returns plain data (dicts,
lists, ISO date strings) ready for JSON, so the CLI and the report only format it. The SQL is
plain text run the same way on SQLite (through sqlite3 alone: no SQLAlchemy to import) and
PostgreSQL; words, names and roles are looked up in the full-text indexes (quotes.store.textsearch).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from quotes.mention import role_text, unit_text
from quotes.store.reader import Reader, in_list, reading
from quotes.store.textsearch import Clause, Match, ids_matching, name_match, text_match, words

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: Quote ids per ``IN (...)`` list, well under every database's parameter limit.
CHUNK = 500
#: Longest name, role or outlet a search matches (SQLite refuses much longer LIKE patterns).
MAX_TERM_CHARS = 500
#: Most words ``text`` may hold: each is a term of the full-text query, and databases bound its size.
MAX_TEXT_WORDS = 64
#: Quotes matching the word, role, outlet or confidence filters beyond which SQLite finds the first few in
#: date order sooner by reading the date index in order than by fetching and sorting every match.
WALK_AFTER = 2000
#: How ``search`` orders quotes: by the date first seen, or by how many articles printed them.
SORTS = {
    "oldest": "q.first_seen, q.id",
    "newest": "q.first_seen DESC, q.id DESC",
    "sources": "(SELECT count(DISTINCT m.article_id) FROM mentions m WHERE m.quote_id = q.id) DESC, "
               "q.first_seen DESC, q.id DESC",
}


class SearchError(ValueError):
    """A search the store cannot run as given; the message says which filter and why."""


#: Apostrophe variants: in outlet names each matches any one character, so "o'neill" finds "O’Neill".
_APOSTROPHES = re.compile(r"['’‘`´]")


def like(value: str) -> str:
    """A case-insensitive LIKE pattern (``ESCAPE '\\'``) for "contains value", wildcards in value escaped."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{_APOSTROPHES.sub('_', escaped)}%"


def iso(value: dt.date | str | None) -> str | None:
    """A stored date as ISO text (SQLite's sqlite3 gives it as text already)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def role_ids(reader: Reader, role: str) -> tuple[str, dict[str, str]]:
    """SQL selecting the roles ``role`` names, and its parameters: every word of ``role`` begins a word of the
    title or organisation, or the title is ``role``'s title family ("spokesman" finds spokesperson), or the
    organisation holds what ``role`` abbreviates in some article ("NSC" finds the National Security Council)."""
    from quotes.names import title_family  # the lexicon's title families: loaded for role searches only

    clauses = list(name_match(role).clauses)
    family = words(title_family(role))
    if family and family != words(role):
        clauses.append(Clause(tuple(family), phrase=True))
    expansions = reader.rows("SELECT expansion FROM acronyms WHERE lower(acronym) = :acronym",
                             {"acronym": role.strip().lower()})
    clauses += [Clause(tuple(words(expansion)), phrase=True) for (expansion,) in expansions if words(expansion)]
    return ids_matching(reader.dialect, "roles", Match(tuple(clauses)), "role")


def speaker_ids(dialect: str, speaker: str) -> tuple[str, dict[str, str]]:
    """SQL selecting the speakers in whose name or an alias every word of ``speaker`` begins a word, and its
    parameters, for a ``dialect`` database."""
    return ids_matching(dialect, "speakers", name_match(speaker), "speaker")


def _quote_details(reader: Reader, quote_ids: Sequence[int]) -> list[dict]:
    """Each quote with its speaker, roles and every source, in the order of ``quote_ids``."""
    found: dict[int, dict] = {}
    for chunk in _chunks(quote_ids):
        ids, params = in_list("q", chunk)
        rows = reader.rows("SELECT q.id, q.text, q.first_seen, s.name, s.kind FROM quotes q "
                           f"LEFT JOIN speakers s ON s.id = q.speaker_id WHERE q.id IN {ids}", params)
        for quote_id, text, first_seen, speaker, kind in rows:
            found[quote_id] = {
                "quote_id": quote_id, "text": text, "speaker": speaker, "speaker_kind": kind,
                "roles": [], "first_seen": iso(first_seen), "sources": [],
            }
        roles = reader.rows("SELECT m.quote_id, r.title, r.organization FROM mentions m "
                            f"JOIN roles r ON r.id = m.role_id WHERE m.quote_id IN {ids} ORDER BY r.first_seen, r.id",
                            params)
        for quote_id, title, organization in roles:
            text = role_text(title, organization)
            if text not in found[quote_id]["roles"]:
                found[quote_id]["roles"].append(text)
        mentions = reader.rows(
            'SELECT m.quote_id, m.article_id, m."group", m.text, m.role_text, o.name, coalesce(a.url, a.path), '
            "a.title, a.published FROM mentions m JOIN articles a ON a.id = m.article_id "
            f"LEFT JOIN outlets o ON o.id = a.outlet_id WHERE m.quote_id IN {ids} "
            'ORDER BY a.published, coalesce(a.url, a.path), m.article_id, m.quote_id, m."group", m.start', params)
        # one source per printing: the pieces of a quote printed split or over paragraphs (one
        # extraction group of one article) joined, as deduplication compared them
        for (quote_id, *_), pieces in itertools.groupby(mentions, key=lambda row: row[:3]):
            first, *rest = pieces
            _, _, _, text, role, outlet, url, title, published = first
            found[quote_id]["sources"].append({
                "outlet": outlet, "url": url, "title": title, "published": iso(published),
                "text": unit_text([text, *(row[3] for row in rest)]),
                "role": role or next((row[4] for row in rest if row[4]), None),
            })
    return [found[quote_id] for quote_id in quote_ids if quote_id in found]


def search(
    db: Engine | Reader,
    speaker: str | None = None,
    role: str | None = None,
    outlet: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    text: str | None = None,
    limit: int | None = None,
    min_confidence: float | None = None,
    sort: str = "oldest",
) -> list[dict]:
    """Quotes matching every given filter, in ``sort`` order (SORTS), each with its roles and sources.

    ``speaker``: every word begins a word of the speaker's name or an alias ("kir" finds Kirby,
    "kirby" never finds "Skirby"); ``role``: as :func:`role_ids` says, in one of the quote's sources;
    ``outlet``: part of a source's outlet name or domain; ``since``/``until`` bound the date the
    quote was first seen; ``text``: every word, and every "quoted phrase", occurs in the quote as
    whole words ("war" never finds "aware"); ``min_confidence`` keeps quotes some source attributes
    with at least that probability. All matching ignores case; a filter without a word to look
    for matches nothing. SearchError for a filter longer than MAX_TERM_CHARS or a ``text`` of more
    than MAX_TEXT_WORDS words.
    """
    for name, value in (("speaker", speaker), ("role", role), ("outlet", outlet), ("text", text)):
        if value and len(value) > MAX_TERM_CHARS:
            raise SearchError(f"--{name} is {len(value)} characters long; at most {MAX_TERM_CHARS} are searched")
    if text and len(text.split()) > MAX_TEXT_WORDS:
        raise SearchError(f"--text has {len(text.split())} words; at most {MAX_TEXT_WORDS} are searched")
    if sort not in SORTS:
        raise SearchError(f"--sort is one of {', '.join(SORTS)}, not {sort!r}")
    with reading(db) as reader:
        filters = _Filters(reader)
        if speaker:
            sql, found = speaker_ids(reader.dialect, speaker)
            filters.add(f"q.speaker_id IN ({sql})", found, own_index=True)
        if role:
            sql, found = role_ids(reader, role)
            filters.add_ids(f"SELECT m.quote_id FROM mentions m WHERE m.role_id IN ({sql})", found)  # one index
        if outlet:
            outlets = [row[0] for row in reader.rows(
                "SELECT id FROM outlets WHERE lower(name) LIKE :outlet ESCAPE '\\' OR lower(domain) LIKE :outlet "
                "ESCAPE '\\'", {"outlet": like(outlet)})]
            ids, found = in_list("outlet", outlets or [None])  # a list of outlets, short: looked up once
            filters.add_mentions(f"a.outlet_id IN {ids}", found, join="JOIN articles a ON a.id = m.article_id")
        if since:
            filters.add("q.first_seen >= :since", {"since": since.isoformat()})
        if until:
            filters.add("q.first_seen <= :until", {"until": until.isoformat()})
        if text is not None:
            filters.add_ids(*ids_matching(reader.dialect, "quotes", text_match(text), "text"))
        if min_confidence:
            filters.add_mentions("m.confidence >= :confidence", {"confidence": min_confidence})
        return _quote_details(reader, filters.quote_ids(sort, limit))


class _Filters:
    """The conditions of a search on ``quotes q``, and the quote ids they select in order."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.conditions: list[str] = []
        self.id_sets: list[str] = []  # subqueries selecting quote ids
        self.mentions: list[str] = []  # FROM ... WHERE of ``mentions m``: quotes some mention of which meets each
        self.params: dict[str, object] = {}
        self.own_index = False  # a condition finds its quotes through an index of its own (a speaker's)

    def add(self, condition: str, params: dict, own_index: bool = False) -> None:
        self.conditions.append(condition)
        self.params.update(params)
        self.own_index |= own_index

    def add_ids(self, subquery: str, params: dict) -> None:
        self.id_sets.append(subquery)
        self.params.update(params)

    def add_mentions(self, condition: str, params: dict, join: str = "") -> None:
        self.mentions.append(f"mentions m {join} WHERE {condition}")
        self.params.update(params)

    def _select(self, walk: bool) -> str:
        """Selecting every matching quote's id from the sets of ids matching, or (``walk``, or a speaker's
        quotes to check) checking each quote's mentions."""
        key = "+q.id" if walk else "q.id"  # a unary + keeps SQLite from looking quotes up by their key
        found = [*self.conditions, *(f"{key} IN ({ids})" for ids in self.id_sets)]
        found += [f"EXISTS (SELECT 1 FROM {where} AND m.quote_id = q.id)" if walk or self.own_index
                  else f"q.id IN (SELECT m.quote_id FROM {where})" for where in self.mentions]
        return "SELECT q.id FROM quotes q" + (" WHERE " + " AND ".join(found) if found else "")

    def _walk(self, sort: str, limit: int | None) -> bool:
        """Whether SQLite should read the date index in order and check each quote, rather than fetch every
        matching quote and sort them: when each filter matches WALK_AFTER ids or mentions or more (counted no
        further) and no condition has an index of its own."""
        sets = [*self.id_sets, *(f"SELECT m.quote_id FROM {where}" for where in self.mentions)]
        if self.reader.dialect != "sqlite" or self.own_index or not sets or sort == "sources" or limit is None:
            return False
        return all(self.reader.rows(f"SELECT count(*) FROM ({ids} LIMIT {WALK_AFTER}) AS probe", self.params)[0][0]
                   == WALK_AFTER for ids in sets)

    def quote_ids(self, sort: str, limit: int | None) -> list[int]:
        """The ids of the quotes every condition selects, in ``sort`` order, at most ``limit``."""
        sql = f"{self._select(self._walk(sort, limit))} ORDER BY {SORTS[sort]}"
        params = self.params if limit is None else {**self.params, "limit": limit}
        return [row[0] for row in self.reader.rows(sql + ("" if limit is None else " LIMIT :limit"), params)]


def speakers(db: Engine | Reader, role: str | None = None, limit: int | None = None) -> list[dict]:
    """Speakers with their number of quotes (most quoted first) and roles (latest first).

    The count is ``speakers.quote_count``, kept by the database as quotes come and go, so the
    most quoted are read from its index rather than counted over every quote.
    """
    with reading(db) as reader:
        params: dict[str, object] = {}
        sql = "SELECT id, name, kind, quote_count FROM speakers WHERE quote_count > 0"
        if role:
            roles, params = role_ids(reader, role)
            sql += f" AND id IN (SELECT speaker_id FROM roles WHERE id IN ({roles}))"
        sql += " ORDER BY quote_count DESC, name, id"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        found = {
            speaker_id: {"speaker_id": speaker_id, "name": name, "kind": kind, "quotes": count, "roles": []}
            for speaker_id, name, kind, count in reader.rows(sql, params)
        }
        for chunk in _chunks(list(found)):
            ids, chunk_params = in_list("s", chunk)
            roles = reader.rows(f"SELECT speaker_id, title, organization FROM roles WHERE speaker_id IN {ids} "
                                "ORDER BY last_seen DESC, id", chunk_params)
            for speaker_id, title, organization in roles:
                found[speaker_id]["roles"].append(role_text(title, organization))
    return list(found.values())


def show_quote(db: Engine | Reader, quote_id: int) -> dict | None:
    """One quote with every source, its own wording and how it differs from the canonical wording,
    and the quotes giving the same words to another speaker (possible misattributions); None when
    there is no such quote.

    Each source's ``differences`` are quotes.dedup.word_diff runs as ``{"op", "words"}``.
    """
    from quotes.dedup import word_diff
    with reading(db) as reader:
        details = _quote_details(reader, [quote_id])
        if not details:
            return None
        conflicts = reader.rows("SELECT DISTINCT other_quote_id, other_speaker, other_quote FROM quote_conflicts "
                                "WHERE quote_id = :quote ORDER BY other_quote_id", {"quote": quote_id})
    quote = details[0]
    quote["conflicts"] = [{"quote_id": other, "speaker": speaker, "text": text} for other, speaker, text in conflicts]
    for source in quote["sources"]:
        source["differences"] = [{"op": op, "words": run} for op, run in word_diff(source["text"], quote["text"])]
    return quote
