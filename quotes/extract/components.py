"""The spaCy components: ``quotes`` (sets ``doc._.quotes``) and ``paragraph_sentences``.

Importing this module registers both and the ``doc._.quotes`` extension, so a saved pipeline
loads with ``spacy.load`` once the package's ``spacy_factories`` entry points point here.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from quotes.extract.attribute import attribute
from quotes.extract.scorer import Rescorer
from quotes.extract.settings import DEFAULT_SETTINGS, Settings
from quotes.extract.transcripts import quote_spans

if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


class Quotes:
    """The ``quotes`` component: finds the quotes of a doc and attributes them, by its settings."""

    def __init__(self, settings: Settings = DEFAULT_SETTINGS):
        self.settings = settings
        self.rescore = Rescorer(settings.scorer)

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.quotes``: every quote mention in the doc, attributed, in document order."""
        doc._.quotes = attribute(doc, quote_spans(doc, self.settings), self.settings, self.rescore)
        return doc


@Language.factory(
    "quotes",
    requires=["doc.sents", "doc.ents", "token.dep", "token.head", "token.pos", "token.tag", "token.ent_type"],
    assigns=["doc._.quotes"],
    default_config={**asdict(DEFAULT_SETTINGS), "quote_marks": list(DEFAULT_SETTINGS.quote_marks)},
)
def make_quotes(nlp: Language, name: str, quote_marks: list[str], max_quote_chars: int,
                max_scare_words: int, max_orphan_words: int, scorer: str = DEFAULT_SETTINGS.scorer,
                parse_windows: bool = DEFAULT_SETTINGS.parse_windows,
                ner_skips_quotes_of: int = DEFAULT_SETTINGS.ner_skips_quotes_of,
                ner_reach: int = DEFAULT_SETTINGS.ner_reach) -> Quotes:
    """The ``quotes`` component for the settings of its config (see :class:`Settings`)."""
    return Quotes(Settings(quote_marks=tuple(quote_marks), max_quote_chars=max_quote_chars,
                           max_scare_words=max_scare_words, max_orphan_words=max_orphan_words, scorer=scorer,
                           parse_windows=parse_windows, ner_skips_quotes_of=ner_skips_quotes_of,
                           ner_reach=ner_reach))


@Language.component("paragraph_sentences", assigns=["token.is_sent_start"])
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headlines and paragraphs never run together.

    Only a whitespace token holds a line break (spaCy's tokenizer cuts where whitespace starts
    and ends, and the whitespace after a token is a space or nothing), so only their texts are
    read; the starts are written in one pass through the doc's array: setting
    ``Token.is_sent_start`` rescans the whole doc each time (spaCy checks that it is not parsed
    yet), which made an article of 20,000 short lines take minutes.
    """
    spaces = np.flatnonzero(doc.to_array(IS_SPACE)[:-1])
    breaks = [i + 1 for i in spaces.tolist() if "\n" in doc[i].text]
    if breaks:
        starts = doc.to_array(SENT_START)
        starts[breaks] = 1
        doc.from_array([SENT_START], starts)
    return doc
