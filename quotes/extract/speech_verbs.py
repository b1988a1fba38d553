"""Which tokens are cues: speech verbs ("said", "shot back"), "according to", "in X's words", and a speech verb
the tagger read as a noun after a quote; which cues the sentence negates ("did not say"); the nouns of speech.

quotes.extract.cues finds who speaks through them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy
from spacy.attrs import LOWER
from spacy.strings import StringStore
from spacy.tokens import Token

from quotes.extract.parse import Parse
from quotes.lexicon import (
    CUE_FORMS,
    CUE_NEEDS,
    INTRANSITIVE_CUE_FORMS,
    NEGATING_FORMS,
    OWNERS_WORDS_NOUNS,
    PHRASAL_CUES,
    PHRASAL_VERBS,
    SPEECH_NOUNS,
)


def is_cue(tok: Token) -> bool:
    """Whether ``tok`` is a speech verb: a form of a cue verb, "according (to)", "in X's words" or a phrasal cue."""
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
        return True
    if tok.pos_ not in {"VERB", "AUX"}:
        return noun_cue_speaker(tok) is not None
    if tok.lower_ in CUE_NEEDS:  # "spoke of 'a new era'", not "spoke with reporters"
        return any(c.lower_ in CUE_NEEDS[tok.lower_] for c in tok.children)
    if tok.lower_ in CUE_FORMS:
        return True
    if tok.lower_ in INTRANSITIVE_CUE_FORMS:  # "Hannity pressed.", not "pressed the FBI on the 'missing' files"
        return not any(c.dep_ in {"dobj", "xcomp", "prep", "ccomp"} for c in tok.children)
    return tok.lower_ in PHRASAL_VERBS and not any(c.dep_ == "xcomp" for c in tok.children) and any(
        c.dep_ in {"prt", "advmod"} and f"{tok.lower_}:{c.lower_}" in PHRASAL_CUES for c in tok.children
    )  # "she went on:", not "prices went on rising"


def noun_cue_speaker(tok: Token) -> Token | None:
    """Who speaks through a noun that is a cue: a speech verb the tagger read as a noun after the quote
    ('"...," a voice-over in the ad states'), or "in Forbes' words"; None for any other token."""
    return _cue_read_as_noun(tok) or _owner_of_words(tok)


def _cue_read_as_noun(tok: Token) -> Token | None:
    """The speaker in '"...," Okafor answers.' or '"...," a voice-over in the ad states.' when the tagger read
    the cue as a noun: the head of the noun phrase between the quote and the cue; None for any other token."""
    if tok.pos_ != "NOUN" or tok.lower_ not in CUE_FORMS:
        return None
    doc = tok.doc
    first = tok.i
    while first > 0 and tok.i - first < _MAX_PHRASE and _in_noun_phrase(doc[first - 1]):
        first -= 1
    after_quote = first > 0 and (doc[first - 1].is_quote or (
        first > 1 and doc[first - 1].text == "," and doc[first - 2].is_quote))
    following = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if not after_quote or (following is not None and following.pos_ in {"VERB", "AUX", "NOUN", "PROPN"}):
        return None
    phrase = list(doc[first:tok.i])
    before_prep = phrase[:next((i for i, t in enumerate(phrase) if t.pos_ == "ADP"), len(phrase))]
    heads = [t for t in before_prep if t.pos_ in {"NOUN", "PROPN"}] or [t for t in before_prep if t.pos_ == "NUM"]
    return heads[-1] if heads else None  # "the two write": the number is who writes


def _owner_of_words(tok: Token) -> Token | None:
    """Whose words "in Forbes' words", "in the words of one delegate" and "in his view" give; None for any other token."""
    if tok.lower_ not in OWNERS_WORDS_NOUNS or tok.pos_ != "NOUN" or tok.dep_ != "pobj" or tok.head.lower_ != "in":
        return None
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None:
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if owner is None:  # "in Forbes’ words" parsed with the owner a second object of "in"
        owner = next((t for t in reversed(tok.doc[tok.head.i + 1 : tok.i]) if t.pos_ in {"PROPN", "NOUN"}), None)
    return owner if owner is not None and owner.pos_ in {"PROPN", "NOUN", "PRON"} else None


#: The longest noun phrase _cue_read_as_noun takes for the speaker's ("a voice-over in the new ad").
_MAX_PHRASE = 8


def _in_noun_phrase(tok: Token) -> bool:
    """A word of a plain noun phrase: "a voice-over in the ad", "the party's chairman"."""
    return tok.pos_ in {"DET", "ADJ", "NOUN", "PROPN", "NUM", "ADP"} or tok.tag_ in {"HYPH", "POS"}


def is_negated(parse: Parse, tok: Token) -> bool:
    """A speech verb the sentence says was not spoken: "did not say", "never said", "denied saying".

    The denial of a speech verb is none either: "denied" in "denied saying ...". A "not" inside
    a quote negates nothing outside it ("'Absolutely not,' he said").
    """
    outside = [c for c in tok.children if not parse.in_quote[c.i]]
    if any(c.dep_ == "neg" for c in outside):
        return True
    if tok.lower_ in NEGATING_FORMS and any(c.dep_ in {"xcomp", "ccomp", "pcomp"} and is_cue(c) for c in outside):
        return True
    node = tok
    for _ in range(2):  # "declined to say", "denied having said"
        if node.dep_ not in {"xcomp", "ccomp", "pcomp"} or node.head.i == node.i:
            return False
        node = node.head
        if node.lower_ in NEGATING_FORMS:
            return True
    return False


def is_speech_noun(tok: Token) -> bool:
    """Whether ``tok`` is a noun of speech (SPEECH_NOUNS): "remark", "accusation", "claim"."""
    return tok.pos_ == "NOUN" and tok.lower_ in SPEECH_NOUNS


#: Every lower-case form a cue can take: only a token of one of these forms can be a cue (is_cue).
CUE_WORDS = frozenset({"according", *CUE_FORMS, *INTRANSITIVE_CUE_FORMS, *PHRASAL_VERBS, *OWNERS_WORDS_NOUNS})


@lru_cache(maxsize=8)
def _cue_ids(strings: StringStore) -> numpy.ndarray:
    """CUE_WORDS as the ids a vocabulary's strings give them."""
    return numpy.fromiter((strings[word] for word in CUE_WORDS), dtype=numpy.uint64, count=len(CUE_WORDS))


def cue_words(parse: Parse) -> list[Token]:
    """The tokens outside quotes whose form a speech verb can take, in order: the only ones is_cue can accept,
    found over the doc's array of forms rather than token by token."""
    doc = parse.doc
    found = numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), _cue_ids(doc.vocab.strings))).tolist()
    return [doc[i] for i in found if not parse.in_quote[i]]
