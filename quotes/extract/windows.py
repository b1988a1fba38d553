"""Which parts of an article the models parse: the paragraphs that can hold an attribution.

Every attribution rests on words near its quote: the quote's own paragraph and the ones either
side (cue, speaker, the sentence a pronoun looks back to). The rest of the article matters only
for the people it introduces: "Senator Ann Smith" in the second paragraph is who "Smith said"
in the ninth stands for. So the models parse the paragraphs holding or next to a quotation
mark, found by detect's pure string work, or a transcript's label, and, of the others, those naming a word those
paragraphs use as a name with a first name or title before it ("Ann Smith", "Sen. Smith",
"spokesman Smith"); the rest are tokenized only. An article without quotation marks is not
parsed at all.
"""

from __future__ import annotations

import bisect
import re

from quotes.extract.detect import QuoteSpan, find_quotes, paragraphs
from quotes.extract.settings import Settings
from quotes.extract.transcripts import label_starts
from quotes.lexicon import HONORIFICS, TITLE_WORDS

#: Paragraphs parsed either side of one holding a quote.
NEIGHBOURS = 1

#: A capitalised word as names are printed ("Smith", "O'Neill", "DeSantis", "Ocasio-Cortez"); a
#: possessive ending is not part of it.
_NAME_WORD = r"[A-Z][\w-]*(?:['’][A-Z][\w-]*)?"
_NAME = re.compile(r"\b" + _NAME_WORD)
#: Capitalised words, honorifics and title words running into a name: a name given in full or
#: with a title ("Ann Smith", "Sen. Bernie Sanders", "pollster Chris Anderson").
_RUN = re.compile(r"\b(?:(?:[A-Z][\w.'’-]*|%s)[^\S\n]+)+%s" % (
    "|".join(map(re.escape, sorted(TITLE_WORDS, key=len, reverse=True))), _NAME_WORD))
_LOWER_WORD = re.compile(r"\b[a-z][\w-]*")


def parse_ranges(text: str, settings: Settings, found: list[QuoteSpan] | None = None) -> list[tuple[int, int]]:
    """The character ranges of ``text`` the models must parse for attribution, in order, whole paragraphs each;
    ``found`` are the text's quotes when the caller has them (detect.find_quotes)."""
    paras = paragraphs(text)
    starts = [start for start, _ in paras]
    chosen: set[int] = set()
    for q in find_quotes(text, settings) if found is None else found:
        first = max(0, bisect.bisect_right(starts, q.outer_start) - 1)
        last = max(0, bisect.bisect_right(starts, max(q.outer_start, q.outer_end - 1)) - 1)
        chosen.update(range(max(0, first - NEIGHBOURS), min(len(paras), last + NEIGHBOURS + 1)))
    for start in label_starts(text):  # a transcript line is a quote without marks
        i = max(0, bisect.bisect_right(starts, start) - 1)
        chosen.update(range(max(0, i - NEIGHBOURS), min(len(paras), i + NEIGHBOURS + 1)))
    if chosen:
        chosen |= _introducing(text, paras, chosen)
    return _merged(text, paras, chosen)


def _introducing(text: str, paras: list[tuple[int, int]], chosen: set[int]) -> set[int]:
    """The paragraphs not ``chosen`` that first introduce a name the chosen ones use, or the ones so added.

    A name is a capitalised word that is not an honorific or title and that no sentence of the
    article prints in lower case ("Smith", but not "The" or "House", which "the house" shows to
    be a word). Each way of introducing it ("Ann Smith", "Senator Ann Smith") counts where it
    is first met, as the people of the article take a person's role from where they first meet them.
    """
    common = set(_LOWER_WORD.findall(text)) | TITLE_WORDS | set(HONORIFICS)
    first: dict[str, tuple[int, list[str]]] = {}  # each introduction: the paragraph first giving it, its names
    for i, (start, end) in enumerate(paras):
        for run in _RUN.finditer(text, start, end):
            words = run.group().split()
            names = [m.group() for word in words[1:] if (m := _NAME.match(word)) and m.group().lower() not in common]
            first.setdefault(" ".join(words), (i, names))
    parsed, new = set(chosen), set(chosen)
    while new:
        # a transcript's label in capitals ("SMITH:") uses the name "Smith"
        names = {word.title() if word.isupper() else word
                 for i in new for word in _NAME.findall(text, *paras[i]) if word.lower() not in common}
        new = {i for i, used in first.values() if i not in parsed and names.intersection(used)}
        parsed |= new
    return parsed - chosen


def _merged(text: str, paras: list[tuple[int, int]], chosen: set[int]) -> list[tuple[int, int]]:
    """The chosen paragraphs as character ranges, neighbours joined, each from its first word up to the next one's.

    A range so begins right after a line break and the spaces around it, where the tokenizer
    cuts the text as it cuts it whole.
    """
    ranges: list[tuple[int, int]] = []
    for i in sorted(chosen):
        start = _word_start(text, paras[i][0]) if i else 0
        end = _word_start(text, paras[i + 1][0]) if i + 1 < len(paras) else len(text)
        if ranges and ranges[-1][1] >= start:
            ranges[-1] = (ranges[-1][0], end)
        elif end > start:
            ranges.append((start, end))
    return ranges


def _word_start(text: str, pos: int) -> int:
    """The first character at or after ``pos`` that is not whitespace (the text's end if none)."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos
