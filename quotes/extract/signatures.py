"""Quotes signed inside their own marks: a pull quote whose last line names who said it.

``"We will enter the next recession without that consensus.`` / ``Josh Bivens, Economic Policy Institute."``
The words end at the line break; the last line, a short phrase with no verb that names a person,
signs them, and that person speaks, as a transcript's label makes its speaker ("SMITH:").
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span

from quotes.extract.detect import QuoteSpan
from quotes.extract.parse import Parse

#: Tokens a signature line holds at most ("Former NAACP president Ben Jealous.").
MAX_SIGNATURE_TOKENS = 14
#: How the quoted words end before a signature: a whole sentence.
_SENTENCE_ENDS = frozenset(".!?…")


def signed(parse: Parse, quotes: list[QuoteSpan]) -> list[QuoteSpan]:
    """``quotes`` with each one signed inside its marks ending before its signature, the signer its label.
    The marks stay where they are, so ``parse``'s quoted tokens hold for the signed quotes too."""
    return [_signed(parse, q) or q for q in quotes]


def _signed(parse: Parse, q: QuoteSpan) -> QuoteSpan | None:
    """The quote ``q`` ended before the signature on its last line, or None when it has none."""
    text = parse.text
    if q.label_start is not None or not q.closed:
        return None
    cut = text.rfind("\n", q.start, q.end)
    if cut < 0:
        return None
    words_end = len(text[q.start:cut].rstrip()) + q.start
    if words_end <= q.start or text[words_end - 1] not in _SENTENCE_ENDS:
        return None
    line = parse.doc.char_span(cut + 1, q.end, alignment_mode="expand")
    signer = _signer(line) if line is not None else None
    if signer is None:
        return None
    return replace(q, end=words_end, label_start=signer.start_char, label_end=signer.end_char)


def _signer(line: Span) -> Span | None:
    """The person a signature line names: a short capitalised phrase without a verb, the person's name
    (found by the NER, or the proper nouns that end the phrase before any comma) in it."""
    words = [t for t in line if not t.is_space]
    if not words or len(words) > MAX_SIGNATURE_TOKENS or not words[0].text[:1].isupper():
        return None
    if any(t.pos_ in {"VERB", "AUX", "PRON", "INTJ"} for t in words):
        return None
    person = next((e for e in line.ents if e.label_ == "PERSON"), None)
    if person is not None:
        return person
    # the NER reads no long quote's words: "Former NAACP president Ben Jealous", "Amy Pope, deputy advisor"
    comma = next((i for i, t in enumerate(words) if t.text == ","), len(words))
    head = [t for t in words[:comma] if not t.is_punct or t.tag_ == "NNP"]
    name = len(head)
    while name > 0 and head[name - 1].pos_ == "PROPN":
        name -= 1
    if len(head) - name < 2 or any(t.pos_ not in {"ADJ", "NOUN", "PROPN"} for t in head[:name]):
        return None
    return line.doc[head[name].i : head[-1].i + 1]
