"""Deduplicate: decide which mentions of one speaker are the same quote, at any scale.

Outlets print the same words with different quotation marks, punctuation and capitals, edit a
word ("from Korea" / "from Pyongyang"), print only an excerpt of a longer quote, or split a quote
around "he said" where another prints it whole. The unit compared is a *wording*: the text of
one quote in one article, the pieces of a split or multi-paragraph quote (one extraction
``group``) joined by :func:`quotes.mention.unit_text`, then :func:`normalize`-d to its words.

The rule (:func:`relation`), for two wordings of **the same speaker**:

* **same words**: equal after normalising (case, punctuation and symbols, quotation marks and
  apostrophes, whitespace, Unicode NFKC);
* **excerpt**: the shorter is a contiguous run of whole words of the longer and has at least
  :data:`MIN_EXCERPT_WORDS` (6) words;
* **edit**: they differ by at most ``1 + n // WORDS_PER_EXTRA_EDIT`` word edits (insertions,
  deletions, substitutions; ``n`` the longer's length, so one edit below 25 words, two below 50)
  **and** print a long stretch identically: when both their first and their last words agree,
  at least :data:`MIN_RUN` (6) identical consecutive words somewhere; when the first or the
  last word differs, at least :data:`MIN_EDGE_RUN` (8) identical words at the other end.

Why the edge clause: two different quotes that share an opening ("We will not accept this
violation" / "We will not accept this outcome") look exactly like a one-word edit at the end;
what tells an outlet's edit from a second utterance is how much is printed identically around
the difference. An edit at the end ("... weapons and munitions from Korea" / "... from
Pyongyang", 17 identical words before it) has a long identical opening; two quotes diverging
after five shared words do not. Short quotes therefore only merge when printed identically.

Clustering (:func:`place`) keeps two different quotes apart even when a third text relates to
both: a new wording **joins** every quote it is the same words as, an edit of, or a longer
version of (it contains the quote's canonical, longest, wording), and those quotes become one
(an excerpt printed first joins the whole quote printed later); when it is only an excerpt, it
joins the oldest quote it is an excerpt of and links nothing, so a stock phrase inside two long
quotes never bridges them. Clustering is always per speaker: the same stock phrase from two
speakers is never merged. The same words from two speakers in two outlets are a possible
misattribution (:data:`MIN_CONFLICT_WORDS`), recorded by the store, not merged.

Candidate search is an inverted index of winnowed word-4-gram fingerprints
(:func:`fingerprints`, Schleimer et al., "Winnowing", SIGMOD 2003): each wording keeps the
smallest 4-gram hash of every window of :data:`WINDOW` consecutive 4-grams, so any run of
``MIN_RUN`` identical words, which every excerpt and edit above has, shares at least one
fingerprint with the other wording. Exact repeats, most mentions, are found by a hash look-up
and never reach the fingerprint index. Each placement costs a few dictionary (or indexed SQL)
look-ups and at most :data:`MAX_CANDIDATES` verifications, so clustering grows linearly with
the number of mentions; :class:`MemoryIndex` clusters in memory (the benchmark, speaker merges)
and ``quotes.store.clustering`` runs the same :func:`place` against tables in the database.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import string
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from rapidfuzz.distance import Levenshtein

MIN_EXCERPT_WORDS = 6
"""Shortest excerpt (in words) that joins the longer quote it is a contiguous part of.

Shorter runs ("the United States", "we will respond") occur inside many unrelated quotes."""

MIN_RUN = 6
"""Identical consecutive words an edited version must print (when its first and last words agree)."""

MIN_EDGE_RUN = 8
"""Identical words needed at one end when the other end differs (an edited first or last word).

Two quotes sharing an opening differ at their end; below this they are taken to be two quotes."""

WORDS_PER_EXTRA_EDIT = 25
"""Each further run of this many words allows one more edited word: 1 edit below 25 words, 2 below 50."""

MIN_CONFLICT_WORDS = 10
"""Shortest wording whose attribution to two speakers by two outlets is a possible misattribution.

Short stock phrases ("We are monitoring the situation closely") are said by many people."""

SHINGLE = 4
"""Words per fingerprinted shingle (word 4-grams)."""

WINDOW = MIN_RUN - SHINGLE + 1
"""Shingles per winnowing window: any ``MIN_RUN`` identical words fill one window, so share a fingerprint."""

MAX_POSTINGS = 50
"""Quotes of one speaker a fingerprint lists at most; one in more is a stock phrase and stops growing."""

MAX_CANDIDATES = 50
"""Quotes verified per placement at most, those sharing the most fingerprints first."""

#: Apostrophes and points inside a word or number vanish ("don't" -> "dont", "U.S." -> "us",
#: "3.5" -> "35"), and so do thousands separators ("1,000" -> "1000"). Each alternative starts
#: with its character so the regex engine can skip ahead quickly.
_INNER = re.compile(r"['`´‘’‛′.](?<=\w['`´‘’‛′.])(?=\w)|,(?<=\d,)(?=\d{3}\b)")
#: Everything that is not a letter or digit separates words: punctuation, symbols, quote marks.
_SEPARATORS = re.compile(r"[\W_]+")
#: ASCII punctuation to spaces: the quick first pass of :func:`normalize`, which most texts need alone.
_ASCII_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation, " "))


def normalize(text: str) -> str:
    """The text as compared: NFKC, case-folded, punctuation and symbols gone, words single-spaced."""
    text = _INNER.sub("", unicodedata.normalize("NFKC", text).casefold())
    words = text.translate(_ASCII_PUNCTUATION).split()
    if not "".join(words).isalnum():  # other separators left (dashes, curly quotes, symbols)
        words = _SEPARATORS.sub(" ", text).split()
    return " ".join(words)


def tokens(text: str) -> list[str]:
    """The normalised words of a text, in order."""
    return normalize(text).split()


def text_key(words: str) -> int:
    """A stable signed 64-bit hash of a normalised wording: its key for exact look-ups in SQL."""
    return int.from_bytes(hashlib.blake2b(words.encode(), digest_size=8).digest(), "big", signed=True)


def fingerprints(words: Sequence[str]) -> set[int]:
    """The winnowed fingerprints of a word list: the least 4-gram hash of every WINDOW 4-grams.

    Stable across processes (CRC-32 of each 4-gram), so the store can keep them. Lists shorter
    than ``MIN_RUN`` words get none: no excerpt or edit rule can match them, only exact repeats.
    """
    if len(words) < MIN_RUN:
        return set()
    grams = [zlib.crc32(" ".join(gram).encode()) for gram in zip(*(words[i:] for i in range(SHINGLE)))]
    return set(map(min, *(grams[i:] for i in range(WINDOW))))


# --- the rule -------------------------------------------------------------------------------------

class Relation(Enum):
    """How one wording stands to another of the same speaker."""

    SAME = "same"  # equal words
    EDIT = "edit"  # a lightly edited version
    EXCERPT = "excerpt"  # a contiguous part of the other
    WHOLE = "whole"  # contains the other as an excerpt


def max_edits(words: int) -> int:
    """Word edits allowed between two wordings whose longer one has ``words`` words."""
    return 1 + words // WORDS_PER_EXTRA_EDIT


def _longest_run(a: list[str], b: list[str]) -> int:
    """The length of the longest run of words ``a`` and ``b`` both print."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def _is_edit(a: list[str], b: list[str]) -> bool:
    """The edit clause of the rule (module docstring) for two different word lists."""
    limit = max_edits(max(len(a), len(b)))
    if abs(len(a) - len(b)) > limit:
        return False
    shortest = min(len(a), len(b))
    opening = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), shortest)
    closing = next((i for i, (x, y) in enumerate(zip(reversed(a), reversed(b))) if x != y), shortest)
    closing = min(closing, shortest - opening)
    if opening == 0 or closing == 0:
        if max(opening, closing) < MIN_EDGE_RUN:
            return False
    elif max(opening, closing) < MIN_RUN and _longest_run(a, b) < MIN_RUN:
        return False
    return Levenshtein.distance(a[opening:len(a) - closing], b[opening:len(b) - closing], score_cutoff=limit) <= limit


def relation(a: str, b: str) -> Relation | None:
    """How normalised wording ``a`` stands to ``b`` by the rule in the module docstring, or None."""
    if not a or not b:
        return None
    if a == b:
        return Relation.SAME
    words_a, words_b = a.split(), b.split()
    if len(words_a) != len(words_b):
        (short, words_short), long = ((a, words_a), b) if len(words_a) < len(words_b) else ((b, words_b), a)
        if len(words_short) >= MIN_EXCERPT_WORDS and f" {short} " in f" {long} ":
            return Relation.EXCERPT if short is a else Relation.WHOLE
    return Relation.EDIT if _is_edit(words_a, words_b) else None


def same_quote(a: str, b: str) -> bool:
    """True when two texts by one speaker are the same quote: same words, an edit or an excerpt."""
    return relation(normalize(a), normalize(b)) is not None


# --- clustering -----------------------------------------------------------------------------------

class Index(Protocol):
    """What :func:`place` reads: one speaker's wordings and fingerprints, in memory or in SQL."""

    def exact(self, speaker: int, words: str) -> int | None:
        """The oldest quote of ``speaker`` with exactly this normalised wording, or None."""

    def postings(self, speaker: int, prints: Iterable[int]) -> dict[int, list[int]]:
        """For each of ``prints`` the speaker has posted: the quotes posting it."""

    def wordings(self, quotes: Sequence[int]) -> dict[int, list[str]]:
        """Each quote's distinct normalised wordings, its canonical (longest, then oldest) first."""


