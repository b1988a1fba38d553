"""Attributions beside a quote's marks: the words right before its opening mark or right after its closing one.

A cue opening the quote (``the heckler yelled: "..."``), an inverted one after it (``"...?" asked
Dunn``), a name after a dash (``"..." - Jane Doe``) or signing the next line (``Omar Diaz, via
Twitter``), and the clause or name a colon ends (``She went on:``, ``Pollsters agree - Carl Bialik:``).
Each is a small function of the parsed article and the quote, for quotes.extract.attribute's ladder.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from quotes.extract.cues import subject_of
from quotes.extract.detect import QuoteSpan
from quotes.extract.parse import Parse
from quotes.extract.speech_verbs import is_cue, is_negated
from quotes.lexicon import DASHES, NON_SPEAKING_PRONOUNS

_HANDLE = re.compile(r"@\w{1,30}")
_REST_OF_LINE = re.compile(r"[ \t\r\xa0]*(?=\n)")
#: A line signing the quote above it: a name or handle, the handle in brackets, where it was posted.
_SIGNATURE = re.compile(r"(?P<name>@\w{1,30}|[A-Z][\w.'’\-]*(?:[ \t]+[A-Z][\w.'’\-]*){0,3})(?P<handle>[ \t]*\(@\w{1,30}\))?"
                        r"(?P<via>,[ \t]*(?:via|on)[ \t]+[A-Z][\w.]*)?[ \t]*\.?[ \t]*(?=\n|$)")


def cue_right_before(parse: Parse, q: QuoteSpan, climbed: Token) -> Token | None:
    """The speech verb with a speaker that opens the quote, a comma or colon at most between (``yelled: "..."``),
    unless it reports the speech of the cue ``climbed`` gave ("Trump said he responded: '...'")."""
    doc = parse.doc
    span = doc.char_span(q.outer_start, q.outer_end, alignment_mode="expand")
    i = span.start - 1 if span is not None else -1
    if i >= 0 and doc[i].text in {",", ":"}:
        i -= 1
    while i >= 0 and doc[i].pos_ == "ADV" and not parse.in_quote[i]:  # "responds enthusiastically:"
        i -= 1
    if i < 0 or parse.in_quote[i] or not is_cue(doc[i]) or is_negated(parse, doc[i]):
        return None
    node = doc[i]
    while node.dep_ in {"ccomp", "xcomp", "conj"} and node.head.i != node.i:
        node = node.head
        if node.i == climbed.i:
            return None
    return doc[i] if subject_of(parse, doc[i]) is not None else None


def name_after_dash(parse: Parse, colon: int) -> Token | None:
    """The proper name between a dash and the colon at ``colon`` that opens a quote: what comes before the dash
    is a headline's (``Pollsters agree - Carl Bialik: "..."``)."""
    name = name_before_colon(parse, colon)
    if name is None or name.pos_ != "PROPN":
        return None
    first = name.i
    while first > 0 and parse.doc[first - 1].pos_ == "PROPN" and not parse.in_quote[first - 1]:
        first -= 1
    return name if first > 0 and parse.doc[first - 1].text in DASHES else None


def inverted_cue_after(parse: Parse, q: QuoteSpan) -> Token | None:
    """The speech verb right after the quote's closing mark (a comma between at most) with its speaker after
    it: ``"...?" asked Dunn``."""
    doc = parse.doc
    span = doc.char_span(q.outer_start, q.outer_end, alignment_mode="expand")
    i = span.end if span is not None else len(doc)
    if i < len(doc) and doc[i].text == ",":
        i += 1
    # not "according to X", which leaves the words the speaker's ("Ruiz said, according to CNN"), nor the
    # start of the next sentence ('..."  Asked which county ...')
    if i >= len(doc) or doc[i].lower_ == "according" or doc[i].text[:1].isupper() or not is_cue(doc[i]):
        return None
    subj = subject_of(parse, doc[i])
    return doc[i] if subj is not None and subj.i > i and not is_negated(parse, doc[i]) else None


def dash_speaker(parse: Parse, q: QuoteSpan) -> Token | None:
    """``"..." - Jane Doe`` or ``"..." — @janedoe``: the name or handle after a dash that follows the closing mark."""
    doc = parse.doc
    span = doc.char_span(q.outer_end, min(len(parse.text), q.outer_end + 4), alignment_mode="expand")
    if span is None:
        return None
    i = span.start
    while i < len(doc) and doc[i].is_space:
        i += 1
    if i + 1 < len(doc) and doc[i].text in DASHES and (doc[i + 1].ent_type_ in {"PERSON", "ORG"} or doc[i + 1].pos_ == "PROPN"
                                                       or _HANDLE.fullmatch(doc[i + 1].text)):
        return _last_name_word(doc[i + 1])
    return None


def signature_speaker(parse: Parse, q: QuoteSpan) -> Token | None:
    """A line that is nothing but a quote, signed on the next: "Omar Diaz, via Twitter", "Maya Chen (@mayachen)", "@omardiaz"."""
    text, doc = parse.text, parse.doc
    rest = _REST_OF_LINE.match(text, q.outer_end)
    line_start = q.outer_start
    while line_start > 0 and text[line_start - 1] in " \t\xa0":
        line_start -= 1
    if rest is None or (line_start > 0 and text[line_start - 1] != "\n"):
        return None
    start = line_end = rest.end()
    while start < len(text) and text[start].isspace():
        start += 1
    m = _SIGNATURE.match(text, start)
    if m is None or text[line_end:start].count("\n") > 2:  # a blank line between at most
        return None
    name = doc.char_span(m.start("name"), m.end("name"), alignment_mode="expand")
    if name is None:
        return None
    last = name[-1]
    signed = m.group("handle") or m.group("via")
    if _HANDLE.fullmatch(last.text) or last.ent_type_ == "PERSON" or (signed and last.pos_ == "PROPN"):
        return _last_name_word(last)
    return None


def verb_before_colon(parse: Parse, colon: int) -> Token | None:
    """The verb of the clause that a colon ends, nearest the colon with a subject that can speak."""
    doc = parse.doc
    span = doc.char_span(colon, colon + 1, alignment_mode="expand")
    if span is None:
        return None
    for i in range(span.start - 1, max(span.start - 20, -1), -1):
        tok = doc[i]
        if parse.in_quote[tok.i] or tok.is_sent_end and i != span.start - 1 or tok.text in DASHES:
            break  # "HEADLINE - Name:" names the speaker after the dash
        subj = subject_of(parse, tok) if tok.pos_ == "VERB" else None
        if subj is not None and subj.lower_ not in NON_SPEAKING_PRONOUNS:  # not "for what happened:"
            return tok
    return None


def name_before_colon(parse: Parse, colon: int) -> Token | None:
    """``Pew Research: "..."``: the proper noun that ends right at a colon."""
    span = parse.doc.char_span(max(0, colon - 1), colon + 1, alignment_mode="expand")
    if span is None or span.start == 0:
        return None
    tok = parse.doc[span.start - 1] if span[0].text == ":" else span[0]
    # not the object of a preposition just before it, "on Tuesday:", "to the newspaper NRC Handelsblad:",
    # unless it gives the source ("More from Jones:")
    place = (tok.dep_ == "pobj" and tok.head.pos_ == "ADP" and tok.head.i == tok.left_edge.i - 1
             and tok.head.lower_ not in {"from", "by"} and not any(t.is_punct for t in tok.subtree))
    return tok if tok.pos_ in {"PROPN", "NOUN"} and tok.text[:1].isupper() and not place else None


def _last_name_word(tok: Token) -> Token:
    """The word heading a name from one of its words: "- Ana Ruiz" is headed by "Ruiz"."""
    while tok.dep_ == "compound" and tok.head.i > tok.i:
        tok = tok.head
    return tok
