"""Transcript lines: ``SMITH: We will win.`` quotes the words after a speaker label, said by the person labelled.

String work, like quotes.extract.detect; the doc gives only the names of its people. A label
opens a line, or the quotation mark at its start (``"JONES: Are you sure?"``): an honorific or
title at most ("SEN.", "MR."), one to three words in capitals ("SMITH", "ANN SMITH") or in
title case ("Smith"), a colon, and the words spoken on the same line. Labels naming no one
("UPDATE", "EDITOR'S NOTE", "Q") are in the lexicon (NOT_SPEAKER_LABELS), and a role alone
("HOST") names no one either. A label in capitals counts when the article names that person
elsewhere (a person's name ending in the label's last word, as an acronym like "NATO" never
is) or has at least two labelled lines. One in title case counts only in a dialogue of people
the article names, two of them at least and one labelled again: a headline ("Clinton: We
will win") or a list of people ("Sanders: Win in a walk.", "Trump: Move past Iowa.") looks alike.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from quotes.extract.detect import QuoteSpan, find_quotes, words_end
from quotes.extract.settings import DEFAULT_SETTINGS, Settings
from quotes.lexicon import ANONYMOUS_NOUNS, HONORIFICS, NOT_PERSON_WORDS, NOT_SPEAKER_LABELS, TITLE_WORDS

#: A line opening with up to four capitalised words and a colon, words following on the line.
_LINE_LABEL = re.compile(r"^[ \t]*[\"“]?[ \t]*((?:[A-Z][A-Za-z'’.\-]*[ \t]+){0,3}[A-Z][A-Za-z'’.\-]*)[ \t\xa0]*:[ \t\xa0]+(?=\S)", re.M)
_CAPS_WORD = re.compile(r"(?:Mc|Mac)?[A-Z][A-Z'’\-]*[A-Z]")
_TITLE_WORD = re.compile(r"(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)*")
_NOT_NAME_WORDS = (HONORIFICS, TITLE_WORDS, NOT_PERSON_WORDS, ANONYMOUS_NOUNS)
#: Name words a label holds at most, honorifics and titles before them left out.
MAX_LABEL_WORDS = 3


@dataclass(frozen=True)
class Label:
    """A speaker label opening a line: its words, the name words among them, and what it labels."""

    start: int  # the label's first word, its honorific included
    end: int  # the end of its last word (the colon left out)
    name: str  # the name words ("SMITH" of "SEN. SMITH")
    caps: bool  # written in capitals, as transcripts print labels
    spoken: int  # where the words spoken start
    line_end: int  # where their line ends, trailing spaces left out


def _no_name(word: str) -> bool:
    """An honorific, title or common word ("SEN.", "HOST", "PRESIDENT"): no part of a speaker's name."""
    folded = word.casefold()
    return any(folded in words or folded.rstrip(".") in words for words in _NOT_NAME_WORDS)


def _label(text: str, m: re.Match) -> Label | None:
    """The speaker label a line-opening match is, if its words can name a speaker."""
    words = m.group(1).split()
    if text[m.end()].islower() or " ".join(words).replace("’", "'").casefold() in NOT_SPEAKER_LABELS:
        return None
    first = 0
    while first < len(words) - 1 and _no_name(words[first]):
        first += 1
    names = words[first:]
    if len(names) > MAX_LABEL_WORDS or all(_no_name(w) for w in names):
        return None  # "HOST:", "PRESIDENT:": a role, not who holds it
    caps = all(_CAPS_WORD.fullmatch(w) for w in names)
    if not caps and not all(_TITLE_WORD.fullmatch(w) for w in names):
        return None
    line_end = text.find("\n", m.end())
    line_end = words_end(text, len(text) if line_end < 0 else line_end)
    if not any(ch.isalpha() for ch in text[m.end() : line_end]):
        return None  # "Clinton: 1,769.": a tally, not words said
    return Label(m.start(1), m.end(1), " ".join(names), caps, m.end(), line_end)


def speaker_labels(text: str, persons: Iterable[tuple[int, int, str]]) -> list[Label]:
    """The labelled lines of ``text`` that are a transcript's, in order.

    ``persons`` are the names of people the article gives (start, end, text), from its entities;
    those inside a label do not count as the article naming someone.
    """
    found = [label for m in _LINE_LABEL.finditer(text) if (label := _label(text, m)) is not None]
    if not found:
        return []
    starts = [label.start for label in found]

    def in_a_label(char: int) -> bool:
        k = bisect.bisect_right(starts, char) - 1
        return k >= 0 and char < found[k].end

    surnames = {name.split()[-1].casefold() for start, _, name in persons if name.split() and not in_a_label(start)}

    def named(label: Label) -> bool:
        return label.name.split()[-1].casefold() in surnames

    caps = [label for label in found if label.caps]
    titled = [label.name.split()[-1].casefold() for label in found if not label.caps and named(label)]
    dialogue = len(set(titled)) >= 2 and len(set(titled)) < len(titled)  # two people, one of them back again
    return [label for label in found
            if (label.caps and (named(label) or len(caps) >= 2)) or (not label.caps and dialogue and named(label))]


def with_transcripts(text: str, quotes: list[QuoteSpan], labels: list[Label]) -> list[QuoteSpan]:
    """The quote spans with each labelled line's words a quote of the label's, in document order.

    A quote opening with a label (``"JONES: Are you sure?"``) loses the label; a quote right after
    one (``JONES: "Are you sure?"``) keeps its words; a bare line becomes a quote, taking in the
    quotes inside it. Each labelled quote starts a group of its own, which the unlabelled pieces
    of its multi-paragraph quote that follow it join.
    """
    if not labels:
        return quotes
    by_start = {q.start: i for i, q in enumerate(quotes)}
    by_opening = {q.outer_start: i for i, q in enumerate(quotes)}
    outer_starts, outer_ends = [q.outer_start for q in quotes], [q.outer_end for q in quotes]
    out = dict(enumerate(quotes))
    bare: list[QuoteSpan] = []
    for n, label in enumerate(labels):
        i = by_start.get(label.start, by_opening.get(label.spoken))
        if i is not None:
            q = quotes[i]
            opens = q.start == label.start  # the label inside the marks: the quote starts after it
            out[i] = replace(q, start=label.spoken if opens else q.start, outer_start=label.spoken if opens else q.outer_start,
                             label_start=label.start, label_end=label.end)
            continue
        inside = range(bisect.bisect_right(outer_ends, label.spoken), bisect.bisect_left(outer_starts, label.line_end))
        if any(outer_ends[k] > label.line_end for k in inside):
            continue  # a quote runs on past the line: it is not the label's
        for k in inside:
            out.pop(k, None)
        bare.append(QuoteSpan(label.spoken, label.line_end, label.spoken, label.line_end, True, -1 - n, "double",
                              label.start, label.end))
    grouped, group, last = [], 0, None
    for q in sorted([*out.values(), *bare], key=lambda q: q.start):
        if q.label_start is not None or q.group != last:
            group += 1
        last = q.group
        grouped.append(replace(q, group=group))
    return grouped


def quote_spans(doc: Doc, settings: Settings = DEFAULT_SETTINGS) -> list[QuoteSpan]:
    """Every quote span of a parsed doc, marked and transcript lines, as the ``quotes`` component and training see them."""
    text = doc.text
    persons = [(ent.start_char, ent.end_char, ent.text) for ent in doc.ents if ent.label_ == "PERSON"]
    return with_transcripts(text, find_quotes(text, settings), speaker_labels(text, persons))
