"""Which parts of an article the models parse: the paragraphs and sentences that can hold an attribution.

Every attribution rests on words near its quote: the quote's own paragraph and the sentences
either side of it (cue, speaker, the sentence a pronoun looks back to). The rest of the article
matters only for the people it introduces: "Senator Ann Smith" in the second paragraph is who
"Smith said" in the ninth stands for. So the models parse the paragraphs holding a quotation
mark, found by detect's pure string work, or a transcript's label; of each paragraph next to
one, the sentence next to it; and, of the other sentences, those first introducing a name the
parsed text uses, with a first name or title before it ("Ann Smith", "Sen. Smith", "spokesman
Smith") or an appositive after it ("Smith, the senator,"). The rest is tokenized only. An
article without quotation marks is not parsed at all.
"""

from __future__ import annotations

import bisect
import re

from quotes.extract.detect import QuoteSpan, find_quotes, paragraphs
from quotes.extract.settings import Settings
from quotes.extract.transcripts import label_starts
from quotes.lexicon import HONORIFICS, TITLE_WORDS

#: Where a paragraph's next sentence starts, as its string shows: after ".", "!" or "?" (and any closing
#: marks) and spaces, at a capital, a digit or an opening mark. Only which sentences of the paragraphs
#: without a quote are parsed hangs on it: a cut in the wrong place parses a little more or less.
_SENTENCE_START = re.compile(r"(?<=[.!?])[\"”’)\]]*[^\S\n]+(?=[\"“‘(\[]?[A-Z0-9])")
#: The word before a full stop that may be an abbreviation's, taken for one: a capitalised word of
#: at most three letters ("Sen.", "St.", "Jr.", "J."), a dotted one ("U.S.") or an honorific ("Prof.").
_ABBREVIATION = re.compile(r"(?:\b[A-Z][A-Za-z]{0,2}|\w+\.\w+|\b(?i:%s))\.$" % "|".join(
    re.escape(word.rstrip(".")) for word in HONORIFICS if word.endswith(".")))
#: A capitalised word as names are printed ("Smith", "O'Neill", "DeSantis", "Ocasio-Cortez"); a
#: possessive ending is not part of it.
_NAME_WORD = r"[A-Z][\w-]*(?:['’][A-Z][\w-]*)?"
_NAME = re.compile(r"\b" + _NAME_WORD)
#: The title words as a pattern, the longest first.
_TITLES = "|".join(map(re.escape, sorted(TITLE_WORDS, key=len, reverse=True)))
#: Capitalised words, honorifics and title words running into a name: a name given in full or
#: with a title ("Ann Smith", "Sen. Bernie Sanders", "pollster Chris Anderson"). A word before the
#: name is at most 61 characters, so a long run of hyphenated capitals ("A-A-A-...") costs a bounded
#: look at each of its words, not a scan to its end.
_RUN = re.compile(r"\b(?:(?:[A-Z][\w.'’-]{0,60}|%s)[^\S\n]+)+%s" % (_TITLES, _NAME_WORD))
#: A name with an appositive after it, which gives a role as a title before it does ("Sanders, a
#: Vermont senator,", "Holm, the harbor director,", "Kirby, spokesman for"); it starts after no
#: letter or hyphen, so a long hyphenated run is tried once, not at every hyphen.
_APPOSED = re.compile(r"(?<![\w-])(%s),[^\S\n]+(?:a|an|the|%s)\b" % (_NAME_WORD, _TITLES))
_LOWER_WORD = re.compile(r"\b[a-z][\w-]*")