@dataclass
class Placement:
    """Where a new wording goes: an existing quote (or None for a new one) and quotes to fold into it.

    ``exact`` says the quote already has this very wording. ``post`` are the wording's
    fingerprints to add to the quote's postings: not already there and not in a full
    (stock-phrase) posting list.
    """

    words: str
    quote: int | None = None
    absorbs: list[int] = field(default_factory=list)
    post: list[int] = field(default_factory=list)
    exact: bool = False

    @property
    def indexed(self) -> bool:
        """True when the wording is to be recorded: new to its quote and not empty (an empty one is never indexed)."""
        return not self.exact and bool(self.words)


#: Relations by which a new wording vouches that it and a quote are one utterance.
_JOINS = {Relation.SAME, Relation.EDIT}


def place(index: Index, speaker: int, words: str) -> Placement:
    """Decide which of the speaker's quotes the normalised wording ``words`` belongs to (module docstring).

    Exact repeats cost one look-up. Otherwise candidates are the quotes sharing fingerprints,
    most shared first, at most MAX_CANDIDATES of them; each is verified with :func:`relation`
    against its canonical wording (any relation) and its other wordings (same words or edit,
    and excerpt). A wording without words ("!!!", an emoji) relates to nothing: it is always a
    new quote of its own, and never indexed (:attr:`Placement.indexed`).
    """
    if not words:
        return Placement(words)
    found = index.exact(speaker, words)
    if found is not None:
        return Placement(words, found, exact=True)
    prints = fingerprints(words.split())
    if not prints:
        return Placement(words)
    postings = index.postings(speaker, prints)
    shared = Counter(quote for quotes in postings.values() for quote in set(quotes))
    ranked = sorted(shared, key=lambda quote: (-shared[quote], quote))[:MAX_CANDIDATES]
    joins: list[int] = []  # quotes this wording is one utterance with
    contains_it: list[int] = []  # quotes this wording is only an excerpt of
    for quote, (canonical, *others) in index.wordings(ranked).items():
        found_relation = relation(words, canonical)
        if found_relation is not None and found_relation is not Relation.EXCERPT:
            joins.append(quote)
            continue
        others_relations = {relation(words, other) for other in others}
        if others_relations & _JOINS:
            joins.append(quote)
        elif found_relation is Relation.EXCERPT or Relation.EXCERPT in others_relations:
            contains_it.append(quote)
    target = min(joins or contains_it, default=None)
    merged = {target, *joins}  # the quote once the absorbed ones are folded in
    post = [p for p in prints
            if merged.isdisjoint(postings.get(p, ())) and len(postings.get(p, ())) < MAX_POSTINGS]
    return Placement(words, target, sorted(merged - {target}), post)


class MemoryIndex:
    """Clusters wordings in memory with :func:`place`: the benchmark's and speaker merges' index.

    Quotes are numbered from 0 in order of creation; folded quotes point to the quote they
    joined (union-find), so :meth:`quote_of` gives a quote's current number. Kept compact for
    millions of mentions: a quote's wordings are one newline-joined string, and a fingerprint
    posted by a single quote maps to that quote's number rather than to a list.
    """

    def __init__(self) -> None:
        self._exact: dict[tuple[int, str], int] = {}
        self._postings: dict[int, int | list[int]] = {}  # speaker << 32 | fingerprint -> quote(s)
        self._wordings: list[str] = []  # quote -> its wordings, canonical first, newline-joined
        self._parent: list[int] = []

    def quote_of(self, quote: int) -> int:
        """The quote ``quote`` was folded into, or itself."""
        root = quote
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[quote] != root:  # path compression
            self._parent[quote], quote = root, self._parent[quote]
        return root

    def exact(self, speaker: int, words: str) -> int | None:
        """The quote of ``speaker`` with exactly this normalised wording, or None."""
        found = self._exact.get((speaker, words))
        return None if found is None else self.quote_of(found)

    def postings(self, speaker: int, prints: Iterable[int]) -> dict[int, list[int]]:
        """For each of ``prints`` the speaker has posted: the quotes posting it."""
        base = speaker << 32
        found = {}
        for p in prints:
            quotes = self._postings.get(base | p)
            if quotes is not None:
                found[p] = [self.quote_of(quotes)] if isinstance(quotes, int) else list(map(self.quote_of, quotes))
        return found

    def wordings(self, quotes: Sequence[int]) -> dict[int, list[str]]:
        """Each quote's distinct normalised wordings, canonical first."""
        return {quote: self._wordings[quote].split("\n") for quote in quotes}

    def new_quote(self) -> int:
        """A new quote without wordings: :meth:`record` gives it its first, the canonical one."""
        self._parent.append(len(self._parent))
        self._wordings.append("")
        return len(self._wordings) - 1

    def fold(self, source: int, target: int) -> None:
        """Make quote ``source`` part of ``target``; the longer canonical (the older on a tie) wins."""
        theirs, ours = self._wordings[source], self._wordings[target]
        if _words_in(_first_line(theirs)) > _words_in(_first_line(ours)):
            ours, theirs = theirs, ours
        self._wordings[target] = f"{ours}\n{theirs}"
        self._wordings[source] = ""
        self._parent[source] = target

    def record(self, speaker: int, quote: int, placement: Placement) -> None:
        """Add a placed wording to ``quote`` (canonical when it is the longest), its exact key and fingerprints."""
        if not placement.indexed:
            return
        words, wordings = placement.words, self._wordings[quote]
        if not wordings:
            self._wordings[quote] = words
        elif _words_in(words) > _words_in(_first_line(wordings)):
            self._wordings[quote] = f"{words}\n{wordings}"
        else:
            self._wordings[quote] = f"{wordings}\n{words}"
        self._exact.setdefault((speaker, words), quote)
        base = speaker << 32
        for p in placement.post:
            key = base | p
            posted = self._postings.get(key)
            if posted is None:
                self._postings[key] = quote
            elif isinstance(posted, int):
                self._postings[key] = [posted, quote]
            else:
                posted.append(quote)

    def add(self, speaker: int, text: str) -> int:
        """Place one printed wording of ``speaker`` and return its quote's number (see :meth:`quote_of`)."""
        placement = place(self, speaker, normalize(text))
        quote = placement.quote
        if quote is None:
            quote = self.new_quote()
        for other in placement.absorbs:
            self.fold(other, quote)
        self.record(speaker, quote, placement)
        return quote


