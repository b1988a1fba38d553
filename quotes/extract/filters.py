"""Which quoted words are speech, and of which kind: scare quotes, titles and nicknames are not.

Quotation marks also print titles of works ("on ABC's 'This Week'"), nicknames, scare quotes
(the "establishment" candidate) and modifiers (a "concession" wagon); these are kept only
when a speech verb claims them.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from quotes.extract.detect import QuoteSpan, words_end
from quotes.extract.parse import Parse
from quotes.extract.settings import Settings
from quotes.extract.speakers import OWN_CUE, Attribution
from quotes.lexicon import TITLE_CASE_SMALL_WORDS, WORK_TITLE_CUES


def quote_kind(text: str, q: QuoteSpan) -> str:
    """``partial`` for a fragment inside the writer's sentence, else ``direct``."""
    first = text[q.start : q.start + 1]
    end = words_end(text, q.outer_start)
    embedded = end > 0 and (text[end - 1].isalnum() or text[end - 1] in "-—–")
    return "partial" if embedded and not first.isupper() else "direct"


def looks_like_a_name(text: str) -> bool:
    """Title-case words with no sentence ending: a title, nickname or slogan ("Meet the Press")."""
    words = re.findall(r"[A-Za-z][A-Za-z'’]*", text)
    if not words or len(words) > 6 or not words[0][0].isupper() or text.rstrip().endswith(("!", "?")):
        return False
    return all(w[0].isupper() or w.lower() in TITLE_CASE_SMALL_WORDS for w in words)


def needs_a_cue(text: str, max_scare_words: int) -> bool:
    """Short or name-like quoted words are speech only when a speech verb claims them.

    Scare quotes ("the 'establishment' candidate"), titles of works and nicknames look like
    this; "called the KKK 'abhorrent'" is kept because "called" attributes it.
    """
    return looks_like_a_name(text) or (len(text.split()) <= max_scare_words and not text[:1].isupper())


def _around(doc: Doc, q: QuoteSpan) -> tuple[Token | None, Token | None]:
    """The tokens just before the opening mark and just after the closing mark."""
    span = doc.char_span(q.outer_start, q.outer_end, alignment_mode="expand")
    if span is None:
        return None, None
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    return before, after


def is_title(parse: Parse, q: QuoteSpan) -> bool:
    """A title of a work or show, named after a possessive or "on": "on ABC's 'This Week'"."""
    before, _ = _around(parse.doc, q)
    if before is None or not looks_like_a_name(parse.text[q.start : q.end]):
        return False
    if before.tag_ == "POS" or before.lower_ in WORK_TITLE_CUES:
        return True
    return before.text == "," and before.i > 0 and before.doc[before.i - 1].pos_ == "NOUN"


def is_modifier(parse: Parse, q: QuoteSpan) -> bool:
    """A few quoted words modifying the noun right after them: a "concession" wagon."""
    text = parse.text[q.start : q.end]
    _, after = _around(parse.doc, q)
    short = len(text.split()) <= 4 and not text.endswith((",", ".", "!", "?"))
    return short and after is not None and after.pos_ == "NOUN" and after.is_lower


def is_speech(parse: Parse, q: QuoteSpan, a: Attribution, settings: Settings) -> bool:
    """False for a scare quote, a title or a nickname: words quoted, but nobody's speech."""
    claimed = a.how in OWN_CUE
    words = parse.text[q.start : q.end]
    orphan = (a.how == "none" or (a.how == "verb" and a.speaker is None)) and len(words.split()) <= settings.max_orphan_words
    return not (orphan or is_title(parse, q)
                or (not claimed and (needs_a_cue(words, settings.max_scare_words) or is_modifier(parse, q))))
