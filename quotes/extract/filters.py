"""Which quoted words are speech, and of which kind: scare quotes, titles, names and thoughts are not.

Quotation marks also print titles of works ("on ABC's 'This Week'"), nicknames, scare quotes
(the "establishment" candidate) and modifiers (a "concession" wagon); these are kept only
when a speech verb claims them. Names given ("dubbed the plan a 'blank check'", the so-called
"..."), what anyone might say ("people who say 'not my problem'") and thoughts ('he thought,
"..."') are never speech.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from quotes.extract.detect import QuoteSpan, words_end
from quotes.extract.parse import Parse
from quotes.extract.settings import Settings
from quotes.extract.speakers import OWN_CUE, Attribution
from quotes.lexicon import (
    CUE_FORMS,
    GENERIC_SPEAKERS,
    NAMING_FORMS,
    RELATIVE_PRONOUNS,
    THOUGHT_FORMS,
    TITLE_CASE_SMALL_WORDS,
    WORK_MAKERS,
    WORK_TITLE_CUES,
)

_SO_CALLED = re.compile(r"\bso[- ]called\s*$", re.IGNORECASE)


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
    if before.lower_ == "of" and before.i > 0 and before.doc[before.i - 1].lower_ in WORK_MAKERS:
        return True  # the author of "...", a revival of "..."
    return before.text == "," and before.i > 0 and before.doc[before.i - 1].pos_ == "NOUN"


def is_modifier(parse: Parse, q: QuoteSpan) -> bool:
    """A few quoted words modifying the noun right after them: a "concession" wagon."""
    text = parse.text[q.start : q.end]
    _, after = _around(parse.doc, q)
    short = len(text.split()) <= 4 and not text.endswith((",", ".", "!", "?"))
    return short and after is not None and after.pos_ == "NOUN" and after.is_lower


def _hang(parse: Parse, q: QuoteSpan) -> tuple[Token, Token] | None:
    """The first quoted word whose head lies outside the quote, and that head, when it is the writer's word."""
    content = parse.doc.char_span(q.start, q.end, alignment_mode="expand")
    if content is None:
        return None
    for tok in content:
        if not q.outer_start <= tok.head.idx < q.outer_end:
            return None if parse.in_quote[tok.head.i] else (tok, tok.head)
    return None


def is_a_name_given(parse: Parse, q: QuoteSpan, claimed: bool) -> bool:
    """A name, not speech: the so-called "..." no speech verb claims, or "dubbed the plan a 'blank check'"
    (a naming verb, its object, and the quote as the name, its article outside the marks)."""
    if not claimed and _SO_CALLED.search(parse.text, max(0, q.outer_start - 12), q.outer_start):
        return True
    hang = _hang(parse, q)
    if hang is None:
        return False
    noun, verb = hang
    if verb.lower_ not in NAMING_FORMS or not any(c.dep_ == "det" and c.idx < q.outer_start for c in noun.children):
        return False
    return any(c.dep_ == "dobj" and c.i != noun.i and c.idx < q.outer_start for c in verb.children)


def is_hypothetical(parse: Parse, q: QuoteSpan) -> bool:
    """What anyone might say, not what someone said: "people who say 'not my problem'"."""
    hang = _hang(parse, q)
    if hang is None:
        return False
    verb = hang[1]
    present_relative = verb.tag_ in {"VBP", "VBZ"} and verb.dep_ == "relcl"
    if verb.lower_ not in CUE_FORMS or not present_relative or verb.head.lower_ not in GENERIC_SPEAKERS:
        return False
    return any(c.dep_ == "nsubj" and c.lower_ in RELATIVE_PRONOUNS for c in verb.children)


def is_thought(parse: Parse, q: QuoteSpan) -> bool:
    """A thought, not speech: a whole quote set off by a thought verb of the writer's own clause.

    'He thought, "..."' and '"...," he thought'; not "candidates who think 'America ...'", a
    fragment of the writer's sentence, nor a thought reported as someone's ('she said she was
    thinking, "..."', 'the magazine imagined he was thinking: "..."').
    """
    hang = _hang(parse, q)
    if hang is None or quote_kind(parse.text, q) != "direct":
        return False
    verb = hang[1]
    if verb.lower_ not in THOUGHT_FORMS or verb.dep_ not in {"ROOT", "conj"}:
        return False
    before = parse.text[words_end(parse.text, q.outer_start) - 1 : q.outer_start].strip()
    return verb.idx > q.outer_start or before in {",", ":"}


def is_speech(parse: Parse, q: QuoteSpan, a: Attribution, settings: Settings) -> bool:
    """False for a scare quote, a title, a name, a thought or what anyone might say: words quoted, but nobody's speech."""
    claimed = a.how in OWN_CUE
    words = parse.text[q.start : q.end]
    orphan = (a.how == "none" or (a.how == "verb" and a.speaker is None)) and len(words.split()) <= settings.max_orphan_words
    nobodys = is_title(parse, q) or is_a_name_given(parse, q, claimed) or is_hypothetical(parse, q) or is_thought(parse, q)
    return not (orphan or nobodys or (not claimed and (needs_a_cue(words, settings.max_scare_words) or is_modifier(parse, q))))
