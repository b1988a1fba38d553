"""Find quoted spans in an article body by their quotation marks: pure string work, no model.

Handles curly, straight, doubled-apostrophe (``''``), guillemet and single (British style) marks;
a quote of one family nested inside the other; quotes running over paragraphs (the opening mark
repeated at the start of each paragraph, no closing mark until the last); and unbalanced marks,
whose damage stays inside their paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quotes.extract.settings import DEFAULT_SETTINGS, Settings

#: Opening, closing and two-way marks of each family. ``''`` and ``````
#: are the doubled-apostrophe style some archives (e.g. the New York Times) print.
DOUBLE_OPEN = {"“", "„", "«", "``"}
DOUBLE_CLOSE = {"”", "»"}
DOUBLE_EITHER = {'"', "''", "＂"}
SINGLE_OPEN = {"‘", "‹", "‚"}
SINGLE_CLOSE = {"’", "›"}
SINGLE_EITHER = {"'"}

_MARK = re.compile(r"''|``|[\"“”„«»＂‘’‹›‚']")
#: Markup left in scraped text (``<tweet author="...">``): marks inside a tag are not quotes.
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_LINE = re.compile(r"\n")


@dataclass(frozen=True)
class Mark:
    """One quotation mark: where it is, which family, and which way it may face."""

    start: int
    end: int
    family: str  # "double" / "single"
    opens: bool
    closes: bool


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted piece of text: ``content`` offsets exclude the marks and surrounding spaces.

    A transcript line (quotes.extract.transcripts) also has its speaker label's offsets.
    """

    start: int
    end: int
    outer_start: int  # the opening mark (or paragraph start for a continued quote)
    outer_end: int  # just after the closing mark (or the paragraph end when not closed)
    closed: bool
    group: int  # the pieces of one multi-paragraph quote share a group (attribution joins split ones)
    family: str
    label_start: int | None = None  # "SMITH" of "SMITH: We will win." (the colon left out)
    label_end: int | None = None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph ranges: blank-line separated when the text has blank lines, else line by line."""
    splitter = _BLANK_LINE if _BLANK_LINE.search(text) else _LINE
    out, pos = [], 0
    for m in splitter.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def find_marks(text: str, start: int, end: int) -> list[Mark]:
    """Every quotation mark in ``text[start:end]``, with apostrophes inside words left out."""
    marks = []
    tags = [(t.start(), t.end()) for t in _TAG.finditer(text, start, end)]
    k = 0  # the first tag not ending before the mark: the only one it can be inside
    for m in _MARK.finditer(text, start, end):
        s, e, tok = m.start(), m.end(), m.group()
        while k < len(tags) and tags[k][1] <= s:
            k += 1
        if k < len(tags) and tags[k][0] <= s:
            continue
        before = text[s - 1] if s > start else " "
        after = text[e] if e < end else " "
        if tok in DOUBLE_OPEN or tok in DOUBLE_CLOSE or tok in DOUBLE_EITHER:
            family = "double"
            opens = tok in DOUBLE_OPEN or (tok in DOUBLE_EITHER and not after.isspace())
            closes = tok in DOUBLE_CLOSE or (tok in DOUBLE_EITHER and not before.isspace())
            # a curly mark printed the wrong way round: “text“ or ”text”
            if tok in DOUBLE_OPEN and not before.isspace() and not _is_word(after):
                closes = True
            if tok in DOUBLE_CLOSE and (before.isspace() or s == start) and _is_word(after):
                opens = True
            if tok in DOUBLE_EITHER and not opens and not closes:
                opens = closes = True  # between spaces ('Well done,' "): the quote state decides
        else:
            family = "single"
            if _is_word(before) and _is_word(after):
                continue  # apostrophe: don't, Russia’s
            if tok in "’'" and before.isspace() and after.isalnum() and tok == "’":
                continue  # elided year or word: ’90s, ’em
            opens = tok in SINGLE_OPEN or (tok in SINGLE_EITHER and not _is_word(before) and not after.isspace())
            closes = tok in SINGLE_CLOSE or (tok in SINGLE_EITHER and not before.isspace())
            if tok in SINGLE_CLOSE or tok in SINGLE_EITHER:
                closes = closes and not _is_word(after)
            if not opens and not closes:
                continue
        marks.append(Mark(s, e, family, opens, closes))
    return marks


def words_end(text: str, pos: int) -> int:
    """Where the words before ``pos`` end: ``len(text[:pos].rstrip())``, without copying the text."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pairs(text: str, marks: list[Mark], family: str, start: int, end: int):
    """Balanced open/close pairs of one family in one paragraph, and a trailing unclosed opener."""
    pairs, opener = [], None
    for mark in marks:
        if mark.family != family:
            continue
        if opener is None:
            if mark.opens:
                opener = mark
        elif mark.closes and (not mark.opens or mark.start > opener.end):
            # a two-way mark right after the opener ("" or '') closes an empty quote: skip it
            if mark.start > opener.end:
                pairs.append((opener, mark))
            opener = None
        elif mark.opens and not mark.closes:
            opener = mark  # an earlier opener was never closed: start again here
    return pairs, opener