def _first_line(text: str) -> str:
    return text.partition("\n")[0]


def _words_in(words: str) -> int:
    """How many words a normalised wording has."""
    return words.count(" ") + 1


def cluster(texts: Sequence[str]) -> list[list[int]]:
    """Group one speaker's texts into quotes: lists of indices, in order of each quote's first text."""
    index = MemoryIndex()
    placed = [index.add(0, text) for text in texts]
    clusters: dict[int, list[int]] = {}
    for position, quote in enumerate(placed):
        clusters.setdefault(index.quote_of(quote), []).append(position)
    return sorted(clusters.values())


# --- showing differences --------------------------------------------------------------------------

#: Operations of :func:`word_diff`: words both print, words only the canonical wording has, words only this one has.
SAME, REMOVED, ADDED = "same", "removed", "added"


def _printed_words(text: str) -> list[str]:
    """The printed words of ``text``, punctuation kept on its word, a lone dash or mark joined to the word before."""
    printed: list[str] = []
    for chunk in text.split():
        if tokens(chunk) or not printed:
            printed.append(chunk)
        else:
            printed[-1] += f" {chunk}"
    return printed


def word_diff(text: str, canonical: str) -> list[tuple[str, str]]:
    """``text`` against the quote's ``canonical`` wording as runs of (SAME | REMOVED | ADDED, printed words).

    Printed words are compared normalised, so case, punctuation and quotation marks are no
    difference; REMOVED words are shown as the canonical wording prints them. Canonical words
    before or after the stretch ``text`` prints are not REMOVED: an excerpt leaves them out, even
    where it edits its first or last word.
    """
    mine, theirs = _printed_words(text), _printed_words(canonical)
    opcodes = difflib.SequenceMatcher(None, [normalize(w) for w in mine], [normalize(w) for w in theirs],
                                      autojunk=False).get_opcodes()
    while opcodes and opcodes[0][0] == "insert":
        opcodes.pop(0)
    while opcodes and opcodes[-1][0] == "insert":
        opcodes.pop()
    runs: list[tuple[str, str]] = []
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "replace" and number == 0:  # an excerpt starting with an edited word
            j1 = max(j1, j2 - (i2 - i1))
        if tag == "replace" and number == len(opcodes) - 1:  # an excerpt ending with one
            j2 = min(j2, j1 + (i2 - i1))
        if tag == "equal":
            runs.append((SAME, " ".join(mine[i1:i2])))
            continue
        if j2 > j1:
            runs.append((REMOVED, " ".join(theirs[j1:j2])))
        if i2 > i1:
            runs.append((ADDED, " ".join(mine[i1:i2])))
    return runs


def mark_differences(runs: Iterable[tuple[str, str]]) -> str:
    """Runs of :func:`word_diff` as one line for a terminal, marked ``[-removed-]{+added+}`` as wdiff does."""
    marked = ""
    for op, words in runs:
        space = "" if not marked or op == ADDED and marked.endswith("-]") else " "
        marked += space + {SAME: words, REMOVED: f"[-{words}-]", ADDED: f"{{+{words}+}}"}[op]
    return marked
