"""Deduplicate: decide which mentions of one speaker are the same quote.

Outlets print the same words with different quotation marks, punctuation and capitals, edit a
word ("from Korea" / "from Pyongyang"), or print only an excerpt of a longer quote. Two texts are
the same quote when, after :func:`normalize`, their token lists are

* equal, or
* of the same length (at least :data:`MIN_EDIT_TOKENS`) and differ in exactly one position, or
* one is a contiguous run of the other, at least :data:`MIN_EXCERPT_TOKENS` long.

Clustering is always per speaker: callers pass one speaker's texts, so the same stock phrase
from two speakers is never merged. Candidate search is a linear scan here; a later version
replaces it with MinHash LSH without changing :func:`same_quote`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TypeVar

K = TypeVar("K")

MIN_EDIT_TOKENS = 6
"""Shortest token list for which a one-word edit still counts as the same quote.

Below this, stock phrases ("we are monitoring the situation" vs "we are monitoring the
markets") would merge although they say different things."""

MIN_EXCERPT_TOKENS = 6
"""Shortest excerpt (in tokens) that joins the longer quote it is a contiguous part of.

Shorter runs ("the United States", "we will respond") occur inside many unrelated quotes."""

#: Every quotation mark and apostrophe variant, unified to ``'`` before punctuation is handled.
_QUOTE_MARKS = str.maketrans({c: "'" for c in "\"'`´‘’‚‛“”„‟«»‹›′″〝〞＂＇"})
#: Apostrophes and points inside a word or number vanish: "don't" -> "dont", "U.S." -> "us",
#: "3.5" -> "35"; and so do thousands separators: "1,000" -> "1000".
_INNER = re.compile(r"(?<=\w)['.](?=\w)|(?<=\d),(?=\d{3})")


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def normalize(text: str) -> str:
    """The text as compared: NFKC, lower-case, quote marks unified, punctuation gone, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTE_MARKS)
    text = _INNER.sub("", text)
    return " ".join("".join(" " if _is_punctuation(c) else c for c in text).split())


def tokens(text: str) -> list[str]:
    """The normalised words of a text, in order."""
    return normalize(text).split()


def _contains(longer: list[str], shorter: list[str]) -> bool:
    """True when ``shorter`` occurs in ``longer`` as a contiguous run of whole tokens."""
    return f" {' '.join(shorter)} " in f" {' '.join(longer)} "


def same_tokens(a: Sequence[str], b: Sequence[str]) -> bool:
    """The same-quote rule on token lists already normalised (see the module docstring)."""
    a, b = list(a), list(b)
    if not a or not b:
        return False
    if len(a) == len(b):
        differing = sum(x != y for x, y in zip(a, b, strict=True))
        return differing == 0 or (differing == 1 and len(a) >= MIN_EDIT_TOKENS)
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return len(shorter) >= MIN_EXCERPT_TOKENS and _contains(longer, shorter)


def same_quote(a: str, b: str) -> bool:
    """True when two texts by one speaker are the same quote: equal, one word edited, or an excerpt."""
    return same_tokens(tokens(a), tokens(b))


def find_same(words: Sequence[str], candidates: Iterable[tuple[K, Sequence[str]]]) -> K | None:
    """The key of the first candidate ``(key, tokens)`` that is the same quote as ``words``, else None."""
    return next((key for key, other in candidates if same_tokens(words, other)), None)


def cluster(texts: Sequence[str]) -> list[list[int]]:
    """Group one speaker's texts into quotes: lists of indices, each text joining the first match.

    A text joins the first cluster holding any text it is the same quote as (single link), so an
    excerpt and a lightly edited full version end up together through the full version.
    """
    clusters: list[list[int]] = []
    members: list[tuple[int, list[str]]] = []  # (cluster number, tokens) of every text so far
    for index, text in enumerate(texts):
        words = tokens(text)
        found = find_same(words, members)
        if found is None:
            found = len(clusters)
            clusters.append([])
        clusters[found].append(index)
        members.append((found, words))
    return clusters