def _starts_with_opener(marks: list[Mark], family: str, start: int, text: str) -> Mark | None:
    for mark in marks:
        if mark.family == family:
            return mark if mark.opens and not text[start : mark.start].strip() else None
    return None


def primary_family(text: str, paras: list[tuple[int, int]], marks: list[list[Mark]], families: tuple[str, ...]) -> str:
    """The family the article quotes speech with, of ``families``: double unless single pairs clearly dominate."""
    if len(families) == 1:
        return families[0]
    counts = {"double": 0, "single": 0}
    for (start, end), pm in zip(paras, marks):
        for family in counts:
            counts[family] += len(_pairs(text, pm, family, start, end)[0])
    return "single" if counts["single"] > 2 * counts["double"] + 1 else "double"


def find_quotes(text: str, settings: Settings = DEFAULT_SETTINGS) -> list[QuoteSpan]:
    """Every top-level quoted span in ``text``, in order; nested quotes stay inside their host."""
    paras = paragraphs(text)
    marks = [find_marks(text, s, e) for s, e in paras]
    family = primary_family(text, paras, marks, settings.quote_marks)
    max_chars = settings.max_quote_chars
    out: list[QuoteSpan] = []
    group = 0
    carry: int | None = None  # group of a quote continued from the previous paragraph
    for i, ((p_start, p_end), pm) in enumerate(zip(paras, marks)):
        if carry is not None:
            reopen = _starts_with_opener(pm, family, p_start, text)
            pm = [m for m in pm if m is not reopen]
            pairs, opener = _pairs(text, pm, family, p_start, p_end)
            first_close = next((m for m in pm if m.family == family and m.closes), None)
            if first_close is not None and (not pairs or first_close.start <= pairs[0][0].start):
                # the continued quote closes in this paragraph
                s, e = _strip(text, reopen.end if reopen else p_start, first_close.start)
                if e > s:
                    out.append(QuoteSpan(s, e, reopen.start if reopen else p_start, first_close.end, True, carry, family))
                pm = [m for m in pm if m.start > first_close.start]
                carry = None
            else:
                s, e = _strip(text, reopen.end if reopen else p_start, p_end)
                if e > s:
                    out.append(QuoteSpan(s, e, reopen.start if reopen else p_start, p_end, False, carry, family))
                if not _continues(text, paras, marks, i + 1, family):
                    carry = None
                continue
        pairs, opener = _pairs(text, pm, family, p_start, p_end)
        for open_mark, close_mark in pairs:
            s, e = _strip(text, open_mark.end, close_mark.start)
            if e > s and e - s <= max_chars:
                group += 1
                out.append(QuoteSpan(s, e, open_mark.start, close_mark.end, True, group, family))
        if opener is not None:
            s, e = _strip(text, opener.end, p_end)
            if e > s and e - s <= max_chars:
                group += 1
                out.append(QuoteSpan(s, e, opener.start, p_end, False, group, family))
                if _continues(text, paras, marks, i + 1, family):
                    carry = group
    return out


def _continues(text: str, paras, marks, index: int, family: str) -> bool:
    """Whether paragraph ``index`` opens with a mark of ``family`` (a quote carried over)."""
    if index >= len(paras):
        return False
    return _starts_with_opener(marks[index], family, paras[index][0], text) is not None
