"""Full-text conditions for both databases: SQLite's FTS5 tables and PostgreSQL's tsvector GIN indexes (migration 0006).

A search term is broken into words the way both indexes break text (runs of letters and
digits, case and, on SQLite, accents folded), so ``--text war`` finds "war" and "war's" but never
"aware" or "toward". A :class:`Match` is an OR (or an AND) of :class:`Clause` s, each an AND of
words or one phrase, words optionally matched as prefixes; :func:`fts5` and :func:`tsquery` write it in each
database's query language, from words alone, so nothing a person types is read as syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+")
#: A "quoted phrase" (the closing quote may be missing) or a run of other characters.
_TERM = re.compile(r'"([^"]*)"?|([^\s"]+)')


def words(text: str) -> list[str]:
    """The lower-cased words of ``text`` as the full-text indexes see them ("Don't" -> ["don", "t"])."""
    return [word.lower() for word in _WORD.findall(text)]


@dataclass(frozen=True)
class Clause:
    """Every word (``phrase``: the words in this order, adjacent), each a word's beginning when ``prefix``."""

    words: tuple[str, ...]
    prefix: bool = False
    phrase: bool = False


@dataclass(frozen=True)
class Match:
    """Rows matching any of the clauses (``every``: all of them); an empty match matches nothing."""

    clauses: tuple[Clause, ...]
    every: bool = False


def text_match(text: str) -> Match:
    """Quotes holding every term of ``text``: each "quoted phrase" one term, each other word one (a word the
    index splits, such as "don't", as a phrase of its parts); terms without words are dropped."""
    clauses = []
    for match in _TERM.finditer(text):
        found = words(match.group(1) if match.group(1) is not None else match.group(2))
        if found:
            clauses.append(Clause(tuple(found), phrase=True))
    return Match(tuple(clauses), every=True)


def name_match(term: str) -> Match:
    """Names (or roles) in which every word of ``term`` begins a word: "kir" and "mr. kirby" find "Mr. Kirby"."""
    found = tuple(words(term))
    return Match((Clause(found, prefix=True),) if found else ())


def fts5(match: Match) -> str:
    """The FTS5 query string for ``match`` (every word double-quoted, so it is never an operator)."""

    def clause(c: Clause) -> str:
        star = "*" if c.prefix else ""
        if c.phrase:
            return '"' + " ".join(c.words) + '"' + star
        return "(" + " AND ".join(f'"{word}"{star}' for word in c.words) + ")"

    return (" AND " if match.every else " OR ").join(clause(c) for c in match.clauses)


def tsquery(match: Match) -> str:
    """The ``to_tsquery('simple', ...)`` text for ``match`` (every word single-quoted, so it is never an operator)."""

    def clause(c: Clause) -> str:
        star = ":*" if c.prefix else ""
        return "(" + (" <-> " if c.phrase else " & ").join(f"'{word}'{star}" for word in c.words) + ")"

    return (" & " if match.every else " | ").join(clause(c) for c in match.clauses)


#: Each table's index: SQLite's FTS5 table (rowid the row's id); the text PostgreSQL's GIN index holds as a tsvector.
SQLITE_TABLES = {"quotes": "quote_search", "roles": "role_search", "speakers": "speaker_search"}
PG_VECTORS = {"quotes": "text", "roles": "title || ' ' || organization"}


def ids_matching(dialect: str, table: str, match: Match, param: str) -> tuple[str, dict[str, str]]:
    """SQL selecting the ids of ``table`` (quotes, roles, speakers) whose indexed text matches, and its parameters.

    Speakers match by name or by any alias. The SQL uses ``:param`` for the query text.
    """
    if not match.clauses:
        return "SELECT NULL WHERE 1 = 0", {}
    if dialect == "sqlite":
        fts = SQLITE_TABLES[table]
        return f"SELECT rowid FROM {fts} WHERE {fts} MATCH :{param}", {param: fts5(match)}
    condition = f"to_tsvector('simple', {{}}) @@ to_tsquery('simple', :{param})"
    if table == "speakers":
        sql = (f"SELECT id FROM speakers WHERE {condition.format('name')} "
               f"UNION SELECT speaker_id FROM speaker_aliases WHERE {condition.format('alias')}")
    else:
        sql = f"SELECT id FROM {table} WHERE {condition.format(PG_VECTORS[table])}"
    return sql, {param: tsquery(match)}
