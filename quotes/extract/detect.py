"""Find quoted spans in an article body by their quotation marks: pure string work, no model.

Handles curly, straight, doubled-apostrophe (``''``, ``’’``), guillemet and single (British style)
marks; a quote of one family nested inside the other, or inside one of its own family; quotes
running over paragraphs (the opening mark repeated at the start of each paragraph, no closing
mark until the last) or over a line break; single-quoted speech in an article that quotes
mostly in double marks, and the other way round; and unbalanced marks, whose damage stays inside
their paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quotes.extract.settings import DEFAULT_SETTINGS, Settings
from quotes.lexicon import CUE_FORMS, ELISIONS, TITLE_CASE_SMALL_WORDS

#: Opening, closing and two-way marks of each family. ``''`` and ``````
#: are the doubled-apostrophe style some archives (e.g. the New York Times) print, ``’’`` and
#: ``‘’`` the same typed with curly apostrophes.
DOUBLE_OPEN = {"“", "„", "«", "``", "‘‘"}
DOUBLE_CLOSE = {"”", "»"}
DOUBLE_EITHER = {'"', "''", "＂", "’’", "‘’"}
SINGLE_OPEN = {"‘", "‹", "‚"}
SINGLE_CLOSE = {"’", "›"}
SINGLE_EITHER = {"'"}

_MARK = re.compile(r"''|``|’’|‘’|‘‘|[\"“”„«»＂‘’‹›‚']")
#: The letters of a word right after a mark, for elisions ('Tis) and elided years ('90s).
_WORD_AFTER = re.compile(r"[A-Za-z]+|\d\ds?\b")
#: Markup left in scraped text (``<tweet author="...">``): marks inside a tag are not quotes.
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")
#: How many marks past an opener inside an open quote of its own family detect reads for the host's end.
NESTED_LOOKAHEAD = 8
#: What ends a clause of speech just inside a closing mark: "...," she said / "...?"
_CLAUSE_END = frozenset(",.!?…;:—-")
_WORDS = re.compile(r"[A-Za-z]+")
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
        if before == "\\":
            continue  # an escaped mark (\") is the writer's quote inside a quote, not a mark of its own
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
            if not _is_word(before) and _elides(text, e, end):
                continue  # 'Tis, 'em, rock 'n' roll, '90s
            opens = tok in SINGLE_OPEN or (tok in SINGLE_EITHER and not _is_word(before) and not after.isspace())
            closes = tok in SINGLE_CLOSE or (tok in SINGLE_EITHER and not before.isspace())
            if tok in SINGLE_CLOSE or tok in SINGLE_EITHER:
                closes = closes and not _is_word(after)
            if not opens and not closes:
                continue
        marks.append(Mark(s, e, family, opens, closes))
    return marks


def _elides(text: str, pos: int, end: int) -> bool:
    """Whether the word at ``pos`` is one an apostrophe shortens ('tis, 'em) or an elided year ('90s)."""
    word = _WORD_AFTER.match(text, pos, end)
    if word is None or (word.end() < end and text[word.end()].isalnum()):
        return False
    return word.group()[0].isdigit() or word.group().lower() in ELISIONS


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


def _pairs(text: str, marks: list[Mark], family: str) -> tuple[list[tuple[Mark, Mark]], Mark | None]:
    """Balanced open/close pairs of one family in one paragraph, and a trailing unclosed opener."""
    fam = [m for m in marks if m.family == family]
    pairs, opener = [], None
    i = 0
    while i < len(fam):
        mark = fam[i]
        if opener is None:
            if mark.opens:
                opener = mark
        elif mark.closes and (not mark.opens or mark.start > opener.end):
            # a two-way mark right after the opener ("" or '') closes an empty quote: skip it
            if mark.start > opener.end:
                pairs.append((opener, mark))
            opener = None
        elif mark.opens and not mark.closes:
            outer = _outer_close(text, fam, i) if _has_words(text, opener.end, mark.start) else None
            if outer is not None:  # a quote of the same family nested inside: the host closes later
                pairs.append((opener, fam[outer]))
                opener, i = None, outer + 1
                continue
            if _runs_on_with_nested(text, fam, i, opener):
                return pairs, opener  # the host goes on into the next paragraph, the nested quote inside it
            opener = mark  # an earlier opener was never closed: start again here
        i += 1
    return pairs, opener


def _outer_close(text: str, fam: list[Mark], inner: int) -> int | None:
    """For an opener inside an open quote of its own family, the index of the mark closing the host, if they nest.

    ``"He told me "never again" and left," she said``: the inner quote closes first, then a
    closing mark right after a clause's end closes the host. Anything less clear (a two-way
    mark, a third opener, no such closer within a few marks) is no nesting: the opener starts afresh.
    """
    depth = 1
    for j in range(inner + 1, min(len(fam), inner + 1 + NESTED_LOOKAHEAD)):
        mark = fam[j]
        if mark.opens == mark.closes:
            return None
        depth += 1 if mark.opens else -1
        if depth > 1:
            return None
        if depth < 0:
            return j if text[mark.start - 1] in _CLAUSE_END else None
    return None


def _runs_on_with_nested(text: str, fam: list[Mark], inner: int, host: Mark) -> bool:
    """Whether a paragraph's quote left open, as a quote running on over paragraphs is, holds the one nested
    quote opening at ``inner``: the host opens the paragraph, the nested quote's closer is the paragraph's
    last mark of the family (``"It is not about “equal justice” anymore.`` then a paragraph opening ``"``),
    and no speech verb leads into the nested one."""
    line_start = text.rfind("\n", 0, host.start) + 1
    if text[line_start:host.start].strip() or inner + 2 != len(fam) or _introduced(text, fam[inner].start, line_start):
        return False  # '"Absent a force on the ground, he added, "this is how ...": a new quote, the host never closed
    closer = fam[inner + 1]
    return closer.closes and not closer.opens


def _has_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a letter or digit: words of a host before a nested opener."""
    return any(ch.isalnum() for ch in text[start:end])


def _speech_like(text: str, pair: tuple[Mark, Mark], start: int, end: int) -> bool:
    """Whether a pair of the article's other family quotes speech: a speech verb next to it.

    ``Ana Ruiz said: 'We will rebuild.'`` or ``'Not now,' Tom Lee said`` in an article quoting
    in double marks. A pair with no cue beside it is a headline's, a title's or a scare
    quote's, and so is any pair on a line in capitals (a cross-headline: "... 'RED ZONE,' GROUP
    SAYS"); an apostrophe (the Smiths' house) pairs with no opener or holds a single word.
    """
    open_mark, close_mark = pair
    if _shouted(text, open_mark.start):
        return False
    content = text[open_mark.end : close_mark.start].strip()
    words = _WORDS.findall(content)
    if len(words) < 2 or (len(words) > 2 and all(w[0].isupper() or w in TITLE_CASE_SMALL_WORDS for w in words)):
        return False  # an apostrophe's pair, or a headline's Title Case
    if _introduced(text, open_mark.start, start):
        return True
    after = text[close_mark.end : min(end, close_mark.end + 60)].partition("\n")[0]
    speech_ends = content[-1] in _CLAUSE_END or after.lstrip().startswith(",")
    return speech_ends and bool(CUE_FORMS & {w.lower() for w in _WORDS.findall(after)[:4]})


def _introduced(text: str, pos: int, start: int = 0) -> bool:
    """Whether a speech verb and a comma or colon lead into the quote opening at ``pos`` (``he added, "``),
    read back to ``start`` on the same line at most."""
    before = text[max(start, pos - 60) : pos].rpartition("\n")[2].rstrip()
    return before.endswith((",", ":")) and bool(CUE_FORMS & {w.lower() for w in _WORDS.findall(before)[-4:]})


#: How far either side of a mark a line is read to tell a cross-headline in capitals.
SHOUT_WINDOW = 300


def _shouted(text: str, pos: int) -> bool:
    """Whether the line holding ``pos`` is written in capitals (a cross-headline), judged on at most
    SHOUT_WINDOW characters either side so that a pair costs the same on a line of any length."""
    lo = max(0, pos - SHOUT_WINDOW)
    line_start = text.rfind("\n", lo, pos) + 1 or lo
    line_end = text.find("\n", pos, pos + SHOUT_WINDOW)
    line = text[line_start : line_end if line_end >= 0 else min(len(text), pos + SHOUT_WINDOW)]
    return line.upper() == line and sum(ch.isalpha() for ch in line) >= 8


def _with_other_family(text: str, marks: list[Mark], pairs: list[tuple[Mark, Mark]], other: str,
                       start: int, end: int) -> list[tuple[Mark, Mark]]:
    """A paragraph's pairs with its speech quoted in the article's other family added, in order.

    A pair of either family inside one of the other stays a nested quote of its host.
    """
    extra = [p for p in _pairs(text, marks, other)[0] if _speech_like(text, p, start, end)]
    extra = [p for p in extra if not any(_overlap(p, q) and not _inside(q, p) for q in pairs)]
    if not extra:
        return pairs
    kept = [q for q in pairs if not any(_inside(q, p) for p in extra)]
    return sorted(kept + extra, key=lambda p: p[0].start)


def _inside(a: tuple[Mark, Mark], b: tuple[Mark, Mark]) -> bool:
    """Whether pair ``a`` sits within pair ``b``."""
    return b[0].start < a[0].start and a[1].end <= b[1].start


def _overlap(a: tuple[Mark, Mark], b: tuple[Mark, Mark]) -> bool:
    return a[0].start < b[1].end and b[0].start < a[1].end


def _starts_with_opener(marks: list[Mark], family: str, start: int, text: str) -> Mark | None:
    for mark in marks:
        if mark.family == family:
            return mark if mark.opens and not text[start : mark.start].strip() else None
    return None


def primary_family(text: str, marks: list[list[Mark]], families: tuple[str, ...]) -> str:
    """The family the article quotes speech with, of ``families``: double unless single pairs clearly dominate."""
    if len(families) == 1:
        return families[0]
    counts = {"double": 0, "single": 0}
    for pm in marks:
        for family in counts:
            counts[family] += len(_pairs(text, pm, family)[0])
    return "single" if counts["single"] > 2 * counts["double"] + 1 else "double"


def find_quotes(text: str, settings: Settings = DEFAULT_SETTINGS) -> list[QuoteSpan]:
    """Every top-level quoted span in ``text``, in order; nested quotes stay inside their host."""
    paras = paragraphs(text)
    marks = [find_marks(text, s, e) for s, e in paras]
    family = primary_family(text, marks, settings.quote_marks)
    other = next((f for f in settings.quote_marks if f != family), None)
    if not _BLANK_LINE.search(text):  # line by line: a quote may run on over a line break
        paras, marks = _join_broken_lines(text, paras, marks, family)
    max_chars = settings.max_quote_chars
    out: list[QuoteSpan] = []
    group = 0
    carry: int | None = None  # group of a quote continued from the previous paragraph
    for i, ((p_start, p_end), pm) in enumerate(zip(paras, marks)):
        if carry is not None:
            reopen = _starts_with_opener(pm, family, p_start, text)
            pm = [m for m in pm if m is not reopen]
            pairs, opener = _pairs(text, pm, family)
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
        pairs, opener = _pairs(text, pm, family)
        if other is not None and opener is None:
            pairs = _with_other_family(text, pm, pairs, other, p_start, p_end)
        for open_mark, close_mark in pairs:
            s, e = _strip(text, open_mark.end, close_mark.start)
            if e > s and e - s <= max_chars:
                group += 1
                out.append(QuoteSpan(s, e, open_mark.start, close_mark.end, True, group, open_mark.family))
        if opener is not None and i < len(paras) - 1:  # one still open where the article ends is cut off, not a quote
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


def _join_broken_lines(text: str, paras: list[tuple[int, int]], marks: list[list[Mark]],
                       family: str) -> tuple[list[tuple[int, int]], list[list[Mark]]]:
    """Lines joined where a quote runs on over a line break: one ends inside an open quote, the next closes it before any opener."""
    out_paras: list[tuple[int, int]] = []
    out_marks: list[list[Mark]] = []
    open_at_end = False
    for para, pm in zip(paras, marks):
        first = next((m for m in pm if m.family == family), None)
        if open_at_end and first is not None and first.closes and not first.opens:
            out_paras[-1] = (out_paras[-1][0], para[1])
            out_marks[-1] = out_marks[-1] + pm
            rest = [m for m in pm if m.start > first.start]  # the carried quote closes at ``first``
        else:
            out_paras.append(para)
            out_marks.append(pm)
            rest = pm
        open_at_end = _pairs(text, rest, family)[1] is not None
    return out_paras, out_marks