def parse_ranges(text: str, settings: Settings, found: list[QuoteSpan] | None = None) -> list[tuple[int, int]]:
    """The character ranges of ``text`` the models must parse for attribution, in order, each from a word's
    start; ``found`` are the text's quotes when the caller has them (detect.find_quotes)."""
    paras = paragraphs(text)
    starts = [start for start, _ in paras]
    quoting: set[int] = set()  # the paragraphs holding a quote or a transcript's label (a quote without marks)
    for q in find_quotes(text, settings) if found is None else found:
        last = _holding(starts, max(q.outer_start, q.outer_end - 1))
        quoting.update(range(_holding(starts, q.outer_start), last + 1))
    quoting.update(_holding(starts, start) for start in label_starts(text))
    if not quoting:
        return []
    units: list[tuple[int, int]] = []  # what may be parsed: a quoting paragraph whole, the others sentence by sentence
    chosen: set[int] = set()
    for i, (start, end) in enumerate(paras):
        bounds = [*_paragraph_range(text, paras, i)]
        if i in quoting:
            chosen.add(len(units))
        else:  # of a paragraph next to a quoting one, the sentence next to it
            bounds[1:1] = _sentence_starts(text, start, end)
            chosen |= {len(units)} if i - 1 in quoting else set()
            chosen |= {len(units) + len(bounds) - 2} if i + 1 in quoting else set()
        units += zip(bounds, bounds[1:])
    chosen |= _introducing(text, units, chosen)
    return merged([units[k] for k in sorted(chosen)])


def _introducing(text: str, units: list[tuple[int, int]], chosen: set[int]) -> set[int]:
    """The ``units`` (character ranges in order) not ``chosen`` that first introduce a name the chosen ones
    use, or the ones so added.

    A name is a capitalised word that is not an honorific or title and that no sentence of the
    article prints in lower case ("Smith", but not "The" or "House", which "the house" shows to
    be a word). Each way of introducing it ("Ann Smith", "Senator Ann Smith", "Smith, the
    senator") counts where it is first met, as the people of the article take a person's role
    from where they first meet them.
    """
    common = set(_LOWER_WORD.findall(text)) | TITLE_WORDS | set(HONORIFICS)
    starts = [start for start, _ in units]
    first: dict[str, tuple[set[int], list[str]]] = {}  # each introduction: the units of its names, its names
    for run in _RUN.finditer(text):  # it may reach over a sentence's end ("Ann Smith. It"): a name counts where it is
        words = list(re.finditer(r"\S+", run.group()))
        named = [(m.group(), _holding(starts, run.start() + word.start())) for word in words[1:]
                 if (m := _NAME.match(word.group())) and m.group().lower() not in common]
        first.setdefault(" ".join(word.group() for word in words),
                         ({unit for _, unit in named}, [name for name, _ in named]))
    for apposed in _APPOSED.finditer(text):
        if apposed.group(1).lower() not in common:
            first.setdefault(apposed.group(1) + ",", ({_holding(starts, apposed.start())}, [apposed.group(1)]))
    parsed, new = set(chosen), set(chosen)
    while new:
        # a transcript's label in capitals ("SMITH:") uses the name "Smith"
        names = {word.title() if word.isupper() else word
                 for k in new for word in _NAME.findall(text, *units[k]) if word.lower() not in common}
        new = {k for where, used in first.values() if names.intersection(used) for k in where} - parsed
        parsed |= new
    return parsed - chosen


def _holding(starts: list[int], at: int) -> int:
    """The range (paragraph or unit, by their sorted ``starts``) holding character ``at``; the first for a
    character before them all."""
    return max(0, bisect.bisect_right(starts, at) - 1)


def _sentence_starts(text: str, start: int, end: int) -> list[int]:
    """Where the sentences of ``text[start:end]`` after its first begin, as far as the string shows."""
    return [m.end() for m in _SENTENCE_START.finditer(text, start, end)
            if not _ABBREVIATION.search(text, max(start, m.start() - 40), m.start())]


def _paragraph_range(text: str, paras: list[tuple[int, int]], i: int) -> tuple[int, int]:
    """Paragraph ``i`` as a character range from its first word up to the next paragraph's, where the
    tokenizer cuts the text as it cuts it whole (the whole text's start for the first)."""
    start = _word_start(text, paras[i][0]) if i else 0
    return start, _word_start(text, paras[i + 1][0]) if i + 1 < len(paras) else len(text)


def merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges (of characters or tokens) with those that touch or overlap joined, empty ones left out."""
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        if out and out[-1][1] >= start:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        elif end > start:
            out.append((start, end))
    return out


def _word_start(text: str, pos: int) -> int:
    """The first character at or after ``pos`` that is not whitespace (the text's end if none)."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos
