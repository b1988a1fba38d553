"""One parsed article as attribution reads it: which tokens are quoted, its entities and sentences.

Everything here is computed once per article and never changes; the other attribution modules
(cues, people, speakers, the ladder) read the parse through it.
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Span, Token

from quotes.extract.detect import QuoteSpan
from quotes.names import acronyms

#: The most words a name not found by the NER runs back over: far more than any name, a bound
#: for a page of capitalised words.
MAX_NAME_TOKENS = 50


class Parse:
    """A parsed article indexed for attribution: quoted tokens, entities by token, sentences by offset."""

    def __init__(self, doc: Doc, quotes: list[QuoteSpan]):
        self.doc = doc
        self.text = doc.text  # Doc.text rebuilds the string on every access: read it once
        self.acronyms = acronyms(self.text)
        #: per token: inside a quote, marks included
        self.in_quote = [False] * len(doc)
        for q in quotes:
            span = doc.char_span(q.outer_start, q.outer_end, alignment_mode="expand")
            if span is not None:
                for i in range(span.start, span.end):
                    self.in_quote[i] = True
        self.entity: dict[int, Span] = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        self.sents = list(doc.sents)
        self.sent_ends = [s.end_char for s in self.sents]
        self.line_breaks = [m.start() for m in re.finditer("\n", self.text)]

    def name_at(self, tok: Token) -> Span | None:
        """The proper name ``tok`` belongs to: its entity, else its run of proper nouns."""
        ent = self.entity.get(tok.i)
        if ent is not None:
            return ent
        if tok.pos_ != "PROPN":
            return None
        start, first = tok.i, max(0, tok.i - MAX_NAME_TOKENS + 1)
        while start > first and self.doc[start - 1].pos_ == "PROPN" and self.doc[start - 1].ent_type_ in {"", "PERSON"}:
            start -= 1  # "Tomas Reyes", even when the parser hung "Tomas" elsewhere
        return self.doc[start : tok.i + 1]

    def sentences(self, start: int, end: int) -> list[Span]:
        """The sentences overlapping the characters [start, end)."""
        i = bisect.bisect_right(self.sent_ends, start)
        out = []
        while i < len(self.sents) and self.sents[i].start_char < end:
            out.append(self.sents[i])
            i += 1
        return out

    def paragraph_of(self, q: QuoteSpan) -> tuple[int, int]:
        """The character range of the line(s) holding quote ``q``, marks included."""
        before = bisect.bisect_left(self.line_breaks, q.outer_start)  # line breaks before the quote
        after = bisect.bisect_left(self.line_breaks, q.outer_end, before)
        start = self.line_breaks[before - 1] + 1 if before else 0
        return start, (self.line_breaks[after] if after < len(self.line_breaks) else len(self.text))
